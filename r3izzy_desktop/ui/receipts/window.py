"""Gestão Financeira › Recibos (R21): the year's receipts, searchable by payer or patient;
"Ver / reimprimir" the selected one, "Exportar Excel" for the accountant, and the
"Declaração anual" of the selected row's payer or of every payer of the year (one PDF each,
in a folder the user picks).

Seams for tests: `exports.ask_save_path` (the Excel file) and `ask_folder` (where the
declarations of every payer go).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import access, receipts
from ...core.errors import DomainError
from ...core.ptbr import format_brl, format_date
from ...core.receipts import ReceiptRow
from ...core.reports import receipts_sheet
from ...core.terms import METHOD_LABELS
from ...logs import log_file
from ..common import exports, messages
from ..common.column_widths import STRETCH_SAMPLE, keep_wide, size_columns
from ..common.exports import ExportRun
from ..common.fit import fit_to_screen
from ..common.operations import run_op
from ..common.table_model import RIGHT, Column, RowTableModel, make_table
from ..common.widgets import PageHeader, label
from . import dialog, documents
from .loading import Reading, YearLoader

SEARCH_DELAY_MS = 200
CANCELLED_COLOR = "#b42318"


def tr(text: str) -> str:
    return QCoreApplication.translate("receipts", text)


def receipt_columns() -> list[Column[ReceiptRow]]:
    muted = lambda r: CANCELLED_COLOR if r.cancelled else None  # noqa: E731
    return [
        Column(tr("No."), lambda r: str(r.number), RIGHT, sort_key=lambda r: r.number),
        Column(
            tr("Data"),
            lambda r: format_date(r.issued_on),
            sort_key=lambda r: (r.issued_on, r.number),
        ),
        Column(tr("Pagador"), lambda r: r.payer_name, sort_key=lambda r: r.payer_name.casefold()),
        Column(tr("CPF do pagador"), lambda r: r.payer_cpf_text or "—"),
        Column(
            tr("Paciente"), lambda r: r.patient_name, sort_key=lambda r: r.patient_name.casefold()
        ),
        Column(tr("Valor"), lambda r: format_brl(r.amount), RIGHT, sort_key=lambda r: r.amount),
        Column(tr("Forma"), lambda r: r.method_label or "—"),
        Column(tr("Origem"), lambda r: r.source_label),
        Column(
            tr("Situação"),
            lambda r: tr("Cancelado") if r.cancelled else tr("Válido"),
            color=muted,
            tooltip=lambda r: r.cancel_reason if r.cancelled else "",
        ),
    ]


def ask_folder(parent: QWidget | None, title: str) -> Path | None:
    """Where to write the declarations (one PDF per payer); None when cancelled. Tests
    replace it."""
    chosen = QFileDialog.getExistingDirectory(parent, title, str(exports.start_folder()))
    return Path(chosen) if chosen else None


class ReceiptsWindow(QWidget):
    """The Recibos window; `load()` reads the chosen year's receipts."""

    def __init__(self, parent: QWidget | None = None, *, year: int | None = None):
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("page")
        self.setWindowTitle(tr("Recibos"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)
        header = PageHeader(
            tr("Recibos"),
            tr("Os recibos do ano, para o contador e para a declaração do Imposto de Renda"),
        )
        layout.addWidget(header)

        controls = QHBoxLayout()
        controls.setSpacing(10)
        controls.addWidget(label(tr("Ano")))
        self.year = QComboBox()
        self.year.setObjectName("receiptYear")
        self.year.setAccessibleName(tr("Ano"))
        years = receipts.years()
        for y in years:
            self.year.addItem(str(y), y)
        if year is not None:
            if year not in years:
                self.year.addItem(str(year), year)
            self.year.setCurrentIndex(self.year.findData(year))
        controls.addWidget(self.year)
        self.search = QLineEdit()
        self.search.setObjectName("receiptSearch")
        self.search.setPlaceholderText(tr("Buscar por pagador, paciente, CPF ou número…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(tr("Buscar recibos"))
        controls.addWidget(self.search, 1)
        self.summary = label("", "muted")
        controls.addWidget(self.summary)
        layout.addLayout(controls)
        self.loading_label = label(tr("Carregando os recibos do ano…"), "muted")
        self.loading_label.setVisible(False)
        layout.addWidget(self.loading_label)

        self.model: RowTableModel[ReceiptRow] = RowTableModel(receipt_columns(), parent=self)
        self.table = make_table(self.model, "receiptsTable")
        self.table.setSortingEnabled(False)
        # Each column as wide as its widest text; the payer and the patient share the rest,
        # each never narrower than a long name (1024×600: the table scrolls sideways).
        self.table.ensurePolished()  # the stylesheet's font, which the widths are measured in
        size_columns(
            self.table,
            [
                "99999",
                "00/00/0000",
                None,
                "000.000.000-00",
                None,
                "R$ 99.999,99",
                tuple(METHOD_LABELS.values()),  # "Cartão de crédito", the longest
                "Parcela",
                "Cancelado",
            ],
        )
        for column in self.NAME_COLUMNS:
            keep_wide(self.table, column, STRETCH_SAMPLE)
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.statement_button = QPushButton(tr("Declaração anual do pagador…"))
        self.statement_button.setToolTip(
            tr("A declaração de pagamentos do ano do pagador do recibo selecionado")
        )
        self.all_button = QPushButton(tr("Declarações de todos os pagadores…"))
        self.export_button = QPushButton(tr("Exportar Excel…"))
        self.open_button = QPushButton(tr("Ver / reimprimir"))
        self.open_button.setProperty("primary", True)
        for button in (self.statement_button, self.all_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.export_button, self.open_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.export_button.setVisible(access.can("export.receipts_xlsx"))

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.load)
        self.search.textChanged.connect(self._timer.start)
        self.year.currentIndexChanged.connect(self.load)
        self.table.doubleClicked.connect(self.open_selected)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.open_button.clicked.connect(self.open_selected)
        self.statement_button.clicked.connect(self.statement_of_selected)
        self.all_button.clicked.connect(self.all_statements)
        self.export_button.clicked.connect(self.export_excel)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)
        fit_to_screen(self, (1240, 720))  # within the screen (1024×600 too)
        self._shown = False
        self.loader = YearLoader(self)
        self.loader.read.connect(self._read)
        self.loader.failed.connect(self._load_failed)
        self.load()

    NAME_COLUMNS = (2, 4)  # the payer, the patient

    # -- reading --------------------------------------------------------------------------
    def current_year(self) -> int:
        return int(self.year.currentData())

    @Slot()
    def load(self) -> None:
        """Read the year's receipts with the search (a busy year: its first receipts and
        its summary at once, every receipt from the background; loading.py)."""
        self._shown = False
        run_op(
            self,
            lambda: self.loader.load(
                self.current_year(), self.search.text(), shown_in=self.table.viewport()
            ),
            failed=self._show_error,
        )

    def is_loading(self) -> bool:
        """True while receipts of the year are still being read in the background."""
        return self.loader.loading

    def rows_shown(self) -> bool:
        """True once the current load has rows (the first ones, or all) on screen."""
        return self._shown

    def _read(self, reading: Reading) -> None:
        if reading.rows is not None:
            keep = self.selected()
            self.model.set_rows(reading.rows)
            self._shown = True
            numbers = [r.number for r in reading.rows]
            if keep is not None and keep.number in numbers:
                self.table.selectRow(numbers.index(keep.number))
            elif reading.rows:
                self.table.selectRow(0)
        if reading.totals is not None:
            totals = reading.totals
            text = tr("{0} recibos · {1} válidos").format(
                totals.count, format_brl(totals.valid_total)
            )
            if totals.cancelled:
                text += tr(" · {0} cancelados").format(totals.cancelled)
            self.summary.setText(text)
        else:
            self.summary.setText(tr("Buscando…"))
        self.loading_label.setVisible(not reading.complete)
        self._selection_changed()

    def _show_error(self, error: DomainError) -> None:
        self.model.set_rows([])
        self.loading_label.setVisible(False)
        self.summary.setText(str(error))
        self._selection_changed()

    def _load_failed(self, error: Exception) -> None:
        if isinstance(error, DomainError):
            self._show_error(error)
            return
        self.model.set_rows([])
        self.loading_label.setVisible(False)
        self.summary.setText(tr("Não foi possível ler os recibos."))
        self._selection_changed()
        messages.show_unexpected(self, str(log_file()))

    def selected(self) -> ReceiptRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.model.row_at(indexes[0]) if indexes else None

    @Slot()
    def _selection_changed(self, *_args) -> None:
        has = self.selected() is not None
        self.open_button.setEnabled(has)
        self.statement_button.setEnabled(has)

    # -- actions ----------------------------------------------------------------------------
    @Slot()
    def open_selected(self, *_args) -> dialog.DocumentDialog | None:
        row = self.selected()
        return dialog.open_receipt(self, row.number) if row is not None else None

    @Slot()
    def statement_of_selected(self) -> dialog.DocumentDialog | None:
        row = self.selected()
        if row is None:
            return None
        return dialog.open_statement(
            self, self.current_year(), row.payer_cpf or None, row.payer_name
        )

    @Slot()
    def all_statements(self) -> list[Path] | None:
        year = self.current_year()
        folder = ask_folder(self, tr("Pasta das declarações de {0}").format(year))
        if folder is None:
            return None
        self.setCursor(Qt.CursorShape.WaitCursor)
        try:
            written = run_op(self, lambda: documents.save_all_statements(year, folder))
        finally:
            self.unsetCursor()
        if not written:
            return None
        files = written.value
        if not files:
            messages.inform(
                self, tr("Declarações"), tr("Nenhum pagamento recebido em {0}.").format(year)
            )
        else:
            messages.inform(
                self,
                tr("Declarações"),
                tr("{0} declarações de {1} gravadas em:\n{2}").format(len(files), year, folder),
            )
        return files

    @Slot()
    def export_excel(self) -> ExportRun | None:
        year, query = self.current_year(), self.search.text()
        path = exports.ask_save_path(self, receipts_sheet.receipts_export_name(year))
        if path is None:
            return None
        return ExportRun(
            self,
            tr("Exportar recibos"),
            lambda _progress: receipts_sheet.receipts_xlsx(year, path, query=query),
            done_text=tr("Os recibos de {0} foram exportados para:").format(year),
        ).start()
