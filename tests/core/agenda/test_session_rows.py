"""The calendar rows read fast (core/agenda/rows.py) are exactly what a plain model query
gives: every field of every live session of the range, with its active payment, in order,
with each filter."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from decimal import Decimal

from r3izzy_desktop.core import agenda, clinic, packages, payments
from r3izzy_desktop.core.agenda import SessionRow
from r3izzy_desktop.core.agenda import rows as session_rows
from r3izzy_desktop.core.store.models import Payment, Session


def reference_rows(start: date, end: date, **filters) -> list[SessionRow]:
    """The rows built the slow, obvious way: one model per session and per payment."""
    begin = datetime.combine(start, datetime.min.time())
    stop = datetime.combine(end + timedelta(days=1), datetime.min.time())
    query = Session.select().where(
        (Session.starts_at >= begin) & (Session.starts_at < stop) & Session.deleted_at.is_null()
    )
    for name, value in filters.items():
        query = query.where(getattr(Session, name) == value)
    rows = []
    for s in query.order_by(Session.starts_at, Session.id):
        pay = Payment.get_or_none((Payment.session == s.id) & Payment.voided_at.is_null())
        rows.append(
            SessionRow(
                id=s.id,
                starts_at=s.starts_at,
                duration_min=s.duration_min,
                patient_id=s.patient_id,
                patient_name=s.patient.name,
                service_id=s.service_id,
                service_name=s.service.name,
                location_name=s.location.name if s.location_id else "",
                professional_id=s.professional_id,
                professional_name=s.professional.name if s.professional_id else "",
                professional_color=s.professional.color if s.professional_id else "#8a8f98",
                price=s.price,
                attendance=s.attendance,
                notes=s.notes,
                paid=pay is not None,
                payment_method=pay.method if pay else None,
                payment_amount=pay.amount if pay else None,
                payment_date=pay.paid_on if pay else None,
                package_id=pay.package_id if pay else None,
                package_number=pay.package.number if pay and pay.package_id else None,
            )
        )
    return rows


def test_the_fields_follow_the_dataclass():
    assert tuple(f.name for f in dataclasses.fields(SessionRow)) == session_rows._FIELDS


def test_rows_equal_the_plain_query_with_every_filter(db, patient, service):
    bruno = clinic.add_patient("Bruno Lima")
    other_service = clinic.add_service("Fonoaudiologia", price=Decimal("0.00"))
    room = clinic.add_location("Sala 2")
    doctor = clinic.add_professional("Dra. Camila Ribeiro", "#e76f51")
    made = []
    for day in range(1, 15):
        made.append(
            agenda.schedule(
                patient if day % 2 else bruno,
                service if day % 3 else other_service,
                datetime(2025, 4, day, 8 + day % 9, 30 if day % 4 else 0),
                location=room if day % 5 == 0 else None,
                professional=doctor if day % 2 == 0 else None,
                notes="trazer exames" if day == 7 else "",
            )
        )
    # Two sessions at the same minute: the id decides the order.
    made.append(agenda.schedule(patient, service, datetime(2025, 4, 3, 11, 30)))
    package = packages.create_package(patient, 4, Decimal("1000.00"), paid_on=date(2025, 3, 30))
    packages.pay_sessions(package, [made[2], made[12]], accept_price_adjustment=True)
    payments.pay_manually([made[4]], method="pix", paid_on=date(2025, 4, 20))
    payments.pay_manually([made[7]], method="dinheiro", paid_on=date(2025, 4, 21))
    payments.void_payment(made[7])  # open again
    packages.refund_session(made[2])  # credited back: open again
    agenda.set_attendance(made[6], "falta_justificada")
    agenda.delete_session(made[10])

    start, end = date(2025, 4, 2), date(2025, 4, 13)
    everything = session_rows.sessions_between(start, end)
    assert everything == reference_rows(start, end)
    assert len(everything) >= 10
    assert {r.payment_method for r in everything} == {None, "pacote", "pix"}
    assert made[10].id not in {r.id for r in everything}
    for given, column, value in (
        (bruno.id, "patient", bruno.id),
        (doctor, "professional", doctor.id),
        (room.id, "location", room.id),
        (other_service, "service", other_service.id),
    ):
        found = session_rows.sessions_between(start, end, **{column: given})
        assert found == reference_rows(start, end, **{column: value}), column
        assert found, column  # each filter keeps something
    assert session_rows.sessions_between(date(2026, 1, 1), date(2026, 1, 31)) == []


def test_rows_are_frozen_like_the_dataclass_builds_them(db, make_session):
    make_session(2, 10)
    [row] = session_rows.sessions_between(date(2025, 4, 1), date(2025, 4, 30))
    assert row == dataclasses.replace(row)
    assert hash(row) == hash(dataclasses.replace(row))
    try:
        row.price = Decimal("1.00")  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("a row must stay frozen")
    assert row.ends_at == row.starts_at + timedelta(minutes=50)
