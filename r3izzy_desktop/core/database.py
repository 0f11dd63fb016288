"""The one place that binds the database: open it, configure it, create or migrate it.

The app, the command line and every test call `open_database(url)`. Models reach the
database through the `db` proxy below; operations run inside `operation` (one write
transaction each, retried on a transient conflict).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlparse

import peewee
from peewee import DatabaseProxy, PostgresqlDatabase, SqliteDatabase

from .errors import AlreadyPaid, DatabaseBusy, DatabaseProblem, DomainError

log = logging.getLogger(__name__)

db = DatabaseProxy()

APP_DIR_NAME = "R3izzy Desktop"
DEFAULT_DB_NAME = "r3izzy.db"
ENV_DB = "R3IZZY_DB"
BUSY_TIMEOUT_S = 15.0
SQLITE_HEADER = b"SQLite format 3\x00"

# Name of the partial unique index that enforces R11 (one active payment per session).
ONE_ACTIVE_PAYMENT_INDEX = "payment_one_active_per_session"

F = TypeVar("F", bound=Callable[..., Any])


def data_dir() -> Path:
    """The platform's user data folder for the app (created on demand)."""
    override = os.environ.get("R3IZZY_DATA_DIR")
    if override:
        path = Path(override)
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url() -> str:
    """`R3IZZY_DB` when set, else `r3izzy.db` in the user data folder."""
    return os.environ.get(ENV_DB) or str(data_dir() / DEFAULT_DB_NAME)


def sqlite_path_of(url: str) -> str | None:
    """The SQLite file a URL points to, ":memory:" for memory, None for a server database."""
    if url.startswith(("postgres://", "postgresql://")):
        return None
    if url.startswith("sqlite:"):
        # sqlite:///relative.db -> "relative.db"; sqlite:////abs/file.db -> "/abs/file.db"
        path = unquote(url[len("sqlite:") :].split("?", 1)[0])
        path = path[3:] if path.startswith("///") else path.lstrip("/")
        return path or ":memory:"
    return url


def describe_url(url: str) -> str:
    """The URL without its password, for the screen and the log."""
    parsed = urlparse(url)
    if parsed.password:
        netloc = parsed.netloc.replace(f":{parsed.password}@", ":***@")
        return parsed._replace(netloc=netloc).geturl()
    return url


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
            from . import migrations

            migrations.migrate(database, path)
    except DomainError:
        close_database()
        raise
    except peewee.DatabaseError as exc:
        close_database()
        raise _problem_from(exc, path or describe_url(url)) from exc
    log.info("database opened: %s", describe_url(url))
    return database


def close_database() -> None:
    """Close the calling thread's connection and unbind (see close_every_connection)."""
    database = db.obj
    if database is None:
        return
    try:
        if not database.is_closed():
            database.close()
    except peewee.PeeweeException:  # pragma: no cover - closing a broken connection
        log.exception("closing the database")
    db.initialize(None)


def current_database() -> peewee.Database | None:
    """The database the models are bound to now (None when none is open). A new object
    after every `open_database`, even of the same URL: whoever remembers it can tell."""
    return db.obj


def close_thread_connection() -> None:
    """Close the calling thread's connection, if it has one (peewee keeps one per thread):
    what a worker thread does when its work ends. Never raises."""
    database = db.obj
    try:
        if database is not None and not database.is_closed():
            database.close()
    except Exception:  # pragma: no cover - a broken connection is gone either way
        log.debug("closing a worker thread's connection", exc_info=True)


def current_url() -> str | None:
    database = db.obj
    if database is None:
        return None
    if isinstance(database, PostgresqlDatabase):
        params = database.connect_params
        user = params.get("user", "")
        host = params.get("host", "localhost")
        port = f":{params['port']}" if params.get("port") else ""
        return f"postgresql://{user}@{host}{port}/{database.database}"
    return database.database


def is_postgres() -> bool:
    return isinstance(db.obj, PostgresqlDatabase)


def _sqlite(path: str, *, create: bool, busy_timeout: float) -> SqliteDatabase:
    if path != ":memory:":
        file = Path(path)
        if file.exists():
            _check_sqlite_file(file)
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
    return _SqliteFile(
        path,
        pragmas=pragmas,
        timeout=busy_timeout,
        lock_type="IMMEDIATE",
        check_same_thread=False,
    )


