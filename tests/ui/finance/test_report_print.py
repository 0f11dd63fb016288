"""Relatório de Pacotes › Imprimir: the preview of the report as on screen (columns, rows
in the order shown, totals, filters at the top), then the printer or a PDF, each in the
background with progress and Cancelar. The print dialog and the save dialog are patched;
the printer is a PDF printer whose file is read back."""

from __future__ import annotations

import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import shiboken6
from pypdf import PdfReader
from PySide6.QtCore import QMarginsF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter

from r3izzy_desktop.core import clinic, packages, reports
from r3izzy_desktop.ui.common import exports, jobs, print_preview
from r3izzy_desktop.ui.finance.report_columns import package_columns, totals_columns
from r3izzy_desktop.ui.finance.report_window import PackageReportWindow
from tests.helpers.printouts import page_images

D = Decimal
OPENED: list = []


@pytest.fixture
def clinic_packages(patient, make_session):
    """Ana: 3 for 1.000,00 with one debit (ativo) and 4 for 1.000,00 finalizado; Bruno: 2
    for 300,00 (ativo)."""
    bruno = clinic.add_patient("Bruno Lima")
    p1 = packages.create_package(patient, 3, D("1000.00"), paid_on=date(2025, 5, 2))
    packages.pay_sessions(p1, [make_session(1, 10)], True)
    p2 = packages.create_package(patient, 4, D("1000.00"), paid_on=date(2025, 5, 10))
    packages.pay_sessions(p2, [make_session(d, 9) for d in (7, 8, 9, 10)])
    p3 = packages.create_package(bruno, 2, D("300.00"), paid_on=date(2025, 6, 1))
    return p1, p2, p3


@pytest.fixture(autouse=True)
def _close_windows(db):
    yield
    for widget in OPENED:
        if shiboken6.isValid(widget):
            widget.close()
            widget.deleteLater()
    OPENED.clear()
    assert jobs.wait_for_all(10)


def open_window(qtbot) -> PackageReportWindow:
    window = PackageReportWindow()
    OPENED.append(window)
    window.show()
    window.load()
    qtbot.waitUntil(lambda: window.report is not None and not window.is_loading(), timeout=5000)
    return window


def open_preview(qtbot, window):
    dialog = window.print_report()
    assert dialog is not None
    OPENED.append(dialog)
    qtbot.waitUntil(dialog.is_ready, timeout=10000)
    return dialog


def pdf_words(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_the_preview_is_the_report_on_screen_in_its_order(qtbot, db, clinic_packages):
    window = open_window(qtbot)
    assert window.print_button.isEnabled()
    window.table.sortByColumn(4, window.table.horizontalHeader().sortIndicatorOrder())  # Valor
    dialog = open_preview(qtbot, window)
    layout = dialog.print_layout
    shown = window.model.rows()
    assert list(layout.table.rows) == shown
    columns = package_columns()
    assert [c.title for c in layout.table.columns] == [c.title for c in columns]
    for printed, row in zip(layout.cells, shown, strict=True):
        assert list(printed) == [column.text(row) for column in columns]
    assert layout.totals == [c.text(window.report.totals) for c in totals_columns()]
    assert list(layout.table.details) == window.report.filters.describe()
    assert layout.page_count == 1
    assert dialog.page_label.text() == "página 1 de 1"
    assert dialog.status.text() == "1 página, A4 paisagem"


def test_ctrl_p_opens_the_preview(qtbot, db, clinic_packages):
    window = open_window(qtbot)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.print_dialog is not None, timeout=2000)
    OPENED.append(window.print_dialog)
    qtbot.waitUntil(window.print_dialog.is_ready, timeout=10000)
    assert window.print_dialog.print_layout.page_count == 1


def test_print_waits_until_every_row_arrived(qtbot, db, clinic_packages):
    window = open_window(qtbot)
    window.load()
    assert not window.print_button.isEnabled()
    assert window.print_report() is None
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=5000)
    assert window.print_button.isEnabled()


@pytest.fixture
def save_pdf_to(monkeypatch, tmp_path):
    folder = tmp_path / "pdf"
    folder.mkdir()
    target = folder / "relatorio.pdf"
    asked = []

    def ask(parent, name, **kwargs):
        asked.append((name, kwargs.get("file_filter")))
        return target

    monkeypatch.setattr(exports, "ask_save_path", ask)
    return target, asked


