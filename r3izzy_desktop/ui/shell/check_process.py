"""The start-up integrity check (R14) in a process of its own.

In a thread of the app, the check (seconds of Python over a big clinic's ledger) shared
the interpreter with the window: while it ran, scrolling a list stalled for up to 0.2 s
at a time. As a child process, `r3izzy-desktop check --json FILE` (or `python -m
r3izzy_desktop check …` when not packaged), it runs on the other core at a lower
priority, and the window never waits for it.

The child only reads, so stopping it when the app closes is harmless. The database goes
to it in the environment (`R3IZZY_DB`), never on the command line, where a server
password would show in the list of processes. If the child cannot be started at all (a
broken installation), the check runs in the calling thread instead; a child that started
and failed (the database locked, say) is reported, not run again here, where it would
fail the same way and compete with the window.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from ...core.errors import DomainError

log = logging.getLogger(__name__)


class CheckStopped(Exception):
    """The app stopped the check (it is closing); there is nothing to report."""


def child_command(report: Path) -> list[str]:
    """The command that runs the check and writes its findings to `report`."""
    if getattr(sys, "frozen", False):  # the packaged app: its executable takes commands
        return [sys.executable, "check", "--json", str(report)]
    return [sys.executable, "-m", "r3izzy_desktop", "check", "--json", str(report)]


class CheckProcess:
    """`run()` (in a worker thread) returns the problems found, as text; `stop()` (from
    any thread) ends a running check."""

    def __init__(self, url: str):
        self.url = url
        self._process: subprocess.Popen | None = None
        self._stopped = threading.Event()
        self._lock = threading.Lock()

    def run(self) -> list[str]:
        folder = Path(tempfile.mkdtemp(prefix="r3izzy-check-"))
        report = folder / "problemas.json"
        try:
            try:
                code = self._run_child(report)
            except OSError as exc:
                log.warning("integrity check process could not start (%s); checking here", exc)
                return self._run_here()
            if self._stopped.is_set():
                raise CheckStopped()
            if code in (0, 1) and report.exists():
                return list(json.loads(report.read_text(encoding="utf-8")))
            log.warning("integrity check process ended with %s", code)
            raise DomainError(f"o processo de verificação terminou com o código {code}.")
        finally:
            report.unlink(missing_ok=True)
            folder.rmdir()

    def _run_child(self, report: Path) -> int:
        env = {**os.environ, "R3IZZY_DB": self.url}
        flags = 0
        if sys.platform == "win32":  # no console window flashes; below the window (os.nice)
            flags = subprocess.CREATE_NO_WINDOW | subprocess.BELOW_NORMAL_PRIORITY_CLASS
        with self._lock:
            if self._stopped.is_set():
                raise CheckStopped()
            self._process = subprocess.Popen(
                child_command(report),
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                creationflags=flags,
            )
        return self._process.wait()

    def _run_here(self) -> list[str]:
        from ...core import integrity

        if self._stopped.is_set():
            raise CheckStopped()
        return [str(problem) for problem in integrity.check()]

    def stop(self) -> None:
        """End the check now (it only reads: nothing is left half-done)."""
        with self._lock:
            self._stopped.set()
            process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
