"""Relatório de Pacotes (manual 2.1): every package with its figures, filters, a totals
row, the selected package's history, "Exportar Excel" and "Imprimir".

The report loads off the UI thread (over a whole clinic it reads tens of thousands of
packages); while it loads, the last figures stay on screen. The export runs in the
background too, with its progress and "Cancelar" at the bottom of the window; closing
the window during an export asks first and then cancels it, leaving no file.
"Imprimir" opens the print preview of the report as on screen (the same columns, rows in
the order shown, the totals, the filters written at the top; ui/common/print_preview.py),
once every row has arrived.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core import reports
from ...core.reports import export as workbook_export
from ..common import exports, messages
from ..common.column_widths import CELL_PADDING, SERVICE_SAMPLE, keep_wide, size_columns
from ..common.exports import ExportRun
from ..common.fit import fit_to_screen
from ..common.jobs import Job, start_after_paint
from ..common.operations import run_op
from ..common.print_preview import PrintPreviewDialog, open_print_preview
from ..common.table_model import RowTableModel, WrappedHeaderModel, make_table
from ..common.table_print import PrintTable
from ..common.widgets import Card, PageHeader, label
from ..packages.history import history_model, size_history_columns
from .report_columns import (
    PACKAGE_SAMPLES,
    package_columns,
    packages_text,
    totals_columns,
    validity_tooltip,
)
from .report_filters import ReportFilters

FILTER_DELAY_MS = 250
SERVICES_COLUMN = 11  # the last, which takes the width left
PREVIEW_ROWS = 100  # shown at once while the rest of the report loads


def report_print_table(
    report: reports.PackageReport, rows: list[reports.PackageReportRow]
) -> PrintTable:
    """The report as printed: the window's columns, `rows` (in the order shown), the
    totals, and the filters written at the top."""
    return PrintTable(
        title=QCoreApplication.translate("package_report", "Relatório de Pacotes"),
        columns=package_columns(),
        rows=rows,
        details=report.filters.describe(),
        wide=(0,),
        totals_columns=totals_columns(),
        totals=report.totals,
    )


class PackageReportWindow(QWidget):
    """The report window; `load()` (re)reads the report with the current filters."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("page")
        self.setWindowTitle(self.tr("Relatório de Pacotes"))
        # Every column at 1366×768; on a smaller screen within it (the table scrolls sideways).
        fit_to_screen(self, (1320, 800))
        self.report: reports.PackageReport | None = None
        self._preview: Job | None = None  # the current load's first rows, then all of them
        self._full_read: Job | None = None
        self.export_run: ExportRun | None = None
        self.print_dialog: PrintPreviewDialog | None = None
        self._generation = 0
        self._pending = False  # a load was asked for and its rows are not all on screen yet
        self._shown = False  # the current load has rows on screen (its first ones or all)
        self._selection_to_keep: int | None = None  # selected before a load
        self._reselecting = False
        # The load and the package row whose history is on screen. When every row arrives
        # after the first ones, the same row, unchanged, has the same history (each of its
        # lines changes a figure, the status, the date or the notes): it is not read again.
        self._history_of: tuple[int, reports.PackageReportRow] | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(
            PageHeader(
                self.tr("Relatório de Pacotes"),
                self.tr(
                    "Todos os pacotes e seus saldos. Selecione um pacote para ver o histórico."
                ),
            )
        )
        self.filter_bar = ReportFilters()
        # The filters' widgets, as the window's own (tests and shortcuts reach them here).
        self.period, self.status = self.filter_bar.period, self.filter_bar.status
        self.search, self.clear_button = self.filter_bar.search, self.filter_bar.clear_button
        self.filter_bar.changed.connect(self.schedule_load)
        layout.addWidget(self.filter_bar)

        self.model = WrappedHeaderModel(package_columns(), parent=self, wide=(0, SERVICES_COLUMN))
        self.table = make_table(self.model, "packageReport")
        self.table.setAccessibleName(self.tr("Pacotes"))
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the report's own order
        self.table.setSortingEnabled(True)
        header.setSectionsMovable(False)
        size_columns(self.table, PACKAGE_SAMPLES)
        # Serviços takes the width left; the other columns fill the window (1366×768 too):
        # it keeps room for a service named whole and the table scrolls sideways.
        keep_wide(self.table, SERVICES_COLUMN, SERVICE_SAMPLE)

        self.totals_model = RowTableModel(totals_columns(), parent=self)
        self.totals = make_table(
            self.totals_model,
            "totalsFooter",
            selection=QAbstractItemView.SelectionMode.NoSelection,
        )
        self.totals.setAccessibleName(self.tr("Totais"))
        self.totals.horizontalHeader().setVisible(False)
        self.totals.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.totals.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.totals.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # One row; its widths follow the table's (_sync_totals_width).
        # Its one row, as tall as the table's rows (never cut: they follow the font).
        one_row = self.totals.verticalHeader().defaultSectionSize()
        self.totals.setFixedHeight(one_row + 2 * self.totals.frameWidth())
        header.sectionResized.connect(self._sync_totals_width)
        self.table.horizontalScrollBar().valueChanged.connect(
            self.totals.horizontalScrollBar().setValue
        )

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(0)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.totals)

        self.history_model = history_model(parent=self)
        self.history = make_table(self.history_model, "packageHistory")
        self.history.setAccessibleName(self.tr("Histórico do pacote"))
        size_history_columns(self.history)
        self.history_title = label(self.tr("Histórico"), "sectionTitle", wrap=True)
        bottom = Card()
        bottom.body.addWidget(self.history_title)
        bottom.body.addWidget(self.history, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)
        layout.addLayout(self._footer())

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FILTER_DELAY_MS)
        self._timer.timeout.connect(self.load)
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        # Sorting moves the rows; keep the selected package selected (and its history).
        self._sorted_from: int | None = None
        self.model.layoutAboutToBeChanged.connect(self._before_sort)
        self.model.layoutChanged.connect(self._after_sort)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.close)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)
        self._show_history(None)

    # -- building --------------------------------------------------------------------------
    def _footer(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        self.count_label = label("", "muted")
        row.addWidget(self.count_label)
        row.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setFixedWidth(220)
        self.progress.setVisible(False)
        self.progress.setAccessibleName(self.tr("Progresso da exportação"))
        self.cancel_button = QPushButton(self.tr("Cancelar"))
        self.cancel_button.setVisible(False)
        self.include_history = QCheckBox(self.tr("Incluir o histórico na planilha"))
        self.include_history.setChecked(True)
        self.export_button = QPushButton(self.tr("Exportar Excel"))
        self.export_button.setProperty("primary", True)
        self.export_button.setShortcut(QKeySequence("Ctrl+E"))
        self.export_button.setToolTip(self.tr("Salvar o relatório filtrado em Excel (Ctrl+E)"))
        self.print_button = QPushButton(self.tr("Imprimir"))
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.setToolTip(self.tr("Visualizar e imprimir o relatório filtrado (Ctrl+P)"))
        self.print_button.setEnabled(False)  # until every row has arrived
        self.close_button = QPushButton(self.tr("Fechar"))
        for widget in (
            self.progress,
            self.cancel_button,
            self.include_history,
            self.export_button,
            self.print_button,
            self.close_button,
        ):
            row.addWidget(widget)
        self.export_button.clicked.connect(self.export)
        self.print_button.clicked.connect(self.print_report)
        self.cancel_button.clicked.connect(self.cancel_export)
        self.close_button.clicked.connect(self.close)
        return row

    # -- filters and loading ---------------------------------------------------------------
    def filters(self) -> dict:
        """The filters as `reports.package_report` takes them."""
        return self.filter_bar.filters()

    @Slot()
    def schedule_load(self) -> None:
        self._timer.start()

    def is_loading(self) -> bool:
        """True from a filter change until its rows are on screen (or its error told)."""
        return self._timer.isActive() or self._pending

    @Slot()
    def load(self) -> None:
        """Read the report with the current filters, off the UI thread."""
        self._timer.stop()
        filters = self.filters()
        if (
            filters["paid_from"]
            and filters["paid_to"]
            and filters["paid_from"] > filters["paid_to"]
        ):
            self.count_label.setText(self.tr("A data inicial é posterior à final."))
            return
        self._generation += 1
        generation = self._generation
        self._pending = True
        self._shown = False
        self.print_button.setEnabled(False)  # the rows on screen are about to change
        self._selection_to_keep = self.selected_package_id()
        self.count_label.setText(self.tr("Carregando…"))
        # First a screenful and the totals (milliseconds), then every row: a whole clinic
        # is tens of thousands of packages, and the window shows its data at once.
        preview = Job(
            lambda _p: (
                generation,
                reports.package_report_preview(limit=PREVIEW_ROWS, **filters),
            ),
            "relatório (início)",
        )
        job = Job(lambda _p: (generation, reports.package_report(**filters)), "relatório")
        preview.succeeded.connect(self._previewed)
        # Every row is read once the first ones are painted (or at the latest a moment
        # later): started sooner, the two would share the interpreter, and its statements
        # would go to the server before the paint. Not at all once the window is closed
        # (Qt drops the connection to a deleted window) or a newer load began.
        self._preview, self._full_read = preview, job
        preview.ended.connect(self._preview_ended)
        job.succeeded.connect(self._loaded)
        job.failed.connect(self._load_failed)
        preview.start()

    @Slot()
    def _preview_ended(self) -> None:
        if self.sender() is self._preview:
            start_after_paint(self._full_read, self.table.viewport())

    def rows_shown(self) -> bool:
        """True once the current load has rows (its first ones, or all) on screen."""
        return self._shown

    @Slot(object)
    def _previewed(self, result) -> None:
        generation, report = result
        if generation != self._generation or not self._pending:
            return  # a newer load, or every row is already here
        if self.table.horizontalHeader().sortIndicatorSection() >= 0:
            return  # sorted by a column: its first rows are only known with all of them
        self._show_report(report)
        if len(report.rows) < report.totals.packages:
            self.count_label.setText(
                self.tr("{0} — carregando o restante…").format(
                    packages_text(report.totals.packages)
                )
            )

    @Slot(object)
    def _loaded(self, result) -> None:
        generation, report = result
        if generation != self._generation:
            return  # filters changed meanwhile; a newer load is on its way
        self._pending = False
        self.report = report
        self._show_report(report)
        self.print_button.setEnabled(True)

    def _show_report(self, report: reports.PackageReport) -> None:
        current = self.selected_package_id()
        self.model.set_rows(report.rows)
        header = self.table.horizontalHeader()
        if header.sortIndicatorSection() >= 0:
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.totals_model.set_rows([report.totals])
        self._fit_to_totals()
        self.count_label.setText(packages_text(report.totals.packages))
        keep = self._selection_to_keep
        self._reselect(keep if keep is not None else current)
        self._shown = True

    @Slot(object)
    def _load_failed(self, error: Exception) -> None:
        self._pending = False
        self.count_label.setText("")
        messages.show_failure(self, error)

    def _reselect(self, package_id: int | None) -> None:
        rows = self.model.rows()
        position = next((i for i, r in enumerate(rows) if r.package_id == package_id), 0)
        if not rows:
            self._show_history(None)
            return
        index = self.model.index(position, 0)
        self._reselecting = True  # the history is read once, below
        try:
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self._reselecting = False
        self.table.scrollTo(index)
        self._show_history(rows[position])

    # -- selection and history ----------------------------------------------------------------
    def selected_package_id(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(index).package_id

    @Slot(QModelIndex, QModelIndex)
    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._reselecting:
            return
        # The user chose a package: it is the one to keep selected when more rows arrive.
        self._selection_to_keep = None
        self._show_history(self.model.row_at(current) if current.isValid() else None)

    def _show_history(self, row: reports.PackageReportRow | None) -> None:
        if row is None:
            self._history_of = None
            self.history_model.set_rows([])
            self.history_title.setText(self.tr("Histórico — selecione um pacote"))
            return
        shown = (self._generation, row)
        if shown == self._history_of:
            return  # read by this load already (see _history_of)
        # A package deleted meanwhile on another PC is told and shows no lines.
        read = run_op(self, lambda: reports.history_rows(row.package_id))
        self._history_of = shown if read else None
        self.history_model.set_rows(read.value if read else [])
        title = self.tr("Histórico do pacote No. {0} — {1}").format(row.number, row.patient_name)
        terms = [validity_tooltip(row)] if row.valid_until is not None else []
        if row.services:
            terms.append(self.tr("só {0}").format(", ".join(row.services)))
        if row.shared_with:
            terms.append(self.tr("compartilhado com {0}").format(", ".join(row.shared_with)))
        self.history_title.setText("  ·  ".join([title, *terms]))

    def _fit_to_totals(self) -> None:
        """Widen a column whose total does not fit (a whole clinic's Valor Total)."""
        metrics = self.totals.fontMetrics()
        for column in range(self.totals_model.columnCount()):
            text = self.totals_model.index(0, column).data() or ""
            needed = metrics.horizontalAdvance(text) + CELL_PADDING + 8
            mode = self.table.horizontalHeader().sectionResizeMode(column)
            stretch = mode == QHeaderView.ResizeMode.Stretch
            if not stretch and self.table.columnWidth(column) < needed:
                self.table.setColumnWidth(column, needed)

    @Slot()
    def _before_sort(self) -> None:
        self._sorted_from = self.selected_package_id()

    @Slot()
    def _after_sort(self) -> None:
        if self._sorted_from is not None:
            self._reselect(self._sorted_from)
        self._sorted_from = None

    def _sync_totals_width(self, column: int, _old: int, new: int) -> None:
        self.totals.setColumnWidth(column, new)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._copy_widths)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._copy_widths()

    def _copy_widths(self) -> None:
        for column in range(self.model.columnCount()):
            self.totals.setColumnWidth(column, self.table.columnWidth(column))

    # -- export ----------------------------------------------------------------------------
    def is_exporting(self) -> bool:
        return self.export_run is not None

    @Slot()
    def export(self) -> None:
        """ "Exportar Excel": the report with the filters on screen."""
        if self.is_exporting():
            return
        run = exports.export_package_report(
            self,
            progress_dialog=False,
            include_history=self.include_history.isChecked(),
            **self.filters(),
        )
        if run is None:
            return
        self.export_run = run
        self.progress.setRange(0, 0)  # busy until the first report of progress
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.export_button.setEnabled(False)
        run.job.progressed.connect(self._export_progressed)
        run.finished.connect(self._export_finished)

    @Slot(int, int)
    def _export_progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))

    @Slot(object)
    def _export_finished(self, _path) -> None:
        self.export_run = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.export_button.setEnabled(True)

    @Slot()
    def cancel_export(self) -> None:
        if self.export_run is not None:
            self.export_run.job.cancel()
            self.cancel_button.setEnabled(False)

    # -- print ---------------------------------------------------------------------------
    @Slot()
    def print_report(self) -> PrintPreviewDialog | None:
        """ "Imprimir": the preview of the report on screen — its rows in the order shown,
        its totals and its filters; None while the rows are still arriving."""
        if self.report is None or self.is_loading():
            return None
        table = report_print_table(self.report, self.model.rows())
        name = workbook_export.report_export_name().removesuffix(".xlsx") + ".pdf"
        self.print_dialog = open_print_preview(self, table, file_name=name)
        return self.print_dialog

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_exporting():
            if not messages.confirm(
                self,
                self.tr("Exportação em andamento"),
                self.tr(
                    "A exportação ainda não terminou. Fechar a janela cancela a exportação "
                    "e nenhum arquivo é gravado."
                ),
                confirm_text=self.tr("Cancelar exportação e fechar"),
                cancel_text=self.tr("Continuar exportando"),
            ):
                event.ignore()
                return
            self.export_run.job.cancel()
        self._timer.stop()
        super().closeEvent(event)
