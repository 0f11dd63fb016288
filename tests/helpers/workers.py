"""Worker threads and the server processes behind their connections, for the tests of
the database's pool (core/store/pool.py): `in_worker(work)` runs `work` as a background
job's thread does (its connection closed at the end), `server_process()` tells which
server process the calling thread's connection is, `alive_on_server` whether it still
lives."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from r3izzy_desktop.core.database import close_thread_connection, current_database


def in_worker(work: Callable[[], Any]) -> Any:
    """Run `work` in a new thread that closes its connection at the end, as a job's
    thread does; return what it returned (or raise what it raised)."""
    result: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_thread_connection()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    if errors:
        raise errors[0]
    return result[0]


def server_process() -> tuple[int, Any]:
    """The calling thread's server process: (pid, backend_start), unique on the server."""
    return (
        current_database()
        .execute_sql("SELECT pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()")
        .fetchone()
    )


def alive_on_server(process: tuple[int, Any], admin_connect: Callable[[], Any]) -> bool:
    """Whether that server process still lives, asked on a connection of `admin_connect()`
    (a psycopg connection, closed after)."""
    with admin_connect() as admin:
        row = admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = %s AND backend_start = %s",
            process,
        ).fetchone()
    return row[0] == 1


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("never happened")
        time.sleep(0.02)
