"""The clinic's files where Windows puts them: a user folder with accents and spaces
(C:\\Users\\Usuário Recepção\\...), a path longer than Windows' old 260-character limit,
and a database on another drive than the data folder (its backups and log). Each place
takes the whole round: create, fill, the day's backup, a backup to a chosen file, a
restore, an Excel export, the integrity check, and the `check` command as the app's child
process runs it (the path in the environment) and as a user types it (`--db`)."""

from __future__ import annotations

import ctypes
import os
import string
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from r3izzy_desktop.core import backup, clinic, demo, integrity
from r3izzy_desktop.core.database import close_database, current_url, open_database
from r3izzy_desktop.core.reports import export
from r3izzy_desktop.core.store.models import Patient

ROOT = Path(__file__).resolve().parents[3]
USER_FOLDER = Path("Users", "Usuário Recepção", "Área de Trabalho", "Clínica São José & Cia")
# Six folders of 50 characters: well past 260 characters wherever the test folder is.
LONG_FOLDER = Path(
    *[f"pasta {n} com um nome bem comprido de clínica ção".ljust(50, "x") for n in range(6)]
)


def round_trip(db_path: Path, data_dir: Path, elsewhere: Path, monkeypatch) -> None:
    monkeypatch.setenv("R3IZZY_DATA_DIR", str(data_dir))
    open_database(str(db_path))
    try:
        demo.populate("small", seed=3)
        patients = Patient.select().count()

        day = backup.backup_at_start(str(db_path))
        assert day is not None and day.parent == data_dir / "backups" and day.exists()
        assert [b.path for b in backup.list_backups()] == [day]

        chosen = backup.backup_now(elsewhere / "Cópia de segurança" / "cópia de março.db")
        assert chosen.exists()
        clinic.add_patient("Depois da Cópia")
        result = backup.restore(chosen)
        assert result.database == db_path.resolve()
        assert Path(current_url()).resolve() == db_path.resolve()
        assert Patient.select().count() == patients

        (elsewhere / "Relatórios").mkdir(parents=True)  # a folder the user picks exists
        workbook = export.package_report_xlsx(
            elsewhere / "Relatórios" / "relatório de pacotes.xlsx", include_history=False
        )
        assert openpyxl.load_workbook(workbook, read_only=True)["Pacotes"]["A1"].value
        assert integrity.check() == []
    finally:
        close_database()

    env = {**os.environ, "R3IZZY_DATA_DIR": str(data_dir), "R3IZZY_DB": str(db_path)}
    for args in (["check"], ["check", "--db", str(db_path)]):
        child = subprocess.run(
            [sys.executable, "-m", "r3izzy_desktop", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=120,
        )
        assert child.returncode == 0, child.stderr
        assert child.stdout.strip().splitlines()[-1] == "OK"


def under_wine() -> bool:
    return sys.platform == "win32" and hasattr(ctypes.WinDLL("ntdll"), "wine_get_version")


def make_folder(path: Path) -> Path:
    try:
        path.mkdir(parents=True)
    except OSError as exc:
        if sys.platform == "win32" and len(str(path)) > 260:
            pytest.skip(f"this Windows refuses paths over 260 characters ({exc})")
        raise
    return path


def test_a_user_folder_with_accents_and_spaces(tmp_path, monkeypatch):
    home = make_folder(tmp_path / USER_FOLDER)
    round_trip(
        home / "Banco de Dados" / "clínica.db",
        home / "AppData" / "Local" / "R3izzy Desktop",
        home / "Documentos",
        monkeypatch,
    )


def test_a_path_longer_than_260_characters(tmp_path, monkeypatch):
    deep = make_folder(tmp_path / LONG_FOLDER)
    db_path = deep / "r3izzy.db"
    assert len(str(db_path)) > 300
    try:
        db_path.resolve()
    except OSError as exc:
        if under_wine() and getattr(exc, "winerror", None) == 234:
            pytest.skip(
                "Wine 8's GetFinalPathNameByHandleW fails over 260 characters (WinError 234), "
                "so Path.resolve() does; Windows with long paths enabled does not"
            )
        raise
    round_trip(db_path, deep / "dados", deep / "exportações", monkeypatch)


@pytest.fixture
def other_drive(tmp_path):
    """A folder on another drive: R3IZZY_TEST_OTHER_DRIVE when set (CI maps a drive letter
    of the Wine prefix for it), else a drive letter of its own for a temporary folder
    (what `subst R: folder` does, no admin needed), removed afterwards."""
    given = os.environ.get("R3IZZY_TEST_OTHER_DRIVE")
    if given:
        folder = Path(given) / f"teste-{os.getpid()}-{tmp_path.name}"
        folder.mkdir(parents=True)
        yield folder
        return
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    used = kernel32.GetLogicalDrives()
    free = [c for i, c in enumerate(string.ascii_uppercase) if i >= 3 and not used & (1 << i)]
    assert free, "no free drive letter"
    letter = f"{free[-1]}:"
    target = tmp_path / "unidade"
    target.mkdir()
    if not kernel32.DefineDosDeviceW(0, letter, str(target)):
        raise ctypes.WinError(ctypes.get_last_error())
    try:
        if not Path(f"{letter}\\").is_dir():
            pytest.skip(f"DefineDosDevice made {letter} but it does not open (Wine 8)")
        yield Path(f"{letter}\\")
    finally:
        kernel32.DefineDosDeviceW(2, letter, str(target))  # DDD_REMOVE_DEFINITION


@pytest.mark.skipif(sys.platform != "win32", reason="drive letters exist only on Windows")
def test_a_database_on_another_drive_than_its_backups(other_drive, tmp_path, monkeypatch):
    db_path = other_drive / "Clínica" / "r3izzy.db"
    assert db_path.drive.upper() != Path(tmp_path).drive.upper()
    round_trip(db_path, tmp_path / "dados", other_drive / "Documentos", monkeypatch)
