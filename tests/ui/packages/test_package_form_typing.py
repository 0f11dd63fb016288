"""The package form typed into as a receptionist does (issue 15, items 1 and 3): the payment
date typed over its selected text, counts that are not whole refused with a message, Enter
never saving a misread value, no giant clipped price per session."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from r3izzy_desktop.core import clock, packages
from r3izzy_desktop.ui.packages.form import PackageFormDialog


@pytest.fixture
def dialog(qtbot, patient):
    with clock.frozen(datetime(2026, 3, 2, 9, 0)):
        form = PackageFormDialog(patient.id)
    qtbot.addWidget(form)
    form.show()
    return form


def type_over(qtbot, editor, text):
    editor.setFocus(Qt.FocusReason.MouseFocusReason)
    editor.selectAll()
    qtbot.keyClicks(editor, text)


@pytest.mark.parametrize("typed", ["15/03/2026", "15032026", "15/3/26"])
def test_the_payment_date_typed_is_the_one_saved(qtbot, dialog, patient, typed):
    type_over(qtbot, dialog.paid_on, typed)
    type_over(qtbot, dialog.sessions, "5")
    type_over(qtbot, dialog.total, "1.000,00")
    qtbot.keyClick(dialog.total, Qt.Key.Key_Return)  # Enter saves, as in the manual
    assert dialog.result() == QDialog.DialogCode.Accepted
    [summary] = packages.list_packages(patient)
    assert summary.paid_on == date(2026, 3, 15)


def test_an_impossible_payment_date_is_refused_and_nothing_saved(qtbot, dialog, patient):
    type_over(qtbot, dialog.sessions, "5")
    type_over(qtbot, dialog.total, "1.000,00")
    type_over(qtbot, dialog.paid_on, "31/02/2026")
    qtbot.keyClick(dialog.paid_on, Qt.Key.Key_Return)
    assert "fevereiro de 2026 não tem dia 31" in dialog.fields["paid_on"].error()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # the mouse, too
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert packages.list_packages(patient) == []
    assert "fevereiro de 2026 não tem dia 31" in dialog.fields["paid_on"].error()


@pytest.mark.parametrize("typed", ["2,5", "1.000,00", "2.5", "1.000"])
def test_sessions_that_are_not_a_whole_number_are_refused_and_enter_saves_nothing(
    qtbot, dialog, patient, typed
):
    type_over(qtbot, dialog.total, "1.000,00")
    type_over(qtbot, dialog.sessions, typed)
    assert dialog.sessions.text() == typed  # nothing silently dropped: not 25, not 1000
    assert dialog.price.text() == "—"
    qtbot.keyClick(dialog.sessions, Qt.Key.Key_Return)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "não é um número inteiro" in dialog.fields["sessions"].error()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert packages.list_packages(patient) == []
    assert "não é um número inteiro" in dialog.fields["sessions"].error()


def test_a_total_above_the_maximum_has_no_price_per_session(qtbot, dialog):
    type_over(qtbot, dialog.sessions, "10")
    type_over(qtbot, dialog.total, "199.999.999.998,00")
    assert dialog.price.text() == "—"  # never a clipped "R$ 19.999.999.999,80"
    qtbot.keyClick(dialog.total, Qt.Key.Key_Tab)
    assert "no máximo R$ 9.999.999,99" in dialog.fields["total"].error()


def test_the_form_and_its_calendar_look_right(qtbot, dialog, tmp_path):
    dialog.grab().save(str(tmp_path / "form.png"))
    dialog.paid_on.show_calendar()
    popup = dialog.paid_on.calendar_popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.width() >= 7 * popup.fontMetrics().horizontalAdvance("sáb.")
    popup.grab().save(str(tmp_path / "calendar.png"))
