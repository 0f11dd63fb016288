"""Spreadsheets for the import tests, written the way clinics' files come: CSV in UTF-8 or
Windows-1252 with `;` or `,`, and .xlsx with real dates and number cells."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook


def write_csv(
    path: Path, rows: list[list[Any]], *, sep: str = ";", encoding: str = "utf-8"
) -> Path:
    text = "\r\n".join(sep.join("" if v is None else str(v) for v in row) for row in rows)
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[Any]], *, merged: str | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merged:
        sheet.merge_cells(merged)
    book.save(path)
    return path


PATIENT_HEADER = [
    "Nome",
    "Telefone",
    "CPF",
    "Data de nascimento",
    "Responsável",
    "CPF do responsável",
    "E-mail",
    "Observações",
]

# The manual's report (2.1) as it prints, with the Paciente column R24 asks for.
MANUAL_REPORT = [
    [
        "Paciente",
        "Status",
        "Valor Total",
        "Saldo Atual",
        "Preço por Sessão",
        "Total de Sessões",
        "Sessões Usadas",
        "Sessões Restantes",
    ],
    ["Ana Souza", "<u>inativo</u>", "1000", "500", "250", "4", "2", "2"],
    ["Ana Souza", "<u>finalizado</u>", "1000", "0", "250", "4", "4", "0"],
    ["Bruno Lima", "<u>finalizado</u>", "1000", "0", "250", "4", "4", "0"],
    ["Bruno Lima", "<u>ativo</u>", "1000", "1000", "200", "5", "0", "5"],
]
