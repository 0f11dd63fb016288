"""The columns of the Relatório de Pacotes (manual 2.1): the package table, its totals
footer, and the selected package's history."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

from ...core.clinic import fold
from ...core.ptbr import format_brl, format_date, format_datetime
from ...core.reports import HistoryReportRow, PackageReportRow, PackageReportTotals
from ..table_model import CENTER, LEFT, RIGHT, Column, RowTableModel

STATUS_COLORS = {"ativo": "#2e9e5b", "inativo": "#6b7280", "finalizado": "#2f6fdd"}


def tr(text: str) -> str:
    return QCoreApplication.translate("package_report", text)


def format_count(count: int) -> str:
    """A whole number with the pt-BR thousands mark: 25.047."""
    return f"{count:,}".replace(",", ".")


def packages_text(count: int) -> str:
    """ "1 pacote", "25.047 pacotes"."""
    if count == 1:
        return tr("1 pacote")
    return tr("{0} pacotes").format(format_count(count))


def _status_color(row) -> str | None:
    return STATUS_COLORS.get(row.status)


def package_columns() -> list[Column[PackageReportRow]]:
    return [
        Column(
            tr("Paciente"),
            lambda r: r.patient_name,
            LEFT,
            sort_key=lambda r: (fold(r.patient_name), r.paid_on, r.package_id),
            tooltip=lambda r: r.patient_name,
        ),
        Column(tr("No."), lambda r: r.number, LEFT),
        Column(
            tr("Data Pgto."),
            lambda r: format_date(r.paid_on),
            CENTER,
            sort_key=lambda r: (r.paid_on, r.package_id),
        ),
        Column(tr("Status"), lambda r: r.status, CENTER, color=_status_color),
        Column(tr("Valor Total"), lambda r: format_brl(r.total), RIGHT, sort_key=lambda r: r.total),
        Column(
            tr("Saldo Atual"),
            lambda r: format_brl(r.open_amount),
            RIGHT,
            sort_key=lambda r: r.open_amount,
        ),
        Column(
            tr("Preço por Sessão"),
            lambda r: format_brl(r.price_per_session),
            RIGHT,
            sort_key=lambda r: r.price_per_session,
        ),
        Column(
            tr("Total de Sessões"),
            lambda r: str(r.sessions_total),
            RIGHT,
            sort_key=lambda r: r.sessions_total,
        ),
        Column(
            tr("Sessões Usadas"),
            lambda r: str(r.sessions_used),
            RIGHT,
            sort_key=lambda r: r.sessions_used,
        ),
        Column(
            tr("Sessões Restantes"),
            lambda r: str(r.sessions_left),
            RIGHT,
            sort_key=lambda r: r.sessions_left,
        ),
    ]


def totals_columns() -> list[Column[PackageReportTotals]]:
    """The footer under the package table: the same columns, summed where it makes sense."""
    return [
        Column(tr("Paciente"), lambda t: tr("Total"), LEFT),
        Column(
            tr("No."),
            lambda t: (
                tr("{0} pacote").format(t.packages)
                if t.packages == 1
                else tr("{0} pacotes").format(t.packages)
            ),
            LEFT,
        ),
        Column(tr("Data Pgto."), lambda t: "", CENTER),
        Column(tr("Status"), lambda t: "", CENTER),
        Column(tr("Valor Total"), lambda t: format_brl(t.total), RIGHT),
        Column(tr("Saldo Atual"), lambda t: format_brl(t.open_amount), RIGHT),
        Column(tr("Preço por Sessão"), lambda t: "", RIGHT),
        Column(tr("Total de Sessões"), lambda t: format_count(t.sessions_total), RIGHT),
        Column(tr("Sessões Usadas"), lambda t: format_count(t.sessions_used), RIGHT),
        Column(tr("Sessões Restantes"), lambda t: format_count(t.sessions_left), RIGHT),
    ]


def history_columns() -> list[Column[HistoryReportRow]]:
    """Manual 2.1's history table; "Data" is when the line was written, "Data Pacote" the
    package's payment date at that line."""
    return [
        Column(tr("Tipo"), lambda h: h.kind, LEFT, sort_key=lambda h: h.event_id),
        Column(
            tr("Data"),
            lambda h: format_datetime(h.at),
            CENTER,
            sort_key=lambda h: (h.at, h.event_id),
        ),
        Column(
            tr("Data Pacote"),
            lambda h: format_date(h.package_date),
            CENTER,
            sort_key=lambda h: (h.package_date, h.event_id),
        ),
        Column(tr("Status"), lambda h: h.status, CENTER, color=_status_color),
        Column(tr("Observação"), lambda h: h.note, LEFT, tooltip=lambda h: h.note),
        Column(
            tr("Saldo de Sessões"),
            lambda h: str(h.sessions_left),
            RIGHT,
            sort_key=lambda h: h.sessions_left,
        ),
        Column(
            tr("Saldo R$"),
            lambda h: format_brl(h.open_amount),
            RIGHT,
            sort_key=lambda h: h.open_amount,
        ),
        Column(
            tr("Valor Médio"),
            lambda h: format_brl(h.price_per_session),
            RIGHT,
            sort_key=lambda h: h.price_per_session,
        ),
    ]


def two_lines(title: str, longest: int = 11) -> str:
    """A long header on two lines ("Total de\nSessões"), so number columns stay narrow."""
    if len(title) <= longest or " " not in title:
        return title
    head, tail = title.rsplit(" ", 1)
    return f"{head}\n{tail}"


class ReportTableModel(RowTableModel):
    """The report's tables: headers of the narrow columns on two lines."""

    def __init__(self, columns, rows=(), parent=None, *, wide: tuple[int, ...] = ()):
        super().__init__(columns, rows, parent)
        self._wide = set(wide)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        value = super().headerData(section, orientation, role)
        wrap = role == Qt.ItemDataRole.DisplayRole and section not in self._wide
        if wrap and isinstance(value, str):
            return two_lines(value)
        return value


# Each column is as wide as its header or this sample of its widest value (None stretches).
PACKAGE_SAMPLES = (
    None,
    "000000000000",
    "00/00/0000",
    "finalizado",
    "R$ 00.000,00",
    "R$ 00.000,00",
    "R$ 00.000,00",
    "000",
    "000",
    "000",
)
HISTORY_SAMPLES = (
    "alterado manualmente",
    "00/00/0000 00:00",
    "00/00/0000",
    "finalizado",
    None,
    "000",
    "R$ 00.000,00",
    "R$ 00.000,00",
)


def make_table(model: RowTableModel, name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(30)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    return table
