"""Relatório de Pacotes: filters, sorting, totals, the selected package's history, and the
Exportar Excel action (the save dialog patched; the worker waited for)."""

import threading
import time
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
import shiboken6
from PySide6.QtCore import QDate, QPoint, Qt

from r3izzy_desktop.core import clinic, packages, reports
from r3izzy_desktop.core.reports import export
from r3izzy_desktop.ui.common import exports, jobs
from r3izzy_desktop.ui.common.column_widths import two_lines
from r3izzy_desktop.ui.finance.report_window import PackageReportWindow

D = Decimal


@pytest.fixture
def clinic_packages(patient, make_session):
    """Ana: 1.000,00 ÷ 3 with two debits (ativo, open 333,33) and 4 for 1.000,00 finalizado;
    Bruno: 4 for 1.000,00, 2 used, inativo; Álvaro: 5 for 1.000,00, nothing used."""
    bruno = clinic.add_patient("Bruno Lima")
    alvaro = clinic.add_patient("Álvaro Mendes")
    p1 = packages.create_package(patient, 3, D("1000.00"), paid_on=date(2025, 5, 2))
    packages.pay_sessions(p1, [make_session(1, 10), make_session(2, 10)], True)
    p2 = packages.create_package(patient, 4, D("1000.00"), paid_on=date(2025, 5, 10))
    packages.pay_sessions(p2, [make_session(d, 9) for d in (7, 8, 9, 10)])
    p3 = packages.create_package(bruno, 4, D("1000.00"), paid_on=date(2025, 6, 1), notes="=1+1")
    packages.pay_sessions(p3, [make_session(d, 11, patient=bruno) for d in (3, 4)])
    packages.edit_package(p3, status="inativo")
    p4 = packages.create_package(alvaro, 5, D("1000.00"), paid_on=date(2025, 6, 15))
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4}


@pytest.fixture(autouse=True)
def _close_windows(db):
    """Close the report windows a test left open (a closed one deleted itself)."""
    yield
    for window in OPENED:
        if shiboken6.isValid(window):
            window.close()
            window.deleteLater()
    OPENED.clear()
    assert jobs.wait_for_all(10)


OPENED: list[PackageReportWindow] = []


def open_window(qtbot) -> PackageReportWindow:
    window = PackageReportWindow()
    OPENED.append(window)
    window.show()
    window.load()
    wait_loaded(qtbot, window)
    return window


def wait_loaded(qtbot, window):
    qtbot.waitUntil(lambda: window.report is not None and not window.is_loading(), timeout=5000)


def cells(model, column):
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_models_pass_the_model_tester(qtbot, qtmodeltester, db, clinic_packages):
    window = open_window(qtbot)
    qtmodeltester.check(window.model)
    qtmodeltester.check(window.totals_model)
    qtmodeltester.check(window.history_model)


def test_every_package_with_the_manual_columns_and_totals(qtbot, db, clinic_packages):
    window = open_window(qtbot)
    titles = [
        window.model.headerData(c, Qt.Orientation.Horizontal).replace("\n", " ")
        for c in range(window.model.columnCount())
    ]
    assert titles == [
        "Paciente",
        "No.",
        "Data Pgto.",
        "Validade",
        "Status",
        "Valor Total",
        "Saldo Atual",
        "Preço por Sessão",
        "Total de Sessões",
        "Sessões Usadas",
        "Sessões Restantes",
        "Serviços",
    ]
    assert cells(window.model, 0) == ["Álvaro Mendes", "Ana Souza", "Ana Souza", "Bruno Lima"]
    ana = [window.model.index(1, c).data() for c in range(12)]
    assert ana == [
        "Ana Souza",
        clinic_packages["p1"].number,
        "02/05/2025",
        "—",  # sem validade
        "ativo",
        "R$ 1.000,00",
        "R$ 333,33",
        "R$ 333,33",
        "3",
        "2",
        "1",
        "todos",  # every service
    ]
    assert cells(window.model, 4) == ["ativo", "ativo", "finalizado", "inativo"]
    colors = [
        window.model.index(r, 4).data(Qt.ItemDataRole.ForegroundRole).color().name()
        for r in range(4)
    ]
    assert colors == ["#2e9e5b", "#2e9e5b", "#2f6fdd", "#6b7280"]
    assert window.model.index(0, 5).data(Qt.ItemDataRole.TextAlignmentRole) & int(
        Qt.AlignmentFlag.AlignRight
    )
    totals = [window.totals_model.index(0, c).data() for c in range(12)]
    assert totals == [
        "Total",
        "4 pacotes",
        "",
        "",
        "",
        "R$ 4.000,00",
        "R$ 1.833,33",
        "",
        "16",
        "8",
        "8",
        "",
    ]
    assert window.count_label.text() == "4 pacotes"


