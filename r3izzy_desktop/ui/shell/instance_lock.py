"""One running copy of the app per database file.

Two copies on one SQLite file do not corrupt it (SQLite locks each write), but each shows
figures the other changes under it, and both back the file up. On Windows a second
double-click on the shortcut while the window hides behind another is the usual way to
get there. So while the app runs it holds a QLockFile beside the database
(`r3izzy.db.lock`: on the file's own drive, so it holds for every Windows user of the PC
and for a file on another drive); a second copy finds it held and says so. A copy that
crashed leaves the file behind: QLockFile sees that its process is gone and takes it over.

PostgreSQL databases are shared by design and in-memory ones are private: no lock.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLockFile

from ...core.database import sqlite_path_of

log = logging.getLogger(__name__)

_held: dict[str, QLockFile] = {}


def tr(text: str) -> str:
    return QCoreApplication.translate("instance_lock", text)


def lock_file(url: str) -> Path | None:
    """The lock file of the database at `url`; None when it needs none."""
    path = sqlite_path_of(url)
    if path is None or path == ":memory:":
        return None
    database = Path(path).expanduser().absolute()
    return database.with_name(f"{database.name}.lock")


def _key(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path))


def acquire(url: str) -> bool:
    """Hold the lock of `url`'s database while this process runs. False when another
    running copy of the app holds it; True when it needs none, when this process holds it
    already (a new window on the same database), or when the lock file cannot be written
    at all (a read-only folder: the database itself then says what is wrong)."""
    path = lock_file(url)
    if path is None or _key(path) in _held:
        return True
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)  # held for hours: only a copy that is gone leaves it stale
    if lock.tryLock(0):
        _held[_key(path)] = lock
        return True
    if lock.error() == QLockFile.LockError.LockFailedError:
        log.warning("database %s is open in another copy of the app (%s)", url, holder(url))
        return False
    log.warning("could not write the lock file %s (%s); going on", path, lock.error())
    return True


def holder(url: str) -> str:
    """Who holds the lock, for the log: "pid 1234 on RECEPCAO (r3izzy-desktop)"."""
    path = lock_file(url)
    if path is None:
        return ""
    pid, host, app = QLockFile(str(path)).getLockInfo()
    return f"pid {pid} on {host} ({app})" if pid else "unknown"


def release(url: str) -> None:
    """Let go of `url`'s lock (the app closes, or moved to another database)."""
    path = lock_file(url)
    lock = _held.pop(_key(path), None) if path is not None else None
    if lock is not None:
        lock.unlock()


def release_all() -> None:
    for lock in _held.values():
        lock.unlock()
    _held.clear()


def already_open_text(url: str) -> str:
    return tr(
        "O R3izzy Desktop já está aberto com este banco de dados:\n{0}\n\n"
        "Use a janela que já está aberta (procure-a na barra de tarefas). Abrir o mesmo "
        "banco em duas janelas faria uma mostrar valores que a outra já mudou.\n\n"
        "Se o programa foi fechado de forma inesperada, tente abrir de novo em instantes."
    ).format(sqlite_path_of(url))
