"""The report's rows, made quickly from raw rows (package_report._RowMaker), are the dataclass
rows the plain way would give: the same fields, equal, hashable, frozen."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from r3izzy_desktop.core import clinic, packages, reports
from r3izzy_desktop.core.packages import ledger
from r3izzy_desktop.core.reports import PackageReportRow


def test_rows_equal_the_plain_dataclass(db, patient):
    bruno = clinic.add_patient("Bruno Lima")
    packages.create_package(patient, 3, Decimal("1000.00"), paid_on=date(2025, 5, 2))
    packages.create_package(patient, 3, Decimal("1000.00"), paid_on=date(2025, 5, 2))
    packages.create_package(bruno, 7, Decimal("999.99"), paid_on=date(2025, 6, 1), notes="x")
    report = reports.package_report()
    for row in report.rows:
        stored = packages.get_package(row.package_id)
        plain = PackageReportRow(
            package_id=stored.id,
            patient_id=stored.patient_id,
            patient_name=stored.patient.name,
            number=stored.number,
            paid_on=stored.paid_on,
            status=stored.status,
            total=stored.total,
            open_amount=stored.open_amount,
            price_per_session=ledger.price_per_session(stored.total, stored.sessions_total),
            sessions_total=stored.sessions_total,
            sessions_used=stored.sessions_used,
            sessions_left=stored.sessions_total - stored.sessions_used,
            notes=stored.notes,
        )
        assert row == plain and hash(row) == hash(plain)
        assert dataclasses.replace(row) == row
        with pytest.raises(dataclasses.FrozenInstanceError):
            row.total = Decimal("1.00")  # type: ignore[misc]
    assert [r.price_per_session for r in report.rows] == [
        Decimal("333.33"),
        Decimal("333.33"),
        Decimal("142.86"),
    ]
