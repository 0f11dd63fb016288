"""The one source of "now" for the core, so tests and the demo data can set the clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime


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
