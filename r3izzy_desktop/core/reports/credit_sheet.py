"""The credit roll-forward (R20) as a workbook, Gestão Financeira's "Exportar Excel" of the
"Saldo de créditos" window: sheet "Saldo de créditos" (the opening, each movement with its
count and sum, the closing and the credit vencido at the end: `CreditRollforward.lines`,
the lines the screen shows) and sheet "Por mês" (the credit at the end of each month, the
chart's figures). Written like the package exports (export.py): typed cells, the page
setup of every printed table, the file only when complete; in the audit log.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .. import access, audit, clock
from ..ptbr import format_date
from .credit import CreditLine, MonthCredit, credit_by_month, credit_rollforward
from .export import (
    INTEGER,
    MONEY,
    TEXT,
    Column,
    SheetWriter,
    discard_workbook,
    exported_text,
    new_workbook,
    save_workbook,
    target_path,
)
from .report_query import read_snapshot

TITLE = "Saldo de créditos de pacotes"

LINE_COLUMNS: tuple[Column, ...] = (
    Column("Movimento", TEXT, 58, lambda line: line.label),
    Column("Quantidade", INTEGER, 12, lambda line: line.count),
    Column("Valor", MONEY, 18, lambda line: line.amount),
)

MONTH_COLUMNS: tuple[Column, ...] = (
    Column("Mês", TEXT, 12, lambda month: f"{month.month.month:02d}/{month.month.year}"),
    Column("Crédito no fim do mês", MONEY, 22, lambda month: month.credit),
)


def period_text(start: date, end: date) -> str:
    """ "01/01/2026 a 31/01/2026"."""
    return f"{format_date(start)} a {format_date(end)}"


@access.allowed("export.credit_rollforward_xlsx")
def credit_rollforward_xlsx(path: str | Path, start: date, end: date) -> Path:
    """The roll-forward of [start, end] and its months to `path` (.xlsx), both read in one
    read transaction (they agree even while another PC writes). Returns the file written;
    ValidationError for a period ending before it starts, ExportFailed when the file cannot
    be written."""
    target = target_path(path)
    at = clock.now()
    with read_snapshot():
        roll = credit_rollforward(start, end)
        months = credit_by_month(start, end)
    workbook = new_workbook()
    try:
        heading = [[TITLE], [exported_text(at)], ["Período:", period_text(start, end)]]
        # Portrait: three columns fill an A4 page standing up.
        lines = SheetWriter(
            workbook, "Saldo de créditos", LINE_COLUMNS, heading, exported_at=at, landscape=False
        )
        for line in roll.lines():
            lines.append(line)
        lines.finish()
        by_month = SheetWriter(
            workbook,
            "Por mês",
            MONTH_COLUMNS,
            [[f"{TITLE} — por mês"], [exported_text(at)], ["Período:", period_text(start, end)]],
            exported_at=at,
            landscape=False,
        )
        for month in months:
            by_month.append(month)
        by_month.finish()
    except BaseException:
        discard_workbook(workbook)
        raise
    saved = save_workbook(workbook, target)
    audit.record(audit.EXPORT, f"Saldo de créditos ({period_text(start, end)}): {saved.name}")
    return saved


def credit_export_name(start: date, end: date) -> str:
    """`saldo-de-creditos-2026-01-01-a-2026-01-31.xlsx`."""
    return f"saldo-de-creditos-{start.isoformat()}-a-{end.isoformat()}.xlsx"


__all__ = [
    "LINE_COLUMNS",
    "MONTH_COLUMNS",
    "CreditLine",
    "MonthCredit",
    "credit_export_name",
    "credit_rollforward_xlsx",
    "period_text",
]
