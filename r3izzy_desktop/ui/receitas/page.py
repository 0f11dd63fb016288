"""Receitas (manual 3.3, SPEC §5.7): the sessions of a period with their payment state;
select one or many and "Registrar Pgto." → "Selecionar pacote" or "Pular". The footer
totals what was received and what is open for the filtered period."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core import clinic, clock
from ...core.agenda import SessionRow
from ...core.errors import DomainError
from ...core.ptbr import format_brl, format_month_year
from ...core.reports import receitas
from ...core.reports.finance import add_months, current_month
from ..agenda.patient_picker import PatientPicker
from ..agenda.payment_offer import register_payments
from ..agenda.session_detail import SessionDetailDialog
from ..common import messages, toast
from ..common.column_widths import size_columns
from ..common.date_edit import DateEdit
from ..common.fit import SideOrBelow
from ..common.operations import run_op
from ..common.table_model import RowTableModel, make_table
from ..common.widgets import Card, PageHeader, label
from .columns import (
    COLUMN_CAPS,
    PATIENT_COLUMN,
    PATIENT_FLOOR,
    SQUEEZE_FLOORS,
    column_samples,
    receitas_columns,
)
from .loading import PeriodLoader, Reading


class ReceitasPage(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("page")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 18)
        layout.setSpacing(14)
        self.header = PageHeader(
            self.tr("Receitas"),
            self.tr(
                "Sessões do período e seus pagamentos. Selecione uma ou mais sessões em aberto "
                "e clique em Registrar Pgto."
            ),
        )
        self.register_button = QPushButton(self.tr("Registrar Pgto."))
        self.register_button.setProperty("primary", True)
        self.register_button.setToolTip(
            self.tr("Pagar as sessões selecionadas: com pacote ou manual (Ctrl+R)")
        )
        self.register_button.clicked.connect(self.register_payment)
        # R21: the receipt of the selected paid session.
        self.receipt_button = QPushButton(self.tr("Recibo…"))
        self.receipt_button.setToolTip(self.tr("O recibo do pagamento da sessão selecionada"))
        self.receipt_button.setEnabled(False)
        self.receipt_button.clicked.connect(self.open_receipt)
        self.header.actions.addWidget(self.receipt_button)
        self.header.actions.addWidget(self.register_button)
        layout.addWidget(self.header)
        layout.addWidget(self._filters())

        self.model: RowTableModel[SessionRow] = RowTableModel(receitas_columns(), parent=self)
        self.table = make_table(
            self.model, selection=QAbstractItemView.SelectionMode.ExtendedSelection
        )
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setAccessibleName(self.tr("Sessões do período"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(PATIENT_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.doubleClicked.connect(self._open_session)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        layout.addWidget(self.table, 1)
        layout.addWidget(self._footer())
        QShortcut(QKeySequence("Ctrl+R"), self, activated=self.register_payment)
        self._shown = False
        self._keep: list[int] = []
        self.loader = PeriodLoader(self)
        self.loader.read.connect(self._read)
        self.loader.failed.connect(self._load_failed)
        self.set_month(clock.today())

    # -- building -----------------------------------------------------------------------
    def _filters(self) -> QWidget:
        card = Card()
        row = QHBoxLayout()
        row.setSpacing(8)
        card.body.addLayout(row)
        second = QHBoxLayout()
        second.setSpacing(8)
        card.body.addLayout(second)
        self.previous_month = QToolButton()
        self.previous_month.setObjectName("navArrow")
        self.previous_month.setText("‹")
        self.previous_month.setToolTip(self.tr("Mês anterior"))
        self.previous_month.setAccessibleName(self.tr("Mês anterior"))
        self.next_month = QToolButton()
        self.next_month.setObjectName("navArrow")
        self.next_month.setText("›")
        self.next_month.setToolTip(self.tr("Próximo mês"))
        self.next_month.setAccessibleName(self.tr("Próximo mês"))
        self.month_label = label("", "sectionTitle")
        self.month_label.setMinimumWidth(170)
        self.previous_month.clicked.connect(lambda: self._shift_month(-1))
        self.next_month.clicked.connect(lambda: self._shift_month(1))
        self.start_edit = _date_edit()
        self.end_edit = _date_edit()
        self.start_edit.setAccessibleName(self.tr("De"))
        self.end_edit.setAccessibleName(self.tr("Até"))
        self.start_edit.dateChanged.connect(lambda _d: self.reload())
        self.end_edit.dateChanged.connect(lambda _d: self.reload())
        row.addWidget(label(self.tr("Quando"), "fieldLabel"))
        row.addWidget(self.previous_month)
        row.addWidget(self.month_label)
        row.addWidget(self.next_month)
        row.addSpacing(8)
        row.addWidget(label(self.tr("De"), "fieldLabel"))
        row.addWidget(self.start_edit)
        row.addWidget(label(self.tr("Até"), "fieldLabel"))
        row.addWidget(self.end_edit)
        row.addStretch(1)
        self.patient_filter = PatientPicker()
        self.patient_filter.setPlaceholderText(self.tr("Todos os pacientes"))
        self.patient_filter.patient_changed.connect(lambda _p: self.reload())
        self.patient_filter.textChanged.connect(self._patient_text_changed)
        self.service_filter = QComboBox()
        self.service_filter.setAccessibleName(self.tr("Serviço"))
        self.situation_filter = QComboBox()
        self.situation_filter.setAccessibleName(self.tr("Situação"))
        self.situation_filter.addItem(self.tr("Todas as situações"), None)
        for key in receitas.SITUATIONS:
            self.situation_filter.addItem(receitas.SITUATION_LABELS[key], key)
        self._fill_services()
        self.service_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.situation_filter.currentIndexChanged.connect(lambda _i: self.reload())
        second.addWidget(label(self.tr("Filtrar"), "fieldLabel"))
        second.addWidget(self.patient_filter, 2)
        second.addWidget(self.service_filter, 1)
        second.addWidget(self.situation_filter, 1)
        return card

    def _footer(self) -> QWidget:
        card = Card()
        totals, status = QWidget(), QWidget()
        row = QHBoxLayout(totals)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        # The selection's count beside the totals, or below them on a narrow window.
        card.body.addLayout(SideOrBelow(totals, status))
        # "Pago", not "Recebido": a package debit is prepaid credit used, not money that
        # came in (issue 15 item 7); the split says which is which.
        row.addWidget(label(self.tr("Pago"), "fieldLabel"))
        self.received_label = label("", "totalReceived")
        row.addWidget(self.received_label)
        self.received_count = label("", "muted")
        row.addWidget(self.received_count)
        self.paid_split = label("", "muted")
        self.paid_split.setToolTip(
            self.tr(
                "Pago com pacote: sessões debitadas de pacotes (crédito já pago antes). "
                "Recebido à parte: pagamentos avulsos (Pix, dinheiro, cartão…)."
            )
        )
        row.addSpacing(28)
        row.addWidget(label(self.tr("Em aberto"), "fieldLabel"))
        self.open_label = label("", "totalOpen")
        self.open_label.setToolTip(
            self.tr("Faltas justificadas não pagas não entram no valor em aberto.")
        )
        row.addWidget(self.open_label)
        self.open_count = label("", "muted")
        row.addWidget(self.open_count)
        row.addStretch(1)
        card.body.addWidget(self.paid_split)  # its own line: it never widens the totals
        row = QHBoxLayout(status)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        self.loading_label = label("", "muted")
        self.loading_label.setVisible(False)
        row.addWidget(self.loading_label)
        self.selection_label = label("", "muted")
        row.addWidget(self.selection_label)
        return card

    def _fill_services(self) -> None:
        current = self.service_filter.currentData()
        self.service_filter.blockSignals(True)
        self.service_filter.clear()
        self.service_filter.addItem(self.tr("Todos os serviços"), None)
        for service in clinic.list_services(include_inactive=True):
            self.service_filter.addItem(service.name, service.id)
        self.service_filter.setCurrentIndex(
            max(0, self.service_filter.findData(current)) if current is not None else 0
        )
        self.service_filter.blockSignals(False)

    # -- period -------------------------------------------------------------------------
    def period(self) -> tuple[date, date]:
        return _to_date(self.start_edit.date()), _to_date(self.end_edit.date())

    def set_period(self, start: date, end: date) -> None:
        for edit, value in ((self.start_edit, start), (self.end_edit, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(value.year, value.month, value.day))
            edit.blockSignals(False)
        self.reload()

    def set_month(self, day: date) -> None:
        self.set_period(*current_month(day))

    def _shift_month(self, direction: int) -> None:
        start, _end = self.period()
        self.set_month(add_months(start, direction))

    def _patient_text_changed(self, text: str) -> None:
        """An emptied search means every patient again."""
        if text.strip():
            return
        if self.patient_filter.patient_id() is not None:
            self.patient_filter.set_patient(None)  # emits patient_changed -> reload
        else:
            self.reload()

    # -- data ---------------------------------------------------------------------------
    def filters(self) -> dict:
        return {
            "patient": self.patient_filter.patient_id(),
            "service": self.service_filter.currentData(),
            "situation": self.situation_filter.currentData(),
        }

    def refresh(self) -> None:
        """The page is shown: services may have changed in Configurações; read again."""
        self._fill_services()
        self.reload()

    def reload(self) -> None:
        """Read the period again with the filters: the rows and the footer totals (a busy
        period: its first rows at once, every row from the background; loading.py)."""
        start, end = self.period()
        whole_month = (start, end) == current_month(start)
        self.month_label.setText(
            format_month_year(start).capitalize() if whole_month else self.tr("Período")
        )
        self._shown = False
        self._keep = [row.id for row in self.selected_rows()]
        run_op(
            self,
            lambda: self.loader.load(start, end, self.filters(), shown_in=self.table.viewport()),
            failed=self._show_error,
        )

    def is_loading(self) -> bool:
        """True while rows of the period are still being read in the background."""
        return self.loader.loading

    def rows_shown(self) -> bool:
        """True once the current reload has rows (the first ones, or all) on screen."""
        return self._shown

    def _read(self, reading: Reading) -> None:
        header = self.table.horizontalHeader()
        chronological = (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
            0,
            Qt.SortOrder.AscendingOrder,
        )
        first = not self._shown
        if reading.complete or chronological:  # sorted otherwise: only all rows tell
            keep = self._keep if first else [row.id for row in self.selected_rows()]
            self.model.set_rows(reading.rows)
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
            if first:
                self._fit_columns()
            if keep:
                self.select_sessions(keep)
            self._shown = True
        if reading.totals is not None:
            totals = reading.totals
            self.received_label.setText(format_brl(totals.received))
            self.received_count.setText(_count(totals.paid_count))
            self.paid_split.setText(
                self.tr("Pago com pacote {0} · Recebido à parte {1}").format(
                    format_brl(totals.package_paid), format_brl(totals.manual_received)
                )
            )
            self.open_label.setText(format_brl(totals.open_amount))
            self.open_count.setText(_count(totals.open_count))
        elif first:
            for text_label in (self.received_label, self.open_label):
                text_label.setText("…")
            self.received_count.setText("")
            self.paid_split.setText("")
            self.open_count.setText("")
        self.loading_label.setVisible(not reading.complete)
        self.loading_label.setText(
            self.tr("Carregando as {0} sessões do período…").format(
                f"{reading.count:,}".replace(",", ".")
            )
        )
        self._selection_changed()

    def _show_error(self, error: Exception) -> None:
        self.model.set_rows([])
        self.received_label.setText("—")
        self.open_label.setText("—")
        self.loading_label.setVisible(False)
        self.selection_label.setText(str(error))

    def _load_failed(self, error: Exception) -> None:
        if isinstance(error, DomainError):
            self._show_error(error)
        else:
            from ...logs import log_file

            self._show_error(error)
            messages.show_unexpected(self, str(log_file()))

    def _fit_columns(self) -> None:
        """Each column as wide as the widest text it can show (from samples: measuring the
        cells of a busy month took longer than reading it), up to a cap; the patient takes
        the rest."""
        services = [self.service_filter.itemText(i) for i in range(1, self.service_filter.count())]
        size_columns(self.table, column_samples(self.model.rows(), services))
        for column, cap in COLUMN_CAPS.items():
            if self.table.columnWidth(column) > cap:
                self.table.setColumnWidth(column, cap)
        # A narrow window (1024 wide): the long texts' columns give up width, down to a
        # floor (their texts elided, whole in the tooltip), so that every column shows.
        room = self.table.viewport().width()
        taken = sum(
            self.table.columnWidth(c)
            for c in range(self.model.columnCount())
            if c != PATIENT_COLUMN
        )
        excess = taken + PATIENT_FLOOR - room
        for column, floor in SQUEEZE_FLOORS.items():
            if excess <= 0:
                break
            width = self.table.columnWidth(column)
            given = min(excess, max(0, width - floor))
            self.table.setColumnWidth(column, width - given)
            excess -= given

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.model.rowCount():
            self._fit_columns()

    def selected_rows(self) -> list[SessionRow]:
        indexes = self.table.selectionModel().selectedRows()
        return sorted(
            (self.model.row_at(index) for index in indexes), key=lambda r: (r.starts_at, r.id)
        )

    def select_sessions(self, session_ids: list[int]) -> None:
        """Select the rows of these sessions (as a person would with Ctrl+click)."""
        selection = self.table.selectionModel()
        selection.clearSelection()
        wanted = set(session_ids)
        first = None
        for position, row in enumerate(self.model.rows()):
            if row.id in wanted:
                index = self.model.index(position, 0)
                first = first or index
                selection.select(
                    index,
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
        if first is not None:
            self.table.scrollTo(first, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _selection_changed(self) -> None:
        count = len(self.table.selectionModel().selectedRows())
        self.selection_label.setText(self.tr("{0} selecionada(s)").format(count) if count else "")
        self.register_button.setEnabled(True)
        rows = self.selected_rows() if count == 1 else []
        self.receipt_button.setEnabled(bool(rows) and rows[0].paid)

    # -- actions ------------------------------------------------------------------------
    def open_receipt(self) -> None:
        from ..receipts import dialog as receipt_dialog

        rows = self.selected_rows()
        if len(rows) == 1 and rows[0].paid:
            receipt_dialog.open_session_receipt(self, rows[0].id)

    def register_payment(self) -> None:
        rows = self.selected_rows()
        if not rows:
            messages.show_error(self, self.tr("Selecione na lista a sessão ou as sessões a pagar."))
            return
        if register_payments(self, rows):
            toast.notify(self, self.tr("Pagamento registrado."))
            self.reload()

    def _open_session(self, index) -> None:
        row = self.model.row_at(index)
        if SessionDetailDialog.show_for(self, row.id):
            self.reload()


def _date_edit() -> DateEdit:
    return DateEdit()


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _count(number: int) -> str:
    return f"({number} {'sessão' if number == 1 else 'sessões'})"
