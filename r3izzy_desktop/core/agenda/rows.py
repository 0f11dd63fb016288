"""Sessions as calendar rows (`SessionRow`), read fast: the Agenda's month of a busy
clinic is thousands of sessions, and the calendar and Receitas read a whole range at once.

One SQL statement reads the sessions with their active payment, its package and the
names (patient, service, location, professional) joined by their primary keys: on a
clinic's server every statement is a round trip over the network, so a range of
sessions is one, never a lookup per name. The raw values are converted by hand
(peewee's per-row model conversion cost more than the query). Reading only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from peewee import JOIN, Case, Select, Window, fn

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
    _ranked: Any = None,
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
            Patient.name,
            Service.name,
            Location.name,
            Professional.name,
            Professional.color,
        )
        .join(
            Payment,
            JOIN.LEFT_OUTER,
            on=((Payment.session == Session.id) & Payment.voided_at.is_null()),
        )
        .join(Package, JOIN.LEFT_OUTER, on=(Payment.package == Package.id))
        .switch(Session)
        .join(Patient, on=(Session.patient == Patient.id))
        .switch(Session)
        .join(Service, on=(Session.service == Service.id))
        .switch(Session)
        .join(Location, JOIN.LEFT_OUTER, on=(Session.location == Location.id))
        .switch(Session)
        .join(Professional, JOIN.LEFT_OUTER, on=(Session.professional == Professional.id))
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
    if _ranked is not None:  # first_of_each_day: the day's first sessions, and its counts
        ranked, per_day, counted = _ranked
        # The first of each day as a small table of its own (a few hundred rows), which
        # the database walks, reading each session by its key.
        first = (
            Select(
                from_list=[ranked],
                columns=[ranked.c.id, ranked.c.day, ranked.c.in_day, ranked.c.open_in_day],
            )
            .where(ranked.c.place <= per_day)
            .alias("first_of_day")
        )
        query = (
            query.switch(Session)
            .join(first, on=(first.c.id == Session.id))
            .select_extend(first.c.day, first.c.in_day, first.c.open_in_day)
        )
        found = db.execute(query).fetchall()
        counted.extend(row[-3:] for row in found)
        found = [row[:-3] for row in found]
    else:
        found = db.execute(query).fetchall()
    if not found:
        return []

    money = _Money()
    cents = money.known
    # SQLite gives dates as text, PostgreSQL as date objects: pick the conversion once.
    as_datetime = datetime.fromisoformat if isinstance(found[0][1], str) else _datetime
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
        _where,
        by,
        method,
        amount,
        paid_on,
        package_id,
        number,
        patient_name,
        service_name,
        location_name,
        professional_name,
        colour,
    ) in found:
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
                    patient_name,
                    what,
                    service_name,
                    location_name or "",
                    by,
                    professional_name or "",
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
    sessions in one statement, without reading the ones nobody sees."""
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
    # One statement: every live session of the range ranked within its day, with its
    # day's count and open count (window columns, before the rank is filtered), joined to
    # the rows of the first `per_day` of each day. A day with sessions has its first one
    # among them, so every day's counts come with the rows.
    day = fn.DATE(Session.starts_at)
    unpaid = Case(None, [(Payment.id.is_null() & (Session.attendance != FALTA_JUSTIFICADA), 1)], 0)
    # One window for all three (one sort of the range): in time order within each day,
    # its frame the whole day, so COUNT and SUM see every session of it.
    by_day = Window(
        partition_by=[day],
        order_by=[Session.starts_at, Session.id],
        start=Window.preceding(),
        end=Window.following(),
        frame_type=Window.ROWS,
    )
    ranked = (
        Session.select(
            Session.id,
            day.alias("day"),
            fn.ROW_NUMBER().over(window=by_day).alias("place"),
            fn.COUNT(Session.id).over(window=by_day).alias("in_day"),
            fn.SUM(unpaid).over(window=by_day).alias("open_in_day"),
        )
        .join(
            Payment,
            JOIN.LEFT_OUTER,
            on=((Payment.session == Session.id) & Payment.voided_at.is_null()),
        )
        .where(live)
        .window(by_day)
        .alias("ranked")
    )
    counted: list[tuple] = []
    rows = sessions_between(
        start,
        end,
        patient=patient,
        professional=professional,
        location=location,
        service=service,
        _ranked=(ranked, per_day, counted),
    )
    per_day_count: dict[date, int] = {}
    total = open_count = 0
    for when, count, unpaid_count in counted:
        key = _date(str(when))
        if key in per_day_count:
            continue
        per_day_count[key] = count
        total += count
        open_count += int(unpaid_count or 0)
    return DaySessions(rows, per_day_count, total, open_count)
