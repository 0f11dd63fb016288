"""The credit roll-forward (SPEC §3b R20): the prepaid credit the clinic owes in sessions
(the packages' open amounts) at the start and at the end of a period, and every movement
between, each as a sum and a count.

Computed in SQL, never by replaying packages in Python, from each history line's change of
its package's open amount (`package_event.open_change`, schema 12: its open_amount minus
the one of the package's line before it in id order, 0 before the first line), working
back from today's credit, so a period reads the lines at or after its start alone, each
part a range of an index of schema 12 (`package_event_change_read`: `at` and the change;
`package_event_credit_read`: kind, `at` and what a closing split), never the whole
history:

- the credit now is the sum of the packages' open amounts (each package's last line
  carries its current figures, R14), which is the sum of every line's change;
- closing = the credit now minus the changes of the lines at or after the end instant
  (the day after `end`, 00:00); opening = the closing minus the changes of the lines
  inside the period (at or after the start instant, before the end instant);
- the movements are the changes of the lines inside, by kind: `criado` -> sold,
  `alterado manualmente` -> adjusted (every line counts, even one that changes nothing),
  `sessão debitada` -> consumed, `sessão creditada` -> credited, and an `encerrado` line
  (R19) -> refunded, retained and cancelled, from its three columns, each negative and each
  counted once even when zero. Installment lines leave the open amount as it was;
- each month's credit at its end (the chart) is the closing minus the changes of the
  period's lines after the month;
- the credit vencido at `end` (ativo with sessions left as of `end`, its validity as of
  `end` before `end`): a package without a line after the end instant is as it is now
  (its row), one with lines after it as its last line before it left it, with the
  validity of its last `criado`/`alterado manualmente` line before it (looked up only for
  those whose validity now is before `end` or that were changed by hand after it).

So opening + movements = closing to the centavo by construction, and for an end of today or
later the closing is the sum of the packages' current open amounts. The figures are those
of the lines' `open_amount - LAG(open_amount)` over every line (the test compares them) in
a database the integrity check finds consistent (it checks each line's change too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

from peewee import JOIN, SQL, Case, Select, ValuesList, fn

from .. import access
from ..errors import ValidationError
from ..ptbr import format_date, from_cents
from ..store.models import Package, PackageEvent
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

# The three columns of an `encerrado` line (R19), each a movement of its own.
SPLIT = ("refunded", "retained", "cancelled")

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


def _cents(value: Any) -> int:
    """A sum of centavos as the driver gives it (None for no row)."""
    return int(value or 0)


def _money(cents: Any) -> Decimal:
    return from_cents(_cents(cents))


def _instant(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


def _check_period(start: Any, end: Any) -> None:
    if not isinstance(start, date) or not isinstance(end, date):
        raise ValidationError("Informe o período (data inicial e final).")
    if start > end:
        raise ValidationError("A data inicial do período é posterior à data final.")


def _sum_if(condition: Any, value: Any) -> Any:
    return fn.SUM(Case(None, [(condition, value)], 0)).coerce(False)


def _count_if(condition: Any) -> Any:
    return fn.COUNT(Case(None, [(condition, 1)], None)).coerce(False)


def _high(end: date) -> datetime:
    """The end instant of a period ending on `end`: the next day, 00:00."""
    return _instant(end + timedelta(days=1))


def _changes(low: datetime | None, high: datetime | None) -> Select:
    """The sum of the changes of the lines with low <= at < high (None: no bound), read
    from the change index over `at`."""
    line = PackageEvent.alias("line")
    where = []
    if low is not None:
        where.append(line.at >= low)
    if high is not None:
        where.append(line.at < high)
    return line.select(fn.SUM(line.open_change).coerce(False)).where(*where)


@access.allowed("reports.credit_rollforward")
def credit_rollforward(start: date, end: date) -> CreditRollforward:
    """The roll-forward of [start, end], both days included (module doc). One statement,
    its single-row parts (`_rollforward_parts`) in its FROM."""
    _check_period(start, end)
    parts = _rollforward_parts(start, end)
    query = Select(from_list=parts, columns=_columns_of(parts)).bind(PackageEvent._meta.database)
    return _rollforward_of(start, end, query.tuples().get())


@access.allowed("reports.credit_rollforward")
def credit_figures(start: date, end: date) -> tuple[CreditRollforward, tuple[MonthCredit, ...]]:
    """`credit_rollforward(start, end)` and `credit_by_month(start, end)` (what the Saldo de
    créditos window shows) in one statement, so they agree without a transaction around
    them: the roll-forward's single-row parts in the FROM, the months' rows LEFT JOINed on
    them (each month's row repeats them)."""
    _check_period(start, end)
    parts = _rollforward_parts(start, end)
    months, by_month = _months_query(start, end)
    rows_of = by_month.alias("months")
    query = (
        Select(from_list=parts, columns=[rows_of.c.bucket, rows_of.c.change, *_columns_of(parts)])
        .join(rows_of, JOIN.LEFT_OUTER, on=SQL("1 = 1"))
        .bind(PackageEvent._meta.database)
    )
    rows = list(query.tuples())
    result = _rollforward_of(start, end, rows[0][2:])
    credit, after = rows[0][2], rows[0][5]  # the packages' credit, the period's `after`
    buckets = [(bucket, cents) for bucket, cents, *_ in rows if bucket is not None]
    return result, _months_of(months, _cents(credit) - _cents(after), buckets)


def _columns_of(parts) -> list:
    return [getattr(table.c, column._alias) for table in parts for column in table._returning]


def _rollforward_parts(start: date, end: date) -> list:
    """The four single-row parts of the roll-forward, aliased for a FROM: the packages'
    (`_packages_query`: credit, cents, n), the period's changes (after, inside), its
    movements (`_movements_query`: each one's sum and count, MOVEMENTS' order) and the
    packages changed after the end (`_changed_after_query`: cents, n). `_rollforward_of`
    reads their columns in this order."""
    low, high = _instant(start), _high(end)
    period = Select(
        columns=[_changes(high, None).alias("after"), _changes(low, high).alias("inside")]
    )
    return [
        _packages_query(end).alias("packages"),
        period.alias("period"),
        _movements_query(start, end).alias("moves"),
        _changed_after_query(end).alias("changed"),
    ]


def _movements_query(start: date, end: date):
    """Each movement's sum and count (MOVEMENTS' order; columns v0, v1, ...): the lines
    of the period of each kind that moves the credit, summed per kind from the credit
    index (kind, then `at`: each kind's lines of the period side by side), then the few
    rows laid out in one."""
    kinds = tuple(dict.fromkeys(kind for _name, kind in MOVEMENTS))
    by_kind = (
        PackageEvent.select(
            PackageEvent.kind.alias("kind"),
            fn.SUM(PackageEvent.open_change).coerce(False).alias("change"),
            fn.COUNT(PackageEvent.id).alias("n"),
            *(fn.SUM(getattr(PackageEvent, name)).coerce(False).alias(name) for name in SPLIT),
        )
        .where(
            PackageEvent.kind.in_(kinds)
            & (PackageEvent.at >= _instant(start))
            & (PackageEvent.at < _high(end))
        )
        .group_by(PackageEvent.kind)
        .alias("kinds")
    )
    columns = []
    for name, kind in MOVEMENTS:
        this = by_kind.c.kind == kind
        # (0 - x: peewee reads a unary minus as DESC.)
        value = 0 - getattr(by_kind.c, name) if kind == ENCERRADO else by_kind.c.change
        columns += [_sum_if(this, value), _sum_if(this, by_kind.c.n)]
    aliased = [column.alias(f"v{index}") for index, column in enumerate(columns)]
    return Select(from_list=[by_kind], columns=aliased)


def _changed_after(end: date):
    """The packages with a line at or after the end instant (from the change index)."""
    return PackageEvent.select(PackageEvent.package).where(PackageEvent.at >= _high(end))


def _packages_query(end: date):
    """The credit now (the packages' open amounts, `credit`) and the open amount and the
    number of the packages vencido at `end` as they are now (`cents`, `n`): ativo with
    sessions left and a validity before `end`, with no line after the end instant (so
    their row is as their last line before it left them: R14)."""
    expired = (
        (Package.status == ATIVO)
        & (Package.sessions_total > Package.sessions_used)
        & Package.valid_until.is_null(False)
        & (Package.valid_until < end)
        & Package.id.not_in(_changed_after(end))
    )
    return Package.select(
        fn.SUM(Package.open_amount).coerce(False).alias("credit"),
        _sum_if(expired, Package.open_amount).alias("cents"),
        _count_if(expired).alias("n"),
    )


def _changed_after_query(end: date):
    """The open amount and the number of the packages vencido at `end` among those with a
    line after the end instant (columns cents, n): as their last line before the end
    instant left them `ativo` with sessions left, and the validity of their last
    `criado`/`alterado manualmente` line (the lines that set it) before `end`.

    Only a few can be: one whose validity now is before `end`, or that was changed by
    hand after it (otherwise its last terms line before the end instant is its last one,
    with the validity it has now: R14); `criado` after it is a package that did not exist
    yet. For each of those its two lines are each one search of its own lines (the
    package_id index, latest first), in the SELECT list: no join the server's planner
    could turn into a pass over every line."""
    high = _high(end)
    changed_by_hand = PackageEvent.select(PackageEvent.package).where(
        (PackageEvent.kind == ALTERADO) & (PackageEvent.at >= high)
    )

    def last_line(value: Any, *kinds: str):
        line = PackageEvent.alias("line")
        where = (line.package == Package.id) & (line.at < high)
        if kinds:
            where &= line.kind.in_(kinds)
        return line.select(value(line)).where(where).order_by(line.id.desc()).limit(1)

    cents = last_line(
        lambda line: Case(
            None, [((line.status == ATIVO) & (line.sessions_left > 0), line.open_amount)], None
        )
    )
    validity = last_line(lambda line: line.valid_until, CRIADO, ALTERADO)
    # Each candidate's open amount when vencido, else NULL: one expression, so a server
    # that merges this subquery into the outer one still searches each line once.
    candidates = (
        Package.select(Case(None, [(validity < end, cents)], None).alias("cents"))
        .where(
            Package.id.in_(_changed_after(end))
            & ((Package.valid_until < end) | Package.id.in_(changed_by_hand))
        )
        .alias("candidates")
    )
    return Select(
        from_list=[candidates],
        columns=[
            fn.SUM(candidates.c.cents).coerce(False).alias("cents"),
            fn.COUNT(candidates.c.cents).alias("n"),
        ],
    )


def _rollforward_of(start: date, end: date, row) -> CreditRollforward:
    """The roll-forward from the columns of `_rollforward_parts`, in their order."""
    credit, cents_now, count_now, after, inside, *moved = row[: 5 + 2 * len(MOVEMENTS)]
    cents_changed, count_changed = row[5 + 2 * len(MOVEMENTS) :]
    closing = _cents(credit) - _cents(after)
    figures: dict[str, Any] = {}
    for index, (name, _kind) in enumerate(MOVEMENTS):
        figures[name] = _money(moved[2 * index])
        figures[f"{name}_count"] = _cents(moved[2 * index + 1])
    return CreditRollforward(
        start=start,
        end=end,
        opening=_money(closing - _cents(inside)),
        closing=_money(closing),
        expired_credit=_money(_cents(cents_now) + _cents(cents_changed)),
        expired_count=_cents(count_now) + _cents(count_changed),
        **figures,
    )


def month_edges(start: date, end: date) -> list[date]:
    """The first day of each month from `start`'s to `end`'s."""
    months = []
    day = start.replace(day=1)
    while day <= end:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


@access.allowed("reports.credit_rollforward")
def credit_by_month(start: date, end: date) -> tuple[MonthCredit, ...]:
    """The credit at the end of each month from `start`'s month to `end`'s (the last one at
    the end of `end`), for the chart. One statement: the credit at the end (the credit now
    minus the changes after the end), the months' rows LEFT JOINed on it."""
    _check_period(start, end)
    months, by_month = _months_query(start, end)
    closing = Select(
        columns=[
            Package.select(fn.SUM(Package.open_amount).coerce(False)).alias("credit"),
            _changes(_high(end), None).alias("after"),
        ]
    ).alias("closing")
    rows_of = by_month.alias("months")
    query = (
        Select(
            from_list=[closing],
            columns=[rows_of.c.bucket, rows_of.c.change, closing.c.credit, closing.c.after],
        )
        .join(rows_of, JOIN.LEFT_OUTER, on=SQL("1 = 1"))
        .bind(PackageEvent._meta.database)
    )
    rows = list(query.tuples())
    buckets = [(bucket, cents) for bucket, cents, _credit, _after in rows if bucket is not None]
    return _months_of(months, _cents(rows[0][2]) - _cents(rows[0][3]), buckets)


# Up to this many months a period's months are a VALUES row each (three parameters): well
# under every backend's limit of parameters (SQLite's 32766). A longer period (a typo in a
# year) puts each line in its month with a CASE instead (`_bucket`).
MAX_VALUES_MONTHS = 1200


def _months_query(start: date, end: date):
    """The months of [start, end] and the statement of their lines: for each month the
    sum of the changes of its lines inside the period (a VALUES row per month, its
    number and instants, each month's sum one range of the change index); rows (bucket,
    change), a month without lines with a NULL change or none."""
    months = month_edges(start, end)
    high = end + timedelta(days=1)
    bounds = [start, *months[1:], high]
    if len(months) > MAX_VALUES_MONTHS:
        return months, _bucketed_months(bounds)
    edges = ValuesList(
        [
            (index, _instant(low), _instant(upper))
            for index, (low, upper) in enumerate(pairwise(bounds))
        ],
        alias="edges",
    )
    line = PackageEvent.alias("line")
    change = line.select(fn.SUM(line.open_change).coerce(False)).where(
        (line.at >= edges.c.column2) & (line.at < edges.c.column3)
    )
    query = Select(
        from_list=[edges], columns=[edges.c.column1.alias("bucket"), change.alias("change")]
    )
    return months, query


def _bucketed_months(bounds: list[date]):
    """`_months_query`'s rows for a period of many months: the period's lines (a range of
    the change index), each put in its month by `_bucket`, summed per month."""
    inner = (
        PackageEvent.select(
            _bucket(bounds[1:], 0, len(bounds) - 2).alias("bucket"),
            PackageEvent.open_change.alias("change"),
        )
        .where((PackageEvent.at >= _instant(bounds[0])) & (PackageEvent.at < _instant(bounds[-1])))
        .alias("lines")
    )
    return (
        PackageEvent.select(
            inner.c.bucket.alias("bucket"), fn.SUM(inner.c.change).coerce(False).alias("change")
        )
        .from_(inner)
        .group_by(inner.c.bucket)
    )


def _bucket(edges: list[date], low: int, high: int) -> Any:
    """The number of `edges` at or before a line's `at`, knowing it is between `low` and
    `high`: a CASE that halves the range at each step, so a line is compared with about
    log2(months) edges rather than with every one."""
    if low == high:
        return SQL(str(low))
    middle = (low + high) // 2
    return Case(
        None,
        [(PackageEvent.at < _instant(edges[middle]), _bucket(edges, low, middle))],
        _bucket(edges, middle + 1, high),
    )


def _months_of(months: list[date], closing: int, rows) -> tuple[MonthCredit, ...]:
    """Each month's credit at its end: the credit at the end of the period (`closing`,
    centavos) minus the changes of the months after it (`rows`: (bucket, change))."""
    change_in = {int(bucket): _cents(cents) for bucket, cents in rows}
    later = 0
    figures = []
    for index in range(len(months) - 1, -1, -1):
        figures.append(MonthCredit(months[index], _money(closing - later)))
        later += change_in.get(index, 0)
    return tuple(reversed(figures))
