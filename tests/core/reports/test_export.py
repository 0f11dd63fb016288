"""The Excel exports, read back with openpyxl cell by cell: values, types, number formats,
frozen header, autofilter, totals, and text that must never become a formula."""

import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from r3izzy_desktop.core import clinic, clock, packages
from r3izzy_desktop.core.database import is_postgres
from r3izzy_desktop.core.errors import ExportCancelled
from r3izzy_desktop.core.reports import export
from r3izzy_desktop.core.reports.export import DATE_FORMAT, DATETIME_FORMAT, MONEY_FORMAT
from r3izzy_desktop.core.store.models import Package, Patient

D = Decimal
HEADER = [
    "Paciente",
    "No.",
    "Data Pgto.",
    "Status",
    "Valor Total",
    "Saldo Atual",
    "Preço por Sessão",
    "Total de Sessões",
    "Sessões Usadas",
    "Sessões Restantes",
    "Observações",
    "Validade",
    "Serviços",
    "Compartilhado com",
]


@pytest.fixture
def ana_packages(patient, make_session):
    """Ana: P1 3 sessions for 1.000,00 with 1 debit (333,33), P2 4 for 1.000,00 finalizado."""
    with clock.frozen(datetime(2025, 5, 2, 9, 30)):
        p1 = packages.create_package(
            patient, 3, D("1000.00"), paid_on=date(2025, 5, 2), notes="Pix"
        )
        packages.pay_sessions(p1, [make_session(1, 10)], accept_price_adjustment=True)
    with clock.frozen(datetime(2025, 5, 10, 8, 0)):
        p2 = packages.create_package(patient, 4, D("1000.00"), paid_on=date(2025, 5, 10))
        packages.pay_sessions(p2, [make_session(d, 9) for d in (7, 8, 9, 10)])
    other = clinic.add_patient("Bruno Lima")
    packages.create_package(other, 2, D("300.00"), paid_on=date(2025, 6, 1))
    return p1, p2


def row_values(sheet, row):
    return [cell.value for cell in sheet[row]]


def test_patient_export_package_sheet(tmp_path, patient, ana_packages):
    p1, p2 = ana_packages
    path = export.patient_packages_xlsx(patient, tmp_path / "ana.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Pacotes", "Histórico"]
    sheet = book["Pacotes"]
    assert sheet["A1"].value == "Pacotes de Ana Souza"
    assert sheet["A1"].font.b
    assert sheet["A2"].value.startswith("Exportado em ")
    assert row_values(sheet, 4) == HEADER
    assert all(cell.font.b for cell in sheet[4])
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:N6"

    first = sheet[5]  # oldest payment first
    assert [c.value for c in first[:2]] == ["Ana Souza", p1.number]
    assert first[1].data_type == "s"  # the number stays text: no 2,5E+11
    assert first[2].is_date and first[2].value == datetime(2025, 5, 2)
    assert first[2].number_format == DATE_FORMAT
    assert first[3].value == "ativo"
    money = first[4:7]
    assert [D(str(c.value)) for c in money] == [D("1000.00"), D("666.67"), D("333.33")]
    assert all(c.data_type == "n" and c.number_format == MONEY_FORMAT for c in money)
    counts = first[7:10]
    assert [c.value for c in counts] == [3, 1, 2]
    assert all(type(c.value) is int for c in counts)
    assert first[10].value == "Pix"

    second = sheet[6]
    assert [second[1].value, second[3].value, second[5].value, second[9].value] == [
        p2.number,
        "finalizado",
        0,
        0,
    ]
    totals = row_values(sheet, 7)
    assert totals[:2] == ["Total", "2 pacotes"]
    assert [D(str(v)) for v in totals[4:6]] == [D("2000.00"), D("666.67")]
    assert totals[7:10] == [7, 5, 2]
    assert sheet["E7"].font.b and sheet["E7"].number_format == MONEY_FORMAT
    assert sheet.max_row == 7  # Bruno's package is not Ana's
    assert sheet.column_dimensions["A"].width >= 25
    assert sheet.column_dimensions["G"].width >= len("Preço por Sessão")


