"""A hidden switch for measuring the start-up: quit as soon as the window is up and idle.

With the environment variable `R3IZZY_EXIT_WHEN_IDLE=1` the app, once its main window has
been painted for the first time and the event loop has nothing left to do (Qt is about
to wait for new events), prints `r3izzy: idle` on standard output and quits normally.
The benchmark (`tests/benchmarks/run.py`) starts the app this way and times the process
from its start to that line, against a bare PySide6 window measured the same way. Normal
runs never set the variable and are not affected.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QAbstractEventDispatcher, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ENV_EXIT_WHEN_IDLE = "R3IZZY_EXIT_WHEN_IDLE"
IDLE_MARK = "r3izzy: idle"


def requested() -> bool:
    return os.environ.get(ENV_EXIT_WHEN_IDLE, "") not in ("", "0")


class _ExitWhenIdle(QObject):
    """Waits for the window's first paint, then for the event loop to go idle."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self._window = window
        self._painted = False
        self._done = False
        window.installEventFilter(self)
        dispatcher = QAbstractEventDispatcher.instance()
        dispatcher.aboutToBlock.connect(self._about_to_block)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Paint:
            self._painted = True
        return False

    def _about_to_block(self) -> None:
        if not self._painted or self._done:
            return
        self._done = True
        print(IDLE_MARK, flush=True)
        sys.stdout.flush()
        QTimer.singleShot(0, QApplication.quit)


def install(window: QWidget) -> None:
    """Quit once `window` is painted and the app idle (only when the variable is set)."""
    if requested():
        window._exit_when_idle = _ExitWhenIdle(window)  # type: ignore[attr-defined]
