"""Run slow work (backups, the integrity check) off the UI thread.

`Task(fn)` runs `fn()` in its own thread and emits `succeeded(result)` or `failed(error)`.
Connect them to methods of widgets (QObjects living in the UI thread), so Qt delivers
them there. A database query inside `fn` gets its own connection (peewee keeps one per
thread); the task closes it when done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThread, Signal

log = logging.getLogger(__name__)


class Task(QThread):
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: Callable[[], Any], parent=None):
        super().__init__(parent)
        self._fn = fn

    def run(self) -> None:
        from ..core.database import close_thread_connection

        try:
            result = self._fn()
        except Exception as exc:  # handed to the UI thread, which decides what to show
            from ..core.errors import DomainError

            if not isinstance(exc, DomainError):
                log.exception("background task failed")
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
        finally:
            close_thread_connection()
