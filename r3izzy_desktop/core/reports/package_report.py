"""The package report (manual 2.1, "Relatório Geral de Pacotes") and its history lines.

Everything here reads; nothing writes. Figures come from SQL: the package report reads
the `sessions_used` / `open_amount` columns the ledger operations keep (one query for
the rows, one aggregate for the totals), never a Python loop over sessions or debits.
Rows are frozen dataclasses; money is `Decimal`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from peewee import fn

from ..clinic import get_patient, patient_search
from ..errors import ValidationError
from ..packages import get_package, ledger
from ..ptbr import format_date, from_cents
from ..store.binding import db, is_postgres
from ..store.models import Package, PackageEvent, Patient
from ..terms import PACKAGE_STATUSES

PatientFilter = Patient | int | str | None


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


@dataclass(frozen=True)
class PackageReportTotals:
    packages: int
    total: Decimal
    open_amount: Decimal
    sessions_total: int
    sessions_used: int
    sessions_left: int


@dataclass(frozen=True)
class ReportFilters:
    """What the report was asked for; `patient` is a search text or a patient id."""

    paid_from: date | None = None
    paid_to: date | None = None
    status: str | None = None
    patient: str | int | None = None
    patient_label: str = ""  # how to show the patient filter ("Ana Souza")

    def describe(self) -> list[tuple[str, str]]:
        """The filters in words, as the export writes them above the table."""
        if self.paid_from and self.paid_to:
            period = f"{format_date(self.paid_from)} a {format_date(self.paid_to)}"
        elif self.paid_from:
            period = f"a partir de {format_date(self.paid_from)}"
        elif self.paid_to:
            period = f"até {format_date(self.paid_to)}"
        else:
            period = "todas"
        return [
            ("Data de pagamento", period),
            ("Status", self.status or "todos"),
            ("Paciente", self.patient_label or "todos"),
        ]


@dataclass(frozen=True)
class PackageReport:
    filters: ReportFilters
    rows: tuple[PackageReportRow, ...]
    totals: PackageReportTotals


@dataclass(frozen=True)
class HistoryReportRow:
    """One history line with its package's number and patient (manual 2.1, lower table)."""

    event_id: int
    package_id: int
    package_number: str
    patient_name: str
    kind: str  # Tipo
    at: datetime  # Data
    package_date: date  # Data Pacote
    status: str
    note: str  # Observação
    sessions_left: int  # Saldo de Sessões
    open_amount: Decimal  # Saldo R$
    price_per_session: Decimal  # Valor Médio
    amount: Decimal  # what a debit or credit moved


# --- filters -----------------------------------------------------------------------------


def make_filters(
    *,
    paid_from: date | None = None,
    paid_to: date | None = None,
    status: str | None = None,
    patient: PatientFilter = None,
) -> ReportFilters:
    """Check the filters: a valid status, a range that is not backwards, a known patient."""
    if paid_from is not None and paid_to is not None and paid_from > paid_to:
        raise ValidationError("A data inicial do período é posterior à data final.", "paid_from")
    if status in ("", None):
        status = None
    elif status not in PACKAGE_STATUSES:
        raise ValidationError("Status inválido: use ativo, inativo ou finalizado.", "status")
    label = ""
    if isinstance(patient, Patient):
        patient, label = patient.id, patient.name
    elif isinstance(patient, int) and not isinstance(patient, bool):
        label = get_patient(patient).name
    elif isinstance(patient, str):
        patient = patient.strip() or None
        label = f"contém “{patient}”" if patient else ""
    elif patient is not None:
        raise ValidationError("Filtro de paciente inválido.", "patient")
    return ReportFilters(paid_from, paid_to, status, patient, label)


