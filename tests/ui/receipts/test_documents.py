"""R21's PDFs: the receipt and the Declaração anual, written by Qt's PDF writer — A4, text
(read back with pypdf), fonts embedded — and rendered to PNG with pdftoppm (poppler-utils)
to see that the page is drawn. A cancelled receipt says CANCELADO."""

from __future__ import annotations

import re
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from PySide6.QtGui import QImage

from r3izzy_desktop.core import agenda, clinic, clock, packages, payments, receipts
from r3izzy_desktop.ui.receipts import documents
from tests.helpers import printouts

D = Decimal
MOTHER_CPF = "52998224725"
A4_POINTS = (595, 842)  # 210 × 297 mm at 72 points per inch, rounded


@pytest.fixture
def family(db):
    """Ana pays for Pedro and Maria (a refund in the year for Maria); clinic data filled."""
    with clock.frozen(datetime(2026, 3, 10, 9, 0)):
        clinic.set_clinic_info(
            name="Clínica Movimento",
            document="11.222.333/0001-81",
            address="Rua das Acácias, 120 — Centro",
            city="Campinas - SP",
            phone="(19) 3234-5678",
        )
        pedro = clinic.add_patient("Pedro Souza", guardian="Ana Souza", payer_cpf=MOTHER_CPF)
        maria = clinic.add_patient(
            "Maria Souza", cpf="11144477735", guardian="Ana Souza", payer_cpf=MOTHER_CPF
        )
        bruno = clinic.add_patient("Bruno Lima", cpf="39053344705")
        svc = clinic.add_service("Método Bobath", price=D("250.00"))
        pro = clinic.add_professional("Dra. Luíza Reis", council="CREFITO-3 12345-F")
        big = packages.create_package(pedro, 5, D("1000.00"), date(2026, 3, 1), method="pix")
        sessions = [
            agenda.schedule(maria, svc, datetime(2026, 3, d, 10), professional=pro) for d in (2, 3)
        ]
        payments.pay_manually(sessions, method="dinheiro", paid_on=date(2026, 3, 3))
        payments.void_payment(sessions[0])
        packages.create_package(bruno, 2, D("300.00"), date(2026, 3, 5))
    return {"pedro": pedro, "maria": maria, "big": big, "sessions": sessions}


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(str(path))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def check_pdf(path: Path) -> pypdf.PdfReader:
    """A4 pages, every font embedded."""
    reader = pypdf.PdfReader(str(path))
    for page in reader.pages:
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        assert size == A4_POINTS
        fonts = page["/Resources"]["/Font"]
        assert fonts
        for ref in fonts.values():
            font = ref.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return reader


def render(path: Path, out: Path) -> QImage:
    """The first page rendered by pdftoppm, as an image."""
    # Skipped saying why where poppler is absent (Windows under Wine); CI's Linux stage
    # requires it (R3IZZY_REQUIRE_LIBREOFFICE=1).
    pdftoppm = printouts._tool(("pdftoppm",), "poppler-utils")
    prefix = out / path.stem
    subprocess.run(
        [
            pdftoppm,
            "-r",
            "50",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(path),
            str(prefix),
        ],
        check=True,
        timeout=60,
    )
    image = QImage(str(prefix) + ".png")
    assert not image.isNull()
    return image


def ink(image: QImage, color: str | None = None) -> int:
    """How many sampled pixels are not white (or are close to `color`)."""
    count = 0
    for x in range(0, image.width(), 3):
        for y in range(0, image.height(), 3):
            c = image.pixelColor(x, y)
            if color == "red":
                count += c.red() > 200 and c.green() < 190 and c.blue() < 190
            else:
                count += (c.red(), c.green(), c.blue()) != (255, 255, 255)
    return count


def test_the_receipt_of_a_package_says_everything_r21_lists(family, tmp_path):
    path = documents.save_receipt_pdf(1, tmp_path / "r1.pdf")
    check_pdf(path)
    text = pdf_text(path)
    for expected in (
        "RECIBO No. 1",
        "Clínica Movimento",
        "CNPJ 11.222.333/0001-81",
        "Rua das Acácias, 120 — Centro",
        "Ana Souza",
        "CPF 529.982.247-25",
        "Pedro Souza",
        f"Pacote No. {family['big'].number} — 5 sessões",
        "Restam 5 de 5 sessões",
        "R$ 1.000,00",
        "(mil reais)",
        "01/03/2026",
        "Pix",
        "Campinas - SP, 1 de março de 2026",
    ):
        assert expected in text, expected
    assert "CANCELADO" not in text
    image = render(path, tmp_path)
    assert ink(image) > 200  # the page is drawn
    assert ink(image, "red") == 0


