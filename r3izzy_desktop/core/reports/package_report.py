"""The package report (manual 2.1, "Relatório Geral de Pacotes"): its rows and totals.
Its filters are report_query.py; the history lines under it, package_history.py.

Everything here reads; nothing writes. Figures come from SQL: the package report reads
the `sessions_used` / `open_amount` columns the ledger operations keep (one query for
the rows, one aggregate for the totals, one each for the services and the sharing of the
packages that have them), never a Python loop over sessions or debits. A shared package
is one row, under its owner (R17). Rows are frozen dataclasses; money is `Decimal`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from peewee import JOIN, Case, Select, Value, fn

from .. import clock
from ..packages import coverage, ledger
from ..ptbr import from_cents
from ..store.models import Package, PackageService, PackageShare, Patient, Service
from ..terms import ATIVO, ENCERRADO
from ..text import fold
from .report_query import (
    PatientFilter,
    ReportFilters,
    as_date,
    fetch_rows,
    make_filters,
    money,
    read_snapshot,
    where,
)

# --- rows --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackageReportRow:
    """One package as the report shows it (manual 2.1 columns, plus patient and number)."""

    package_id: int
    patient_id: int
    patient_name: str
    number: str
    paid_on: date
    status: str
    total: Decimal  # Valor Total
    open_amount: Decimal  # Saldo Atual
    price_per_session: Decimal  # Preço por Sessão
    sessions_total: int  # Total de Sessões
    sessions_used: int  # Sessões Usadas
    sessions_left: int  # Sessões Restantes
    notes: str
    valid_until: date | None = None  # Validade (None: sem validade)
    expired: bool = False  # vencido (R15): ativo, sessions left, valid_until before today
    services: tuple[str, ...] = ()  # Serviços, names sorted (none: every service)
    shared_with: tuple[str, ...] = ()  # Compartilhado com, in the order registered


@dataclass(frozen=True)
class PackageReportTotals:
    packages: int
    total: Decimal
    open_amount: Decimal
    sessions_total: int
    sessions_used: int
    sessions_left: int


@dataclass(frozen=True)
class PackageReport:
    filters: ReportFilters
    rows: tuple[PackageReportRow, ...]
    totals: PackageReportTotals


# --- the package report ------------------------------------------------------------------

_ROW_COLUMNS = (
    Package.id,
    Package.patient,
    Patient.name,
    Package.number,
    Package.paid_on,
    Package.status,
    Package.total,
    Package.open_amount,
    Package.sessions_total,
    Package.sessions_used,
    Package.notes,
    Package.valid_until,
)


def _report_query(filters: ReportFilters):
    return (
        Package.select(*_ROW_COLUMNS)
        .join(Patient)
        .where(where(filters))
        # The folded name sorts "Álvaro" with the A's; then payment date and creation.
        .order_by(Patient.search_text, Patient.id, Package.paid_on, Package.id)
    )


class _RowMaker:
    """Raw report rows -> PackageReportRow, quickly: a clinic's report is tens of thousands
    of packages with few distinct amounts and dates, so each conversion is remembered, and
    the frozen rows get their fields set together (as the dataclass would, one by one)."""

    FIELDS = (
        "package_id",
        "patient_id",
        "patient_name",
        "number",
        "paid_on",
        "status",
        "total",
        "open_amount",
        "price_per_session",
        "sessions_total",
        "sessions_used",
        "sessions_left",
        "notes",
        "valid_until",
        "expired",
        "services",
        "shared_with",
    )

    def __init__(self, terms: _Terms | None = None) -> None:
        self.amounts: dict[int, Decimal] = {}
        self.prices: dict[tuple[int, int], Decimal] = {}
        self.days: dict[Any, date] = {}
        self.terms = terms or _Terms({}, {})
        self.today = clock.today()

    def _money(self, cents: int) -> Decimal:
        value = self.amounts.get(cents)
        if value is None:
            value = self.amounts[cents] = from_cents(cents)
        return value

    def __call__(self, values: tuple) -> PackageReportRow:
        (
            pid,
            patient_id,
            name,
            number,
            paid_on,
            status,
            total,
            open_amount,
            count,
            used,
            notes,
            valid_until,
        ) = values
        price = self.prices.get((total, count))
        if price is None:
            price = self.prices[(total, count)] = ledger.price_per_session(
                self._money(total), count
            )
        day = self._day(paid_on)
        last_day = self._day(valid_until) if valid_until is not None else None
        expired = (
            last_day is not None and last_day < self.today and status == ATIVO and used < count
        )
        row = object.__new__(PackageReportRow)
        row.__dict__.update(
            zip(
                self.FIELDS,
                (
                    pid,
                    patient_id,
                    name,
                    number,
                    day,
                    status,
                    self._money(total),
                    self._money(open_amount),
                    price,
                    count,
                    used,
                    ledger.sessions_left(status, count, used),
                    notes,
                    last_day,
                    expired,
                    self.terms.services.get(pid, ()),
                    self.terms.shared.get(pid, ()),
                ),
                strict=True,
            )
        )
        return row

    def _day(self, value: Any) -> date:
        day = self.days.get(value)
        if day is None:
            day = self.days[value] = as_date(value)
        return day


@dataclass(frozen=True)
class _Terms:
    """{package id: its services' names, sorted} and {package id: its sharers' names, in
    the order registered}, for the packages that have any."""

    services: dict[int, tuple[str, ...]]
    shared: dict[int, tuple[str, ...]]


def _report_terms(packages_query: Any) -> _Terms:
    """The services and sharing of the packages `packages_query` (ids) selects: one
    statement whatever their number (most packages have neither), a UNION ALL of both."""
    services: dict[int, list[str]] = {}
    shared: dict[int, list[tuple[int, str]]] = {}
    limited = (
        PackageService.select(
            PackageService.package, Value(0).alias("kind"), Service.id, Service.name
        )
        .join(Service)
        .where(PackageService.package.in_(packages_query))
    )
    sharing = (
        PackageShare.select(PackageShare.package, Value(1).alias("kind"), Patient.id, Patient.name)
        .join(Patient)
        .where(PackageShare.package.in_(packages_query))
    )
    for package_id, kind, other_id, name in fetch_rows(limited + sharing):
        if kind:
            shared.setdefault(package_id, []).append((other_id, name))
        else:
            services.setdefault(package_id, []).append(name)
    return _sorted_terms(services, shared)


def _sorted_terms(
    services: dict[int, list[str]], shared: dict[int, list[tuple[int, str]]]
) -> _Terms:
    """Services' names sorted as a person reads them; sharers in the order registered."""
    return _Terms(
        {key: tuple(sorted(names, key=lambda n: (fold(n), n))) for key, names in services.items()},
        {key: tuple(name for _, name in sorted(pairs)) for key, pairs in shared.items()},
    )