def test_patient_export_history_sheet(tmp_path, patient, ana_packages):
    p1, p2 = ana_packages
    sheet = openpyxl.load_workbook(export.patient_packages_xlsx(patient, tmp_path / "a.xlsx"))[
        "Histórico"
    ]
    assert row_values(sheet, 1) == [
        "No. Pacote",
        "Paciente",
        "Tipo",
        "Data",
        "Data Pacote",
        "Status",
        "Observação",
        "Saldo de Sessões",
        "Saldo R$",
        "Valor Médio",
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:J8"  # 2 lines of P1, 5 of P2
    created = sheet[2]
    assert [c.value for c in created[:3]] == [p1.number, "Ana Souza", "criado"]
    assert created[3].value == datetime(2025, 5, 2, 9, 30)
    assert created[3].number_format == DATETIME_FORMAT
    assert created[4].value == datetime(2025, 5, 2) and created[4].number_format == DATE_FORMAT
    debit = row_values(sheet, 3)
    assert debit[2] == "sessão debitada"
    assert debit[6] == "Debitada pela sessão 01/04 10:00"
    assert debit[7] == 2 and D(str(debit[8])) == D("666.67") and D(str(debit[9])) == D("333.33")
    assert [row_values(sheet, r)[0] for r in range(4, 9)] == [p2.number] * 5
    assert row_values(sheet, 8)[5] == "finalizado"


def test_money_is_written_from_decimal_text_not_a_float(tmp_path, patient, ana_packages):
    path = export.patient_packages_xlsx(patient, tmp_path / "a.xlsx")
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>333.33</v>" in xml and "<v>666.67</v>" in xml


DANGEROUS = ["=SUM(A1)", "+1", "-1", "@x", "\tx", "\rx", '=HYPERLINK("http://x","y")']


@pytest.mark.parametrize("text", DANGEROUS)
def test_typed_text_never_becomes_a_formula(tmp_path, db, text):
    person = clinic.add_patient("Paciente")
    # Straight into the table: older data or another program may hold what the forms refuse.
    Patient.update(name=text).where(Patient.id == person.id).execute()
    pkg = packages.create_package(person, 1, D("10.00"))
    Package.update(notes=text).where(Package.id == pkg.id).execute()
    path = export.package_report_xlsx(tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(path)["Pacotes"]
    row = next(r for r in sheet.iter_rows(min_row=1) if r[1].value == pkg.number)
    expected = text.replace("\r", "\n")
    for cell in (row[0], row[10]):
        assert cell.data_type == "s", cell.value
        assert cell.value == expected
        assert cell.quotePrefix
    history = openpyxl.load_workbook(path, data_only=False)["Histórico"]
    names = [r[1] for r in history.iter_rows(min_row=2)]
    assert names and all(c.data_type == "s" and c.value == expected for c in names)
    with zipfile.ZipFile(path) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_control_characters_are_removed_never_a_crash(tmp_path, db):
    person = clinic.add_patient("Paciente")
    nul = "" if is_postgres() else "\x00"  # PostgreSQL text cannot hold NUL at all
    Patient.update(name=f"Ana{nul} \x01Sou\x1fza\x0b").where(Patient.id == person.id).execute()
    pkg = packages.create_package(person, 1, D("10.00"))
    Package.update(notes="linha 1\r\nlinha\x07 2\x1b").where(Package.id == pkg.id).execute()
    sheet = openpyxl.load_workbook(export.patient_packages_xlsx(person, tmp_path / "c.xlsx"))[
        "Pacotes"
    ]
    assert sheet["A1"].value == "Pacotes de Ana Souza"
    assert sheet["A5"].value == "Ana Souza"
    assert sheet["K5"].value == "linha 1\nlinha 2"
    assert not sheet["A5"].quotePrefix


def test_report_export_writes_the_filters_above_the_table(tmp_path, patient, ana_packages):
    path = export.package_report_xlsx(
        tmp_path / "rel.xlsx", paid_from=date(2025, 5, 1), paid_to=date(2025, 5, 31), status="ativo"
    )
    book = openpyxl.load_workbook(path)
    sheet = book["Pacotes"]
    assert sheet["A1"].value == "Relatório de Pacotes"
    assert row_values(sheet, 3)[:2] == ["Data de pagamento:", "01/05/2025 a 31/05/2025"]
    assert row_values(sheet, 4)[:2] == ["Status:", "ativo"]
    assert row_values(sheet, 5)[:2] == ["Paciente:", "todos"]
    assert row_values(sheet, 7) == HEADER
    assert sheet.freeze_panes == "A8"
    assert sheet.auto_filter.ref == "A7:N8"
    assert row_values(sheet, 8)[:4] == [
        "Ana Souza",
        ana_packages[0].number,
        datetime(2025, 5, 2),
        "ativo",
    ]
    assert row_values(sheet, 9)[:2] == ["Total", "1 pacote"]
    history = book["Histórico"]
    assert {r[0].value for r in history.iter_rows(min_row=2)} == {ana_packages[0].number}


def test_report_export_of_everything_and_without_history(tmp_path, patient, ana_packages):
    book = openpyxl.load_workbook(export.package_report_xlsx(tmp_path / "all.xlsx"))
    sheet = book["Pacotes"]
    assert [row_values(sheet, r)[0] for r in (8, 9, 10)] == ["Ana Souza", "Ana Souza", "Bruno Lima"]
    totals = row_values(sheet, 11)
    assert totals[1] == "3 pacotes" and D(str(totals[4])) == D("2300.00")
    assert book["Histórico"].max_row == 1 + 2 + 5 + 1
    lean = openpyxl.load_workbook(
        export.package_report_xlsx(tmp_path / "lean.xlsx", include_history=False)
    )
    assert lean.sheetnames == ["Pacotes"]


def test_empty_report_still_has_header_filter_and_totals(tmp_path, db):
    sheet = openpyxl.load_workbook(export.package_report_xlsx(tmp_path / "e.xlsx"))["Pacotes"]
    assert row_values(sheet, 7) == HEADER
    assert sheet.auto_filter.ref == "A7:N7"
    assert row_values(sheet, 8)[:2] == ["Total", "0 pacotes"]
    assert sheet["E8"].value == 0


def test_progress_is_reported_and_cancel_leaves_no_file(tmp_path, patient, ana_packages):
    seen = []
    export.patient_packages_xlsx(
        patient, tmp_path / "p.xlsx", progress=lambda d, t: seen.append((d, t))
    )
    total = 2 + 7  # packages and history lines
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    def cancel(done, total):
        raise ExportCancelled()

    target = tmp_path / "cancelled.xlsx"
    with pytest.raises(ExportCancelled):
        export.patient_packages_xlsx(patient, target, progress=cancel)
    assert list(tmp_path.iterdir()) == [tmp_path / "p.xlsx"]


def test_failures_are_domain_errors_and_leave_nothing(tmp_path, patient, ana_packages):
    with pytest.raises(export.ExportFailed, match="A pasta não existe"):
        export.patient_packages_xlsx(patient, tmp_path / "missing" / "a.xlsx")
    # A folder where the file cannot be created (a directory with the file's name).
    (tmp_path / "a.xlsx").mkdir()
    with pytest.raises(export.ExportFailed):
        export.patient_packages_xlsx(patient, tmp_path / "a.xlsx")
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]
    assert list((tmp_path / "a.xlsx").iterdir()) == []


def test_an_existing_file_is_replaced_whole_and_the_suffix_added(tmp_path, patient, ana_packages):
    target = tmp_path / "a.xlsx"
    target.write_text("old")
    assert export.patient_packages_xlsx(patient, target) == target
    assert openpyxl.load_workbook(target).sheetnames == ["Pacotes", "Histórico"]
    assert export.patient_packages_xlsx(patient, tmp_path / "b") == tmp_path / "b.xlsx"


def test_suggested_file_names():
    assert (
        export.patient_export_name("Ana Souza", date(2025, 7, 3))
        == "pacotes-ana-souza-2025-07-03.xlsx"
    )
    assert (
        export.patient_export_name("  João D'Ávila  Conceição ", date(2025, 7, 3))
        == "pacotes-joao-d-avila-conceicao-2025-07-03.xlsx"
    )
    assert export.patient_export_name("???", date(2025, 7, 3)) == "pacotes-paciente-2025-07-03.xlsx"
    assert export.report_export_name(date(2025, 7, 3)) == "relatorio-de-pacotes-2025-07-03.xlsx"
