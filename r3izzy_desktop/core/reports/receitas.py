"""What the Receitas page and the payment dialogs read: sessions with their payment state,
the footer totals (SQL aggregates), and how a session was paid, in words.

Reading only; paying goes through `packages.pay_sessions` and `payments.pay_manually`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from peewee import JOIN, Case, ModelSelect, fn

from .. import agenda
from ..agenda import SessionRow
from ..errors import NotFound, ValidationError
from ..ptbr import format_date, from_cents
from ..store.models import Patient, Payment, Service, Session, session_is_paid
from ..terms import FALTA_JUSTIFICADA, PACOTE, method_label

PAGO = "pago"
ABERTO = "aberto"
SITUATIONS = (PAGO, ABERTO)
JUSTIFICADA = "justificada"  # a justified absence not paid: nothing to pay (R7)
SITUATION_LABELS = {PAGO: "Pago", ABERTO: "Em aberto", JUSTIFICADA: "Sem cobrança"}


@dataclass(frozen=True)
class ReceitasTotals:
    """The footer of the Receitas page for the filtered period.

    `received`: what the paid sessions were paid, all ways added (the page shows it as
    "Pago", never "Recebido": a package debit is credit the patient prepaid, not money
    that came in; issue 15 item 7). Of it, `package_paid` ("Pago com pacote") the package
    debits and `manual_received` ("Recebido à parte") the manual payments — money
    received (R12). `open_amount`: the sum of the prices of the unpaid sessions, justified
    absences left out (nothing to charge).
    """

    received: Decimal
    paid_count: int
    open_amount: Decimal
    open_count: int
    package_paid: Decimal = Decimal("0.00")
    manual_received: Decimal = Decimal("0.00")

    @property
    def paid(self) -> Decimal:
        """What the paid sessions were paid (the same as `received`, by its right name)."""
        return self.received


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    if end < start:
        raise ValidationError("A data final do período é anterior à inicial.", "end")
    begin = datetime.combine(start, datetime.min.time())
    stop = datetime.combine(end + timedelta(days=1), datetime.min.time())
    return begin, stop


def _id(value, model) -> int | None:
    if value is None:
        return None
    return value.id if isinstance(value, model) else int(value)


def _situation(situation: str | None) -> str | None:
    if situation in (None, ""):
        return None
    if situation not in SITUATIONS:
        raise ValidationError("Situação inválida: use pago ou aberto.", "situation")
    return situation


def sessions(
    start: date,
    end: date,
    *,
    patient: Patient | int | None = None,
    service: Service | int | None = None,
    situation: str | None = None,
) -> list[SessionRow]:
    """Live sessions from `start` to `end` (inclusive), chronologically, optionally of one
    patient, one service and one situation ("pago" / "aberto")."""
    _bounds(start, end)
    wanted = _situation(situation)
    rows = agenda.sessions_between(start, end, patient=patient, service=service)
    if wanted is None:
        return rows
    return [row for row in rows if situation_of(row) == wanted]


def first_sessions(
    start: date,
    end: date,
    limit: int,
    *,
    patient: Patient | int | None = None,
    service: Service | int | None = None,
    situation: str | None = None,
) -> list[SessionRow]:
    """The first `limit` rows `sessions()` gives for the same filters (in milliseconds,
    whatever the period): what the page shows while a long period loads."""
    _bounds(start, end)
    wanted = _situation(situation)
    return agenda.sessions_between(
        start,
        end,
        patient=patient,
        service=service,
        paid=None if wanted is None else wanted == PAGO,
        limit=limit,
    )


def _live_between(
    query: ModelSelect,
    begin: datetime,
    stop: datetime,
    patient: Patient | int | None,
    service: Service | int | None,
) -> ModelSelect:
    """`query` narrowed to the live sessions from `begin` (included) to `stop` (excluded),
    of one patient and one service when given."""
    query = query.where(
        (Session.starts_at >= begin) & (Session.starts_at < stop) & Session.deleted_at.is_null()
    )
    patient_id, service_id = _id(patient, Patient), _id(service, Service)
    if patient_id is not None:
        query = query.where(Session.patient == patient_id)
    if service_id is not None:
        query = query.where(Session.service == service_id)
    return query


def count(
    start: date,
    end: date,
    *,
    patient: Patient | int | None = None,
    service: Service | int | None = None,
    situation: str | None = None,
) -> int:
    """How many rows `sessions()` gives for the same filters (one SQL count)."""
    begin, stop = _bounds(start, end)
    wanted = _situation(situation)
    query = _live_between(Session.select(fn.COUNT(Session.id)), begin, stop, patient, service)
    if wanted is not None:
        query = query.where(
            session_is_paid()
            if wanted == PAGO
            else ~session_is_paid() & (Session.attendance != FALTA_JUSTIFICADA)
        )
    return int(query.scalar() or 0)


def totals(
    start: date,
    end: date,
    *,
    patient: Patient | int | None = None,
    service: Service | int | None = None,
    situation: str | None = None,
) -> ReceitasTotals:
    """Received and open amounts of the sessions `sessions()` lists for the same filters,
    summed by the database."""
    begin, stop = _bounds(start, end)
    wanted = _situation(situation)
    unpaid = Payment.id.is_null() & (Session.attendance != FALTA_JUSTIFICADA)
    query = Session.select(
        fn.SUM(Payment.amount).coerce(False).alias("received"),
        fn.COUNT(Payment.id).alias("paid_count"),
        fn.SUM(Case(None, [(Payment.package.is_null(False), Payment.amount)], 0))
        .coerce(False)
        .alias("package_paid"),
        fn.SUM(Case(None, [(unpaid, Session.price)], 0)).coerce(False).alias("open_amount"),
        fn.SUM(Case(None, [(unpaid, 1)], 0)).coerce(False).alias("open_count"),
    ).join(
        Payment,
        JOIN.LEFT_OUTER,
        on=((Payment.session == Session.id) & Payment.voided_at.is_null()),
    )
    query = _live_between(query, begin, stop, patient, service)
    if wanted == PAGO:
        query = query.where(Payment.id.is_null(False))
    elif wanted == ABERTO:
        query = query.where(unpaid)
    received, paid_count, package_cents, open_cents, open_count = query.tuples().get()
    return ReceitasTotals(
        received=from_cents(received or 0),
        paid_count=int(paid_count or 0),
        open_amount=from_cents(open_cents or 0),
        open_count=int(open_count or 0),
        package_paid=from_cents(package_cents or 0),
        manual_received=from_cents((received or 0) - (package_cents or 0)),
    )


def price_total(session_ids: Sequence[int]) -> Decimal:
    """The sum of the sessions' prices: what a manual payment of them all receives (R12)."""
    if not session_ids:
        return from_cents(0)
    cents = (
        Session.select(fn.SUM(Session.price).coerce(False))
        .where(Session.id.in_(list(session_ids)))
        .scalar()
    )
    return from_cents(cents or 0)


