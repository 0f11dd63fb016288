"""R10, extended: which packages are offered (for a session, or for a patient) and in what
order; and what "Pagar sessões existentes" lists for a package (its open sessions)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, clinic, clock, packages

D = Decimal


@pytest.fixture
def w(db):
    return {
        "ana": clinic.add_patient("Ana Souza"),
        "pedro": clinic.add_patient("Pedro Souza"),
        "bruno": clinic.add_patient("Bruno Lima"),
        "bobath": clinic.add_service("Método Bobath", price=D("250.00")),
        "therasuite": clinic.add_service("Método Therasuite", price=D("250.00")),
    }


def make(owner, paid_on, **terms):
    return packages.create_package(owner, 4, D("1000.00"), paid_on=paid_on, **terms)


def ids(rows):
    return [row.id for row in rows]


def test_validity_first_earliest_first_then_the_oldest_payment(w):
    ana = w["ana"]
    no_limit_old = make(ana, date(2026, 1, 5))
    late = make(ana, date(2026, 2, 1), valid_until=date(2026, 9, 30))
    no_limit_older = make(ana, date(2025, 12, 1))
    soon = make(ana, date(2026, 3, 1), valid_until=date(2026, 6, 30))
    soon_older = make(ana, date(2026, 2, 20), valid_until=date(2026, 6, 30))
    expected = [soon_older.id, soon.id, late.id, no_limit_older.id, no_limit_old.id]
    with clock.frozen(datetime(2026, 4, 1, 9, 0)):
        assert ids(packages.offerable_packages(ana)) == expected
        s = agenda.schedule(ana, w["bobath"], datetime(2026, 4, 2, 10, 0))
        assert ids(packages.offerable_packages(ana, session=s)) == expected


def test_for_a_session_only_the_packages_that_can_pay_it(w):
    ana, bobath = w["ana"], w["bobath"]
    fits = make(ana, date(2026, 1, 1))
    other_service = make(ana, date(2026, 1, 1), services=[w["therasuite"]])
    same_service = make(ana, date(2026, 1, 2), services=[bobath, w["therasuite"]])
    ended_before = make(ana, date(2026, 1, 1), valid_until=date(2026, 3, 31))
    last_day = make(ana, date(2026, 1, 1), valid_until=date(2026, 4, 2))
    inactive = make(ana, date(2026, 1, 1))
    packages.edit_package(inactive, status="inativo")
    foreign = make(w["bruno"], date(2026, 1, 1))
    s = agenda.schedule(ana, bobath, datetime(2026, 4, 2, 18, 0))
    with clock.frozen(datetime(2026, 5, 1, 9, 0)):
        # A past session: a package vencido today still pays what fell within its validity.
        offered = ids(packages.offerable_packages(ana, session=s))
        assert offered == [last_day.id, fits.id, same_service.id]
        # Without a session the vencido ones are left out.
        assert ids(packages.offerable_packages(ana)) == [fits.id, other_service.id, same_service.id]
    assert ended_before.id not in offered and foreign.id not in offered


def test_a_shared_package_is_offered_to_the_sibling(w):
    shared = make(w["ana"], date(2026, 1, 1), shared_with=[w["pedro"]])
    his_own = make(w["pedro"], date(2026, 2, 1))
    s = agenda.schedule(w["pedro"], w["bobath"], datetime(2026, 4, 2, 10, 0))
    assert ids(packages.offerable_packages(w["pedro"], session=s)) == [shared.id, his_own.id]
    assert ids(packages.offerable_packages(w["bruno"])) == []
    assert packages.summary(shared).patient_name == "Ana Souza"  # the owner: "de Ana Souza"


def test_several_sessions_are_offered_what_pays_them_all(w):
    ana = w["ana"]
    bobath_only = make(ana, date(2026, 1, 1), services=[w["bobath"]])
    any_service = make(ana, date(2026, 1, 2))
    a = agenda.schedule(ana, w["bobath"], datetime(2026, 4, 2, 10, 0))
    b = agenda.schedule(ana, w["therasuite"], datetime(2026, 4, 3, 10, 0))
    assert ids(packages.offerable_for_sessions(ana, [a])) == [bobath_only.id, any_service.id]
    assert ids(packages.offerable_for_sessions(ana, [a, b])) == [any_service.id]
    assert ids(packages.offerable_for_sessions(ana, [])) == [bobath_only.id, any_service.id]


def test_open_sessions_are_those_the_package_could_pay(w):
    pkg = make(
        w["ana"],
        date(2026, 3, 1),
        valid_until=date(2026, 4, 10),
        services=[w["bobath"]],
        shared_with=[w["pedro"]],
    )

    def at(day, who, service):
        return agenda.schedule(who, service, datetime(2026, 4, day, 10, 0))

    hers = at(1, w["ana"], w["bobath"])
    his = at(2, w["pedro"], w["bobath"])
    at(3, w["ana"], w["therasuite"])  # not covered
    at(4, w["bruno"], w["bobath"])  # not shared with him
    at(11, w["ana"], w["bobath"])  # after the last day
    listed = packages.open_sessions_for(pkg)
    assert [s.id for s in listed] == [hers.id, his.id]
    assert [s.patient.name for s in listed] == ["Ana Souza", "Pedro Souza"]
    assert [s.id for s in packages.open_sessions_for(pkg, end=date(2026, 4, 1))] == [hers.id]
