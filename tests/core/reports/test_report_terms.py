"""The package report and the Excel exports know the package terms (R15-R17): Validade,
Serviços and Compartilhado com columns, the "vencidos" filter, and a shared package once
in the report (under its owner) but in each sharer's own export."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from r3izzy_desktop.core import clinic, clock, packages, reports
from r3izzy_desktop.core.reports import export

D = Decimal
TODAY = datetime(2026, 4, 1, 9, 0)


@pytest.fixture
def w(db):
    ana = clinic.add_patient("Ana Souza")
    pedro = clinic.add_patient("Pedro Souza")
    maria = clinic.add_patient("Maria Souza")
    therasuite = clinic.add_service("Método Therasuite", price=D("300.00"))
    bobath = clinic.add_service("Método Bobath", price=D("250.00"))
    family = packages.create_package(
        ana,
        4,
        D("1000.00"),
        paid_on=date(2026, 1, 5),
        valid_until=date(2026, 3, 31),
        services=[therasuite, bobath],
        shared_with=[maria, pedro],
    )
    plain = packages.create_package(ana, 2, D("500.00"), paid_on=date(2026, 2, 1))
    his = packages.create_package(pedro, 2, D("500.00"), paid_on=date(2026, 2, 2))
    return {"ana": ana, "pedro": pedro, "family": family, "plain": plain, "his": his}


def test_the_rows_carry_the_terms_and_a_shared_package_is_one_row(w):
    with clock.frozen(TODAY):
        report = reports.package_report()
    by_id = {row.package_id: row for row in report.rows}
    assert len(report.rows) == 3 and report.totals.packages == 3
    family = by_id[w["family"].id]
    assert (family.patient_name, family.valid_until, family.expired) == (
        "Ana Souza",
        date(2026, 3, 31),
        True,
    )
    assert family.services == ("Método Bobath", "Método Therasuite")
    assert family.shared_with == ("Pedro Souza", "Maria Souza")
    plain = by_id[w["plain"].id]
    assert (plain.valid_until, plain.expired, plain.services, plain.shared_with) == (
        None,
        False,
        (),
        (),
    )
    # The first rows of a big report carry them as well.
    with clock.frozen(TODAY):
        preview = reports.package_report_preview(limit=1)
    assert preview.rows[0].services == ("Método Bobath", "Método Therasuite")
    # Filtered by a patient, the report lists that patient's own packages.
    assert [r.package_id for r in reports.package_report(patient=w["pedro"].id).rows] == [
        w["his"].id
    ]


def test_the_vencidos_filter(w):
    with clock.frozen(TODAY):
        assert [r.package_id for r in reports.package_report(expired=True).rows] == [w["family"].id]
        assert reports.package_report(expired=True, patient="Pedro").rows == ()
        filters = reports.make_filters(expired=True)
    assert ("Status", "vencidos") in filters.describe()
    with clock.frozen(datetime(2026, 3, 31, 9, 0)):  # the last day: not vencido yet
        assert reports.package_report(expired=True).rows == ()


def test_the_report_export_has_the_new_columns(tmp_path, w):
    with clock.frozen(TODAY):
        path = export.package_report_xlsx(tmp_path / "r.xlsx", expired=True)
    sheet = openpyxl.load_workbook(path)["Pacotes"]
    header_row = next(row for row in range(1, 12) if sheet.cell(row, 1).value == "Paciente")
    header = [cell.value for cell in sheet[header_row]]
    assert header[-3:] == ["Validade", "Serviços", "Compartilhado com"]
    [row] = [
        [cell for cell in sheet[r]]
        for r in range(header_row + 1, sheet.max_row + 1)
        if sheet.cell(r, 2).value == w["family"].number
    ]
    assert row[-3].value == datetime(2026, 3, 31) and row[-3].is_date
    assert row[-2].value == "Método Bobath; Método Therasuite"
    assert row[-1].value == "Pedro Souza; Maria Souza"
    assert any(
        sheet.cell(r, 1).value == "Status:" and sheet.cell(r, 2).value == "vencidos"
        for r in range(1, header_row)
    )


def test_a_sharers_export_lists_the_shared_package(tmp_path, w):
    path = export.patient_packages_xlsx(w["pedro"], tmp_path / "pedro.xlsx")
    sheet = openpyxl.load_workbook(path)["Pacotes"]
    rows = {sheet.cell(r, 2).value: r for r in range(5, sheet.max_row)}
    assert set(rows) == {w["family"].number, w["his"].number}
    family = rows[w["family"].number]
    assert sheet.cell(family, 1).value == "Ana Souza"  # the owner
    plain = rows[w["his"].number]
    assert [sheet.cell(plain, c).value for c in (12, 13, 14)] == ["sem validade", "todos", None]
    assert sheet.cell(sheet.max_row, 2).value == "2 pacotes"
    history = openpyxl.load_workbook(path)["Histórico"]
    numbers = {history.cell(r, 1).value for r in range(2, history.max_row + 1)}
    assert numbers == {w["family"].number, w["his"].number}
