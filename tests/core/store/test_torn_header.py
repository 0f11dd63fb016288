"""A power cut while a checkpoint copies the first page back into the database file can
tear its header; the WAL still holds that page and SQLite puts it right when it opens
the file. The app must let it: neither refuse the file as damaged nor set it aside when a
backup is restored (found by test_power_cut_files.py). Without a WAL the same file is
damaged.

The same holds in rollback-journal mode: a restored backup is in that mode until its
first open switches it to WAL, and a cut while that switch writes the first page leaves
the page torn and the journal holding it as it was (test_power_cut_files.py, seed
1333268036)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from r3izzy_desktop.core import clinic
from r3izzy_desktop.core.backup import restoring
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.errors import DatabaseProblem
from r3izzy_desktop.core.store.binding import db
from r3izzy_desktop.core.store.sqlite import sqlite3


def _tear(copy: Path) -> Path:
    with copy.open("r+b") as handle:
        handle.write(os.urandom(512))
    return copy


def torn_copy(tmp_path: Path) -> Path:
    """A crash image: the database file with a torn first sector, its WAL intact."""
    live = tmp_path / "vivo" / "r3izzy.db"
    open_database(str(live))
    db.execute_sql("PRAGMA wal_autocheckpoint = 0")  # what is written stays in the WAL
    clinic.add_patient("Ana Souza")
    db.execute_sql('CREATE TABLE "extra" (x)')  # the first page changes: it is in the WAL
    image = tmp_path / "imagem"
    image.mkdir()
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{live}{suffix}", image / f"r3izzy.db{suffix}")
    close_database()
    return _tear(image / "r3izzy.db")


def torn_copy_with_its_journal(tmp_path: Path) -> Path:
    """A crash image: a database in rollback-journal mode cut amid a transaction that
    changed its first page (a table created, rolled back by the journal), that page torn,
    its hot journal intact."""
    live = tmp_path / "vivo" / "r3izzy.db"
    open_database(str(live))
    clinic.add_patient("Ana Souza")
    close_database()
    con = sqlite3.connect(live, isolation_level=None)
    image = tmp_path / "imagem"
    image.mkdir()
    try:
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("PRAGMA cache_size=2")  # the transaction spills: its journal is synced
        con.execute("BEGIN IMMEDIATE")
        con.execute('CREATE TABLE "extra" (x)')  # the first page changes
        con.executemany('INSERT INTO "extra" VALUES (?)', [("x" * 200,)] * 2000)
        for suffix in ("", "-journal"):
            shutil.copyfile(f"{live}{suffix}", image / f"r3izzy.db{suffix}")
        con.execute("ROLLBACK")
    finally:
        con.close()
    return _tear(image / "r3izzy.db")


# (how the crash image is made, the log SQLite repairs it from, "extra" after the repair)
IMAGES = {
    "wal": (torn_copy, "-wal", True),
    "journal": (torn_copy_with_its_journal, "-journal", False),
}


@pytest.fixture(params=sorted(IMAGES))
def image(request, tmp_path):
    make, log, extra = IMAGES[request.param]
    return make(tmp_path), log, extra


def test_a_torn_header_with_its_log_is_not_set_aside_by_a_restore(image):
    copy, _log, _extra = image
    assert restoring._usable(copy)


def test_a_torn_header_with_its_log_opens(image):
    copy, _log, extra = image
    open_database(str(copy), create=False)
    try:
        assert [p.name for p in clinic.find_patients("")] == ["Ana Souza"]
        assert db.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
        tables = {row[0] for row in db.execute_sql("SELECT name FROM sqlite_master")}
        assert ("extra" in tables) is extra  # the WAL's commit kept, the journal's undone
    finally:
        close_database()


def test_a_torn_header_without_its_log_is_damaged(image):
    copy, log, _extra = image
    Path(f"{copy}{log}").unlink()
    with pytest.raises(DatabaseProblem) as raised:
        open_database(str(copy), create=False)
    assert raised.value.kind == "damaged"
