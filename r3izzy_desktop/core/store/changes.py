"""The change counter: how a screen learns that another PC changed the data.

Every write operation (`transactions.operation`) calls `bump()` inside its own transaction:
one is added to this running app's row of `change_counter` (keyed by `client_id()`, unique
per process). The row commits or rolls back with the operation, so the counter moves
exactly when a change becomes visible to the other PCs, never before.

`others()` is the cheap poll a screen runs every few seconds: the sum of every other
client's row and how many rows there are. When it differs from the previous reading,
another PC (or another app on this PC) committed something since then.

Why a row per client and not one shared counter row: on PostgreSQL a single row would be
locked by every writing transaction until it commits, so the PCs' writes would queue
behind each other (a clinic's few PCs would hardly notice, but it costs nothing to avoid).
Why not a sequence: `nextval` is not transactional, so a screen could refresh before the
change commits and then never again.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta
from typing import NamedTuple

from peewee import fn

from .. import clock
from .binding import db
from .models import ChangeCounter, CommitMark

_client: tuple[int, str] | None = None


def client_id() -> str:
    """This process's key in `change_counter`: host, process id and a random suffix (a
    process id can come back after a restart)."""
    global _client
    pid = os.getpid()
    if _client is None or _client[0] != pid:
        host = (socket.gethostname() or "pc")[:40]
        _client = (pid, f"{host}:{pid}:{uuid.uuid4().hex[:8]}")
    return _client[1]


def bump() -> None:
    """Count one committed write of this client; call inside the writing transaction."""
    now = clock.now()
    (
        ChangeCounter.insert(client=client_id(), value=1, at=now)
        .on_conflict(
            conflict_target=[ChangeCounter.client],
            update={ChangeCounter.value: ChangeCounter.value + 1, ChangeCounter.at: now},
        )
        .execute()
    )


class Stamp(NamedTuple):
    """What the other clients have written: compare two stamps to see a change."""

    total: int
    clients: int


def others() -> Stamp:
    """The other clients' committed writes (one small aggregate query)."""
    total, clients = (
        ChangeCounter.select(fn.COALESCE(fn.SUM(ChangeCounter.value), 0), fn.COUNT(1))
        .where(ChangeCounter.client != client_id())
        .tuples()
        .get()
    )
    return Stamp(int(total), int(clients))


def mine() -> int:
    """This client's committed writes so far."""
    value = (
        ChangeCounter.select(ChangeCounter.value)
        .where(ChangeCounter.client == client_id())
        .scalar()
    )
    return int(value or 0)


def forget_idle(days: int = 30) -> int:
    """Delete the rows of clients that wrote nothing for `days` (apps closed long ago), so
    the poll stays one small sum. Returns how many went (usually none, and then nothing is
    written). The others' screens see their stamp move once and refresh, which is harmless."""
    cutoff = clock.now() - timedelta(days=days)
    # The marks of operations long settled (outcomes.py) go too, in the same pass.
    stale_marks = CommitMark.at < clock.now() - timedelta(days=2)
    if CommitMark.select().where(stale_marks).exists():
        CommitMark.delete().where(stale_marks).execute()
    idle = (ChangeCounter.at < cutoff) & (ChangeCounter.client != client_id())
    if not ChangeCounter.select().where(idle).exists():
        return 0
    # Its own short transaction, not an `operation`: the cleanup is not a change of the
    # clinic's data that the other PCs should reload for.
    with db.atomic():
        return ChangeCounter.delete().where(idle).execute()
