"""Sessions (agendamentos): schedule, change, attendance, delete; how many overlap.

Deleting a session or marking it a justified absence credits its package debit back
(R7, R13) in the same transaction.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from .. import access, audit, clock
from ..clinic import operator_name
from ..errors import ValidationError
from ..packages import credit_back
from ..paying import lock_session_and_package, mark_voided
from ..ptbr import format_day_month_time
from ..store.models import (
    Location,
    Patient,
    Professional,
    Service,
    Session,
    get_row,
    refresh_instance,
)
from ..store.transactions import operation
from ..terms import ATTENDANCES, FALTA_JUSTIFICADA
from ..validation import money_value, optional_text, whole_number

MAX_DURATION_MIN = 600  # the longest a session may last

MAX_SERIES = 260

ATTENDANCE_LABELS = {
    "agendada": "Agendada",
    "realizada": "Realizada",
    "falta": "Falta",
    "falta_justificada": "Falta justificada",
}


def _id(value: Any, model) -> int | None:
    if value is None:
        return None
    return value.id if isinstance(value, model) else value


def _start(value: Any) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError("Informe a data e a hora da sessão.", "starts_at")
    return value.replace(second=0, microsecond=0)


def _duration(value: Any) -> int:
    return whole_number(
        value, "Duração (minutos)", low=5, high=MAX_DURATION_MIN, field="duration_min"
    )


def _session_values(
    patient: Any,
    service: Any,
    starts_at: Any,
    *,
    price: Any,
    duration_min: Any,
    location: Any,
    professional: Any,
    notes: Any,
) -> dict[str, Any]:
    patient_row = get_row(Patient, patient, "Paciente não encontrado.")
    if not patient_row.active:
        raise ValidationError("Este paciente está inativo; reative-o para agendar.", "patient")
    service_row = get_row(Service, service, "Serviço não encontrado.")
    return {
        "patient": patient_row.id,
        "service": service_row.id,
        "starts_at": _start(starts_at),
        "price": service_row.price
        if price is None
        else money_value(price, "Valor", allow_zero=True, field="price"),
        "duration_min": service_row.duration_min
        if duration_min is None
        else _duration(duration_min),
        "location": get_row(Location, location, "Local não encontrado.").id
        if location is not None
        else None,
        "professional": get_row(Professional, professional, "Profissional não encontrado.").id
        if professional is not None
        else None,
        "notes": optional_text(notes, "Observações", max_length=2000, field="notes"),
    }


@operation
@access.allowed("agenda.schedule")
def schedule(
    patient: Patient | int,
    service: Service | int,
    starts_at: datetime,
    *,
    price: Decimal | str | None = None,
    duration_min: int | None = None,
    location: Location | int | None = None,
    professional: Professional | int | None = None,
    notes: str = "",
) -> Session:
    """A new session; price and duration default to the service's."""
    values = _session_values(
        patient,
        service,
        starts_at,
        price=price,
        duration_min=duration_min,
        location=location,
        professional=professional,
        notes=notes,
    )
    return Session.create(**values)


def weekly_dates(first: datetime, weekdays: Iterable[int], weeks: int) -> list[datetime]:
    """The start times of a weekly repetition: on each of `weekdays` (0 = Monday), at
    `first`'s time, for `weeks` weeks counted from `first`'s week, never before `first`."""
    days = sorted(set(weekdays))
    if not days or any(not 0 <= d <= 6 for d in days):
        raise ValidationError("Escolha ao menos um dia da semana.", "weekdays")
    weeks = whole_number(weeks, "Número de semanas", low=1, high=104, field="weeks")
    monday = first - timedelta(days=first.weekday())
    starts = [
        monday + timedelta(weeks=w, days=d)
        for w in range(weeks)
        for d in days
        if monday + timedelta(weeks=w, days=d) >= first
    ]
    if len(starts) > MAX_SERIES:
        raise ValidationError(f"No máximo {MAX_SERIES} sessões de uma vez.", "weeks")
    return starts


@operation
@access.allowed("agenda.schedule_weekly")
def schedule_weekly(
    patient: Patient | int,
    service: Service | int,
    first_start: datetime,
    *,
    weekdays: Iterable[int],
    weeks: int,
    price: Decimal | str | None = None,
    duration_min: int | None = None,
    location: Location | int | None = None,
    professional: Professional | int | None = None,
    notes: str = "",
) -> list[Session]:
    """A weekly repetition (e.g. Tuesdays and Thursdays for 10 weeks), in one transaction."""
    first = _start(first_start)
    values = _session_values(
        patient,
        service,
        first,
        price=price,
        duration_min=duration_min,
        location=location,
        professional=professional,
        notes=notes,
    )
    sessions = []
    for start in weekly_dates(first, weekdays, weeks):
        sessions.append(Session.create(**{**values, "starts_at": start}))
    return sessions


def _live(session: Session | int) -> Session:
    row = get_row(Session, session, "Sessão não encontrada.")
    if row.deleted_at is not None:
        raise ValidationError(f"A sessão de {format_day_month_time(row.starts_at)} foi excluída.")
    return row


