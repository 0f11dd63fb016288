"""The credit roll-forward (SPEC §3b R20): the prepaid credit the clinic owes in sessions
(the packages' open amounts) at the start and at the end of a period, and every movement
between, each as a sum and a count.

Computed in SQL from the history (package_event), never by replaying packages in Python:
each line's change of its package's open amount is `open_amount - LAG(open_amount)` over
the package's lines in id order (0 before the first line). Then, with `at` placing a line
before, inside or after the period:

- opening = the sum of the changes of the lines before the start instant (for each package
  that is its open amount after its last line before it, 0 when it did not exist yet);
- closing = the sum of the changes of the lines before the end instant (the end of `end`);
- the movements are the changes of the lines inside, by kind: `criado` -> sold,
  `alterado manualmente` -> adjusted (every line counts, even one that changes nothing),
  `sessão debitada` -> consumed, `sessão creditada` -> credited, and an `encerrado` line
  (R19) -> refunded, retained and cancelled, from its three columns, each negative and each
  counted once even when zero. Installment lines leave the open amount as it was.

So opening + movements = closing to the centavo by construction, and for an end of today or
later the closing is the sum of the packages' current open amounts (the last line of a
package carries its current figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from peewee import JOIN, SQL, Case, Select, fn

from .. import access
from ..errors import ValidationError
from ..ptbr import format_date, from_cents
from ..store.models import PackageEvent
from ..terms import ALTERADO, ATIVO, CREDITADA, CRIADO, DEBITADA, ENCERRADO

# The movements, in the order the screens and the workbook show them: (attribute, kind).
MOVEMENTS: tuple[tuple[str, str], ...] = (
    ("sold", CRIADO),
    ("adjusted", ALTERADO),
    ("consumed", DEBITADA),
    ("credited", CREDITADA),
    ("refunded", ENCERRADO),
    ("retained", ENCERRADO),
    ("cancelled", ENCERRADO),
)

# What the screen, its printout and the workbook call each movement. "Devolvido" is money
# given back to the patient (R19's refund, "Devoluções" in Gestão Financeira); a session
# credited back to its package is "Creditado de volta".
MOVEMENT_LABELS = {
    "sold": "Vendido (pacotes criados)",
    "adjusted": "Ajustes (alterações manuais)",
    "consumed": "Consumido (sessões debitadas)",
    "credited": "Creditado de volta (sessões creditadas)",
    "refunded": "Devolvido ao paciente (encerramentos)",
    "retained": "Retido pela clínica (encerramentos)",
    "cancelled": "Cancelado, não recebido (encerramentos)",
}

# The kinds of the roll-forward's lines as shown (CreditLine.kind).
OPENING, MOVEMENT, CLOSING, EXPIRED = "opening", "movement", "closing", "expired"


@dataclass(frozen=True)
class CreditLine:
    """One line of the roll-forward as the screen, its printout and the workbook show it:
    the opening, each movement (`name` its attribute), the closing, the credit vencido."""

    kind: str  # OPENING, MOVEMENT, CLOSING or EXPIRED
    name: str  # the attribute of CreditRollforward it shows
    label: str
    count: int | None  # history lines (a movement), packages (vencido); None for a balance
    amount: Decimal


@dataclass(frozen=True)
class CreditRollforward:
    start: date
    end: date
    opening: Decimal
    sold: Decimal
    sold_count: int
    adjusted: Decimal
    adjusted_count: int
    consumed: Decimal  # negative
    consumed_count: int
    credited: Decimal
    credited_count: int
    refunded: Decimal  # negative
    refunded_count: int
    retained: Decimal  # negative
    retained_count: int
    cancelled: Decimal  # negative
    cancelled_count: int
    closing: Decimal
    expired_credit: Decimal  # of packages vencido at `end` (ativo, sessions left, expired)
    expired_count: int

    @property
    def movements(self) -> tuple[tuple[str, str, Decimal, int], ...]:
        """(attribute, label, sum, count) of each movement, in the screen's order."""
        return tuple(
            (name, MOVEMENT_LABELS[name], getattr(self, name), getattr(self, f"{name}_count"))
            for name, _kind in MOVEMENTS
        )

    def lines(self) -> tuple[CreditLine, ...]:
        """Saldo inicial, the seven movements, Saldo final, and the credit vencido at the
        end (part of the closing, shown apart)."""
        return (
            CreditLine(
                OPENING,
                "opening",
                f"Saldo inicial em {format_date(self.start)}",
                None,
                self.opening,
            ),
            *(
                CreditLine(MOVEMENT, name, label, count, amount)
                for name, label, amount, count in self.movements
            ),
            CreditLine(
                CLOSING, "closing", f"Saldo final em {format_date(self.end)}", None, self.closing
            ),
            CreditLine(
                EXPIRED,
                "expired_credit",
                f"Crédito vencido em {format_date(self.end)}",
                self.expired_count,
                self.expired_credit,
            ),
        )


