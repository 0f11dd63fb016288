"""Issue 15: a short confirmation after each action that changes the agenda or money, in
the main window's status bar, never a modal to dismiss (the `dialogs` fixture fails on
any confirm/choose nobody expected; `inform` is recorded and must stay empty)."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtWidgets import QDialog

from r3izzy_desktop.core import agenda
from r3izzy_desktop.ui.agenda.session_detail import SessionDetailDialog
from r3izzy_desktop.ui.agenda.session_form import SessionFormDialog
from r3izzy_desktop.ui.common import toast
from r3izzy_desktop.ui.shell.main_window import MainWindow
from tests.helpers.agenda_drivers import LEFT, set_when, type_patient


def test_scheduling_and_attendance_confirm_in_the_status_bar(
    qtbot, dialogs, monkeypatch, patient, service
):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("agenda")

    def fill_and_save(dialog: SessionFormDialog) -> int:
        type_patient(qtbot, dialog, "ana sou")
        set_when(dialog, datetime(2025, 4, 1, 10, 0))
        qtbot.mouseClick(dialog.save_button, LEFT)
        return dialog.result()

    monkeypatch.setattr(SessionFormDialog, "exec", fill_and_save)
    qtbot.mouseClick(page.calendar.new_button, LEFT)
    assert window.statusBar().currentMessage() == "Sessão agendada."
    (session_id,) = [r.id for r in agenda.sessions_between(date(2025, 4, 1), date(2025, 4, 1))]

    def mark_done(dialog: SessionDetailDialog) -> int:
        qtbot.mouseClick(dialog.attendance_buttons["realizada"], LEFT)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(SessionDetailDialog, "exec", mark_done)
    page.panel.open_session(session_id)
    assert window.statusBar().currentMessage() == "Presença registrada: Realizada."
    assert dialogs.told == []  # nothing modal was shown to be dismissed


def test_without_a_main_window_a_non_modal_toast_appears(qtbot):
    from PySide6.QtWidgets import QLabel, QWidget

    host = QWidget()
    qtbot.addWidget(host)
    host.resize(500, 300)
    host.show()
    toast.notify(host, "Pacote criado.")
    (shown,) = [w for w in host.findChildren(QLabel) if w.objectName() == "toast"]
    assert shown.text() == "Pacote criado." and shown.isVisible()
    assert toast.last_message() == "Pacote criado."


def test_package_created_and_sessions_paid_are_confirmed(qtbot, patient, make_session):
    from decimal import Decimal

    from PySide6.QtCore import Qt

    from r3izzy_desktop.core import packages
    from r3izzy_desktop.ui.packages.form import PackageFormDialog
    from r3izzy_desktop.ui.packages.pay_flow import pay_with_package

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    dialog = PackageFormDialog(patient.id, None, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.sessions, "4")
    qtbot.keyClicks(dialog.total, "1000")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [summary] = packages.list_packages(patient)
    assert window.statusBar().currentMessage() == f"Pacote No. {summary.number} criado."

    sessions = [make_session(1, 10), make_session(2, 10)]
    assert summary.total == Decimal("1000.00")
    assert pay_with_package(window, summary.id, [s.id for s in sessions])
    assert window.statusBar().currentMessage() == "2 sessões pagas com o pacote."


def test_nova_sessao_without_a_service_or_a_patient_says_what_to_do_first(
    qtbot, dialogs, monkeypatch, db
):
    """Issue 15: on an empty clinic "Nova sessão" explains the step missing, no form."""
    from r3izzy_desktop.core import clinic
    from r3izzy_desktop.ui.agenda.page import AgendaPage

    opened = []
    monkeypatch.setattr(SessionFormDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    page = AgendaPage()
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.calendar.new_button, LEFT)
    assert opened == [] and "Cadastre primeiro um serviço" in dialogs.told[-1][1]
    clinic.add_service("Método Bobath", price="250.00", duration_min=50)
    qtbot.mouseClick(page.calendar.new_button, LEFT)
    assert opened == [] and "Cadastre primeiro um paciente" in dialogs.told[-1][1]
    clinic.add_patient("Ana Souza")
    qtbot.mouseClick(page.calendar.new_button, LEFT)
    assert len(opened) == 1 and len(dialogs.told) == 2
