"""UI tests: pytest-qt, offscreen, a fresh database file per test, dialogs behind seams.

Message boxes go through `r3izzy_desktop.ui.common.messages`; the `dialogs` fixture replaces
them with recorders, so a test that would open an unexpected modal fails instead of
hanging.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from r3izzy_desktop.core import agenda, clinic
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.ui.common import jobs, messages
from r3izzy_desktop.ui.shell.app import create_application


@pytest.fixture(scope="session")
def qapp_cls():
    from PySide6.QtWidgets import QApplication

    return QApplication


@pytest.fixture(autouse=True)
def _app_settings(qapp, tmp_path_factory):
    """Styled app in pt-BR; QSettings in a throwaway folder."""
    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    create_application()
    yield


@pytest.fixture
def db(tmp_path):
    database = open_database(str(tmp_path / "ui.db"))
    yield database
    # A screen's background read (Gestão Financeira's, a report's) ends before its test's
    # database closes: left running, it met the next test's setup, or no database at all
    # ("Cannot use uninitialized Proxy" in the next test, about 1 run in 10).
    jobs.wait_for_all()
    close_database()


@dataclass
class DialogRecorder:
    """What the screens asked and told; `answers` holds the replies for confirm/choose."""

    answers: list[Any] = field(default_factory=list)
    asked: list[tuple[str, str]] = field(default_factory=list)
    told: list[tuple[str, str]] = field(default_factory=list)
    saved: list[Path] = field(default_factory=list)  # files told saved, with Abrir offered

    def _next(self, kind: str, title: str, text: str):
        self.asked.append((title, text))
        if not self.answers:
            raise AssertionError(f"unexpected {kind} dialog: {title!r}: {text!r}")
        return self.answers.pop(0)


@pytest.fixture(autouse=True)
def dialogs(monkeypatch) -> DialogRecorder:
    recorder = DialogRecorder()
    monkeypatch.setattr(
        messages,
        "confirm",
        lambda parent, title, text, **kw: recorder._next("confirm", title, text),
    )
    monkeypatch.setattr(
        messages,
        "choose",
        lambda parent, title, text, options, **kw: recorder._next("choose", title, text),
    )
    monkeypatch.setattr(
        messages, "inform", lambda parent, title, text: recorder.told.append((title, text))
    )
    monkeypatch.setattr(
        messages,
        "file_saved",
        lambda parent, title, text, path: (
            recorder.told.append((title, text)) or recorder.saved.append(Path(path))
        ),
    )
    monkeypatch.setattr(
        messages,
        "show_error",
        lambda parent, text, title=None: recorder.told.append((title or "", text)),
    )
    monkeypatch.setattr(
        messages,
        "show_unexpected",
        lambda parent, path: (_ for _ in ()).throw(
            AssertionError("an unexpected error reached the user")
        ),
    )
    return recorder


@pytest.fixture
def patient(db):
    return clinic.add_patient("Ana Souza", phone="(11) 98765-4321")


@pytest.fixture
def service(db):
    return clinic.add_service("Método Bobath", price=Decimal("250.00"), duration_min=50)


@pytest.fixture
def make_session(patient, service):
    def make(day: int, hour: int, minute: int = 0, *, month: int = 4, **kwargs):
        who = kwargs.pop("patient", patient)
        return agenda.schedule(who, service, datetime(2025, month, day, hour, minute), **kwargs)

    return make
