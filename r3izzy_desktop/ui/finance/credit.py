"""Saldo de créditos (SPEC R20): the credit the clinic owes in sessions (the packages' open
amounts), rolled forward over a period — Saldo inicial, each movement with its count and
sum, Saldo final, and the credit vencido at the end — beside a chart of the credit at the
end of each month, with "Exportar Excel" and "Imprimir".

A window of its own, opened from Gestão Financeira ("Saldo de créditos") with the page's
period: the page keeps its cards and charts, and the table and the chart stay readable
side by side at 1024×600. The figures come from `reports.credit_figures` (the
roll-forward and its months in one statement, computed in SQL, core/reports/credit.py);
the window only shows them. Over years of history they take most of a second, so they
load off the UI thread (ui/common/jobs) while "Carregando…" shows; a newer period
supersedes an older one.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent, QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...core import reports, users
from ...core.ptbr import format_brl
from ...core.reports import credit_sheet
from ...core.reports.credit import (
    CLOSING,
    EXPIRED,
    MOVEMENT_LABELS,
    OPENING,
    CreditLine,
    CreditRollforward,
)
from ..common import exports, messages
from ..common.column_widths import CELL_PADDING
from ..common.exports import ExportRun
from ..common.fit import fit_to_screen
from ..common.jobs import Job
from ..common.print_preview import PrintPreviewDialog, open_print_preview
from ..common.table_model import RIGHT, Column, RowTableModel, make_table
from ..common.table_print import PrintTable
from ..common.widgets import Card, PageHeader, label
from .chart import BarChart, Series, month_label
from .period import CUSTOM, PeriodPicker

PERMISSION = "reports.credit_rollforward"
CREDIT_COLOR = "#0f8b8d"
EXPIRED_COLOR = "#b45309"  # the credit vencido: amber, as the page's alerts
BALANCES = (OPENING, CLOSING)  # the rows shown in bold
LOAD_DELAY_MS = 250  # typing a date: wait for the user to stop
ROW_HEIGHT = 30  # ten lines in the height of a 1024×600 screen


def tr(text: str) -> str:
    return QCoreApplication.translate("credit_rollforward", text)


def allowed() -> bool:
    """Whether the user may see the roll-forward (financeiro and administrador)."""
    return users.can(PERMISSION)


def count_text(line: CreditLine) -> str:
    """ "236.129" (pt-BR thousands); "" for a balance, which counts nothing."""
    return "" if line.count is None else f"{line.count:,}".replace(",", ".")


def line_columns() -> list[Column[CreditLine]]:
    """The table's columns, also its printout's."""
    return [
        Column(tr("Movimento"), lambda line: line.label),
        Column(tr("Quantidade"), count_text, align=RIGHT),
        Column(
            tr("Valor"),
            lambda line: format_brl(line.amount),
            align=RIGHT,
            color=lambda line: EXPIRED_COLOR if line.kind == EXPIRED else None,
        ),
    ]


class CreditLinesModel(RowTableModel[CreditLine]):
    """The roll-forward's lines; Saldo inicial and Saldo final in bold."""

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if role == Qt.ItemDataRole.FontRole:
            if index.isValid() and self.row_at(index.row()).kind in BALANCES:
                font = QFont()
                font.setBold(True)
                return font
            return None
        return super().data(index, role)


def print_table(roll: CreditRollforward) -> PrintTable:
    """The roll-forward as printed: the window's columns and lines, the period on top."""
    return PrintTable(
        title=credit_sheet.TITLE,
        columns=line_columns(),
        rows=list(roll.lines()),
        details=[(tr("Período"), credit_sheet.period_text(roll.start, roll.end))],
        wide=(0,),
        landscape=False,
    )


def read_figures(start: date, end: date):
    """The roll-forward and its months, read in one statement (any thread)."""
    return reports.credit_figures(start, end)