@operation
@access.allowed("agenda.update_session")
def update_session(session: Session | int, **changes: Any) -> Session:
    """Change a session: patient, service, starts_at, duration_min, price, location,
    professional, notes. A paid session keeps its patient and its price (the payment
    must be undone first)."""
    payment, _package = lock_session_and_package(session)
    row = _live(session)
    allowed = {
        "patient",
        "service",
        "starts_at",
        "duration_min",
        "price",
        "location",
        "professional",
        "notes",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"Campo desconhecido: {', '.join(sorted(unknown))}.")
    current = {
        "patient": row.patient_id,
        "service": row.service_id,
        "starts_at": row.starts_at,
        "price": row.price,
        "duration_min": row.duration_min,
        "location": row.location_id,
        "professional": row.professional_id,
        "notes": row.notes,
    }
    merged = {**current, **changes}
    values = _session_values(
        merged["patient"],
        merged["service"],
        merged["starts_at"],
        price=merged["price"],
        duration_min=merged["duration_min"],
        location=merged["location"],
        professional=merged["professional"],
        notes=merged["notes"],
    )
    if payment is not None:
        when = format_day_month_time(row.starts_at)
        if values["price"] != row.price:
            raise ValidationError(
                f"A sessão de {when} já está paga; para mudar o valor, desfaça o pagamento "
                "antes (reembolso ao pacote ou estorno).",
                "price",
            )
        if values["patient"] != row.patient_id:
            raise ValidationError(
                f"A sessão de {when} já está paga; não é possível trocar o paciente.", "patient"
            )
    for key, value in values.items():
        setattr(row, key, value)
    row.save()
    refresh_instance(session, row)
    return row


@operation
@access.allowed("agenda.set_attendance")
def set_attendance(
    session: Session | int, attendance: str, *, void_manual_payment: bool = False
) -> Session:
    """Mark realizada / falta / falta_justificada / agendada.

    A justified absence credits a package debit back to its package (R7); a manual
    payment stays unless `void_manual_payment`. A plain falta keeps the debit.
    """
    if isinstance(attendance, str):
        # "falta justificada" (as the screens and the SPEC's prose say it) is the same.
        attendance = attendance.strip().lower().replace(" ", "_")
    if attendance not in ATTENDANCES:
        raise ValidationError(
            "Presença inválida: use agendada, realizada, falta ou falta_justificada."
        )
    payment, package = lock_session_and_package(session)
    row = _live(session)
    if attendance == FALTA_JUSTIFICADA:
        if payment is not None and package is not None:
            credit_back(payment, row, package, reason="falta justificada", operator=operator_name())
        elif payment is not None and void_manual_payment:
            access.check("payments.void_payment")  # a void is financeiro's (R23)
            mark_voided(payment, "falta justificada")
            audit.record(audit.VOID, f"Sessão #{row.id}: falta justificada, pagamento estornado")
    row.attendance = attendance
    row.save(only=[Session.attendance])
    refresh_instance(session, row)
    return row


@operation
@access.allowed("agenda.delete_session")
def delete_session(session: Session | int) -> Session:
    """R13: soft-delete; a package debit is credited back first, a manual payment voided."""
    payment, package = lock_session_and_package(session)
    row = _live(session)
    if payment is not None and package is not None:
        credit_back(payment, row, package, reason="sessão excluída", operator=operator_name())
    elif payment is not None:
        mark_voided(payment, "sessão excluída")
        audit.record(audit.VOID, f"Sessão #{row.id} excluída: pagamento estornado")
    row.deleted_at = clock.now()
    row.save(only=[Session.deleted_at])
    refresh_instance(session, row)
    return row


# --- reading -----------------------------------------------------------------------------


LONGEST_SESSION = timedelta(minutes=MAX_DURATION_MIN)


def overlap_counts(
    professional: Professional | int | None,
    starts: Iterable[datetime],
    duration_min: int,
    *,
    exclude: Session | int | None = None,
) -> list[tuple[datetime, int]]:
    """For each of `starts` that clashes, (start, how many of the professional's live
    sessions overlap [start, start + duration)), in one query however many starts (a
    weekly repetition over two years is hundreds)."""
    if professional is None:
        return []
    owner = Session.professional == _id(professional, Professional)
    return _overlaps(owner, starts, duration_min, exclude)


def patient_overlap_counts(
    patient: Patient | int | None,
    starts: Iterable[datetime],
    duration_min: int,
    *,
    exclude: Session | int | None = None,
) -> list[tuple[datetime, int]]:
    """Like `overlap_counts`, for the patient's own live sessions (with any professional):
    the same patient booked twice at the same time is almost always a mistake, so the
    session form warns and asks before saving (issue 15, item 6)."""
    if patient is None:
        return []
    owner = Session.patient == _id(patient, Patient)
    return _overlaps(owner, starts, duration_min, exclude)


def _overlaps(owner, starts, duration_min, exclude) -> list[tuple[datetime, int]]:
    wanted = sorted(set(starts))
    if not wanted:
        return []
    length = timedelta(minutes=duration_min)
    query = Session.select(Session.starts_at, Session.duration_min).where(
        owner
        & Session.deleted_at.is_null()
        & (Session.starts_at >= wanted[0] - LONGEST_SESSION)
        & (Session.starts_at < wanted[-1] + length)
    )
    if exclude is not None:
        query = query.where(Session.id != _id(exclude, Session))
    booked = sorted(
        (_as_datetime(at), timedelta(minutes=minutes)) for at, minutes in query.tuples()
    )
    begins = [at for at, _length in booked]
    found = []
    for start in wanted:
        # Only sessions that begin before this one ends and at most a session-length before.
        low = bisect_left(begins, start - LONGEST_SESSION)
        high = bisect_left(begins, start + length)
        clashes = sum(1 for at, took in booked[low:high] if at + took > start)
        if clashes:
            found.append((start, clashes))
    return found


def _as_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def get_session(session: Session | int) -> Session:
    return get_row(Session, session, "Sessão não encontrada.")
