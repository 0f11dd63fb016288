"""Plurals on the receipt and the screens that count sessions (issue 15, item 13: the
receipt said "1 de 5 sessão restante")."""

from datetime import date
from decimal import Decimal

import pytest

from r3izzy_desktop.core import packages, reports
from r3izzy_desktop.core.payments import payment_info


@pytest.mark.parametrize(
    ("used", "shown"),
    [
        (4, "1 sessão restante de 5"),
        (3, "2 sessões restantes de 5"),
        (5, "0 sessões restantes de 5"),
    ],
)
def test_the_receipts_balance_agrees_with_its_count(db, patient, make_session, used, shown):
    pkg = packages.create_package(patient, 5, Decimal("1250.00"), paid_on=date(2025, 3, 1))
    packages.pay_sessions(pkg, [make_session(day, 10) for day in range(1, used + 1)])
    assert reports.package_receipt(pkg.id).balance_text == shown


def test_a_one_session_package_is_one_session(db, patient, make_session):
    pkg = packages.create_package(patient, 1, Decimal("250.00"), paid_on=date(2025, 3, 1))
    session = make_session(1, 10)
    packages.pay_sessions(pkg, [session])
    info = payment_info(session)
    assert "saldo 0 de 1 sessão," in info.text, info.text
