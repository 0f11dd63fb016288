"""The finance summary of a period (Gestão Financeira, SPEC §5.8).

What counts as what:
- **Received** (Recebido): money that came in. Manual payments that are not voided, by
  their payment date (`paid_on`), by method; plus the package installments received in
  the period, by the day each was received (R18; a package without a plan is one
  installment 1/1 received on its payment date, so that is its whole total on that day).
  A package debit is not cash received: it consumes credit the patient prepaid, so
  counting it would count the package's money twice.
- **What packages still owe** (A receber), now: the installments not received of every
  package but an `encerrado` one; of it, **overdue** (Em atraso): those due before today.
- **Open receivables** (Em aberto): sessions starting in the period, not deleted, not a
  justified absence, with no active payment and a price above zero.
- **Package credit still open** (Crédito de pacotes em aberto): what the clinic still
  owes in prepaid sessions, now (not tied to the period): the open amount of every
  package that is not `finalizado` nor `encerrado`. An `inativo` package counts: the
  patient still has that credit, the package is only paused. (A `finalizado` or
  `encerrado` package has no open amount.)
- **Credit sold** in the period: the totals of packages paid in the period.
- **Credit consumed** in the period: the active package debits of sessions that start in
  the period.
- **Refunds** (Devoluções, R19): the money given back by the packages closed early, by
  the instant of their `encerrado` line (`at`) within the period.
- **Months**: received, sold and consumed for each of the 12 months ending with the
  period's last month, for the chart.

Every figure is a SQL aggregate (SUM / COUNT), all of them in one statement whatever the
data size (`summary_query`), read from indexes over their ranges (schema 11); money is
Decimal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

from peewee import JOIN, SQL, Case, Select, fn

from .. import clock
from ..errors import ValidationError
from ..ptbr import from_cents
from ..store.binding import is_postgres
from ..store.models import Installment, Package, PackageEvent, Payment, Session, session_is_paid
from ..terms import ENCERRADO, FALTA_JUSTIFICADA, FINALIZADO, MANUAL_METHODS, PACOTE, method_label

PACKAGE_SALES_LABEL = "Pacotes"  # the installments of packages received in the period
_CLOSED = ENCERRADO  # R19: what a closed package did not receive was cancelled
MONTHS_IN_CHART = 12


@dataclass(frozen=True)
class MethodAmount:
    method: str  # a manual method key, or "pacote" for the installments of packages
    label: str  # "Pix", "Pacotes"
    amount: Decimal
    count: int  # payments, or installments received


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
    # R18: package money received in the period (installments) and how many installments;
    # what packages still owe now (installments not received) and how many packages; of
    # it what is overdue (due before today) and how many packages.
    package_received: Decimal = Decimal("0.00")
    installments_received: int = 0
    package_owed: Decimal = Decimal("0.00")
    packages_owing: int = 0
    package_overdue: Decimal = Decimal("0.00")
    packages_overdue: int = 0
    # R19: given back by the packages closed early in the period ("Devoluções").
    refunds: Decimal = Decimal("0.00")
    refunds_count: int = 0  # closings that gave something back


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


def finance_summary(start: date, end: date, *, months: bool = True) -> FinanceSummary:
    """The figures of the period [start, end] (both days included); see the module doc.
    One statement, whatever the data size (`summary_query`); `months=False` leaves the
    chart's months out (`months` is then (): `monthly_figures` reads them)."""
    query, read = summary_query(start, end, months=months)
    return read(list(query.tuples()))


