"""Histórico (manual 2.1, SPEC §4): every line of a package's history, oldest first, in a
table model over the core's rows (`packages.history`). Its columns are the Relatório de
Pacotes' history table too (finance/report_window.py)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core import packages
from ...core.packages import HistoryRow
from ...core.ptbr import format_brl, format_date, format_datetime, format_money
from ...core.reports import HistoryReportRow
from ...core.terms import EVENT_KINDS, PACKAGE_STATUSES
from ..common.column_widths import Sample, keep_wide, size_columns
from ..common.fit import SideOrBelow, fit_to_screen
from ..common.table_model import CENTER, LEFT, RIGHT, Column, WrappedHeaderModel, make_table
from ..common.widgets import StatusBadge, label

STATUS_COLORS = {
    "ativo": "#2e9e5b",
    "inativo": "#6b7280",
    "finalizado": "#2f6fdd",
    "encerrado": "#4b5563",
}
OBSERVATION_COLUMN = 4  # the one that stretches; its header stays on one line
# What Observação keeps room for on a narrow screen (`keep_wide`): a debit's or a
# credit's note whole; a longer one is elided, whole in its tooltip.
OBSERVATION_SAMPLE = "Creditada pela sessão 00/00 00:00"
WIDEST_AMOUNT = Decimal("99999.99")  # sizes the money columns before any line is read

# A history line as the package's dialog reads it (`packages.history`) or as the
# Relatório de Pacotes does (`reports.history_rows`, no operator): same fields otherwise.
Line = HistoryRow | HistoryReportRow


def tr(text: str) -> str:
    return QCoreApplication.translate("package_history", text)


def status_color(row) -> str | None:
    return STATUS_COLORS.get(row.status)


def _line_id(row: Line) -> int:
    """The order lines were written in, for ties of the same minute."""
    return row.event_id if isinstance(row, HistoryReportRow) else row.id


def history_columns(*, operator: bool = False) -> list[Column[Line]]:
    """Manual 2.1's history table in its order — Tipo, Data Pacote, Status, Observação,
    Saldo de Sessões, Saldo R$, Valor Médio — with the app's "Data" (when the line was
    written) after "Data Pacote" (the package's payment date at that line), and
    "Operador" (who wrote it) last when `operator`."""
    columns: list[Column[Line]] = [
        Column(tr("Tipo"), lambda r: r.kind, LEFT),
        Column(
            tr("Data Pacote"),
            lambda r: format_date(r.package_date),
            CENTER,
            sort_key=lambda r: (r.package_date, _line_id(r)),
        ),
        Column(
            tr("Data"),
            lambda r: format_datetime(r.at),
            CENTER,
            sort_key=lambda r: (r.at, _line_id(r)),
        ),
        Column(tr("Status"), lambda r: r.status, CENTER, color=status_color),
        Column(tr("Observação"), lambda r: r.note, LEFT, tooltip=lambda r: r.note),
        Column(
            tr("Saldo de Sessões"),
            lambda r: str(r.sessions_left),
            RIGHT,
            sort_key=lambda r: r.sessions_left,
        ),
        Column(
            tr("Saldo R$"),
            lambda r: format_money(r.open_amount),
            RIGHT,
            sort_key=lambda r: r.open_amount,
        ),
        Column(
            tr("Valor Médio"),
            lambda r: format_money(r.price_per_session),
            RIGHT,
            sort_key=lambda r: r.price_per_session,
        ),
    ]
    if operator:
        columns.append(Column(tr("Operador"), lambda r: r.operator, LEFT))
    return columns


def history_samples(rows: Sequence[Line] = (), *, operator: bool = False) -> list[Sample]:
    """The widest text each column can show (None: Observação, which stretches); without
    rows, the widest any history can show."""
    samples: list[Sample] = [
        {r.kind for r in rows} or EVENT_KINDS,
        "00/00/0000",
        "00/00/0000 00:00",
        {r.status for r in rows} or PACKAGE_STATUSES,
        None,
        "000",
        format_money(max((r.open_amount for r in rows), default=WIDEST_AMOUNT)),
        format_money(max((r.price_per_session for r in rows), default=WIDEST_AMOUNT)),
    ]
    if operator:
        samples.append({r.operator for r in rows})
    return samples


def size_history_columns(
    table: QTableView, rows: Sequence[Line] = (), *, operator: bool = False
) -> None:
    """The history table's widths from samples (a long history opens at once); Observação
    takes the room left, never less than a debit's note (1024×600: the table scrolls
    sideways rather than cut every note to "…")."""
    size_columns(table, history_samples(rows, operator=operator))
    keep_wide(table, OBSERVATION_COLUMN, OBSERVATION_SAMPLE)


def history_model(
    rows: Sequence[Line] = (), *, operator: bool = False, parent=None
) -> WrappedHeaderModel:
    return WrappedHeaderModel(
        history_columns(operator=operator), rows, parent, wide=(OBSERVATION_COLUMN,)
    )


class HistoryDialog(QDialog):
    """Read-only; Esc or Enter closes it."""

    def __init__(self, package_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        summary = packages.summary(package_id)
        self.setWindowTitle(self.tr("Histórico do pacote No. {0}").format(summary.number))
        fit_to_screen(self, (1320, 580))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)

        title_box, figures = QWidget(), QWidget()
        heading = QHBoxLayout(title_box)
        heading.setContentsMargins(0, 0, 0, 0)
        heading.setSpacing(12)
        heading.addWidget(
            label(self.tr("Histórico — No. {0}").format(summary.number), "sectionTitle")
        )
        heading.addWidget(StatusBadge(summary.status))
        heading.addStretch(1)
        figures_row = QHBoxLayout(figures)
        figures_row.setContentsMargins(0, 0, 0, 0)
        figures_row.addWidget(
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
        # The figures beside the title, or below it on a narrow screen.
        layout.addLayout(SideOrBelow(title_box, figures))

        self.model = history_model(packages.history(package_id), operator=True, parent=self)
        self.table = make_table(self.model)
        # Observação takes the room left, a long one is elided, its tooltip shows it whole.
        size_history_columns(self.table, self.model.rows(), operator=True)
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