class _SqliteFile(SqliteDatabase):
    """A SqliteDatabase that knows every thread's connection (peewee keeps one per
    thread), so `close_every_connection` can close them all."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.connections: list[sqlite3.Connection] = []

    def _connect(self) -> sqlite3.Connection:
        connection = super()._connect()
        self.connections.append(connection)
        return connection

    def _close(self, conn: sqlite3.Connection) -> None:
        with contextlib.suppress(ValueError):
            self.connections.remove(conn)
        super()._close(conn)


def close_every_connection() -> None:
    """Close the database in every thread, then unbind it: before its file is renamed or
    replaced, which Windows refuses while any connection holds it open. A thread that was
    reading from it gets an error; the restore that needs this rebuilds the window."""
    database = db.obj
    close_database()
    for connection in list(getattr(database, "connections", ())):
        connection.close()


def _check_sqlite_file(file: Path) -> None:
    if file.is_dir():
        raise DatabaseProblem(f"O caminho é uma pasta, não um banco de dados:\n{file}", "damaged")
    try:
        with file.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except PermissionError as exc:
        raise DatabaseProblem(
            f"Sem permissão para ler o banco de dados:\n{file}", "readonly", str(file)
        ) from exc
    if header and header != SQLITE_HEADER:
        raise DatabaseProblem(
            f"Este arquivo não é um banco de dados do R3izzy (ou está danificado):\n{file}",
            "damaged",
            str(file),
        )
    if not os.access(file, os.W_OK) or not os.access(file.parent, os.W_OK):
        raise DatabaseProblem(
            f"O banco de dados está somente leitura:\n{file}\n\n"
            "O programa precisa gravar nele e na pasta onde ele está.",
            "readonly",
            str(file),
        )


def _postgres(url: str) -> PostgresqlDatabase:
    from .drivers import bind_postgres_driver

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
    name = params.pop("database")
    return PostgresqlDatabase(name, **params)


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


# --- transactions ------------------------------------------------------------------------

_RETRIES = 5


def _is_transient(exc: peewee.DatabaseError) -> bool:
    text = str(exc).lower()
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None) or getattr(
        getattr(exc, "orig", None), "pgcode", None
    )
    if sqlstate in ("40001", "40P01", "55P03"):  # serialization, deadlock, lock not available
        return True
    return "database is locked" in text or "database table is locked" in text


def operation(fn: F) -> F:
    """Run `fn` as one write transaction: all of it happens or none.

    A transient conflict (SQLite busy past the timeout, a PostgreSQL serialization
    failure or deadlock) rolls back and retries a few times, then raises DatabaseBusy.
    Each committed operation adds one to this app's change counter (changes.py), in the
    same transaction, so the other PCs' screens know to refresh.
    A second active payment for a session (R11, enforced by a unique index) becomes
    AlreadyPaid. Called inside another operation, it simply joins that transaction.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if db.obj is None:
            raise DatabaseProblem("Nenhum banco de dados aberto.", "connection")
        if db.in_transaction():
            return fn(*args, **kwargs)
        delay = 0.05
        for attempt in range(_RETRIES):
            try:
                with db.atomic():
                    result = fn(*args, **kwargs)
                    _count_change()
                    return result
            except peewee.IntegrityError as exc:
                if ONE_ACTIVE_PAYMENT_INDEX in str(exc) or "payment.session_id" in str(exc):
                    raise AlreadyPaid(
                        "Esta sessão já foi paga (talvez em outro computador). "
                        "Atualize a tela e confira."
                    ) from exc
                numbering = "package.number" in str(exc) or "package_number" in str(exc)
                if numbering and attempt < _RETRIES - 1:
                    # Two PCs numbered a package in the same second: take the next one.
                    continue
                raise
            except (peewee.OperationalError, peewee.InternalError, peewee.InterfaceError) as exc:
                if drop_broken_connection():
                    # The server went away (restart, network): a new connection is made
                    # at the next use. Not retried: a COMMIT may have reached the server.
                    raise DatabaseProblem(
                        "A conexão com o servidor do banco de dados caiu. Confira na tela se "
                        "a última ação foi registrada antes de repeti-la.",
                        "connection",
                    ) from exc
                if not _is_transient(exc):
                    raise
                if attempt == _RETRIES - 1:
                    raise DatabaseBusy(
                        "O banco de dados está ocupado (outro computador está gravando). "
                        "Nada foi alterado; tente novamente em instantes."
                    ) from exc
                log.info("transient conflict in %s, retrying: %s", fn.__name__, exc)
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper  # type: ignore[return-value]


def drop_broken_connection() -> bool:
    """Close this thread's server connection when it is broken (the server restarted, the
    network dropped), so the next query connects again. True when it was broken."""
    database = db.obj
    if not isinstance(database, PostgresqlDatabase) or database.is_closed():
        return False
    if database.is_connection_usable():
        return False
    log.warning("the connection to the database server was lost")
    try:
        database.close()
    except peewee.PeeweeException:  # pragma: no cover - closing a dead connection
        database._state.reset()
    return True


def _count_change() -> None:
    """The other PCs' screens poll this counter to know they are stale (changes.py)."""
    from . import changes

    changes.bump()


def for_update(query: peewee.ModelSelect) -> peewee.ModelSelect:
    """`SELECT … FOR UPDATE` where the server supports it (PostgreSQL).

    On SQLite the IMMEDIATE transaction already holds the only write lock.
    """
    if is_postgres():
        return query.for_update()
    return query


def sqlite_backup(source: str | sqlite3.Connection, target: str | Path) -> None:
    """Copy a live SQLite database with the online backup API (never a raw file copy)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    own = isinstance(source, str)
    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_S) if own else source
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        if own:
            src.close()
    os.replace(tmp, target)
