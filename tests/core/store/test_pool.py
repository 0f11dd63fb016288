"""The database's pool (core/store/pool.py): a worker thread's connection, closed at the
end of its work, is handed to the next thread that connects, on a server and on a SQLite
file alike; never one with anything open on it, one the server ended, or one of a
database that was closed since."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from r3izzy_desktop.core import clinic
from r3izzy_desktop.core.database import (
    close_database,
    close_every_connection,
    close_thread_connection,
    current_database,
    open_database,
)
from r3izzy_desktop.core.store import pool
from tests.helpers import pg, workers
from tests.helpers.workers import in_worker, server_process, wait_until


def sqlite_connection() -> Any:
    return current_database().connection()


def alive_on_server(process: tuple[int, Any]) -> bool:
    return workers.alive_on_server(process, pg._admin_connection)


@pytest.fixture
def server() -> Iterator[str]:
    with pg.fresh_schema() as url:
        open_database(url)
        yield url
        close_database()


@pytest.fixture
def sqlite_file(tmp_path) -> Iterator[str]:
    url = str(tmp_path / "clinica.db")
    open_database(url)
    yield url
    close_database()


@pytest.mark.postgres
def test_on_a_server_the_next_worker_takes_the_connection_the_last_one_handed_back(server):
    clinic.add_patient("Ana")
    first = in_worker(server_process)
    second = in_worker(lambda: (server_process(), [p.name for p in clinic.find_patients("")]))
    assert second == (first, ["Ana"])
    assert current_database().idle_connections() == 1


def test_on_a_sqlite_file_too(sqlite_file):
    first = in_worker(sqlite_connection)
    assert in_worker(sqlite_connection) is first
    clinic.add_patient("Ana")  # written on the UI thread's connection: the pooled one sees it
    assert in_worker(lambda: [p.name for p in clinic.find_patients("")]) == ["Ana"]


def test_an_in_memory_database_is_not_pooled():
    open_database(":memory:")
    try:
        assert not isinstance(current_database(), pool.Strict)
    finally:
        close_database()


@pytest.mark.postgres
def test_a_connection_the_server_ended_is_never_handed_out(server):
    ended = in_worker(server_process)
    with pg._admin_connection() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (ended[0],))
    wait_until(lambda: not alive_on_server(ended))  # as a server restart leaves it
    database = current_database()
    assert database.idle_connections() == 1
    replaced = in_worker(lambda: (server_process(), clinic.find_patients("")))
    assert replaced[0] != ended and replaced[1] == []
    assert in_worker(server_process) == replaced[0]  # and the new one is pooled


@pytest.mark.postgres
def test_a_connection_handed_back_in_a_transaction_or_in_error_is_closed(server):
    def leave_a_transaction_open():
        current_database().execute_sql("BEGIN")  # outside peewee's own bookkeeping
        return server_process()

    def leave_an_error():
        process = server_process()
        database = current_database()
        database.execute_sql("BEGIN")
        with pytest.raises(Exception, match="division by zero"):
            database.execute_sql("SELECT 1 / 0")
        return process

    for work in (leave_a_transaction_open, leave_an_error):
        left = in_worker(work)
        wait_until(lambda left=left: not alive_on_server(left))
        assert current_database().idle_connections() == 0
        assert in_worker(server_process) != left


def test_a_sqlite_connection_handed_back_in_a_transaction_is_closed(sqlite_file):
    def leave_a_transaction_open():
        connection = sqlite_connection()
        current_database().execute_sql("BEGIN")
        return connection

    left = in_worker(leave_a_transaction_open)
    assert current_database().idle_connections() == 0
    assert left not in current_database().connections
    with pytest.raises(Exception, match="closed"):
        left.execute("SELECT 1")


@pytest.mark.postgres
def test_closing_the_database_closes_its_connections_idle_or_handed_back_later(server):
    old = current_database()
    holding, release = threading.Event(), threading.Event()
    held: list[tuple[int, Any]] = []
    returned = threading.Event()

    def hold() -> None:
        held.append(server_process())
        holding.set()
        release.wait(10)
        close_thread_connection(old)  # as a job ends: the database it started on
        returned.set()

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(10)
    idle = in_worker(server_process)  # another one, meanwhile
    assert idle != held[0] and old.idle_connections() == 1
    close_database()
    assert old.idle_connections() == 0
    wait_until(lambda: not alive_on_server(idle))
    assert alive_on_server(held[0])  # still in its thread's hands ...
    release.set()
    assert returned.wait(10)
    thread.join(10)
    assert old.idle_connections() == 0  # ... then closed, not pooled
    wait_until(lambda: not alive_on_server(held[0]))

    open_database(server)  # the same URL again: a pool of its own
    assert in_worker(server_process) not in (idle, held[0])


def test_closing_every_sqlite_connection_closes_the_pooled_ones(sqlite_file):
    pooled = in_worker(sqlite_connection)
    database = current_database()
    assert database.connections  # the UI thread's and the pooled one
    close_every_connection()
    assert database.connections == [] and database.idle_connections() == 0
    with pytest.raises(Exception, match="closed"):
        pooled.execute("SELECT 1")


@pytest.mark.postgres
def test_a_connection_older_than_its_limit_is_replaced(monkeypatch):
    monkeypatch.setattr(pool, "MAX_AGE_S", 0.05)
    with pg.fresh_schema() as url:
        open_database(url)
        try:
            first = in_worker(server_process)
            time.sleep(0.1)
            assert in_worker(server_process) != first
        finally:
            close_database()


def test_a_clock_set_back_does_not_keep_connections_for_ever(sqlite_file, monkeypatch):
    first = in_worker(sqlite_connection)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - 365 * 24 * 3600)
    assert in_worker(sqlite_connection) is not first
