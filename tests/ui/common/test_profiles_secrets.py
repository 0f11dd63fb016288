"""Which database this PC uses, without the server's password in the settings (R23): it
goes to the credential store; a plain one left by an older version is moved there on the
first start; with no store it is asked at each start."""

from __future__ import annotations

import keyring
from keyring.backends import fail
from PySide6.QtCore import QSettings

from r3izzy_desktop.core import credentials
from r3izzy_desktop.ui.common import profiles
from r3izzy_desktop.ui.common.server_password import ServerPasswordDialog
from r3izzy_desktop.ui.shell import app as shell_app

URL = "postgresql://clinica:segredo@192.168.0.10:5432/r3izzy"
BARE = "postgresql://clinica@192.168.0.10:5432/r3izzy"


def settings_text() -> str:
    settings = QSettings()
    return str({key: settings.value(key) for key in settings.allKeys()})


def test_a_remembered_server_keeps_its_password_in_the_store(memory_keyring):
    profiles.remember_url(URL)
    assert profiles.remembered_url() == BARE and BARE in profiles.known_urls()
    assert "segredo" not in settings_text()
    assert memory_keyring.kept[(credentials.SERVICE, BARE)] == "segredo"
    assert profiles.database_to_open(None) == (URL, False)
    assert not profiles.needs_typed_password(BARE)


def test_a_plain_password_of_an_older_version_is_moved_on_the_first_start(memory_keyring):
    settings = QSettings()
    settings.setValue(profiles.SETTINGS_LAST_URL, URL)
    settings.setValue(profiles.SETTINGS_KNOWN_URLS, ["/pasta/clinica.db", URL])
    assert profiles.move_plain_passwords() == 1
    assert "segredo" not in settings_text()
    assert profiles.known_urls() == ["/pasta/clinica.db", BARE]
    assert credentials.stored_password(BARE) == "segredo"
    assert profiles.move_plain_passwords() == 0  # once moved, nothing more
    assert profiles.database_to_open(None) == (URL, False)


def test_without_a_store_the_password_is_asked_at_each_start(monkeypatch):
    keyring.set_keyring(fail.Keyring())
    QSettings().setValue(profiles.SETTINGS_LAST_URL, URL)
    profiles.move_plain_passwords()
    assert "segredo" not in settings_text()
    monkeypatch.setattr(profiles, "_typed", {})  # the next start: nothing typed yet
    wanted, _create = profiles.database_to_open(None)
    assert wanted == BARE and profiles.needs_typed_password(wanted)
    asked = []

    def ask(cls, parent, where):
        asked.append(where)
        return "segredo"

    monkeypatch.setattr(ServerPasswordDialog, "ask", classmethod(ask))
    assert shell_app.ask_server_password(wanted) == URL
    assert asked and "segredo" not in asked[0]
    # Typed once, it serves the rest of this run (a restore, a switch) without asking.
    profiles.remember_url(URL)
    assert profiles.completed(BARE) == URL and "segredo" not in settings_text()


def test_the_database_tab_says_where_the_password_goes(qtbot, db):
    from r3izzy_desktop.ui.settings.database_tab import DatabaseSection

    tab = DatabaseSection()
    qtbot.addWidget(tab)
    assert "cofre de senhas do sistema" in tab.password_note.text()
    assert "pedida a cada início" not in tab.password_note.text()
    keyring.set_keyring(fail.Keyring())
    assert "pedida a cada início" in tab.password_storage_text()
