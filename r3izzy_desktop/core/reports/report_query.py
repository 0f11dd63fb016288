"""The package report's filters (manual 2.1: período, status, paciente; R15 vencidos) as
one SQL condition, and how the reports read: raw rows streamed in batches, and one read
snapshot so rows, totals and history agree while another PC writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .. import clock
from ..clinic import get_patient, patient_search
from ..errors import ValidationError
from ..ptbr import format_date, from_cents
from ..store.binding import db, is_postgres
from ..store.models import Package, PackageShare, Patient
from ..terms import ATIVO, PACKAGE_STATUSES

PatientFilter = Patient | int | str | None


@dataclass(frozen=True)
class ReportFilters:
    """What the report was asked for; `patient` is a search text or a patient id."""

    paid_from: date | None = None
    paid_to: date | None = None
    status: str | None = None
    patient: str | int | None = None
    patient_label: str = ""  # how to show the patient filter ("Ana Souza")
    expired: bool = False  # only the vencido packages (R15)
    # With a patient id: also the packages shared with that patient (R17; the patient's
    # own export). The report itself lists a shared package once, under its owner.
    include_shared: bool = False

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
            ("Status", "vencidos" if self.expired else self.status or "todos"),
            ("Paciente", self.patient_label or "todos"),
        ]


def make_filters(
    *,
    paid_from: date | None = None,
    paid_to: date | None = None,
    status: str | None = None,
    patient: PatientFilter = None,
    expired: bool = False,
    include_shared: bool = False,
) -> ReportFilters:
    """Check the filters: a valid status, a range that is not backwards, a known patient.
    `expired`: only the vencido packages (ativo, sessions left, valid_until before today);
    `include_shared` (with a patient): also those shared with the patient."""
    if paid_from is not None and paid_to is not None and paid_from > paid_to:
        raise ValidationError("A data inicial do período é posterior à data final.", "paid_from")
    if status in ("", None):
        status = None
    elif status not in PACKAGE_STATUSES:
        raise ValidationError(
            "Status inválido: use ativo, inativo, finalizado ou encerrado.", "status"
        )
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
    return ReportFilters(paid_from, paid_to, status, patient, label, bool(expired), include_shared)


def where(filters: ReportFilters) -> Any:
    """The SQL condition of the filters over Package joined with Patient."""
    condition = Package.id.is_null(False)
    if filters.paid_from is not None:
        condition &= Package.paid_on >= filters.paid_from
    if filters.paid_to is not None:
        condition &= Package.paid_on <= filters.paid_to
    if filters.status is not None:
        condition &= Package.status == filters.status
    if filters.expired:
        condition &= (
            (Package.status == ATIVO)
            & (Package.sessions_used < Package.sessions_total)
            & (Package.valid_until < clock.today())
        )
    if isinstance(filters.patient, int) and filters.include_shared:
        shared = PackageShare.select(PackageShare.package).where(
            PackageShare.patient == filters.patient
        )
        condition &= (Package.patient == filters.patient) | Package.id.in_(shared)
    elif isinstance(filters.patient, int):
        condition &= Package.patient == filters.patient
    elif isinstance(filters.patient, str):
        # The patient lists' search: every word, accent- and case-insensitive.
        matches = patient_search(filters.patient)
        if matches is not None:
            condition &= matches
    return condition


def money(cents: Any) -> Decimal:
    """Centavos from the database (None when a SUM had no row) as Decimal reais."""
    return from_cents(int(cents or 0))


def as_date(value: Any) -> date:
    """A DATE column: SQLite gives "2025-07-03", PostgreSQL a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def as_datetime(value: Any) -> datetime:
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