def _where(filters: ReportFilters) -> Any:
    """The SQL condition of the filters over Package joined with Patient."""
    condition = Package.id.is_null(False)
    if filters.paid_from is not None:
        condition &= Package.paid_on >= filters.paid_from
    if filters.paid_to is not None:
        condition &= Package.paid_on <= filters.paid_to
    if filters.status is not None:
        condition &= Package.status == filters.status
    if isinstance(filters.patient, int):
        condition &= Package.patient == filters.patient
    elif isinstance(filters.patient, str):
        # The patient lists' search: every word, accent- and case-insensitive.
        matches = patient_search(filters.patient)
        if matches is not None:
            condition &= matches
    return condition


def _money(cents: Any) -> Decimal:
    """Centavos from the database (None when a SUM had no row) as Decimal reais."""
    return from_cents(int(cents or 0))


def _date(value: Any) -> date:
    """A DATE column: SQLite gives "2025-07-03", PostgreSQL a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def fetch_rows(query: Any, batch: int = 2000) -> Iterator[tuple]:
    """The raw rows of a query, streamed in batches.

    The reports convert the few column types themselves: peewee's per-row conversion
    would cost most of the time of a report over tens of thousands of packages.
    """
    cursor = db.execute(query)
    while rows := cursor.fetchmany(batch):
        yield from rows


@contextmanager
def read_snapshot() -> Iterator[None]:
    """A read transaction: the queries inside see one committed state, so the rows, the
    totals and the history of a report agree even while another PC writes. On SQLite it
    is a DEFERRED transaction (in WAL mode readers never block writers)."""
    if db.in_transaction():
        yield
        return
    if is_postgres():
        context = db.atomic(isolation_level="REPEATABLE READ")
    else:
        context = db.atomic(lock_type="DEFERRED")
    with context:
        yield


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
)


def _report_query(filters: ReportFilters):
    return (
        Package.select(*_ROW_COLUMNS)
        .join(Patient)
        .where(_where(filters))
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
    )

    def __init__(self) -> None:
        self.money: dict[int, Decimal] = {}
        self.prices: dict[tuple[int, int], Decimal] = {}
        self.days: dict[Any, date] = {}

    def _money(self, cents: int) -> Decimal:
        value = self.money.get(cents)
        if value is None:
            value = self.money[cents] = from_cents(cents)
        return value

    def __call__(self, values: tuple) -> PackageReportRow:
        pid, patient_id, name, number, paid_on, status, total, open_amount, count, used, notes = (
            values
        )
        price = self.prices.get((total, count))
        if price is None:
            price = self.prices[(total, count)] = ledger.price_per_session(
                self._money(total), count
            )
        day = self.days.get(paid_on)
        if day is None:
            day = self.days[paid_on] = _date(paid_on)
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
                    count - used,
                    notes,
                ),
                strict=True,
            )
        )
        return row


def report_totals(filters: ReportFilters) -> PackageReportTotals:
    """The totals row: one SQL aggregate over the filtered packages."""
    count, total, open_amount, sessions, used = (
        Package.select(
            fn.COUNT(Package.id),
            fn.SUM(Package.total).coerce(False),
            fn.SUM(Package.open_amount).coerce(False),
            fn.SUM(Package.sessions_total).coerce(False),
            fn.SUM(Package.sessions_used).coerce(False),
        )
        .join(Patient)
        .where(_where(filters))
        .tuples()
        .get()
    )
    sessions, used = int(sessions or 0), int(used or 0)
    return PackageReportTotals(
        packages=int(count or 0),
        total=_money(total),
        open_amount=_money(open_amount),
        sessions_total=sessions,
        sessions_used=used,
        sessions_left=sessions - used,
    )


def package_report(
    *,
    paid_from: date | None = None,
    paid_to: date | None = None,
    status: str | None = None,
    patient: PatientFilter = None,
) -> PackageReport:
    """Every package matching the filters, ordered by patient then payment date, with totals.

    paid_from / paid_to: payment-date range, both ends included; status: "ativo",
    "inativo" or "finalizado"; patient: a Patient, its id, or search words (name, phone,
    CPF, accent-insensitive). Raises ValidationError for a bad filter.
    """
    filters = make_filters(paid_from=paid_from, paid_to=paid_to, status=status, patient=patient)
    return _report(filters)


def package_report_preview(
    *,
    limit: int = 100,
    paid_from: date | None = None,
    paid_to: date | None = None,
    status: str | None = None,
    patient: PatientFilter = None,
) -> PackageReport:
    """The first `limit` rows of `package_report` (the same order) with the complete
    totals, in a few milliseconds whatever the clinic's size: what a window shows at once
    while the whole report loads (`len(rows) < totals.packages` when there is more)."""
    filters = make_filters(paid_from=paid_from, paid_to=paid_to, status=status, patient=patient)
    return _report(filters, limit)


def _report(filters: ReportFilters, limit: int | None = None) -> PackageReport:
    """The report's rows (the first `limit`, or all) and its complete totals, read from
    one snapshot."""
    query = _report_query(filters)
    if limit is not None:
        query = query.limit(limit)
    with read_snapshot():
        make = _RowMaker()
        rows = tuple(make(values) for values in fetch_rows(query))
        totals = report_totals(filters)
    return PackageReport(filters, rows, totals)


def iter_report_rows(filters: ReportFilters) -> Iterator[PackageReportRow]:
    """The report's rows one by one, streamed from the database (for big exports)."""
    make = _RowMaker()
    for values in fetch_rows(_report_query(filters)):
        yield make(values)


