"""R21: the year's receipts for the accountant, as a workbook (number, date, payer and CPF,
patient and CPF, amount, method, cancelled), written like the other exports (export.py):
typed cells, text never a formula, the file only when complete; in the audit log."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .. import access, audit, clock, receipts
from .export import (
    DATE,
    INTEGER,
    MONEY,
    TEXT,
    Column,
    SheetWriter,
    generated_line,
    new_workbook,
    save_workbook,
    target_path,
)

RECEIPT_COLUMNS = (
    Column("Número", INTEGER, 9, lambda r: r.number),
    Column("Data", DATE, 12, lambda r: r.issued_on),
    Column("Pagador", TEXT, 28, lambda r: r.payer_name),
    Column("CPF do pagador", TEXT, 16, lambda r: r.payer_cpf_text),
    Column("Paciente", TEXT, 28, lambda r: r.patient_name),
    Column("CPF do paciente", TEXT, 16, lambda r: r.patient_cpf_text),
    Column("Valor", MONEY, 14, lambda r: r.amount),
    Column("Forma de pagamento", TEXT, 18, lambda r: r.method_label),
    Column("Origem", TEXT, 16, lambda r: r.source_label),
    Column("Cancelado", TEXT, 11, lambda r: "sim" if r.cancelled else "não"),
    Column("Referente a", TEXT, 48, lambda r: "; ".join(r.items)),
)


@access.allowed("export.receipts_xlsx")
def receipts_xlsx(year: int, path: str | Path, *, query: str = "") -> Path:
    """The receipts of `year` (those `receipts.search` finds for `query`; all by default)
    to `path` (.xlsx), cancelled ones included and marked, with the total of the valid
    ones. Returns the file written; ExportFailed when it cannot be written."""
    target = target_path(path)
    rows = receipts.search(year, query)
    workbook = new_workbook()
    heading = [[f"Recibos de {year}"], generated_line()]
    if query.strip():
        heading.append(["Busca:", query.strip()])
    sheet = SheetWriter(workbook, "Recibos", RECEIPT_COLUMNS, heading)
    for row in rows:
        sheet.append(row)
    valid = [row for row in rows if not row.cancelled]
    total = sum((row.amount for row in valid), receipts.ZERO)
    word = "recibo válido" if len(valid) == 1 else "recibos válidos"
    sheet.finish(
        [
            None,
            None,
            f"Total ({len(valid)} {word})",
            None,
            None,
            None,
            total,
            None,
            None,
            None,
            None,
        ]
    )
    saved = save_workbook(workbook, target)
    audit.record(audit.EXPORT, f"Recibos de {year}: {saved.name}")
    return saved


def receipts_export_name(year: int, today: date | None = None) -> str:
    """`recibos-2026-2026-03-01.xlsx`."""
    return f"recibos-{year}-{(today or clock.today()).isoformat()}.xlsx"
