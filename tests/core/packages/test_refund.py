"""R7 credit back (reembolso), through the paid list, a justified absence and deletion."""

from __future__ import annotations

from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, integrity, packages, payments
from r3izzy_desktop.core.errors import ValidationError
from r3izzy_desktop.core.store.models import Payment
from tests.helpers.snapshot import db_snapshot

D = Decimal


def last_line(pkg):
    return packages.history(pkg)[-1]


def test_refund_gives_the_same_amount_back(patient, make_session, make_package):
    pkg = make_package(sessions=3, total="1000.00")
    s1, s2, s3 = make_session(1, 10), make_session(2, 10), make_session(3, 10)
    packages.pay_sessions(pkg, [s1, s2], accept_price_adjustment=True)  # 333,33 + 333,34
    returned = packages.refund_session(s2)
    assert returned.id == pkg.id
    figures = packages.summary(pkg)
    assert (figures.sessions_used, figures.open_amount) == (1, D("666.67"))
    line = last_line(pkg)
    assert (line.kind, line.note, line.amount, line.session_id) == (
        "sessão creditada",
        "Creditada pela sessão 02/04 10:00",
        D("333.34"),
        s2.id,
    )
    assert (line.status, line.sessions_left, line.open_amount) == ("ativo", 2, D("666.67"))
    assert payments.active_payment(s2) is None  # unpaid again
    assert [p.session_id for p in packages.paid_sessions(pkg)] == [s1.id]
    # The voided debit stays, marked (history keeps its reference).
    voided = Payment.get(Payment.session == s2.id)
    assert voided.voided_at is not None and voided.void_reason == "reembolso"
    # It can be paid again; it takes what R5 gives now.
    packages.pay_sessions(pkg, [s3], accept_price_adjustment=True)
    assert payments.active_payment(s3).amount == D("333.34")
    assert integrity.check() == []


def test_refund_reopens_a_finalizado_package(patient, make_session, make_package):
    pkg = make_package(sessions=2, total="500.00")
    s1, s2 = make_session(1, 10), make_session(2, 10)
    packages.pay_sessions(pkg, [s1, s2])
    assert packages.summary(pkg).status == "finalizado"
    packages.refund_session(s1)
    figures = packages.summary(pkg)
    assert (figures.status, figures.sessions_left, figures.open_amount) == (
        "ativo",
        1,
        D("250.00"),
    )
    assert last_line(pkg).status == "ativo"
    assert integrity.check() == []


def test_refund_keeps_an_inativo_package_inativo(patient, make_session, make_package):
    pkg = make_package(sessions=4, total="1000.00")
    session = make_session(1, 10)
    packages.pay_sessions(pkg, [session])
    packages.edit_package(pkg, status="inativo")
    packages.refund_session(session)
    figures = packages.summary(pkg)
    assert (figures.status, figures.sessions_left, figures.open_amount) == (
        "inativo",
        4,
        D("1000.00"),
    )
    assert last_line(pkg).status == "inativo"
    assert integrity.check() == []


def test_refund_of_an_unpaid_session_is_an_error(patient, make_session):
    session = make_session(1, 10)
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        packages.refund_session(session)
    assert "não está paga" in caught.value.message
    assert db_snapshot() == before


def test_refund_of_a_manual_payment_is_an_error(patient, make_session):
    session = make_session(1, 10)
    payments.pay_manually([session], method="dinheiro")
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        packages.refund_session(session)
    assert "manualmente" in caught.value.message
    assert db_snapshot() == before


def test_refund_twice_is_an_error(patient, make_session, make_package):
    pkg = make_package()
    session = make_session(1, 10)
    packages.pay_sessions(pkg, [session])
    packages.refund_session(session.id)
    before = db_snapshot()
    with pytest.raises(ValidationError):
        packages.refund_session(session)
    assert db_snapshot() == before


def test_refund_after_a_reprice_gives_back_the_repriced_amount(patient, make_session, make_package):
    pkg = make_package(sessions=4, total="1000.00")
    session = make_session(1, 10)
    packages.pay_sessions(pkg, [session])
    packages.edit_package(pkg, total=D("1200.00"))  # the debit becomes 300,00
    packages.refund_session(session)
    assert last_line(pkg).amount == D("300.00")
    assert packages.summary(pkg).open_amount == D("1200.00")
    assert integrity.check() == []


# --- attendance (R7) -----------------------------------------------------------------------


def test_plain_falta_keeps_the_debit(patient, make_session, make_package):
    pkg = make_package()
    session = make_session(1, 10)
    packages.pay_sessions(pkg, [session])
    agenda.set_attendance(session, "falta")
    assert session.attendance == "falta"
    assert payments.active_payment(session).package_id == pkg.id
    assert packages.summary(pkg).sessions_used == 1
    assert len(packages.history(pkg)) == 2


