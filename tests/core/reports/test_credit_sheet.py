"""The credit roll-forward's workbook (R20, "Exportar Excel" of Saldo de créditos): the lines
the screen shows, as typed cells, the months of the chart, and the audit line. How it
prints is checked with every other workbook (workbooks.py)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from argon2 import PasswordHasher

from r3izzy_desktop.core import agenda, audit, clinic, clock, packages, reports, users
from r3izzy_desktop.core.errors import ValidationError
from r3izzy_desktop.core.reports import credit_sheet
from r3izzy_desktop.core.reports.export import MONEY_FORMAT
from r3izzy_desktop.core.users import passwords

D = Decimal
AT = datetime(2026, 4, 2, 9, 30)


@pytest.fixture
def history(db):
    """January: a package of 1.000,00 for 4 sessions; February: one session debited;
    March: a package of 300,00 for 2, valid until 31/03 (vencido at the end of April)."""
    with clock.frozen(datetime(2026, 1, 5, 10)):
        ana = clinic.add_patient("Ana Souza")
        bobath = clinic.add_service("Método Bobath", price=D("250.00"))
        session = agenda.schedule(ana, bobath, datetime(2026, 2, 3, 10))
        first = packages.create_package(ana, 4, D("1000.00"), paid_on=date(2026, 1, 5))
    with clock.frozen(datetime(2026, 2, 3, 11)):
        packages.pay_sessions(first, [session])
    with clock.frozen(datetime(2026, 3, 10, 10)):
        packages.create_package(
            ana, 2, D("300.00"), paid_on=date(2026, 3, 10), valid_until=date(2026, 3, 31)
        )


def test_the_workbook_holds_the_lines_and_the_months(tmp_path, history):
    with clock.frozen(AT):
        path = credit_sheet.credit_rollforward_xlsx(
            tmp_path / "saldo", date(2026, 1, 1), date(2026, 4, 30)
        )
    assert path.name == "saldo.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Saldo de créditos", "Por mês"]
    sheet = book["Saldo de créditos"]
    assert sheet["A1"].value == "Saldo de créditos de pacotes"
    assert sheet["A2"].value == "Exportado em 02/04/2026 09:30"
    assert (sheet["A3"].value, sheet["B3"].value) == ("Período:", "01/01/2026 a 30/04/2026")
    assert [c.value for c in sheet[5]] == ["Movimento", "Quantidade", "Valor"]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=6)]
    roll = reports.credit_rollforward(date(2026, 1, 1), date(2026, 4, 30))
    assert rows == [(line.label, line.count, line.amount) for line in roll.lines()]
    # By hand: nothing before, 1.300,00 sold in 2, 250,00 consumed in 1, 1.050,00 at the
    # end, of which the 300,00 of the package vencido on 31/03.
    figures = {label: (count, amount) for label, count, amount in rows}
    assert figures["Saldo inicial em 01/01/2026"] == (None, 0)
    assert figures["Vendido (pacotes criados)"] == (2, 1300)
    assert figures["Consumido (sessões debitadas)"] == (1, -250)
    assert figures["Saldo final em 30/04/2026"] == (None, 1050)
    assert figures["Crédito vencido em 30/04/2026"] == (1, 300)
    for row in sheet.iter_rows(min_row=6):
        assert row[2].number_format == MONEY_FORMAT
        assert row[1].value is None or isinstance(row[1].value, int)
    months = book["Por mês"]
    assert [c.value for c in months[5]] == ["Mês", "Crédito no fim do mês"]
    assert [tuple(c.value for c in row) for row in months.iter_rows(min_row=6)] == [
        ("01/2026", 1000),
        ("02/2026", 750),
        ("03/2026", 1050),
        ("04/2026", 1050),
    ]
    assert months["B6"].number_format == MONEY_FORMAT


def test_the_export_is_in_the_audit_log(tmp_path, history, monkeypatch):
    monkeypatch.setattr(
        passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    users.add_user("Ana Admin", login="ana", password="senha-boa", role="administrador")
    users.login("ana", "senha-boa")
    users.add_user("Fábio", login="fabio", password="senha-boa", role="financeiro")
    users.login("fabio", "senha-boa")
    try:
        credit_sheet.credit_rollforward_xlsx(
            tmp_path / "saldo.xlsx", date(2026, 1, 1), date(2026, 4, 30)
        )
        users.login("ana", "senha-boa")  # the audit log is the administrator's to read
        (entry,) = [e for e in audit.entries() if e.action == audit.EXPORT]
    finally:
        users.logout()
    assert entry.detail == "Saldo de créditos (01/01/2026 a 30/04/2026): saldo.xlsx"
    assert entry.user_name == "Fábio"


def test_a_period_ending_before_it_starts_writes_nothing(tmp_path, history):
    with pytest.raises(ValidationError):
        credit_sheet.credit_rollforward_xlsx(
            tmp_path / "saldo.xlsx", date(2026, 4, 1), date(2026, 3, 1)
        )
    assert list(tmp_path.iterdir()) == []


def test_the_suggested_name_says_the_period():
    assert credit_sheet.credit_export_name(date(2026, 1, 1), date(2026, 1, 31)) == (
        "saldo-de-creditos-2026-01-01-a-2026-01-31.xlsx"
    )