def _package_ids(filters: ReportFilters) -> Any:
    return Package.select(Package.id).join(Patient).where(where(filters))


def _totals_columns() -> list:
    """COUNT and the SUMs of the totals row."""
    return [
        fn.COUNT(Package.id),
        fn.SUM(Package.total).coerce(False),
        fn.SUM(Package.open_amount).coerce(False),
        fn.SUM(Package.sessions_total).coerce(False),
        fn.SUM(Package.sessions_used).coerce(False),
        # An encerrado package has no session left (R19): its unused ones are given up.
        fn.SUM(
            Case(
                None,
                [(Package.status == ENCERRADO, Package.sessions_total - Package.sessions_used)],
                0,
            )
        ).coerce(False),
    ]


TOTALS_COLUMNS = 6


def report_totals(filters: ReportFilters) -> PackageReportTotals:
    """The totals row: one SQL aggregate over the filtered packages."""
    figures = Package.select(*_totals_columns()).join(Patient).where(where(filters)).tuples().get()
    return _totals(figures)


def _totals(figures: tuple) -> PackageReportTotals:
    count, total, open_amount, sessions, used, closed = figures
    sessions, used, closed = int(sessions or 0), int(used or 0), int(closed or 0)
    return PackageReportTotals(
        packages=int(count or 0),
        total=money(total),
        open_amount=money(open_amount),
        sessions_total=sessions,
        sessions_used=used,
        sessions_left=sessions - used - closed,
    )


def package_report(
    *,
    paid_from: date | None = None,
    paid_to: date | None = None,
    status: str | None = None,
    patient: PatientFilter = None,
    expired: bool = False,
) -> PackageReport:
    """Every package matching the filters, ordered by patient then payment date, with totals.

    paid_from / paid_to: payment-date range, both ends included; status: "ativo",
    "inativo", "finalizado" or "encerrado"; patient: a Patient, its id, or search words
    (name, phone, CPF, accent-insensitive); expired: only the vencido packages. A shared
    package is one row, under its owner. Raises ValidationError for a bad filter.
    """
    filters = make_filters(
        paid_from=paid_from, paid_to=paid_to, status=status, patient=patient, expired=expired
    )
    return _report(filters)


