"""A package's installments (R18): the list (number, due date, amount, received on and how,
"em atraso" in red), "Receber parcela" (which one, the method, the date) and "Estornar
parcela" for a received one (financeiro and administrador: the core refuses recepção).

Every change is the core's (`packages.receive_installment`, `packages.void_installment`);
the figures shown are the core's (`packages.installments`, `packages.summary`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import clock, packages, users
from ...core.ptbr import format_brl, format_date
from ...core.terms import MANUAL_METHODS, method_label
from ..common import messages, toast
from ..common.date_edit import DateEdit, from_qdate
from ..common.operations import run_op
from ..common.widgets import label

OVERDUE_COLOR = "#c0392b"


def installments_text(summary: packages.PackageSummary) -> str:
    """ "2 de 4 parcelas recebidas · R$ 1.000,00 a receber" ("" for a package paid at once
    that owes nothing)."""
    if not summary.has_plan and summary.owed == 0:
        return ""
    count = summary.installments_count
    got = summary.installments_received
    text = (
        f"{got} de {count} {'parcela' if count == 1 else 'parcelas'} "
        f"{'recebida' if got == 1 else 'recebidas'}"
    )
    if summary.owed > 0:
        text += f" · {format_brl(summary.owed)} a receber"
    return text


def overdue_text(summary: packages.PackageSummary) -> str:
    """ "R$ 300,00 em atraso" ("" when nothing is overdue)."""
    if summary.overdue <= 0:
        return ""
    return f"{format_brl(summary.overdue)} em atraso"


class InstallmentsDialog(QDialog):
    """The installments of `package_id`, to receive or void one. `changed` tells whether
    anything was written (the list refreshes)."""

    COLUMNS = ("Parcela", "Vencimento", "Valor", "Recebida em", "Forma")

    def __init__(self, package_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.package_id = package_id
        self.changed = False
        self.setMinimumWidth(700)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)
        self.title = label("", "sectionTitle")
        layout.addWidget(self.title)
        self.figures = label("", "muted", wrap=True)
        layout.addWidget(self.figures)
        self.overdue = label("", "overdueText")
        self.overdue.setStyleSheet(f"color: {OVERDUE_COLOR}; font-weight: 600;")
        layout.addWidget(self.overdue)

        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)

        receive = QGridLayout()
        receive.setHorizontalSpacing(12)
        receive.setVerticalSpacing(4)
        receive.addWidget(label(self.tr("Parcela a receber"), "fieldLabel"), 0, 0)
        receive.addWidget(label(self.tr("Forma de pagamento"), "fieldLabel"), 0, 1)
        receive.addWidget(label(self.tr("Data do recebimento"), "fieldLabel"), 0, 2)
        self.which = QComboBox()
        self.which.setAccessibleName(self.tr("Parcela a receber"))
        self.method = QComboBox()
        self.method.setAccessibleName(self.tr("Forma de pagamento"))
        for key in MANUAL_METHODS:
            self.method.addItem(method_label(key), key)
        self.received_on = DateEdit(clock.today())
        self.received_on.setAccessibleName(self.tr("Data do recebimento"))
        receive.setColumnStretch(0, 3)
        receive.setColumnStretch(1, 2)
        receive.setColumnStretch(2, 2)
        receive.addWidget(self.which, 1, 0)
        receive.addWidget(self.method, 1, 1)
        receive.addWidget(self.received_on, 1, 2)
        layout.addLayout(receive)
        self.error = label("", "fieldError", wrap=True)
        self.error.setVisible(False)
        layout.addWidget(self.error)

        buttons = QHBoxLayout()
        self.close_button = QPushButton(self.tr("Fechar"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.accept)
        self.void_button = QPushButton(self.tr("Estornar parcela"))
        self.void_button.setAutoDefault(False)
        self.void_button.setToolTip(self.tr("A parcela selecionada volta a ficar a receber"))
        self.void_button.clicked.connect(self.void_selected)
        self.void_button.setVisible(users.can("packages.void_installment"))
        # R21: the receipt of the selected received installment (after receiving one, it is
        # the one selected).
        self.receipt_button = QPushButton(self.tr("Recibo da parcela…"))
        self.receipt_button.setAutoDefault(False)
        self.receipt_button.setToolTip(self.tr("Ver, salvar em PDF ou imprimir o recibo"))
        self.receipt_button.clicked.connect(self.open_receipt)
        self.receive_button = QPushButton(self.tr("Receber parcela"))
        self.receive_button.setProperty("primary", True)
        self.receive_button.setDefault(True)
        self.receive_button.clicked.connect(self.receive)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.void_button)
        buttons.addWidget(self.receipt_button)
        buttons.addStretch(1)
        buttons.addWidget(self.receive_button)
        layout.addLayout(buttons)
        self.reload()
        self.resize(self.minimumWidth(), min(self.sizeHint().height() + 40, 560))

    @classmethod
    def ask(cls, parent: QWidget | None, package_id: int) -> bool:
        """Open it; whether anything was received or voided."""
        dialog = cls(package_id, parent)
        dialog.exec()
        return dialog.changed

    # -- figures -----------------------------------------------------------------------------
    def reload(self) -> None:
        summary = packages.summary(self.package_id)
        self.summary = summary
        self.rows = packages.installments(self.package_id)
        self.setWindowTitle(self.tr("Parcelas do pacote No. {0}").format(summary.number))
        self.title.setText(self.tr("Parcelas — pacote No. {0}").format(summary.number))
        how = f" · {summary.method_label}" if summary.method_label else ""
        self.figures.setText(
            (installments_text(summary) or self.tr("Pago à vista"))
            + f" · {self.tr('recebido')} {format_brl(summary.received)}{how}"
        )
        self.overdue.setText(overdue_text(summary))
        self.overdue.setVisible(bool(self.overdue.text()))
        self.table.setRowCount(len(self.rows))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, row in enumerate(self.rows):
            values = (
                row.label,
                format_date(row.due_on),
                format_brl(row.amount),
                format_date(row.received_on)
                if row.received
                else (self.tr("em atraso") if row.overdue else self.tr("a receber")),
                row.method_label or ("—" if row.received else ""),
            )
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 2:
                    item.setTextAlignment(right)
                if row.overdue and c in (1, 3):
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(r, c, item)
        pending = [row for row in self.rows if not row.received]
        self.which.clear()
        for row in pending:
            self.which.addItem(
                f"{row.label} — {format_brl(row.amount)} ({format_date(row.due_on)})", row.number
            )
        can_receive = bool(pending) and users.can("packages.receive_installment")
        for widget in (self.which, self.method, self.received_on, self.receive_button):
            widget.setEnabled(can_receive)
        if summary.method:
            index = self.method.findData(summary.method)
            if index >= 0:
                self.method.setCurrentIndex(index)
        self._selection_changed()

    def _selected(self):
        chosen = self.table.selectionModel().selectedRows()
        return self.rows[chosen[0].row()] if chosen else None

    def _selection_changed(self) -> None:
        row = self._selected()
        self.void_button.setEnabled(row is not None and row.received)
        self.receipt_button.setEnabled(row is not None and row.received)
        if row is not None and not row.received:
            index = self.which.findData(row.number)
            if index >= 0:
                self.which.setCurrentIndex(index)

    def _show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    # -- actions -------------------------------------------------------------------------------
    def receive(self) -> None:
        number = self.which.currentData()
        if number is None:
            return
        if self.received_on.error():
            self._show_error(self.received_on.error())
            return
        self._show_error(None)
        method = self.method.currentData()
        day = from_qdate(self.received_on.date())
        version = self.summary.version
        done = run_op(
            self,
            lambda: packages.receive_installment(
                self.package_id,
                number,
                method=method,
                received_on=day,
                expected_version=version,
            ),
            failed=lambda error: self._show_error(str(error)),
        )
        if done:
            self.changed = True
            received = done.value
            receipt = (
                self.tr(" Recibo No. {0}.").format(received.receipt_number)
                if received.receipt_number
                else ""
            )
            toast.notify(
                self.parentWidget() or self,
                self.tr("Parcela {0} recebida.").format(f"{received.number}/{len(self.rows)}")
                + receipt,
            )
            self.reload()
            # The installment just received is selected: "Recibo da parcela…" shows its receipt.
            for position, row in enumerate(self.rows):
                if row.number == received.number:
                    self.table.selectRow(position)

    def open_receipt(self):
        """R21: the receipt of the selected received installment."""
        from ..receipts import dialog as receipt_dialog

        row = self._selected()
        if row is None or not row.received:
            return None
        return receipt_dialog.open_installment_receipt(self, self.package_id, row.number)

    def void_selected(self) -> None:
        row = self._selected()
        if row is None or not row.received:
            return
        if not messages.confirm(
            self,
            self.tr("Estornar parcela"),
            self.tr(
                "A parcela {0} ({1}, recebida em {2}) volta a ficar a receber. As sessões do "
                "pacote não mudam."
            ).format(row.label, format_brl(row.amount), format_date(row.received_on)),
            confirm_text=self.tr("Estornar"),
            destructive=True,
        ):
            return
        version = self.summary.version
        done = run_op(
            self,
            lambda: packages.void_installment(
                self.package_id, row.number, expected_version=version
            ),
            failed=lambda error: self._show_error(str(error)),
        )
        if done:
            self.changed = True
            toast.notify(
                self.parentWidget() or self, self.tr("Parcela {0} estornada.").format(row.label)
            )
            self.reload()
