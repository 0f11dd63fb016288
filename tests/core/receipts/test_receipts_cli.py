"""R21 from the command line: `r3izzy-desktop receipts --year 2026 --out FILE.xlsx` writes
the year's receipts for the accountant, cancelled ones marked."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from r3izzy_desktop import cli
from r3izzy_desktop.core import agenda, clinic, packages, payments
from r3izzy_desktop.core.database import close_database, open_database

pytestmark = pytest.mark.sqlite_only


def test_the_command_writes_the_years_receipts(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("R3IZZY_DATA_DIR", str(tmp_path / "dados"))
    path = tmp_path / "clinica.db"
    open_database(str(path))
    child = clinic.add_patient("Pedro Souza", guardian="Ana Souza", payer_cpf="52998224725")
    packages.create_package(child, 4, Decimal("1000.00"), date(2026, 3, 1))
    svc = clinic.add_service("Método Bobath", price=Decimal("250.00"))
    s = agenda.schedule(child, svc, datetime(2026, 3, 2, 10))
    payments.pay_manually([s], method="pix", paid_on=date(2026, 3, 2))
    payments.void_payment(s)
    packages.create_package(child, 1, Decimal("90.00"), date(2025, 12, 31))
    close_database()
    out = tmp_path / "recibos"
    code = cli.main(["receipts", "--year", "2026", "--out", str(out), "--db", str(path)])
    close_database()
    assert code == 0
    assert "2 recibo(s) de 2026 (1 válido(s))" in capsys.readouterr().out
    sheet = openpyxl.load_workbook(tmp_path / "recibos.xlsx").active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5, max_row=7)]
    assert [(r[0], r[2], r[3], r[6], r[9]) for r in rows[:2]] == [
        (1, "Ana Souza", "529.982.247-25", 1000, "não"),
        (2, "Ana Souza", "529.982.247-25", 250, "sim"),
    ]
    assert rows[2][2].startswith("Total (1 recibo válido)") and rows[2][6] == 1000
