"""The package receipt (Recibo): what it says, the PDF written by Qt's PDF writer (its text
read back with pypdf), printing through the print-dialog seam, and the preview."""

import re
from datetime import date, datetime
from decimal import Decimal

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from r3izzy_desktop.core import clinic, clock, packages, reports
from r3izzy_desktop.ui.common import exports
from r3izzy_desktop.ui.packages import receipt
from r3izzy_desktop.ui.packages.receipt import ReceiptDialog, open_receipt

D = Decimal


@pytest.fixture
def package(db, patient, make_session):
    """Ana (guardian Cláudia) paid 1.000,00 for 5 sessions on 18/06/2025; 2 used."""
    clinic.update_patient(patient, guardian="Cláudia Souza", cpf="529.982.247-25")
    clinic.set_clinic_info(
        name="Clínica Movimento",
        document="12.345.678/0001-95",
        address="Rua das Acácias, 120 — Campinas/SP",
        phone="(19) 3234-5678",
    )
    pkg = packages.create_package(patient, 5, D("1000.00"), paid_on=date(2025, 6, 18))
    packages.pay_sessions(pkg, [make_session(1, 10), make_session(2, 10)], True)
    return pkg


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def opened_dialog(parent, package_id) -> ReceiptDialog:
    open_receipt(parent, package_id)
    dialog = parent.findChild(ReceiptDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def pdf_text(path) -> str:
    reader = pypdf.PdfReader(str(path))
    assert len(reader.pages) == 1
    return re.sub(r"\s+", " ", reader.pages[0].extract_text())


def test_receipt_data(package):
    with clock.frozen(datetime(2025, 7, 3, 9, 0)):
        data = reports.package_receipt(package.id)
    assert (data.clinic.name, data.clinic_document_label) == ("Clínica Movimento", "CNPJ")
    assert (data.patient_name, data.guardian, data.patient_cpf) == (
        "Ana Souza",
        "Cláudia Souza",
        "529.982.247-25",
    )
    assert (data.total, data.total_in_words, data.paid_on) == (
        D("1000.00"),
        "mil reais",
        date(2025, 6, 18),
    )
    assert data.balance_text == "3 sessões restantes de 5"
    assert (data.open_amount, data.price_per_session) == (D("600.00"), D("200.00"))
    assert data.issued_on == date(2025, 7, 3)
    assert data.payer == "Cláudia Souza"


def test_document_labels():
    assert reports.document_label("12.345.678/0001-95") == "CNPJ"
    assert reports.document_label("529.982.247-25") == "CPF"
    assert reports.document_label("") == "CNPJ/CPF"


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "out"  # the test's database lives in tmp_path
    folder.mkdir()
    return folder


def test_save_pdf_from_the_dialog(qtbot, package, parent, monkeypatch, out, dialogs):
    asked = []

    def fake(parent, default_name, **kwargs):
        asked.append((default_name, kwargs.get("file_filter")))
        return out / default_name

    monkeypatch.setattr(exports, "ask_save_path", fake)
    dialog = opened_dialog(parent, package.id)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    name = f"recibo-pacote-{package.number}-ana-souza.pdf"
    assert asked == [(name, "Documento PDF (*.pdf)")]
    path = out / name
    assert path.read_bytes().startswith(b"%PDF")
    assert dialog.saved_path == path
    assert dialogs.told == [("Recibo salvo", f"O recibo foi salvo em:\n{path}")]
    text = pdf_text(path)
    for expected in (
        "RECIBO",
        "Clínica Movimento",
        "CNPJ 12.345.678/0001-95",
        "Rua das Acácias, 120 — Campinas/SP",
        "Recebemos de Cláudia Souza , responsável por Ana Souza ,",
        "R$ 1.000,00",
        "(mil reais)",
        f"No. {package.number}",
        "18/06/2025",
        "5 sessões — R$ 200,00 por sessão",
        "3 sessões restantes de 5 — R$ 600,00 em aberto",
        "CPF 529.982.247-25",
    ):
        assert expected in text, expected
    assert list(out.iterdir()) == [path]  # no temporary file left behind


def test_receipt_without_guardian_names_the_patient(qtbot, db, parent, tmp_path):
    person = clinic.add_patient("Bruno Lima")
    pkg = packages.create_package(person, 1, D("1200.50"), paid_on=date(2025, 6, 1))
    data = reports.package_receipt(pkg.id)
    text = pdf_text(receipt.save_receipt_pdf(data, tmp_path / "r.pdf"))
    assert "Recebemos de Bruno Lima a importância de R$ 1.200,50" in text
    assert "(mil e duzentos reais e cinquenta centavos)" in text
    assert "1 sessão restante de 1" in text


def test_print_goes_through_the_printer_seam(qtbot, package, parent, monkeypatch, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    target = tmp_path / "impresso.pdf"

    def fake_printer(parent):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return printer

    monkeypatch.setattr(receipt, "ask_printer", fake_printer)
    dialog = opened_dialog(parent, package.id)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert "mil reais" in pdf_text(target)


def test_print_cancelled(qtbot, package, parent, monkeypatch):
    monkeypatch.setattr(receipt, "ask_printer", lambda parent: None)
    dialog = opened_dialog(parent, package.id)
    assert dialog.print_receipt() is False


def test_save_cancelled_writes_nothing(qtbot, package, parent, monkeypatch, out, dialogs):
    monkeypatch.setattr(exports, "ask_save_path", lambda parent, name, **kw: None)
    dialog = opened_dialog(parent, package.id)
    assert dialog.save_pdf() is None
    assert not dialogs.told and not list(out.iterdir())


def test_unwritable_target_is_told(qtbot, package, parent, monkeypatch, tmp_path, dialogs):
    (tmp_path / "x.pdf").mkdir()  # a folder where the file should go
    monkeypatch.setattr(exports, "ask_save_path", lambda parent, name, **kw: tmp_path / "x.pdf")
    dialog = opened_dialog(parent, package.id)
    assert dialog.save_pdf() is None
    assert dialogs.told and "Não foi possível gravar o recibo" in dialogs.told[0][1]


def test_preview_is_the_page(qtbot, package, parent):
    dialog = opened_dialog(parent, package.id)
    image = dialog.preview.pixmap().toImage()
    assert (image.width(), image.height()) == (794, 1123)  # A4 at 96 dpi
    colors = {image.pixelColor(x, y).name() for x in range(0, 794, 7) for y in range(0, 400, 7)}
    assert QColor("#ffffff").name() in colors and len(colors) > 3  # text was drawn
    assert "mil reais" in receipt.receipt_html(dialog.receipt)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_missing_clinic_data_is_pointed_out(qtbot, db, patient, parent):
    pkg = packages.create_package(patient, 1, D("100.00"))
    dialog = opened_dialog(parent, pkg.id)
    texts = [w.text() for w in dialog.findChildren(type(dialog.preview)) if w.text()]
    assert any("Configurações" in t for t in texts)


def test_unknown_package_is_told(qtbot, db, parent, dialogs):
    open_receipt(parent, 4242)
    assert dialogs.told == [("", "Pacote não encontrado.")]
    assert parent.findChild(ReceiptDialog) is None


def test_receipt_from_the_package_list(qtbot, package, patient, monkeypatch, tmp_path):
    from r3izzy_desktop.ui.packages.list_page import PackageListPage

    page = PackageListPage()
    qtbot.addWidget(page)
    page.show_patient(patient.id)
    qtbot.waitUntil(lambda: page.card_for(package.id) is not None)
    qtbot.mouseClick(page.card_for(package.id).receipt_button, Qt.MouseButton.LeftButton)
    # R21: a package with a numbered receipt (paid at once: No. 1) shows that one.
    from r3izzy_desktop.ui.receipts.dialog import DocumentDialog

    dialog = page.findChild(DocumentDialog)
    assert dialog is not None and dialog.printable.title == "Recibo No. 1"
    assert package.number in dialog.printable.html


def test_a_package_that_received_nothing_shows_its_summary_receipt(qtbot, db, patient):
    from r3izzy_desktop.ui.packages.list_page import PackageListPage

    plan = packages.split_installments(D("600.00"), 2, date(2025, 6, 1))
    pkg = packages.create_package(patient, 2, D("600.00"), date(2025, 6, 1), installments=plan)
    page = PackageListPage()
    qtbot.addWidget(page)
    page.show_patient(patient.id)
    qtbot.waitUntil(lambda: page.card_for(pkg.id) is not None)
    qtbot.mouseClick(page.card_for(pkg.id).receipt_button, Qt.MouseButton.LeftButton)
    dialog = page.findChild(ReceiptDialog)
    assert dialog is not None and dialog.receipt.number == pkg.number
