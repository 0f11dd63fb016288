"""Logging: a rotating file in the data folder; the console too for command-line use."""

from __future__ import annotations

import logging
import os
from pathlib import Path

LOG_NAME = "r3izzy.log"
MAX_BYTES = 1_000_000
BACKUPS = 5  # r3izzy.log.1 … r3izzy.log.5, the oldest dropped


def log_file() -> Path:
    from .core.database import data_dir

    return data_dir() / LOG_NAME


class RotatingLog(logging.FileHandler):
    """The file rotated as logging.handlers.RotatingFileHandler rotates it: before a record
    would take it to `max_bytes`, r3izzy.log becomes r3izzy.log.1 (.1 becomes .2, and so
    on; the oldest past `backups` is dropped) and a new file begins. Written here because
    importing logging.handlers (pickle, queue and every network handler with it) cost
    4.5 ms of each start of the app, for these few lines."""

    def __init__(self, path: Path, *, max_bytes: int = MAX_BYTES, backups: int = BACKUPS):
        super().__init__(path, encoding="utf-8")
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full_with(record):
                self._rotate()
        except Exception:  # a log never stops the app (as logging's own handlers)
            self.handleError(record)
            return
        super().emit(record)

    def _full_with(self, record: logging.LogRecord) -> bool:
        if self.stream is None:
            self.stream = self._open()
        self.stream.seek(0, os.SEEK_END)  # the check process writes to the same file
        if self.stream.tell() == 0:  # an empty file takes any record, however long
            return False
        written = len(f"{self.format(record)}{self.terminator}".encode(self.encoding or "utf-8"))
        return self.stream.tell() + written >= self.max_bytes

    def _rotate(self) -> None:
        self.stream.close()
        self.stream = None
        base = self.baseFilename
        try:
            for number in range(self.backups - 1, 0, -1):
                older = f"{base}.{number}"
                if os.path.exists(older):
                    os.replace(older, f"{base}.{number + 1}")
            if os.path.exists(base):
                os.replace(base, f"{base}.1")
        except OSError:
            # On Windows a file another process holds open (the check process logs here
            # too) cannot be renamed: the record goes to the file as it is, and the
            # rotation is tried again with the next one.
            pass
        self.stream = self._open()


def setup_logging(*, console: bool = False, level: int = logging.INFO) -> Path | None:
    """Send log records to `r3izzy.log` (1 MB x 5 files) in the data folder.

    Never fails the app: if the folder cannot be written, logging goes to stderr only.
    """
    root = logging.getLogger()
    if getattr(root, "_r3izzy_configured", False):
        return None
    root.setLevel(level)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    path: Path | None = None
    try:
        path = log_file()
        handler: logging.Handler = RotatingLog(path)
        handler.setFormatter(fmt)
        root.addHandler(handler)
    except OSError:
        path = None
    if console or path is None:
        stream = logging.StreamHandler()
        stream.setLevel(logging.WARNING)
        stream.setFormatter(fmt)
        root.addHandler(stream)
    root._r3izzy_configured = True  # type: ignore[attr-defined]
    return path
