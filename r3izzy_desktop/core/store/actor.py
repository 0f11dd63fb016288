"""Who is acting in this process (R23): the user logged in, one per app process.

Kept at the bottom of the core so that the models can stamp every history line, payment
and audit entry with the user (`user_id` is their columns' default) without the
operations passing it along. Only `core.access` (login, logout) sets it. A login holds
for the database it was made on: once another database is bound (`open_database` again,
a restore), nobody is logged in there until `access.carry_over` or a new login.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .binding import db


class Actor(NamedTuple):
    """The user logged in: never their password or its hash."""

    user_id: int
    name: str
    login: str
    role: str
    database: Any  # the peewee database object the login was made on


_current: Actor | None = None


def current() -> Actor | None:
    """The user logged in on the database bound now, or None."""
    actor = _current
    if actor is None or actor.database is not db.obj or db.obj is None:
        return None
    return actor


def remembered() -> Actor | None:
    """The last login, whatever database it was made on (to carry it over a restore)."""
    return _current


def set_current(actor: Actor | None) -> None:
    global _current
    _current = actor


def user_id() -> int | None:
    """The id of the user logged in, or None (no login, or a database without users)."""
    actor = current()
    return actor.user_id if actor is not None else None
