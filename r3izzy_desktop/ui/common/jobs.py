"""Long work off the UI thread, with progress and cancel: the report over everything, the
finance summary of a big clinic, Excel exports.

`Job(fn)` runs `fn(progress)` on Qt's thread pool; `progress(done, total)` reports back
and raises `ExportCancelled` once `cancel()` was asked. Its signals arrive in the UI
thread: connect them to methods of widgets. A job is not owned by any widget: it lives
until it finishes, so closing a window never destroys a running thread; the window just
stops listening (Qt drops connections to a deleted receiver). When the application
quits, running jobs are cancelled and waited for, and an export cancelled this way
leaves no file behind (see core/reports/export.py).

A query inside `fn` gets its own database connection (peewee keeps one per thread),
closed when the job ends: handed back to the database's pool, so the next job takes it
instead of connecting anew (core/store/pool.py). On an in-memory database, which a second
connection would see empty, the job runs at once in the calling thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QRunnable,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)

from ...core.database import close_thread_connection, current_database, current_url
from ...core.errors import DomainError, ExportCancelled

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
QUIT_WAIT_S = 30.0
AFTER_PAINT_LATEST_MS = 100  # start_after_paint: at the latest, when nothing is painted


class Job(QObject):
    """One piece of background work. Emits, in the UI thread: `progressed(done, total)`,
    then one of `succeeded(result)`, `failed(error)`, `cancelled()`, then `ended()`."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    ended = Signal()

    def __init__(self, fn: Callable[[Progress], Any], name: str = "tarefa"):
        super().__init__()
        self.name = name
        self._fn = fn
        self._cancel = threading.Event()
        self._done = threading.Event()
        self._started = False

    # -- control (UI thread) ---------------------------------------------------------------
    def start(self) -> Job:
        if self._started:
            raise RuntimeError("a job runs once")
        self._started = True
        _registry().add(self)
        if current_url() == ":memory:":
            self._run()
        else:
            QThreadPool.globalInstance().start(_Runner(self))
        return self

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        self._cancel.set()

    def is_running(self) -> bool:
        return self._started and not self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work ended (tests, quitting); True when it did."""
        return self._done.wait(timeout)

    # -- the worker side ---------------------------------------------------------------------
    def _progress(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise ExportCancelled()
        self.progressed.emit(done, total)

    def _run(self) -> None:
        started_on = current_database()  # closed at the end even if replaced meanwhile
        try:
            result = self._fn(self._progress)
        except ExportCancelled:
            self.cancelled.emit()
        except DomainError as error:
            self.failed.emit(error)
        except Exception as error:  # a bug: logged here, shown by the screen as unexpected
            log.exception("background job %s failed", self.name)
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)
        finally:
            if threading.current_thread() is not threading.main_thread():
                close_thread_connection(started_on)
            self._done.set()
            self.ended.emit()


def start_after_paint(job: Job, widget: QObject) -> None:
    """Start `job` once `widget` (a table's viewport with the first rows) has been painted,
    or after AFTER_PAINT_LATEST_MS when it is not (a hidden window). Started at once, the
    read would share the interpreter with that paint, and send its statements first."""
    _AfterPaint(job, widget)


class _AfterPaint(QObject):
    def __init__(self, job: Job, widget: QObject):
        super().__init__(widget)  # dies with the widget: a closed window starts nothing
        self._job = job
        self._database = current_database()  # the database the work is for
        widget.installEventFilter(self)
        QTimer.singleShot(AFTER_PAINT_LATEST_MS, self, self._start)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._start)  # after this paint
        return False

    @Slot()
    def _start(self) -> None:
        # Not on another database, or on none: it was closed or replaced meanwhile (a
        # restore, another database opened), and the screen that asked is being rebuilt.
        if not self._job._started and current_database() is self._database:
            self._job.start()
        self.deleteLater()


class _Runner(QRunnable):
    def __init__(self, job: Job):
        super().__init__()
        self.job = job
        self.setAutoDelete(True)

    def run(self) -> None:
        self.job._run()


class _Registry(QObject):
    """Holds running jobs (so nothing frees them mid-run) and stops them when the app quits."""

    def __init__(self) -> None:
        super().__init__()
        self.jobs: set[Job] = set()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop_all)

    def add(self, job: Job) -> None:
        self.jobs.add(job)
        job.ended.connect(self._forget)

    @Slot()
    def _forget(self) -> None:
        # Only the job whose `ended` this is: another one, done in its thread, may still
        # have its signals queued, and freed now it would never deliver them.
        self.jobs.discard(self.sender())

    @Slot()
    def stop_all(self) -> None:
        """Cancel every running job and wait for it: nothing half-written survives."""
        for job in list(self.jobs):
            job.cancel()
        for job in list(self.jobs):
            if not job.wait(QUIT_WAIT_S):
                log.warning("job %s still running at exit", job.name)
        self.jobs.clear()


_REGISTRY: _Registry | None = None


def _registry() -> _Registry:
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = _Registry()
    return _REGISTRY


def running_jobs() -> list[Job]:
    """The jobs still running (for tests and for quitting)."""
    return [job for job in _registry().jobs if job.is_running()]


def wait_for_all(timeout: float = QUIT_WAIT_S) -> bool:
    """Block until every running job ended; True when they all did."""
    return all(job.wait(timeout) for job in list(_registry().jobs))
