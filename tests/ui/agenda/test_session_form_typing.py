"""The session's date typed over its selected text (issue 15, item 1): taken as typed, or
refused with a message and nothing scheduled."""

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt

from r3izzy_desktop.core import agenda
from r3izzy_desktop.ui.agenda.session_form import SessionFormDialog
from tests.helpers.agenda_drivers import LEFT, type_patient


def form(qtbot) -> SessionFormDialog:
    dialog = SessionFormDialog(None, start=datetime(2026, 3, 2, 10, 0))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def type_over(qtbot, editor, text):
    editor.setFocus(Qt.FocusReason.MouseFocusReason)
    editor.selectAll()
    qtbot.keyClicks(editor, text)


def sessions():
    return agenda.sessions_between(date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize("typed", ["15/03/2026", "15032026", "15/3/26"])
def test_the_typed_date_is_the_sessions_date(qtbot, patient, service, typed):
    dialog = form(qtbot)
    type_patient(qtbot, dialog, "ana sou")
    type_over(qtbot, dialog.date_edit, typed)
    qtbot.mouseClick(dialog.save_button, LEFT)
    (row,) = sessions()
    assert row.starts_at == datetime(2026, 3, 15, 10, 0)


def test_an_impossible_date_is_refused_and_nothing_scheduled(qtbot, patient, service):
    dialog = form(qtbot)
    type_patient(qtbot, dialog, "ana sou")
    type_over(qtbot, dialog.date_edit, "31/02/2026")
    qtbot.keyClick(dialog.date_edit, Qt.Key.Key_Return)
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "fevereiro de 2026 não tem dia 31" in dialog.error_label.text()
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert sessions() == []
    assert "fevereiro de 2026 não tem dia 31" in dialog.error_label.text()


def test_the_manual_payment_date_typed_is_the_one_answered(qtbot, patient, service):
    from r3izzy_desktop.ui.agenda.manual_payment import ManualPaymentDialog

    agenda.schedule(patient, service, datetime(2026, 3, 2, 10, 0))
    dialog = ManualPaymentDialog(None, sessions())
    qtbot.addWidget(dialog)
    dialog.show()
    type_over(qtbot, dialog.date_edit, "31/02/2026")
    qtbot.mouseClick(dialog.confirm_button, LEFT)
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "fevereiro de 2026 não tem dia 31" in dialog.date_error.text()
    type_over(qtbot, dialog.date_edit, "27022026")
    qtbot.mouseClick(dialog.confirm_button, LEFT)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.paid_on() == date(2026, 2, 27)
