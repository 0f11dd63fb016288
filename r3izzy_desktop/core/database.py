"""The database as the rest of the program sees it (SPEC §6:
`core.database.open_database`): opening and closing it, which one is open, and where it
lives; the change counter the screens poll (`changes`) and a server as Configurações
sees it (`server`, loaded when first asked for: the start-up has no use for it). The work
is done in the storage layer (store/); this is its public face, so the screens and the
command line never reach into it."""

from .store import changes
from .store.binding import close_thread_connection, current_database, current_url, is_postgres
from .store.connection import (
    close_database,
    close_every_connection,
    is_locked_error,
    open_database,
)
from .store.files import BUSY_TIMEOUT_S, sqlite_backup
from .store.sqlite import description as sqlite_description
from .store.sqlite import is_fixed as sqlite_is_fixed
from .store.transactions import drop_broken_connection, storage_problem
from .store.urls import (
    APP_DIR_NAME,
    DEFAULT_DB_NAME,
    ENV_DB,
    data_dir,
    default_database_url,
    describe_url,
    sqlite_path_of,
)

__all__ = [
    "APP_DIR_NAME",
    "BUSY_TIMEOUT_S",
    "DEFAULT_DB_NAME",
    "ENV_DB",
    "changes",
    "close_database",
    "close_every_connection",
    "close_thread_connection",
    "current_database",
    "current_url",
    "data_dir",
    "default_database_url",
    "describe_url",
    "drop_broken_connection",
    "is_locked_error",
    "is_postgres",
    "open_database",
    "server",  # noqa: F822 - loaded on first use (__getattr__ below)
    "sqlite_backup",
    "sqlite_description",
    "sqlite_is_fixed",
    "sqlite_path_of",
    "storage_problem",
]


def __getattr__(name: str):
    if name == "server":
        from .store import server

        return server
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
