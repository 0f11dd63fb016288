"""The session form's overlap warning: which starts clash with a professional's sessions,
answered in one query for a whole repetition."""

from __future__ import annotations

from datetime import datetime, timedelta

from r3izzy_desktop.core import agenda, clinic


def test_counts_each_clashing_start_in_one_query(db, make_session, monkeypatch):
    camila = clinic.add_professional("Dra. Camila")
    other = clinic.add_professional("Dr. Paulo")
    make_session(7, 10, professional=camila, duration_min=50)  # 10:00–10:50
    make_session(7, 10, 30, professional=camila, duration_min=60)  # 10:30–11:30
    make_session(14, 9, professional=camila, duration_min=600)  # 09:00–19:00
    make_session(21, 10, professional=other)  # another professional
    gone = make_session(28, 10, professional=camila)
    agenda.delete_session(gone)

    starts = [datetime(2025, 4, day, 10, 45) for day in (7, 14, 21, 28)]
    statements = []
    real_execute = db.execute_sql
    monkeypatch.setattr(
        db, "execute_sql", lambda sql, *a, **k: statements.append(sql) or real_execute(sql, *a, **k)
    )
    found = agenda.overlap_counts(camila, starts, 30)
    assert found == [(starts[0], 2), (starts[1], 1)]
    assert len(statements) == 1


def test_touching_is_not_overlapping_and_the_edited_session_is_left_out(db, make_session):
    camila = clinic.add_professional("Dra. Camila")
    session = make_session(7, 10, professional=camila, duration_min=50)
    ends = datetime(2025, 4, 7, 10, 50)
    assert agenda.overlap_counts(camila, [ends], 50) == []
    assert agenda.overlap_counts(camila, [ends - timedelta(minutes=50)], 50, exclude=session) == []
    assert agenda.overlap_counts(None, [ends], 50) == []
    assert agenda.overlap_counts(camila, [], 50) == []


def test_the_same_patient_twice_at_the_same_time_is_found(db, patient, other_patient, make_session):
    """Issue 15 item 6: the patient's own sessions clash whoever the professional is."""
    camila = clinic.add_professional("Dra. Camila")
    paulo = clinic.add_professional("Dr. Paulo")
    mine = make_session(7, 10, professional=camila, duration_min=50)  # 10:00–10:50
    make_session(7, 10, 30, patient=other_patient, professional=paulo)  # someone else
    gone = make_session(14, 10, professional=paulo)
    agenda.delete_session(gone)

    starts = [datetime(2025, 4, 7, 10, 20), datetime(2025, 4, 7, 10, 50), datetime(2025, 4, 14, 10)]
    assert agenda.patient_overlap_counts(patient, starts, 30) == [(starts[0], 1)]
    assert agenda.patient_overlap_counts(patient.id, starts, 30, exclude=mine) == []
    assert agenda.patient_overlap_counts(None, starts, 30) == []
    assert agenda.patient_overlap_counts(other_patient, starts[:1], 30) == [(starts[0], 1)]
