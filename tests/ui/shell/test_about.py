"""Sobre o R3izzy Desktop: version, data folder, the database in use without its
password, the log file; reachable from the main window (button and F1)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from r3izzy_desktop import __version__
from r3izzy_desktop.core.database import data_dir
from r3izzy_desktop.logs import log_file
from r3izzy_desktop.ui.common.widgets import ComingSoonPage
from r3izzy_desktop.ui.shell import about
from r3izzy_desktop.ui.shell.about import AboutDialog
from r3izzy_desktop.ui.shell.main_window import MainWindow, PageSpec


def test_about_shows_version_folders_and_database(qtbot, db):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    values = {name: widget.text() for name, widget in dialog.values.items()}
    assert dialog.windowTitle() == "Sobre o R3izzy Desktop"
    assert values["Versão"] == __version__
    assert values["Pasta de dados"] == str(data_dir())
    assert values["Banco de dados em uso"] == db.database
    assert values["Tipo de banco"] == "SQLite (arquivo)"
    assert values["Arquivo de registro (log)"] == str(log_file())
    assert values["Backups automáticos"].endswith("backups")


def test_about_never_shows_a_server_password(qtbot, monkeypatch):
    monkeypatch.setattr(about, "current_url", lambda: "postgresql://clinica:segredo@srv/r3izzy")
    monkeypatch.setattr(about, "is_postgres", lambda: True)
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    shown = dialog.values["Banco de dados em uso"].text()
    assert "segredo" not in shown and "srv/r3izzy" in shown
    assert dialog.values["Tipo de banco"].text() == "PostgreSQL (servidor)"
    assert "Backups automáticos" not in dialog.values


def test_main_window_opens_about_by_button_and_f1(qtbot, db, monkeypatch):
    shown = []
    monkeypatch.setattr(AboutDialog, "tell", classmethod(lambda cls, parent: shown.append(parent)))
    window = MainWindow(
        [PageSpec("p", "Pacientes", "patients", lambda _parent: ComingSoonPage("P", []))]
    )
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.keyClick(window.nav, Qt.Key.Key_F1)
    qtbot.mouseClick(window.about_button, Qt.MouseButton.LeftButton)
    assert shown == [window, window]


def test_about_names_the_sqlite_version_and_flags_an_old_one(qtbot, db, monkeypatch):
    from r3izzy_desktop.core.store import sqlite

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    shown = dialog.values["SQLite"].text()
    assert shown == f"{sqlite.sqlite3.sqlite_version} ({sqlite.LIBRARY})"
    assert "antiga" not in shown
    monkeypatch.setattr(about, "sqlite_is_fixed", lambda: False)
    monkeypatch.setattr(about, "sqlite_description", lambda: "SQLite 3.40.1 (sqlite3)")
    old = AboutDialog()
    qtbot.addWidget(old)
    assert old.values["SQLite"].text().startswith("3.40.1 (sqlite3) — versão antiga")
