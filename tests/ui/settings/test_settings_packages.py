"""Configurações › Pacotes: the package defaults read, changed and saved through the core;
a bad message template said under its field, nothing saved; the preview of the message."""

from __future__ import annotations

from PySide6.QtCore import Qt

from r3izzy_desktop.core import clinic
from r3izzy_desktop.ui.settings.packages_tab import PackagesTab


def make(qtbot) -> PackagesTab:
    tab = PackagesTab()
    qtbot.addWidget(tab)
    tab.show()
    return tab


def test_it_shows_a_new_clinics_defaults(qtbot, db):
    tab = make(qtbot)
    assert tab.no_validity.isChecked() and not tab.months.isEnabled()
    assert (tab.warning_days.value(), tab.threshold.value()) == (15, 2)
    assert tab.template.toPlainText() == clinic.DEFAULT_MESSAGE_TEMPLATE
    assert tab.preview.text().startswith("Olá, Ana Souza! Aqui é da ")
    assert "O pacote de Pedro Souza" in tab.preview.text()


def test_changing_and_saving(qtbot, db):
    clinic.set_clinic_info(name="Clínica Passo a Passo")
    tab = make(qtbot)
    tab.with_validity.setChecked(True)
    assert tab.months.isEnabled()
    tab.months.setValue(3)
    tab.warning_days.setValue(20)
    tab.threshold.setValue(1)
    tab.template.setPlainText("Oi {nome}, {aviso}.")
    assert tab.preview.text().startswith("Oi Ana Souza, O pacote de Pedro Souza")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.saved_note.text() == "Configurações dos pacotes salvas."
    defaults = clinic.package_defaults()
    assert (defaults.validity_months, defaults.warning_days, defaults.ending_threshold) == (
        3,
        20,
        1,
    )
    assert defaults.message_template == "Oi {nome}, {aviso}."
    tab.no_validity.setChecked(True)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert clinic.package_defaults().validity_months is None


def test_a_bad_template_is_said_and_nothing_is_saved(qtbot, db):
    tab = make(qtbot)
    tab.warning_days.setValue(30)
    tab.template.setPlainText("Olá {nome}, seu {desconto}")
    assert "{desconto}" in tab.preview.text()  # the preview says why, live
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "{desconto}" in tab.fields["message_template"].error()
    assert clinic.package_defaults().warning_days == 15  # all or nothing
    qtbot.mouseClick(tab.default_button, Qt.MouseButton.LeftButton)
    assert tab.template.toPlainText() == clinic.DEFAULT_MESSAGE_TEMPLATE
