"""The columns of the Relatório de Pacotes (manual 2.1, with Validade after the payment
date and Serviços last, R15/R16): the package table and its totals footer (the selected
package's history has the Histórico dialog's columns, packages/history.py)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ...core.packages import ledger
from ...core.ptbr import format_brl, format_date
from ...core.reports import PackageReportRow, PackageReportTotals
from ...core.text import fold
from ..common.table_model import CENTER, LEFT, RIGHT, Column
from ..packages.history import status_color


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


EXPIRED_COLOR = "#d64545"


def validity_text(row: PackageReportRow) -> str:
    """ "31/12/2026" (in red when vencido) or "—" (sem validade)."""
    return format_date(row.valid_until)


def validity_tooltip(row: PackageReportRow) -> str:
    if row.valid_until is None:
        return tr("sem validade")
    if row.expired:
        return tr("vencido em {0}").format(format_date(row.valid_until))
    return tr("válido até {0}").format(format_date(row.valid_until))


def services_text(row: PackageReportRow) -> str:
    return ", ".join(row.services) if row.services else tr(ledger.ALL_SERVICES)


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
        Column(
            tr("Validade"),
            validity_text,
            CENTER,
            # Those without a validity last, whichever the order.
            sort_key=lambda r: (r.valid_until is None, r.valid_until or r.paid_on, r.package_id),
            color=lambda r: EXPIRED_COLOR if r.expired else None,
            tooltip=validity_tooltip,
        ),
        Column(tr("Status"), lambda r: r.status, CENTER, color=status_color),
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
        Column(tr("Serviços"), services_text, LEFT, tooltip=services_text),
    ]


def totals_columns() -> list[Column[PackageReportTotals]]:
    """The footer under the package table: the same columns, summed where it makes sense."""
    return [
        Column(tr("Paciente"), lambda t: tr("Total"), LEFT),
        Column(tr("No."), lambda t: packages_text(t.packages), LEFT),
        Column(tr("Data Pgto."), lambda t: "", CENTER),
        Column(tr("Validade"), lambda t: "", CENTER),
        Column(tr("Status"), lambda t: "", CENTER),
        Column(tr("Valor Total"), lambda t: format_brl(t.total), RIGHT),
        Column(tr("Saldo Atual"), lambda t: format_brl(t.open_amount), RIGHT),
        Column(tr("Preço por Sessão"), lambda t: "", RIGHT),
        Column(tr("Total de Sessões"), lambda t: format_count(t.sessions_total), RIGHT),
        Column(tr("Sessões Usadas"), lambda t: format_count(t.sessions_used), RIGHT),
        Column(tr("Sessões Restantes"), lambda t: format_count(t.sessions_left), RIGHT),
        Column(tr("Serviços"), lambda t: "", LEFT),
    ]


# Each column is as wide as its header or this sample of its widest value (None stretches:
# the services, last; the table scrolls sideways on a narrow window, names stay readable).
PACKAGE_SAMPLES = (
    "Valentina Pereira",  # longer names are elided, whole in the tooltip
    "000000000000",
    "00/00/0000",
    "00/00/0000",
    "finalizado",
    "R$ 00.000,00",
    "R$ 00.000,00",
    "R$ 00.000,00",
    "000",
    "000",
    "000",
    None,
)
