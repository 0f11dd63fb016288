"""open_database: URLs, pragmas, IMMEDIATE write transactions, refusals, migrations, defaults."""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from datetime import datetime
from pathlib import Path

import peewee
import pytest

from r3izzy_desktop.core import clinic, clock, database
from r3izzy_desktop.core.database import close_database, default_database_url, open_database
from r3izzy_desktop.core.errors import DatabaseBusy, DatabaseProblem
from r3izzy_desktop.core.store import migrations
from r3izzy_desktop.core.store.binding import db
from r3izzy_desktop.core.store.models import ONE_ACTIVE_PAYMENT_INDEX, Patient, SchemaVersion
from r3izzy_desktop.core.store.sqlite import sqlite3
from r3izzy_desktop.core.store.transactions import operation


@pytest.fixture(autouse=True)
def _closed():
    yield
    close_database()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_file_db(path: Path, patient: str = "Ana Souza") -> None:
    open_database(str(path))
    clinic.add_patient(patient)
    close_database()


def raw_set_version(path: Path, version: int) -> None:
    con = sqlite3.connect(path)
    try:
        con.execute("UPDATE schema_version SET version = ?", (version,))
        con.commit()
    finally:
        con.close()  # the last connection checkpoints the WAL into the file


def pragma(name: str):
    return db.execute_sql(f"PRAGMA {name}").fetchone()[0]


# --- URLs ---------------------------------------------------------------------------------


def test_memory_database_is_fresh_each_time():
    open_database(":memory:")
    clinic.add_patient("Ana Souza")
    assert Patient.select().count() == 1
    open_database(":memory:")
    assert Patient.select().count() == 0
    assert SchemaVersion.get().version == migrations.SCHEMA_VERSION


def test_a_file_path_keeps_its_data(tmp_path):
    path = tmp_path / "sub" / "clinica.db"
    make_file_db(path)
    assert path.exists()
    open_database(str(path), create=False)
    assert [p.name for p in Patient.select()] == ["Ana Souza"]


def test_sqlite_url_relative(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    open_database("sqlite:///relativo.db")
    clinic.add_patient("Ana Souza")
    close_database()
    assert (tmp_path / "relativo.db").exists()
    open_database(str(tmp_path / "relativo.db"), create=False)
    assert Patient.select().count() == 1


def test_sqlite_url_absolute(tmp_path):
    path = tmp_path / "absoluto.db"
    open_database(f"sqlite:///{path}")  # sqlite:////tmp/... : four slashes
    clinic.add_patient("Ana Souza")
    close_database()
    assert path.exists()
    assert database.sqlite_path_of(f"sqlite:///{path}") == str(path)


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///a.db", "a.db"),
        ("sqlite:////srv/a.db", "/srv/a.db"),
        ("sqlite:///:memory:", ":memory:"),
        ("sqlite://", ":memory:"),
        (":memory:", ":memory:"),
        ("/srv/clinica.db", "/srv/clinica.db"),
        ("postgresql://u:p@host/db", None),
        ("postgres://u@host/db", None),
    ],
)
def test_sqlite_path_of(url, path):
    assert database.sqlite_path_of(url) == path


def test_describe_url_hides_the_password():
    assert database.describe_url("postgresql://ana:segredo@srv/clinica") == (
        "postgresql://ana:***@srv/clinica"
    )


# --- pragmas and the schema -------------------------------------------------------------------


def test_file_pragmas(tmp_path):
    open_database(str(tmp_path / "c.db"))
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") >= 10000


def test_memory_pragmas():
    open_database(":memory:")
    assert pragma("foreign_keys") == 1
    assert pragma("synchronous") == 2
    assert pragma("busy_timeout") >= 10000


def test_the_one_active_payment_index_is_in_the_schema(tmp_path):
    open_database(str(tmp_path / "c.db"))
    sql = db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
        (ONE_ACTIVE_PAYMENT_INDEX,),
    ).fetchone()[0]
    assert "UNIQUE" in sql.upper() and "voided_at" in sql and "IS NULL" in sql.upper()


def test_foreign_keys_are_enforced(tmp_path):
    open_database(str(tmp_path / "c.db"))
    with pytest.raises(peewee.IntegrityError), db.atomic():
        db.execute_sql(
            "INSERT INTO session (patient_id, service_id, starts_at, duration_min, price, "
            "attendance, notes, created_at) VALUES (999, 999, '2025-04-01', 50, 0, "
            "'agendada', '', '2025-04-01')"
        )


