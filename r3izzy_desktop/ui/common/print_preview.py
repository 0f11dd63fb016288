"""The print preview of a table (table_print.py): its pages as they will come out, then
"Imprimir…" (the system's print dialog, then the printer) or "Salvar PDF…".

Nothing long happens in the UI thread, however many rows: the pages are laid out by a
background job (its progress at the bottom), the preview paints only the pages in view,
and printing or writing the PDF runs in a background job with its progress and
"Cancelar". Closing the window cancels a job still running: the printer's job is
aborted, and a PDF appears only when complete (written beside it, then moved in place).

Qt's QPrintPreviewDialog is not used: it paints every page in the UI thread before it
shows (seconds for a whole clinic's report, and again to print), with no way to cancel.

Seams for tests: `ask_printer` (the print dialog) and `exports.ask_save_path`.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRect, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QImage, QKeySequence, QPainter, QPdfWriter, QShortcut
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QDialog,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import clock
from ...core.reports.export import ExportFailed, slug
from . import exports, messages
from .fit import fit_to_screen
from .jobs import Job
from .table_paint import page_image, paint_pages
from .table_print import PrintLayout, PrintTable, lay_out, page_layout
from .widgets import label

PDF_FILTER = "Documento PDF (*.pdf)"
PAGE_GAP = 14  # pixels between two pages of the preview
MAX_PAGE_WIDTH = 1100  # the preview's pages are as wide as the view, up to this
CACHED_PAGES = 8
CLOSE_WAIT_S = 10.0
BACKGROUND = QColor("#e2e6ea")


def tr(text: str) -> str:
    return QCoreApplication.translate("print_preview", text)


# --- seams ------------------------------------------------------------------------------


def ask_printer(parent: QWidget | None, layout: PrintLayout):
    """The print dialog (printer, pages, copies) on an A4 printer set up as `layout`;
    the configured QPrinter, or None when cancelled. Tests replace it."""
    from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout(layout.table.landscape))
    printer.setDocName(layout.table.title)
    printer.setCreator("R3izzy Desktop")
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(tr("Imprimir"))
    dialog.setMinMax(1, layout.page_count)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintSelection, False)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


def chosen_pages(printer, page_count: int) -> list[int]:
    """The pages (0-based) the print dialog asked for: its page ranges, or every page."""
    ranges = printer.pageRanges()
    if ranges.isEmpty():
        return list(range(page_count))
    return [index for index in range(page_count) if ranges.contains(index + 1)]


# --- printing and saving (any thread) ---------------------------------------------------


def print_table(printer, layout: PrintLayout, progress=None) -> int:
    """Print the pages the printer asks for; a printer set up for another paper or other
    margins gets the table laid out again for it. Returns the pages printed."""
    if not layout.matches(printer.pageLayout()):
        layout = lay_out(layout.table, printer.pageLayout())
    pages = chosen_pages(printer, layout.page_count)
    return paint_pages(printer, layout, pages, progress)


def save_table_pdf(layout: PrintLayout, path: Path, progress=None) -> Path:
    """Write every page as an A4 PDF at `path`, which appears only when complete.
    Raises ExportFailed when it cannot be written, ExportCancelled from `progress`."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.partial")
    writer = QPdfWriter(str(temporary))
    try:
        writer.setPageLayout(page_layout(layout.table.landscape))
        writer.setTitle(layout.table.title)
        writer.setCreator("R3izzy Desktop")
        paint_pages(writer, layout, None, progress)
        writer = None  # the PDF is complete once its writer is gone
        os.replace(temporary, path)
    except OSError as error:
        raise ExportFailed(
            tr("Não foi possível gravar o PDF:\n{0}\n\n{1}").format(path, error)
        ) from error
    finally:
        writer = None  # the file closed before it is removed (Windows locks an open file)
        temporary.unlink(missing_ok=True)
    return path


def pdf_name(title: str) -> str:
    """`relatorio-de-pacotes-2025-07-03.pdf`."""
    return f"{slug(title)}-{clock.today().isoformat()}.pdf"


# --- the pages on screen ----------------------------------------------------------------


