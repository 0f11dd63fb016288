"""How the Receitas page reads a period without ever freezing.

A short period (up to SYNC_ROWS sessions) is read at once, as always. A busy month or a
long period is thousands of sessions: its first PREVIEW_ROWS rows and the footer totals
are read at once (milliseconds), and every row comes from a background job, which
replaces them when it is done. A newer request supersedes an older one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QObject, Signal, Slot

from ...core.agenda import SessionRow
from ...core.reports import receitas
from ...core.reports.receitas import ReceitasTotals
from ..common.jobs import Job, start_after_paint

SYNC_ROWS = 1_500  # read at once up to this many sessions (a few dozen milliseconds)
PREVIEW_ROWS = 100  # beyond that, these first rows at once, the rest in the background
SYNC_TOTALS = 20_000  # the footer's sums at once up to this many sessions (~30 ms)


@dataclass(frozen=True)
class Reading:
    """What is known of the period: every row (`complete`) or its first rows; `totals` is
    None while the footer's sums of a very long period are still being read."""

    rows: list[SessionRow]
    totals: ReceitasTotals | None
    complete: bool
    count: int  # the period's sessions with these filters


class PeriodLoader(QObject):
    """`load(start, end, filters)` emits `read(Reading)` once (a short period) or twice
    (its first rows now, then all of them); `failed(error)` when the background read
    fails. Raises DomainError at once for a bad period."""

    read = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._generation = 0
        self._job: Job | None = None
        self.loading = False

    def load(self, start: date, end: date, filters: dict, *, shown_in: QObject) -> None:
        """`shown_in`: the widget the first rows are painted in (the background read
        starts once it is)."""
        self._generation += 1
        generation = self._generation
        self.loading = False
        self._job = None
        count = receitas.count(start, end, **filters)
        if count <= SYNC_ROWS:
            rows = receitas.sessions(start, end, **filters)
            self.read.emit(Reading(rows, receitas.totals(start, end, **filters), True, len(rows)))
            return
        totals = receitas.totals(start, end, **filters) if count <= SYNC_TOTALS else None
        first = receitas.first_sessions(start, end, PREVIEW_ROWS, **filters)
        self.loading = True
        self.read.emit(Reading(first, totals, False, count))

        def everything(_progress):
            rows = receitas.sessions(start, end, **filters)
            # The totals, unless already read for the first rows.
            if totals is None:
                return generation, rows, receitas.totals(start, end, **filters)
            return generation, rows, totals

        job = Job(everything, "receitas")
        job.succeeded.connect(self._loaded)
        job.failed.connect(self._failed)
        self._job = job
        start_after_paint(job, shown_in)

    @Slot(object)
    def _loaded(self, result) -> None:
        generation, rows, totals = result
        if generation != self._generation:
            return  # the period or the filters changed meanwhile
        self.loading = False
        self.read.emit(Reading(rows, totals, True, len(rows)))

    @Slot(object)
    def _failed(self, error: Exception) -> None:
        if self.sender() is not self._job:
            return
        self.loading = False
        self.failed.emit(error)
