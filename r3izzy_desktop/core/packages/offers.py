"""What a package could pay, and which packages can pay a session (R10, extended; R15-R17):
the offers of the agenda and Receitas, "Pagar sessões existentes" and its preview.
Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from peewee import JOIN, fn

from .. import clock
from ..errors import NotFound
from ..paying import fetch_sessions
from ..store.models import (
    Package,
    PackageService,
    Patient,
    Professional,
    Service,
    Session,
    session_is_paid,
)
from ..terms import ATIVO, FALTA_JUSTIFICADA
from . import coverage, ledger
from .reads import PackageSummary, get_package, own_or_shared


def offerable_packages(
    patient: Patient | int, session: Session | int | None = None
) -> list[Package]:
    """R10, extended: the packages that can pay `session` — `ativo`, sessions left,
    covering its service, valid on its date, the patient's own or shared with them. Without
    a session: the patient's own and shared `ativo` packages with sessions left that are
    not vencido. Those with a validity first, earliest `valid_until` first, then the oldest
    payment date (the first is the one to preselect)."""
    patient_id = patient.id if isinstance(patient, Patient) else patient
    query = Package.select().where(
        own_or_shared(patient_id)
        & (Package.status == ATIVO)
        & (Package.sessions_used < Package.sessions_total)
    )
    if session is None:
        day = clock.today()
    else:
        row = session if isinstance(session, Session) else Session.get_or_none(id=session)
        if row is None:
            raise NotFound("Sessão não encontrada.")
        day = coverage.session_day(row.starts_at)
        limited = PackageService.select(PackageService.id).where(
            PackageService.package == Package.id
        )
        covers = limited.where(PackageService.service == row.service_id)
        query = query.where(~fn.EXISTS(limited) | fn.EXISTS(covers))
    query = query.where(Package.valid_until.is_null() | (Package.valid_until >= day))
    return list(
        query.order_by(
            Package.valid_until.is_null(), Package.valid_until, Package.paid_on, Package.id
        )
    )


def offerable_for_sessions(
    patient: Patient | int, sessions: Sequence[Session | int]
) -> list[Package]:
    """The packages that can pay every one of `sessions` (R10, extended, for each), in the
    order of the offer; without sessions, `offerable_packages(patient)`."""
    if not sessions:
        return offerable_packages(patient)
    offers = [offerable_packages(patient, s) for s in sessions]
    common = set.intersection(*({p.id for p in offer} for offer in offers))
    return [p for p in offers[0] if p.id in common]


def debit_preview(
    package: Package | int | str, sessions: Sequence[Session | int]
) -> list[tuple[Session, Decimal]]:
    """What `pay_sessions` would debit for each session, chronologically; writes nothing.

    Only figures: the checks happen when paying. Sessions beyond those left get no line.
    """
    row = get_package(package)
    rows = sorted(fetch_sessions(sessions), key=lambda s: (s.starts_at, s.id))
    left = row.sessions_left
    payable = rows[:left]
    amounts = ledger.debit_schedule(row.open_amount, left, len(payable))
    return list(zip(payable, amounts, strict=True))


PackageRef = Package | PackageSummary | int | str


def _terms(package: PackageRef) -> coverage.Terms:
    """The package's terms: those of a summary the caller has just read (a dialog showing
    the package: one read less), else read now."""
    if isinstance(package, PackageSummary):
        return coverage.Terms(
            owner_id=package.patient_id,
            valid_until=package.valid_until,
            service_ids=frozenset(package.service_ids),
            shared_ids=frozenset(package.shared_with_ids),
        )
    return coverage.terms_of(get_package(package))


def _open_sessions_query(terms: coverage.Terms, select: tuple):
    """The query of the sessions a package of `terms` could pay (see open_sessions_for),
    selecting `select`, with no period yet but the package's validity."""
    query = (
        Session.select(*select)
        .join(Service)
        .switch(Session)
        .join(Patient)
        .switch(Session)
        .join(Professional, JOIN.LEFT_OUTER)
        .where(
            Session.patient.in_([terms.owner_id, *terms.shared_ids])
            & Session.deleted_at.is_null()
            & (Session.attendance != FALTA_JUSTIFICADA)
            & ~session_is_paid()
        )
    )
    if terms.service_ids:
        query = query.where(Session.service.in_(list(terms.service_ids)))
    if terms.valid_until is not None:
        query = query.where(
            Session.starts_at
            < datetime.combine(terms.valid_until + timedelta(days=1), datetime.min.time())
        )
    return query


def open_sessions_for(
    package: PackageRef,
    start: date | None = None,
    end: date | None = None,
    service: Service | int | None = None,
) -> list[Session]:
    """The sessions the package could pay: of its owner or of a patient it is shared with
    (R17), not paid, not deleted, not a justified absence, of a service it covers (R16), on
    or before its last valid day (R15); optionally within [start, end] (dates) and of one
    service. Each with its service, patient and professional (None when it has none), in
    one query (with a PackageSummary, its terms as read: no other)."""
    query = _open_sessions_query(
        _terms(package), (Session, Service, Patient, Professional)
    ).order_by(Session.starts_at, Session.id)
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


@dataclass(frozen=True)
class OpeningPeriod:
    """Where "Pagar sessões existentes" opens: the period [start, end] and its open
    sessions (as `open_sessions_for` lists them)."""

    start: date
    end: date
    sessions: list[Session]


def opening_period(package: PackageRef, today: date | None = None) -> OpeningPeriod:
    """The current month, from the oldest open session when there is one before it
    (nothing open is hidden in an earlier month), with that period's open sessions, in one
    statement: the open sessions up to the month's last day are those of the period
    either way (none is before the oldest), and the first of them is the oldest. It was
    two (the oldest's day, then the period's sessions): on a clinic's server, two round
    trips."""
    first = (today or clock.today()).replace(day=1)
    last = (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    sessions = open_sessions_for(package, None, last)
    oldest = coverage.session_day(sessions[0].starts_at) if sessions else None
    start = oldest if oldest is not None and oldest < first else first
    return OpeningPeriod(start, last, sessions)