def summary_query(
    start: date, end: date, extra: dict[str, Any] | None = None, *, months: bool = True
) -> tuple[Select, Callable[[list[tuple]], FinanceSummary]]:
    """The one statement of `finance_summary`, and what turns its rows into the summary.

    Each figure is an aggregate over a range its indexes reach: the period's as single-row
    subqueries of the FROM (sum and count together), each chart month's as a scalar
    subquery of its own (a range scan, never a CASE per month on every row); the manual
    payments by method, the only figure of several rows, LEFT JOINed on them (one row per
    method, the figures repeated; one row of NULL methods when there is none). `extra`:
    more scalar expressions by name, read in the same statement (Gestão Financeira's
    settings); the reader then returns (summary, {name: value}) instead of the summary.
    `months=False`: without the chart's months (`months` is then (); Gestão Financeira
    reads them apart, `monthly_figures`, after its cards are painted)."""
    _check_period(start, end)
    begin, after_end = _day_start(start), _day_start(end + timedelta(days=1))
    today = clock.today()
    owing = Installment.received_on.is_null() & (Package.status != _CLOSED)
    late = Installment.due_on < today
    sources = [
        Package.select(fn.SUM(Package.total).alias("cents"), fn.COUNT(Package.id).alias("n")).where(
            (Package.paid_on >= start) & (Package.paid_on <= end)
        ),
        Installment.select(
            fn.SUM(Installment.amount).alias("cents"), fn.COUNT(Installment.id).alias("n")
        ).where((Installment.received_on >= start) & (Installment.received_on <= end)),
        Installment.select(
            fn.SUM(Installment.amount).alias("cents"),
            fn.COUNT(fn.DISTINCT(Installment.package)).alias("n"),
            fn.SUM(Case(None, [(late, Installment.amount)], 0)).alias("late_cents"),
            fn.COUNT(fn.DISTINCT(Case(None, [(late, Installment.package)], None))).alias("late_n"),
        )
        .join(Package)
        .where(owing),
        Session.select(fn.SUM(Session.price).alias("cents"), fn.COUNT(Session.id).alias("n")).where(
            (Session.starts_at >= begin)
            & (Session.starts_at < after_end)
            & Session.deleted_at.is_null()
            & (Session.attendance != FALTA_JUSTIFICADA)
            & (Session.price > 0)
            & ~session_is_paid()
        ),
        Package.select(
            fn.SUM(Package.open_amount).alias("cents"),
            fn.SUM(Package.sessions_total - Package.sessions_used).alias("sessions"),
            fn.COUNT(Package.id).alias("n"),
        ).where(Package.status.not_in((FINALIZADO, ENCERRADO))),
        _refunds_query(begin, after_end),
        _consumed_query(begin, after_end),
    ]
    names = ("sold", "got", "owed", "open", "credit", "refunds", "consumed")
    tables = [query.alias(name) for name, query in zip(names, sources, strict=True)]
    columns = [column for table in tables for column in _columns_of(table)]
    if months:
        month_tables, month_columns = _month_parts(end)
        tables += month_tables
        columns += month_columns
    extra = extra or {}
    columns += [value.alias(f"extra_{name}") for name, value in extra.items()]
    methods = (
        Payment.select(
            Payment.method.alias("method"),
            fn.SUM(Payment.amount).alias("cents"),
            fn.COUNT(Payment.id).alias("n"),
        )
        .where(_MANUAL & (Payment.paid_on >= start) & (Payment.paid_on <= end))
        .group_by(Payment.method)
        .alias("methods")
    )
    query = (
        Select(from_list=tables, columns=[methods.c.method, methods.c.cents, methods.c.n, *columns])
        .join(methods, JOIN.LEFT_OUTER, on=SQL("1 = 1"))
        .bind(Package._meta.database)
    )

    def read(rows: list[tuple]):
        summary = _summary_of(start, end, rows, len(extra), months)
        if not extra:
            return summary
        return summary, dict(zip(extra, rows[0][-len(extra) :], strict=True))

    return query, read


def _columns_of(table) -> list:
    """The columns of a single-row subquery of the FROM, in its select order."""
    return [getattr(table.c, column._alias) for column in table._returning]


_MANUAL = Payment.package.is_null() & Payment.voided_at.is_null()
_DEBITS = Payment.package.is_null(False) & Payment.voided_at.is_null()


