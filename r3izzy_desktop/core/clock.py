"""The one source of "now" for the core, so tests and the demo data can set the clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta


def _system_now() -> datetime:
    return datetime.now().replace(microsecond=0)


_now: Callable[[], datetime] = _system_now


def now() -> datetime:
    """Local wall-clock time (naive), to the second."""
    return _now()


def today() -> date:
    return now().date()


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Within the block, `now()` is `at` (used by the demo data and by tests)."""
    global _now
    previous = _now
    _now = lambda: at  # noqa: E731
    try:
        yield
    finally:
        _now = previous


def months_after(day: date, months: int) -> date:
    """The same day `months` months later (or earlier, when negative); the month's last
    day when it is shorter (31/01 + 1 month = 28/02 or 29/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    last = (following - timedelta(days=1)).day
    return date(year, month, min(day.day, last))
