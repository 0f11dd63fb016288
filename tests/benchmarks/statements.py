"""Statements sent to the database, counted at the driver, in the measuring process.

`install()` wraps `peewee.Database.cursor` so that every `execute` / `executemany` of a
cursor the app gets from peewee (queries, `BEGIN`, `COMMIT`, `ROLLBACK`: peewee runs in
autocommit mode and sends those itself) adds one to the count, whatever the thread, and
the drivers' connect (peewee's `_connect` of PostgreSQL and SQLite, below the app's pool)
so that each new connection is counted apart (a connection costs round trips of its own
on a network: TCP, start-up, authentication; one the pool hands out again costs none). On
PostgreSQL (psycopg 3, autocommit) each of those calls is one round trip to the server;
an `executemany` is counted as one too (psycopg pipelines it). On SQLite it is one call
into the library. `snapshot()` reads the counts; the difference of two is a screen's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from r3izzy_desktop.core.store import drivers

drivers.import_peewee()  # as the app: the PostgreSQL driver only when a server is opened

import peewee  # noqa: E402

_lock = threading.Lock()
_counts = {"statements": 0, "connections": 0}
_log: list[str] | None = None  # the statements themselves, while `record()` is on


@dataclass(frozen=True)
class Snapshot:
    statements: int
    connections: int

    def __sub__(self, other: Snapshot) -> Snapshot:
        return Snapshot(self.statements - other.statements, self.connections - other.connections)


def snapshot() -> Snapshot:
    with _lock:
        return Snapshot(_counts["statements"], _counts["connections"])


def record(on: bool) -> list[str]:
    """Start (True) or stop (False) keeping the statements' text; returns what was kept."""
    global _log
    kept = _log or []
    _log = [] if on else None
    return kept


def _count(kind: str, sql: object = None) -> None:
    with _lock:
        _counts[kind] += 1
        if _log is not None and kind == "statements":
            _log.append(" ".join(str(sql).split())[:300])


def _statement(sql: object) -> None:
    _count("statements", sql)


class CountingCursor:
    """A driver cursor that tells `note(sql)` of each statement it sends; everything else
    is the cursor's. Also the tests' counting hook (tests/helpers/statements.py)."""

    __slots__ = ("_cursor", "_note")

    def __init__(self, cursor, note: Callable[[object], None]):
        self._cursor = cursor
        self._note = note

    def execute(self, sql, *args, **kwargs):
        self._note(sql)
        self._cursor.execute(sql, *args, **kwargs)
        return self

    def executemany(self, sql, *args, **kwargs):
        self._note(sql)
        self._cursor.executemany(sql, *args, **kwargs)
        return self

    def __iter__(self):
        return iter(self._cursor)

    def __getattr__(self, name):
        return getattr(self._cursor, name)


_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    cursor = peewee.Database.cursor

    def counting_cursor(self, *args, **kwargs):
        return CountingCursor(cursor(self, *args, **kwargs), _statement)

    peewee.Database.cursor = counting_cursor
    # The drivers' own connect, below the app's pool (core/store/pool.py): a connection
    # the pool hands out again is not a new one.
    for kind in (peewee.PostgresqlDatabase, peewee.SqliteDatabase):
        kind._connect = _counting_connect(kind._connect)


def _counting_connect(connect):
    def counting_connect(self, *args, **kwargs):
        connection = connect(self, *args, **kwargs)
        _count("connections")
        return connection

    return counting_connect