def _month_series(edges: list[date]) -> list[tuple]:
    """The chart's four series: (query, amount, when, its edges, where), in
    MonthFigures' order (manual payments, installments received, sold, consumed)."""
    instants = [_day_start(edge) for edge in edges]
    return [
        (Payment.select(), Payment.amount, Payment.paid_on, edges, _MANUAL),
        (Installment.select(), Installment.amount, Installment.received_on, edges, None),
        (Package.select(), Package.total, Package.paid_on, edges, None),
        (Payment.select().join(Session), Payment.amount, Session.starts_at, instants, _DEBITS),
    ]


def _month_parts(end: date) -> tuple[list, list]:
    """The chart's 4 × MONTHS_IN_CHART sums (series by series, oldest month first) as
    (tables for the FROM, columns). SQLite: a scalar subquery per month, a range scan each
    (a CASE per month on every row of the year costs twice as much there). PostgreSQL: one
    pass per series over the twelve months with a SUM(CASE) per month, in a single-row
    subquery of the FROM (its planner joins a month's debits to their sessions by hashing
    every debit: twelve of those would cost twelve times one)."""
    edges = _month_edges(end, MONTHS_IN_CHART)
    if not is_postgres():
        columns = []
        for query, amount, when, bounds, where in _month_series(edges):
            for low, high in pairwise(bounds):
                within = (when >= low) & (when < high)
                condition = within if where is None else where & within
                columns.append(query.clone().select(fn.SUM(amount)).where(condition))
        return [], columns
    tables, columns = [], []
    for index, (query, amount, when, bounds, where) in enumerate(_month_series(edges)):
        window = (when >= bounds[0]) & (when < bounds[-1])
        sums = [
            fn.SUM(Case(None, [((when >= low) & (when < high), amount)], 0)).alias(f"m{month}")
            for month, (low, high) in enumerate(pairwise(bounds))
        ]
        table = (
            query.clone()
            .select(*sums)
            .where(window if where is None else where & window)
            .alias(f"series{index}")
        )
        tables.append(table)
        columns += _columns_of(table)
    return tables, columns


def _summary_of(
    start: date, end: date, rows: list[tuple], extras: int, with_months: bool
) -> FinanceSummary:
    first = rows[0][3 : len(rows[0]) - extras]
    (sold, sold_n, got, got_n, owed, owing, late, late_n, open_cents, open_n) = first[:10]
    (credit, credit_sessions, credit_n, refunds, refunds_n, consumed, consumed_n) = first[10:17]
    months = first[17:]
    by_method = {
        method: (_money(cents), int(count))
        for method, cents, count, *_ in rows
        if method is not None
    }
    package_received = _money(got)
    received = [
        MethodAmount(method, method_label(method), *by_method[method])
        for method in (*MANUAL_METHODS, *sorted(set(by_method) - set(MANUAL_METHODS)))
        if method in by_method
    ]
    if got_n:
        received.append(MethodAmount(PACOTE, PACKAGE_SALES_LABEL, package_received, int(got_n)))
    figures = _months_of(end, months) if with_months else ()
    return FinanceSummary(
        start=start,
        end=end,
        received_by_method=tuple(received),
        received_total=sum((item.amount for item in received), Decimal("0.00")),
        open_receivables=_money(open_cents),
        open_sessions=int(open_n or 0),
        package_credit_open=_money(credit),
        package_sessions_open=int(credit_sessions or 0),
        packages_open=int(credit_n or 0),
        credit_sold=_money(sold),
        packages_sold=int(sold_n or 0),
        credit_consumed=_money(consumed),
        sessions_consumed=int(consumed_n or 0),
        months=figures,
        package_received=package_received,
        installments_received=int(got_n or 0),
        package_owed=_money(owed),
        packages_owing=int(owing or 0),
        package_overdue=_money(late),
        packages_overdue=int(late_n or 0),
        refunds=_money(refunds),
        refunds_count=int(refunds_n or 0),
    )


