"""The app runs on an SQLite without the WAL-reset bug (3.51.3 or newer), and on one
SQLite only: peewee, the backups, the restores and the transfer use the same module."""

from __future__ import annotations

import logging
import sys

import peewee
import pytest

from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.store import sqlite


def test_the_sqlite_in_use_has_the_wal_reset_fix():
    """Fails on SQLite 3.7.0-3.51.2 (the system's, or Python's own): install pysqlite3."""
    assert sqlite.VERSION >= (3, 51, 3), (
        f"{sqlite.description()} can corrupt a WAL database; pysqlite3 >= 0.6.1 is needed"
    )
    assert sqlite.is_fixed()


def test_peewee_and_the_app_share_one_sqlite_module():
    # Two copies of SQLite in one process would drop each other's file locks.
    assert peewee.sqlite3 is sqlite.sqlite3
    assert peewee.__sqlite_version__ == sqlite.VERSION


def test_a_connection_of_the_app_runs_on_that_version(tmp_path):
    database = open_database(str(tmp_path / "r3izzy.db"))
    try:
        (version,) = database.execute_sql("SELECT sqlite_version()").fetchone()
        assert tuple(int(part) for part in version.split(".")) == sqlite.VERSION
        connection = database.connection()
        assert type(connection).__module__.startswith(sqlite.sqlite3.__name__.split(".")[0])
    finally:
        close_database()


def test_the_picker_prefers_the_bundled_sqlite(monkeypatch):
    """pysqlite3 wins over an older standard module; without pysqlite3 the standard one
    is used (and then the first test of this file fails on an old SQLite)."""
    import importlib
    import types

    old = types.ModuleType("sqlite3")
    old.sqlite_version_info = (3, 40, 1)
    new = types.ModuleType("pysqlite3.dbapi2")
    new.sqlite_version_info = (3, 53, 4)
    package = types.ModuleType("pysqlite3")
    package.dbapi2 = new
    monkeypatch.setitem(sys.modules, "sqlite3", old)
    monkeypatch.setitem(sys.modules, "pysqlite3", package)
    monkeypatch.setitem(sys.modules, "pysqlite3.dbapi2", new)
    assert sqlite._pick() is new
    monkeypatch.setitem(sys.modules, "pysqlite3", None)
    monkeypatch.delitem(sys.modules, "pysqlite3.dbapi2")
    assert sqlite._pick() is old
    importlib.invalidate_caches()


@pytest.mark.sqlite_only
def test_the_log_names_the_sqlite_version(tmp_path, caplog):
    with caplog.at_level(logging.INFO, logger="r3izzy_desktop.core.store.connection"):
        open_database(str(tmp_path / "r3izzy.db"))
        close_database()
    assert sqlite.description() in caplog.text
    assert f"SQLite {'.'.join(map(str, sqlite.VERSION))}" in caplog.text
