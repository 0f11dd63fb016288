"""The benchmark's database: a SQLite file or a PostgreSQL URL, and what run.py does with it.

`Target(url)` tells which it is and makes what a part of the benchmark needs: a copy to
pay on (`copy`: the file by SQLite's backup API; on the server CREATE DATABASE …
TEMPLATE), a fresh empty database (`fresh`, for the import), the URL through the latency
proxy (`through`). Every database it makes on the server is dropped when done.
`copy_into` fills an empty PostgreSQL database from the large demo's file with the app's
own transfer (core/store/transfer.py, what `migrate-to` runs).
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from r3izzy_desktop.core.store.sqlite import sqlite3


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


@dataclass
class Fresh:
    url: str
    drop: object  # () -> None


class Target:
    def __init__(self, url: str):
        self.is_postgres = is_postgres_url(url)
        self.url = url if self.is_postgres else str(Path(url).resolve())
        parsed = urlparse(self.url)
        self.host = parsed.hostname or "127.0.0.1"
        self.port = parsed.port or 5432
        self.name = parsed.path.lstrip("/") if self.is_postgres else None

    @property
    def described(self) -> str:
        from r3izzy_desktop.core.store.urls import describe_url

        return describe_url(self.url)

    def with_name(self, name: str, url: str | None = None) -> str:
        parsed = urlparse(url or self.url)
        return urlunparse(parsed._replace(path=f"/{name}"))

    def through(self, port: int, url: str | None = None) -> str:
        """The URL reaching the same database through the proxy on `port`."""
        parsed = urlparse(url or self.url)
        auth = parsed.netloc.rpartition("@")[0]
        netloc = f"{auth}@127.0.0.1:{port}" if auth else f"127.0.0.1:{port}"
        return urlunparse(parsed._replace(netloc=netloc))

    def reach(self, url: str, via: str | None) -> str:
        """`url` (a copy's), reached the way `via` reaches the original (the proxy)."""
        if via is None or not self.is_postgres:
            return url
        return self.with_name(urlparse(url).path.lstrip("/"), via)

    def _admin(self):
        import psycopg

        return psycopg.connect(self.with_name("postgres"), autocommit=True)

    @contextlib.contextmanager
    def copy(self, file: Path) -> Iterator[str]:
        """A copy of the database, removed at the end; yields its URL."""
        if not self.is_postgres:
            with sqlite3.connect(self.url) as source, sqlite3.connect(file) as target:
                source.backup(target)
            try:
                yield str(file)
            finally:
                file.unlink(missing_ok=True)
            return
        name = f"{self.name}_copy_{uuid.uuid4().hex[:8]}"
        with self._admin() as admin:
            for _attempt in range(20):  # the source's last connections may still be closing
                try:
                    admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
                    break
                except Exception as exc:  # psycopg.errors.ObjectInUse
                    if "being accessed" not in str(exc):
                        raise
                    time.sleep(0.5)
            else:
                raise RuntimeError(f"could not copy {self.name}: it stays in use")
        try:
            yield self.with_name(name)
        finally:
            self._drop(name)

    def fresh(self, file: Path) -> Fresh:
        """A new empty database (the schema is the app's to create)."""
        if not self.is_postgres:
            return Fresh(str(file), lambda: file.unlink(missing_ok=True))
        name = f"{self.name}_fresh_{uuid.uuid4().hex[:8]}"
        with self._admin() as admin:
            admin.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
        return Fresh(self.with_name(name), lambda: self._drop(name))

    def _drop(self, name: str) -> None:
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def copy_into(file: Path, url: str, log) -> None:
    """The large demo's file into the (empty) PostgreSQL database at `url`."""
    from r3izzy_desktop.core import integrity
    from r3izzy_desktop.core.database import close_database
    from r3izzy_desktop.core.store import transfer

    started = time.perf_counter()
    log(f"copying {file} into {Target(url).described} (the app's transfer)…")
    result = transfer.copy_to(
        str(file),
        url,
        check=integrity.check,
        stage=lambda text: log(f"  {text} ({time.perf_counter() - started:.0f} s)"),
    )
    close_database()
    if result.target_problems:
        raise SystemExit(f"the copy has {len(result.target_problems)} inconsistencies")
    log(f"  {sum(result.counts.values())} rows in {time.perf_counter() - started:.0f} s")
