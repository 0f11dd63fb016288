"""Start-up that never makes things worse: every bad database gets the problem dialog
(its `ask` seam patched here), never a traceback and never a new empty database in its
place; what the user chooses is done; the day's backup and the integrity check run after
the window shows, off the UI thread."""

from __future__ import annotations

import functools
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from r3izzy_desktop.core import backup, clinic, database, packages
from r3izzy_desktop.core.database import close_database, current_url, open_database
from r3izzy_desktop.core.store.sqlite import sqlite3
from r3izzy_desktop.ui.common import profiles
from r3izzy_desktop.ui.settings import backup_dialogs
from r3izzy_desktop.ui.shell import app as app_module
from r3izzy_desktop.ui.shell import startup
from r3izzy_desktop.ui.shell.startup import (
    OPEN_OTHER,
    QUIT,
    RESTORE,
    RETRY,
    DatabaseProblemDialog,
    IntegrityNotice,
)

INSTALL_EXCEPTHOOK = app_module.install_excepthook


@pytest.fixture(autouse=True)
def data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("R3IZZY_DATA_DIR", str(tmp_path / "dados"))
    monkeypatch.delenv("R3IZZY_DB", raising=False)
    # The app's own hooks would replace pytest-qt's exception capture.
    monkeypatch.setattr(app_module, "install_excepthook", lambda *a, **k: None)
    # A locked database is reported after a short wait here (the app waits 15 s).
    monkeypatch.setattr(
        database, "open_database", functools.partial(database.open_database, busy_timeout=0.3)
    )
    yield
    session = app_module.current_session()
    if session is not None:
        session.finish_checks()
        if session.window is not None:
            session.window.close()
        app_module.QApplication.instance()._r3izzy_session = None
    close_database()


class AskRecorder:
    """Stands in for DatabaseProblemDialog.ask: records each problem, answers in turn."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.problems = []

    def __call__(self, parent, problem):
        self.problems.append(problem)
        answer = self.answers.pop(0)
        return answer() if callable(answer) else answer

    @property
    def kinds(self):
        return [p.kind for p in self.problems]


@pytest.fixture
def ask(monkeypatch):
    def install(*answers) -> AskRecorder:
        recorder = AskRecorder(*answers)
        monkeypatch.setattr(DatabaseProblemDialog, "ask", recorder)
        return recorder

    return install


def make_clinic(path: Path) -> Path:
    open_database(str(path))
    ana = clinic.add_patient("Ana Souza")
    packages.create_package(ana, sessions=4, total=Decimal("1000.00"), paid_on=date(2025, 5, 2))
    close_database()
    return path


def lock(path: Path) -> sqlite3.Connection:
    """Another program holding an exclusive lock (rollback journal, so readers wait too)."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def damage_header(path: Path) -> None:
    path.write_bytes(b"planilha antiga " * 64)