def package_report_preview(
    *,
    limit: int = 100,
    paid_from: date | None = None,
    paid_to: date | None = None,
    status: str | None = None,
    patient: PatientFilter = None,
    expired: bool = False,
) -> PackageReport:
    """The first `limit` rows of `package_report` (the same order) with the complete
    totals, in a few milliseconds whatever the clinic's size: what a window shows at once
    while the whole report loads (`len(rows) < totals.packages` when there is more)."""
    filters = make_filters(
        paid_from=paid_from, paid_to=paid_to, status=status, patient=patient, expired=expired
    )
    return _report(filters, limit)


def _totals_subquery(filters: ReportFilters) -> Any:
    """The totals as a one-row subquery (total_0 …), to be joined to every row: computed
    once, before any LIMIT. (As window columns they cost SQLite the sort of every row.)"""
    return (
        Package.select(*[c.alias(f"total_{i}") for i, c in enumerate(_totals_columns())])
        .join(Patient)
        .where(where(filters))
        .alias("totals")
    )


def _with_totals(filters: ReportFilters) -> Any:
    totals = _totals_subquery(filters)
    return (
        _report_query(filters)
        .join(totals, JOIN.CROSS)
        .select_extend(*[totals.c[f"total_{i}"] for i in range(TOTALS_COLUMNS)])
    )


def _report(filters: ReportFilters, limit: int | None = None) -> PackageReport:
    """The report's rows (the first `limit`, or all) and its complete totals, read from
    one snapshot."""
    if limit is not None:
        return _first_rows(filters, limit)
    query = _with_totals(filters)
    with read_snapshot():
        raw = list(fetch_rows(query))
        make = _RowMaker(_report_terms(_package_ids(filters)) if raw else None)
    rows = tuple(make(values[:-TOTALS_COLUMNS]) for values in raw)
    # No row: no package matches, and every total is zero.
    totals = _totals(raw[0][-TOTALS_COLUMNS:] if raw else (0, 0, 0, 0, 0, 0))
    return PackageReport(filters, rows, totals)


_ROW_NAMES = (
    "id",
    "patient_id",
    "name",
    "number",
    "paid_on",
    "status",
    "total",
    "open_amount",
    "sessions_total",
    "sessions_used",
    "notes",
    "valid_until",
)


def _first_rows(filters: ReportFilters, limit: int) -> PackageReport:
    """The first `limit` rows, the complete totals and those rows' terms in one statement:
    one statement is one snapshot by itself (no BEGIN and COMMIT around it), and on a
    clinic's server each statement is a round trip (this was four). The rows with the
    totals joined are a CTE; their services and sharers are joined to them, a row with
    two terms coming twice (a package has a handful at most), gathered here."""
    first = (
        _with_totals(filters)
        .select_extend(Patient.search_text.alias("sort_name"))
        .limit(limit)
        .cte("first_rows", materialized=True)
    )
    # Its ids by the CTE's name (WITH once, at the top: `select_from` would repeat it).
    terms = coverage.terms_union(Select((first,), (first.c.id,))).alias("terms")
    columns = [first.c[name] for name in _ROW_NAMES]
    columns += [first.c[f"total_{i}"] for i in range(TOTALS_COLUMNS)]
    query = (
        Select((first,), (*columns, terms.c.kind, terms.c.id, terms.c.name))
        .join(terms, JOIN.LEFT_OUTER, on=(terms.c.package_id == first.c.id))
        .order_by(first.c.sort_name, first.c.patient_id, first.c.paid_on, first.c.id)
        .with_cte(first)
    )
    raw: dict[int, tuple] = {}  # in the report's order, once each
    services: dict[int, list[str]] = {}
    shared: dict[int, list[tuple[int, str]]] = {}
    for values in fetch_rows(query):
        *package, kind, other_id, name = values
        raw.setdefault(package[0], tuple(package))
        if kind is None:
            continue
        if kind:
            shared.setdefault(package[0], []).append((other_id, name))
        else:
            services.setdefault(package[0], []).append(name)
    make = _RowMaker(_sorted_terms(services, shared))
    rows = tuple(make(values[:-TOTALS_COLUMNS]) for values in raw.values())
    first_values = next(iter(raw.values()), None)
    totals = _totals(first_values[-TOTALS_COLUMNS:] if first_values else (0, 0, 0, 0, 0, 0))
    return PackageReport(filters, rows, totals)


def iter_report_rows(filters: ReportFilters) -> Iterator[PackageReportRow]:
    """The report's rows one by one, streamed from the database (for big exports)."""
    make = _RowMaker(_report_terms(_package_ids(filters)))
    for values in fetch_rows(_report_query(filters)):
        yield make(values)


def count_packages(filters: ReportFilters) -> int:
    return Package.select(Package.id).join(Patient).where(where(filters)).count()
