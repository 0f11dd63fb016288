"""What the Receitas page reads first for a long period: `receitas.first_sessions` is the
start of `receitas.sessions` and `receitas.count` its length, with every filter."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, clinic, packages, payments
from r3izzy_desktop.core.reports import receitas


@pytest.fixture
def month(db, patient, service):
    bruno = clinic.add_patient("Bruno Lima")
    fono = clinic.add_service("Fonoaudiologia", price=Decimal("190.00"))
    made = [
        agenda.schedule(
            patient if day % 3 else bruno,
            service if day % 2 else fono,
            datetime(2025, 4, day, 8 + day % 7),
        )
        for day in range(1, 29)
    ]
    package = packages.create_package(patient, 4, Decimal("1000.00"))
    packages.pay_sessions(package, [made[0], made[4]], accept_price_adjustment=True)
    payments.pay_manually([made[2], made[5]], method="pix")
    agenda.set_attendance(made[7], "falta_justificada")
    agenda.delete_session(made[9])
    return {"bruno": bruno, "fono": fono}


@pytest.mark.parametrize("situation", [None, "pago", "aberto"])
@pytest.mark.parametrize("who", [None, "bruno"])
@pytest.mark.parametrize("what", [None, "fono"])
def test_first_rows_and_count_follow_sessions(month, situation, who, what):
    filters = {
        "patient": month[who] if who else None,
        "service": month[what] if what else None,
        "situation": situation,
    }
    start, end = date(2025, 4, 1), date(2025, 4, 30)
    everything = receitas.sessions(start, end, **filters)
    assert receitas.count(start, end, **filters) == len(everything)
    for limit in (1, 3, 100):
        assert receitas.first_sessions(start, end, limit, **filters) == everything[:limit]
    if situation is None and who is None and what is None:
        assert len(everything) == 27  # one deleted


def test_a_backwards_period_is_refused(month):
    with pytest.raises(receitas.ValidationError):
        receitas.count(date(2025, 5, 1), date(2025, 4, 1))