@dataclass(frozen=True)
class MonthCredit:
    month: date  # the first day of the month
    credit: Decimal  # the credit at the end of the month (or of the period's last day)


def _money(cents: Any) -> Decimal:
    return from_cents(int(cents or 0))


def _instant(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


def _check_period(start: Any, end: Any) -> None:
    if not isinstance(start, date) or not isinstance(end, date):
        raise ValidationError("Informe o período (data inicial e final).")
    if start > end:
        raise ValidationError("A data inicial do período é posterior à data final.")


def _changes(*columns: Any):
    """Every history line with the change it made to its package's open amount, and the
    other `columns` (expressions on PackageEvent, each aliased)."""
    previous = fn.LAG(PackageEvent.open_amount, 1, 0).over(
        partition_by=[PackageEvent.package], order_by=[PackageEvent.id]
    )
    return PackageEvent.select(
        PackageEvent.kind.alias("kind"),
        (PackageEvent.open_amount - previous).alias("delta"),
        *columns,
    )


def _sum_if(condition: Any, value: Any) -> Any:
    return fn.SUM(Case(None, [(condition, value)], 0)).coerce(False)


def _count_if(condition: Any) -> Any:
    return fn.COUNT(Case(None, [(condition, 1)], None)).coerce(False)


@access.allowed("reports.credit_rollforward")
def credit_rollforward(start: date, end: date) -> CreditRollforward:
    """The roll-forward of [start, end], both days included (module doc). Two statements:
    the window aggregate and the credit of the packages vencido at `end`."""
    _check_period(start, end)
    row = _rollforward_query(start, end).tuples().get()
    expired = _expired_query(end).tuples().get()
    return _rollforward_of(start, end, row, expired)


@access.allowed("reports.credit_rollforward")
def credit_figures(start: date, end: date) -> tuple[CreditRollforward, tuple[MonthCredit, ...]]:
    """`credit_rollforward(start, end)` and `credit_by_month(start, end)` (what the Saldo de
    créditos window shows) in one statement, so they agree without a transaction around
    them: the two single-row aggregates in the FROM, the months' rows LEFT JOINed on them
    (each month's row repeats them)."""
    _check_period(start, end)
    roll = _rollforward_query(start, end).alias("roll")
    expired = _expired_query(end).alias("expired")
    months, by_month = _months_query(start, end)
    rows_of = by_month.alias("months")
    columns = [
        getattr(table.c, column._alias) for table in (roll, expired) for column in table._returning
    ]
    query = (
        Select(from_list=[roll, expired], columns=[rows_of.c.bucket, rows_of.c.credit, *columns])
        .join(rows_of, JOIN.LEFT_OUTER, on=SQL("1 = 1"))
        .bind(PackageEvent._meta.database)
    )
    rows = list(query.tuples())
    figures = rows[0][2:]
    width = len(roll._returning)
    result = _rollforward_of(start, end, figures[:width], figures[width:])
    buckets = [(bucket, cents) for bucket, cents, *_ in rows if bucket is not None]
    return result, _months_of(months, buckets)


def _rollforward_query(start: date, end: date):
    """The window aggregate of the roll-forward: opening, closing, then each movement's
    sum and count (MOVEMENTS' order), each column aliased."""
    low, high = _instant(start), _instant(end + timedelta(days=1))
    phase = Case(None, [(PackageEvent.at < low, 0), (PackageEvent.at < high, 1)], 2)
    lines = _changes(
        phase.alias("phase"),
        PackageEvent.refunded.alias("refunded"),
        PackageEvent.retained.alias("retained"),
        PackageEvent.cancelled.alias("cancelled"),
    ).alias("lines")
    inside = lines.c.phase == 1
    columns = [
        _sum_if(lines.c.phase == 0, lines.c.delta),
        _sum_if(lines.c.phase < 2, lines.c.delta),
    ]
    for name, kind in MOVEMENTS:
        where = inside & (lines.c.kind == kind)
        # (0 - x: peewee reads a unary minus as DESC.)
        value = 0 - getattr(lines.c, name) if kind == ENCERRADO else lines.c.delta
        columns += [_sum_if(where, value), _count_if(where)]
    aliased = [column.alias(f"v{index}") for index, column in enumerate(columns)]
    return PackageEvent.select(*aliased).from_(lines)


def _rollforward_of(start: date, end: date, row, expired) -> CreditRollforward:
    opening, closing, *moved = row
    figures: dict[str, Any] = {}
    for index, (name, _kind) in enumerate(MOVEMENTS):
        figures[name] = _money(moved[2 * index])
        figures[f"{name}_count"] = int(moved[2 * index + 1] or 0)
    cents, count = expired
    return CreditRollforward(
        start=start,
        end=end,
        opening=_money(opening),
        closing=_money(closing),
        expired_credit=_money(cents),
        expired_count=int(count or 0),
        **figures,
    )


def _expired_query(end: date):
    """The open amount and the number of the packages vencido at `end` (columns cents, n):
    as their last line before the end instant left them `ativo` with sessions left, and the
    validity of their last `criado`/`alterado manualmente` line (the lines that set it)
    before `end`."""
    high = _instant(end + timedelta(days=1))
    terms = Case(None, [(PackageEvent.kind.in_((CRIADO, ALTERADO)), PackageEvent.id)], None)
    last = (
        PackageEvent.select(
            PackageEvent.package.alias("package_id"),
            fn.MAX(PackageEvent.id).alias("last_id"),
            fn.MAX(terms).alias("terms_id"),
        )
        .where(PackageEvent.at < high)
        .group_by(PackageEvent.package)
        .alias("last")
    )
    state = PackageEvent.alias("state")
    terms_line = PackageEvent.alias("terms_line")
    return (
        state.select(
            fn.SUM(state.open_amount).coerce(False).alias("cents"),
            fn.COUNT(state.id).alias("n"),
        )
        .from_(last)
        .join(state, on=(state.id == last.c.last_id))
        .join(terms_line, on=(terms_line.id == last.c.terms_id))
        .where(
            (state.status == ATIVO)
            & (state.sessions_left > 0)
            & terms_line.valid_until.is_null(False)
            & (terms_line.valid_until < end)
        )
    )


def month_edges(start: date, end: date) -> list[date]:
    """The first day of each month from `start`'s to `end`'s."""
    months = []
    day = start.replace(day=1)
    while day <= end:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def _bucket(edges: list[date], low: int, high: int) -> Any:
    """The number of `edges` at or before a line's `at`, knowing it is between `low` and
    `high`: a CASE that halves the range at each step, so a line is compared with about
    log2(months) edges rather than with every one (60 months: 6 comparisons, not 60)."""
    if low == high:
        return SQL(str(low))
    middle = (low + high) // 2
    return Case(
        None,
        [(PackageEvent.at < _instant(edges[middle]), _bucket(edges, low, middle))],
        _bucket(edges, middle + 1, high),
    )


@access.allowed("reports.credit_rollforward")
def credit_by_month(start: date, end: date) -> tuple[MonthCredit, ...]:
    """The credit at the end of each month from `start`'s month to `end`'s (the last one at
    the end of `end`), for the chart. One statement (`_months_query`)."""
    _check_period(start, end)
    months, query = _months_query(start, end)
    return _months_of(months, query.tuples())


def _months_query(start: date, end: date):
    """The months of [start, end] and the statement of their credit: each line's change
    goes to the first month that ends after it (`_bucket`), summed per month and
    accumulated in order (a window SUM over the monthly sums); rows (bucket, credit) for
    the months with lines only."""
    months = month_edges(start, end)
    edges = [*months[1:], end + timedelta(days=1)]
    edges = [min(edge, end + timedelta(days=1)) for edge in edges]
    inner = _changes(_bucket(edges, 0, len(edges)).alias("bucket")).alias("lines")
    # Lines after the end (bucket len(edges)) are left out only here, after LAG saw them
    # in order, never inside the window's subquery.
    query = (
        PackageEvent.select(
            inner.c.bucket.alias("bucket"),
            fn.SUM(fn.SUM(inner.c.delta))
            .over(order_by=[inner.c.bucket])
            .coerce(False)
            .alias("credit"),
        )
        .from_(inner)
        .where(inner.c.bucket < len(edges))
        .group_by(inner.c.bucket)
        .order_by(inner.c.bucket)
    )
    return months, query


def _months_of(months: list[date], rows) -> tuple[MonthCredit, ...]:
    """A month without lines keeps the credit before it."""
    credit_at = {int(bucket): cents for bucket, cents in rows}
    figures, cents = [], 0
    for index, month in enumerate(months):
        cents = credit_at.get(index, cents)
        figures.append(MonthCredit(month, _money(cents)))
    return tuple(figures)