def test_the_pdf_has_the_filters_on_top_and_the_filtered_rows(
    qtbot, db, clinic_packages, save_pdf_to, dialogs, tmp_path
):
    target, asked = save_pdf_to
    p1, _p2, p3 = clinic_packages
    window = open_window(qtbot)
    window.status.setCurrentIndex(window.status.findData("ativo"))
    qtbot.waitUntil(lambda: not window.is_loading() and window.print_button.isEnabled())
    dialog = open_preview(qtbot, window)
    assert dialog.save_pdf()
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=10000)
    assert asked[0][0].startswith("relatorio-de-pacotes-") and asked[0][0].endswith(".pdf")
    assert dialog.saved_path == target and dialogs.told[-1][0] == "PDF salvo"
    (page,) = pdf_words(target)
    assert "Data de pagamento: todas" in page and "Status: ativo" in page
    assert "Paciente" in page and "Restantes" in page and "página 1 de 1" in page
    assert p1.number in page and p3.number in page
    assert "2 pacotes" in page and "R$ 1.300,00" in page
    # The page as an image (poppler): the header row's teal band is painted.
    (png,) = page_images(target, tmp_path / "relatorio", dpi=60)
    image = QImage(str(png))
    band = sum(
        1
        for y in range(0, image.height(), 2)
        for x in range(image.width() // 4, image.width() // 2, 8)
        if image.pixelColor(x, y).name() == "#e6f4f4"
    )
    assert band > 10


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(12, 10, 12, 10),
            QPageLayout.Unit.Millimeter,
        )
    )
    return printer


def test_imprimir_sends_the_pages_to_the_chosen_printer(
    qtbot, db, clinic_packages, monkeypatch, tmp_path
):
    out = tmp_path / "impressora.pdf"
    monkeypatch.setattr(print_preview, "ask_printer", lambda parent, layout: pdf_printer(out))
    dialog = open_preview(qtbot, open_window(qtbot))
    assert dialog.print_pages()
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=10000)
    assert dialog.printed_pages == 1
    assert dialog.status.text() == "1 página enviada para a impressora."
    (page,) = pdf_words(out)
    assert "Relatório de Pacotes" in page and "3 pacotes" in page


def test_cancelling_the_print_dialog_prints_nothing(qtbot, db, clinic_packages, monkeypatch):
    monkeypatch.setattr(print_preview, "ask_printer", lambda parent, layout: None)
    dialog = open_preview(qtbot, open_window(qtbot))
    assert not dialog.print_pages()
    assert not dialog.is_busy() and dialog.printed_pages == 0


@pytest.fixture
def slow_pages(monkeypatch):
    """Painting that takes its time, page by page, until cancelled."""
    started = threading.Event()

    def paint(device, layout, pages=None, progress=None):
        started.set()
        for done in range(1, 2001):
            time.sleep(0.005)
            progress(done, 2000)
        return 2000

    monkeypatch.setattr(print_preview, "paint_pages", paint)
    return started


def test_cancel_stops_the_pdf_and_leaves_no_file(
    qtbot, db, clinic_packages, save_pdf_to, slow_pages, dialogs
):
    target, _asked = save_pdf_to
    dialog = open_preview(qtbot, open_window(qtbot))
    assert dialog.save_pdf()
    assert slow_pages.wait(5)
    assert dialog.cancel_button.isVisible() and not dialog.print_button.isEnabled()
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=5000)
    assert dialog.status.text() == "Cancelado: nada foi impresso nem gravado."
    assert list(target.parent.iterdir()) == [] and dialogs.told == []
    assert dialog.print_button.isEnabled()


def test_closing_or_escaping_during_a_print_cancels_it(
    qtbot, db, clinic_packages, monkeypatch, tmp_path
):
    started = threading.Event()
    stopped = threading.Event()

    def paint(device, layout, pages=None, progress=None):
        started.set()
        try:
            for done in range(1, 2001):
                time.sleep(0.005)
                progress(done, 2000)
        finally:
            stopped.set()

    monkeypatch.setattr(print_preview, "paint_pages", paint)
    monkeypatch.setattr(
        print_preview, "ask_printer", lambda parent, layout: pdf_printer(tmp_path / "x.pdf")
    )
    window = open_window(qtbot)
    dialog = open_preview(qtbot, window)
    job_started = dialog.print_pages()
    assert job_started and started.wait(5)
    dialog.close()
    assert stopped.wait(5)
    # Esc (reject) stops a print just the same.
    started.clear()
    stopped.clear()
    again = open_preview(qtbot, window)
    assert again.print_pages() and started.wait(5)
    qtbot.keyClick(again, Qt.Key.Key_Escape)
    assert stopped.wait(5)


def test_closing_the_preview_before_its_pages_are_laid_out(qtbot, db, clinic_packages):
    window = open_window(qtbot)
    dialog = window.print_report()
    assert not dialog.is_ready()  # its job starts once the window is painted
    started = time.perf_counter()
    dialog.close()
    assert time.perf_counter() - started < 1  # nothing to wait for
    qtbot.wait(50)
    assert jobs.running_jobs() == []


def test_the_preview_fits_a_reception_screen_and_pages_through(qtbot, db, patient):
    for day in range(1, 29):
        packages.create_package(patient, 2, D("100.00"), paid_on=date(2025, 2, day))
        packages.create_package(patient, 3, D("150.00"), paid_on=date(2025, 3, day))
    dialog = open_preview(qtbot, open_window(qtbot))
    assert dialog.width() <= 1366 and dialog.height() <= 740
    count = dialog.print_layout.page_count
    assert count >= 2 and reports.package_report().totals.packages == 56
    assert dialog.page_label.text() == f"página 1 de {count}"
    dialog.view.show_page(count - 1)
    qtbot.waitUntil(lambda: dialog.page_label.text() == f"página {count} de {count}")
