"""Reading packages: their figures, history, paid sessions and what they could pay.

Plain reads for the screens, reports and the operations (operations.py); the package's
`__init__` re-exports them, so the SPEC §6 names stay `packages.summary`,
`packages.history`, `packages.offerable_packages`. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from ..errors import NotFound
from ..paying import fetch_sessions
from ..store.models import (
    Package,
    PackageEvent,
    Patient,
    Payment,
    Service,
    Session,
    package_id_of,
    session_is_paid,
)
from ..terms import ATIVO, FALTA_JUSTIFICADA
from . import ledger

# --- rows the screens and reports read ---------------------------------------------------


@dataclass(frozen=True)
class PackageSummary:
    id: int
    number: str
    patient_id: int
    patient_name: str
    paid_on: date
    status: str
    total: Decimal
    open_amount: Decimal
    price_per_session: Decimal
    sessions_total: int
    sessions_used: int
    sessions_left: int
    notes: str
    version: int
    created_at: datetime

    @property
    def next_debit(self) -> Decimal | None:
        """What the next debit would take (R5), None when no session is left."""
        if self.sessions_left <= 0:
            return None
        return ledger.next_debit(self.open_amount, self.sessions_left)


@dataclass(frozen=True)
class HistoryRow:
    id: int
    kind: str
    at: datetime
    status: str
    note: str
    sessions_left: int
    open_amount: Decimal
    price_per_session: Decimal
    package_date: date
    amount: Decimal
    session_id: int | None
    operator: str


@dataclass(frozen=True)
class PaidSession:
    session_id: int
    payment_id: int
    starts_at: datetime
    service_name: str
    price: Decimal
    amount: Decimal
    paid_on: date
    attendance: str


# --- reading -----------------------------------------------------------------------------


def get_package(package: Package | int | str) -> Package:
    """The package by instance, id or number, read fresh from the database."""
    found = Package.get_or_none(Package.id == package_id_of(package))
    if found is None:
        raise NotFound("Pacote não encontrado.")
    return found


def _summarize(row: Package, patient_name: str) -> PackageSummary:
    return PackageSummary(
        id=row.id,
        number=row.number,
        patient_id=row.patient_id,
        patient_name=patient_name,
        paid_on=row.paid_on,
        status=row.status,
        total=row.total,
        open_amount=row.open_amount,
        price_per_session=ledger.price_per_session(row.total, row.sessions_total),
        sessions_total=row.sessions_total,
        sessions_used=row.sessions_used,
        sessions_left=row.sessions_total - row.sessions_used,
        notes=row.notes,
        version=row.version,
        created_at=row.created_at,
    )


def summary(package: Package | int | str) -> PackageSummary:
    """The package's figures (R4) as they are in the database now."""
    row = (
        Package.select(Package, Patient.name)
        .join(Patient)
        .where(Package.id == package_id_of(package))
        .objects()
        .first()
    )
    if row is None:
        raise NotFound("Pacote não encontrado.")
    return _summarize(row, row.name)


def list_packages(patient: Patient | int, status: str | None = None) -> list[PackageSummary]:
    """A patient's packages, newest payment first; optionally only one status."""
    patient_id = patient.id if isinstance(patient, Patient) else patient
    query = (
        Package.select(Package, Patient.name)
        .join(Patient)
        .where(Package.patient == patient_id)
        .order_by(Package.paid_on.desc(), Package.id.desc())
    )
    if status:
        query = query.where(Package.status == status)
    return [_summarize(row, row.name) for row in query.objects()]


@dataclass(frozen=True)
class ActiveTotals:
    """What a patient's `ativo` packages still hold, added up (the patient page's summary)."""

    packages: int
    sessions_left: int
    open_amount: Decimal


def active_totals(patient: Patient | int) -> ActiveTotals:
    """The patient's `ativo` packages: how many, sessions left and open amount, summed."""
    rows = list_packages(patient, status=ATIVO)
    return ActiveTotals(
        packages=len(rows),
        sessions_left=sum(row.sessions_left for row in rows),
        open_amount=sum((row.open_amount for row in rows), ledger.ZERO),
    )


def offerable_packages(patient: Patient | int) -> list[Package]:
    """R10: the patient's `ativo` packages with sessions left, oldest payment date first."""
    patient_id = patient.id if isinstance(patient, Patient) else patient
    return list(
        Package.select()
        .where(
            (Package.patient == patient_id)
            & (Package.status == ATIVO)
            & (Package.sessions_used < Package.sessions_total)
        )
        .order_by(Package.paid_on, Package.id)
    )


def history(package: Package | int | str) -> list[HistoryRow]:
    """The package's history, oldest first (R9)."""
    query = (
        PackageEvent.select()
        .where(PackageEvent.package == package_id_of(package))
        .order_by(PackageEvent.id)
    )
    return [
        HistoryRow(
            id=event.id,
            kind=event.kind,
            at=event.at,
            status=event.status,
            note=event.note,
            sessions_left=event.sessions_left,
            open_amount=event.open_amount,
            price_per_session=event.price_per_session,
            package_date=event.package_date,
            amount=event.amount,
            session_id=event.session_id,
            operator=event.operator,
        )
        for event in query
    ]


def paid_sessions(package: Package | int | str) -> list[PaidSession]:
    """The sessions this package pays now (its active debits), in chronological order."""
    query = (
        Payment.select(Payment, Session, Service)
        .join(Session)
        .join(Service)
        .where((Payment.package == package_id_of(package)) & Payment.voided_at.is_null())
        .order_by(Session.starts_at, Payment.id)
    )
    return [
        PaidSession(
            session_id=payment.session.id,
            payment_id=payment.id,
            starts_at=payment.session.starts_at,
            service_name=payment.session.service.name,
            price=payment.session.price,
            amount=payment.amount,
            paid_on=payment.paid_on,
            attendance=payment.session.attendance,
        )
        for payment in query
    ]


# --- what a package could pay -----------------------------------------------------------


def debit_preview(
    package: Package | int | str, sessions: Sequence[Session | int]
) -> list[tuple[Session, Decimal]]:
    """What `pay_sessions` would debit for each session, chronologically; writes nothing.

    Only figures: the checks happen when paying. Sessions beyond those left get no line.
    """
    row = get_package(package)
    rows = sorted(fetch_sessions(sessions), key=lambda s: (s.starts_at, s.id))
    left = row.sessions_total - row.sessions_used
    payable = rows[:left]
    amounts = ledger.debit_schedule(row.open_amount, left, len(payable))
    return list(zip(payable, amounts, strict=True))


def open_sessions_for(
    package: Package | int | str,
    start: date | None = None,
    end: date | None = None,
    service: Service | int | None = None,
) -> list[Session]:
    """The package's patient's sessions that it could pay: not paid, not deleted, not a
    justified absence; optionally within [start, end] (dates) and of one service."""
    row = get_package(package)
    query = (
        Session.select(Session, Service)
        .join(Service)
        .where(
            (Session.patient == row.patient_id)
            & Session.deleted_at.is_null()
            & (Session.attendance != FALTA_JUSTIFICADA)
            & ~session_is_paid()
        )
        .order_by(Session.starts_at, Session.id)
    )
    if start is not None:
        query = query.where(Session.starts_at >= datetime.combine(start, datetime.min.time()))
    if end is not None:
        query = query.where(
            Session.starts_at < datetime.combine(end + timedelta(days=1), datetime.min.time())
        )
    if service is not None:
        query = query.where(
            Session.service == (service.id if isinstance(service, Service) else service)
        )
    return list(query)
