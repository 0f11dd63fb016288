"""Exporting a patient's packages from the app (manual 2): the save dialog seam, the
suggested name, the file written off the UI thread, and failures told in Portuguese."""

from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from r3izzy_desktop.core import clinic, clock, packages
from r3izzy_desktop.ui.common import exports, jobs

D = Decimal


@pytest.fixture
def ana_packages(patient, make_session):
    p1 = packages.create_package(patient, 3, D("1000.00"), paid_on=date(2025, 5, 2))
    packages.pay_sessions(p1, [make_session(1, 10)], accept_price_adjustment=True)
    p2 = packages.create_package(patient, 5, D("1000.00"), paid_on=date(2025, 6, 2))
    other = clinic.add_patient("Bruno Lima")
    packages.create_package(other, 1, D("10.00"))
    return p1, p2


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def save_to(monkeypatch, tmp_path):
    asked = []

    def fake(parent, default_name, **kwargs):
        asked.append(default_name)
        return tmp_path / default_name

    monkeypatch.setattr(exports, "ask_save_path", fake)
    return asked


def test_export_patient_packages(qtbot, db, patient, ana_packages, parent, save_to, dialogs):
    with clock.frozen(datetime(2025, 7, 3, 9, 0)):
        exports.export_patient_packages(parent, patient.id)
    assert save_to == ["pacotes-ana-souza-2025-07-03.xlsx"]
    qtbot.waitUntil(lambda: bool(dialogs.told), timeout=10000)
    title, text = dialogs.told[0]
    assert title == "Exportar pacotes"
    assert text.startswith("Os pacotes de Ana Souza foram exportados para:")
    path = text.splitlines()[-1]
    assert path.endswith("pacotes-ana-souza-2025-07-03.xlsx")
    assert [str(p) for p in dialogs.saved] == [path]  # "Abrir arquivo" / "Abrir pasta" offered
    book = openpyxl.load_workbook(path)
    sheet = book["Pacotes"]
    assert sheet["A1"].value == "Pacotes de Ana Souza"
    numbers = [sheet.cell(row, 2).value for row in (5, 6)]
    assert numbers == [ana_packages[0].number, ana_packages[1].number]
    assert sheet["A7"].value == "Total" and sheet["B7"].value == "2 pacotes"
    history = book["Histórico"]
    assert [r[0].value for r in history.iter_rows(min_row=2)] == [ana_packages[0].number] * 2 + [
        ana_packages[1].number
    ]


def test_cancelled_save_dialog_writes_nothing(qtbot, db, patient, parent, monkeypatch, dialogs):
    monkeypatch.setattr(exports, "ask_save_path", lambda parent, name, **kw: None)
    exports.export_patient_packages(parent, patient.id)
    assert not jobs.running_jobs() and not dialogs.told


def test_a_folder_that_is_gone_is_told(qtbot, db, patient, parent, monkeypatch, tmp_path, dialogs):
    monkeypatch.setattr(
        exports, "ask_save_path", lambda parent, name, **kw: tmp_path / "gone" / name
    )
    exports.export_patient_packages(parent, patient.id)
    qtbot.waitUntil(lambda: bool(dialogs.told), timeout=10000)
    assert "A pasta não existe" in dialogs.told[0][1]
    assert not (tmp_path / "gone").exists()


def test_unknown_patient_is_told(qtbot, db, parent, save_to, dialogs):
    exports.export_patient_packages(parent, 999)
    assert dialogs.told == [("", "Paciente não encontrado.")]
    assert save_to == []


def test_export_from_the_package_list(qtbot, db, patient, ana_packages, save_to, dialogs):
    from r3izzy_desktop.ui.packages.list_page import PackageListPage

    page = PackageListPage()
    qtbot.addWidget(page)
    page.show_patient(patient.id)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialogs.told), timeout=10000)
    assert save_to[0].startswith("pacotes-ana-souza-")
    assert openpyxl.load_workbook(dialogs.told[0][1].splitlines()[-1])["Pacotes"].max_row == 7


def test_the_progress_dialog_can_cancel(qtbot, db, patient, parent, tmp_path, dialogs):
    import threading

    started, release = threading.Event(), threading.Event()

    def slow(progress):
        started.set()
        while not release.wait(0.01):
            progress(1, 2)
        progress(2, 2)
        return tmp_path / "never.xlsx"

    run = exports.ExportRun(parent, "Exportar", slow, done_text="ok").start()
    assert started.wait(5)
    # A slow export shows its progress dialog (a quick one never does).
    qtbot.waitUntil(lambda: run.dialog.isVisible() and run.dialog.maximum() == 2, timeout=5000)
    button = run.dialog.findChild(QPushButton)
    assert button.text() == "Cancelar"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    results = []
    run.finished.connect(results.append)
    release.set()
    qtbot.waitUntil(lambda: results == [None], timeout=5000)
    assert run.dialog is None and not dialogs.told


def test_ask_save_path_adds_the_suffix_and_remembers_the_folder(qtbot, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    chosen = str(tmp_path / "meu relatório")
    seen = []

    def fake_dialog(parent, caption, start, file_filter):
        seen.append((caption, start, file_filter))
        return chosen, file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_dialog)
    assert exports.ask_save_path(None, "pacotes.xlsx") == tmp_path / "meu relatório.xlsx"
    assert seen[0][2] == "Planilha do Excel (*.xlsx)"
    assert exports.start_folder() == tmp_path
    assert exports.ask_save_path(None, "r.pdf", file_filter="PDF (*.pdf)").suffix == ".pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    assert exports.ask_save_path(None, "x.xlsx") is None
