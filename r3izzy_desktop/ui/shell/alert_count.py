"""The count of package alerts (R22) beside "Gestão Financeira" in the navigation rail.

Read off the UI thread (`packages.alert_count`, a few SQL counts): a moment after the
window is up, whenever another page is shown, after another PC's change, and every few
minutes (a package becomes vencido at midnight without anyone touching it). The
Gestão Financeira page sets it too, each time it lists the alerts.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QMainWindow

from ..common.jobs import Job

log = logging.getLogger(__name__)

PAGE = "finance"
FIRST_DELAY_MS = 1500  # after start-up: the window paints first
EVERY_MS = 5 * 60 * 1000


class AlertCount(QObject):
    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self._running = False
        self._again = False
        self.timer = QTimer(self)
        self.timer.setInterval(EVERY_MS)
        self.timer.timeout.connect(self.update)
        self.timer.start()
        # Timers of this object: they stop with it (and with `stop`, when the window closes).
        self.first = QTimer(self)
        self.first.setSingleShot(True)
        self.first.setInterval(FIRST_DELAY_MS)
        self.first.timeout.connect(self.update)
        self.first.start()
        window.nav.currentRowChanged.connect(lambda _row: self.update())
        window.live_refresh.refreshed.connect(self.update)

    @Slot()
    def update(self) -> None:
        """Count again (once at a time; a request meanwhile counts again after)."""
        from ...core.database import current_database

        if current_database() is None or not self.window.isVisible():
            return  # nothing to count, or nobody to show it to (closing, a test's window)
        if self._running:
            self._again = True
            return
        # The package domain is imported at the first count (FIRST_DELAY_MS after the
        # window shows), not with the window: its first paint does not need it.
        from ...core import packages

        self._running = True
        job = Job(lambda _p: packages.alert_count(), "avisos de pacotes")
        job.succeeded.connect(self._counted)
        job.failed.connect(self._failed)
        job.start()

    @Slot(object)
    def _counted(self, count: int) -> None:
        self._finished()
        self.window.set_count(PAGE, count)

    @Slot(object)
    def _failed(self, error: Exception) -> None:
        log.warning("counting the package alerts: %s", error)  # the rail keeps its count
        self._finished()

    def _finished(self) -> None:
        self._running = False
        if self._again:
            self._again = False
            self.update()

    def stop(self) -> None:
        self.timer.stop()
        self.first.stop()
