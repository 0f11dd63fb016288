"""Configurações › Banco de dados: the database in use, Testar conexão against the local
PostgreSQL server (and a wrong port), Usar este banco, and back to the local file."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from PySide6.QtCore import Qt

from r3izzy_desktop.core import clinic
from r3izzy_desktop.core.database import current_url, is_postgres
from r3izzy_desktop.ui.common.profiles import remembered_url
from r3izzy_desktop.ui.settings.database_tab import DatabaseSection
from r3izzy_desktop.ui.settings.page import SettingsPage
from tests.helpers import pg


@pytest.fixture
def tab(qtbot, db):
    widget = DatabaseSection()
    qtbot.addWidget(widget)
    widget.resize(900, 640)
    widget.show()
    yield widget
    if widget.task is not None:
        widget.task.wait(10_000)


def fill(qtbot, tab: DatabaseSection, url: str, *, port: int | None = None) -> None:
    parsed = urlparse(url)
    for editor, text in (
        (tab.host, parsed.hostname or "127.0.0.1"),
        (tab.port, str(port or parsed.port or 5432)),
        (tab.database, parsed.path.lstrip("/")),
        (tab.user, parsed.username or "postgres"),
        (tab.password, parsed.password or ""),
    ):
        editor.clear()
        qtbot.keyClicks(editor, text)


def test_shows_the_local_file_in_use(tab, db):
    assert "Arquivo local" in tab.in_use.text()
    assert db.database in tab.in_use.text()
    assert not tab.local_button.isVisibleTo(tab)


def test_the_fields_are_checked_before_connecting(qtbot, tab):
    tab.host.clear()
    qtbot.mouseClick(tab.test_button, Qt.MouseButton.LeftButton)
    assert tab.fields["host"].error() == "Informe o endereço do servidor."
    assert tab.task is None


@pytest.mark.postgres
def test_testar_conexao_finds_an_empty_database_then_a_wrong_port(qtbot, tab):
    with pg.fresh_database() as url:
        fill(qtbot, tab, url)
        qtbot.mouseClick(tab.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Conectado ao PostgreSQL" in tab.result.text(), timeout=10_000)
        assert "vazio" in tab.result.text()
        assert tab.last_info is not None and tab.last_info.usable
        qtbot.waitUntil(lambda: tab.test_button.isEnabled(), timeout=5_000)

        fill(qtbot, tab, url, port=1)
        qtbot.mouseClick(tab.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: tab.result.text().startswith("Falhou"), timeout=10_000)
        assert "recusada" in tab.result.text() and ":1" in tab.result.text()
        assert not is_postgres()  # testing never switches


@pytest.mark.postgres
def test_usar_este_banco_then_back_to_the_local_file(qtbot, tab, dialogs, db):
    local = db.database
    clinic.add_patient("Só no arquivo")
    with pg.fresh_database() as url:
        fill(qtbot, tab, url)
        dialogs.answers = [True]  # "Usar este banco"?
        qtbot.mouseClick(tab.use_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(is_postgres, timeout=10_000)
        assert "Este computador passará a usar" in dialogs.asked[0][1]
        # The schema was created on the server, and the next start opens it.
        assert clinic.find_patients("") == []
        clinic.add_patient("Só no servidor")
        assert remembered_url() == url
        assert "Servidor PostgreSQL" in tab.in_use.text()
        assert tab.local_button.isVisibleTo(tab)

        dialogs.answers = [True]  # "Voltar ao arquivo local"?
        tab.local_file = lambda: local  # the file this PC used (the fixture never saved it)
        qtbot.mouseClick(tab.local_button, Qt.MouseButton.LeftButton)
        assert not is_postgres() and current_url() == local
        assert [p.name for p in clinic.find_patients("")] == ["Só no arquivo"]
        assert remembered_url() == local


def test_the_tab_is_in_configuracoes(qtbot, db):
    page = SettingsPage()
    qtbot.addWidget(page)
    assert isinstance(page.show_tab("Banco de dados"), DatabaseSection)