def damage_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[100:] = b"\x00\xff" * ((len(data) - 100) // 2)
    path.write_bytes(bytes(data))


def make_newer(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("UPDATE schema_version SET version = 99")
    con.commit()
    con.close()  # the last connection checkpoints: the whole database is in the file


def fake_readonly(monkeypatch, path: Path) -> None:
    """What the OS says of a file without write permission (the tests run as root, which
    may write anything; tests/core/store/test_startup_cli.py checks the real chmod)."""
    real = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode, **kw: False if Path(p) == path and mode == os.W_OK else real(p, mode),
    )


@pytest.mark.parametrize(
    "spoil, kind",
    [
        (damage_header, "damaged"),
        (damage_pages, "damaged"),
        (make_newer, "newer"),
        (lambda p: p.unlink(), "missing"),
    ],
    ids=["damaged-header", "damaged-pages", "newer", "missing"],
)
def test_bad_database_gets_the_dialog_and_quit_leaves_it_alone(tmp_path, ask, spoil, kind):
    path = make_clinic(tmp_path / "r3izzy.db")
    spoil(path)
    before = path.read_bytes() if path.exists() else None
    recorder = ask(QUIT)

    assert startup.open_with_recovery(str(path), create=False) is None

    assert recorder.kinds == [kind]
    assert str(recorder.problems[0])  # a message in words, for the dialog
    assert (path.read_bytes() if path.exists() else None) == before  # never replaced
    assert current_url() is None


def test_locked_database_then_retry_when_released(tmp_path, ask):
    path = make_clinic(tmp_path / "r3izzy.db")
    holder = lock(path)

    def release_and_retry():
        holder.execute("ROLLBACK")
        holder.close()
        return RETRY

    recorder = ask(release_and_retry)
    assert startup.open_with_recovery(str(path), create=False) == str(path)
    assert recorder.kinds == ["locked"]
    assert [p.name for p in clinic.find_patients("")] == ["Ana Souza"]


def test_readonly_database(tmp_path, ask, monkeypatch):
    path = make_clinic(tmp_path / "r3izzy.db")
    fake_readonly(monkeypatch, path)
    recorder = ask(QUIT)
    assert startup.open_with_recovery(str(path), create=False) is None
    assert recorder.kinds == ["readonly"]


def test_open_another_file(tmp_path, ask, monkeypatch):
    missing = tmp_path / "pendrive" / "r3izzy.db"
    other = make_clinic(tmp_path / "outra-pasta" / "r3izzy.db")
    ask(OPEN_OTHER)
    monkeypatch.setattr(backup_dialogs, "choose_database_file", lambda parent, folder: other)
    assert startup.open_with_recovery(str(missing), create=False) == str(other.resolve())
    assert not missing.exists()
    assert Path(current_url()).resolve() == other.resolve()


def test_cancelled_file_choice_asks_again(tmp_path, ask, monkeypatch):
    missing = tmp_path / "r3izzy.db"
    recorder = ask(OPEN_OTHER, QUIT)
    monkeypatch.setattr(backup_dialogs, "choose_database_file", lambda parent, folder: None)
    assert startup.open_with_recovery(str(missing), create=False) is None
    assert recorder.kinds == ["missing", "missing"]


def test_restore_a_backup_over_a_damaged_database(tmp_path, ask, monkeypatch, dialogs):
    path = make_clinic(tmp_path / "r3izzy.db")
    saved = backup.backup_now(tmp_path / "backup.db", str(path))
    damage_header(path)
    ask(RESTORE)
    offered = []
    monkeypatch.setattr(
        backup_dialogs.ChooseBackupDialog,
        "ask",
        lambda parent, backups, folder: offered.append(backups) or saved,
    )
    dialogs.answers = [True]  # "Restaurar o backup…?"

    assert startup.open_with_recovery(str(path), create=False) == str(path)

    assert dialogs.asked[0][0] == "Restaurar backup"
    assert "1 paciente, 1 pacote e" in dialogs.asked[0][1]
    assert dialogs.told[0][0] == "Backup restaurado"
    assert [p.name for p in clinic.find_patients("")] == ["Ana Souza"]
    aside = list(tmp_path.glob("r3izzy.db.danificado-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"planilha antiga")


def test_declined_restore_changes_nothing(tmp_path, ask, monkeypatch, dialogs):
    path = make_clinic(tmp_path / "r3izzy.db")
    saved = backup.backup_now(tmp_path / "backup.db", str(path))
    make_newer(path)
    before = path.read_bytes()
    ask(RESTORE, QUIT)
    monkeypatch.setattr(backup_dialogs.ChooseBackupDialog, "ask", lambda *a: saved)
    dialogs.answers = [False]
    assert startup.open_with_recovery(str(path), create=False) is None
    assert path.read_bytes() == before


def test_the_dialog_says_what_happened_and_offers_what_can_be_done(qtbot, tmp_path):
    from r3izzy_desktop.core.errors import DatabaseProblem

    problem = DatabaseProblem("O arquivo do banco de dados não foi encontrado", "missing", "/x")
    dialog = DatabaseProblemDialog(problem)
    qtbot.addWidget(dialog)
    assert dialog.headline.text() == "O banco de dados não foi encontrado"
    assert "não foi encontrado" in dialog.details.text()
    texts = [b.text() for b in dialog.buttons.values() if not b.isHidden()]
    assert texts == ["Tentar novamente", "Abrir outro arquivo…", "Restaurar backup…", "Sair"]
    dialog.buttons[RESTORE].click()
    assert dialog.choice == RESTORE

    server = DatabaseProblemDialog(DatabaseProblem("servidor fora do ar", "connection"))
    qtbot.addWidget(server)
    assert server.buttons[RESTORE].isHidden()  # backups are for SQLite files
    server.reject()  # Esc / closing the window
    assert server.choice == QUIT


# --- the whole start-up ------------------------------------------------------------------


def test_first_run_creates_then_a_missing_database_is_never_recreated(qtbot, ask):
    session = app_module.start()
    assert session is not None
    path = Path(session.url)
    assert path == database.data_dir() / "r3izzy.db" and path.exists()
    qtbot.waitUntil(session.checks_finished, timeout=10_000)
    session.window.close()
    app_module.QApplication.instance()._r3izzy_session = None
    close_database()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

    recorder = ask(QUIT)
    assert app_module.start() is None
    assert recorder.kinds == ["missing"]
    assert not path.exists()


def test_the_last_database_used_is_opened_next_time(qtbot, tmp_path, ask):
    other = make_clinic(tmp_path / "clinica.db")
    session = app_module.start(str(other))
    qtbot.waitUntil(session.checks_finished, timeout=10_000)
    session.window.close()
    app_module.QApplication.instance()._r3izzy_session = None
    close_database()
    assert profiles.database_to_open(None) == (str(other.resolve()), False)


def test_day_backup_and_integrity_notice_after_the_window_shows(qtbot, tmp_path, ask):
    path = make_clinic(tmp_path / "r3izzy.db")
    with sqlite3.connect(path) as con:  # a package whose figures disagree with its debits
        con.execute("UPDATE package SET sessions_used = 2")
    session = app_module.start(str(path))
    qtbot.waitUntil(lambda: session.notice is not None, timeout=10_000)

    assert isinstance(session.notice, IntegrityNotice)
    assert session.notice.isVisible()
    assert "inconsistência" in session.notice.text()
    session.notice.click()
    report = session.notice.dialog
    assert report.isVisible() and not report.isModal()
    assert report.list.count() >= 1
    report.close()

    made = backup.list_backups(str(path))
    assert [b.reason for b in made] == [backup.AT_START]
    session.closing()
    # One backup a day is kept: the closing one replaces the morning's.
    assert [b.reason for b in backup.list_backups(str(path))] == [backup.AT_CLOSE]


def test_consistent_database_shows_no_notice(qtbot, tmp_path, ask):
    path = make_clinic(tmp_path / "r3izzy.db")
    session = app_module.start(str(path))
    qtbot.waitUntil(session.checks_finished, timeout=10_000)
    assert session.notice is None
    assert backup.list_backups(str(path))  # the day's backup was made


def test_unexpected_errors_are_logged_with_their_traceback(monkeypatch, caplog):
    import sys
    import threading

    from r3izzy_desktop.ui.common import messages

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(app_module, "qInstallMessageHandler", lambda handler: None)
    told = []
    monkeypatch.setattr(messages, "show_unexpected", lambda parent, path: told.append(path))
    INSTALL_EXCEPTHOOK()  # the real one (the fixture stubs it for the other tests)
    try:
        raise ZeroDivisionError("um erro de programação")
    except ZeroDivisionError:
        sys.excepthook(*sys.exc_info())
    record = next(r for r in caplog.records if "unexpected error" in r.getMessage())
    assert "Traceback" in record.getMessage() and "ZeroDivisionError" in record.getMessage()
    assert told and told[0].endswith("r3izzy.log")


def test_a_pc_idle_for_a_month_is_forgotten_by_the_checks_not_by_the_window(qtbot, tmp_path, ask):
    from datetime import datetime, timedelta

    path = make_clinic(tmp_path / "r3izzy.db")
    long_ago = (datetime.now() - timedelta(days=60)).isoformat(sep=" ")
    with sqlite3.connect(path) as con:
        con.execute(
            "INSERT INTO change_counter (client, value, at) VALUES ('velho:1:x', 7, ?)",
            (long_ago,),
        )

    def clients() -> set[str]:
        with sqlite3.connect(path) as con:
            return {row[0] for row in con.execute("SELECT client FROM change_counter")}

    session = app_module.start(str(path))
    assert "velho:1:x" in clients()  # building the window wrote nothing
    qtbot.waitUntil(session.checks_finished, timeout=10_000)
    assert "velho:1:x" not in clients()
