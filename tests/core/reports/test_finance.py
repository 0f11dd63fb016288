"""The finance summary (Gestão Financeira) against a hand-computed month."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, clinic, clock, packages, payments, reports
from r3izzy_desktop.core.errors import ValidationError
from r3izzy_desktop.core.reports.finance import add_months, current_month

D = Decimal
MAY = (date(2025, 5, 1), date(2025, 5, 31))


@pytest.fixture
def month(patient, service):
    """May 2025, worked out by hand (service price 250,00):

    received   Pix 250,00 (an April session paid on 05/05), Dinheiro 250,00 (20/05);
               a Pix voided (not received); a card payment on 02/06 (June);
               packages sold in May: PA 1.000,00 (02/05) and PC 1.000,00 (25/05).
               Total 2.500,00. PB 500,00 was sold in April.
    open       m1 05/05 and m7 31/05 23:00: 500,00 in 2 sessions. Not open: the justified
               absence, the deleted session, the paid ones, the session priced 0,00,
               the April and June sessions.
    credit     PA 750,00 (3 sessions) + PC inativo 1.000,00 (4) = 1.750,00 still open;
               PB finalizado.
    consumed   PA's debit of 12/05 (250,00) + PB's two debits of 14 and 15/05 (500,00).
    """
    bruno = clinic.add_patient("Bruno Lima")

    def at(month, day, hour=10, who=patient, **kw):
        return agenda.schedule(who, service, datetime(2025, month, day, hour), **kw)

    april = at(4, 28)
    m1, m2, m3, m4 = at(5, 5), at(5, 6), at(5, 7), at(5, 8)
    m5 = at(5, 9, price=D("0"))
    m6, m7 = at(5, 12), at(5, 31, 23)
    june = at(6, 1, 0)
    b1, b2 = at(5, 14, 9, bruno), at(5, 15, 9, bruno)

    payments.pay_manually([april], "pix", paid_on=date(2025, 5, 5))
    payments.pay_manually([m4], "dinheiro", paid_on=date(2025, 5, 20))
    payments.pay_manually([m3], "pix", paid_on=date(2025, 5, 21))
    payments.void_payment(m3)
    agenda.delete_session(m3)
    payments.pay_manually([june], "cartao_credito", paid_on=date(2025, 6, 2))
    agenda.set_attendance(m2, "falta_justificada")

    with clock.frozen(datetime(2025, 5, 12, 11)):
        pa = packages.create_package(patient, 4, D("1000.00"), paid_on=date(2025, 5, 2))
        packages.pay_sessions(pa, [m6])
    with clock.frozen(datetime(2025, 5, 15, 11)):
        pb = packages.create_package(bruno, 2, D("500.00"), paid_on=date(2025, 4, 20))
        packages.pay_sessions(pb, [b1, b2])
    pc = packages.create_package(bruno, 4, D("1000.00"), paid_on=date(2025, 5, 25))
    packages.edit_package(pc, status="inativo")
    return {"m1": m1, "m5": m5, "m7": m7}


def test_received_by_method_counts_package_sales_not_debits(month):
    summary = reports.finance_summary(*MAY)
    assert [(m.label, m.amount, m.count) for m in summary.received_by_method] == [
        ("Dinheiro", D("250.00"), 1),
        ("Pix", D("250.00"), 1),
        ("Pacotes", D("2000.00"), 2),
    ]
    assert summary.received_total == D("2500.00")


def test_open_receivables(month):
    summary = reports.finance_summary(*MAY)
    assert (summary.open_receivables, summary.open_sessions) == (D("500.00"), 2)


def test_package_credit_open_counts_inativo_not_finalizado(month):
    summary = reports.finance_summary(*MAY)
    assert summary.package_credit_open == D("1750.00")
    assert (summary.package_sessions_open, summary.packages_open) == (7, 2)


def test_credit_sold_and_consumed_in_the_period(month):
    summary = reports.finance_summary(*MAY)
    assert (summary.credit_sold, summary.packages_sold) == (D("2000.00"), 2)
    assert (summary.credit_consumed, summary.sessions_consumed) == (D("750.00"), 3)


def test_another_period(month):
    june = reports.finance_summary(date(2025, 6, 1), date(2025, 6, 30))
    assert [(m.method, m.amount) for m in june.received_by_method] == [
        ("cartao_credito", D("250.00"))
    ]
    assert (june.open_receivables, june.credit_sold, june.credit_consumed) == (
        D("0.00"),
        D("0.00"),
        D("0.00"),
    )
    one_day = reports.finance_summary(date(2025, 5, 31), date(2025, 5, 31))
    assert (one_day.open_receivables, one_day.open_sessions) == (D("250.00"), 1)


def test_twelve_months_for_the_chart(month):
    months = reports.finance_summary(*MAY).months
    assert [m.month for m in months] == [add_months(date(2024, 6, 1), i) for i in range(12)]
    by_month = {m.month: m for m in months}
    april, may = by_month[date(2025, 4, 1)], by_month[date(2025, 5, 1)]
    assert (april.received, april.credit_sold, april.credit_consumed) == (
        D("500.00"),
        D("500.00"),
        D("0.00"),
    )
    assert (may.received, may.credit_sold, may.credit_consumed) == (
        D("2500.00"),
        D("2000.00"),
        D("750.00"),
    )
    assert all(m.received == 0 for m in months if m.month < date(2025, 4, 1))
    june = reports.finance_summary(date(2025, 6, 1), date(2025, 6, 30)).months
    assert june[-1].month == date(2025, 6, 1)
    assert june[-1].received == D("250.00")
    assert june[-2].received == D("2500.00")


def test_empty_database(db):
    summary = reports.finance_summary(*MAY)
    assert summary.received_by_method == ()
    assert summary.received_total == D("0.00")
    assert summary.package_credit_open == D("0.00")
    assert len(summary.months) == 12


def test_backwards_period_is_refused(db):
    with pytest.raises(ValidationError):
        reports.finance_summary(date(2025, 6, 1), date(2025, 5, 1))


def test_current_month_and_month_arithmetic():
    assert current_month(date(2025, 2, 14)) == (date(2025, 2, 1), date(2025, 2, 28))
    assert current_month(date(2024, 12, 31)) == (date(2024, 12, 1), date(2024, 12, 31))
    assert add_months(date(2025, 1, 1), -1) == date(2024, 12, 1)
    assert add_months(date(2025, 11, 1), 2) == date(2026, 1, 1)
