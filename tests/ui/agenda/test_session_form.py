"""The session form: searchable patient, service defaults, weekly repetition in one
transaction, the overlap warning, editing."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from r3izzy_desktop.core import agenda, clinic, payments
from r3izzy_desktop.core.errors import ValidationError
from r3izzy_desktop.core.store.models import Session as SessionModel
from r3izzy_desktop.ui.agenda.session_form import SessionFormDialog
from tests.helpers.agenda_drivers import LEFT, choose_combo, click_box, set_when, type_patient

APRIL = (date(2025, 4, 1), date(2025, 4, 30))


@pytest.fixture
def camila(db):
    return clinic.add_professional("Dra. Camila Ribeiro", "#2a9d8f")


@pytest.fixture
def room(db):
    return clinic.add_location("Sala 1")


def form(qtbot, **kwargs) -> SessionFormDialog:
    dialog = SessionFormDialog(None, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def all_sessions():
    return agenda.sessions_between(date(2025, 1, 1), date(2026, 12, 31))


def test_create_a_session_typing_the_patient(qtbot, patient, service, camila, room):
    clinic.add_patient("Bruno Lima")
    clinic.add_service("Método Therasuite", price=Decimal("300.00"), duration_min=60)
    dialog = form(qtbot, start=datetime(2025, 4, 1, 10, 0))
    type_patient(qtbot, dialog, "ana sou")
    assert dialog.patient.patient_id() == patient.id
    choose_combo(dialog.service, "Método Therasuite")
    assert (dialog.price.text(), dialog.duration.value()) == ("300,00", 60)
    choose_combo(dialog.service, "Método Bobath")
    assert (dialog.price.text(), dialog.duration.value()) == ("250,00", 50)
    choose_combo(dialog.location, "Sala 1")
    choose_combo(dialog.professional, "Dra. Camila Ribeiro")
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert dialog.result() == dialog.DialogCode.Accepted
    (row,) = all_sessions()
    assert row.id == dialog.saved_ids[0]
    assert (row.patient_name, row.service_name, row.location_name, row.professional_name) == (
        "Ana Souza",
        "Método Bobath",
        "Sala 1",
        "Dra. Camila Ribeiro",
    )
    assert (row.starts_at, row.duration_min, row.price) == (
        datetime(2025, 4, 1, 10, 0),
        50,
        Decimal("250.00"),
    )


def test_patient_search_ignores_accents(qtbot, db, service):
    joao = clinic.add_patient("João Pereira")
    dialog = form(qtbot)
    type_patient(qtbot, dialog, "joao")
    assert dialog.patient.patient_id() == joao.id
    assert dialog.patient.text() == "João Pereira"


def test_no_patient_chosen_is_an_inline_error(qtbot, service, patient):
    dialog = form(qtbot)
    qtbot.keyClicks(dialog.patient, "ninguem assim")
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert dialog.result() != dialog.DialogCode.Accepted
    assert not dialog.patient_error.isHidden()
    assert "paciente" in dialog.patient_error.text().lower()
    assert all_sessions() == []


def test_invalid_price_is_shown_under_the_field(qtbot, patient, service):
    dialog = form(qtbot, patient_id=patient.id)
    dialog.price.clear()
    qtbot.keyClicks(dialog.price, "12,345")
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert not dialog.price_error.isHidden()
    assert "duas casas" in dialog.price_error.text()
    assert all_sessions() == []


def test_weekly_repetition_tuesdays_and_thursdays_for_ten_weeks(qtbot, patient, service):
    dialog = form(qtbot, patient_id=patient.id)
    set_when(dialog, datetime(2025, 4, 1, 14, 0))  # a Tuesday
    click_box(qtbot, dialog.repeat)
    assert dialog.weekday_buttons[1].isChecked()  # the chosen day's weekday, preselected
    qtbot.mouseClick(dialog.weekday_buttons[3], LEFT)  # and Thursday
    dialog.weeks.setValue(10)
    assert dialog.repeat_summary.text() == "20 sessões, de ter. 01/04 a qui. 05/06."
    qtbot.mouseClick(dialog.save_button, LEFT)
    rows = all_sessions()
    assert len(rows) == 20 == len(dialog.saved_ids)
    assert {r.starts_at.weekday() for r in rows} == {1, 3}
    assert all(r.starts_at.hour == 14 for r in rows)
    assert [r.id for r in rows] == dialog.saved_ids  # chronological


def test_a_repetition_is_all_or_nothing(qtbot, monkeypatch, patient, service):
    real_create = SessionModel.create
    calls = []

    def failing_create(**values):
        calls.append(values)
        if len(calls) == 5:
            raise ValidationError("Falha simulada ao gravar.")
        return real_create(**values)

    monkeypatch.setattr(SessionModel, "create", failing_create)
    dialog = form(qtbot, patient_id=patient.id)
    set_when(dialog, datetime(2025, 4, 1, 14, 0))
    click_box(qtbot, dialog.repeat)
    dialog.weeks.setValue(8)
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert len(calls) == 5
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "Falha simulada" in dialog.error_label.text()
    assert all_sessions() == []


def test_overlap_warns_and_asks_before_saving(qtbot, dialogs, patient, service, camila):
    other = clinic.add_patient("Bruno Lima")
    agenda.schedule(other, service, datetime(2025, 4, 1, 10, 0), professional=camila)
    dialog = form(qtbot, patient_id=patient.id, start=datetime(2025, 4, 1, 10, 30))
    choose_combo(dialog.professional, "Dra. Camila Ribeiro")
    assert not dialog.overlap_label.isHidden()
    assert "Dra. Camila Ribeiro já tem sessão em ter. 01/04 às 10:30" in dialog.overlap_label.text()

    dialogs.answers = [False]  # "Voltar"
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert len(all_sessions()) == 1
    title, text = dialogs.asked[-1]
    assert title == "Horário ocupado"
    assert "Dra. Camila Ribeiro" in text and "ter. 01/04 10:30" in text

    dialogs.answers = [True]  # "Agendar mesmo assim"
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert len(all_sessions()) == 2


def test_the_same_patient_twice_at_the_same_time_is_flagged(
    qtbot, dialogs, patient, service, camila
):
    """Issue 15 item 6: another professional, same patient, same hour: warned, asked."""
    paulo = clinic.add_professional("Dr. Paulo Mendes")
    agenda.schedule(patient, service, datetime(2025, 4, 1, 10, 0), professional=paulo)
    dialog = form(qtbot, start=datetime(2025, 4, 1, 10, 20))
    choose_combo(dialog.professional, "Dra. Camila Ribeiro")
    assert dialog.overlap_label.isHidden()  # no patient chosen yet
    type_patient(qtbot, dialog, "ana sou")
    assert not dialog.overlap_label.isHidden()
    assert "Ana Souza já tem sessão em ter. 01/04 às 10:20" in dialog.overlap_label.text()

    dialogs.answers = [False]  # "Voltar"
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert len(all_sessions()) == 1
    title, text = dialogs.asked[-1]
    assert title == "Horário ocupado"
    assert "Ana Souza" in text and "ter. 01/04 10:20" in text

    dialogs.answers = [True]  # "Agendar mesmo assim"
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert len(all_sessions()) == 2


def test_no_overlap_no_question(qtbot, patient, service, camila):
    agenda.schedule(patient, service, datetime(2025, 4, 1, 10, 0), professional=camila)
    dialog = form(qtbot, patient_id=patient.id, start=datetime(2025, 4, 1, 10, 50))
    choose_combo(dialog.professional, "Dra. Camila Ribeiro")
    assert dialog.overlap_label.isHidden()
    qtbot.mouseClick(dialog.save_button, LEFT)  # the dialogs fixture fails on any confirm
    assert len(all_sessions()) == 2


def test_edit_a_session(qtbot, patient, service, make_session):
    session = make_session(1, 10)
    dialog = form(qtbot, session_id=session.id)
    assert dialog.windowTitle() == "Editar sessão"
    assert dialog.patient.text() == "Ana Souza"
    set_when(dialog, datetime(2025, 4, 2, 15, 30))
    dialog.price.clear()
    qtbot.keyClicks(dialog.price, "275")
    dialog.notes.setPlainText("Trazer órtese")
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert dialog.saved_ids == [session.id]
    (row,) = all_sessions()
    assert (row.starts_at, row.price, row.notes) == (
        datetime(2025, 4, 2, 15, 30),
        Decimal("275.00"),
        "Trazer órtese",
    )


def test_a_paid_session_keeps_its_price_and_patient(qtbot, patient, make_session):
    session = make_session(1, 10)
    payments.pay_manually([session], method="pix", paid_on=date(2025, 4, 1))
    dialog = form(qtbot, session_id=session.id)
    assert dialog.price.isReadOnly() and dialog.patient.isReadOnly()
    assert "Sessão paga (Pix" in dialog.paid_note.text()


def test_escape_cancels(qtbot, patient, service):
    dialog = form(qtbot, patient_id=patient.id)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == dialog.DialogCode.Rejected
    assert all_sessions() == []


def test_editing_keeps_a_professional_and_location_made_inactive(
    qtbot, patient, service, camila, room, make_session
):
    session = make_session(1, 10, professional=camila, location=room)
    clinic.update_professional(camila, active=False)
    clinic.update_location(room, active=False)
    dialog = form(qtbot, session_id=session.id)
    assert dialog.professional.currentText() == "Dra. Camila Ribeiro"
    assert dialog.location.currentText() == "Sala 1"
    dialog.notes.setPlainText("Só a observação mudou")
    qtbot.mouseClick(dialog.save_button, LEFT)
    row = agenda.get_session(session.id)
    assert (row.professional_id, row.location_id, row.notes) == (
        camila.id,
        room.id,
        "Só a observação mudou",
    )
