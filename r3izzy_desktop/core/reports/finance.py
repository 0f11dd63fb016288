"""The finance summary of a period (Gestão Financeira, SPEC §5.8).

What counts as what:
- **Received** (Recebido): manual payments that are not voided, by their payment date
  (`paid_on`), by method; plus package sales: a package's total counts as received on
  its payment date. A package debit is not cash received: it consumes credit the
  patient prepaid, so counting it would count the package's money twice.
- **Open receivables** (Em aberto): sessions starting in the period, not deleted, not a
  justified absence, with no active payment and a price above zero.
- **Package credit still open** (Crédito de pacotes em aberto): what the clinic still
  owes in prepaid sessions, now (not tied to the period): the open amount of every
  package that is not `finalizado`. An `inativo` package counts: the patient still has
  that credit, the package is only paused. (A `finalizado` package has no open amount.)
- **Credit sold** in the period: the totals of packages paid in the period.
- **Credit consumed** in the period: the active package debits of sessions that start in
  the period.
- **Months**: received, sold and consumed for each of the 12 months ending with the
  period's last month, for the chart.

Every figure is a SQL aggregate (SUM / COUNT, with CASE per month); money is Decimal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

from peewee import SQL, Case, Select, fn

from ..errors import ValidationError
from ..ptbr import from_cents
from ..store.binding import db
from ..store.models import Package, Payment, Session, session_is_paid
from ..terms import FALTA_JUSTIFICADA, FINALIZADO, MANUAL_METHODS, PACOTE, method_label

PACKAGE_SALES_LABEL = "Venda de pacotes"
MONTHS_IN_CHART = 12


@dataclass(frozen=True)
class MethodAmount:
    method: str  # a manual method key, or "pacote" for package sales
    label: str  # "Pix", "Venda de pacotes"
    amount: Decimal
    count: int  # payments, or packages sold


@dataclass(frozen=True)
class MonthFigures:
    month: date  # the first day of the month
    received: Decimal
    credit_sold: Decimal
    credit_consumed: Decimal


@dataclass(frozen=True)
class FinanceSummary:
    start: date
    end: date
    received_by_method: tuple[MethodAmount, ...]  # only methods with something received
    received_total: Decimal
    open_receivables: Decimal
    open_sessions: int
    package_credit_open: Decimal
    package_sessions_open: int
    packages_open: int
    credit_sold: Decimal
    packages_sold: int
    credit_consumed: Decimal
    sessions_consumed: int
    months: tuple[MonthFigures, ...]  # oldest first, MONTHS_IN_CHART of them


def _money(cents: Any) -> Decimal:
    return from_cents(int(cents or 0))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def current_month(today: date) -> tuple[date, date]:
    """The first and last day of `today`'s month (the page's default period)."""
    first = month_start(today)
    return first, add_months(first, 1) - timedelta(days=1)


def finance_summary(start: date, end: date) -> FinanceSummary:
    """The figures of the period [start, end] (both days included); see the module doc."""
    if not isinstance(start, date) or not isinstance(end, date):
        raise ValidationError("Informe o período (data inicial e final).")
    if start > end:
        raise ValidationError("A data inicial do período é posterior à data final.")
    after_end = _day_start(end + timedelta(days=1))

    manual = (
        Payment.select(Payment.method, fn.SUM(Payment.amount).coerce(False), fn.COUNT(Payment.id))
        .where(
            Payment.package.is_null()
            & Payment.voided_at.is_null()
            & (Payment.paid_on >= start)
            & (Payment.paid_on <= end)
        )
        .group_by(Payment.method)
        .tuples()
    )
    by_method = {method: (_money(cents), int(count)) for method, cents, count in manual}
    row = _side_by_side(
        # credit sold: packages paid in the period
        Package.select(fn.SUM(Package.total), fn.COUNT(Package.id)).where(
            (Package.paid_on >= start) & (Package.paid_on <= end)
        ),
        # open receivables: the period's sessions that owe
        Session.select(fn.SUM(Session.price), fn.COUNT(Session.id)).where(
            (Session.starts_at >= _day_start(start))
            & (Session.starts_at < after_end)
            & Session.deleted_at.is_null()
            & (Session.attendance != FALTA_JUSTIFICADA)
            & (Session.price > 0)
            & ~session_is_paid()
        ),
        # package credit open today
        Package.select(
            fn.SUM(Package.open_amount),
            fn.SUM(Package.sessions_total - Package.sessions_used),
            fn.COUNT(Package.id),
        ).where(Package.status != FINALIZADO),
        # credit consumed by the period's sessions
        Payment.select(fn.SUM(Payment.amount), fn.COUNT(Payment.id))
        .join(Session)
        .where(
            Payment.package.is_null(False)
            & Payment.voided_at.is_null()
            & (Session.starts_at >= _day_start(start))
            & (Session.starts_at < after_end)
        ),
        *_monthly_queries(end),
    )
    (
        sold_cents,
        sold_count,
        open_cents,
        open_count,
        credit_cents,
        sessions_open,
        packages_open,
        consumed_cents,
        consumed_count,
    ) = row[:9]
    credit_sold = _money(sold_cents)
    received = [
        MethodAmount(method, method_label(method), *by_method[method])
        for method in (*MANUAL_METHODS, *sorted(set(by_method) - set(MANUAL_METHODS)))
        if method in by_method
    ]
    if sold_count:
        received.append(MethodAmount(PACOTE, PACKAGE_SALES_LABEL, credit_sold, int(sold_count)))
    return FinanceSummary(
        start=start,
        end=end,
        received_by_method=tuple(received),
        received_total=sum((item.amount for item in received), Decimal("0.00")),
        open_receivables=_money(open_cents),
        open_sessions=int(open_count or 0),
        package_credit_open=_money(credit_cents),
        package_sessions_open=int(sessions_open or 0),
        packages_open=int(packages_open or 0),
        credit_sold=credit_sold,
        packages_sold=int(sold_count or 0),
        credit_consumed=_money(consumed_cents),
        sessions_consumed=int(consumed_count or 0),
        months=_months_of(end, row[9:]),
    )


def _side_by_side(*queries) -> tuple:
    """The one row of each aggregate query (no GROUP BY), side by side, in one statement:
    SELECT * FROM (q0), (q1), … (on a clinic's server every statement is a round trip,
    and the page's figures were eight of them)."""
    parts = []
    for index, query in enumerate(queries):
        columns = [
            column.coerce(False).alias(f"c{index}_{place}")
            for place, column in enumerate(query._returning)
        ]
        parts.append(query.select(*columns).alias(f"q{index}"))
    row = db.execute(Select(from_list=parts, columns=[SQL("*")])).fetchone()
    return tuple(row)


def _monthly_sum_columns(amount, when, months: list[date], *, as_datetime: bool) -> list:
    """SUM(CASE WHEN `when` in month i THEN `amount` ELSE 0 END), i = 0..11."""
    columns = []
    for first, following in pairwise(months):
        low, high = (first, following)
        if as_datetime:
            low, high = _day_start(first), _day_start(following)
        columns.append(fn.SUM(Case(None, [((when >= low) & (when < high), amount)], 0)))
    return columns


def _monthly_queries(end: date, months: int = MONTHS_IN_CHART) -> list:
    """The three aggregate queries of the chart (one row each): manual payments received,
    credit sold and credit consumed per month, the `months` months ending with `end`'s."""
    first = add_months(month_start(end), -(months - 1))
    edges = [add_months(first, i) for i in range(months + 1)]
    window = (edges[0], edges[-1])
    manual = Payment.select(
        *_monthly_sum_columns(Payment.amount, Payment.paid_on, edges, as_datetime=False)
    ).where(
        Payment.package.is_null()
        & Payment.voided_at.is_null()
        & (Payment.paid_on >= window[0])
        & (Payment.paid_on < window[1])
    )
    sold = Package.select(
        *_monthly_sum_columns(Package.total, Package.paid_on, edges, as_datetime=False)
    ).where((Package.paid_on >= window[0]) & (Package.paid_on < window[1]))
    consumed = (
        Payment.select(
            *_monthly_sum_columns(Payment.amount, Session.starts_at, edges, as_datetime=True)
        )
        .join(Session)
        .where(
            Payment.package.is_null(False)
            & Payment.voided_at.is_null()
            & (Session.starts_at >= _day_start(window[0]))
            & (Session.starts_at < _day_start(window[1]))
        )
    )
    return [manual, sold, consumed]


def _months_of(end: date, sums: tuple, months: int = MONTHS_IN_CHART) -> tuple[MonthFigures, ...]:
    first = add_months(month_start(end), -(months - 1))
    edges = [add_months(first, i) for i in range(months + 1)]
    manual = [_money(v) for v in sums[:months]]
    sold = [_money(v) for v in sums[months : 2 * months]]
    consumed = [_money(v) for v in sums[2 * months : 3 * months]]
    return tuple(
        MonthFigures(edges[i], manual[i] + sold[i], sold[i], consumed[i]) for i in range(months)
    )


def monthly_figures(end: date, months: int = MONTHS_IN_CHART) -> tuple[MonthFigures, ...]:
    """Received, credit sold and credit consumed per month, for the `months` months ending
    with `end`'s month (oldest first). One statement, whatever the data size."""
    return _months_of(end, _side_by_side(*_monthly_queries(end, months)), months)
