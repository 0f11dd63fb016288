"""Sessions as calendar rows (`SessionRow`), read fast: the Agenda's month of a busy
clinic is thousands of sessions, and the calendar and Receitas read a whole range at once.

One SQL statement reads the sessions with their active payment and its package; the few
names (patients, services, locations, professionals) come from small lookups instead of
four more joins, and the raw values are converted by hand (peewee's per-row model
conversion cost more than the query). Reading only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from peewee import JOIN, Case, Select, fn

from ..ptbr import from_cents
from ..store.binding import db
from ..store.models import Location, Package, Patient, Payment, Professional, Service, Session
from ..terms import FALTA_JUSTIFICADA


@dataclass(frozen=True)
class SessionRow:
    """A session as the calendar and Receitas show it."""

    id: int
    starts_at: datetime
    duration_min: int
    patient_id: int
    patient_name: str
    service_id: int
    service_name: str
    location_name: str
    professional_id: int | None
    professional_name: str
    professional_color: str
    price: Decimal
    attendance: str
    notes: str
    paid: bool
    payment_method: str | None  # "pacote", "pix", ... or None when open
    payment_amount: Decimal | None
    payment_date: date | None
    package_id: int | None
    package_number: str | None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_min)

    @property
    def owes(self) -> bool:
        """Whether the session is open to pay: not paid and not a justified absence (R7:
        a falta justificada is not charged, so it is never "em aberto" nor payable)."""
        return not self.paid and self.attendance != FALTA_JUSTIFICADA


NO_COLOR = "#8a8f98"
FEW_ROWS = 500  # up to this many rows, only their patients' names are read
# SessionRow's fields in order (checked against the dataclass by the tests).
_FIELDS = (
    "id",
    "starts_at",
    "duration_min",
    "patient_id",
    "patient_name",
    "service_id",
    "service_name",
    "location_name",
    "professional_id",
    "professional_name",
    "professional_color",
    "price",
    "attendance",
    "notes",
    "paid",
    "payment_method",
    "payment_amount",
    "payment_date",
    "package_id",
    "package_number",
)


def _id(value: Any) -> int | None:
    if value is None:
        return None
    return value if isinstance(value, int) else value.id


def _names(query) -> dict[int, tuple]:
    """{id: (the other selected columns)} of a small lookup query."""
    return {row[0]: row[1:] for row in db.execute(query).fetchall()}


class _Money:
    """Centavos -> Decimal, remembered: a month repeats the same few prices."""

    def __init__(self) -> None:
        self.known: dict[int, Decimal] = {}

    def __call__(self, cents: int | None) -> Decimal | None:
        if cents is None:
            return None
        value = self.known.get(cents)
        if value is None:
            value = self.known[cents] = from_cents(cents)
        return value


def _datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def sessions_between(
    start: date,
    end: date,
    *,
    patient: Any = None,
    professional: Any = None,
    location: Any = None,
    service: Any = None,
    paid: bool | None = None,
    limit: int | None = None,
    among: Any = None,
) -> list[SessionRow]:
    """Live sessions from `start` to `end` (inclusive dates), chronologically, with their
    payment state; optionally of one patient, professional, location and service, only
    the paid (`paid=True`) or open (`paid=False`: unpaid and not a justified absence, which
    has nothing to pay) ones, and only the first `limit`."""
    begin = datetime.combine(start, datetime.min.time())
    stop = datetime.combine(end + timedelta(days=1), datetime.min.time())
    query = (
        Session.select(
            Session.id,
            Session.starts_at,
            Session.duration_min,
            Session.price,
            Session.attendance,
            Session.notes,
            Session.patient,
            Session.service,
            Session.location,
            Session.professional,
            Payment.method,
            Payment.amount,
            Payment.paid_on,
            Payment.package,
            Package.number,
        )
        .join(
            Payment,
            JOIN.LEFT_OUTER,
            on=((Payment.session == Session.id) & Payment.voided_at.is_null()),
        )
        .join(Package, JOIN.LEFT_OUTER, on=(Payment.package == Package.id))
        .where(
            (Session.starts_at >= begin) & (Session.starts_at < stop) & Session.deleted_at.is_null()
        )
        .order_by(Session.starts_at, Session.id)
    )
    for value, column in (
        (patient, Session.patient),
        (professional, Session.professional),
        (location, Session.location),
        (service, Session.service),
    ):
        if value is not None:
            query = query.where(column == _id(value))
    if paid:
        query = query.where(Payment.id.is_null(False))
    elif paid is not None:
        query = query.where(Payment.id.is_null() & (Session.attendance != FALTA_JUSTIFICADA))
    if among is not None:  # a subquery of session ids
        query = query.where(Session.id.in_(among))
    if limit is not None:
        query = query.limit(limit)
    found = db.execute(query).fetchall()
    if not found:
        return []

    people = Patient.select(Patient.id, Patient.name)
    if patient is not None:
        people = people.where(Patient.id == _id(patient))
    elif len(found) <= FEW_ROWS:  # only the names these rows need, not the whole clinic's
        people = people.where(Patient.id.in_(sorted({row[6] for row in found})))
    patients = _names(people)
    services = _names(Service.select(Service.id, Service.name))
    locations = _names(Location.select(Location.id, Location.name))
    professionals = _names(
        Professional.select(Professional.id, Professional.name, Professional.color)
    )
    money = _Money()
    cents = money.known
    # SQLite gives dates as text, PostgreSQL as date objects: pick the conversion once.
    as_datetime = datetime.fromisoformat if isinstance(found[0][1], str) else _datetime
    nobody = ("", NO_COLOR)
    no_place = ("",)
    locations[None] = no_place
    professionals[None] = nobody
    fields = _FIELDS
    new = object.__new__
    rows = []
    append = rows.append
    for (
        session_id,
        starts_at,
        duration,
        price,
        attendance,
        notes,
        who,
        what,
        where,
        by,
        method,
        amount,
        paid_on,
        package_id,
        number,
    ) in found:
        professional_name, colour = professionals.get(by, nobody)
        row = new(SessionRow)
        # A frozen dataclass: its fields are set once, here, all together (the same as
        # its __init__ would, without a setattr per field).
        row.__dict__.update(
            zip(
                fields,
                (
                    session_id,
                    as_datetime(starts_at),
                    duration,
                    who,
                    patients[who][0],
                    what,
                    services[what][0],
                    locations.get(where, no_place)[0],
                    by,
                    professional_name,
                    colour or NO_COLOR,
                    cents.get(price) or money(price),
                    attendance,
                    notes,
                    method is not None,
                    method,
                    None if amount is None else cents.get(amount) or money(amount),
                    None if paid_on is None else _date(paid_on),
                    package_id,
                    number,
                ),
                strict=True,
            )
        )
        append(row)
    return rows


@dataclass(frozen=True)
class DaySessions:
    """A calendar range as a month grid shows it: each day's first sessions (`rows`,
    chronologically), how many each day has, and the range's totals."""

    rows: list
    per_day: dict[date, int]
    total: int
    open: int  # sessions with no active payment, justified absences left out


