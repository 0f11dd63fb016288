"""Configurações: services, locations and professionals created, changed and deactivated
through their tabs; the clinic's data; and tabs added by other areas."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from r3izzy_desktop.core import clinic
from r3izzy_desktop.ui.settings import page as settings_page
from r3izzy_desktop.ui.settings.catalog_tabs import (
    ColorField,
    LocationsTab,
    ProfessionalsTab,
    ServicesTab,
)
from r3izzy_desktop.ui.settings.clinic_tab import ClinicTab
from r3izzy_desktop.ui.settings.page import SettingsPage


def make(qtbot, cls):
    widget = cls()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_text(qtbot, editor, text: str) -> None:
    """Type like a person, accents too (QTest's key clicks only know ASCII)."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(editor, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(editor, event)


def retype(qtbot, editor, text: str) -> None:
    editor.clear()
    type_text(qtbot, editor, text)


def test_settings_page_has_the_tabs(qtbot, db):
    page = make(qtbot, SettingsPage)
    assert [title for title, _w in page.tabs()] == [
        "Serviços",
        "Locais",
        "Profissionais",
        "Clínica",
        "Pacotes",
        "Backups",
        "Banco de dados",
        "Usuários",  # R23; "Auditoria" too once the clinic has users
        "Importar",  # R24
    ]


def test_a_tab_can_be_added_to_a_built_page(qtbot, db):
    page = make(qtbot, lambda: SettingsPage(tabs=[("Clínica", QLabel)]))
    extra = QLabel("mais")
    index = page.add_tab(extra, "Outra")
    assert page.tabs()[index] == ("Outra", extra)
    assert page.show_tab("Outra") is extra


def test_a_broken_tab_does_not_take_the_others_away(qtbot, db):
    def broken() -> QWidget:
        raise ImportError("not there yet")

    tabs = [*settings_page.default_tabs()[:4], ("Quebrada", broken)]
    page = make(qtbot, lambda: SettingsPage(tabs=tabs))
    assert [title for title, _w in page.tabs()][-2:] == ["Clínica", "Quebrada"]
    texts = " ".join(w.text() for w in page.tab("Quebrada").findChildren(QLabel))
    assert "não pôde ser carregada" in texts


def test_services_crud(qtbot, qtmodeltester, db):
    tab = make(qtbot, ServicesTab)
    qtmodeltester.check(tab.model)
    click(qtbot, tab.new_button)
    type_text(qtbot, tab.name, "Método Bobath")
    qtbot.keyClicks(tab.price, "1.250,50")
    tab.duration.setValue(45)
    click(qtbot, tab.save_button)
    [service] = clinic.list_services()
    assert (service.name, service.price, service.duration_min) == (
        "Método Bobath",
        Decimal("1250.50"),
        45,
    )
    assert tab.model.index(0, 1).data() == "R$ 1.250,50"
    assert tab.model.index(0, 2).data() == "45 min"

    retype(qtbot, tab.price, "260")
    click(qtbot, tab.save_button)
    assert clinic.list_services()[0].price == Decimal("260.00")

    retype(qtbot, tab.price, "abc")
    click(qtbot, tab.save_button)
    assert "Valor inválido" in tab.fields["price"].error()
    assert clinic.list_services()[0].price == Decimal("260.00")

    click(qtbot, tab.toggle_button)  # Desativar
    assert clinic.list_services() == []
    [inactive] = clinic.list_services(include_inactive=True)
    assert not inactive.active
    tab.show_inactive.setChecked(True)
    assert tab.model.index(0, 0).data() == "Método Bobath (inativo)"
    tab.reload(select_id=inactive.id)
    assert tab.toggle_button.text() == "Reativar"
    click(qtbot, tab.toggle_button)
    assert [s.name for s in clinic.list_services()] == ["Método Bobath"]


def test_service_name_is_required(qtbot, db):
    tab = make(qtbot, ServicesTab)
    click(qtbot, tab.save_button)
    assert tab.fields["name"].error() == "Informe nome do serviço."
    assert clinic.list_services(include_inactive=True) == []


def test_locations_crud(qtbot, qtmodeltester, db):
    tab = make(qtbot, LocationsTab)
    qtbot.keyClicks(tab.name, "Sala 1")
    click(qtbot, tab.save_button)
    click(qtbot, tab.new_button)
    qtbot.keyClicks(tab.name, "Online")
    click(qtbot, tab.save_button)
    qtmodeltester.check(tab.model)
    assert [loc.name for loc in clinic.list_locations()] == ["Online", "Sala 1"]
    retype(qtbot, tab.name, "Telessaúde")
    click(qtbot, tab.save_button)
    assert sorted(loc.name for loc in clinic.list_locations()) == ["Sala 1", "Telessaúde"]


def test_professionals_with_colour(qtbot, qtmodeltester, monkeypatch, db):
    tab = make(qtbot, ProfessionalsTab)
    qtbot.keyClicks(tab.name, "Dra. Camila")
    click(qtbot, tab.color.swatches[1])
    click(qtbot, tab.save_button)
    [pro] = clinic.list_professionals()
    assert (pro.name, pro.color) == ("Dra. Camila", "#e76f51")
    qtmodeltester.check(tab.model)

    monkeypatch.setattr(ColorField, "pick", classmethod(lambda cls, parent, initial: "#123456"))
    click(qtbot, tab.color.more)
    click(qtbot, tab.save_button)
    assert clinic.list_professionals()[0].color == "#123456"

    retype(qtbot, tab.color.text, "#zz")
    click(qtbot, tab.save_button)
    assert tab.fields["color"].error() == "Cor inválida: use o formato #RRGGBB."
    assert clinic.list_professionals()[0].color == "#123456"


def test_clinic_data_and_operator(qtbot, db):
    tab = make(qtbot, ClinicTab)
    type_text(qtbot, tab.name, "Clínica Movimento")
    qtbot.keyClicks(tab.document, "12.345.678/0001-95")
    type_text(qtbot, tab.address, "Rua das Acácias, 120")
    qtbot.keyClicks(tab.phone, "(19) 3234-5678")
    type_text(qtbot, tab.operator, "Recepção 1")
    click(qtbot, tab.save_button)
    info = clinic.clinic_info()
    assert (info.name, info.document, info.address, info.phone) == (
        "Clínica Movimento",
        "12.345.678/0001-95",
        "Rua das Acácias, 120",
        "(19) 3234-5678",
    )
    assert clinic.operator_name() == "Recepção 1"
    assert tab.saved_note.text() == "Dados salvos."


def test_main_window_configuracoes_is_real(qtbot, db):
    from r3izzy_desktop.ui.shell.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    for title, cls in (("Serviços", ServicesTab), ("Locais", LocationsTab), ("Clínica", ClinicTab)):
        assert isinstance(page.show_tab(title), cls)


@pytest.mark.parametrize("typed", ["11.111.111/1111-11", "111.111.111-11", "12.345.678/0001-90"])
def test_a_wrong_clinic_cnpj_or_cpf_is_refused_under_its_field(qtbot, db, typed):
    tab = make(qtbot, ClinicTab)
    type_text(qtbot, tab.name, "Clínica Movimento")
    qtbot.keyClicks(tab.document, typed)
    click(qtbot, tab.save_button)
    assert "não é válido" in tab.fields["document"].error()
    assert clinic.clinic_info().document == ""
    assert clinic.clinic_info().name == ""  # nothing stored
    assert tab.saved_note.text() == ""