def test_a_session_receipt_names_the_professional_and_the_council(family, tmp_path):
    [new] = [r for r in receipts.for_year(2026) if r.source == "pagamento" and not r.cancelled]
    text = pdf_text(documents.save_receipt_pdf(new.number, tmp_path / "s.pdf"))
    assert "03/03/2026 10:00 · Método Bobath · Dra. Luíza Reis (CREFITO-3 12345-F)" in text
    assert "Maria Souza" in text and "CPF 111.444.777-35" in text
    assert "(duzentos e cinquenta reais)" in text and "Dinheiro" in text


def test_a_cancelled_receipt_is_marked(family, tmp_path):
    [old] = [r for r in receipts.for_year(2026) if r.cancelled]
    path = documents.save_receipt_pdf(old.number, tmp_path / "c.pdf")
    check_pdf(path)
    text = pdf_text(path)
    assert text.count("CANCELADO") >= 2  # the note at the top and the mark across the page
    assert f"Substituído pelo recibo No. {old.replaced_by}" in text
    assert ink(render(path, tmp_path), "red") > 50


def test_the_receipt_of_a_payer_who_is_the_patient_names_them_once(family, tmp_path):
    [bruno] = [r for r in receipts.for_year(2026) if r.patient_name == "Bruno Lima"]
    text = pdf_text(documents.save_receipt_pdf(bruno.number, tmp_path / "b.pdf"))
    assert "Recebemos de Bruno Lima (CPF 390.533.447-05)" in text
    assert "Paciente" not in text and "pelos atendimentos" not in text


def test_the_annual_statement(family, tmp_path):
    path = documents.save_statement_pdf(2026, tmp_path / "d.pdf", MOTHER_CPF)
    check_pdf(path)
    text = pdf_text(path)
    for expected in (
        "DECLARAÇÃO ANUAL",
        "Declaração de pagamentos para o Imposto de Renda",
        "Ana Souza",
        "CPF 529.982.247-25",
        "Pedro Souza",
        "Maria Souza",
        "111.444.777-35",
        "R$ 1.250,00",  # 1.000,00 + 250,00
        "(mil duzentos e cinquenta reais)",
        "Campinas - SP,",
    ):
        assert expected in text, expected
    assert "Bruno" not in text
    assert ink(render(path, tmp_path)) > 200


def test_every_payer_gets_a_pdf_in_the_folder(family, tmp_path):
    folder = tmp_path / "declaracoes"
    written = documents.save_all_statements(2026, folder)
    assert [p.name for p in written] == [
        "declaracao-2026-ana-souza-52998224725.pdf",
        "declaracao-2026-bruno-lima-39053344705.pdf",
    ]
    assert sorted(folder.iterdir()) == sorted(written)  # no temporary file left
    assert "R$ 300,00" in pdf_text(written[1])
    assert documents.save_all_statements(2020, tmp_path / "vazio") == []


def test_a_long_receipt_goes_on_to_a_second_page(db, tmp_path):
    child = clinic.add_patient("Pedro Souza", guardian="Ana Souza")
    svc = clinic.add_service("Método Bobath", price=D("100.00"))
    many = [
        agenda.schedule(child, svc, datetime(2026, 1, 1 + d % 28, 8 + d // 28)) for d in range(70)
    ]
    payments.pay_manually(many, method="pix", paid_on=date(2026, 3, 1))
    path = documents.save_receipt_pdf(1, tmp_path / "longo.pdf")
    reader = check_pdf(path)
    assert len(reader.pages) >= 2
    text = pdf_text(path)
    assert "R$ 7.000,00" in text and "(sete mil reais)" in text
    assert text.count("Método Bobath") == 70
    assert "Recibo No. 1 · página 2 de" in text
