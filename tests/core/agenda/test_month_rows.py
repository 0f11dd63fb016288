"""The month grid's read (session_rows.first_of_each_day): each day's first sessions in
order, and every day's count and the range's totals, whatever the number of sessions."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from r3izzy_desktop.core import agenda, payments
from r3izzy_desktop.core.agenda import rows as session_rows


def test_first_of_each_day_counts_everything(db, patient, service):
    made = [
        agenda.schedule(patient, service, datetime(2025, 4, 1 + day, 8) + timedelta(hours=h))
        for day in range(3)
        for h in range(5)
    ]
    payments.pay_manually(made[:4], method="pix")
    agenda.delete_session(made[-1])
    start, end = date(2025, 3, 30), date(2025, 4, 5)
    month = session_rows.first_of_each_day(start, end, 2)
    everything = session_rows.sessions_between(start, end)
    assert (month.total, month.open) == (14, 10)
    assert month.per_day == {date(2025, 4, 1): 5, date(2025, 4, 2): 5, date(2025, 4, 3): 4}
    firsts = [r for r in everything if r.starts_at.hour < 10]  # two a day, in order
    assert month.rows == firsts


def test_a_justified_absence_is_not_counted_open(db, make_session):
    """Issue 15 item 8: a falta justificada owes nothing: not "em aberto" in the month."""
    from r3izzy_desktop.core.reports import receitas

    excused = make_session(1, 10)
    make_session(1, 11)
    agenda.set_attendance(excused, "falta_justificada")
    month = agenda.first_of_each_day(date(2025, 4, 1), date(2025, 4, 30), 3)
    assert (month.total, month.open) == (2, 1)
    by_id = {row.id: row for row in month.rows}
    assert not by_id[excused.id].owes and not by_id[excused.id].paid
    assert receitas.situation_of(by_id[excused.id]) == receitas.JUSTIFICADA
    assert [row.owes for row in month.rows if row.id != excused.id] == [True]
