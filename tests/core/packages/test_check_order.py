"""R6, extended: the order of the checks when paying sessions from a package.

The package's status; then each session, in chronological order, the first failure
raised: AlreadyPaid, a ValidationError (not the owner's nor a sharer's, deleted, justified
absence), ServiceNotCovered, PackageExpired; then the count; then the prices. Every
refusal leaves the database as it was."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, clinic, packages, payments
from r3izzy_desktop.core.errors import (
    AlreadyPaid,
    NotEnoughSessions,
    PackageExpired,
    PackageNotActive,
    PriceMismatch,
    ServiceNotCovered,
    ValidationError,
)
from tests.helpers.snapshot import db_snapshot

D = Decimal


@pytest.fixture
def w(db):
    ana = clinic.add_patient("Ana Souza")
    pedro = clinic.add_patient("Pedro Souza")
    bruno = clinic.add_patient("Bruno Lima")
    bobath = clinic.add_service("Método Bobath", price=D("250.00"))
    therasuite = clinic.add_service("Método Therasuite", price=D("250.00"))
    pkg = packages.create_package(
        ana,
        2,
        D("500.00"),
        paid_on=date(2026, 3, 1),
        valid_until=date(2026, 4, 10),
        services=[bobath],
        shared_with=[pedro],
    )

    def at(day, who=ana, service=bobath, **kw):
        return agenda.schedule(who, service, datetime(2026, 4, day, 10, 0), **kw)

    paid = at(1)
    payments.pay_manually([paid], method="pix")
    excused = at(2)
    agenda.set_attendance(excused, "falta_justificada")
    return {
        "pkg": pkg,
        "at": at,
        "ana": ana,
        "pedro": pedro,
        "bruno": bruno,
        "bobath": bobath,
        "therasuite": therasuite,
        "paid": paid,
        "excused": excused,
    }


def refused(w, sessions, error, **kwargs):
    before = db_snapshot()
    with pytest.raises(error) as caught:
        packages.pay_sessions(w["pkg"], sessions, **kwargs)
    assert db_snapshot() == before
    return caught.value


def test_the_status_comes_before_every_session(w):
    packages.edit_package(w["pkg"], status="inativo")
    refused(w, [w["paid"], w["at"](3, who=w["bruno"])], PackageNotActive)


def test_sessions_are_checked_in_chronological_order_whatever_the_order_given(w):
    late_uncovered = w["at"](5, service=w["therasuite"])
    early_foreign = w["at"](4, who=w["bruno"])
    error = refused(w, [late_uncovered, early_foreign], ValidationError)
    assert not isinstance(error, ServiceNotCovered)
    assert "Bruno Lima" in error.message
    expired = w["at"](20)
    uncovered = w["at"](6, service=w["therasuite"])
    refused(w, [expired, uncovered], ServiceNotCovered)
    refused(w, [expired, w["paid"]], AlreadyPaid)  # 01/04 comes first


def test_within_one_session_paid_then_patient_then_service_then_validity(w):
    refused(w, [w["paid"]], AlreadyPaid)
    foreign_late_uncovered = w["at"](25, who=w["bruno"], service=w["therasuite"])
    assert not isinstance(refused(w, [foreign_late_uncovered], ValidationError), ServiceNotCovered)
    refused(w, [w["excused"]], ValidationError)
    late_uncovered = w["at"](26, service=w["therasuite"])
    refused(w, [late_uncovered], ServiceNotCovered)
    refused(w, [w["at"](27, who=w["pedro"])], PackageExpired)


def test_each_session_comes_before_the_count_and_the_count_before_the_prices(w):
    a, b, c = w["at"](3), w["at"](4, who=w["pedro"]), w["at"](5)
    refused(w, [a, b, c, w["at"](28)], PackageExpired)
    refused(w, [a, b, c], NotEnoughSessions, accept_price_adjustment=True)
    odd = w["at"](6, price=D("99.00"))
    error = refused(w, [a, odd], PriceMismatch)
    assert [d.session_id for d in error.differences] == [odd.id]
    packages.pay_sessions(w["pkg"], [odd, b], accept_price_adjustment=True)
    assert packages.summary(w["pkg"]).status == "finalizado"
