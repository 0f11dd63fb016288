"""Histórico (manual 2.1, SPEC §4): every line of a package's history, oldest first, in a
table model over the core's rows (`packages.history`)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core import packages
from ...core.models import EVENT_KINDS, PACKAGE_STATUSES
from ...core.packages import HistoryRow
from ...core.ptbr import format_brl, format_date, format_datetime, format_money
from ..column_widths import size_columns, two_lines
from ..table_model import CENTER, RIGHT, Column, RowTableModel
from ..widgets import StatusBadge, label

STATUS_COLORS = {"ativo": "#2e9e5b", "inativo": "#6b7280", "finalizado": "#2f6fdd"}


def history_columns() -> list[Column[HistoryRow]]:
    """Tipo, Data Pacote, Data, Status, Observação, Saldo de Sessões, Saldo R$, Valor Médio,
    Operador."""
    return [
        Column("Tipo", lambda r: r.kind),
        Column(
            "Data Pacote", lambda r: format_date(r.package_date), sort_key=lambda r: r.package_date
        ),
        Column("Data", lambda r: format_datetime(r.at), sort_key=lambda r: (r.at, r.id)),
        Column(
            "Status",
            lambda r: r.status,
            align=CENTER,
            color=lambda r: STATUS_COLORS.get(r.status),
        ),
        Column("Observação", lambda r: r.note, tooltip=lambda r: r.note),
        Column(
            "Saldo de Sessões",
            lambda r: str(r.sessions_left),
            align=RIGHT,
            sort_key=lambda r: r.sessions_left,
        ),
        Column(
            "Saldo R$",
            lambda r: format_money(r.open_amount),
            align=RIGHT,
            sort_key=lambda r: r.open_amount,
        ),
        Column(
            "Valor Médio",
            lambda r: format_money(r.price_per_session),
            align=RIGHT,
            sort_key=lambda r: r.price_per_session,
        ),
        Column("Operador", lambda r: r.operator),
    ]


def history_samples(rows: list[HistoryRow]) -> list:
    """The widest text each column can show (None: Observação, which stretches)."""
    return [
        {r.kind for r in rows} or EVENT_KINDS,
        "00/00/0000",
        "00/00/0000 00:00",
        {r.status for r in rows} or PACKAGE_STATUSES,
        None,
        "000",
        format_money(max((r.open_amount for r in rows), default=Decimal("0.00"))),
        format_money(max((r.price_per_session for r in rows), default=Decimal("0.00"))),
        {r.operator for r in rows},
    ]


class HistoryModel(RowTableModel):
    """The history's rows; long headers of narrow columns on two lines."""

    WIDE = (4,)  # Observação

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        value = super().headerData(section, orientation, role)
        if role == Qt.ItemDataRole.DisplayRole and section not in self.WIDE and value:
            return two_lines(value)
        return value


class HistoryDialog(QDialog):
    """Read-only; Esc or Enter closes it."""

    def __init__(self, package_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        summary = packages.summary(package_id)
        self.setWindowTitle(self.tr("Histórico do pacote No. {0}").format(summary.number))
        self.resize(1320, 580)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)

        heading = QHBoxLayout()
        heading.setSpacing(12)
        heading.addWidget(
            label(self.tr("Histórico — No. {0}").format(summary.number), "sectionTitle")
        )
        heading.addWidget(StatusBadge(summary.status))
        heading.addStretch(1)
        heading.addWidget(
            label(
                self.tr(
                    "{0}  ·  Valor total {1}  ·  Em aberto {2}  ·  Sessões (saldo) {3} de {4}"
                ).format(
                    summary.patient_name,
                    format_brl(summary.total),
                    format_brl(summary.open_amount),
                    summary.sessions_left,
                    summary.sessions_total,
                ),
                "muted",
            )
        )
        layout.addLayout(heading)

        self.model = HistoryModel(history_columns(), packages.history(package_id), parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(34)
        self.table.horizontalHeader().setHighlightSections(False)
        # Widths from samples, not from every line (a long history opens at once);
        # Observação takes the room left, a long one is elided, its tooltip shows it whole.
        size_columns(self.table, history_samples(self.model.rows()))
        layout.addWidget(self.table, 1)
        if self.model.rowCount():
            # The newest line is where the user looks first.
            self.table.selectRow(self.model.rowCount() - 1)
            self.table.scrollToBottom()

        buttons = QDialogButtonBox()
        close = buttons.addButton(self.tr("Fechar"), QDialogButtonBox.ButtonRole.AcceptRole)
        close.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    @classmethod
    def tell(cls, parent: QWidget | None, package_id: int) -> None:
        cls(package_id, parent).exec()
