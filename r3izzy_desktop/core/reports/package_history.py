"""The package history lines as the report shows and exports them (manual 2.1, lower
table): of one package, or of every package the report's filters select."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from ..packages import get_package
from ..ptbr import from_cents
from ..store.models import Package, PackageEvent, Patient
from .report_query import (
    PatientFilter,
    ReportFilters,
    as_date,
    as_datetime,
    fetch_rows,
    make_filters,
    read_snapshot,
    where,
)


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
        query = query.where(where(filters))
    order = (Patient.search_text, Patient.id, Package.paid_on, Package.id, PackageEvent.id)
    return query.order_by(*order)


def _package_id(package: Package | int | str) -> int:
    """The package's id: read only for a number (text)."""
    if isinstance(package, Package):
        return package.id
    if isinstance(package, int):
        return package
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
            at=as_datetime(at),
            package_date=as_date(day),
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
    expired: bool = False,
) -> list[HistoryReportRow]:
    """The history of one package (`package` given) or of every package matching the
    filters, each line with its package number and patient."""
    filters = make_filters(
        paid_from=paid_from, paid_to=paid_to, status=status, patient=patient, expired=expired
    )
    if package is not None and not isinstance(package, str):
        # One package (the report window's selected row): one statement, which sees one
        # state by itself. Every package has its "criado" line: none means no package.
        rows = list(iter_history_rows(package, filters))
        if not rows:
            get_package(package)  # NotFound
        return rows
    with read_snapshot():
        return list(iter_history_rows(package, filters))


def count_history(filters: ReportFilters, package: Package | int | str | None = None) -> int:
    package_id = _package_id(package) if package is not None else None
    return _history_query(filters, package_id).order_by().count()
