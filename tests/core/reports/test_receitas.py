"""Receitas reading: sessions by situation, footer totals summed by the database."""

from datetime import date
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, clinic, packages, payments
from r3izzy_desktop.core.errors import NotFound, ValidationError
from r3izzy_desktop.core.reports import receitas

APRIL = (date(2025, 4, 1), date(2025, 4, 30))


@pytest.fixture
def month(patient, make_session):
    """Five April sessions: one paid by a package (333,33 debited), one by Pix, one
    justified absence (nothing to pay), two open; and one in May."""
    s = [make_session(day, 10) for day in (1, 2, 3, 4, 5)]
    make_session(2, 10, month=5)
    pkg = packages.create_package(patient, 3, Decimal("1000.00"), paid_on=date(2025, 3, 30))
    packages.pay_sessions(pkg, [s[0]], accept_price_adjustment=True)
    payments.pay_manually([s[1]], method="pix", paid_on=date(2025, 4, 2))
    agenda.set_attendance(s[2], "falta_justificada")
    return s, pkg


def test_totals_sum_payments_and_open_prices(month):
    figures = receitas.totals(*APRIL)
    assert figures.received == Decimal("583.33")  # 333,33 debited + 250,00 by Pix
    assert figures.paid_count == 2
    # the justified absence is not something to charge
    assert (figures.open_amount, figures.open_count) == (Decimal("500.00"), 2)


def test_totals_follow_the_filters(month, service, patient):
    other = clinic.add_patient("Bruno Lima")
    agenda.schedule(other, service, month[0][0].starts_at)
    assert receitas.totals(*APRIL, patient=other).open_amount == Decimal("250.00")
    assert receitas.totals(*APRIL, patient=patient).open_amount == Decimal("500.00")
    paid_only = receitas.totals(*APRIL, situation="pago")
    assert (paid_only.received, paid_only.open_count) == (Decimal("583.33"), 0)
    open_only = receitas.totals(*APRIL, situation="aberto")
    assert (open_only.received, open_only.open_amount) == (Decimal("0.00"), Decimal("750.00"))
    massage = clinic.add_service("Massagem", price=Decimal("90.00"))
    assert receitas.totals(*APRIL, service=massage).open_amount == Decimal("0.00")


def test_a_voided_payment_and_a_deleted_session_do_not_count(month):
    sessions, _pkg = month
    payments.void_payment(sessions[1])
    agenda.delete_session(sessions[3])
    figures = receitas.totals(*APRIL)
    assert figures.received == Decimal("333.33")
    assert (figures.open_amount, figures.open_count) == (Decimal("500.00"), 2)


def test_sessions_by_situation_and_payment_text(month):
    sessions, pkg = month
    paid = receitas.sessions(*APRIL, situation="pago")
    assert [r.id for r in paid] == [sessions[0].id, sessions[1].id]
    assert receitas.payment_text(paid[0]) == f"Pacote No. {pkg.number}"
    assert receitas.payment_text(paid[1]) == "Pix em 02/04/2025"
    open_rows = receitas.sessions(*APRIL, situation="aberto")
    # the justified absence is neither open nor payable (issue 15, item 8)
    assert [r.id for r in open_rows] == [s.id for s in sessions[3:]]
    assert receitas.payment_text(open_rows[0]) == ""
    assert receitas.count(*APRIL, situation="aberto") == 2
    first = receitas.first_sessions(*APRIL, 10, situation="aberto")
    assert [r.id for r in first] == [s.id for s in sessions[3:]]
    everything = receitas.sessions(*APRIL)
    assert len(everything) == 5
    assert receitas.situation_of(everything[2]) == receitas.JUSTIFICADA
    assert receitas.SITUATION_LABELS[receitas.JUSTIFICADA] == "Sem cobrança"


def test_invalid_period_and_situation_are_refused(db):
    with pytest.raises(ValidationError):
        receitas.totals(date(2025, 4, 2), date(2025, 4, 1))
    with pytest.raises(ValidationError):
        receitas.sessions(*APRIL, situation="talvez")


def test_price_total_and_rows_by_id(month, patient, service):
    sessions, _pkg = month
    ids = [sessions[4].id, sessions[2].id]
    assert receitas.price_total(ids) == Decimal("500.00")
    assert receitas.price_total([]) == Decimal("0.00")
    assert [r.id for r in receitas.rows_by_id(ids)] == [sessions[2].id, sessions[4].id]
    other = agenda.schedule(clinic.add_patient("Bruno Lima"), service, sessions[0].starts_at)
    assert {r.id for r in receitas.rows_by_id([other.id, sessions[0].id])} == {
        other.id,
        sessions[0].id,
    }
    agenda.delete_session(sessions[4])
    assert receitas.rows_by_id([sessions[4].id]) == []
    with pytest.raises(NotFound):
        receitas.session_row(sessions[4].id)
    assert receitas.session_row(sessions[2].id).attendance == "falta_justificada"
