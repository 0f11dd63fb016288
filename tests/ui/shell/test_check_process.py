"""The start-up integrity check runs in a process of its own (ui/check_process.py): it
reports what the in-process check finds, closing the app stops it at once, and a child
that cannot run falls back to checking in the calling thread."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from r3izzy_desktop.core import clinic, integrity, packages
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.errors import DomainError
from r3izzy_desktop.core.store.sqlite import sqlite3
from r3izzy_desktop.ui.shell import check_process
from r3izzy_desktop.ui.shell.check_process import CheckProcess, CheckStopped


@pytest.fixture
def broken_clinic(tmp_path, monkeypatch) -> Path:
    """A clinic file with one package whose figures disagree with its debits."""
    monkeypatch.setenv("R3IZZY_DATA_DIR", str(tmp_path / "dados"))
    path = tmp_path / "clinica.db"
    open_database(str(path))
    ana = clinic.add_patient("Ana Souza")
    packages.create_package(ana, sessions=4, total=Decimal("1000.00"), paid_on=date(2025, 5, 2))
    close_database()
    with sqlite3.connect(path) as con:
        con.execute("UPDATE package SET sessions_used = 2")
    return path


def test_the_child_reports_what_the_check_finds(broken_clinic):
    found = CheckProcess(str(broken_clinic)).run()
    open_database(str(broken_clinic), create=False)
    try:
        assert found == [str(problem) for problem in integrity.check()]
    finally:
        close_database()
    assert found and "sessões usadas" in found[0]


def test_the_check_command_writes_the_list_for_the_app(broken_clinic, tmp_path):
    report = tmp_path / "lista.json"
    command = [sys.executable, "-m", "r3izzy_desktop", "check", "--db", str(broken_clinic)]
    done = subprocess.run(
        [*command, "--json", str(report)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert len(json.loads(report.read_text(encoding="utf-8"))) >= 1


def test_stopping_ends_the_child_and_reports_nothing(broken_clinic, monkeypatch):
    monkeypatch.setattr(
        check_process,
        "child_command",
        lambda report: [sys.executable, "-c", "import time; time.sleep(60)"],
    )
    check = CheckProcess(str(broken_clinic))
    outcome: list = []

    def work():
        try:
            outcome.append(check.run())
        except CheckStopped:
            outcome.append("stopped")

    worker = threading.Thread(target=work)
    worker.start()
    while check._process is None:
        worker.join(0.02)
    check.stop()
    worker.join(30)
    assert not worker.is_alive()
    assert outcome == ["stopped"]
    assert check._process.poll() is not None


def test_a_child_that_cannot_start_falls_back_to_checking_here(broken_clinic, monkeypatch):
    monkeypatch.setattr(
        check_process, "child_command", lambda report: [str(broken_clinic.parent / "nada")]
    )
    open_database(str(broken_clinic), create=False)
    try:
        found = CheckProcess(str(broken_clinic)).run()
        assert found == [str(problem) for problem in integrity.check()]
        assert found
    finally:
        close_database()


def test_a_child_that_fails_is_reported_not_run_again_here(broken_clinic, monkeypatch):
    monkeypatch.setattr(
        check_process, "child_command", lambda report: [sys.executable, "-c", "raise SystemExit(2)"]
    )
    monkeypatch.setattr(
        CheckProcess, "_run_here", lambda self: pytest.fail("the check ran in the app")
    )
    with pytest.raises(DomainError, match="código 2"):
        CheckProcess(str(broken_clinic)).run()


def test_closing_the_app_stops_the_check_at_once(qtbot, broken_clinic, monkeypatch):
    from r3izzy_desktop.ui.shell import app as app_module

    monkeypatch.setattr(app_module, "install_excepthook", lambda *a, **k: None)
    monkeypatch.setattr(
        check_process,
        "child_command",
        lambda report: [sys.executable, "-c", "import time; time.sleep(60)"],
    )
    session = app_module.start(str(broken_clinic))
    try:
        qtbot.waitUntil(lambda: bool(session.checks), timeout=20_000)
        [check] = session.checks
        qtbot.waitUntil(lambda: check._process is not None, timeout=20_000)
        session.closing()  # what quitting runs
        assert check._process.poll() is not None  # ended, not waited for
        assert not session.checks_running()
        assert session.notice is None
    finally:
        session.window.close()
        app_module.QApplication.instance()._r3izzy_session = None
        close_database()


def test_the_checks_wait_for_the_window_and_skip_when_closed_first(
    qtbot, broken_clinic, monkeypatch
):
    """The day's backup and the check begin a moment after the window shows; an app
    closed before that does neither (its closing backup is enough)."""
    from r3izzy_desktop.core import backup
    from r3izzy_desktop.ui.shell import app as app_module

    monkeypatch.setattr(app_module, "install_excepthook", lambda *a, **k: None)
    session = app_module.start(str(broken_clinic))
    try:
        assert session.checks == []  # not yet: the window comes first
        session.closing()
        qtbot.wait(int(app_module.CHECKS_DELAY_S * 1000) + 300)
        assert session.checks == [] and session.checks_job is None
        assert [b.reason for b in backup.list_backups(str(broken_clinic))] == [backup.AT_CLOSE]
    finally:
        session.window.close()
        app_module.QApplication.instance()._r3izzy_session = None
        close_database()