class PageView(QAbstractScrollArea):
    """The pages one under the other, as wide as the view; only those in view are drawn,
    each rendered once at that width (the last few kept). Says `current_changed(index)`
    when another page comes to the middle of the view."""

    current_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("printPreview")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(tr("Prévia da impressão"))
        self._layout: PrintLayout | None = None
        self._images: OrderedDict[tuple[int, int], QImage] = OrderedDict()
        self._current = -1
        self.verticalScrollBar().valueChanged.connect(self._scrolled)

    def set_layout(self, layout: PrintLayout | None) -> None:
        self._layout = layout
        self._images.clear()
        self._current = -1
        self._update_range()
        self.verticalScrollBar().setValue(0)
        self.viewport().update()
        self._scrolled()

    def page_count(self) -> int:
        return self._layout.page_count if self._layout is not None else 0

    def current_page(self) -> int:
        """The page (0-based) in the middle of the view; -1 without pages."""
        return self._current

    def page_size(self) -> tuple[int, int]:
        """A page's width and height in the view, in pixels."""
        if self._layout is None:
            return 0, 0
        width = max(200, min(MAX_PAGE_WIDTH, self.viewport().width() - 2 * PAGE_GAP))
        paper = self._layout.paper
        return width, round(width * paper.height() / paper.width())

    def show_page(self, index: int) -> None:
        _width, height = self.page_size()
        self.verticalScrollBar().setValue(index * (height + PAGE_GAP))

    def _update_range(self) -> None:
        _width, height = self.page_size()
        total = self.page_count() * (height + PAGE_GAP) + PAGE_GAP
        bar = self.verticalScrollBar()
        bar.setRange(0, max(0, total - self.viewport().height()))
        bar.setPageStep(self.viewport().height())
        bar.setSingleStep(48)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update_range()

    @Slot()
    def _scrolled(self, *_args) -> None:
        self.viewport().update()
        _width, height = self.page_size()
        if not self.page_count():
            return
        middle = self.verticalScrollBar().value() + self.viewport().height() // 2
        current = min(self.page_count() - 1, max(0, middle // (height + PAGE_GAP)))
        if current != self._current:
            self._current = current
            self.current_changed.emit(current)

    def _image(self, index: int, width: int) -> QImage:
        ratio = self.devicePixelRatioF()
        key = (index, round(width * ratio))
        image = self._images.get(key)
        if image is None:
            image = page_image(self._layout, index, key[1])
            image.setDevicePixelRatio(ratio)
            self._images[key] = image
            while len(self._images) > CACHED_PAGES:
                self._images.popitem(last=False)
        else:
            self._images.move_to_end(key)
        return image

    def paintEvent(self, event) -> None:
        painter = QPainter(self.viewport())
        try:
            painter.fillRect(self.viewport().rect(), BACKGROUND)
            if self._layout is None:
                return
            width, height = self.page_size()
            top = self.verticalScrollBar().value()
            x = max(PAGE_GAP, (self.viewport().width() - width) // 2)
            first = max(0, (top - PAGE_GAP) // (height + PAGE_GAP))
            bottom = top + self.viewport().height()
            index = first
            while index < self.page_count():
                y = PAGE_GAP + index * (height + PAGE_GAP) - top
                if y + top > bottom:
                    break
                painter.fillRect(QRect(x + 2, y + 2, width, height), QColor("#c3cad2"))
                painter.drawImage(QRect(x, y, width, height), self._image(index, width))
                index += 1
        finally:
            painter.end()


# --- the dialog -------------------------------------------------------------------------


class PrintPreviewDialog(QDialog):
    """The preview of `table`, with "Imprimir…", "Salvar PDF…" and "Fechar"."""

    def __init__(self, table: PrintTable, parent: QWidget | None = None, *, file_name=None):
        super().__init__(parent)
        self.table = table
        self.file_name = file_name or pdf_name(table.title)
        self.print_layout: PrintLayout | None = None
        self.job: Job | None = None
        self.saved_path: Path | None = None
        self.printed_pages = 0
        self.setWindowTitle(tr("Imprimir — {0}").format(table.title))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        fit_to_screen(self, (1120, 700))  # within the screen, 1366×768 or 1024×600
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(label(table.title, "sectionTitle"))
        top.addStretch(1)
        self.page_label = label("", "muted")
        top.addWidget(self.page_label)
        layout.addLayout(top)
        self.view = PageView()
        self.view.current_changed.connect(self._show_page_number)
        layout.addWidget(self.view, 1)
        layout.addLayout(self._footer())
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_pages)
        self._set_busy(tr("Preparando as páginas…"), cancellable=False)
        job = Job(
            lambda progress: lay_out(table, page_layout(table.landscape), progress), "páginas"
        )
        job.progressed.connect(self._progressed)
        job.succeeded.connect(self._laid_out)
        job.failed.connect(self._failed)
        self.job = job
        self._closed = False
        # Started once the window is painted: the two would otherwise share the
        # interpreter, and the window would take its time to appear.
        QTimer.singleShot(0, self, lambda: None if self._closed else self._start(job))

    def _footer(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        self.status = label("", "muted")
        row.addWidget(self.status)
        self.progress = QProgressBar()
        self.progress.setFixedWidth(220)
        self.progress.setAccessibleName(tr("Progresso"))
        self.cancel_button = QPushButton(tr("Cancelar"))
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(self.progress)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        self.close_button = QPushButton(tr("Fechar"))
        self.pdf_button = QPushButton(tr("Salvar PDF…"))
        self.print_button = QPushButton(tr("Imprimir…"))
        self.print_button.setProperty("primary", True)
        self.print_button.setDefault(True)
        self.print_button.setToolTip(tr("Escolher a impressora e imprimir (Ctrl+P)"))
        for button in (self.close_button, self.pdf_button, self.print_button):
            row.addWidget(button)
        self.close_button.clicked.connect(self.close)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_pages)
        return row

    # -- state ---------------------------------------------------------------------------
    def is_ready(self) -> bool:
        """The pages are laid out and no print or PDF is under way."""
        return self.print_layout is not None and not self.is_busy()

    def is_busy(self) -> bool:
        return self.job is not None

    def _set_busy(self, text: str, *, cancellable: bool = True) -> None:
        self.status.setText(text)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(cancellable)
        self.cancel_button.setEnabled(True)
        for button in (self.pdf_button, self.print_button):
            button.setEnabled(False)

    def _set_idle(self, text: str) -> None:
        self.job = None
        self.status.setText(text)
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        ready = self.print_layout is not None
        for button in (self.pdf_button, self.print_button):
            button.setEnabled(ready)

    def _start(self, job: Job) -> None:
        self.job = job
        job.cancelled.connect(self._cancelled)
        job.start()

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))

    @Slot(object)
    def _laid_out(self, layout: PrintLayout) -> None:
        self.print_layout = layout
        self.view.set_layout(layout)
        self._set_idle(self._pages_text(layout.page_count))
        self.view.setFocus()

    def _pages_text(self, count: int) -> str:
        orientation = tr("paisagem") if self.table.landscape else tr("retrato")
        pages = tr("1 página") if count == 1 else tr("{0} páginas").format(_count(count))
        return tr("{0}, A4 {1}").format(pages, orientation)

    @Slot(int)
    def _show_page_number(self, index: int) -> None:
        count = self.view.page_count()
        self.page_label.setText(
            tr("página {0} de {1}").format(_count(index + 1), _count(count)) if count else ""
        )

    @Slot(object)
    def _failed(self, error: Exception) -> None:
        self._set_idle("")
        messages.show_failure(self, error)

    @Slot()
    def _cancelled(self) -> None:
        self._set_idle(tr("Cancelado: nada foi impresso nem gravado."))

    @Slot()
    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)

    # -- actions -------------------------------------------------------------------------
    @Slot()
    def print_pages(self) -> bool:
        """ "Imprimir…": the print dialog, then the pages to the printer in the background."""
        if not self.is_ready():
            return False
        printer = ask_printer(self, self.print_layout)
        if printer is None:
            return False
        layout = self.print_layout
        job = Job(lambda progress: print_table(printer, layout, progress), "impressão")
        job.progressed.connect(self._progressed)
        job.succeeded.connect(self._printed)
        job.failed.connect(self._failed)
        self._set_busy(tr("Enviando para a impressora…"))
        self._start(job)
        return True

    @Slot(object)
    def _printed(self, pages: int) -> None:
        self.printed_pages = pages
        sent = tr("1 página enviada") if pages == 1 else tr("{0} páginas enviadas")
        self._set_idle(tr("{0} para a impressora.").format(sent.format(_count(pages))))

    @Slot()
    def save_pdf(self) -> bool:
        """ "Salvar PDF…": where to, then every page written in the background."""
        if not self.is_ready():
            return False
        path = exports.ask_save_path(self, self.file_name, file_filter=PDF_FILTER)
        if path is None:
            return False
        layout = self.print_layout
        job = Job(lambda progress: save_table_pdf(layout, path, progress), "PDF")
        job.progressed.connect(self._progressed)
        job.succeeded.connect(self._saved)
        job.failed.connect(self._failed)
        self._set_busy(tr("Gravando o PDF…"))
        self._start(job)
        return True

    @Slot(object)
    def _saved(self, path: Path) -> None:
        self.saved_path = Path(path)
        self._set_idle(tr("PDF salvo."))
        messages.file_saved(
            self, tr("PDF salvo"), tr("O PDF foi salvo em:\n{0}").format(path), path
        )

    def _stop(self) -> None:
        """Closing stops a job still running: the printer's job aborted, no PDF left."""
        self._closed = True
        job = self.job
        if job is not None:
            job.cancel()
            if job.is_running():
                job.wait(CLOSE_WAIT_S)

    def closeEvent(self, event) -> None:
        self._stop()
        super().closeEvent(event)

    def done(self, result: int) -> None:  # Esc: QDialog hides without a close event
        self._stop()
        super().done(result)


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def open_print_preview(
    parent: QWidget | None, table: PrintTable, *, file_name: str | None = None
) -> PrintPreviewDialog:
    """Show the preview of `table` (non-blocking) and return it; from there the user
    prints or saves the PDF (see table_print.py for building `table`)."""
    dialog = PrintPreviewDialog(table, parent, file_name=file_name)
    dialog.show()
    dialog.raise_()
    return dialog