def rows_by_id(session_ids: Sequence[int]) -> list[SessionRow]:
    """The live sessions with these ids as calendar rows, chronologically; deleted or
    unknown ids are left out."""
    ids = list(dict.fromkeys(int(i) for i in session_ids))
    if not ids:
        return []
    first, last = (
        Session.select(fn.MIN(Session.starts_at), fn.MAX(Session.starts_at))
        .where(Session.id.in_(ids) & Session.deleted_at.is_null())
        .tuples()
        .get()
    )
    if first is None:
        return []
    return agenda.sessions_between(_as_date(first), _as_date(last), among=ids)


def session_row(session_id: int) -> SessionRow:
    """One live session as a calendar row; NotFound when it is gone (deleted meanwhile)."""
    rows = rows_by_id([session_id])
    if not rows:
        raise NotFound("Sessão não encontrada (talvez excluída em outro computador).")
    return rows[0]


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(str(value)).date()


def payment_text(row: SessionRow) -> str:
    """How the session was paid: "Pacote No. 250618170510", "Pix em 03/07/2025", or ""."""
    if not row.paid or row.payment_method is None:
        return ""
    if row.payment_method == PACOTE:
        return f"Pacote No. {row.package_number}"
    return f"{method_label(row.payment_method)} em {format_date(row.payment_date)}"


def situation_of(row: SessionRow) -> str:
    if row.paid:
        return PAGO
    return ABERTO if row.owes else JUSTIFICADA


__all__ = [
    "ABERTO",
    "JUSTIFICADA",
    "PAGO",
    "SITUATIONS",
    "SITUATION_LABELS",
    "ReceitasTotals",
    "count",
    "first_sessions",
    "payment_text",
    "price_total",
    "rows_by_id",
    "session_row",
    "sessions",
    "situation_of",
    "totals",
]
