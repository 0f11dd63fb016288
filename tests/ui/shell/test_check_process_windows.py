"""The integrity check's child process as Windows starts it (ui/check_process.py): from
the windowed program no console window may flash, and the child runs below the window's
priority, as `os.nice` makes it elsewhere. The packaged windowed exe running its own
`check` is exercised by CI on the built program (build/windows/ci.sh, smoke stage)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from r3izzy_desktop.core import clinic
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.ui.shell import check_process
from r3izzy_desktop.ui.shell.check_process import CheckProcess


@pytest.fixture
def clinic_file(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("R3IZZY_DATA_DIR", str(tmp_path / "dados"))
    path = tmp_path / "Clínica São José" / "r3izzy.db"
    open_database(str(path))
    clinic.add_patient("Ana Souza")
    close_database()
    return path


@pytest.fixture
def started(monkeypatch) -> list[dict]:
    """The keyword arguments of every child the check starts (it still starts them)."""
    calls: list[dict] = []
    real_popen = subprocess.Popen

    def recording_popen(*args, **kwargs):
        calls.append(kwargs)
        return real_popen(*args, **kwargs)

    monkeypatch.setattr(check_process.subprocess, "Popen", recording_popen)
    return calls


def test_the_child_has_no_console_and_no_inherited_streams(clinic_file, started):
    assert CheckProcess(str(clinic_file)).run() == []
    (kwargs,) = started
    if sys.platform == "win32":
        assert kwargs["creationflags"] & subprocess.CREATE_NO_WINDOW
        assert kwargs["creationflags"] & subprocess.BELOW_NORMAL_PRIORITY_CLASS
    else:
        assert kwargs["creationflags"] == 0
    # A windowed parent has no console streams to pass on: the child gets its own.
    assert kwargs["stdin"] == kwargs["stdout"] == kwargs["stderr"] == subprocess.DEVNULL


def test_the_frozen_app_starts_itself_as_the_child(monkeypatch, tmp_path):
    exe = r"C:\Users\Usuário Recepção\AppData\Local\Programs\R3izzy Desktop\r3izzy-desktop.exe"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", exe)
    report = tmp_path / "problemas.json"
    assert check_process.child_command(report) == [exe, "check", "--json", str(report)]


@pytest.mark.skipif(
    sys.platform != "win32", reason="pythonw.exe, a windowed interpreter, is Windows'"
)
def test_a_windowed_interpreter_runs_the_check_without_a_console(clinic_file, monkeypatch):
    """pythonw.exe has no console and no standard streams, as the frozen windowed app."""
    pythonw = Path(sys.executable).with_name("pythonw.exe")
    if not pythonw.exists():
        pytest.skip(f"no pythonw.exe beside {sys.executable}")
    monkeypatch.setattr(check_process.sys, "executable", str(pythonw))
    assert CheckProcess(str(clinic_file)).run() == []