class CreditRollforwardWindow(QWidget):
    """The Saldo de créditos window. `use_period(preset, start, end)` takes the page's
    period; `load()` (re)reads the figures of the window's own period."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("page")
        self.setWindowTitle(self.tr("Saldo de créditos de pacotes"))
        self.roll: CreditRollforward | None = None
        self.months: tuple[reports.MonthCredit, ...] = ()
        self.export_run: ExportRun | None = None
        self.print_dialog: PrintPreviewDialog | None = None
        self._generation = 0
        self._pending = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 14)
        layout.setSpacing(12)
        # The period beside the title, and no subtitle: at 1024×600 every line of the
        # table shows without scrolling.
        header = PageHeader(self.tr("Saldo de créditos de pacotes"))
        self.period = PeriodPicker(title=self.tr("Período"))
        header.actions.addWidget(self.period)
        layout.addWidget(header)
        self.model = CreditLinesModel(line_columns(), parent=self)
        self.table = make_table(
            self.model,
            "creditRollforward",
            selection=QAbstractItemView.SelectionMode.NoSelection,
            row_height=ROW_HEIGHT,
        )
        self.table.setAccessibleName(self.tr("Movimento do crédito"))
        self.table.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._size_table()
        table_card = Card()
        table_card.body.addWidget(self.table, 1)
        self.note = label(
            self.tr(
                "O crédito que a clínica deve em sessões (saldo em aberto dos pacotes); o "
                "crédito vencido já está no saldo final. Quantidade: linhas do histórico no "
                "período; no crédito vencido, pacotes."
            ),
            "muted",
            wrap=True,
        )
        self.note.setToolTip(
            self.tr(
                "Um encerramento conta uma vez em cada um dos seus três movimentos. Crédito "
                "vencido: pacotes ativos, com sessões, cuja validade terminou antes do fim "
                "do período."
            )
        )
        table_card.body.addWidget(self.note)

        self.chart = BarChart(self.tr("Crédito de pacotes no fim de cada mês"))
        self.chart.setMinimumHeight(200)
        self.chart.setMinimumWidth(220)  # beside the table in a 1024-wide window
        chart_card = Card()
        chart_card.body.addWidget(label(self.tr("Crédito no fim de cada mês"), "sectionTitle"))
        chart_card.body.addWidget(self.chart, 1)

        body = QHBoxLayout()
        body.setSpacing(14)
        body.addWidget(table_card, 1)
        body.addWidget(chart_card, 1)
        layout.addLayout(body, 1)
        layout.addLayout(self._footer())

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(LOAD_DELAY_MS)
        self._timer.timeout.connect(self.load)
        self.period.changed.connect(self._timer.start)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.close)
        self._fit_to_screen()

    def _size_table(self) -> None:
        """Columns as wide as the widest line a clinic can have (a label of the longest
        kind, a count of hundreds of thousands, millions of reais; balances in bold), and
        the table never narrower than them: the chart gives up the room instead."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        bold = QFont(self.table.font())
        bold.setBold(True)
        plain, strong = QFontMetrics(self.table.font()), QFontMetrics(bold)
        # (texts in the plain font, texts in bold) of each column.
        samples = (
            (
                [*MOVEMENT_LABELS.values(), "Crédito vencido em 30/11/2026"],
                ["Saldo final em 30/11/2026"],
            ),
            (["236.129"], []),
            ([], ["-R$ 52.491.503,02"]),
        )
        total = 0
        for column, (texts, bold_texts) in enumerate(samples):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            widest = max(
                [plain.horizontalAdvance(text) for text in texts]
                + [strong.horizontalAdvance(text) for text in (*bold_texts, title)]
            )
            width = widest + CELL_PADDING
            total += width
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumWidth(total + 2 * self.table.frameWidth())
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def _footer(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        self.status = label("", "muted")
        row.addWidget(self.status, 1)
        self.export_button = QPushButton(self.tr("Exportar Excel"))
        self.export_button.setProperty("primary", True)
        self.export_button.setShortcut(QKeySequence("Ctrl+E"))
        self.export_button.setToolTip(self.tr("Salvar o saldo de créditos do período em Excel"))
        self.print_button = QPushButton(self.tr("Imprimir"))
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.setToolTip(self.tr("Visualizar e imprimir o saldo de créditos (Ctrl+P)"))
        self.close_button = QPushButton(self.tr("Fechar"))
        for button in (self.export_button, self.print_button, self.close_button):
            row.addWidget(button)
        self.export_button.clicked.connect(self.export)
        self.print_button.clicked.connect(self.print_rollforward)
        self.close_button.clicked.connect(self.close)
        self._enable_actions()
        return row

    def _fit_to_screen(self) -> None:
        """1180×720, or the screen's room when smaller (a 1024×600 netbook)."""
        fit_to_screen(self, (1180, 720))

    # -- the period and loading ------------------------------------------------------------
    def use_period(self, preset: str, start: date | None, end: date | None) -> None:
        """Take the page's period: its preset, or its dates when they are its own."""
        if preset != CUSTOM or start is None or end is None:
            self.period.set_preset(preset)
        else:
            self.period.set_range(start, end)

    def is_loading(self) -> bool:
        """True from a period change until its figures are on screen (or its error told)."""
        return self._timer.isActive() or self._pending

    @Slot()
    def load(self) -> None:
        """Read the figures of the window's period, off the UI thread."""
        self._timer.stop()
        start, end = self.period.period()
        if start is None or end is None:
            return
        if start > end:
            self.status.setText(self.tr("A data inicial é posterior à final."))
            return
        self._generation += 1
        generation = self._generation
        self._pending = True
        self.status.setText(self.tr("Carregando…"))
        self.chart.set_waiting_text(self.tr("Carregando…"))
        self._enable_actions()
        job = Job(lambda _progress: (generation, *read_figures(start, end)), "saldo de créditos")
        job.succeeded.connect(self._loaded)
        job.failed.connect(self._failed)
        job.start()

    @Slot(object)
    def _loaded(self, result) -> None:
        generation, roll, months = result
        if generation != self._generation:
            return  # a newer period was asked for meanwhile
        self._pending = False
        self.roll, self.months = roll, months
        self.model.set_rows(roll.lines())
        self.chart.set_data(
            [month_label(m.month) for m in months],
            [Series(self.tr("Crédito em aberto"), CREDIT_COLOR, tuple(m.credit for m in months))],
        )
        self.status.setText(
            self.tr("Período: {0}. Saldo inicial + movimentos = saldo final.").format(
                credit_sheet.period_text(roll.start, roll.end)
            )
        )
        self._enable_actions()

    @Slot(object)
    def _failed(self, error: Exception) -> None:
        self._pending = False
        # The figures of another period must not stay on screen, nor be exported.
        self.roll, self.months = None, ()
        self.model.set_rows([])
        self.chart.set_data([], [])
        self.status.setText("")
        self.chart.set_waiting_text(self.tr("Os valores não puderam ser carregados."))
        self._enable_actions()
        messages.show_failure(self, error)

    def _enable_actions(self) -> None:
        ready = self.roll is not None and not self._pending
        self.print_button.setEnabled(ready)
        self.export_button.setEnabled(ready and self.export_run is None)

    # -- export and print ------------------------------------------------------------------
    @Slot()
    def export(self) -> ExportRun | None:
        """ "Exportar Excel": the roll-forward on screen and its months, to a file the user
        chooses (written in the background); None when the save dialog was cancelled."""
        if self.roll is None or self.export_run is not None:
            return None
        start, end = self.roll.start, self.roll.end
        path = exports.ask_save_path(self, credit_sheet.credit_export_name(start, end))
        if path is None:
            return None
        run = ExportRun(
            self,
            self.tr("Exportar saldo de créditos"),
            lambda _progress: credit_sheet.credit_rollforward_xlsx(path, start, end),
            done_text=self.tr("O saldo de créditos foi exportado para:"),
        )
        self.export_run = run
        run.finished.connect(self._export_finished)
        self._enable_actions()
        return run.start()

    @Slot(object)
    def _export_finished(self, _path) -> None:
        self.export_run = None
        self._enable_actions()

    @Slot()
    def print_rollforward(self) -> PrintPreviewDialog | None:
        """ "Imprimir": the preview of the lines on screen, the period written on top."""
        if self.roll is None or self._pending:
            return None
        name = credit_sheet.credit_export_name(self.roll.start, self.roll.end)
        self.print_dialog = open_print_preview(
            self, print_table(self.roll), file_name=name.removesuffix(".xlsx") + ".pdf"
        )
        return self.print_dialog

    def closeEvent(self, event: QCloseEvent) -> None:
        # An export under way goes on to its end (a second or so): its job is not the
        # window's (ui/common/jobs), and the file appears only when complete.
        self._timer.stop()
        super().closeEvent(event)


# --- the hook in Gestão Financeira -------------------------------------------------------


def credit_button(page) -> QPushButton:
    """The page's "Saldo de créditos" button, for its header: it opens (or brings forward)
    the window with the page's period; hidden from a role without the permission."""
    button = QPushButton(tr("Saldo de créditos"))
    button.setObjectName("creditRollforwardButton")
    button.setToolTip(
        tr("Saldo inicial, movimentos e saldo final do crédito de pacotes no período")
    )
    button.setVisible(allowed())
    button.clicked.connect(lambda: open_credit_window(page))
    return button


def open_credit_window(page) -> CreditRollforwardWindow | None:
    """Open the window for `page` (its `period` picker; it remembers the window in
    `credit_window`), reading the page's period; None without the permission."""
    if not allowed():
        return None
    window = page.credit_window
    if window is None or not window.isVisible():
        window = CreditRollforwardWindow(page.window())
        window.destroyed.connect(lambda: setattr(page, "credit_window", None))
        page.credit_window = window
        start, end = page.period.period()
        window.use_period(page.period.preset.currentData(), start, end)
        window.show()
        window.load()
    window.raise_()
    window.activateWindow()
    return window