def test_status_filter(qtbot, db, clinic_packages):
    window = open_window(qtbot)
    window.status.setCurrentIndex(window.status.findData("ativo"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 2 and not window.is_loading())
    assert cells(window.model, 4) == ["ativo", "ativo"]
    assert window.totals_model.index(0, 6).data() == "R$ 1.333,33"


def test_patient_search_typed(qtbot, db, clinic_packages):
    window = open_window(qtbot)
    qtbot.keyClicks(window.search, "alvaro")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and not window.is_loading())
    assert cells(window.model, 0) == ["Álvaro Mendes"]
    window.search.clear()
    qtbot.keyClicks(window.search, "ana sou")
    qtbot.waitUntil(lambda: window.model.rowCount() == 2 and not window.is_loading())
    assert window.totals_model.index(0, 1).data() == "2 pacotes"


def test_payment_date_range(qtbot, db, clinic_packages):
    window = open_window(qtbot)
    window.period.set_range(date(2025, 5, 1), date(2025, 5, 31))
    qtbot.waitUntil(lambda: window.model.rowCount() == 2 and not window.is_loading())
    assert cells(window.model, 2) == ["02/05/2025", "10/05/2025"]
    window.period.end.setDate(QDate(2025, 6, 1))  # both ends included
    qtbot.waitUntil(lambda: window.model.rowCount() == 3 and not window.is_loading())
    qtbot.mouseClick(window.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() == 4 and not window.is_loading())


def test_nothing_found(qtbot, db, clinic_packages):
    window = open_window(qtbot)
    qtbot.keyClicks(window.search, "xyz")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0 and not window.is_loading())
    assert window.totals_model.index(0, 1).data() == "0 pacotes"
    assert window.history_model.rowCount() == 0
    assert "selecione" in window.history_title.text()


def click_header(qtbot, table, column):
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 10))


def test_sorting_by_clicking_the_headers(qtbot, db, clinic_packages):
    window = open_window(qtbot)
    click_header(qtbot, window.table, 6)  # Saldo Atual, ascending
    assert cells(window.model, 6) == ["R$ 0,00", "R$ 333,33", "R$ 500,00", "R$ 1.000,00"]
    click_header(qtbot, window.table, 6)  # descending
    assert cells(window.model, 6) == ["R$ 1.000,00", "R$ 500,00", "R$ 333,33", "R$ 0,00"]
    click_header(qtbot, window.table, 10)  # Sessões Restantes
    assert cells(window.model, 10) == ["0", "1", "2", "5"]
    # The sort survives a reload with other filters.
    window.status.setCurrentIndex(window.status.findData("ativo"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 2 and not window.is_loading())
    assert cells(window.model, 10) == ["1", "5"]


def test_sorting_keeps_the_selected_package_and_its_history(qtbot, db, clinic_packages):
    window = open_window(qtbot)
    bruno = clinic_packages["p3"]
    window._reselect(bruno.id)
    click_header(qtbot, window.table, 6)  # Saldo Atual: Bruno's row moves
    row = window.table.selectionModel().currentIndex().row()
    assert window.model.row_at(row).package_id == bruno.id
    assert window.table.selectionModel().isRowSelected(row)
    assert bruno.number in window.history_title.text()


def test_selected_package_history(qtbot, db, clinic_packages):
    window = open_window(qtbot)
    # The first package is selected at once; click Bruno's row.
    row = cells(window.model, 0).index("Bruno Lima")
    rect = window.table.visualRect(window.model.index(row, 0))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.selected_package_id() == clinic_packages["p3"].id
    assert clinic_packages["p3"].number in window.history_title.text()
    history = window.history_model
    assert cells(history, 0) == [
        "criado",
        "sessão debitada",
        "sessão debitada",
        "alterado manualmente",
    ]
    last = [history.index(3, c).data() for c in range(8)]
    assert [last[1], *last[3:]] == [
        "01/06/2025",
        "inativo",
        "Pacote alterado: status: inativo,",
        "2",
        "500,00",
        "250,00",
    ]
    assert history.columnCount() == 8  # the report's lines have no Operador
    header = [history.headerData(c, Qt.Orientation.Horizontal).replace("\n", " ") for c in range(8)]
    assert header == [
        "Tipo",
        "Data Pacote",
        "Data",
        "Status",
        "Observação",
        "Saldo de Sessões",
        "Saldo R$",
        "Valor Médio",
    ]
    # Keyboard: Down moves to the next package, and its history follows.
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Up)
    assert window.history_title.text().endswith("Ana Souza")


def test_a_load_reads_the_selected_history_once(qtbot, db, clinic_packages, monkeypatch):
    window = open_window(qtbot)
    reads = []
    read = reports.history_rows

    def counted(package, **filters):
        reads.append(package)
        return read(package, **filters)

    monkeypatch.setattr(reports, "history_rows", counted)
    # The first rows, then all of them: the selected package, unchanged, is read once.
    window.load()
    wait_loaded(qtbot, window)
    qtbot.waitUntil(lambda: len(reads) >= 1)  # the history is shown once the rows are in
    assert reads == [window.selected_package_id()]
    # Another load reads it again (it may have changed on another PC meanwhile).
    window.load()
    wait_loaded(qtbot, window)
    qtbot.waitUntil(lambda: len(reads) >= 2)
    assert reads == [window.selected_package_id()] * 2


