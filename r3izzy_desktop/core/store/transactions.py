"""Transactions and row locks: every operation of the core is one write transaction.

`operation` wraps a function in one transaction (retried on a transient conflict) and
counts it in the change counter; `for_update` locks the rows an operation re-reads.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import peewee
from peewee import PostgresqlDatabase

from ..errors import AlreadyPaid, DatabaseBusy, DatabaseProblem
from . import changes, outcomes
from .binding import db, is_postgres
from .models import ONE_ACTIVE_PAYMENT_INDEX

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

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
            started = None
            try:
                outcomes.check_earlier(db.obj)
                with _transaction(fn.__name__) as started:
                    result = fn(*args, **kwargs)
                    changes.bump()
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
                database = db.obj
                lost = storage_problem(exc)
                if drop_broken_connection() or (lost is not None and lost.kind == "connection"):
                    # The server went away (restart, network): a new connection is made
                    # at the next use. Not retried here: whether a COMMIT that was on its
                    # way was recorded is the server's word (outcomes.py).
                    if started is None:
                        raise DatabaseProblem(outcomes.NOT_RECORDED, "not_recorded") from exc
                    problem = outcomes.lost_commit(database, started)
                    if problem is None:
                        return result  # committed after all
                    raise problem from exc
                if lost is not None:
                    raise lost from exc
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


@contextlib.contextmanager
def _transaction(what: str) -> Iterator[outcomes.Attempt]:
    """One transaction, like peewee's `atomic()` at the outermost level, except that a
    ROLLBACK that fails never hides the error that caused it.

    After a full disk or an I/O error SQLite has often rolled the transaction back
    already, and its ROLLBACK then fails ("no transaction is active"); a server connection
    that broke took its transaction with it. The user must hear about the disk or the
    network, not about the rollback."""
    database = db.obj
    database.begin()  # SQLite: BEGIN IMMEDIATE (the lock_type of connection.py)
    database.push_transaction(_TRANSACTION)  # nested `atomic()` calls become savepoints
    try:
        attempt = outcomes.begin(database, what)
        yield attempt
    except BaseException:
        database.pop_transaction()
        _roll_back(database)
        raise
    database.pop_transaction()
    attempt.committing = True
    try:
        database.commit()
    except BaseException:
        _roll_back(database)
        raise


_TRANSACTION = object()  # what peewee's transaction stack holds for ours


def _roll_back(database: peewee.Database) -> None:
    """ROLLBACK; when that fails, make sure nothing of the transaction stays open."""
    try:
        database.rollback()
    except peewee.PeeweeException as exc:
        connection = None if database.is_closed() else database.connection()
        if getattr(connection, "in_transaction", False) and database.database != ":memory:":
            # Still inside it (SQLite could not roll back): closing the connection does.
            log.warning("rollback failed inside the transaction (%s); closing", exc)
            with contextlib.suppress(peewee.PeeweeException):
                database.close()
        else:
            log.info("rollback failed, the transaction was already gone: %s", exc)


def storage_problem(exc: BaseException) -> DatabaseProblem | None:
    """What the user must hear when the disk under the database is full or failing, or
    the server cannot be reached: a DatabaseProblem, or None for any other error. Used
    for operations here and, by the app's excepthook, for a read outside one."""
    text = str(exc).lower()
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None)
    if "database or disk is full" in text or "disk full" in text or sqlstate == "53100":
        where = "do servidor do banco de dados" if is_postgres() else "onde fica o banco de dados"
        return DatabaseProblem(
            f"Não há espaço livre no disco {where}. Nada foi gravado.\n\n"
            "Libere espaço (apague arquivos que não são mais necessários, esvazie a lixeira) "
            "e tente novamente.",
            "full",
        )
    if "disk i/o error" in text or sqlstate in ("58030", "XX001", "XX002"):
        return DatabaseProblem(
            "Erro de leitura ou gravação no disco do banco de dados: a última ação pode não "
            "ter sido gravada. Confira na tela antes de repeti-la.\n\n"
            "Se o erro voltar, o disco pode estar com defeito: faça um backup em outro disco "
            "(Configurações › Backups) e chame o suporte.",
            "io",
        )
    # A connection failure has no SQLSTATE (the client's own) or class 08 / 57P (the
    # server shutting down or crashed); a lock or statement timeout is something else.
    connection_state = sqlstate is None or sqlstate.startswith(("08", "57P"))
    failed = isinstance(exc, peewee.OperationalError | peewee.InterfaceError)
    if is_postgres() and failed and connection_state and any(w in text for w in _UNREACHABLE):
        return DatabaseProblem(SERVER_UNREACHABLE, "connection")
    return None


_UNREACHABLE = (
    "connection",  # "connection refused", "connection failed", "the connection is closed"
    "server closed",
    "terminating",
    "timeout",
    "timed out",
    "could not receive",
    "could not send",
)
SERVER_UNREACHABLE = (
    "O servidor do banco de dados não está respondendo (a rede caiu, ou o servidor foi "
    "desligado ou reiniciado). Confira a rede e o servidor; a tela se atualiza sozinha "
    "quando ele voltar."
)


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


def for_update(query: peewee.ModelSelect) -> peewee.ModelSelect:
    """`SELECT … FOR UPDATE` where the server supports it (PostgreSQL).

    On SQLite the IMMEDIATE transaction already holds the only write lock.
    """
    if is_postgres():
        return query.for_update()
    return query
