"""Backups: the online copy, validation, a restore round trip compared row by row, the
rotation rule and the automatic backups of each day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from r3izzy_desktop.core import agenda, backup, clinic, database, demo, integrity, packages
from r3izzy_desktop.core.backup import AT_CLOSE, AT_START, BEFORE_RESTORE, BackupError, BackupFile
from r3izzy_desktop.core.database import close_database, current_url, open_database
from r3izzy_desktop.core.store import migrations
from r3izzy_desktop.core.store.models import ALL_MODELS, Patient
from r3izzy_desktop.core.store.sqlite import sqlite3


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    con = sqlite3.connect(path)
    try:
        return {
            model._meta.table_name: con.execute(
                f'SELECT * FROM "{model._meta.table_name}" ORDER BY 1'
            ).fetchall()
            for model in ALL_MODELS
        }
    finally:
        con.close()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "dados"
    monkeypatch.setenv("R3IZZY_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def clinic_db(tmp_path, data_dir):
    path = tmp_path / "clinica" / "r3izzy.db"
    open_database(str(path))
    demo.populate("small", seed=11)
    yield path
    close_database()


def change_everything() -> None:
    """Changes in several tables after the backup, so a restore has something to undo."""
    ana = clinic.add_patient("Paciente Depois do Backup")
    service = clinic.add_service("Serviço Novo", price=Decimal("100.00"))
    sessions = [agenda.schedule(ana, service, datetime(2025, 6, d, 10)) for d in (2, 3)]
    package = packages.create_package(
        ana, sessions=2, total=Decimal("200.00"), paid_on=date(2025, 6, 1)
    )
    packages.pay_sessions(package, sessions)
    clinic.update_patient(Patient.select().order_by(Patient.id).first(), name="Nome Mudado")


def test_backup_restore_round_trip_row_by_row(clinic_db, tmp_path):
    saved = tmp_path / "pendrive" / "backup.db"
    assert backup.backup_now(saved) == saved.resolve()
    at_backup = dump(clinic_db)
    assert dump(saved) == at_backup

    change_everything()
    close_database()  # flush the WAL so the raw read below sees everything
    open_database(str(clinic_db), create=False)
    before_restore = dump(clinic_db)
    assert before_restore != at_backup

    result = backup.restore(saved)

    assert dump(clinic_db) == at_backup
    assert result.info.packages == len(at_backup["package"])
    assert result.safety_copy is not None and result.safety_copy.parent == backup.backups_dir()
    assert BEFORE_RESTORE in result.safety_copy.name
    assert dump(result.safety_copy) == before_restore
    # The restored database is open and consistent.
    assert Path(current_url()).resolve() == clinic_db.resolve()
    assert Patient.select().count() == len(at_backup["patient"])
    assert integrity.check() == []
    assert not list(clinic_db.parent.glob("*.restaurando*"))


def test_backup_is_one_consistent_moment(clinic_db, tmp_path):
    """A transaction still open elsewhere is not in the copy; what was committed is."""
    other = sqlite3.connect(clinic_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO setting (key, value) VALUES ('no_meio', 'x')")
    try:
        copy = backup.backup_now(tmp_path / "durante.db")
    finally:
        other.execute("ROLLBACK")
        other.close()
    with sqlite3.connect(copy) as con:
        assert con.execute("SELECT count(*) FROM setting WHERE key='no_meio'").fetchone() == (0,)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_backup_to_the_database_itself_is_refused(clinic_db):
    with pytest.raises(BackupError):
        backup.backup_now(clinic_db)


def test_postgres_says_to_use_pg_dump(tmp_path):
    url = "postgresql://postgres@127.0.0.1:5432/test"
    with pytest.raises(BackupError, match="pg_dump"):
        backup.backup_now(tmp_path / "x.db", url)
    with pytest.raises(BackupError, match="pg_dump"):
        backup.restore(tmp_path / "x.db", url)


def test_in_memory_database_has_nothing_to_copy(db, tmp_path):
    with pytest.raises(BackupError, match="temporário"):
        backup.backup_now(tmp_path / "x.db")


# --- validation --------------------------------------------------------------------------


@pytest.fixture
def good_backup(clinic_db, tmp_path) -> Path:
    return backup.backup_now(tmp_path / "bom.db")


def damage(path: Path) -> None:
    """Overwrite pages in the middle of the file: the header stays, the b-trees break."""
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(2 * page, len(data) - page, 3 * page):
        data[start + 8 : start + 600] = b"\xa5" * 592
    path.write_bytes(bytes(data))


def test_validate_accepts_a_backup(good_backup):
    info = backup.validate(good_backup)
    assert info.schema_version == migrations.SCHEMA_VERSION
    assert info.patients > 0 and info.packages > 0 and info.sessions > 0


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda p: p.write_text("planilha de pacientes"), "não é um banco de dados SQLite"),
        (damage, "danificado"),
        (lambda p: p.unlink(), "não foi encontrado"),
    ],
    ids=["text-file", "damaged", "missing"],
)
def test_validate_refuses_bad_files(good_backup, spoil, message):
    spoil(good_backup)
    with pytest.raises(BackupError, match=message):
        backup.validate(good_backup)


def test_validate_refuses_another_programs_database(tmp_path):
    other = tmp_path / "outro.db"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE contatos (nome TEXT)")
    with pytest.raises(BackupError, match="tabelas do R3izzy"):
        backup.validate(other)


def test_validate_refuses_a_newer_backup(good_backup):
    with sqlite3.connect(good_backup) as con:
        con.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(BackupError, match="versão mais nova"):
        backup.validate(good_backup)


def test_refused_restore_changes_nothing(clinic_db, good_backup):
    before = dump(clinic_db)
    damage(good_backup)
    with pytest.raises(BackupError):
        backup.restore(good_backup)
    assert dump(clinic_db) == before
    assert Path(current_url()).resolve() == clinic_db.resolve()
    assert not list(backup.backups_dir().glob(f"*{BEFORE_RESTORE}*"))
    assert not list(clinic_db.parent.glob("*.restaurando*"))


def test_restore_waits_for_a_locked_database_then_gives_up(clinic_db, good_backup, monkeypatch):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.2)
    close_database()
    before = dump(clinic_db)
    holder = sqlite3.connect(clinic_db, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")  # WAL readers never block: use a real lock
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(BackupError, match=r"bloqueado|em uso"):
            backup.restore(good_backup, str(clinic_db))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert dump(clinic_db) == before


def test_restore_over_a_damaged_database_sets_it_aside(clinic_db, good_backup):
    close_database()
    expected = dump(good_backup)
    damage_text = b"isto nao e um banco de dados" * 100
    clinic_db.write_bytes(damage_text)
    result = backup.restore(good_backup, str(clinic_db))
    assert result.safety_copy is None
    assert result.set_aside is not None and result.set_aside.read_bytes() == damage_text
    assert dump(clinic_db) == expected


def test_restore_into_a_missing_database(clinic_db, good_backup):
    close_database()
    expected = dump(good_backup)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{clinic_db}{suffix}").unlink(missing_ok=True)
    result = backup.restore(good_backup, str(clinic_db))
    assert result.set_aside is None and result.safety_copy is None
    assert dump(clinic_db) == expected
    assert current_url() is None  # it was not open; the caller opens it


def test_restoring_an_older_schema_migrates_it(clinic_db, tmp_path):
    old = backup.backup_now(tmp_path / "antigo.db")
    with sqlite3.connect(old) as con:
        con.execute("DROP INDEX package_paid_on")
        con.execute("UPDATE schema_version SET version = 1")
    backup.restore(old)
    database_now = database.current_database()
    assert database_now.execute_sql("SELECT version FROM schema_version").fetchone() == (
        migrations.SCHEMA_VERSION,
    )
    assert list(clinic_db.parent.glob("r3izzy.db.v1-*.bak"))


# --- automatic backups and rotation ------------------------------------------------------


def fake(day: date, hour: int, reason: str = AT_CLOSE) -> BackupFile:
    at = datetime.combine(day, datetime.min.time()).replace(hour=hour)
    return BackupFile(Path(f"r3izzy-{at:%Y-%m-%d_%H%M%S}-{reason}.db"), at, reason, 1)


def test_rotation_keeps_14_days_then_8_weeks():
    today = date(2025, 6, 30)
    backups = [
        fake(today - timedelta(days=n), hour, reason)
        for n in range(200)
        for hour, reason in ((8, AT_START), (19, AT_CLOSE))
    ]
    removed = set(backup.backups_to_remove(backups))
    kept = [b for b in backups if b not in removed]
    daily = [b for b in kept if b.made_at.date() > today - timedelta(days=14)]
    weekly = [b for b in kept if b not in daily]
    assert [b.made_at for b in daily] == [
        datetime.combine(today - timedelta(days=n), datetime.min.time()).replace(hour=19)
        for n in range(14)
    ]
    assert len(weekly) == 8
    assert len({b.made_at.isocalendar()[:2] for b in weekly}) == 8
    oldest_daily = today - timedelta(days=13)
    assert all(b.made_at.date() < oldest_daily for b in weekly)
    # Each weekly one is the newest of its week.
    for kept_one in weekly:
        week = kept_one.made_at.isocalendar()[:2]
        same_week = [
            b
            for b in backups
            if b.made_at.isocalendar()[:2] == week and b.made_at.date() < oldest_daily
        ]
        assert kept_one.made_at == max(b.made_at for b in same_week)


def test_rotation_keeps_copies_before_restore_apart():
    today = date(2025, 6, 30)
    backups = [fake(today, 9, BEFORE_RESTORE)] + [fake(today, 10 + n) for n in range(5)]
    backups += [fake(today - timedelta(days=n), 9, BEFORE_RESTORE) for n in range(1, 15)]
    removed = backup.backups_to_remove(backups)
    assert fake(today, 9, BEFORE_RESTORE) not in removed
    assert fake(today, 14) not in removed  # the newest of today
    kept_before = [b for b in backups if b.reason == BEFORE_RESTORE and b not in removed]
    assert len(kept_before) == backup.KEEP_BEFORE_RESTORE


def test_first_start_of_the_day_backs_up_once(clinic_db):
    morning = datetime(2025, 6, 2, 8, 0)
    first = backup.backup_at_start(now=morning)
    assert first is not None and first.exists() and AT_START in first.name
    assert backup.backup_at_start(now=morning + timedelta(hours=3)) is None
    assert backup.backup_at_start(now=morning + timedelta(days=1)) is not None
    assert dump(first) == dump(clinic_db)


def test_closing_backups_rotate_on_disk(clinic_db):
    start = datetime(2025, 1, 1, 18, 0)
    for n in range(40):
        backup.backup_at_close(now=start + timedelta(days=n))
    files = backup.list_backups()
    assert len(files) == backup.KEEP_DAILY + 4  # 26 older days fall into 4 ISO weeks
    assert files[0].made_at == start + timedelta(days=39)
    assert len(list(backup.backups_dir().glob("*.db"))) == len(files)