def test_selection_is_kept_across_a_reload(qtbot, db, clinic_packages):
    window = open_window(qtbot)
    window._reselect(clinic_packages["p2"].id)
    window.load()
    wait_loaded(qtbot, window)
    assert window.selected_package_id() == clinic_packages["p2"].id


@pytest.fixture
def save_to(monkeypatch, tmp_path):
    asked = []

    def fake(parent, default_name, **kwargs):
        asked.append(default_name)
        return tmp_path / default_name

    monkeypatch.setattr(exports, "ask_save_path", fake)
    return asked


def test_export_excel_writes_the_filtered_report(qtbot, db, clinic_packages, save_to, dialogs):
    window = open_window(qtbot)
    window.status.setCurrentIndex(window.status.findData("inativo"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and not window.is_loading())
    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    assert save_to == [export.report_export_name()]
    qtbot.waitUntil(lambda: bool(dialogs.told), timeout=10000)
    assert not window.is_exporting() and window.export_button.isEnabled()
    title, text = dialogs.told[0]
    assert title == "Exportar relatório de pacotes"
    path = text.splitlines()[-1]
    assert path.endswith(export.report_export_name())
    book = openpyxl.load_workbook(path)
    sheet = book["Pacotes"]
    assert [sheet["A4"].value, sheet["B4"].value] == ["Status:", "inativo"]
    assert [sheet["A8"].value, sheet["B8"].value] == ["Bruno Lima", clinic_packages["p3"].number]
    assert sheet["K8"].value == "=1+1" and sheet["K8"].data_type == "s"
    assert sheet["A9"].value == "Total"
    assert book["Histórico"].max_row == 1 + 4


def test_export_without_history(qtbot, db, clinic_packages, save_to, dialogs):
    window = open_window(qtbot)
    window.include_history.setChecked(False)
    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialogs.told), timeout=10000)
    assert openpyxl.load_workbook(dialogs.told[0][1].splitlines()[-1]).sheetnames == ["Pacotes"]


def test_cancelling_the_save_dialog_does_nothing(qtbot, db, clinic_packages, monkeypatch, dialogs):
    monkeypatch.setattr(exports, "ask_save_path", lambda parent, name, **kw: None)
    window = open_window(qtbot)
    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    assert not window.is_exporting() and not dialogs.told


@pytest.fixture
def slow_export(monkeypatch):
    """An export that reports progress until cancelled (or 5 s), and writes nothing."""
    started = threading.Event()

    def slow(path, *, progress, **filters):
        started.set()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            progress(1, 10)
            time.sleep(0.01)
        raise AssertionError("never cancelled")

    monkeypatch.setattr(export, "package_report_xlsx", slow)
    return started


def test_cancel_button_stops_the_export(qtbot, db, clinic_packages, save_to, slow_export, dialogs):
    window = open_window(qtbot)
    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    assert slow_export.wait(5)
    qtbot.waitUntil(lambda: window.progress.isVisible() and window.progress.value() == 1)
    assert not window.export_button.isEnabled()
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.is_exporting(), timeout=5000)
    assert not window.progress.isVisible() and window.export_button.isEnabled()
    assert not dialogs.told


def test_closing_during_an_export_asks_then_cancels(
    qtbot, db, clinic_packages, save_to, slow_export, dialogs
):
    window = open_window(qtbot)
    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    assert slow_export.wait(5)
    job = window.export_run.job
    dialogs.answers = [False]  # "Continuar exportando"
    window.close()
    assert window.isVisible() and job.is_running()
    dialogs.answers = [True]  # "Cancelar exportação e fechar"
    window.close()
    assert job.wait(5)
    assert not job.is_running()
    assert dialogs.asked[0][0] == "Exportação em andamento"
    assert jobs.wait_for_all(5)


def test_two_line_headers():
    assert two_lines("Sessões Restantes") == "Sessões\nRestantes"
    assert two_lines("Preço por Sessão") == "Preço por\nSessão"
    assert two_lines("Status") == "Status"


def test_closing_while_the_first_rows_are_read_tells_nothing(
    qtbot, db, clinic_packages, monkeypatch, dialogs
):
    # The full read starts from the first rows' job's end, which can come after the
    # window was closed and deleted: nothing may then touch the window, start, or fail.
    release = threading.Event()
    preview = reports.package_report_preview

    def held(**filters):
        assert release.wait(5)
        return preview(**filters)

    monkeypatch.setattr(reports, "package_report_preview", held)
    full_reads = []
    monkeypatch.setattr(reports, "package_report", lambda **f: full_reads.append(f))
    window = PackageReportWindow()
    window.show()
    window.load()
    window.close()  # WA_DeleteOnClose
    qtbot.waitUntil(lambda: not shiboken6.isValid(window))
    release.set()
    assert jobs.wait_for_all(5)
    qtbot.wait(300)  # past AFTER_PAINT_LATEST_MS: a full read would have started
    assert full_reads == [] and not dialogs.told
