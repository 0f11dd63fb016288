"""The one place that binds the database: open it, configure it, create or migrate it.

The app, the command line and every test call `open_database(url)` (SPEC §6 names it
`core.database.open_database`). Models reach the database through the proxy in
binding.py; operations run inside `transactions.operation`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import peewee
from peewee import PostgresqlDatabase, SqliteDatabase

from ..errors import DatabaseProblem, DomainError
from . import migrations, pool, sqlite
from .binding import db
from .drivers import bind_postgres_driver
from .files import BUSY_TIMEOUT_S, check_sqlite_file
from .urls import default_database_url, describe_url, sqlite_path_of

log = logging.getLogger(__name__)


def open_database(
    url: str | None = None,
    *,
    create: bool = True,
    migrate: bool = True,
    busy_timeout: float = BUSY_TIMEOUT_S,
) -> peewee.Database:
    """Open the database at `url`, create or upgrade its schema, and bind the models to it.

    `url` is ":memory:", a file path, "sqlite:///path" or "postgresql://user:pw@host/db";
    None means `default_database_url()`. With `create=False` a missing SQLite file is an
    error instead of a new empty database. Raises DatabaseProblem (a DomainError) when
    the database cannot be used: missing, damaged, read-only, locked, written by a newer
    version, or a server that does not answer.
    """
    url = url or default_database_url()
    close_database()
    path = sqlite_path_of(url)
    if path is None:
        database = _postgres(url)
    else:
        database = _sqlite(path, create=create, busy_timeout=busy_timeout)
    db.initialize(database)
    try:
        database.connect(reuse_if_open=True)
        _probe(database, path)
        if migrate:
            migrations.migrate(database, path)
    except DomainError:
        close_database()
        raise
    except peewee.DatabaseError as exc:
        close_database()
        raise _problem_from(exc, path or describe_url(url)) from exc
    if path is None:
        log.info("database opened: %s", describe_url(url))
    else:
        log.info("database opened: %s (%s)", describe_url(url), sqlite.description())
        if not sqlite.is_fixed():
            log.warning(
                "%s is older than 3.51.3 and can corrupt a WAL database (install pysqlite3)",
                sqlite.description(),
            )
    return database


def close_database() -> None:
    """Close the calling thread's connection and unbind (see close_every_connection). The
    database's idle connections are closed too, and those other threads still hold are
    closed when they are handed back: none is handed out again (pool.py)."""
    database = db.obj
    if database is None:
        return
    if isinstance(database, pool.Strict):
        database.retire()
    try:
        if not database.is_closed():
            database.close()
    except peewee.PeeweeException:  # pragma: no cover - closing a broken connection
        log.exception("closing the database")
    db.initialize(None)


def _sqlite(path: str, *, create: bool, busy_timeout: float) -> SqliteDatabase:
    if path != ":memory:":
        file = Path(path)
        if file.exists():
            check_sqlite_file(file)
        elif not create:
            raise DatabaseProblem(
                f"O arquivo do banco de dados não foi encontrado:\n{file}\n\n"
                "Ele pode ter sido movido, apagado, ou estar numa unidade desconectada.",
                "missing",
                str(file),
            )
        else:
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseProblem(
                    f"Não foi possível criar a pasta do banco de dados:\n{file.parent}\n{exc}",
                    "readonly",
                    str(file),
                ) from exc
    pragmas = {
        "foreign_keys": 1,
        "busy_timeout": int(busy_timeout * 1000),
        "synchronous": 2,  # FULL: a committed payment survives a power cut
    }
    if path != ":memory:":
        # Up to 32 MB of the file kept in memory per connection (SQLite's default is 2 MB):
        # the screens of a big clinic read the same indexes again and again.
        pragmas = {"journal_mode": "wal", "cache_size": -32_000, **pragmas}
    # lock_type IMMEDIATE: every transaction takes the write lock at BEGIN, so a second
    # app instance waits (busy timeout) instead of failing in the middle of an operation.
    if path == ":memory:":
        # Each connection is a database of its own: never pooled (jobs run in the thread
        # that asked, see ui/common/jobs.py).
        return SqliteDatabase(
            path,
            pragmas=pragmas,
            timeout=busy_timeout,
            lock_type="IMMEDIATE",
            check_same_thread=False,
        )
    return pool.SqliteFileDatabase(
        path,
        pragmas=pragmas,
        busy_timeout=busy_timeout,
        lock_type="IMMEDIATE",
        check_same_thread=False,
    )


def close_every_connection() -> None:
    """Close the database in every thread, then unbind it: before its file is renamed or
    replaced, which Windows refuses while any connection holds it open. A thread that was
    reading from it gets an error; the restore that needs this rebuilds the window."""
    database = db.obj
    close_database()  # the idle ones too
    for connection in list(getattr(database, "connections", ())):
        connection.close()  # those of other threads; they are never handed out again


# A silent network (Wi-Fi gone, the server PC switched off: no answer, no refusal) is
# noticed within DETECTION_S: TCP keepalives probe a connection that waits for an answer
# (5 s quiet, then 3 probes 2 s apart), and tcp_user_timeout ends one whose data the
# server never acknowledged. Without them a query would wait for the kernel's own limit
# (about 15 minutes) or for ever.
SERVER_LINK = {
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
    "tcp_user_timeout": 15_000,  # milliseconds
}
DETECTION_S = 15
# The server's side of it: a connection that went silent inside a transaction holds its
# row locks (the package, the sessions) until the server ends it; no operation of the app
# waits for anything inside a transaction, so 20 s idle in one means its PC is gone.
IDLE_IN_TRANSACTION_MS = 20_000
# No JIT compilation of the app's statements (PostgreSQL 11+ compiles one whose estimated
# cost passes jit_above_cost): every read of the app takes milliseconds, compiling one took
# 300 to 500 ms (the Saldo de créditos statement of a past month: 21 ms to run, estimated
# far above what it reads, as the planner cannot know that the packages changed since are
# the recent ones), and when that happens moves with the data.


def _postgres(url: str) -> PostgresqlDatabase:
    try:
        bind_postgres_driver()  # loaded only now: a SQLite start never pays for it
    except ImportError:  # pragma: no cover - depends on the installation
        raise DatabaseProblem(
            'O suporte a PostgreSQL não está instalado (pip install "r3izzy-desktop[postgres]").',
            "connection",
        ) from None
    from playhouse import db_url  # imports the PostgreSQL extensions, hence only here

    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    params = db_url.parse(url, unquote_password=True, unquote_user=True)
    params.setdefault("connect_timeout", 10)
    for name, value in SERVER_LINK.items():
        params.setdefault(name, value)
    options = str(params.get("options", ""))
    if "idle_in_transaction_session_timeout" not in options:
        options = f"{options} -c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}"
    if "jit" not in options:
        options = f"{options} -c jit=off"
    params["options"] = options
    name = params.pop("database")
    return pool.ServerDatabase(name, **params)


def _probe(database: peewee.Database, path: str | None) -> None:
    """Touch the database so a damaged file or a dead server fails here, clearly."""
    database.execute_sql("SELECT 1").fetchone()
    if path is not None and path != ":memory:":
        database.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()


def is_locked_error(exc: BaseException) -> bool:
    """The error says another program holds the database (SQLite "locked" or "busy")."""
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _problem_from(exc: Exception, where: str) -> DatabaseProblem:
    text = str(exc).lower()
    if "not a database" in text or "malformed" in text or "disk image" in text:
        return DatabaseProblem(
            f"O banco de dados está danificado e não pode ser aberto:\n{where}", "damaged", where
        )
    if is_locked_error(exc):
        return DatabaseProblem(
            f"O banco de dados está bloqueado por outro programa:\n{where}\n\n"
            "Feche o outro programa (ou outra cópia do R3izzy) e tente novamente.",
            "locked",
            where,
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return DatabaseProblem(
            f"Não foi possível gravar no banco de dados:\n{where}", "readonly", where
        )
    return DatabaseProblem(
        f"Não foi possível abrir o banco de dados:\n{where}\n\n{exc}", "connection", where
    )
