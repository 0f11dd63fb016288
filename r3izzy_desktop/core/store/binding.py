"""The one database proxy every model is bound to, and what can be asked of it.

`connection.open_database` binds it; everything else reads it through these functions.
"""

from __future__ import annotations

import logging

import peewee
from peewee import DatabaseProxy, PostgresqlDatabase

log = logging.getLogger(__name__)

db = DatabaseProxy()


def current_database() -> peewee.Database | None:
    """The database the models are bound to now (None when none is open). A new object
    after every `open_database`, even of the same URL: whoever remembers it can tell."""
    return db.obj


def close_thread_connection(*also: peewee.Database | None) -> None:
    """Close the calling thread's connection, if it has one (peewee keeps one per thread),
    to the current database and to each of `also` (the one a job started on, when another
    was opened meanwhile): what a worker thread does when its work ends. The connection
    goes back to the database's pool for the next thread, or is closed for good when it is
    not reusable or its database was closed (pool.py). Never raises."""
    for database in dict.fromkeys((db.obj, *also)):
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
