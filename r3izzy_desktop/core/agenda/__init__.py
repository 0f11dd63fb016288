"""The agenda: sessions scheduled, changed, attended and deleted (sessions.py, R7, R13),
and read as calendar rows (rows.py). SPEC §6 names them `agenda.<name>`."""

from .rows import DaySessions, SessionRow, first_of_each_day, sessions_between
from .sessions import (
    ATTENDANCE_LABELS,
    MAX_DURATION_MIN,
    MAX_SERIES,
    delete_session,
    get_session,
    overlap_counts,
    patient_overlap_counts,
    schedule,
    schedule_weekly,
    set_attendance,
    update_session,
    weekly_dates,
)

__all__ = [
    "ATTENDANCE_LABELS",
    "MAX_DURATION_MIN",
    "MAX_SERIES",
    "DaySessions",
    "SessionRow",
    "delete_session",
    "first_of_each_day",
    "get_session",
    "overlap_counts",
    "patient_overlap_counts",
    "schedule",
    "schedule_weekly",
    "sessions_between",
    "set_attendance",
    "update_session",
    "weekly_dates",
]