# --- write transactions take the lock at BEGIN ------------------------------------------------


def test_an_operation_holds_the_write_lock_from_its_start(tmp_path):
    path = tmp_path / "c.db"
    open_database(str(path))
    other = sqlite3.connect(path, timeout=0.05)
    seen = []

    @operation
    def only_reading_so_far():
        Patient.select().count()  # a read: a DEFERRED transaction would hold no write lock
        try:
            other.execute("INSERT INTO setting (key, value) VALUES ('outro', 'pc')")
        except sqlite3.OperationalError as exc:
            seen.append(str(exc))

    try:
        only_reading_so_far()
        assert seen == ["database is locked"]
        # Once the operation committed, the other connection writes.
        other.execute("INSERT INTO setting (key, value) VALUES ('outro', 'pc')")
        other.commit()
    finally:
        other.close()
    assert clinic.get_setting("outro") == "pc"


def test_a_second_writer_waits_for_the_first(tmp_path):
    path = tmp_path / "c.db"
    open_database(str(path))
    holding, release = threading.Event(), threading.Event()

    def first_pc():
        con = sqlite3.connect(path, timeout=5)
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO setting (key, value) VALUES ('primeiro', '1')")
        holding.set()
        release.wait(5)
        con.commit()
        con.close()

    thread = threading.Thread(target=first_pc)
    thread.start()
    assert holding.wait(5)
    threading.Timer(0.2, release.set).start()
    clinic.add_patient("Ana Souza")  # waits (busy timeout) instead of failing
    thread.join(5)
    assert Patient.select().count() == 1
    assert clinic.get_setting("primeiro") == "1"


def test_a_database_locked_too_long_is_busy_and_unchanged(tmp_path):
    path = tmp_path / "c.db"
    open_database(str(path), busy_timeout=0.02)
    other = sqlite3.connect(path)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusy) as caught:
            clinic.add_patient("Ana Souza")
        assert "Nada foi alterado" in caught.value.message
    finally:
        other.rollback()
        other.close()
    assert Patient.select().count() == 0


# --- refusals -----------------------------------------------------------------------------


def test_a_newer_database_is_refused_untouched(tmp_path):
    path = tmp_path / "c.db"
    make_file_db(path)
    raw_set_version(path, migrations.SCHEMA_VERSION + 1)
    before = digest(path)
    with pytest.raises(DatabaseProblem) as caught:
        open_database(str(path))
    assert caught.value.kind == "newer"
    assert "versão mais nova" in caught.value.message
    assert "Nada foi alterado" in caught.value.message
    assert db.obj is None  # nothing left bound
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.db"]  # no copy, no WAL left


@pytest.mark.parametrize(
    "content",
    [
        b"isto nao e um banco de dados, e um texto qualquer" * 10,
        b"SQLite format 3\x00" + b"\xff" * 4000,
        b"PK\x03\x04 a zip file",
    ],
)
def test_a_file_that_is_not_a_database_is_damaged(tmp_path, content):
    path = tmp_path / "c.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseProblem) as caught:
        open_database(str(path))
    assert caught.value.kind == "damaged"
    assert "danificado" in caught.value.message
    assert path.read_bytes() == content


def test_a_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "outro.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE patient (id INTEGER PRIMARY KEY, nome TEXT)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseProblem) as caught:
        open_database(str(path))
    assert caught.value.kind == "damaged"


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(DatabaseProblem) as caught:
        open_database(str(tmp_path))
    assert caught.value.kind == "damaged"


def test_missing_without_create(tmp_path):
    path = tmp_path / "nao" / "existe.db"
    with pytest.raises(DatabaseProblem) as caught:
        open_database(str(path), create=False)
    assert caught.value.kind == "missing"
    assert "não foi encontrado" in caught.value.message
    assert not path.exists() and not path.parent.exists()


def test_a_read_only_file_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "c.db"
    make_file_db(path)
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # POSIX only: Windows has no root
        # root may write anyway; answer as the permission bits would for a clinic's user.
        real_access = os.access

        def access(target, mode, **kwargs):
            if mode & os.W_OK and Path(target).is_file():
                return bool(os.stat(target).st_mode & stat.S_IWUSR)
            return real_access(target, mode, **kwargs)

        monkeypatch.setattr(os, "access", access)
    try:
        with pytest.raises(DatabaseProblem) as caught:
            open_database(str(path))
        assert caught.value.kind == "readonly"
        assert "somente leitura" in caught.value.message
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


