"""The command line at start-up: every bad database is a clear Portuguese message and an
exit code, never a traceback and never a new empty database; `backup --out` and `restore`
round-trip the data; a PostgreSQL database is pointed to pg_dump."""

from __future__ import annotations

import ctypes
import functools
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from r3izzy_desktop import cli
from r3izzy_desktop.core import clinic, database, packages
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.errors import DatabaseProblem
from r3izzy_desktop.core.store.models import ALL_MODELS
from r3izzy_desktop.core.store.sqlite import sqlite3

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("R3IZZY_DATA_DIR", str(tmp_path / "dados"))
    monkeypatch.delenv("R3IZZY_DB", raising=False)
    yield
    close_database()


@pytest.fixture
def clinic_db(tmp_path) -> Path:
    path = tmp_path / "r3izzy.db"
    open_database(str(path))
    ana = clinic.add_patient("Ana Souza")
    packages.create_package(ana, sessions=4, total=Decimal("1000.00"), paid_on=date(2025, 5, 2))
    close_database()
    return path


def dump(path: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(path)
    try:
        return {
            m._meta.table_name: con.execute(
                f'SELECT * FROM "{m._meta.table_name}" ORDER BY 1'
            ).fetchall()
            for m in ALL_MODELS
        }
    finally:
        con.close()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def damage_header(path: Path) -> None:
    path.write_bytes(b"isto nao e um banco " * 50)


def damage_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[100:] = b"\x13\x37" * ((len(data) - 100) // 2)
    path.write_bytes(bytes(data))


def make_newer(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("UPDATE schema_version SET version = 99")
    con.commit()
    con.close()  # the last connection checkpoints: the whole database is in the file


@pytest.mark.parametrize(
    "spoil, kind, words",
    [
        (damage_header, "damaged", "danificado"),
        (damage_pages, "damaged", "danificado"),
        (make_newer, "newer", "versão mais nova"),
        (lambda p: p.unlink(), "missing", "não foi encontrado"),
    ],
    ids=["damaged-header", "damaged-pages", "newer", "missing"],
)
def test_bad_database_is_told_and_left_alone(capsys, clinic_db, spoil, kind, words):
    spoil(clinic_db)
    before = clinic_db.read_bytes() if clinic_db.exists() else None

    with pytest.raises(DatabaseProblem) as caught:
        open_database(str(clinic_db), create=False)
    assert caught.value.kind == kind

    code, out, err = run(capsys, "check", "--db", str(clinic_db))
    assert code == 2 and out == ""
    assert err.startswith("Erro: ") and words in err and "Traceback" not in err
    assert (clinic_db.read_bytes() if clinic_db.exists() else None) == before


def test_locked_database(capsys, clinic_db, monkeypatch):
    monkeypatch.setattr(
        database, "open_database", functools.partial(database.open_database, busy_timeout=0.3)
    )
    holder = sqlite3.connect(clinic_db, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")  # a WAL reader would not wait: a real lock
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseProblem) as caught:
            database.open_database(str(clinic_db), create=False)
        assert caught.value.kind == "locked"
        code, _out, err = run(capsys, "check", "--db", str(clinic_db))
        assert code == 2 and "bloqueado por outro programa" in err
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert run(capsys, "check", "--db", str(clinic_db))[:2] == (0, "OK\n")


def _without_root_file_override() -> None:
    """In the child: root without CAP_DAC_OVERRIDE obeys file permissions like anyone."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.mark.skipif(sys.platform == "win32", reason="chmod read-only is POSIX")
def test_read_only_database_by_chmod(clinic_db, tmp_path):
    """chmod the file and its folder read-only; the program is run in a child process so
    that, when the tests run as root, the child can drop root's right to write anyway."""
    folder = clinic_db.parent
    for suffix in ("-wal", "-shm"):
        Path(f"{clinic_db}{suffix}").unlink(missing_ok=True)
    clinic_db.chmod(0o444)
    folder.chmod(0o555)
    before = clinic_db.read_bytes()
    env = {**os.environ, "R3IZZY_DATA_DIR": str(tmp_path / "dados-filho")}
    (tmp_path / "dados-filho").mkdir()
    probe = (
        "import sys\n"
        "from r3izzy_desktop.core.database import open_database\n"
        "from r3izzy_desktop.core.errors import DatabaseProblem\n"
        "try:\n"
        "    open_database(sys.argv[1], create=False)\n"
        "except DatabaseProblem as exc:\n"
        "    print(exc.kind)\n"
    )
    child = functools.partial(
        subprocess.run,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=_without_root_file_override if os.geteuid() == 0 else None,
    )
    try:
        kind = child([sys.executable, "-c", probe, str(clinic_db)])
        check = child([sys.executable, "-m", "r3izzy_desktop", "check", "--db", str(clinic_db)])
    finally:
        folder.chmod(0o755)
        clinic_db.chmod(0o644)
    assert kind.stdout.strip() == "readonly", kind.stderr
    assert check.returncode == 2 and "somente leitura" in check.stderr
    assert "Traceback" not in check.stderr
    assert clinic_db.read_bytes() == before


# --- backup and restore from the command line --------------------------------------------


def test_backup_and_restore_round_trip(capsys, clinic_db, tmp_path):
    saved = tmp_path / "pendrive" / "backup.db"
    code, out, _err = run(capsys, "backup", "--out", str(saved), "--db", str(clinic_db))
    assert (
        code == 0
        and f"Backup gravado em {saved}" in out
        and "1 paciente, 1 pacote, 0 sessões." in out
    )
    at_backup = dump(saved)

    open_database(str(clinic_db))
    clinic.add_patient("Bruno Depois")
    close_database()
    assert dump(clinic_db) != at_backup

    code, out, _err = run(capsys, "restore", str(saved), "--db", str(clinic_db))
    assert code == 0 and "Backup restaurado" in out
    assert dump(clinic_db) == at_backup
    safety = Path(out.split("O banco anterior foi guardado em ")[1].strip())
    assert "Bruno Depois" in str(dump(safety)["patient"])


def test_restore_refuses_a_bad_file(capsys, clinic_db, tmp_path):
    bad = tmp_path / "planilha.db"
    bad.write_text("nome;telefone\n")
    before = dump(clinic_db)
    code, out, err = run(capsys, "restore", str(bad), "--db", str(clinic_db))
    assert code == 2 and out == ""
    assert "não é um backup válido" in err and "Traceback" not in err
    assert dump(clinic_db) == before


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_postgres_is_pointed_to_pg_dump(capsys, tmp_path, command):
    url = "postgresql://clinica:segredo@127.0.0.1:5432/r3izzy"
    argv = (
        ["backup", "--out", str(tmp_path / "x.db")]
        if command == "backup"
        else [
            "restore",
            str(tmp_path / "x.db"),
        ]
    )
    code, _out, err = run(capsys, *argv, "--db", url)
    assert code == 2 and "pg_dump" in err and "segredo" not in err
