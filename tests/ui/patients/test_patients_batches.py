"""The patients list reads its patients a batch at a time (`list_page.BATCH`, made small
here): the first batch when it opens, the next as the list scrolls to its end, all of
them for another order, for End, or to show a patient not read yet; the count in the
subtitle is always of them all."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from r3izzy_desktop.core import clinic
from r3izzy_desktop.core.store.binding import db as database
from r3izzy_desktop.ui.patients import list_page as list_module
from r3izzy_desktop.ui.patients.form import PatientFormDialog
from r3izzy_desktop.ui.patients.list_page import PatientsListPage

BATCH = 10
PATIENTS = 25  # two full batches and a part


def name(n: int) -> str:
    return f"Paciente {n:02d} " + ("Souza" if n % 3 == 0 else "Lima")


def names(page: PatientsListPage) -> list[str]:
    return [row.name for row in page.rows()]


@pytest.fixture
def everyone(db, monkeypatch):
    monkeypatch.setattr(list_module, "BATCH", BATCH)
    with database.atomic():
        added = [
            clinic.add_patient(name(n), phone=f"(19) 9{(n * 37) % 100:02d}00-0000")
            for n in range(PATIENTS)
        ]
    return added


@pytest.fixture
def page(qtbot, everyone):
    page = PatientsListPage()
    qtbot.addWidget(page)
    page.resize(900, 420)  # a few rows fit: the view asks for no more to fill itself
    page.show()
    QApplication.processEvents()
    return page


def test_it_opens_with_the_first_batch_and_counts_them_all(page):
    assert names(page) == [name(n) for n in range(BATCH)]
    assert page.header.subtitle.text() == f"{PATIENTS} pacientes cadastrados"
    assert page.model.canFetchMore()


def test_scrolling_to_the_end_reads_the_next_batch_until_none_is_left(qtbot, page):
    bar = page.table.verticalScrollBar()
    for read in (2 * BATCH, PATIENTS):
        qtbot.waitUntil(lambda: bar.maximum() > bar.value())  # laid out: more to scroll to
        bar.setValue(bar.maximum())
        qtbot.waitUntil(lambda read=read: page.model.rowCount() == read)
    assert names(page) == [name(n) for n in range(PATIENTS)]
    assert not page.model.canFetchMore()


def test_end_goes_to_the_last_patient(qtbot, page):
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    current = page.model.row_at(page.table.currentIndex())
    assert current.name == name(PATIENTS - 1)
    assert page.model.rowCount() == PATIENTS


def test_another_column_sorts_every_patient_not_the_batch(qtbot, page, everyone):
    header = page.table.horizontalHeader()
    spot = QPoint(header.sectionViewportPosition(1) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    by_phone = sorted(everyone, key=lambda p: p.phone)
    assert [row.id for row in page.rows()] == [p.id for p in by_phone]
    # A search then keeps that order over all it finds.
    page.search.setText("souza")
    page.apply_search()
    assert [row.name for row in page.rows()] == [p.name for p in by_phone if "Souza" in p.name]


def test_name_z_to_a_starts_with_the_last_patient(qtbot, page):
    header = page.table.horizontalHeader()
    header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    assert names(page) == [name(n) for n in reversed(range(PATIENTS))]


def test_a_search_counts_what_it_finds_beyond_the_batch(page):
    page.search.setText("lima")
    page.apply_search()
    lima = [name(n) for n in range(PATIENTS) if n % 3]
    assert page.header.subtitle.text() == f"{len(lima)} pacientes encontrados"
    assert names(page) == lima[:BATCH]
    page.search.setText("souza")
    page.apply_search()
    assert page.header.subtitle.text() == "9 pacientes encontrados"
    assert names(page) == [name(n) for n in range(0, PATIENTS, 3)]
    assert not page.model.canFetchMore()


def test_a_refresh_keeps_the_rows_scrolled_to_and_the_selected_patient(qtbot, page):
    bar = page.table.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 * BATCH)
    page.select_patient(page.rows()[15].id)
    chosen = page.selected_patient_id()
    page.refresh()
    assert page.model.rowCount() == 2 * BATCH
    assert page.selected_patient_id() == chosen


def test_a_new_patient_late_in_the_alphabet_is_read_and_selected(qtbot, page, monkeypatch):
    opened: list[int] = []
    page.patient_opened.connect(opened.append)
    monkeypatch.setattr(
        PatientFormDialog, "ask", staticmethod(lambda parent: clinic.add_patient("Zuleica").id)
    )
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert page.model.row_at(page.table.currentIndex()).name == "Zuleica"
    assert opened == [page.selected_patient_id()]
    assert page.header.subtitle.text() == f"{PATIENTS + 1} pacientes cadastrados"


def test_a_patient_added_on_another_pc_meanwhile_comes_with_its_batch(qtbot, page):
    clinic.add_patient("Paciente 15b")  # after the count; the next batch reads it
    page.model.fetch_all()
    assert "Paciente 15b" in names(page)
    assert page.model.total == PATIENTS + 1 and not page.model.canFetchMore()
