"""Pacientes: the live search, the patient form's inline validation, the patient page and
the navigation list → patient page → package list, driven as a receptionist would."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QLabel

from r3izzy_desktop.core import clinic, packages
from r3izzy_desktop.core.demo.names import make_cpf
from r3izzy_desktop.ui.patients.area import PatientsArea
from r3izzy_desktop.ui.patients.form import PatientFormDialog
from r3izzy_desktop.ui.patients.list_page import PatientsListPage
from r3izzy_desktop.ui.patients.patient_page import PatientPage
from r3izzy_desktop.ui.shell.main_window import MainWindow

VALID_CPF = make_cpf(random.Random(3))


def names(page: PatientsListPage) -> list[str]:
    return [row.name for row in page.rows()]


@pytest.fixture
def clinic_patients(db):
    return [
        clinic.add_patient("João Pereira", phone="(19) 99111-2222", cpf=VALID_CPF),
        clinic.add_patient("Maria Silva", phone="(11) 98765-4321"),
        clinic.add_patient("Joana Dias", guardian="Cláudia Dias", birth_date=date(2018, 3, 9)),
    ]


@pytest.fixture
def list_page(qtbot, clinic_patients):
    page = PatientsListPage()  # built, it reads the patients
    qtbot.addWidget(page)
    page.show()
    return page


def test_typing_joao_finds_joao(qtbot, qtmodeltester, list_page):
    assert names(list_page) == ["Joana Dias", "João Pereira", "Maria Silva"]
    qtbot.keyClicks(list_page.search, "joao")
    qtbot.waitUntil(lambda: names(list_page) == ["João Pereira"])
    assert list_page.header.subtitle.text() == "1 paciente encontrado"
    qtmodeltester.check(list_page.model)


def test_search_by_phone_and_cpf_digits(qtbot, list_page):
    qtbot.keyClicks(list_page.search, "98765")
    qtbot.waitUntil(lambda: names(list_page) == ["Maria Silva"])
    list_page.search.clear()
    qtbot.keyClicks(list_page.search, clinic.format_cpf(VALID_CPF)[:7])
    qtbot.waitUntil(lambda: names(list_page) == ["João Pereira"])


def test_no_match_says_so(qtbot, list_page):
    qtbot.keyClicks(list_page.search, "zzz")
    qtbot.waitUntil(lambda: names(list_page) == [])
    assert "Nenhum paciente encontrado para “zzz”" in list_page.empty.text()
    assert list_page.empty.isVisible()


def test_a_column_clicked_sorts_the_list_and_a_search_keeps_that_order(qtbot, list_page):
    header = list_page.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section(header, 1))
    assert names(list_page) == ["Joana Dias", "Maria Silva", "João Pereira"]  # by phone
    qtbot.keyClicks(list_page.search, "j")
    qtbot.waitUntil(lambda: list_page.header.subtitle.text() == "2 pacientes encontrados")
    assert names(list_page) == ["Joana Dias", "João Pereira"]  # still by phone: "" first
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section(header, 0))
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section(header, 0))
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert names(list_page) == ["João Pereira", "Joana Dias"]  # by name, Z to A
    list_page.search.clear()
    qtbot.waitUntil(lambda: len(names(list_page)) == 3)
    assert names(list_page) == ["Maria Silva", "João Pereira", "Joana Dias"]


def _section(header, column: int) -> QPoint:
    return QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2)


def test_columns_show_formatted_data(list_page):
    titles = list_page.model.column_titles()
    assert titles == ["Nome", "Telefone", "CPF", "Data de nascimento", "Responsável"]
    joana = list_page.model.index(0, 0)
    row = [list_page.model.index(joana.row(), c).data() for c in range(5)]
    assert row == ["Joana Dias", "", "", "09/03/2018", "Cláudia Dias"]
    joao = [list_page.model.index(1, c).data() for c in range(3)]
    assert joao == ["João Pereira", "(19) 99111-2222", clinic.format_cpf(VALID_CPF)]


def test_enter_in_search_opens_the_patient(qtbot, list_page, clinic_patients):
    opened = []
    list_page.patient_opened.connect(opened.append)
    qtbot.keyClicks(list_page.search, "maria")
    qtbot.keyClick(list_page.search, Qt.Key.Key_Return)
    assert opened == [clinic_patients[1].id]


def test_double_click_opens_the_patient(qtbot, list_page, clinic_patients):
    opened = []
    list_page.patient_opened.connect(opened.append)
    table = list_page.table
    rect = table.visualRect(list_page.model.index(1, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(opened) == 1
    assert opened[-1] == clinic_patients[0].id  # row 1 is João (sorted by name)


def _form(qtbot, patient_id=None) -> PatientFormDialog:
    dialog = PatientFormDialog(patient_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_invalid_cpf_shows_inline_error_and_saves_nothing(qtbot, db):
    dialog = _form(qtbot)
    qtbot.keyClicks(dialog.name, "Pedro Alves")
    qtbot.keyClicks(dialog.cpf, "123.456.789-00")
    qtbot.keyClicks(dialog.phone, "1234")
    qtbot.keyClicks(dialog.email, "pedro@")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.fields["cpf"].error() == "CPF inválido: confira os dígitos."
    assert "Telefone inválido" in dialog.fields["phone"].error()
    assert dialog.fields["email"].error() == "E-mail inválido."
    assert dialog.fields["name"].error() == ""
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert clinic.find_patients("", include_inactive=True) == []

    # Correcting the fields clears their messages and saves.
    dialog.cpf.clear()
    qtbot.keyClicks(dialog.cpf, clinic.format_cpf(VALID_CPF))
    dialog.phone.clear()
    qtbot.keyClicks(dialog.phone, "19 98888 7777")
    dialog.email.clear()
    qtbot.keyClicks(dialog.email, "pedro@exemplo.com")
    qtbot.keyClick(dialog.email, Qt.Key.Key_Return)  # Enter saves
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = clinic.get_patient(dialog.saved_id)
    assert (saved.name, saved.cpf, saved.phone, saved.email) == (
        "Pedro Alves",
        VALID_CPF,
        "(19) 98888-7777",
        "pedro@exemplo.com",
    )


def test_name_is_required_and_birth_date_must_be_a_date(qtbot, db):
    dialog = _form(qtbot)
    qtbot.keyClicks(dialog.birth_date, "31/02/2020")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.fields["name"].error() == "Informe nome."
    assert "Data inválida" in dialog.fields["birth_date"].error()
    assert clinic.find_patients("", include_inactive=True) == []


def test_cpf_is_checked_when_leaving_the_field(qtbot, db):
    dialog = _form(qtbot)
    qtbot.keyClicks(dialog.cpf, "111.111.111-11")
    dialog.cpf.editingFinished.emit()
    assert dialog.fields["cpf"].error() == "CPF inválido: confira os dígitos."


def test_edit_patient_changes_the_database(qtbot, clinic_patients):
    maria = clinic_patients[1]
    dialog = _form(qtbot, maria.id)
    assert dialog.name.text() == "Maria Silva" and dialog.phone.text() == "(11) 98765-4321"
    dialog.guardian.clear()
    qtbot.keyClicks(dialog.guardian, "Rosa Silva")
    dialog.active.setChecked(False)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = clinic.get_patient(maria.id)
    assert (saved.guardian, saved.active) == ("Rosa Silva", False)


def test_new_patient_button_saves_and_opens_the_patient_page(qtbot, monkeypatch, db):
    area = PatientsArea()
    qtbot.addWidget(area)
    area.show()

    def person_fills_the_form(cls, parent, patient_id=None):
        dialog = cls(patient_id, parent)
        dialog.show()
        qtbot.keyClicks(dialog.name, "Heitor Lima")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.saved_id

    monkeypatch.setattr(PatientFormDialog, "ask", classmethod(person_fills_the_form))
    qtbot.mouseClick(area.list_page.new_button, Qt.MouseButton.LeftButton)
    [heitor] = clinic.find_patients("heitor")
    assert area.level == "patient" and area.patient_page.patient_id == heitor.id
    assert area.patient_page.header.title.text() == "Heitor Lima"
    assert area.breadcrumb.texts()[-1] == "Heitor Lima"


def test_patient_page_summarises_active_packages(qtbot, patient):
    packages.create_package(patient, 5, Decimal("1000.00"))
    packages.create_package(patient, 2, Decimal("300.00"))
    old = packages.create_package(patient, 4, Decimal("800.00"))
    packages.edit_package(old, status="inativo")
    page = PatientPage()
    qtbot.addWidget(page)
    page.show_patient(patient.id)
    assert page.header.title.text() == "Ana Souza"
    assert page.active_count.text() == "2"
    assert page.sessions_left.text() == "7"
    assert page.open_amount.text() == "R$ 1.300,00"
    lines = " ".join(w.text() for w in page.packages_card.findChildren(QLabel))
    assert "5 de 5 sessões" in lines and "R$ 1.000,00 em aberto" in lines
    data = " ".join(w.text() for w in page.data_card.findChildren(QLabel))
    assert "(11) 98765-4321" in data


def test_patient_page_has_the_agenda_area_and_takes_a_calendar(qtbot, patient):
    from PySide6.QtWidgets import QWidget

    page = PatientPage()
    qtbot.addWidget(page)
    page.show()
    page.show_patient(patient.id)
    titles = [w.text() for w in page.agenda_card.findChildren(QLabel)]
    assert "Agenda do paciente" in titles
    assert page.calendar_note.isVisible()

    class Calendar(QWidget):
        shown: list[int] = []

        def set_patient(self, patient_id: int) -> None:
            self.shown.append(patient_id)

    calendar = Calendar()
    page.set_calendar(calendar)
    assert page.calendar() is calendar and not page.calendar_note.isVisible()
    assert Calendar.shown == [patient.id]


def test_pacotes_button_and_breadcrumb_navigation(qtbot, patient):
    area = PatientsArea()
    qtbot.addWidget(area)
    area.show()
    area.list_page.select_patient(patient.id)
    qtbot.keyClick(area.list_page.table, Qt.Key.Key_Return)
    assert area.level == "patient"
    qtbot.mouseClick(area.patient_page.packages_button, Qt.MouseButton.LeftButton)
    assert area.level == "packages"
    assert area.breadcrumb.texts() == ["← Voltar", "Pacientes", "›", "Ana Souza", "›", "Pacotes"]
    assert area.packages_page.header.title.text() == "Pacotes de Ana Souza"
    area.back()
    assert area.level == "patient"
    area.back()
    assert area.level == "list" and not area.breadcrumb.isVisible()


def test_a_patient_gone_meanwhile_is_explained(qtbot, dialogs, db):
    area = PatientsArea()
    qtbot.addWidget(area)
    area.open_patient(999)
    assert area.level == "list"
    assert dialogs.told == [("", "Paciente não encontrado.")]


def test_main_window_ctrl_f_finds_a_patient(qtbot, clinic_patients):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.show_page("settings")
    with qtbot.waitActive(window):  # offscreen, building a page may leave it inactive
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    area = window.page("patients")
    assert window.current_key() == "patients"
    assert isinstance(area, PatientsArea)
    assert area.list_page.search.hasFocus()


def test_thousands_of_patients_are_one_model_no_widget_per_row(qtbot, db):
    from r3izzy_desktop.core.store.binding import db as database

    with database.atomic():  # one transaction: quick to fill
        for number in range(2000):
            clinic.add_patient(f"Paciente {number:04d}")
    page = PatientsListPage()
    qtbot.addWidget(page)
    assert page.header.subtitle.text() == "2000 pacientes cadastrados"
    page.model.fetch_all()
    assert page.model.rowCount() == 2000
    assert page.table.indexWidget(page.model.index(0, 0)) is None


def _click_nav(qtbot, window: MainWindow, key: str) -> None:
    """Click the rail's item for `key` as a person would."""
    keys = [spec.key for spec in window._specs]
    item = window.nav.item(keys.index(key))
    rect = window.nav.visualItemRect(item)
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_pacientes_in_the_rail_opens_the_list_not_the_last_patient(qtbot, patient):
    """Issue 15 item 11: from a patient's packages, Agenda, then Pacientes: the list; and
    Pacientes clicked while a patient is open: the list too."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    area = window.page("patients")
    area.list_page.select_patient(patient.id)
    qtbot.keyClick(area.list_page.table, Qt.Key.Key_Return)
    qtbot.mouseClick(area.patient_page.packages_button, Qt.MouseButton.LeftButton)
    assert area.level == "packages"
    _click_nav(qtbot, window, "agenda")
    assert window.current_key() == "agenda"
    _click_nav(qtbot, window, "patients")
    assert window.current_key() == "patients"
    assert area.level == "list" and area.stack.currentWidget() is area.list_page
    assert not area.breadcrumb.isVisible()

    qtbot.keyClick(area.list_page.table, Qt.Key.Key_Return)
    assert area.level == "patient"
    _click_nav(qtbot, window, "patients")
    assert area.level == "list" and area.stack.currentWidget() is area.list_page


def test_the_names_stay_readable_on_a_small_screen(qtbot, db, patient):
    # On a 1024×600 screen the list is about 700 px wide, less than its other columns:
    # the stretched Nome column shrank to a 30 px sliver and hid every name.
    from r3izzy_desktop.ui.common.column_widths import STRETCH_SAMPLE

    page = PatientsListPage()
    qtbot.addWidget(page)
    page.show()
    table = page.table
    least = table.fontMetrics().horizontalAdvance(STRETCH_SAMPLE)
    page.resize(760, 500)  # the page at 1024×600, beside the rail
    qtbot.waitUntil(lambda: table.viewport().width() < 760)
    qtbot.wait(20)
    assert table.columnWidth(0) >= least
    page.resize(1130, 700)  # at 1366×768 the name takes what the others leave
    qtbot.waitUntil(lambda: table.columnWidth(0) > least + 40)
    others = sum(table.columnWidth(column) for column in range(1, 5))
    assert table.columnWidth(0) + others == table.viewport().width()
