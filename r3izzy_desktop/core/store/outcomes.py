"""A COMMIT whose answer never came (PostgreSQL): was the operation recorded or not?

When the connection breaks while the COMMIT is on its way, the server may have committed
the transaction or not, and the app cannot tell from the error. So each operation on a
server writes, in its own transaction, a random key into `commit_mark` (an idempotency
key), and notes its server process. When the COMMIT's answer is lost, `resolve` asks the
server on a new connection: the key is there (the operation happened: it returns
normally), or it is not and the old process is gone (nothing was recorded: the user can
repeat it). While the old process still lives on the server (the network went silent)
it is ended with `pg_terminate_backend` first, so that its transaction can no longer
commit. When the server cannot be reached the outcome stays unknown: it is remembered,
and the next operation asks first (`check_earlier`), so a repeated action never doubles
one that was in fact recorded.

Why not `txid_status`: after a server crash a transaction id whose transaction left
nothing on disk is handed out again, so the status of the id can be another
transaction's. A key in a row commits or vanishes with its own transaction.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter
from dataclasses import dataclass

import peewee
from peewee import PostgresqlDatabase

from ..errors import DatabaseProblem
from .models import CommitMark

log = logging.getLogger(__name__)

RESOLVE_CONNECT_TIMEOUT_S = 2
RESOLVE_WAIT_S = 5.0  # how long an "in progress" transaction may take to end once told


@dataclass
class Attempt:
    """One operation's transaction on a server: what is needed to ask about it later."""

    what: str
    key: str | None = None
    pid: int | None = None
    backend_start: object = None  # with the pid, tells our old server process apart
    committing: bool = False  # the COMMIT was sent: the outcome is the server's word


NOT_RECORDED = (
    "A conexão com o servidor do banco de dados caiu antes de a ação ser gravada: nada "
    "foi gravado. Tente novamente."
)
UNKNOWN = (
    "A conexão com o servidor do banco de dados caiu no momento da gravação e não foi "
    "possível confirmar se a ação foi registrada. Confira na tela antes de repeti-la: o "
    "programa confere sozinho assim que o servidor voltar a responder."
)
EARLIER_RECORDED = (
    "A última ação interrompida pela queda da conexão com o servidor foi registrada, sim. "
    "Confira na tela antes de repeti-la; nada mais foi feito agora."
)

STILL_UNKNOWN = (
    "Ainda não foi possível confirmar a ação interrompida pela queda da conexão: o "
    "servidor do banco de dados não responde. Nada foi feito agora; tente de novo em "
    "instantes."
)

_unresolved: list[tuple[PostgresqlDatabase, Attempt]] = []
settled: Counter[str] = Counter()  # how the lost commits of this process turned out


def begin(database: peewee.Database, what: str) -> Attempt:
    """Mark the transaction just begun (on a server; nothing to do for SQLite, whose
    commit is local and never loses its answer)."""
    attempt = Attempt(what)
    if isinstance(database, PostgresqlDatabase):
        attempt.key = uuid.uuid4().hex
        attempt.pid, attempt.backend_start = database.execute_sql(
            f'INSERT INTO "{CommitMark._meta.table_name}" ("key", "at") '
            "VALUES (%s, LOCALTIMESTAMP(0)) RETURNING pg_backend_pid(), "
            "(SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid())",
            (attempt.key,),
        ).fetchone()
    return attempt


def resolve(database: PostgresqlDatabase, attempt: Attempt) -> str:
    """ "committed", "aborted" or "unknown" (the server cannot be asked now)."""
    if attempt.key is None:
        return "unknown"
    params = {**database.connect_params, "connect_timeout": RESOLVE_CONNECT_TIMEOUT_S}
    asker = PostgresqlDatabase(database.database, **params)
    table = CommitMark._meta.table_name
    try:
        asker.connect()
        deadline = time.monotonic() + RESOLVE_WAIT_S
        told = False
        while True:
            marked = asker.execute_sql(
                f'SELECT 1 FROM "{table}" WHERE "key" = %s', (attempt.key,)
            ).fetchone()
            if marked:
                return "committed"
            alive = asker.execute_sql(
                "SELECT 1 FROM pg_stat_activity WHERE pid = %s AND backend_start = %s",
                (attempt.pid, attempt.backend_start),
            ).fetchone()
            if not alive:
                return "aborted"  # its process is gone, its transaction with it
            if not told:
                # Our old connection still lives on the server (a silent network): end it,
                # so its transaction can no longer commit, then ask again.
                asker.execute_sql("SELECT pg_terminate_backend(%s)", (attempt.pid,))
                told = True
            if time.monotonic() > deadline:
                return "unknown"
            time.sleep(0.1)
    except peewee.PeeweeException as exc:
        log.info("could not ask the server about %s: %s", attempt.what, exc)
        return "unknown"
    finally:
        if not asker.is_closed():
            asker.close()


def lost_commit(database: PostgresqlDatabase, attempt: Attempt) -> DatabaseProblem | None:
    """After the connection broke during `attempt`: None when it was committed after all,
    else the DatabaseProblem to raise (kind "not_recorded", or "connection" when unknown,
    remembered for `check_earlier`)."""
    if not attempt.committing:
        return DatabaseProblem(NOT_RECORDED, "not_recorded")
    outcome = resolve(database, attempt)
    log.warning("commit of %s lost on the way; the server says: %s", attempt.what, outcome)
    settled[outcome] += 1
    if outcome == "committed":
        return None
    if outcome == "aborted":
        return DatabaseProblem(NOT_RECORDED, "not_recorded")
    _unresolved.append((database, attempt))
    return DatabaseProblem(UNKNOWN, "connection")


def check_earlier(database: peewee.Database) -> None:
    """Before an operation: settle the ones whose outcome was left unknown. Raises
    DatabaseProblem (once) when one of them turns out to have been recorded, and while
    one still cannot be settled: no operation runs before that is known, so a repeated
    one never doubles it."""
    if not _unresolved:
        return
    for entry in list(_unresolved):
        earlier, attempt = entry
        if earlier is not database:
            _unresolved.remove(entry)  # another database was opened since
            continue
        outcome = resolve(earlier, attempt)
        if outcome == "unknown":
            raise DatabaseProblem(STILL_UNKNOWN, "connection")
        _unresolved.remove(entry)
        settled[f"{outcome} later"] += 1
        log.info("the lost commit of %s turned out %s", attempt.what, outcome)
        if outcome == "committed":
            raise DatabaseProblem(EARLIER_RECORDED, "connection")


def unresolved() -> int:
    """How many lost commits are still unknown (for tests and the log)."""
    return len(_unresolved)
