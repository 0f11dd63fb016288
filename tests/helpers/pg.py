"""PostgreSQL for tests: throwaway databases and schemas on the local server.

The server is `R3IZZY_TEST_PG` (default postgresql://postgres@127.0.0.1:5432/test). When it
cannot be reached the PostgreSQL tests are skipped with the reason — unless
`R3IZZY_REQUIRE_PG=1` (CI), where that is a failure.

`R3IZZY_TEST_BACKEND=postgres` makes the core suite's `db` fixture use PostgreSQL: each run
creates its own database (`r3izzy_run_<random>`, dropped at the end) and each test gets a
fresh schema in it, reached through the connection's `options=-c search_path=…`. Runs
side by side never see each other's tables.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote, urlparse, urlunparse

import pytest

ADMIN_URL = os.environ.get("R3IZZY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
BACKEND_ENV = "R3IZZY_TEST_BACKEND"


def backend() -> str:
    """ "postgres" when the core suite runs on PostgreSQL, else "sqlite"."""
    value = os.environ.get(BACKEND_ENV, "sqlite").strip().lower()
    return "postgres" if value in ("postgres", "postgresql", "pg") else "sqlite"


def _admin_connection(dbname: str | None = None):
    import psycopg

    parsed = urlparse(ADMIN_URL)
    return psycopg.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password or None,
        dbname=dbname or parsed.path.lstrip("/") or "postgres",
        autocommit=True,
        connect_timeout=5,
    )


def require_server() -> None:
    try:
        import psycopg  # noqa: F401

        _admin_connection().close()
    except Exception as exc:
        if os.environ.get("R3IZZY_REQUIRE_PG") == "1":
            pytest.fail(f"PostgreSQL required but unreachable at {ADMIN_URL}: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {ADMIN_URL}: {exc}")


def url_of(name: str, schema: str | None = None) -> str:
    """The URL of database `name` on the test server, optionally inside `schema`."""
    parsed = urlparse(ADMIN_URL)
    query = f"options={quote(f'-c search_path={schema}')}" if schema else ""
    return urlunparse(parsed._replace(path=f"/{name}", query=query))


def _drop(name: str) -> None:
    from r3izzy_desktop.core.database import close_database

    close_database()
    with _admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_database() -> Iterator[str]:
    """Create an empty database, yield its URL, drop it afterwards."""
    require_server()
    name = f"r3izzy_test_{uuid.uuid4().hex[:12]}"
    with _admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url_of(name)
    finally:
        _drop(name)


_run_database: str | None = None


def run_database() -> str:
    """This test process's own database (created once, dropped when the process ends)."""
    global _run_database
    if _run_database is None:
        require_server()
        name = f"r3izzy_run_{uuid.uuid4().hex[:12]}"
        with _admin_connection() as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        _run_database = name
        atexit.register(_drop_quietly, name)
    return _run_database


def _drop_quietly(name: str) -> None:
    with contextlib.suppress(Exception):  # the server may have gone away by exit
        _drop(name)


@contextmanager
def fresh_schema() -> Iterator[str]:
    """An empty schema in this process's database; yields a URL whose connections use it."""
    name = run_database()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with _admin_connection(name) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield url_of(name, schema)
    finally:
        from r3izzy_desktop.core.database import close_database

        close_database()
        with _admin_connection(name) as admin:
            # A connection a test left inside a transaction (another thread's) would hold
            # locks on the schema's tables: end it so the schema can go.
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid() "
                "AND state LIKE 'idle in transaction%%'",
                (name,),
            )
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@contextmanager
def database_for_test() -> Iterator[str]:
    """A fresh, empty database for one test on the selected backend: ":memory:" for SQLite,
    a new schema on the PostgreSQL server otherwise."""
    if backend() == "postgres":
        with fresh_schema() as url:
            yield url
    else:
        yield ":memory:"
