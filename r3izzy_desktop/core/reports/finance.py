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

Every figure is a SQL aggregate (SUM / COUNT, with CASE per month); money is Decimal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

from peewee import Case, fn

from .. import clock
from ..errors import ValidationError
from ..ptbr import from_cents
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
    edges = _month_edges(end, MONTHS_IN_CHART)
    # The packages sold and the installments received, in the period and per month of the
    # chart, and what packages owe now: one aggregate query each.
    in_period = (Package.paid_on >= start) & (Package.paid_on <= end)
    sold_cents, sold_count, *sold_months = (
        Package.select(
            fn.SUM(Case(None, [(in_period, Package.total)], 0)).coerce(False),
            fn.SUM(Case(None, [(in_period, 1)], 0)).coerce(False),
            *_month_columns(Package.total, Package.paid_on, edges),
        )
        .tuples()
        .get()
    )
    credit_sold = _money(sold_cents)
    got = (Installment.received_on >= start) & (Installment.received_on <= end)
    owing = Installment.received_on.is_null() & (Package.status != _CLOSED)
    late = owing & (Installment.due_on < clock.today())
    (
        got_cents,
        got_count,
        owed_cents,
        packages_owing,
        late_cents,
        packages_late,
        *got_months,
    ) = (
        Installment.select(
            fn.SUM(Case(None, [(got, Installment.amount)], 0)).coerce(False),
            fn.SUM(Case(None, [(got, 1)], 0)).coerce(False),
            fn.SUM(Case(None, [(owing, Installment.amount)], 0)).coerce(False),
            fn.COUNT(fn.DISTINCT(Case(None, [(owing, Installment.package)], None))),
            fn.SUM(Case(None, [(late, Installment.amount)], 0)).coerce(False),
            fn.COUNT(fn.DISTINCT(Case(None, [(late, Installment.package)], None))),
            *_month_columns(Installment.amount, Installment.received_on, edges),
        )
        .join(Package)
        .tuples()
        .get()
    )
    package_received = _money(got_cents)
    received = [
        MethodAmount(method, method_label(method), *by_method[method])
        for method in (*MANUAL_METHODS, *sorted(set(by_method) - set(MANUAL_METHODS)))
        if method in by_method
    ]
    if got_count:
        received.append(MethodAmount(PACOTE, PACKAGE_SALES_LABEL, package_received, int(got_count)))

    open_cents, open_count = (
        Session.select(fn.SUM(Session.price).coerce(False), fn.COUNT(Session.id))
        .where(
            (Session.starts_at >= _day_start(start))
            & (Session.starts_at < after_end)
            & Session.deleted_at.is_null()
            & (Session.attendance != FALTA_JUSTIFICADA)
            & (Session.price > 0)
            & ~session_is_paid()
        )
        .tuples()
        .get()
    )
    credit_cents, sessions_open, packages_open = (
        Package.select(
            fn.SUM(Package.open_amount).coerce(False),
            fn.SUM(Package.sessions_total - Package.sessions_used).coerce(False),
            fn.COUNT(Package.id),
        )
        .where(Package.status.not_in((FINALIZADO, ENCERRADO)))
        .tuples()
        .get()
    )
    refunds, refunds_count = period_refunds(start, end)
    consumed_cents, consumed_count = (
        Payment.select(fn.SUM(Payment.amount).coerce(False), fn.COUNT(Payment.id))
        .join(Session)
        .where(
            Payment.package.is_null(False)
            & Payment.voided_at.is_null()
            & (Session.starts_at >= _day_start(start))
            & (Session.starts_at < after_end)
        )
        .tuples()
        .get()
    )
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
        months=monthly_figures(
            end,
            sold=[_money(c) for c in sold_months],
            installments=[_money(c) for c in got_months],
        ),
        package_received=package_received,
        installments_received=int(got_count or 0),
        package_owed=_money(owed_cents),
        packages_owing=int(packages_owing or 0),
        package_overdue=_money(late_cents),
        packages_overdue=int(packages_late or 0),
        refunds=refunds,
        refunds_count=refunds_count,
    )


def _month_edges(end: date, months: int) -> list[date]:
    """The first day of each of the `months` months ending with `end`'s, and of the next."""
    first = add_months(month_start(end), -(months - 1))
    return [add_months(first, i) for i in range(months + 1)]


def _month_columns(amount, when, edges: list[date]) -> list:
    """SUM(CASE WHEN `when` in month i THEN `amount` ELSE 0 END) for each month (a date
    column)."""
    return [
        fn.SUM(Case(None, [((when >= low) & (when < high), amount)], 0)).coerce(False)
        for low, high in pairwise(edges)
    ]


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
    cents, count = (
        PackageEvent.select(
            fn.SUM(PackageEvent.refunded).coerce(False),
            fn.COUNT(Case(None, [(PackageEvent.refunded > 0, 1)], None)).coerce(False),
        )
        .where(
            (PackageEvent.kind == ENCERRADO)
            & (PackageEvent.at >= _day_start(start))
            & (PackageEvent.at < _day_start(end + timedelta(days=1)))
        )
        .tuples()
        .get()
    )
    return _money(cents), int(count or 0)


def _monthly_sums(query_model, amount, when, months: list[date], where, *, as_datetime: bool):
    """One row of SUM(CASE WHEN `when` in month i THEN `amount` ELSE 0 END), i = 0..11."""
    columns = []
    for first, following in pairwise(months):
        low, high = (first, following)
        if as_datetime:
            low, high = _day_start(first), _day_start(following)
        columns.append(fn.SUM(Case(None, [((when >= low) & (when < high), amount)], 0)))
    values = query_model.where(where).select(*[c.coerce(False) for c in columns]).tuples().get()
    return [_money(value) for value in values]


def monthly_figures(
    end: date,
    months: int = MONTHS_IN_CHART,
    *,
    sold: list[Decimal] | None = None,
    installments: list[Decimal] | None = None,
) -> tuple[MonthFigures, ...]:
    """Received (manual payments and package installments), credit sold and credit consumed
    per month, for the `months` months ending with `end`'s month (oldest first). Four
    aggregate queries, whatever the data size; two when the caller already summed what was
    sold and the installments received per month (`finance_summary` does, in the queries
    of its period)."""
    edges = _month_edges(end, months)
    window = (edges[0], edges[-1])
    manual = _monthly_sums(
        Payment.select(),
        Payment.amount,
        Payment.paid_on,
        edges,
        Payment.package.is_null()
        & Payment.voided_at.is_null()
        & (Payment.paid_on >= window[0])
        & (Payment.paid_on < window[1]),
        as_datetime=False,
    )
    installments = installments or _monthly_sums(
        Installment.select(),
        Installment.amount,
        Installment.received_on,
        edges,
        (Installment.received_on >= window[0]) & (Installment.received_on < window[1]),
        as_datetime=False,
    )
    sold = sold or _monthly_sums(
        Package.select(),
        Package.total,
        Package.paid_on,
        edges,
        (Package.paid_on >= window[0]) & (Package.paid_on < window[1]),
        as_datetime=False,
    )
    consumed = _monthly_sums(
        Payment.select().join(Session),
        Payment.amount,
        Session.starts_at,
        edges,
        Payment.package.is_null(False)
        & Payment.voided_at.is_null()
        & (Session.starts_at >= _day_start(window[0]))
        & (Session.starts_at < _day_start(window[1])),
        as_datetime=True,
    )
    return tuple(
        MonthFigures(edges[i], manual[i] + installments[i], sold[i], consumed[i])
        for i in range(months)
    )
