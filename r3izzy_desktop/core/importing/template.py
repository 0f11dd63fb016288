"""The model spreadsheets of the import (R24): the headers the import reads and two
example rows, written with the project's SheetWriter (A4 page setup, header repeated), so
a clinic can fill one in and bring it back. The example rows import as they are."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from .. import clock
from ..ptbr import parse_date, parse_money
from ..reports.export import (
    DATE,
    INTEGER,
    MONEY,
    TEXT,
    Column,
    SheetWriter,
    new_workbook,
    save_workbook,
    target_path,
)
from . import package_rows, patient_rows
from .columns import MODEL_COLUMNS, PACKAGES, PATIENTS

SHEET_TITLES = {PATIENTS: "Pacientes", PACKAGES: "Pacotes"}
PAGE_TITLES = {
    PATIENTS: "Modelo de importação — Pacientes",
    PACKAGES: "Modelo de importação — Pacotes",
}

_KINDS = {
    "Data de nascimento": DATE,
    "Data de pagamento": DATE,
    "Validade": DATE,
    "Sessões restantes": INTEGER,
    "Saldo": MONEY,
}
_WIDTHS = {"Nome": 28, "Paciente": 28, "Observações": 36, "E-mail": 28, "Responsável": 24}


def _typed(title: str, value: Any) -> Any:
    """The example's text as the cell's type: a real date, money as Decimal."""
    if value in ("", None):
        return None
    kind = _KINDS.get(title, TEXT)
    if kind == DATE:
        return parse_date(value)
    if kind == MONEY:
        return parse_money(value)
    return value


def _columns(kind: str) -> list[Column]:
    return [
        Column(title, _KINDS.get(title, TEXT), _WIDTHS.get(title, 18), lambda r, i=i: r[i])
        for i, title in enumerate(MODEL_COLUMNS[kind])
    ]


def model_rows(kind: str) -> list[list[Any]]:
    rows = patient_rows.MODEL_ROWS if kind == PATIENTS else package_rows.MODEL_ROWS
    titles = MODEL_COLUMNS[kind]
    return [
        [_typed(title, value) for title, value in zip(titles, row, strict=True)] for row in rows
    ]


def model_file_name(kind: str) -> str:
    return f"modelo-importacao-{SHEET_TITLES[kind].lower()}.xlsx"


def write_model(kind: str, path: Path | str, *, at: datetime | None = None) -> Path:
    """Write the model spreadsheet of `kind` to `path` (.xlsx added when missing): the
    header on the first row (what the import looks for) and two example rows. Returns the
    file. Raises ExportFailed when it cannot be written."""
    path = target_path(path)
    workbook = new_workbook()
    writer = SheetWriter(
        workbook,
        SHEET_TITLES[kind],
        _columns(kind),
        page_title=PAGE_TITLES[kind],
        exported_at=at or clock.now(),
    )
    for row in model_rows(kind):
        writer.append(row)
    writer.finish()
    return save_workbook(workbook, path)
