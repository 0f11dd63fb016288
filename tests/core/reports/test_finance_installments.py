"""Gestão Financeira with installments (R18): money counted the day it is received, what
packages still owe and what of it is overdue, against figures worked out by hand."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, clinic, clock, packages, payments
from r3izzy_desktop.core.reports import finance, receitas

D = Decimal
TODAY = datetime(2026, 4, 10, 9, 0)
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
APRIL = (date(2026, 4, 1), date(2026, 4, 30))


@pytest.fixture
def clinic_money(db):
    """Worked out by hand, today 10/04/2026 (service 250,00):

    PA at once, 1.000,00 on 05/03 (Pix): received 1.000,00 in March.
    PB in 3: 900,00 = 300 + 300 + 300 due 01/03, 01/04, 01/05; #1 received 02/03 (Pix),
       #2 received 03/04 (Dinheiro): 300 in March, 300 in April; owes 300 (not overdue).
    PC in 2: 600,00 = 300 + 300 due 15/02, 15/03; nothing received: owes 600, overdue 600
       (two installments, one package). Sold in February (paid_on 15/02).
    PD in 2: 400,00 due 20/03 and 20/04; #1 received 21/03 then voided, received again
       05/04 (Cartão de débito): 0 in March, 200 in April; owes #2, 200 (due 20/04).
    A manual Pix of 250,00 on 10/03.
    March: received 1.000 + 300 + 250 = 1.550,00 (packages 1.300,00 in 2 installments).
    April: received 300 + 200 = 500,00 (packages, 2 installments).
    Owed now: PB 300 + PC 600 + PD 200 = 1.100,00 by 3 packages; overdue PC 600, 1 package.
    """
    ana = clinic.add_patient("Ana Souza")
    bia = clinic.add_patient("Bia Lima")
    svc = clinic.add_service("Método Bobath", price=D("250.00"))
    with clock.frozen(TODAY):
        pa = packages.create_package(ana, 4, D("1000.00"), paid_on=date(2026, 3, 5))
        pb = packages.create_package(
            ana,
            3,
            D("900.00"),
            paid_on=date(2026, 3, 1),
            installments=packages.split_installments(D("900.00"), 3, date(2026, 3, 1)),
        )
        packages.receive_installment(pb, 1, method="pix", received_on=date(2026, 3, 2))
        packages.receive_installment(pb, 2, method="dinheiro", received_on=date(2026, 4, 3))
        pc = packages.create_package(
            bia,
            2,
            D("600.00"),
            paid_on=date(2026, 2, 15),
            installments=packages.split_installments(D("600.00"), 2, date(2026, 2, 15)),
        )
        pd = packages.create_package(
            bia,
            2,
            D("400.00"),
            paid_on=date(2026, 3, 20),
            installments=packages.split_installments(D("400.00"), 2, date(2026, 3, 20)),
        )
        packages.receive_installment(pd, 1, method="pix", received_on=date(2026, 3, 21))
        packages.void_installment(pd, 1)
        packages.receive_installment(pd, 1, method="cartao_debito", received_on=date(2026, 4, 5))
        manual = agenda.schedule(ana, svc, datetime(2026, 3, 9, 10))
        payments.pay_manually([manual], "pix", paid_on=date(2026, 3, 10))
        used = agenda.schedule(ana, svc, datetime(2026, 3, 12, 10))
        packages.pay_sessions(pa, [used])
    return {"pa": pa, "pb": pb, "pc": pc, "pd": pd}


def test_march_counts_what_came_in_in_march(clinic_money):
    with clock.frozen(TODAY):
        march = finance.finance_summary(*MARCH)
    assert [(m.label, m.amount, m.count) for m in march.received_by_method] == [
        ("Pix", D("250.00"), 1),
        ("Pacotes", D("1300.00"), 2),
    ]
    assert march.received_total == D("1550.00")
    assert (march.package_received, march.installments_received) == (D("1300.00"), 2)
    # Sold in March: PA, PB, PD (PC in February), whatever was received.
    assert (march.credit_sold, march.packages_sold) == (D("2300.00"), 3)


def test_april_counts_the_installments_received_in_april(clinic_money):
    with clock.frozen(TODAY):
        april = finance.finance_summary(*APRIL)
    assert april.received_total == D("500.00")
    assert (april.package_received, april.installments_received) == (D("500.00"), 2)
    assert april.credit_sold == D("0.00")


def test_what_packages_owe_now_overdue_apart(clinic_money):
    with clock.frozen(TODAY):
        s = finance.finance_summary(*APRIL)
    assert (s.package_owed, s.packages_owing) == (D("1100.00"), 3)
    assert (s.package_overdue, s.packages_overdue) == (D("600.00"), 1)
    with clock.frozen(TODAY):
        owed = sum((packages.summary(p).owed for p in clinic_money.values()), D("0"))
        overdue = sum((packages.summary(p).overdue for p in clinic_money.values()), D("0"))
    assert (owed, overdue) == (D("1100.00"), D("600.00"))


def test_the_chart_months_count_received_money(clinic_money):
    with clock.frozen(TODAY):
        months = {m.month: m for m in finance.monthly_figures(date(2026, 4, 30))}
    assert months[date(2026, 3, 1)].received == D("1550.00")
    assert months[date(2026, 4, 1)].received == D("500.00")
    assert months[date(2026, 2, 1)].received == D("0.00")
    assert months[date(2026, 2, 1)].credit_sold == D("600.00")


def test_receitas_tells_package_use_from_money_received(clinic_money):
    """Issue 15 item 7: the package debit is "Pago com pacote", the Pix "Recebido à parte"."""
    with clock.frozen(TODAY):
        totals = receitas.totals(*MARCH)
    assert (totals.paid, totals.package_paid, totals.manual_received) == (
        D("500.00"),
        D("250.00"),
        D("250.00"),
    )