# --- the migration chain ------------------------------------------------------------------------


def add_nickname(migrator, database_):
    from playhouse.migrate import migrate as run

    run(migrator.add_column("patient", "nickname", peewee.CharField(default="")))


def columns(path: Path, table: str) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {row[1] for row in con.execute(f'PRAGMA table_info("{table}")')}
    finally:
        con.close()


def version_of(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT version FROM schema_version").fetchone()[0]
    finally:
        con.close()


def test_a_new_step_runs_after_copying_the_file(tmp_path, monkeypatch):
    path = tmp_path / "c.db"
    make_file_db(path)
    current = migrations.SCHEMA_VERSION
    copies_seen_by_the_step = []

    def step(migrator, database_):
        copies_seen_by_the_step.extend(tmp_path.glob("*.bak"))
        add_nickname(migrator, database_)

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, step])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", current + 1)
    with clock.frozen(datetime(2025, 7, 3, 10, 0, 0)):
        open_database(str(path))
    assert SchemaVersion.get().version == current + 1
    assert [p.name for p in Patient.select()] == ["Ana Souza"]
    close_database()

    copy = tmp_path / f"c.db.v{current}-20250703-100000.bak"
    assert copies_seen_by_the_step == [copy]  # copied before the step ran
    assert version_of(copy) == current
    assert "nickname" not in columns(copy, "patient")
    assert "nickname" in columns(path, "patient")
    assert version_of(path) == current + 1


def test_an_up_to_date_database_is_not_copied(tmp_path):
    path = tmp_path / "c.db"
    make_file_db(path)
    open_database(str(path))
    close_database()
    assert not list(tmp_path.glob("*.bak"))


def test_a_failing_step_leaves_the_version_and_the_data(tmp_path, monkeypatch):
    path = tmp_path / "c.db"
    make_file_db(path)
    current = migrations.SCHEMA_VERSION

    def broken(migrator, database_):
        database_.execute_sql("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("falha de teste")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, broken])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", current + 1)
    with pytest.raises(DatabaseProblem) as caught:
        open_database(str(path))
    assert caught.value.kind == "migration"
    assert f"continua na versão {current}" in caught.value.message
    assert db.obj is None
    assert version_of(path) == current
    con = sqlite3.connect(path)
    try:
        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
    finally:
        con.close()
    assert "half_done" not in tables
    assert len(list(tmp_path.glob("*.bak"))) == 1

    # The same program without the broken step still opens it.
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:-1])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", current)
    open_database(str(path))
    assert Patient.select().count() == 1


def test_two_steps_run_in_order(tmp_path, monkeypatch):
    path = tmp_path / "c.db"
    make_file_db(path)
    current = migrations.SCHEMA_VERSION
    ran = []

    def first(migrator, database_):
        ran.append(SchemaVersion.get().version)
        add_nickname(migrator, database_)

    def second(migrator, database_):
        ran.append(SchemaVersion.get().version)
        database_.execute_sql("UPDATE patient SET nickname = 'Aninha'")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, first, second])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", current + 2)
    open_database(str(path))
    assert ran == [current, current + 1]
    assert db.execute_sql("SELECT nickname FROM patient").fetchone()[0] == "Aninha"
    assert len(list(tmp_path.glob("*.bak"))) == 1  # one copy, before the first step


# --- default location ------------------------------------------------------------------------


def test_r3izzy_db_is_the_default_url(monkeypatch, tmp_path):
    target = str(tmp_path / "escolhido.db")
    monkeypatch.setenv("R3IZZY_DB", target)
    assert default_database_url() == target
    open_database()
    assert Path(target).exists()


def test_r3izzy_data_dir_holds_the_default_file(monkeypatch, tmp_path):
    folder = tmp_path / "dados"
    monkeypatch.delenv("R3IZZY_DB", raising=False)
    monkeypatch.setenv("R3IZZY_DATA_DIR", str(folder))
    assert default_database_url() == str(folder / "r3izzy.db")
    assert folder.is_dir()
    open_database()
    assert (folder / "r3izzy.db").exists()


def test_operations_need_an_open_database():
    close_database()
    with pytest.raises(DatabaseProblem):
        clinic.add_patient("Ana Souza")
