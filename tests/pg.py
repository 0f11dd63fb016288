"""PostgreSQL for tests: a throwaway database per use on the local server.

The server is `R3IZZY_TEST_PG` (default postgresql://postgres@127.0.0.1:5432/test). When it
cannot be reached the PostgreSQL tests are skipped with the reason — unless
`R3IZZY_REQUIRE_PG=1` (CI), where that is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse, urlunparse

import pytest

ADMIN_URL = os.environ.get("R3IZZY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _admin_connection():
    import psycopg

    parsed = urlparse(ADMIN_URL)
    return psycopg.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password or None,
        dbname=parsed.path.lstrip("/") or "postgres",
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


@contextmanager
def fresh_database() -> Iterator[str]:
    """Create an empty database, yield its URL, drop it afterwards."""
    require_server()
    name = f"r3izzy_test_{uuid.uuid4().hex[:12]}"
    with _admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parsed = urlparse(ADMIN_URL)
    url = urlunparse(parsed._replace(path=f"/{name}"))
    try:
        yield url
    finally:
        from r3izzy_desktop.core.database import close_database

        close_database()
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
