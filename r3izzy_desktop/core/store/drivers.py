"""Load the PostgreSQL driver only when a PostgreSQL database is opened.

peewee imports every database driver it finds when it is first imported; psycopg alone
takes about a quarter of a second, which a clinic on one PC (SQLite) would pay at every
start for nothing. `import_peewee()` (run by `core/__init__.py`, before any model is
defined) imports peewee with the PostgreSQL drivers hidden; `bind_postgres_driver()`
(run by `database.open_database` for a `postgresql://` URL) imports the driver and hands
it to peewee exactly as peewee's own import would have.

When a driver was already imported before peewee (a tool or a test imported it first),
nothing is hidden and peewee binds it itself.
"""

from __future__ import annotations

import sys

# What peewee tries to import for PostgreSQL (see the top of peewee.py).
POSTGRES_DRIVERS = ("psycopg", "psycopg2", "psycopg2cffi")


def import_peewee() -> None:
    """Import peewee without loading a PostgreSQL driver (a no-op once peewee is in)."""
    if "peewee" in sys.modules:
        return
    hidden = [name for name in POSTGRES_DRIVERS if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # "import name" fails fast
    try:
        import peewee  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


def bind_postgres_driver() -> None:
    """Give peewee a PostgreSQL driver (psycopg 3, else psycopg2) if it has none yet.

    Raises ImportError when neither is installed."""
    import peewee

    if peewee.psycopg is not None or peewee.psycopg2 is not None:
        return
    try:
        import psycopg
        from psycopg.pq import TransactionStatus
        from psycopg.types.json import Json, Jsonb
    except ImportError:
        _bind_psycopg2(peewee)
        return
    peewee.psycopg = psycopg
    peewee.TransactionStatus = TransactionStatus
    peewee.Json_pg3 = Json
    peewee.Jsonb_pg3 = Jsonb
    # Set in the adapter's class body only when the driver was there at import time.
    adapter = peewee.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN


def _bind_psycopg2(peewee) -> None:
    import psycopg2
    from psycopg2 import extensions
    from psycopg2.extras import Json, register_uuid

    register_uuid()
    peewee.psycopg2 = psycopg2
    peewee.pg_extensions = extensions
    peewee.pg_register_uuid = register_uuid
    peewee.Json_pg2 = Json
    adapter = peewee.Psycopg2Adapter
    adapter.txn_idle = extensions.TRANSACTION_STATUS_IDLE
    adapter.txn_inerror = extensions.TRANSACTION_STATUS_INERROR
    adapter.txn_unknown = extensions.TRANSACTION_STATUS_UNKNOWN
