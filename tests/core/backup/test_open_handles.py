"""Replacing a database file that is open somewhere.

Windows refuses to rename or replace a file that any handle holds open (Linux lets it
happen), so a restore over a damaged database first closes the app's connections in every
thread, tries again while another program (an antivirus, the search indexer) holds the
file for a moment, and otherwise stops with nothing changed. The tests that need Windows'
refusal itself run in the Windows suite (CI runs it under Wine).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from r3izzy_desktop.core import backup, demo
from r3izzy_desktop.core.backup import BackupError
from r3izzy_desktop.core.backup import restoring as restore
from r3izzy_desktop.core.database import (
    close_database,
    close_every_connection,
    current_database,
    current_url,
    open_database,
)
from r3izzy_desktop.core.reports import export
from r3izzy_desktop.core.store.models import Patient
from r3izzy_desktop.core.store.sqlite import sqlite3

WINDOWS_ONLY = pytest.mark.skipif(
    sys.platform != "win32", reason="only Windows refuses to rename a file a handle holds open"
)


@pytest.fixture
def clinic_db(tmp_path, monkeypatch):
    monkeypatch.setenv("R3IZZY_DATA_DIR", str(tmp_path / "dados"))
    monkeypatch.setattr(restore, "REPLACE_PAUSE_S", 0.0)  # no waiting between attempts
    path = tmp_path / "clinica" / "r3izzy.db"
    open_database(str(path))
    demo.populate("small", seed=5)
    yield path
    close_database()


# The files a restore renames: the database (aside) and the checked copy (into its place).
DATABASE_FILES = ("r3izzy.db", "r3izzy.db.restaurando")


def rows(path: Path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT id, name FROM patient ORDER BY id").fetchall()
    finally:
        con.close()


def damage(path: Path) -> None:
    """Garbage over the pages after the first: the file still opens, its tables do not
    read, and `restore` takes it for damaged (it renames it aside)."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
    finally:
        con.close()
    with path.open("r+b") as handle:
        handle.seek(page_size)
        handle.write(b"\xa5" * page_size * 6)


class ReaderThread(threading.Thread):
    """A thread that read from the database and keeps its connection, as a background
    loader of the app does until its work ends."""

    def __init__(self):
        super().__init__(daemon=True)
        self.ready = threading.Event()
        self.finish = threading.Event()
        self.connection: sqlite3.Connection | None = None

    def run(self) -> None:
        Patient.select().count()
        self.connection = current_database().connection()
        self.ready.set()
        self.finish.wait(30)

    def __enter__(self):
        self.start()
        assert self.ready.wait(30)
        return self

    def __exit__(self, *exc):
        self.finish.set()
        self.join(30)


def closed(connection: sqlite3.Connection) -> bool:
    try:
        connection.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False


def test_close_every_connection_closes_other_threads_connections(clinic_db):
    with ReaderThread() as reader:
        mine = current_database().connection()
        close_every_connection()
        assert closed(mine)
        assert closed(reader.connection)
    assert current_url() is None


def test_restore_over_a_damaged_database_open_in_other_threads(clinic_db, tmp_path):
    """The app's own connections (this thread's and a loader's) would stop Windows from
    renaming the damaged file aside: the restore closes them all first."""
    saved = backup.backup_now(tmp_path / "pendrive" / "backup.db")
    with ReaderThread() as reader:
        damage(clinic_db)
        result = backup.restore(saved)
        assert closed(reader.connection)
    assert result.set_aside is not None and result.set_aside.exists()
    assert rows(clinic_db) == rows(saved)
    assert Path(current_url()).resolve() == clinic_db.resolve()
    assert Patient.select().count() == len(rows(saved))


def test_restore_tries_again_while_the_file_is_held_for_a_moment(clinic_db, tmp_path, monkeypatch):
    saved = backup.backup_now(tmp_path / "backup.db")
    damage(clinic_db)
    real_replace = restore.os.replace
    refusals = []

    def busy_twice(source, target):
        if Path(source).name in DATABASE_FILES and len(refusals) < 2:
            refusals.append(source)
            raise PermissionError(32, "The process cannot access the file", str(source))
        real_replace(source, target)

    monkeypatch.setattr(restore.os, "replace", busy_twice)
    result = backup.restore(saved)
    assert len(refusals) == 2
    assert rows(clinic_db) == rows(saved)
    assert result.set_aside is not None and result.set_aside.exists()


def test_a_file_held_for_good_stops_the_restore_with_nothing_changed(
    clinic_db, tmp_path, monkeypatch
):
    saved = backup.backup_now(tmp_path / "backup.db")
    damage(clinic_db)
    before = clinic_db.read_bytes()
    attempts = []
    real_replace = restore.os.replace

    def always_busy(source, target):
        if Path(source).name not in DATABASE_FILES:  # a copy being written: let it be
            return real_replace(source, target)
        attempts.append(source)
        raise PermissionError(32, "The process cannot access the file", str(source))

    monkeypatch.setattr(restore.os, "replace", always_busy)
    with pytest.raises(BackupError) as caught:
        backup.restore(saved)
    assert "em uso por outro programa" in str(caught.value)
    assert len(attempts) == restore.REPLACE_ATTEMPTS
    assert clinic_db.read_bytes() == before
    assert sorted(p.name for p in clinic_db.parent.iterdir() if "r3izzy.db." in p.name) == []


def test_the_renamed_aside_file_goes_back_when_the_restored_one_cannot_take_its_place(
    clinic_db, tmp_path, monkeypatch
):
    saved = backup.backup_now(tmp_path / "backup.db")
    damage(clinic_db)
    before = clinic_db.read_bytes()
    real_replace = restore.os.replace

    def staging_busy(source, target):
        if Path(source).name.endswith(".restaurando"):
            raise PermissionError(5, "Access is denied", str(source))
        real_replace(source, target)

    monkeypatch.setattr(restore.os, "replace", staging_busy)
    with pytest.raises(BackupError):
        backup.restore(saved)
    assert clinic_db.read_bytes() == before
    assert not list(clinic_db.parent.glob("*.danificado-*"))
    assert not list(clinic_db.parent.glob("*.restaurando"))


@WINDOWS_ONLY
def test_another_program_holding_the_damaged_file_stops_the_restore(clinic_db, tmp_path):
    saved = backup.backup_now(tmp_path / "backup.db")
    damage(clinic_db)
    before = clinic_db.read_bytes()
    # A handle the app cannot close, as another program's.
    with clinic_db.open("rb"), pytest.raises(BackupError) as caught:
        backup.restore(saved)
    assert "em uso por outro programa" in str(caught.value)
    assert clinic_db.read_bytes() == before
    assert not list(clinic_db.parent.glob("*.danificado-*"))


@WINDOWS_ONLY
def test_an_export_over_a_workbook_open_in_excel_says_so(clinic_db, tmp_path):
    target = tmp_path / "relatório.xlsx"
    export.package_report_xlsx(target, include_history=False)
    # Excel keeps the workbook it shows open.
    with target.open("rb"), pytest.raises(export.ExportFailed) as caught:
        export.package_report_xlsx(target, include_history=False)
    assert "aberto no Excel" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["relatório.xlsx"]
