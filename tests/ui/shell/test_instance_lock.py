"""One running copy of the app per database file (ui/instance_lock.py): a second copy is
refused with a message, a copy that crashed does not lock the clinic out, and the same
copy may open new windows on its database. The other copy is a real second process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.ui.common import messages
from r3izzy_desktop.ui.shell import app as app_module
from r3izzy_desktop.ui.shell import instance_lock

ROOT = Path(__file__).resolve().parents[3]

# A second copy of the app, reduced to its lock: takes it, says so, keeps it until told
# (a line on stdin), or leaves without letting go, as a crash would.
OTHER_COPY = """
import os, sys
from r3izzy_desktop.ui.shell import instance_lock
taken = instance_lock.acquire(sys.argv[1])
print("taken" if taken else "refused", flush=True)
if taken and sys.argv[2] == "crash":
    os._exit(0)
if taken:
    sys.stdin.readline()
    instance_lock.release(sys.argv[1])
"""


def other_copy(db: Path, how: str = "hold") -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", OTHER_COPY, str(db), how],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    return child


def answer(child: subprocess.Popen) -> str:
    return child.stdout.readline().strip()


def stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.stdin.write("\n")
        child.stdin.flush()
    child.wait(60)


@pytest.fixture
def clinic_db(tmp_path) -> Path:
    path = tmp_path / "Clínica São José" / "r3izzy.db"
    open_database(str(path))
    close_database()
    yield path
    instance_lock.release_all()


def test_a_second_copy_on_the_same_database_is_refused(clinic_db):
    assert instance_lock.acquire(str(clinic_db))
    assert instance_lock.lock_file(str(clinic_db)).exists()
    child = other_copy(clinic_db)
    try:
        assert answer(child) == "refused"
    finally:
        stop(child)
    instance_lock.release(str(clinic_db))
    assert not instance_lock.lock_file(str(clinic_db)).exists()
    child = other_copy(clinic_db)
    try:
        assert answer(child) == "taken"
    finally:
        stop(child)


def test_a_copy_on_another_database_is_not_refused(clinic_db, tmp_path):
    assert instance_lock.acquire(str(clinic_db))
    other = tmp_path / "outra.db"
    child = other_copy(other)
    try:
        assert answer(child) == "taken"
    finally:
        stop(child)


def test_a_copy_that_crashed_does_not_lock_the_clinic_out(clinic_db):
    child = other_copy(clinic_db, "crash")
    assert answer(child) == "taken"
    child.wait(60)
    assert instance_lock.lock_file(str(clinic_db)).exists()  # left behind
    assert instance_lock.acquire(str(clinic_db))


def test_the_same_copy_may_open_its_database_again(clinic_db):
    assert instance_lock.acquire(str(clinic_db))
    assert instance_lock.acquire(str(clinic_db))


def test_databases_that_need_no_lock(tmp_path):
    assert instance_lock.lock_file(":memory:") is None
    assert instance_lock.lock_file("postgresql://r3izzy@192.168.0.10/r3izzy") is None
    assert instance_lock.acquire("postgresql://r3izzy@192.168.0.10/r3izzy")


def test_start_refuses_a_database_another_copy_has_open(qtbot, clinic_db, monkeypatch):
    monkeypatch.setenv("R3IZZY_DATA_DIR", str(clinic_db.parent / "dados"))
    monkeypatch.setattr(app_module, "install_excepthook", lambda *a, **k: None)
    shown = []
    monkeypatch.setattr(messages, "show_error", lambda parent, text, title=None: shown.append(text))
    child = other_copy(clinic_db)
    try:
        assert answer(child) == "taken"
        assert app_module.start(str(clinic_db)) is None
    finally:
        stop(child)
        close_database()
    (text,) = shown
    assert "já está aberto com este banco de dados" in text and str(clinic_db) in text
    assert app_module.current_session() is None


def test_the_app_holds_the_lock_while_it_runs_and_lets_go_when_it_quits(
    qtbot, clinic_db, monkeypatch
):
    monkeypatch.setenv("R3IZZY_DATA_DIR", str(clinic_db.parent / "dados"))
    monkeypatch.setattr(app_module, "install_excepthook", lambda *a, **k: None)
    session = app_module.start(str(clinic_db))
    try:
        assert session is not None
        child = other_copy(clinic_db)
        try:
            assert answer(child) == "refused"
        finally:
            stop(child)
    finally:
        session.finish_checks()
        session.window.close()
        app_module.QApplication.instance()._r3izzy_session = None
        close_database()
    instance_lock.release_all()  # what the app does when it quits (aboutToQuit)
    assert not instance_lock.lock_file(str(clinic_db)).exists()
    assert os.listdir(clinic_db.parent).count("r3izzy.db.lock") == 0
