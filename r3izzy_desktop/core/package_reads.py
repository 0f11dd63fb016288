"""Reading packages: their figures, history, paid sessions and what they could pay.

Plain reads for the screens, reports and the operations in `packages` (which re-exports
them, so the SPEC §6 names stay `packages.summary`, `packages.history`,
`packages.offerable_packages`). Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from . import ledger
from .errors import AlreadyPaid, NotFound, ValidationError
from .models import (
    ATIVO,
    FALTA_JUSTIFICADA,
    Package,
    PackageEvent,
    Patient,
    Payment,
    Service,
    Session,
    session_is_paid,
)
from .ptbr import format_date, format_day_month_time

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


def package_id_of(package: Package | int | str) -> int:
    """The id of a package given as instance, id or number (NotFound for an unknown
    number; an id is taken as it is)."""
    if isinstance(package, Package):
        return package.id
    if isinstance(package, int) and not isinstance(package, bool):
        return package
    if isinstance(package, str):
        found = Package.get_or_none(Package.number == package.strip())
        if found is None:
            raise NotFound(f"Pacote No. {package} não encontrado.")
        return found.id
    raise NotFound("Pacote não encontrado.")


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


# --- sessions and payments as the operations read them ------------------------------


def fetch_sessions(sessions: Sequence[Session | int]) -> list[Session]:
    """The sessions (with their service), in the order given; ValidationError when one is
    given twice, NotFound when one does not exist."""
    ids = [s.id if isinstance(s, Session) else s for s in sessions]
    if len(set(ids)) != len(ids):
        raise ValidationError("A mesma sessão foi selecionada mais de uma vez.")
    rows = {
        row.id: row
        for row in Session.select(Session, Service).join(Service).where(Session.id.in_(ids))
    }
    missing = [i for i in ids if i not in rows]
    if missing:
        raise NotFound("Sessão não encontrada (talvez excluída em outro computador).")
    return [rows[i] for i in ids]


def active_payments(session_ids: Iterable[int]) -> dict[int, Payment]:
    """{session id: its active payment} for those of the sessions that are paid."""
    query = Payment.select().where(
        Payment.session.in_(list(session_ids)) & Payment.voided_at.is_null()
    )
    return {payment.session_id: payment for payment in query}


def check_payable(session: Session, payment: Payment | None) -> None:
    """What every way of paying requires of a session: not paid yet (AlreadyPaid, naming
    how it was paid) and not deleted (ValidationError). `payment` is its active one."""
    when = format_day_month_time(session.starts_at)
    if payment is not None:
        raise AlreadyPaid(
            f"A sessão de {when} já está paga ({describe_payment(payment)}).", session.id
        )
    if session.deleted_at is not None:
        raise ValidationError(f"A sessão de {when} foi excluída e não pode ser paga.")


def describe_payment(payment: Payment) -> str:
    """How a session was paid, in words: "pacote No. 250618170510" or "Pix em 03/07/2025"."""
    if payment.package_id is not None:
        number = Package.select(Package.number).where(Package.id == payment.package_id).scalar()
        return f"pacote No. {number}"
    from .payments import method_label

    return f"{method_label(payment.method)} em {format_date(payment.paid_on)}"


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
