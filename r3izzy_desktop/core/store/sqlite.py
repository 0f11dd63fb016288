"""The one SQLite the app runs on: every direct use of SQLite imports `sqlite3` from here.

SQLite 3.7.0 to 3.51.2 can corrupt a WAL database when two connections write or
checkpoint at the same moment (the "WAL-reset bug", fixed in 3.51.3). The SQLite that
comes with Python is the system's (3.40.1 on Debian 12) or the one in the Windows
CPython's `sqlite3.dll`, so the app depends on `pysqlite3`, whose wheels carry their own,
newer SQLite (0.6.1: SQLite 3.53.4, for Linux and Windows).

The rule is peewee's own (pysqlite3 when it is installed and not older than the
standard library's module), so peewee and the app's own backups, restores and transfers
run on the same module. Two copies of SQLite in one process must never touch the same
file: each keeps its own record of the POSIX locks, and one closing the file drops the
other's locks ("How To Corrupt An SQLite Database File", section 2.2.1).
"""

from __future__ import annotations

import types

MINIMUM_VERSION = (3, 51, 3)  # the first SQLite without the WAL-reset bug


def _pick() -> types.ModuleType:
    try:
        from pysqlite3 import dbapi2 as bundled
    except ImportError:
        bundled = None
    try:
        import sqlite3 as standard
    except ImportError:  # pragma: no cover - a Python built without sqlite3
        if bundled is None:
            raise
        return bundled
    if bundled is not None and bundled.sqlite_version_info >= standard.sqlite_version_info:
        return bundled
    return standard


sqlite3 = _pick()

VERSION: tuple[int, int, int] = tuple(sqlite3.sqlite_version_info)  # type: ignore[assignment]
LIBRARY = "pysqlite3" if sqlite3.__name__.startswith("pysqlite3") else "sqlite3"


def is_fixed() -> bool:
    """True when this SQLite has the fix for the WAL-reset bug (>= 3.51.3)."""
    return VERSION >= MINIMUM_VERSION


def description() -> str:
    """`SQLite 3.53.4 (pysqlite3)`: what the log and "Sobre o programa" show."""
    return f"SQLite {sqlite3.sqlite_version} ({LIBRARY})"
