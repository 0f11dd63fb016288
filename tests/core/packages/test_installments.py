"""R18: installments (parcelas), what a package still owes, pay before use, and an R8 change
of the total re-planning what is not received yet."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, clinic, clock, integrity, packages
from r3izzy_desktop.core.errors import (
    NotEnoughPaid,
    NotEnoughSessions,
    NotFound,
    PriceMismatch,
    ValidationError,
)
from r3izzy_desktop.core.store.models import Installment
from tests.helpers.snapshot import db_snapshot

D = Decimal
TODAY = datetime(2026, 3, 1, 9, 0)


@pytest.fixture(autouse=True)
def frozen(db):
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def ana(db):
    return clinic.add_patient("Ana Souza")


@pytest.fixture
def bobath(db):
    return clinic.add_service("Método Bobath", price=D("250.00"))


def plan3(ana, **kw):
    """1.000,00 for 4 sessions in 3 installments from 01/03/2026."""
    return packages.create_package(
        ana,
        sessions=4,
        total=D("1000.00"),
        paid_on=date(2026, 3, 1),
        installments=packages.split_installments(D("1000.00"), 3, date(2026, 3, 1)),
        **kw,
    )


def parts(pkg):
    return [
        (i.number, i.due_on, i.amount, i.received_on, i.method) for i in packages.installments(pkg)
    ]


# --- split_installments ---------------------------------------------------------------------


def test_split_is_r5s_split_monthly_on_the_same_day():
    assert packages.split_installments(D("1000.00"), 3, date(2026, 3, 1)) == [
        (date(2026, 3, 1), D("333.33")),
        (date(2026, 4, 1), D("333.34")),
        (date(2026, 5, 1), D("333.33")),
    ]


def test_split_takes_the_months_last_day_when_it_is_shorter():
    due = [d for d, _ in packages.split_installments(D("400.00"), 4, date(2026, 1, 31))]
    assert due == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]


def test_split_adds_up_to_the_total_to_the_centavo():
    for total, count in ((D("100.00"), 7), (D("0.05"), 5), (D("9999999.99"), 12)):
        amounts = [a for _, a in packages.split_installments(total, count, date(2026, 1, 1))]
        assert sum(amounts) == total and all(a > 0 for a in amounts)


@pytest.mark.parametrize("count", [0, 61, "2,5", True])
def test_split_refuses_a_bad_count(count):
    with pytest.raises(ValidationError):
        packages.split_installments(D("100.00"), count, date(2026, 1, 1))


def test_split_refuses_less_than_a_centavo_each():
    with pytest.raises(ValidationError, match="R\\$ 0,01"):
        packages.split_installments(D("0.02"), 3, date(2026, 1, 1))


# --- creating ---------------------------------------------------------------------------------


def test_without_a_plan_the_total_is_received_on_the_payment_date(ana):
    pkg = packages.create_package(
        ana, sessions=4, total=D("1000.00"), paid_on=date(2026, 2, 10), method="dinheiro"
    )
    assert parts(pkg) == [(1, date(2026, 2, 10), D("1000.00"), date(2026, 2, 10), "dinheiro")]
    s = packages.summary(pkg)
    assert (s.received, s.owed, s.overdue, s.method, s.method_label) == (
        D("1000.00"),
        D("0.00"),
        D("0.00"),
        "dinheiro",
        "Dinheiro",
    )
    assert (s.installments_count, s.installments_received, s.has_plan) == (1, 1, False)
    assert packages.history(pkg)[-1].note == "Pacote criado"


def test_a_plan_is_received_later(ana):
    pkg = plan3(ana, method="pix")
    assert parts(pkg) == [
        (1, date(2026, 3, 1), D("333.33"), None, ""),
        (2, date(2026, 4, 1), D("333.34"), None, ""),
        (3, date(2026, 5, 1), D("333.33"), None, ""),
    ]
    s = packages.summary(pkg)
    assert (s.received, s.owed, s.overdue, s.has_plan, s.method) == (
        D("0.00"),
        D("1000.00"),
        D("0.00"),  # the first is due today: not overdue yet
        True,
        "pix",
    )
    assert [i.label for i in packages.installments(pkg)] == ["1/3", "2/3", "3/3"]


def test_the_plan_may_be_typed_by_hand(ana):
    pkg = packages.create_package(
        ana,
        sessions=2,
        total=D("500.00"),
        installments=[(date(2026, 3, 10), D("100.00")), (date(2026, 3, 20), "400,00")],
    )
    assert [(i.due_on, i.amount) for i in packages.installments(pkg)] == [
        (date(2026, 3, 10), D("100.00")),
        (date(2026, 3, 20), D("400.00")),
    ]


@pytest.mark.parametrize(
    "plan",
    [
        [],
        [(date(2026, 3, 1), D("600.00"))],  # less than the total
        [(date(2026, 3, 1), D("600.00")), (date(2026, 4, 1), D("500.00"))],  # more
        [(date(2026, 3, 1), D("1000.00")), (date(2026, 4, 1), D("0.00"))],  # a zero one
        [(date(2026, 3, 1), D("1000.001"))],
        [(None, D("1000.00"))],
        [(date(2026, 3, 1), 1000.0)],
        [date(2026, 3, 1)],
    ],
)
def test_a_plan_that_does_not_add_up_is_refused_and_nothing_is_written(ana, plan):
    before = db_snapshot()
    with pytest.raises(ValidationError) as refused:
        packages.create_package(ana, sessions=4, total=D("1000.00"), installments=plan)
    assert refused.value.message.strip()
    assert db_snapshot() == before


def test_the_refusal_says_how_much_is_missing(ana):
    with pytest.raises(ValidationError, match=r"somam R\$ 600,00 .*\(faltam R\$ 400,00\)"):
        packages.create_package(
            ana, sessions=4, total=D("1000.00"), installments=[(date(2026, 3, 1), D("600.00"))]
        )


def test_a_bad_method_is_refused(ana):
    with pytest.raises(ValidationError, match="Forma de pagamento"):
        packages.create_package(ana, sessions=4, total=D("1000.00"), method="cheque")


def test_pay_before_use_defaults_to_the_clinics(ana):
    assert packages.summary(packages.create_package(ana, 1, D("10"))).pay_before_use is False
    clinic.set_package_defaults(pay_before_use=True)
    assert clinic.package_defaults().pay_before_use is True
    assert packages.summary(packages.create_package(ana, 1, D("10"))).pay_before_use is True
    given = packages.create_package(ana, 1, D("10"), pay_before_use=False)
    assert packages.summary(given).pay_before_use is False


# --- receiving and voiding ----------------------------------------------------------------


def test_receiving_writes_its_line_and_leaves_the_sessions_as_they_were(ana):
    pkg = plan3(ana)
    before = packages.history(pkg)[-1]
    got = packages.receive_installment(pkg, 2, method="pix", received_on=date(2026, 4, 1))
    assert (got.number, got.received_on, got.method) == (2, date(2026, 4, 1), "pix")
    line = packages.history(pkg)[-1]
    assert line.kind == "parcela recebida"
    assert line.note == "Parcela 2/3 recebida: R$ 333,34 (Pix)"
    assert (line.sessions_left, line.open_amount, line.status) == (
        before.sessions_left,
        before.open_amount,
        before.status,
    )
    s = packages.summary(pkg)
    assert (s.received, s.owed, s.open_amount, s.sessions_left) == (
        D("333.34"),
        D("666.66"),
        D("1000.00"),
        4,
    )
    assert integrity.check() == []


def test_an_installment_is_received_once(ana):
    pkg = plan3(ana)
    packages.receive_installment(pkg, 1, method="dinheiro")
    before = db_snapshot()
    with pytest.raises(ValidationError, match=r"já foi recebida em 01/03/2026 \(Dinheiro\)"):
        packages.receive_installment(pkg, 1, method="pix")
    assert db_snapshot() == before


def test_voiding_makes_it_unreceived_again(ana):
    pkg = plan3(ana)
    packages.receive_installment(pkg, 2, method="cartao_credito")
    packages.void_installment(pkg, 2)
    assert parts(pkg)[1] == (2, date(2026, 4, 1), D("333.34"), None, "")
    line = packages.history(pkg)[-1]
    assert (line.kind, line.note, line.open_amount) == (
        "parcela estornada",
        "Parcela 2/3 estornada",
        D("1000.00"),
    )
    assert packages.summary(pkg).received == D("0.00")
    packages.receive_installment(pkg, 2, method="pix")  # and can be received again
    assert packages.history(pkg)[-1].note == "Parcela 2/3 recebida: R$ 333,34 (Pix)"
    assert integrity.check() == []


def test_voiding_what_was_not_received_is_refused(ana):
    pkg = plan3(ana)
    before = db_snapshot()
    with pytest.raises(ValidationError, match="não foi recebida"):
        packages.void_installment(pkg, 3)
    assert db_snapshot() == before


@pytest.mark.parametrize("number", [0, 4, "x"])
def test_an_installment_the_package_does_not_have(ana, number):
    pkg = plan3(ana)
    before = db_snapshot()
    with pytest.raises((ValidationError, NotFound)):
        packages.receive_installment(pkg, number, method="pix")
    assert db_snapshot() == before


def test_voiding_a_package_paid_at_once_leaves_it_owing(ana):
    pkg = packages.create_package(ana, 2, D("500.00"), paid_on=date(2026, 2, 1))
    packages.void_installment(pkg, 1)
    s = packages.summary(pkg)
    assert (s.received, s.owed, s.overdue, s.has_plan) == (
        D("0.00"),
        D("500.00"),
        D("500.00"),  # due on 01/02, before today
        True,
    )
    assert packages.history(pkg)[-1].note == "Parcela 1/1 estornada"
    assert integrity.check() == []


def test_overdue_is_what_is_unreceived_and_due_before_today(ana):
    pkg = packages.create_package(
        ana,
        sessions=4,
        total=D("900.00"),
        installments=packages.split_installments(D("900.00"), 3, date(2026, 1, 15)),
    )
    packages.receive_installment(pkg, 1, method="pix", received_on=date(2026, 1, 15))
    s = packages.summary(pkg)
    # 2 due 15/02 (overdue), 3 due 15/03 (not yet).
    assert (s.received, s.owed, s.overdue, s.overdue_count) == (
        D("300.00"),
        D("600.00"),
        D("300.00"),
        1,
    )
    assert [i.overdue for i in packages.installments(pkg)] == [False, True, False]
    assert s.received + s.owed == s.total


# --- pay before use (R6: after the count, before the prices) ---------------------------------


def sessions_of(ana, bobath, count, start=2):
    return [
        agenda.schedule(ana, bobath, datetime(2026, 3, day, 10))
        for day in range(start, start + count)
    ]


def test_pay_before_use_refuses_more_than_was_received(ana, bobath):
    pkg = plan3(ana, pay_before_use=True)
    s1, s2 = sessions_of(ana, bobath, 2)
    before = db_snapshot()
    with pytest.raises(NotEnoughPaid) as refused:
        packages.pay_sessions(pkg, [s1])
    assert "R$ 1.000,00" in refused.value.message  # still owed
    assert refused.value.owed == D("1000.00")
    assert db_snapshot() == before
    packages.receive_installment(pkg, 1, method="pix")  # 333,33 received
    packages.pay_sessions(pkg, [s1])  # 250,00 used
    with pytest.raises(NotEnoughPaid, match=r"Ainda falta receber R\$ 666,67"):
        packages.pay_sessions(pkg, [s2])  # 500,00 > 333,33
    packages.receive_installment(pkg, 2, method="pix")  # 666,67 received
    packages.pay_sessions(pkg, [s2])  # exactly 500,00: within
    assert packages.summary(pkg).sessions_left == 2
    assert integrity.check() == []


def test_without_pay_before_use_nothing_received_still_pays(ana, bobath):
    pkg = plan3(ana)
    packages.pay_sessions(pkg, sessions_of(ana, bobath, 4))
    assert packages.summary(pkg).status == "finalizado"
    assert packages.summary(pkg).owed == D("1000.00")  # finalizado, still owing


def test_the_count_is_checked_before_what_was_paid(ana, bobath):
    pkg = packages.create_package(
        ana,
        sessions=1,
        total=D("250.00"),
        installments=[(date(2026, 4, 1), D("250.00"))],
        pay_before_use=True,
    )
    with pytest.raises(NotEnoughSessions):
        packages.pay_sessions(pkg, sessions_of(ana, bobath, 2))


def test_what_was_paid_is_checked_before_the_prices(ana, bobath):
    pkg = plan3(ana, pay_before_use=True)
    odd = agenda.schedule(ana, bobath, datetime(2026, 3, 2, 10), price=D("99.00"))
    with pytest.raises(NotEnoughPaid):
        packages.pay_sessions(pkg, [odd])
    packages.receive_installment(pkg, 1, method="pix")
    with pytest.raises(PriceMismatch):
        packages.pay_sessions(pkg, [odd])


# --- R8: a change of the total --------------------------------------------------------------


def test_the_total_may_not_go_below_what_was_received(ana):
    pkg = plan3(ana)
    packages.receive_installment(pkg, 1, method="pix")
    packages.receive_installment(pkg, 2, method="pix")
    before = db_snapshot()
    with pytest.raises(ValidationError, match=r"já recebeu R\$ 666,67") as refused:
        packages.edit_package(pkg, total=D("600.00"))
    assert refused.value.field == "total"
    assert db_snapshot() == before


def test_a_new_total_re_splits_what_is_unreceived_keeping_due_dates(ana):
    pkg = plan3(ana)
    packages.receive_installment(pkg, 1, method="pix")
    packages.edit_package(pkg, total=D("1200.00"))
    # 1.200,00 − 333,33 = 866,67 over two: 433,34 + 433,33 (R5).
    assert parts(pkg) == [
        (1, date(2026, 3, 1), D("333.33"), date(2026, 3, 1), "pix"),
        (2, date(2026, 4, 1), D("433.34"), None, ""),
        (3, date(2026, 5, 1), D("433.33"), None, ""),
    ]
    assert integrity.check() == []


def test_when_nothing_is_left_the_unreceived_are_removed(ana):
    pkg = plan3(ana)
    packages.receive_installment(pkg, 2, method="pix")
    packages.edit_package(pkg, total=D("333.34"), sessions=4)
    assert parts(pkg) == [(1, date(2026, 4, 1), D("333.34"), date(2026, 3, 1), "pix")]
    notes = [h.note for h in packages.history(pkg)]
    assert "Parcela 2/3 recebida: R$ 333,34 (Pix)" in notes  # the old numbering stays
    s = packages.summary(pkg)
    assert (s.received, s.owed, s.installments_count) == (D("333.34"), D("0.00"), 1)
    assert integrity.check() == []


def test_too_little_left_for_every_unreceived_keeps_the_first_ones(ana):
    pkg = plan3(ana)
    packages.receive_installment(pkg, 1, method="pix")
    packages.edit_package(pkg, total=D("333.34"))  # 0,01 left for two
    assert [(i.number, i.amount, i.received) for i in packages.installments(pkg)] == [
        (1, D("333.33"), True),
        (2, D("0.01"), False),
    ]
    assert integrity.check() == []


def test_all_received_and_a_bigger_total_adds_one_installment_due_today(ana):
    pkg = packages.create_package(
        ana,
        sessions=4,
        total=D("600.00"),
        installments=packages.split_installments(D("600.00"), 2, date(2026, 1, 10)),
    )
    packages.receive_installment(pkg, 1, method="pix", received_on=date(2026, 1, 10))
    packages.receive_installment(pkg, 2, method="pix", received_on=date(2026, 2, 10))
    packages.edit_package(pkg, total=D("750.00"))
    assert parts(pkg)[-1] == (3, date(2026, 3, 1), D("150.00"), None, "")
    s = packages.summary(pkg)
    assert (s.received, s.owed, s.installments_count) == (D("600.00"), D("150.00"), 3)
    assert integrity.check() == []


def test_without_a_plan_the_installment_follows_the_total_and_the_date(ana):
    pkg = packages.create_package(
        ana, sessions=4, total=D("1000.00"), paid_on=date(2026, 2, 1), method="pix"
    )
    packages.edit_package(pkg, total=D("800.00"), paid_on=date(2026, 2, 3))
    assert parts(pkg) == [(1, date(2026, 2, 3), D("800.00"), date(2026, 2, 3), "pix")]
    assert packages.summary(pkg).received == D("800.00")
    assert integrity.check() == []


# --- integrity and alerts ------------------------------------------------------------------------


def test_the_check_finds_installments_that_do_not_add_up(ana):
    pkg = plan3(ana)
    Installment.update(amount=D("1.00")).where(
        (Installment.package == pkg.id) & (Installment.number == 3)
    ).execute()
    found = [str(p) for p in integrity.check()]
    assert any("as parcelas somam 667,67, o valor total é 1.000,00" in text for text in found), (
        found
    )


def test_the_check_finds_a_package_without_installments(ana):
    pkg = packages.create_package(ana, 2, D("100.00"))
    Installment.delete().where(Installment.package == pkg.id).execute()
    assert any("não tem parcelas" in str(p) for p in integrity.check())


def test_an_overdue_installment_is_an_alert(ana):
    pkg = packages.create_package(
        ana,
        sessions=4,
        total=D("900.00"),
        installments=packages.split_installments(D("900.00"), 3, date(2026, 1, 1)),
    )
    found = [a for a in packages.alerts() if a.kind == "parcela atrasada"]
    assert [(a.package_id, a.text) for a in found] == [
        (
            pkg.id,
            f"O pacote de Ana Souza (No. {pkg.number}) tem 2 parcelas atrasadas "
            "(R$ 600,00), a primeira vencida em 01/01/2026",
        )
    ]
    assert packages.alert_count() == len(packages.alerts())
    packages.receive_installment(pkg, 1, method="pix")
    packages.receive_installment(pkg, 2, method="pix")
    assert not [a for a in packages.alerts() if a.kind == "parcela atrasada"]
    assert packages.alert_count() == len(packages.alerts())


# --- what the form asks while the plan is typed -------------------------------------------------


def test_typing_one_amount_re_splits_the_ones_after():
    amounts = [D("500.00"), D("333.34"), D("333.33")]
    assert packages.rebalance_installments(D("1000.00"), amounts, 0) == [
        D("500.00"),
        D("250.00"),
        D("250.00"),
    ]
    # The last one typed: nothing to share; the plan says what is wrong.
    typed = [D("333.33"), D("333.34"), D("400.00")]
    assert packages.rebalance_installments(D("1000.00"), typed, 2) == typed
    plan = [(date(2026, 3, 1), a) for a in typed]
    assert "sobram R$ 66,67" in packages.plan_problem(plan, D("1000.00"))
    assert packages.plan_problem([*plan[:2], (date(2026, 5, 1), D("333.33"))], "1.000,00") is None