def count_packages(filters: ReportFilters) -> int:
    return Package.select(Package.id).join(Patient).where(_where(filters)).count()


# --- history -----------------------------------------------------------------------------


def _history_query(filters: ReportFilters, package_id: int | None):
    query = (
        PackageEvent.select(
            PackageEvent.id,
            Package.id,
            Package.number,
            Patient.name,
            PackageEvent.kind,
            PackageEvent.at,
            PackageEvent.package_date,
            PackageEvent.status,
            PackageEvent.note,
            PackageEvent.sessions_left,
            PackageEvent.open_amount,
            PackageEvent.price_per_session,
            PackageEvent.amount,
        )
        .join(Package)
        .join(Patient)
    )
    if package_id is not None:
        query = query.where(PackageEvent.package == package_id)
    else:
        query = query.where(_where(filters))
    order = (Patient.search_text, Patient.id, Package.paid_on, Package.id, PackageEvent.id)
    return query.order_by(*order)


def _package_id(package: Package | int | str) -> int:
    return get_package(package).id


def iter_history_rows(
    package: Package | int | str | None = None, filters: ReportFilters | None = None
) -> Iterator[HistoryReportRow]:
    """History lines, oldest first within each package, streamed: of one package, or of
    every package the filters select (in the report's order)."""
    package_id = _package_id(package) if package is not None else None
    query = _history_query(filters or ReportFilters(), package_id)
    for (
        event_id,
        pid,
        number,
        name,
        kind,
        at,
        day,
        status,
        note,
        left,
        amount,
        price,
        moved,
    ) in fetch_rows(query):
        yield HistoryReportRow(
            event_id=event_id,
            package_id=pid,
            package_number=number,
            patient_name=name,
            kind=kind,
            at=_datetime(at),
            package_date=_date(day),
            status=status,
            note=note,
            sessions_left=left,
            open_amount=from_cents(amount),
            price_per_session=from_cents(price),
            amount=from_cents(moved),
        )


def history_rows(
    package: Package | int | str | None = None,
    *,
    paid_from: date | None = None,
    paid_to: date | None = None,
    status: str | None = None,
    patient: PatientFilter = None,
) -> list[HistoryReportRow]:
    """The history of one package (`package` given) or of every package matching the
    filters, each line with its package number and patient."""
    filters = make_filters(paid_from=paid_from, paid_to=paid_to, status=status, patient=patient)
    with read_snapshot():
        return list(iter_history_rows(package, filters))


def count_history(filters: ReportFilters, package: Package | int | str | None = None) -> int:
    package_id = _package_id(package) if package is not None else None
    return _history_query(filters, package_id).order_by().count()
