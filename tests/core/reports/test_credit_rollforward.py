"""The credit roll-forward (R20) against figures worked out by hand: a small clinic whose
history lines are written at known instants (clock.frozen), periods around them with
lines exactly on their boundaries, and the reconciliation opening + movements = closing,
with the closing of a period ending today equal to the packages' open amounts. Runs on
SQLite and PostgreSQL (the `db` fixture)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, clinic, clock, packages, reports
from r3izzy_desktop.core.errors import DomainError

D = Decimal
MOVES = ("sold", "adjusted", "consumed", "credited", "refunded", "retained", "cancelled")


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0)


@pytest.fixture
def clinic_history(db):
    """Jan 10: A created (4 sessions, 1.000,00). Feb 5: two of its sessions debited.
    Feb 20: one credited back. Mar 1: its total changed to 1.200,00 (R8:
    3 sessions left at 300,00, open 900,00). Mar 2: only its notes
    changed. Mar 15: B created (2 sessions, 300,00)."""
    with clock.frozen(at(1, 5)):
        ana = clinic.add_patient("Ana Souza")
        bobath = clinic.add_service("Método Bobath", price=D("250.00"))
        first, second = (agenda.schedule(ana, bobath, at(2, day)) for day in (3, 4))
    with clock.frozen(at(1, 10)):
        a = packages.create_package(ana, 4, D("1000.00"), paid_on=date(2026, 1, 10))
    with clock.frozen(at(2, 5)):
        packages.pay_sessions(a, [first, second])
    with clock.frozen(at(2, 20)):
        packages.refund_session(second)
    with clock.frozen(at(3, 1, 0)):
        packages.edit_package(a, total=D("1200.00"))
    with clock.frozen(at(3, 2)):
        packages.edit_package(a, notes="renovado")
    with clock.frozen(at(3, 15)):
        b = packages.create_package(ana, 2, D("300.00"), paid_on=date(2026, 3, 15))
    return a, b


def figures(roll) -> dict[str, tuple[Decimal, int]]:
    return {name: (getattr(roll, name), getattr(roll, f"{name}_count")) for name in MOVES}


def reconciles(roll) -> bool:
    return roll.opening + sum(getattr(roll, name) for name in MOVES) == roll.closing


def test_february_debits_and_a_credit_back(clinic_history):
    roll = reports.credit_rollforward(date(2026, 2, 1), date(2026, 2, 28))
    assert (roll.opening, roll.closing) == (D("1000.00"), D("750.00"))
    assert figures(roll) == {
        "sold": (D("0"), 0),
        "adjusted": (D("0"), 0),
        "consumed": (D("-500.00"), 2),
        "credited": (D("250.00"), 1),
        "refunded": (D("0"), 0),
        "retained": (D("0"), 0),
        "cancelled": (D("0"), 0),
    }
    assert reconciles(roll)


def test_a_line_at_midnight_belongs_to_the_day_it_starts(clinic_history):
    """The total change written at 00:00 of March 1st is in a period starting that day and
    not in one ending the day before."""
    march_first = reports.credit_rollforward(date(2026, 3, 1), date(2026, 3, 1))
    assert (march_first.opening, march_first.closing) == (D("750.00"), D("900.00"))
    assert (march_first.adjusted, march_first.adjusted_count) == (D("150.00"), 1)
    february = reports.credit_rollforward(date(2026, 2, 1), date(2026, 2, 28))
    assert february.adjusted_count == 0


def test_a_change_that_moves_no_money_still_counts(clinic_history):
    roll = reports.credit_rollforward(date(2026, 3, 2), date(2026, 3, 2))
    assert (roll.adjusted, roll.adjusted_count) == (D("0"), 1)
    assert roll.opening == roll.closing == D("900.00")


def test_the_year_closes_at_the_open_amounts_of_today(clinic_history):
    a, b = clinic_history
    with clock.frozen(at(4, 1)):
        roll = reports.credit_rollforward(date(2026, 1, 1), date(2026, 4, 1))
        open_now = packages.summary(a).open_amount + packages.summary(b).open_amount
    assert roll.opening == D("0")
    assert figures(roll)["sold"] == (D("1300.00"), 2)
    assert figures(roll)["adjusted"] == (D("150.00"), 2)
    assert figures(roll)["consumed"] == (D("-500.00"), 2)
    assert figures(roll)["credited"] == (D("250.00"), 1)
    assert roll.closing == open_now == D("1200.00")
    assert reconciles(roll)


def test_before_anything_existed_the_credit_is_zero(clinic_history):
    roll = reports.credit_rollforward(date(2025, 1, 1), date(2025, 12, 31))
    assert (roll.opening, roll.closing) == (D("0"), D("0"))
    assert all(count == 0 for _, count in figures(roll).values())


def test_an_end_before_the_start_is_refused(clinic_history):
    with pytest.raises(DomainError):
        reports.credit_rollforward(date(2026, 3, 1), date(2026, 2, 1))


def test_the_credit_month_by_month(clinic_history):
    """End of January 1.000,00; of February 750,00 (the change written at 00:00 of March
    1st is March's); of March 900,00 + B's 300,00; April has no line and keeps March's."""
    months = reports.credit_by_month(date(2026, 1, 15), date(2026, 4, 30))
    assert [(m.month, m.credit) for m in months] == [
        (date(2026, 1, 1), D("1000.00")),
        (date(2026, 2, 1), D("750.00")),
        (date(2026, 3, 1), D("1200.00")),
        (date(2026, 4, 1), D("1200.00")),
    ]


def test_the_last_month_ends_with_the_period_and_agrees_with_the_closing(clinic_history):
    """A period ending on March 10th: its last month is the credit at the end of that day
    (B, created on the 15th, not yet), the roll-forward's closing."""
    months = reports.credit_by_month(date(2025, 11, 1), date(2026, 3, 10))
    assert [m.credit for m in months] == [D("0"), D("0"), D("1000.00"), D("750.00"), D("900.00")]
    roll = reports.credit_rollforward(date(2025, 11, 1), date(2026, 3, 10))
    assert months[-1].credit == roll.closing


def test_the_lines_as_shown(clinic_history):
    roll = reports.credit_rollforward(date(2026, 2, 1), date(2026, 2, 28))
    lines = roll.lines()
    assert [line.label for line in lines] == [
        "Saldo inicial em 01/02/2026",
        "Vendido (pacotes criados)",
        "Ajustes (alterações manuais)",
        "Consumido (sessões debitadas)",
        "Creditado de volta (sessões creditadas)",
        "Devolvido ao paciente (encerramentos)",
        "Retido pela clínica (encerramentos)",
        "Cancelado, não recebido (encerramentos)",
        "Saldo final em 28/02/2026",
        "Crédito vencido em 28/02/2026",
    ]
    assert [(line.count, line.amount) for line in lines] == [
        (None, D("1000.00")),
        (0, D("0")),
        (0, D("0")),
        (2, D("-500.00")),
        (1, D("250.00")),
        (0, D("0")),
        (0, D("0")),
        (0, D("0")),
        (None, D("750.00")),
        (0, D("0")),
    ]


def test_closings_move_the_credit_in_three_parts(clinic_history):
    """Apr 2: A (900,00 open: 3 sessions at 300,00) closed with 600,00 back by Pix, so
    300,00 retained and nothing cancelled (no installments). Apr 3: B closed giving nothing
    back (300,00 retained). Each closing counts once in each of its three movements."""
    a, b = clinic_history
    with clock.frozen(at(4, 2)):
        packages.close_package(a, refund=D("600.00"), method="pix", reason="mudança")
    with clock.frozen(at(4, 3)):
        packages.close_package(b, refund=D("0"))
    with clock.frozen(at(4, 30)):
        roll = reports.credit_rollforward(date(2026, 4, 1), date(2026, 4, 30))
        open_now = packages.summary(a).open_amount + packages.summary(b).open_amount
    assert (roll.opening, roll.closing) == (D("1200.00"), D("0"))
    assert figures(roll)["refunded"] == (D("-600.00"), 2)
    assert figures(roll)["retained"] == (D("-600.00"), 2)
    assert figures(roll)["cancelled"] == (D("0"), 2)
    assert roll.closing == open_now
    assert reconciles(roll)
    april_second = reports.credit_rollforward(date(2026, 4, 2), date(2026, 4, 2))
    assert (april_second.opening, april_second.closing) == (D("1200.00"), D("300.00"))
    assert figures(april_second)["refunded"] == (D("-600.00"), 1)
    assert figures(april_second)["retained"] == (D("-300.00"), 1)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 1)),
        (date(2025, 1, 1), date(2025, 3, 31)),  # before anything: no month has lines
    ],
)
def test_the_windows_one_statement_gives_the_same_figures(clinic_history, start, end):
    """`credit_figures` (the Saldo de créditos window's one statement) is the roll-forward
    and its months as read apart, a package vencido at the end included."""
    ana = clinic.add_patient("Bia Lima")
    with clock.frozen(at(1, 12)):
        packages.create_package(
            ana, 2, D("400.00"), paid_on=date(2026, 1, 12), valid_until=date(2026, 2, 10)
        )
    roll, months = reports.credit_figures(start, end)
    assert roll == reports.credit_rollforward(start, end)
    assert months == reports.credit_by_month(start, end)
    if end >= date(2026, 2, 28):
        assert roll.expired_count == 1 and roll.expired_credit == D("400.00")
