"""R24: patients and open packages from a spreadsheet — each format, the manual's report,
duplicates, all or nothing, the role, and every malformed file refused in words with the
database unchanged."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import audit, clinic, importing, integrity, packages
from r3izzy_desktop.core.errors import NotAllowed
from r3izzy_desktop.core.store.models import Package, Patient
from tests.helpers.snapshot import db_snapshot
from tests.helpers.users import add_staff, cheap_hasher, log_in_as  # noqa: F401

from .files import MANUAL_REPORT, PATIENT_HEADER, write_csv, write_xlsx

PATIENT_ROWS = [
    PATIENT_HEADER,
    [
        "Ana Souza",
        "(11) 98765-4321",
        "529.982.247-25",
        "03/07/2015",
        "Maria Souza",
        "111.444.777-35",
        "maria@exemplo.com.br",
        "Bobath às terças",
    ],
    ["Bruno Lima", "2134567890", "", "15/01/1990", "", "", "", ""],
]


@pytest.mark.parametrize(
    "sep,encoding", [(";", "utf-8"), (",", "utf-8"), (";", "cp1252"), (";", "utf-8-sig")]
)
def test_patients_from_csv(db, tmp_path, sep, encoding):
    path = write_csv(tmp_path / "p.csv", PATIENT_ROWS, sep=sep, encoding=encoding)
    found = importing.preview(importing.PATIENTS, path)
    assert [r.action for r in found.rows] == [importing.CREATE, importing.CREATE]
    result = importing.import_preview(found)
    assert result.created == 2 and result.errors == 0
    ana = Patient.get(Patient.cpf == "52998224725")
    assert ana.name == "Ana Souza"  # accents survive either encoding
    assert ana.birth_date == date(2015, 7, 3) and ana.guardian == "Maria Souza"
    # R21: the guardian's CPF is the financial responsible's (Maria Souza, the guardian).
    assert ana.phone == "(11) 98765-4321" and ana.notes == "Bobath às terças"
    assert (ana.payer_name, ana.payer_cpf) == ("Maria Souza", "11144477735")
    assert Patient.get(Patient.name == "Bruno Lima").phone == "(21) 3456-7890"


def test_patients_from_xlsx_with_real_dates_and_number_cells(db, tmp_path):
    rows = [
        ["Lista de pacientes"],  # a title above the header
        ["NOME", "celular", "cpf", "DATA DE NASCIMENTO", "responsavel"],
        ["Júlia Prado", 11987654321, 1234567890, datetime(2018, 2, 1), "Pai"],
    ]
    path = write_xlsx(tmp_path / "p.xlsx", rows)
    found = importing.preview(importing.PATIENTS, path)
    assert found.header_line == 2
    # 012.345.678-90 in a number cell lost its leading zero: it comes back
    assert found.rows[0].action == importing.CREATE, found.rows[0].message
    importing.import_preview(found)
    julia = Patient.get(Patient.name == "Júlia Prado")
    assert julia.birth_date == date(2018, 2, 1) and julia.cpf == "01234567890"


def test_patients_never_duplicated(db, tmp_path):
    clinic.add_patient("Ana Souza", cpf="52998224725")
    clinic.add_patient("Bruno Lima", birth_date=date(1990, 1, 15))
    rows = [
        *PATIENT_ROWS,
        ["ana souza", "", "", "", "", "", "", ""],
        ["Carla Dias", "", "", "", "", "", "", ""],
        ["CARLA DIAS", "", "", "", "", "", "", ""],
    ]
    found = importing.preview(importing.PATIENTS, write_csv(tmp_path / "p.csv", rows))
    actions = [(r.line, r.action) for r in found.rows]
    # "ana souza": the same name, and no birth date on either side to tell them apart
    assert actions == [(2, "ignorar"), (3, "ignorar"), (4, "ignorar"), (5, "criar"), (6, "ignorar")]
    assert "mesmo CPF" not in found.rows[0].message and "CPF" in found.rows[0].message
    assert "linha 5" in found.rows[4].message
    importing.import_preview(found)
    assert Patient.select().count() == 3  # Ana, Bruno, Carla
    again = importing.preview(importing.PATIENTS, write_csv(tmp_path / "p.csv", rows))
    assert again.to_create == 0


def test_row_errors_in_words_with_their_row_number(db, tmp_path):
    rows = [
        PATIENT_HEADER,
        ["", "", "", "", "", "", "", ""],
        ["Carla", "123", "111", "32/01/2020", "", "123", "x@", ""],
        ["Dora", "", "", "01/01/2999", "", "", "", ""],
    ]
    found = importing.preview(importing.PATIENTS, write_csv(tmp_path / "p.csv", rows))
    assert [r.line for r in found.rows] == [3, 4]
    carla, dora = found.rows
    for words in (
        "Data de nascimento",
        "Telefone inválido",
        "E-mail inválido",
        "CPF inválido",
        "CPF do responsável inválido",
    ):
        assert words in carla.message
    assert "futuro" in dora.message
    assert any(line.startswith("Linha 3: Erro") for line in importing.preview_lines(found))


def _patients(*names_cpfs):
    for name, cpf in names_cpfs:
        clinic.add_patient(name, cpf=cpf)


def test_the_manuals_report_table(db, tmp_path):
    _patients(("Ana Souza", "52998224725"), ("Bruno Lima", ""))
    found = importing.preview(importing.PACKAGES, write_csv(tmp_path / "r.csv", MANUAL_REPORT))
    assert [r.action for r in found.rows] == ["criar", "ignorar", "ignorar", "criar"]
    assert "finalizado" in found.rows[1].message
    importing.import_preview(found)
    inactive, active = Package.select().order_by(Package.id)
    assert (inactive.status, inactive.sessions_total, inactive.total) == (
        "inativo",
        2,
        Decimal("500.00"),
    )
    assert "Valor Total R$ 1.000,00" in inactive.notes and "Sessões Usadas 2" in inactive.notes
    assert (active.status, active.sessions_total, active.total) == ("ativo", 5, Decimal("1000.00"))
    assert packages.summary(inactive).price_per_session == Decimal("250.00")
    assert integrity.check() == []
    kinds = [h.kind for h in packages.history(inactive)]
    assert kinds == ["criado", "alterado manualmente"]
    # imported twice: nothing new
    again = importing.preview(importing.PACKAGES, write_csv(tmp_path / "r.csv", MANUAL_REPORT))
    assert again.to_create == 0 and "Já importado" in again.rows[0].message


@pytest.mark.parametrize(
    "saldo,expected",
    [
        ("1.000,00", "1000.00"),
        ("1000.00", "1000.00"),
        ("R$ 1.000", "1000.00"),
        ("333,33", "333.33"),
        (Decimal("12.5"), "12.50"),
    ],
)
def test_money_as_people_write_it(db, tmp_path, saldo, expected):
    _patients(("Ana Souza", "52998224725"))
    rows = [
        ["Paciente", "Data de pagamento", "Sessões restantes", "Saldo", "Validade"],
        ["529.982.247-25", "02/05/2025", "3", saldo, "31/12/2026"],
    ]
    if isinstance(saldo, Decimal):
        path = write_xlsx(
            tmp_path / "k.xlsx",
            [rows[0], ["52998224725", datetime(2025, 5, 2), 3, 12.5, datetime(2026, 12, 31)]],
        )
    else:
        path = write_csv(tmp_path / "k.csv", rows)
    found = importing.preview(importing.PACKAGES, path)
    assert found.rows[0].action == "criar", found.rows[0].message
    importing.import_preview(found)
    pkg = Package.get()
    assert pkg.total == Decimal(expected) and pkg.open_amount == Decimal(expected)
    assert pkg.paid_on == date(2025, 5, 2) and pkg.valid_until == date(2026, 12, 31)


@pytest.mark.parametrize(
    "row,words",
    [
        (["Zé", "", "2", "100"], "Paciente não encontrado"),
        (["Ana Souza", "", "2", "100,001"], "duas casas"),
        (["Ana Souza", "", "2", "-5"], "negativo"),
        (["Ana Souza", "", "2", "0"], "Saldo R$ 0,00"),
        (["Ana Souza", "", "dois", "100"], "número inteiro"),
        (["Ana Souza", "31/02/2025", "2", "100"], "Data de pagamento"),
        (["Ana Souza", "", "2", "abc"], "Valor inválido"),
    ],
)
def test_package_row_errors(db, tmp_path, row, words):
    _patients(("Ana Souza", "52998224725"))
    rows = [["Paciente", "Data de pagamento", "Sessões restantes", "Saldo"], row]
    found = importing.preview(importing.PACKAGES, write_csv(tmp_path / "k.csv", rows))
    assert found.rows[0].action == "erro" and words in found.rows[0].message
    before = db_snapshot()
    with pytest.raises(importing.ImportRefused):
        importing.import_preview(found)
    assert db_snapshot() == before


def test_all_or_nothing(db, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "p.csv", PATIENT_ROWS)
    found = importing.preview(importing.PATIENTS, path)
    before = db_snapshot()
    real = clinic.add_patient
    calls = []

    def failing(name, **fields):
        calls.append(name)
        if len(calls) == 2:
            raise RuntimeError("disco")
        return real(name, **fields)

    monkeypatch.setattr(clinic, "add_patient", failing)
    with pytest.raises(RuntimeError):
        importing.import_preview(found)
    assert db_snapshot() == before


def test_only_an_administrator_imports(db, tmp_path, cheap_hasher):  # noqa: F811
    add_staff()
    found = importing.preview(importing.PATIENTS, write_csv(tmp_path / "p.csv", PATIENT_ROWS))
    for role in ("recepção", "financeiro"):
        log_in_as(role)
        before = db_snapshot()
        with pytest.raises(NotAllowed):
            importing.import_preview(found)
        assert db_snapshot() == before
    log_in_as("administrador")
    importing.import_preview(found)
    assert [e.action for e in audit.entries(action=audit.IMPORT)] == [audit.IMPORT]


# --- malformed files: a message in Portuguese, nothing written ----------------------------


def _zip_bomb(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    return path


def _bad_files(tmp_path):
    big = tmp_path / "grande.csv"
    with big.open("wb") as file:
        file.write(b"Nome;Telefone\n")
        file.write(b"Ana Souza;11987654321\n" * (50 * 1024 * 1024 // 22 + 1))
    formulas = write_xlsx(tmp_path / "formulas.xlsx", [["Nome", "CPF"], ["Ana", "=1+1"]])
    merged = write_xlsx(
        tmp_path / "mescladas.xlsx", [["Nome", "Telefone"], ["Ana", ""], ["", ""]], merged="A2:A3"
    )
    empty = write_xlsx(tmp_path / "vazia.xlsx", [])
    only_header = write_xlsx(tmp_path / "cabecalho.xlsx", [["Nome", "Telefone"]])
    no_header = write_csv(tmp_path / "sem.csv", [["Fulano", "123"], ["Beltrano", "456"]])
    old_xls = tmp_path / "antigo.xls"
    old_xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    not_zip = tmp_path / "falso.xlsx"
    not_zip.write_text("isto não é uma planilha")
    binary = tmp_path / "foto.csv"
    binary.write_bytes(bytes(range(256)) * 40)
    damaged = tmp_path / "danificada.xlsx"
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not-really")
    return {
        "50 MB": (big, "limite"),
        "zip bomb": (_zip_bomb(tmp_path / "bomba.xlsx"), "malicioso"),
        "formulas": (formulas, "fórmulas"),
        "merged": (merged, "mescladas"),
        "empty": (empty, "vazia"),
        "only the header": (only_header, "só tem o cabeçalho"),
        "header missing": (no_header, "cabeçalho"),
        "old xls": (old_xls, ".xls"),
        "not a zip": (not_zip, "não é uma planilha"),
        "binary": (binary, "não é uma planilha"),
        "damaged": (damaged, "danificad"),
        "missing": (tmp_path / "nao-existe.csv", "não foi encontrado"),
    }


def test_malformed_files_are_refused_in_words(db, tmp_path):
    clinic.add_patient("Ana Souza")
    before = db_snapshot()
    for case, (path, words) in _bad_files(tmp_path).items():
        with pytest.raises(importing.ImportRefused) as refused:
            importing.preview(importing.PATIENTS, path)
        assert words in str(refused.value), case
        assert "Traceback" not in str(refused.value)
    assert db_snapshot() == before


def test_a_package_header_missing_names_the_column(db, tmp_path):
    path = write_csv(tmp_path / "k.csv", [["Paciente", "Sessões restantes"], ["Ana", "2"]])
    with pytest.raises(importing.ImportRefused) as refused:
        importing.preview(importing.PACKAGES, path)
    assert "“Saldo”" in str(refused.value)


def test_the_model_spreadsheets_import_as_they_are(db, tmp_path):
    patients_file = importing.write_model(importing.PATIENTS, tmp_path / "m1.xlsx")
    found = importing.preview(importing.PATIENTS, patients_file)
    assert found.to_create == 2 and found.errors == 0
    importing.import_preview(found)
    packages_file = importing.write_model(importing.PACKAGES, tmp_path / "m2.xlsx")
    found = importing.preview(importing.PACKAGES, packages_file)
    assert found.to_create == 2 and found.errors == 0, importing.preview_lines(found)
    importing.import_preview(found)
    assert Package.select().count() == 2 and integrity.check() == []


def test_the_counts_agree_in_number_with_their_words():
    from r3izzy_desktop.core.importing import created_text

    assert created_text("patients", 1) == "1 paciente importado"
    assert created_text("packages", 3) == "3 pacotes importados"