def first_of_each_day(
    start: date,
    end: date,
    per_day: int,
    *,
    patient: Any = None,
    professional: Any = None,
    location: Any = None,
    service: Any = None,
) -> DaySessions:
    """The first `per_day` sessions of each day from `start` to `end` (what a day of the
    month grid has room for) and the counts of every day: a busy month of thousands of
    sessions in a few queries, without reading the ones nobody sees."""
    begin = datetime.combine(start, datetime.min.time())
    stop = datetime.combine(end + timedelta(days=1), datetime.min.time())
    live = (Session.starts_at >= begin) & (Session.starts_at < stop) & Session.deleted_at.is_null()
    for value, column in (
        (patient, Session.patient),
        (professional, Session.professional),
        (location, Session.location),
        (service, Session.service),
    ):
        if value is not None:
            live &= column == _id(value)
    day = fn.DATE(Session.starts_at)
    counts = (
        Session.select(
            day,
            fn.COUNT(Session.id),
            fn.SUM(
                Case(
                    None,
                    [(Payment.id.is_null() & (Session.attendance != FALTA_JUSTIFICADA), 1)],
                    0,
                )
            ),
        )
        .join(
            Payment,
            JOIN.LEFT_OUTER,
            on=((Payment.session == Session.id) & Payment.voided_at.is_null()),
        )
        .where(live)
        .group_by(day)
    )
    per_day_count: dict[date, int] = {}
    total = open_count = 0
    for when, count, unpaid in db.execute(counts).fetchall():
        per_day_count[_date(str(when))] = count
        total += count
        open_count += int(unpaid or 0)
    rank = fn.ROW_NUMBER().over(partition_by=[day], order_by=[Session.starts_at, Session.id])
    ranked = Session.select(Session.id, rank.alias("place")).where(live).alias("ranked")
    first = Select(from_list=[ranked], columns=[ranked.c.id]).where(ranked.c.place <= per_day)
    rows = sessions_between(
        start,
        end,
        patient=patient,
        professional=professional,
        location=location,
        service=service,
        among=first,
    )
    return DaySessions(rows, per_day_count, total, open_count)
