"""The app's date field, typed into as a person does (issue 15, item 1): the text selected
and typed over, with or without slashes, or refused with a message — never another date."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QPushButton, QVBoxLayout

from r3izzy_desktop.core import clock
from r3izzy_desktop.ui.common.date_edit import DateEdit
from r3izzy_desktop.ui.common.widgets import FormField


def type_over(qtbot, edit, text):
    """What a person does: click into the field (the text gets selected), type, Tab away."""
    edit.setFocus(Qt.FocusReason.MouseFocusReason)
    edit.selectAll()
    qtbot.keyClicks(edit, text)


@pytest.fixture
def edit(qtbot):
    with clock.frozen(datetime(2026, 3, 2, 9, 0)):
        field = DateEdit()
    qtbot.addWidget(field)
    field.show()
    return field


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("15/03/2026", QDate(2026, 3, 15)),
        ("15032026", QDate(2026, 3, 15)),
        ("1/3/26", QDate(2026, 3, 1)),
        ("15-03-2026", QDate(2026, 3, 15)),
        ("15/3", QDate(2026, 3, 15)),
    ],
)
def test_what_is_typed_over_the_selected_text_is_the_date(qtbot, edit, typed, day):
    type_over(qtbot, edit, typed)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.date() == day
    assert edit.text() == day.toString("dd/MM/yyyy")
    assert edit.error() is None


def test_an_impossible_date_is_refused_with_a_message_and_enter_does_not_save(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    with clock.frozen(datetime(2026, 3, 2, 9, 0)):
        edit = DateEdit()
    field = FormField("Data de Criação/Pgto.", edit)
    layout.addWidget(field)
    save = QPushButton("Salvar")
    save.setDefault(True)
    layout.addWidget(save)
    pressed = []
    save.clicked.connect(lambda: pressed.append(edit.date()))
    dialog.show()
    type_over(qtbot, edit, "31/02/2026")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert pressed == []  # Enter never reached "Salvar"
    assert edit.date() == QDate(2026, 3, 2)  # the last accepted: not 02/02, not 03/03
    assert edit.value() is None
    assert "fevereiro de 2026 não tem dia 31" in field.error()
    assert edit.text() == "31/02/2026"  # left as typed, to be corrected
    qtbot.keyClicks(edit, "\b\b\b\b\b\b\b\b\b\b28/02/2026")
    assert field.error() == ""  # typing again clears the message
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert pressed == [QDate(2026, 2, 28)]


def test_leaving_the_field_with_a_wrong_date_says_why(qtbot, edit):
    other = QLineEdit()
    qtbot.addWidget(other)
    other.show()
    type_over(qtbot, edit, "15/13/2026")
    edit.editingFinished.emit()  # what Tab / a click elsewhere does
    assert edit.property("error") is True
    assert "não existe o mês 13" in edit.error()
    assert edit.date() == QDate(2026, 3, 2)


def test_focus_selects_the_text_so_typing_replaces_it(qtbot, edit):
    edit.setCursorPosition(0)
    edit.deselect()
    edit.clearFocus()
    edit.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: edit.selectedText() == edit.text())
    qtbot.keyClicks(edit, "15032026")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    edit.commit()
    assert edit.date() == QDate(2026, 3, 15)


def test_up_and_down_move_a_day(qtbot, edit):
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert edit.date() == QDate(2026, 3, 3)
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    assert edit.date() == QDate(2026, 3, 1)


def test_the_weekday_form_reads_back(qtbot):
    with clock.frozen(datetime(2026, 3, 2, 9, 0)):
        edit = DateEdit(weekday=True)
    qtbot.addWidget(edit)
    assert edit.text() == "seg. 02/03/2026"
    assert edit.value() == date(2026, 3, 2)
    edit.selectAll()
    qtbot.keyClicks(edit, "15/03/2026")
    assert edit.commit()
    assert edit.text() == "dom. 15/03/2026"


def test_the_calendar_is_big_enough_to_read(qtbot, edit, tmp_path):
    edit.show_calendar()
    popup = edit.calendar_popup()
    qtbot.waitUntil(popup.isVisible)
    calendar = popup.calendarWidget() if hasattr(popup, "calendarWidget") else popup.calendar
    view = calendar.findChild(__import__("PySide6.QtWidgets").QtWidgets.QTableView)
    model = view.model()
    metrics = view.fontMetrics()
    # Every weekday header fits its column: nothing is elided to "…".
    for column in range(model.columnCount()):
        name = model.data(model.index(0, column), Qt.ItemDataRole.DisplayRole)
        assert metrics.horizontalAdvance(name) + 4 <= view.columnWidth(column), name
    # All seven rows (the header and six weeks) are inside the view, the last one whole.
    last = model.rowCount() - 1
    assert view.rowViewportPosition(last) + view.rowHeight(last) <= view.viewport().height()
    popup.grab().save(str(tmp_path / "calendar.png"))
    # A day clicked in the calendar is the field's date.
    calendar.clicked.emit(QDate(2026, 3, 20))
    assert edit.date() == QDate(2026, 3, 20)
    assert not popup.isVisible()
