"""Logging: a rotating file in the data folder; the console too for command-line use."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_NAME = "r3izzy.log"


def log_file() -> Path:
    from .core.database import data_dir

    return data_dir() / LOG_NAME


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
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
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
