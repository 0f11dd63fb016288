"""No stale screens: when another PC changes the data, the visible page reloads itself.

`LiveRefresh(window)` polls the change counter (`changes.others()`, one small query) every
`INTERVAL_MS`. When another PC (or another copy of the app) committed something since the
last reading, it calls `refresh()` on the page the window shows, keeping the scroll
position of its lists (the pages keep their own selection and search text). Any open
window that defines `refresh_from_other_pc()` (a read-only dialog) is told at once.

While a modal dialog is open (someone is filling in a form or confirming), nothing is
reloaded under it: the refresh waits until the dialog closes. An action taken on figures
that went stale meanwhile is refused by the core (StaleData), never applied.

On a SQLite file the poll runs on the UI thread like every other read of the screens: the
query is one aggregate over a handful of rows of a local file. On a server it runs in a
reader thread of its own: a network gone silent holds a query until the connection's
keepalives give up (about 15 s, core/store/connection.py) and a reconnection until its
timeout, and the window must not freeze for that every two seconds. While a read has not
come back, no other is asked.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QMainWindow, QWidget

log = logging.getLogger(__name__)

INTERVAL_MS = 2000


class LiveRefresh(QObject):
    """The poll of one main window. `refreshed` is emitted after each refresh it made."""

    refreshed = Signal()

    def __init__(self, window: QMainWindow, interval_ms: int = INTERVAL_MS):
        super().__init__(window)
        self.window = window
        self._seen = None  # the other clients' stamp the screens show
        self._database = None  # the database that stamp belongs to
        self._pending = False
        self._failed = False
        self.reader = _Reader(self)
        self.reader.read.connect(self._take)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.poll()  # the baseline: what the window is about to show
        self.timer.start()

    def _tick(self) -> None:
        from ...core.database import is_postgres

        if is_postgres():
            self.reader.ask()  # answered through `_take`, on the UI thread
        else:
            self.poll()

    # -- polling ----------------------------------------------------------------------------
    def poll(self) -> None:
        """Read the counter now, on this thread; refresh when someone else wrote, as soon
        as no dialog is open."""
        from ...core.database import changes, current_database

        database = current_database()
        if database is None:
            return
        try:
            stamp = changes.others()
        except Exception as exc:  # a server gone for a moment: try again at the next tick
            from ...core.database import drop_broken_connection

            drop_broken_connection()  # the next tick (and the screens) connect again
            self._take(database, exc)
            return
        self._take(database, stamp)

    def _take(self, database, stamp) -> None:
        """A reading of the counter (or the error that came instead) for `database`."""
        from ...core.database import current_database

        if database is None or database is not current_database():
            return  # read from a database closed meanwhile
        if isinstance(stamp, Exception):
            if not self._failed:
                log.warning("change counter unreadable: %s", stamp)
            self._failed = True
            return
        self._failed = False
        if database is not self._database:
            # Another database (start, a restore, "Usar este banco"): its screens are new.
            self._database, self._seen, self._pending = database, stamp, False
            return
        if stamp != self._seen:
            self._seen = stamp
            self._pending = True
            self._refresh_dialogs()  # those that say they can, even while modal
        if self._pending and not self._busy():
            self._pending = False
            self.refresh_now()

    def _busy(self) -> bool:
        """A dialog is open (being filled or read): do not pull the screen from under it."""
        app = QApplication.instance()
        return app is not None and (
            app.activeModalWidget() is not None or app.activePopupWidget() is not None
        )

    def refresh_now(self) -> None:
        """Reload the visible page, keeping its lists' scroll."""
        page = self.window.centralWidget()
        current = getattr(self.window, "current_page", None)
        if callable(current):
            page = current()
        refresh = getattr(page, "refresh", None)
        if page is not None and callable(refresh):
            positions = _scroll_positions(page)
            try:
                refresh()
            except Exception:
                log.exception("refreshing the page after another PC's change")
            _restore_scroll(positions)
            # Lists that fill in batches on the next turns of the event loop: again then.
            QTimer.singleShot(0, lambda: _restore_scroll(positions))
            QTimer.singleShot(150, lambda: _restore_scroll(positions))
        self.refreshed.emit()

    def _refresh_dialogs(self) -> None:
        """Open windows that define `refresh_from_other_pc()` (a read-only dialog) reload
        at once, modal or not: they promise not to disturb what the user is doing."""
        for widget in QApplication.topLevelWidgets():
            hook = getattr(widget, "refresh_from_other_pc", None)
            if widget is not self.window and widget.isVisible() and callable(hook):
                try:
                    hook()
                except Exception:
                    log.exception("refreshing %s after another PC's change", type(widget))

    def stop(self) -> None:
        self.timer.stop()
        self.reader.stop()


class _Reader(QObject):
    """A thread that reads the change counter when asked and tells `read(database, stamp
    or exception)`; it keeps its own server connection and closes it when it stops."""

    read = Signal(object, object)

    def __init__(self, parent: QObject):
        super().__init__(parent)
        self._wake = threading.Event()
        self._stopped = False
        self._busy = False
        self._thread: threading.Thread | None = None

    @property
    def busy(self) -> bool:
        """A read was asked and has not come back (the server is slow or silent)."""
        return self._busy

    def ask(self) -> None:
        if self._busy or self._stopped:
            return
        self._busy = True
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="live-refresh", daemon=True)
            self._thread.start()
        self._wake.set()

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()

    def _run(self) -> None:
        from ...core.database import (
            changes,
            close_thread_connection,
            current_database,
            drop_broken_connection,
        )

        connected = None
        while True:
            self._wake.wait()
            self._wake.clear()
            database = current_database()
            if connected is not None and connected is not database:
                try:  # this thread's connection to a database closed since
                    connected.close()
                except Exception:  # pragma: no cover - a broken connection is gone anyway
                    log.debug("closing the reader's old connection", exc_info=True)
            connected = database
            if self._stopped:
                close_thread_connection()
                return
            if database is None:
                self._busy = False
                continue
            try:
                answer = changes.others()
            except Exception as exc:
                drop_broken_connection()
                answer = exc
            self._busy = False
            if not self._stopped:
                self.read.emit(database, answer)


def _scroll_positions(page: QWidget) -> list[tuple[QAbstractScrollArea, int, int]]:
    return [
        (area, area.verticalScrollBar().value(), area.horizontalScrollBar().value())
        for area in page.findChildren(QAbstractScrollArea)
        if area.isVisible()
    ]


def _restore_scroll(positions: list[tuple[QAbstractScrollArea, int, int]]) -> None:
    for area, vertical, horizontal in positions:
        try:
            bar = area.verticalScrollBar()
            if bar.value() != vertical and vertical <= bar.maximum():
                bar.setValue(vertical)
            bar = area.horizontalScrollBar()
            if bar.value() != horizontal and horizontal <= bar.maximum():
                bar.setValue(horizontal)
        except RuntimeError:  # the list was rebuilt and the old one deleted
            continue
