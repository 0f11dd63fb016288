"""The app's databases keep their closed connections for the next thread that connects.

peewee keeps one connection per thread, and a background job closes its own when it ends
(`binding.close_thread_connection`). A new connection to a server costs several round trips
(TCP, start-up, authentication, the session's parameters) before the first query; a new
SQLite connection starts with an empty page cache and reads the schema again. So both are
peewee's pooled databases (`playhouse.pool`): `close()` hands the connection back, and the
next `connect()`, in any thread, takes it. Only connections are kept, never data: every
read still asks the database.

Stricter than peewee's own pool, because the app's reliability rests on `close()`:

- **Handed back** only with nothing open on it: no transaction, not in error, not lost.
  Anything else is closed for good, as before: `drop_broken_connection` and a failed
  rollback close a connection to end it, and a job that failed on a connection the server
  dropped leaves the next job a new one. peewee's pool would roll back and keep it.
- **Handed out** only when still there: on a server, an idle connection has nothing to
  read, so anything waiting on its socket means the server ended it (a restart, the server
  killed, `pg_terminate_backend`, the keepalives giving up on a silent network). It is
  closed and the next one tried, or a new one made. Looked at without a round trip: peewee's
  pool sends `SELECT 1`, a round trip of the very kind this saves.
- **At most MAX_AGE_S old**: an older one is closed when it is handed back or out, so a
  change to the server's settings reaches the app and no server process lives for ever.
- **`retire()`**, when the database is closed or replaced (`close_database`): the idle ones
  are closed now and the others when their thread hands them back: nothing of a closed
  database is handed out again. Each open of a database (even of the same URL) is a new
  object with a pool of its own.

There is no limit on how many are open (no thread ever waits for one): as before, one per
thread that uses the database at the same moment, and no more than that idle.
"""

from __future__ import annotations

import contextlib
import select
import time
from typing import Any

from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

MAX_AGE_S = 300


class Strict:
    """What the app's two pooled databases share (a mixin over peewee's pool)."""

    _retired = False

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, max_connections=None, stale_timeout=MAX_AGE_S, **kwargs)

    def retire(self) -> None:
        """No connection is handed out again: the idle ones are closed now, the others as
        their threads close them. Never raises."""
        self._retired = True
        self.close_idle()

    @property
    def retired(self) -> bool:
        return self._retired

    def idle_connections(self) -> int:
        """How many closed connections wait for the next thread (for tests and the log)."""
        with self._pool_lock:
            return len(self._connections)

    def _is_stale(self, timestamp: float) -> bool:
        # peewee stamps a connection with the wall clock: one set back (a year, say) would
        # keep every connection for ever, so "older" is either way.
        return abs(time.time() - timestamp) > self._stale_timeout

    # peewee's pool asks these two: `_can_reuse` when a connection is handed back (False:
    # closed for good), `_is_closed` before one is handed out (True: not handed out).
    def _can_reuse(self, conn: Any) -> bool:
        return not self._retired and self._quiet(conn)

    def _is_closed(self, conn: Any) -> bool:
        if not self._retired and self._quiet(conn) and not self._ended_by_server(conn):
            return False
        self._close_raw(conn)  # peewee's pool drops it without closing it
        return True

    def _quiet(self, conn: Any) -> bool:
        """Open, idle, no transaction: as a new connection would be."""
        raise NotImplementedError

    def _ended_by_server(self, conn: Any) -> bool:
        return False


class ServerDatabase(Strict, PooledPostgresqlDatabase):
    """The app's PostgreSQL database (psycopg 3, or psycopg2)."""

    def _quiet(self, conn: Any) -> bool:
        try:
            return not conn.closed and self._adapter.txn_status(conn) == self._adapter.txn_idle
        except Exception:
            return False

    def _ended_by_server(self, conn: Any) -> bool:
        # Nothing is sent to an idle connection unless asked: what arrived is the server's
        # goodbye (an error message, the end of the stream, a reset) or something the app
        # never asked for. Either way it is not handed out.
        try:
            readable, _, failed = select.select([conn.fileno()], [], [conn.fileno()], 0)
        except Exception:  # no socket any more
            return True
        return bool(readable or failed)


class SqliteFileDatabase(Strict, PooledSqliteDatabase):
    """The app's SQLite file. It also knows every connection it opened, idle or in use in
    any thread, so that `close_every_connection` can close them all before a restore
    renames or replaces the file (Windows refuses while any handle holds it open)."""

    def __init__(self, path: str, *, busy_timeout: float, **kwargs: Any):
        self.connections: list[Any] = []
        super().__init__(path, **kwargs)
        self._timeout = busy_timeout  # SQLite's: peewee's pool takes `timeout` for its own

    def _quiet(self, conn: Any) -> bool:
        try:
            return not conn.in_transaction
        except Exception:  # closed: "Cannot operate on a closed database."
            return False

    # Every connection the pool hands out (new or not) is known until `_close_raw`, where
    # SQLite really closes it.
    def _connect(self) -> Any:
        connection = super()._connect()
        if connection not in self.connections:
            self.connections.append(connection)
        return connection

    def _close_raw(self, conn: Any) -> None:
        with contextlib.suppress(ValueError):
            self.connections.remove(conn)
        super()._close_raw(conn)
