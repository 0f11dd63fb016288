"""R4/R5 figures and debit amounts, R6 paying sessions with a package (checks in order)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, integrity, packages, payments
from r3izzy_desktop.core.errors import (
    AlreadyPaid,
    NotEnoughSessions,
    PackageNotActive,
    PriceMismatch,
    ValidationError,
)
from r3izzy_desktop.core.packages import ledger
from r3izzy_desktop.core.store.models import Payment, Session
from tests.helpers.snapshot import db_snapshot

D = Decimal


def debits_of(pkg):
    return [(line.note, line.amount) for line in packages.history(pkg) if line.kind != "criado"]


# --- R5 arithmetic -------------------------------------------------------------------------


def test_next_debit_of_1000_for_3_sessions():
    assert ledger.debit_schedule(D("1000.00"), 3, 3) == [D("333.33"), D("333.34"), D("333.33")]


@pytest.mark.parametrize(
    ("total", "sessions"),
    [("1000.00", 3), ("0.01", 7), ("100.00", 7), ("9999999.99", 999), ("10.00", 6), ("1.00", 3)],
)
def test_schedule_always_sums_to_the_total(total, sessions):
    amounts = ledger.debit_schedule(D(total), sessions, sessions)
    assert sum(amounts) == D(total)
    assert all(a >= 0 and a == a.quantize(D("0.01")) for a in amounts)


# --- R4/R5 through the API -----------------------------------------------------------------


def test_1000_for_3_debits_333_33_then_333_34_then_333_33(patient, make_session, make_package):
    pkg = make_package(sessions=3, total="1000.00")
    sessions = [make_session(1, 10), make_session(2, 10), make_session(3, 10)]
    opened = []
    for session in sessions:
        preview = packages.summary(pkg).next_debit
        packages.pay_sessions(pkg, [session], accept_price_adjustment=True)
        figures = packages.summary(pkg)
        opened.append((preview, figures.open_amount, figures.sessions_left, figures.status))
    assert opened == [
        (D("333.33"), D("666.67"), 2, "ativo"),
        (D("333.34"), D("333.33"), 1, "ativo"),
        (D("333.33"), D("0.00"), 0, "finalizado"),
    ]
    assert [p.amount for p in packages.paid_sessions(pkg)] == [
        D("333.33"),
        D("333.34"),
        D("333.33"),
    ]
    # Each paid session's price became its debit (accepted adjustment).
    assert [Session.get_by_id(s.id).price for s in sessions] == [
        D("333.33"),
        D("333.34"),
        D("333.33"),
    ]
    assert packages.summary(pkg).next_debit is None
    assert integrity.check() == []


def test_1000_for_3_paid_at_once_is_the_same(patient, make_session, make_package):
    pkg = make_package(sessions=3, total="1000.00")
    sessions = [make_session(1, 10), make_session(2, 10), make_session(3, 10)]
    packages.pay_sessions(pkg, sessions, accept_price_adjustment=True)
    assert [line.amount for line in packages.history(pkg)[1:]] == [
        D("333.33"),
        D("333.34"),
        D("333.33"),
    ]
    assert [line.open_amount for line in packages.history(pkg)[1:]] == [
        D("666.67"),
        D("333.33"),
        D("0.00"),
    ]
    figures = packages.summary(pkg)
    assert (figures.open_amount, figures.sessions_left, figures.status) == (
        D("0.00"),
        0,
        "finalizado",
    )


def test_matching_price_pays_without_adjustment(patient, make_session, make_package):
    pkg = make_package(sessions=4, total="1000.00")
    session = make_session(1, 10)  # the service's price: 250,00 = the debit
    returned = packages.pay_sessions(pkg, [session])
    assert returned.id == pkg.id
    assert (pkg.sessions_used, pkg.open_amount) == (1, D("750.00"))  # caller's instance refreshed
    payment = payments.active_payment(session)
    assert (payment.package_id, payment.amount, payment.method) == (pkg.id, D("250.00"), "pacote")
    [line] = packages.history(pkg)[1:]
    assert (line.kind, line.note, line.status, line.sessions_left, line.open_amount) == (
        "sessão debitada",
        "Debitada pela sessão 01/04 10:00",
        "ativo",
        3,
        D("750.00"),
    )
    assert line.session_id == session.id
    assert line.price_per_session == D("250.00")


def test_several_sessions_are_debited_in_chronological_order(patient, make_session, make_package):
    pkg = make_package(sessions=3, total="1000.00")
    late, early, middle = make_session(20, 9), make_session(2, 9, 30), make_session(9, 14)
    packages.pay_sessions(pkg, [late, early, middle], accept_price_adjustment=True)
    assert debits_of(pkg) == [
        ("Debitada pela sessão 02/04 09:30", D("333.33")),
        ("Debitada pela sessão 09/04 14:00", D("333.34")),
        ("Debitada pela sessão 20/04 09:00", D("333.33")),
    ]
    assert [p.session_id for p in packages.paid_sessions(pkg)] == [early.id, middle.id, late.id]


def test_equal_start_times_are_debited_in_the_order_of_their_ids(
    patient, make_session, make_package
):
    pkg = make_package(sessions=3, total="1000.00")
    a, b = make_session(2, 9), make_session(2, 9)
    packages.pay_sessions(pkg, [b, a], accept_price_adjustment=True)
    lines = packages.history(pkg)[1:]
    assert [line.session_id for line in lines] == [a.id, b.id]


def test_the_last_debit_turns_the_package_finalizado(patient, make_session, make_package):
    pkg = make_package(sessions=2, total="500.00")
    packages.pay_sessions(pkg, [make_session(1, 10)])
    assert packages.summary(pkg).status == "ativo"
    packages.pay_sessions(pkg, [make_session(2, 10)])
    lines = packages.history(pkg)
    assert [line.status for line in lines] == ["ativo", "ativo", "finalizado"]
    assert packages.summary(pkg).status == "finalizado"
    assert packages.offerable_packages(patient) == []


# --- R6 checks, one by one ------------------------------------------------------------------


@pytest.mark.parametrize("status", ["inativo", "finalizado"])
def test_only_an_ativo_package_pays(patient, make_session, make_package, status):
    pkg = make_package(sessions=1, total="250.00")
    if status == "inativo":
        packages.edit_package(pkg, status="inativo")
    else:
        packages.pay_sessions(pkg, [make_session(1, 9)])
    session = make_session(2, 10)
    before = db_snapshot()
    with pytest.raises(PackageNotActive) as caught:
        packages.pay_sessions(pkg, [session])
    assert status in caught.value.message
    assert db_snapshot() == before


def test_already_paid_by_a_package(patient, make_session, make_package):
    first, second = make_package(), make_package()
    session = make_session(1, 10)
    packages.pay_sessions(first, [session])
    before = db_snapshot()
    with pytest.raises(AlreadyPaid) as caught:
        packages.pay_sessions(second, [session])
    assert caught.value.session_id == session.id
    assert "já está paga" in caught.value.message
    assert f"pacote No. {first.number}" in caught.value.message
    assert db_snapshot() == before


def test_already_paid_manually(patient, make_session, make_package):
    pkg = make_package()
    session = make_session(1, 10)
    payments.pay_manually([session], method="pix")
    another = make_session(2, 10)
    before = db_snapshot()
    with pytest.raises(AlreadyPaid) as caught:
        packages.pay_sessions(pkg, [another, session])
    assert "Pix" in caught.value.message
    assert db_snapshot() == before


def test_another_patients_session(patient, other_patient, make_session, make_package):
    pkg = make_package()
    foreign = make_session(1, 10, patient=other_patient)
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        packages.pay_sessions(pkg, [foreign])
    assert "outro paciente" in caught.value.message
    assert db_snapshot() == before


def test_deleted_session(patient, make_session, make_package):
    pkg = make_package()
    session = make_session(1, 10)
    agenda.delete_session(session)
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        packages.pay_sessions(pkg, [session])
    assert "excluída" in caught.value.message
    assert db_snapshot() == before


def test_justified_absence(patient, make_session, make_package):
    pkg = make_package()
    session = make_session(1, 10)
    agenda.set_attendance(session, "falta_justificada")
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        packages.pay_sessions(pkg, [session])
    assert "falta justificada" in caught.value.message
    assert db_snapshot() == before


def test_plain_absence_and_done_sessions_can_be_paid(patient, make_session, make_package):
    pkg = make_package()
    missed, done = make_session(1, 10), make_session(2, 10)
    agenda.set_attendance(missed, "falta")
    agenda.set_attendance(done, "realizada")
    packages.pay_sessions(pkg, [missed, done])
    assert packages.summary(pkg).sessions_used == 2


def test_not_enough_sessions_pays_nothing(patient, make_session, make_package):
    pkg = make_package(sessions=2, total="500.00")
    sessions = [make_session(day, 10) for day in (1, 2, 3)]
    before = db_snapshot()
    with pytest.raises(NotEnoughSessions) as caught:
        packages.pay_sessions(pkg, sessions)
    assert (caught.value.requested, caught.value.available) == (3, 2)
    assert "Ajuste o pacote" in caught.value.message
    assert "2 sessões restantes" in caught.value.message
    assert db_snapshot() == before


def test_price_mismatch_lists_each_session_with_price_and_debit(
    patient, make_session, make_package
):
    pkg = make_package(sessions=3, total="1000.00")
    s1, s2 = make_session(1, 10), make_session(2, 10, price=D("333.34"))
    before = db_snapshot()
    with pytest.raises(PriceMismatch) as caught:
        packages.pay_sessions(pkg, [s2, s1])
    differences = caught.value.differences
    # Only s1 differs: s2 is debited 333,34, which is its price.
    assert [(d.session_id, d.price, d.debit_amount) for d in differences] == [
        (s1.id, D("250.00"), D("333.33"))
    ]
    assert differences[0].service_name == "Método Bobath"
    assert differences[0].starts_at == datetime(2025, 4, 1, 10, 0)
    assert "01/04 10:00 Método Bobath: R$ 250,00 → R$ 333,33" in caught.value.message
    assert db_snapshot() == before  # cancel pays nothing


def test_price_mismatch_lists_every_differing_session(patient, make_session, make_package):
    pkg = make_package(sessions=3, total="1000.00")
    sessions = [make_session(day, 10) for day in (3, 1, 2)]
    with pytest.raises(PriceMismatch) as caught:
        packages.pay_sessions(pkg, sessions)
    assert [(d.starts_at.day, d.price, d.debit_amount) for d in caught.value.differences] == [
        (1, D("250.00"), D("333.33")),
        (2, D("250.00"), D("333.34")),
        (3, D("250.00"), D("333.33")),
    ]


def test_accepting_the_adjustment_sets_the_price_and_pays(patient, make_session, make_package):
    pkg = make_package(sessions=3, total="1000.00")
    session = make_session(1, 10)
    packages.pay_sessions(pkg, [session], accept_price_adjustment=True)
    assert session.price == D("333.33")  # caller's instance refreshed
    assert Session.get_by_id(session.id).price == D("333.33")
    assert payments.active_payment(session).amount == D("333.33")
    assert integrity.check() == []


def test_check_order_status_before_sessions(patient, other_patient, make_session, make_package):
    pkg = make_package(sessions=1, total="250.00")
    packages.edit_package(pkg, status="inativo")
    foreign = make_session(1, 10, patient=other_patient)
    with pytest.raises(PackageNotActive):
        packages.pay_sessions(pkg, [foreign, make_session(2, 10), make_session(3, 10)])


def test_check_order_sessions_before_count(patient, other_patient, make_session, make_package):
    pkg = make_package(sessions=1, total="250.00")
    paid = make_session(1, 10)
    payments.pay_manually([paid])
    with pytest.raises(AlreadyPaid):
        packages.pay_sessions(pkg, [make_session(2, 10), paid])
    foreign = make_session(3, 10, patient=other_patient)
    with pytest.raises(ValidationError):
        packages.pay_sessions(pkg, [make_session(4, 10), foreign])


def test_check_order_count_before_prices(patient, make_session, make_package):
    pkg = make_package(sessions=1, total="100.00")
    with pytest.raises(NotEnoughSessions):
        packages.pay_sessions(pkg, [make_session(1, 10), make_session(2, 10)])


def test_a_session_selected_twice_is_refused(patient, make_session, make_package):
    pkg = make_package()
    session = make_session(1, 10)
    with pytest.raises(ValidationError):
        packages.pay_sessions(pkg, [session, session.id])
    assert packages.summary(pkg).sessions_used == 0


def test_nothing_selected_is_refused(make_package):
    pkg = make_package()
    with pytest.raises(ValidationError):
        packages.pay_sessions(pkg, [])


def test_a_failure_in_the_middle_of_several_pays_none(patient, make_session, make_package):
    pkg = make_package(sessions=4, total="1000.00")
    good = [make_session(1, 10), make_session(2, 10)]
    odd = make_session(3, 10, price=D("1.00"))
    before = db_snapshot()
    with pytest.raises(PriceMismatch):
        packages.pay_sessions(pkg, [*good, odd])
    assert db_snapshot() == before
    assert Payment.select().count() == 0


def test_session_ids_and_package_numbers_are_accepted(patient, make_session, make_package):
    pkg = make_package()
    session = make_session(1, 10)
    packages.pay_sessions(pkg.number, [session.id])
    assert packages.summary(pkg.id).sessions_used == 1


def test_debit_preview_matches_what_is_paid(patient, make_session, make_package):
    pkg = make_package(sessions=3, total="1000.00")
    sessions = [make_session(day, 10) for day in (3, 1, 2)]
    preview = [(s.id, amount) for s, amount in packages.debit_preview(pkg, sessions)]
    packages.pay_sessions(pkg, sessions, accept_price_adjustment=True)
    assert preview == [(p.session_id, p.amount) for p in packages.paid_sessions(pkg)]


def test_open_sessions_for_lists_what_the_package_could_pay(
    patient, other_patient, make_session, make_package
):
    pkg = make_package()
    open_one = make_session(5, 10)
    paid = make_session(1, 10)
    payments.pay_manually([paid])
    gone = make_session(2, 10)
    agenda.delete_session(gone)
    excused = make_session(3, 10)
    agenda.set_attendance(excused, "falta_justificada")
    make_session(4, 10, patient=other_patient)
    assert [s.id for s in packages.open_sessions_for(pkg)] == [open_one.id]
