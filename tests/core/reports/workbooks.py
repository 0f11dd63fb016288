"""Every workbook the app writes, for the tests of how they print (test_page_setup.py reads
the page setup back; test_workbook_printing.py prints each one with LibreOffice).

A new workbook joins WORKBOOKS: a function `write(folder, patient)` that writes it, from a
database holding at least one package of `patient`, and returns its path and, sheet by
sheet, the sheet's name, the title its printed pages carry and its header row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import NamedTuple

from r3izzy_desktop.core import importing
from r3izzy_desktop.core.reports import credit_sheet, export
from r3izzy_desktop.core.store.models import Patient


class PrintedSheet(NamedTuple):
    name: str
    title: str  # the page header's title
    header_row: int  # the row repeated on every page
    first_header: str = "Paciente"  # the header row's first cell
    landscape: bool = True


def patient_workbook(folder: Path, patient: Patient) -> tuple[Path, list[PrintedSheet]]:
    path = export.patient_packages_xlsx(patient, folder / "pacotes.xlsx")
    title = f"Pacotes de {patient.name}"
    return path, [
        PrintedSheet("Pacotes", title, 4),
        PrintedSheet("Histórico", f"{title} — Histórico", 1, "No. Pacote"),
    ]


def report_workbook(folder: Path, patient: Patient) -> tuple[Path, list[PrintedSheet]]:
    path = export.package_report_xlsx(folder / "relatorio.xlsx", status="ativo")
    return path, [
        PrintedSheet("Pacotes", "Relatório de Pacotes", 7),
        PrintedSheet("Histórico", "Relatório de Pacotes — Histórico", 1, "No. Pacote"),
    ]


def import_model_workbooks(folder: Path, patient: Patient) -> tuple[Path, list[PrintedSheet]]:
    path = importing.write_model(importing.PACKAGES, folder / "modelo-pacotes.xlsx")
    return path, [PrintedSheet("Pacotes", "Modelo de importação — Pacotes", 1)]


def import_model_patients(folder: Path, patient: Patient) -> tuple[Path, list[PrintedSheet]]:
    path = importing.write_model(importing.PATIENTS, folder / "modelo-pacientes.xlsx")
    return path, [PrintedSheet("Pacientes", "Modelo de importação — Pacientes", 1, "Nome")]


def credit_workbook(folder: Path, patient: Patient) -> tuple[Path, list[PrintedSheet]]:
    path = credit_sheet.credit_rollforward_xlsx(
        folder / "saldo.xlsx", date(2025, 1, 1), date(2025, 12, 31)
    )
    title = credit_sheet.TITLE
    return path, [
        PrintedSheet("Saldo de créditos", title, 5, "Movimento", landscape=False),
        PrintedSheet("Por mês", f"{title} — por mês", 5, "Mês", landscape=False),
    ]


def receipts_workbook(folder: Path, patient: Patient) -> tuple[Path, list[PrintedSheet]]:
    """R21: the year's receipts for the accountant (the year of the patient's first one)."""
    from r3izzy_desktop.core import receipts
    from r3izzy_desktop.core.reports import receipts_sheet

    year = min(receipts.years())
    for candidate in sorted(receipts.years()):
        if receipts.for_year(candidate):
            year = candidate
            break
    path = receipts_sheet.receipts_xlsx(year, folder / "recibos.xlsx")
    return path, [PrintedSheet("Recibos", f"Recibos de {year}", 4, "Número")]


WORKBOOKS: list[Callable[[Path, Patient], tuple[Path, list[PrintedSheet]]]] = [
    patient_workbook,
    report_workbook,
    import_model_patients,
    import_model_workbooks,
    receipts_workbook,
    credit_workbook,
]
