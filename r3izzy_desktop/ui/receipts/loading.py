"""How the Recibos window reads a year without ever freezing.

A year of a busy clinic is thousands of receipts. Up to SYNC_ROWS of them are read at
once. Beyond that, the window shows the year's first PREVIEW_ROWS receipts and the exact
summary (one aggregate statement) at once, and every row comes from a background job,
which replaces them when it is done. A search in such a year runs in the background too
(the rows on screen stay until its result). A newer request supersedes an older one.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot

from ...core import receipts
from ...core.receipts import ReceiptRow, ReceiptTotals
from ..common.jobs import Job, start_after_paint

SYNC_ROWS = 1_500  # read at once up to this many receipts (a few dozen milliseconds)
PREVIEW_ROWS = 100  # beyond that, these first ones at once, the rest in the background


@dataclass(frozen=True)
class Reading:
    """What is known: every row (`complete`) or the year's first rows; `totals` are those
    of `rows` once complete, of the whole year before (None while a search runs)."""

    rows: list[ReceiptRow] | None  # None: the rows on screen stay (a search is running)
    totals: ReceiptTotals | None
    complete: bool


class YearLoader(QObject):
    """`load(year, query)` emits `read(Reading)` once (a small year) or twice (first what
    is known at once, then every row); `failed(error)` when the background read fails.
    Raises DomainError at once for a bad year."""

    read = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._generation = 0
        self._job: Job | None = None
        self.loading = False

    def load(self, year: int, query: str = "", *, shown_in: QObject) -> None:
        """`shown_in`: the widget the first rows are painted in (the background read
        starts once it is)."""
        self._generation += 1
        generation = self._generation
        self.loading = False
        self._job = None
        year_totals = receipts.year_totals(year)
        if year_totals.count <= SYNC_ROWS:
            rows = receipts.search(year, query)
            totals = receipts.totals_of(rows) if query.strip() else year_totals
            self.read.emit(Reading(rows, totals, True))
            return
        self.loading = True
        if query.strip():
            self.read.emit(Reading(None, None, False))
        else:
            self.read.emit(Reading(receipts.first_of_year(year, PREVIEW_ROWS), year_totals, False))

        def everything(_progress):
            rows = receipts.search(year, query)
            return generation, rows, receipts.totals_of(rows)

        job = Job(everything, "recibos")
        job.succeeded.connect(self._loaded)
        job.failed.connect(self._failed)
        self._job = job
        start_after_paint(job, shown_in)

    @Slot(object)
    def _loaded(self, result) -> None:
        generation, rows, totals = result
        if generation != self._generation:
            return  # the year or the search changed meanwhile
        self.loading = False
        self.read.emit(Reading(rows, totals, True))

    @Slot(object)
    def _failed(self, error: Exception) -> None:
        if self.sender() is not self._job:
            return
        self.loading = False
        self.failed.emit(error)
