"""The first-start checklist: shown on a new clinic, each step a click away, ticked as it
gets done, gone once all are; never on a clinic already in use."""

from decimal import Decimal

import pytest
from PySide6.QtCore import QSettings, Qt

from r3izzy_desktop.core import clinic
from r3izzy_desktop.ui.patients.form import PatientFormDialog
from r3izzy_desktop.ui.shell import setup_checklist
from r3izzy_desktop.ui.shell.main_window import MainWindow


@pytest.fixture(autouse=True)
def not_hidden():
    QSettings().remove(setup_checklist.HIDDEN_KEY)
    yield
    QSettings().remove(setup_checklist.HIDDEN_KEY)


def window(qtbot) -> MainWindow:
    made = MainWindow()
    qtbot.addWidget(made)
    made.show()
    return made


def test_a_new_clinic_is_taken_through_its_first_steps(qtbot, db, monkeypatch):
    shown = window(qtbot)
    checklist = shown.checklist
    assert checklist is not None and checklist.isVisible()
    assert [checklist.marks[k].text() for k in checklist.marks] == ["1.", "2.", "3.", "4."]
    assert checklist.buttons[clinic.CLINIC_DATA].property("primary") is True

    qtbot.mouseClick(checklist.buttons[clinic.SERVICES], Qt.MouseButton.LeftButton)
    settings = shown.page("settings")
    assert shown.current_key() == "settings"
    assert settings.tab_widget.tabText(settings.tab_widget.currentIndex()) == "Serviços"

    clinic.set_clinic_info(name="Clínica Crescer")
    clinic.add_service("Método Bobath", price=Decimal("250.00"))
    checklist.refresh()
    assert checklist.marks[clinic.CLINIC_DATA].text() == "✓"
    assert checklist.buttons[clinic.SERVICES].isHidden()
    assert checklist.buttons[clinic.PROFESSIONALS].property("primary") is True

    clinic.add_professional("Dra. Marina Lopes")
    asked = []

    def new_patient(cls, parent):
        asked.append(parent)
        return clinic.add_patient("Ana Souza").id

    monkeypatch.setattr(PatientFormDialog, "ask", classmethod(new_patient))
    qtbot.mouseClick(checklist.buttons[clinic.FIRST_PATIENT], Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    assert checklist.isHidden() and checklist.done()  # all done: gone, no more polling


def test_the_checklist_ticks_what_was_done_elsewhere_by_itself(qtbot, db):
    shown = window(qtbot)
    clinic.set_clinic_info(name="Clínica Crescer")
    qtbot.waitUntil(lambda: shown.checklist.marks[clinic.CLINIC_DATA].text() == "✓", timeout=5000)


def test_hidden_on_this_pc_it_stays_hidden(qtbot, db):
    first = window(qtbot)
    qtbot.mouseClick(first.checklist.hide_button, Qt.MouseButton.LeftButton)
    assert first.checklist.isHidden()
    assert window(qtbot).checklist is None


def test_a_clinic_in_use_never_sees_it(qtbot, db):
    clinic.add_patient("Ana Souza")  # imported or registered before: not a new clinic
    assert window(qtbot).checklist is None


def test_a_clinic_with_patients_is_decided_on_one_read(db, patient, monkeypatch):
    from tests.helpers.statements import counting

    with counting(monkeypatch)() as sent:
        assert not setup_checklist.wanted()
    assert len(sent) == 1, sent.sent  # is there a patient? then the steps are not read
