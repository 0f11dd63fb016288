"""R10 offerable packages, R11 one active payment per session, R12 manual payment and void."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import peewee
import pytest

from r3izzy_desktop.core import agenda, clock, integrity, packages, payments
from r3izzy_desktop.core.errors import AlreadyPaid, NotFound, ValidationError
from r3izzy_desktop.core.packages import operations
from r3izzy_desktop.core.store.binding import db
from r3izzy_desktop.core.store.models import Payment
from tests.helpers.snapshot import db_snapshot

D = Decimal

# --- R10 -----------------------------------------------------------------------------------


def test_offerable_lists_ativo_with_sessions_left_oldest_payment_first(
    patient, other_patient, make_session, make_package
):
    newest = make_package(paid_on=date(2025, 6, 1))
    oldest = make_package(paid_on=date(2025, 1, 10))
    same_day_later = make_package(paid_on=date(2025, 1, 10))
    middle = make_package(paid_on=date(2025, 3, 5))
    inactive = make_package(paid_on=date(2024, 1, 1))
    packages.edit_package(inactive, status="inativo")
    finished = make_package(sessions=1, total="250.00", paid_on=date(2024, 2, 2))
    packages.pay_sessions(finished, [make_session(1, 10)])
    make_package(paid_on=date(2024, 3, 3), who=other_patient)

    offered = packages.offerable_packages(patient)
    assert [p.id for p in offered] == [oldest.id, same_day_later.id, middle.id, newest.id]
    # The first one is the one a screen preselects.
    assert offered[0].id == oldest.id
    assert packages.offerable_packages(patient.id) == offered


def test_offerable_is_empty_without_packages(patient):
    assert packages.offerable_packages(patient) == []


def test_list_packages_newest_first_and_by_status(patient, make_package):
    a = make_package(paid_on=date(2025, 1, 1))
    b = make_package(paid_on=date(2025, 2, 1))
    packages.edit_package(a, status="inativo")
    assert [s.id for s in packages.list_packages(patient)] == [b.id, a.id]
    assert [s.id for s in packages.list_packages(patient, status="inativo")] == [a.id]


# --- R11 -----------------------------------------------------------------------------------


def test_the_database_refuses_a_second_active_payment(patient, make_session):
    session = make_session(1, 10)
    payments.pay_manually([session], method="pix")
    with pytest.raises(peewee.IntegrityError), db.atomic():
        Payment.create(session=session, method="dinheiro", amount=D("250.00"), paid_on=date.today())
    assert Payment.select().count() == 1


def test_a_voided_payment_does_not_count(patient, make_session):
    session = make_session(1, 10)
    payments.pay_manually([session], method="pix")
    payments.void_payment(session)
    # A new active payment is allowed once the old one is voided.
    with db.atomic():
        Payment.create(session=session, method="dinheiro", amount=D("250.00"), paid_on=date.today())
    assert Payment.select().where(Payment.voided_at.is_null()).count() == 1


def test_a_lost_race_becomes_already_paid(patient, make_session, make_package, monkeypatch):
    """Two PCs paying the same session at once: the unique index makes the second fail,
    and the operation turns that into AlreadyPaid with nothing written."""
    pkg = make_package()
    session = make_session(1, 10)
    # The other PC's payment lands after this one's checks ran: simulate by hiding it
    # from the check, so only the database's unique index can stop the second payment.
    payments.pay_manually([session], method="pix")
    monkeypatch.setattr(operations, "active_payments", lambda ids: {})
    before = db_snapshot()
    with pytest.raises(AlreadyPaid) as caught:
        packages.pay_sessions(pkg, [session])
    assert "já foi paga" in caught.value.message
    assert db_snapshot() == before


# --- R12 -----------------------------------------------------------------------------------


def test_manual_payment_pays_the_price_and_touches_no_package(patient, make_session, make_package):
    pkg = make_package()
    session = make_session(1, 10, price=D("180.00"))
    before = packages.summary(pkg)
    [payment] = payments.pay_manually(
        [session], method="Cartão de crédito", paid_on=date(2025, 4, 1), info="2x"
    )
    assert (payment.method, payment.amount, payment.paid_on, payment.info) == (
        "cartao_credito",
        D("180.00"),
        date(2025, 4, 1),
        "2x",
    )
    assert payment.package_id is None
    assert payment.operator
    assert packages.summary(pkg) == before
    assert len(packages.history(pkg)) == 1
    info = payments.payment_info(session)
    assert info.paid and info.kind == "manual"
    assert info.text == "Cartão de crédito — R$ 180,00 em 01/04/2025 (2x)"
    assert integrity.check() == []


def test_manual_payment_date_defaults_to_today(patient, make_session):
    session = make_session(1, 10)
    with clock.frozen(datetime(2025, 4, 2, 8, 0)):
        [payment] = payments.pay_manually([session], method="dinheiro")
    assert payment.paid_on == date(2025, 4, 2)


@pytest.mark.parametrize(
    ("method", "key"),
    [
        ("pix", "pix"),
        ("Pix", "pix"),
        ("Dinheiro", "dinheiro"),
        ("Cartão de débito", "cartao_debito"),
        ("cartao_credito", "cartao_credito"),
        ("Transferência", "transferencia"),
        ("Outro", "outro"),
    ],
)
def test_method_names(method, key):
    assert payments.normalize_method(method) == key


def test_several_manual_payments_all_or_nothing(patient, make_session):
    a, b, paid = make_session(1, 10), make_session(2, 10), make_session(3, 10)
    payments.pay_manually([paid], method="pix")
    before = db_snapshot()
    with pytest.raises(AlreadyPaid):
        payments.pay_manually([a, b, paid], method="dinheiro")  # a and b were written first
    assert db_snapshot() == before
    created = payments.pay_manually([a, b], method="dinheiro")
    assert [p.session_id for p in created] == [a.id, b.id]


@pytest.mark.parametrize(
    "call",
    [
        lambda s: payments.pay_manually([s], method="cheque"),
        lambda s: payments.pay_manually([], method="pix"),
        lambda s: payments.pay_manually([s, s], method="pix"),
        lambda s: payments.pay_manually([s], method="pix", paid_on="31/02/2025"),
        lambda s: payments.pay_manually([s], method="pix", info="x" * 501),
    ],
)
def test_manual_payment_refusals(patient, make_session, call):
    session = make_session(1, 10)
    before = db_snapshot()
    with pytest.raises(ValidationError):
        call(session)
    assert db_snapshot() == before


def test_a_free_session_cannot_be_paid_manually(patient, make_session):
    session = make_session(1, 10, price=D("0.00"))
    with pytest.raises(ValidationError) as caught:
        payments.pay_manually([session])
    assert "sem valor" in caught.value.message


def test_unknown_session(db):
    with pytest.raises(NotFound):
        payments.pay_manually([12345])


def test_paying_by_hand_a_paid_session_says_how_it_was_paid(patient, make_session, make_package):
    """The same checks and words as paying with a package (one helper for both)."""
    pkg = make_package()
    by_package, deleted = make_session(1, 10), make_session(2, 10)
    packages.pay_sessions(pkg, [by_package])
    agenda.delete_session(deleted)
    before = db_snapshot()
    with pytest.raises(AlreadyPaid) as caught:
        payments.pay_manually([by_package], method="pix")
    assert caught.value.message == (
        f"A sessão de 01/04 10:00 já está paga (pacote No. {pkg.number})."
    )
    assert caught.value.session_id == by_package.id
    with pytest.raises(ValidationError, match="02/04 10:00 foi excluída e não pode ser paga"):
        payments.pay_manually([deleted], method="pix")
    assert db_snapshot() == before


def test_paying_by_hand_reads_the_payments_once(db, patient, make_session, monkeypatch):
    """One query for the sessions and one for their payments, however many: each more
    session adds only its own INSERT (no query per session)."""
    sessions = [make_session(day, 10) for day in range(1, 9)]
    executed: list[str] = []
    original = db.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        executed.append(sql)
        return original(sql, params, *args, **kwargs)

    monkeypatch.setattr(db, "execute_sql", counting)
    payments.pay_manually(sessions[:2], method="pix")
    two = len(executed)
    executed.clear()
    payments.pay_manually(sessions[2:], method="pix")
    assert len(executed) - two == 4


def test_void_leaves_the_session_unpaid(patient, make_session):
    session = make_session(1, 10)
    payments.pay_manually([session], method="pix")
    voided = payments.void_payment(session)
    assert voided.voided_at is not None and voided.void_reason == "estorno"
    assert payments.active_payment(session) is None
    assert payments.payment_info(session).text == "Em aberto"
    # It can be paid again.
    payments.pay_manually([session], method="dinheiro")
    assert payments.active_payment(session).method == "dinheiro"
    assert integrity.check() == []


def test_voiding_a_package_debit_is_refused(patient, make_session, make_package):
    pkg = make_package()
    session = make_session(1, 10)
    packages.pay_sessions(pkg, [session])
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        payments.void_payment(session)
    assert "pacote" in caught.value.message
    assert db_snapshot() == before


def test_voiding_an_unpaid_session_is_refused(patient, make_session):
    session = make_session(1, 10)
    with pytest.raises(ValidationError):
        payments.void_payment(session)


def test_payment_info_names_the_package_and_its_balance(patient, make_session, make_package):
    with clock.frozen(datetime(2025, 6, 18, 17, 5, 10)):
        pkg = make_package(sessions=5, total="1250.00")
    session = make_session(1, 10)
    packages.pay_sessions(pkg, [session])
    info = payments.payment_info(session)
    assert (info.paid, info.kind, info.package_id, info.package_number) == (
        True,
        "pacote",
        pkg.id,
        "250618170510",
    )
    assert "Pacote No. 250618170510" in info.text
    assert "4 de 5 sessões" in info.text
    assert "R$ 1.000,00 em aberto" in info.text