def _consumed_query(begin: datetime, after_end: datetime):
    """The debits of the sessions starting in [begin, after_end): their sum and count
    (columns cents, n). Each session's active debit as a subquery of its row (a session
    has at most one active payment, R11), so every planner reads the period's sessions and
    looks each one's debit up in its index; joined, PostgreSQL hashed every debit of the
    clinic for a month of sessions."""
    debit = (
        Payment.select(Payment.amount)
        .where((Payment.session == Session.id) & _DEBITS)
        .alias("debit")
    )
    sessions = (
        Session.select(debit.alias("amount"))
        .where((Session.starts_at >= begin) & (Session.starts_at < after_end))
        .alias("period_sessions")
    )
    return Session.select(
        fn.SUM(sessions.c.amount).alias("cents"), fn.COUNT(sessions.c.amount).alias("n")
    ).from_(sessions)


def _check_period(start: Any, end: Any) -> None:
    if not isinstance(start, date) or not isinstance(end, date):
        raise ValidationError("Informe o período (data inicial e final).")
    if start > end:
        raise ValidationError("A data inicial do período é posterior à data final.")


def _refunds_query(begin: datetime, after_end: datetime):
    return PackageEvent.select(
        fn.SUM(PackageEvent.refunded).alias("cents"),
        fn.COUNT(Case(None, [(PackageEvent.refunded > 0, 1)], None)).alias("n"),
    ).where(
        (PackageEvent.kind == ENCERRADO)
        & (PackageEvent.at >= begin)
        & (PackageEvent.at < after_end)
    )


def _month_edges(end: date, months: int) -> list[date]:
    """The first day of each of the `months` months ending with `end`'s, and of the next."""
    first = add_months(month_start(end), -(months - 1))
    return [add_months(first, i) for i in range(months + 1)]


def owed_by_packages(today: date) -> tuple[Decimal, int, Decimal, int]:
    """R18, now: what packages still owe (their installments not received; an `encerrado`
    package owes nothing) and how many packages owe; of it what is overdue (due before
    `today`) and how many packages have an overdue installment. One aggregate query."""
    late = Installment.due_on < today
    owed_cents, owing, late_cents, overdue = (
        Installment.select(
            fn.SUM(Installment.amount).coerce(False),
            fn.COUNT(fn.DISTINCT(Installment.package)),
            fn.SUM(Case(None, [(late, Installment.amount)], 0)).coerce(False),
            fn.COUNT(fn.DISTINCT(Case(None, [(late, Installment.package)], None))),
        )
        .join(Package)
        .where(Installment.received_on.is_null() & (Package.status != _CLOSED))
        .tuples()
        .get()
    )
    return _money(owed_cents), int(owing or 0), _money(late_cents), int(overdue or 0)


def period_refunds(start: date, end: date) -> tuple[Decimal, int]:
    """R19's "Devoluções": the sum of what the `encerrado` lines written in [start, end]
    (by their `at`) gave back, and how many of them gave something back."""
    query = _refunds_query(_day_start(start), _day_start(end + timedelta(days=1)))
    cents, count = query.tuples().get()
    return _money(cents), int(count or 0)


def _months_of(end: date, sums) -> tuple[MonthFigures, ...]:
    """MonthFigures from `_month_parts`' sums."""
    n = MONTHS_IN_CHART
    manual, installments, sold, consumed = (
        [_money(c) for c in sums[i * n : (i + 1) * n]] for i in range(4)
    )
    edges = _month_edges(end, n)
    return tuple(
        MonthFigures(edges[i], manual[i] + installments[i], sold[i], consumed[i]) for i in range(n)
    )


def monthly_figures(end: date) -> tuple[MonthFigures, ...]:
    """Received (manual payments and package installments), credit sold and credit consumed
    per month, for the MONTHS_IN_CHART months ending with `end`'s month (oldest first): the
    chart's figures, as `finance_summary` reads them. One statement, whatever the data size."""
    tables, columns = _month_parts(end)
    query = Select(from_list=tables or None, columns=columns).bind(Package._meta.database)
    return _months_of(end, next(iter(query.tuples())))
