"""Whole-number fields typed into (issue 15, item 3): `2,5` and `1.000,00` refused with a
message, never turned into 25 or 1000; Enter on them never reaches the default button."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QPushButton, QVBoxLayout

from r3izzy_desktop.ui.common.fields import WholeNumberEdit, WholeNumberSpin
from r3izzy_desktop.ui.common.widgets import FormField


def dialog_with(qtbot, editor):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    field = FormField("Campo", editor)
    layout.addWidget(field)
    other = QLineEdit()
    layout.addWidget(other)
    ok = QPushButton("Salvar")
    ok.setDefault(True)
    layout.addWidget(ok)
    pressed = []
    ok.clicked.connect(lambda: pressed.append(editor.value()))
    dialog.show()
    editor._test_dialog = dialog  # kept alive with the editor
    return field, other, pressed


@pytest.mark.parametrize("typed", ["2,5", "1.000,00", "1.000"])
def test_a_spin_box_refuses_what_is_not_whole(qtbot, typed):
    spin = WholeNumberSpin("Duração (min)")
    spin.setRange(5, 2000)
    spin.setSuffix(" min")
    spin.setValue(50)
    field, other, pressed = dialog_with(qtbot, spin)
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, typed)
    assert spin.lineEdit().text().startswith(typed)  # nothing dropped: never 25 / 1000
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert pressed == []
    assert "não é um número inteiro" in field.error()
    other.setFocus()  # leaving: the number it had before, not a misread one
    assert spin.value() == 50


def test_a_spin_box_takes_a_whole_number(qtbot):
    spin = WholeNumberSpin("Duração (min)")
    spin.setRange(5, 600)
    field, _other, pressed = dialog_with(qtbot, spin)
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "45")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert pressed == [45]
    assert field.error() == ""


@pytest.mark.parametrize("typed", ["2,5", "1.000,00"])
def test_a_count_field_refuses_what_is_not_whole(qtbot, typed):
    edit = WholeNumberEdit("Número de sessões", low=1, high=999)
    field, _other, pressed = dialog_with(qtbot, edit)
    edit.setFocus()
    qtbot.keyClicks(edit, typed)
    assert edit.text() == typed and edit.value() is None
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert pressed == []
    assert "não é um número inteiro" in field.error()