def test_falta_justificada_credits_a_package_debit(patient, make_session, make_package):
    pkg = make_package(sessions=1, total="250.00")
    session = make_session(1, 10)
    packages.pay_sessions(pkg, [session])
    agenda.set_attendance(session, "falta_justificada")
    assert agenda.get_session(session).attendance == "falta_justificada"
    assert payments.active_payment(session) is None
    figures = packages.summary(pkg)
    assert (figures.status, figures.sessions_left, figures.open_amount) == (
        "ativo",
        1,
        D("250.00"),
    )
    line = last_line(pkg)
    assert (line.kind, line.note) == ("sessão creditada", "Creditada pela sessão 01/04 10:00")
    assert integrity.check() == []


def test_falta_justificada_leaves_a_manual_payment_alone(patient, make_session):
    session = make_session(1, 10)
    payments.pay_manually([session], method="pix")
    agenda.set_attendance(session, "falta_justificada")
    assert payments.active_payment(session).method == "pix"
    assert integrity.check() == []


def test_falta_justificada_voids_a_manual_payment_when_asked(patient, make_session):
    session = make_session(1, 10)
    payments.pay_manually([session], method="pix")
    agenda.set_attendance(session, "falta_justificada", void_manual_payment=True)
    assert payments.active_payment(session) is None
    assert Payment.get(Payment.session == session.id).void_reason == "falta justificada"


@pytest.mark.parametrize("attendance", ["realizada", "agendada", "falta"])
def test_other_attendances_touch_no_payment(patient, make_session, make_package, attendance):
    pkg = make_package()
    session = make_session(1, 10)
    packages.pay_sessions(pkg, [session])
    agenda.set_attendance(session, attendance)
    assert agenda.get_session(session).attendance == attendance
    assert payments.active_payment(session).package_id == pkg.id


def test_unknown_attendance_is_refused(patient, make_session):
    session = make_session(1, 10)
    before = db_snapshot()
    with pytest.raises(ValidationError):
        agenda.set_attendance(session, "ausente")
    assert db_snapshot() == before


# --- deletion (R13) -----------------------------------------------------------------------


def test_delete_credits_a_package_debit_first(patient, make_session, make_package):
    pkg = make_package(sessions=2, total="500.00")
    s1, s2 = make_session(1, 10), make_session(2, 10)
    packages.pay_sessions(pkg, [s1, s2])
    agenda.delete_session(s2)
    assert s2.deleted_at is not None  # caller's instance refreshed
    figures = packages.summary(pkg)
    assert (figures.status, figures.sessions_left, figures.open_amount) == (
        "ativo",
        1,
        D("250.00"),
    )
    line = last_line(pkg)
    assert (line.kind, line.note, line.session_id) == (
        "sessão creditada",
        "Creditada pela sessão 02/04 10:00",
        s2.id,
    )
    # Soft delete: the row and the history's reference stay.
    assert agenda.get_session(s2.id).is_deleted
    assert [h.session_id for h in packages.history(pkg)].count(s2.id) == 2
    # The deleted session is gone from the calendar and from what a package can pay.
    assert s2.id not in {row.id for row in agenda.sessions_between(s1.starts_at, s2.starts_at)}
    assert s2.id not in {s.id for s in packages.open_sessions_for(pkg)}
    assert integrity.check() == []


def test_delete_voids_a_manual_payment(patient, make_session):
    session = make_session(1, 10)
    payments.pay_manually([session], method="cartao_credito")
    agenda.delete_session(session)
    assert payments.active_payment(session) is None
    assert Payment.get(Payment.session == session.id).void_reason == "sessão excluída"
    assert integrity.check() == []


def test_delete_of_an_unpaid_session(patient, make_session):
    session = make_session(1, 10)
    agenda.delete_session(session)
    assert agenda.get_session(session.id).is_deleted
    assert Payment.select().count() == 0


def test_delete_twice_is_refused(patient, make_session):
    session = make_session(1, 10)
    agenda.delete_session(session)
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        agenda.delete_session(session)
    assert "excluída" in caught.value.message
    assert db_snapshot() == before


def test_a_deleted_session_cannot_get_an_attendance(patient, make_session):
    session = make_session(1, 10)
    agenda.delete_session(session)
    with pytest.raises(ValidationError):
        agenda.set_attendance(session, "falta_justificada")


@pytest.mark.parametrize(
    "spelled", ["falta justificada", "Falta Justificada", " falta_justificada "]
)
def test_falta_justificada_as_people_write_it(patient, make_session, make_package, spelled):
    pkg = make_package()
    session = make_session(1, 10)
    packages.pay_sessions(pkg, [session])
    agenda.set_attendance(session, spelled)
    assert agenda.get_session(session).attendance == "falta_justificada"
    assert packages.summary(pkg).sessions_used == 0
