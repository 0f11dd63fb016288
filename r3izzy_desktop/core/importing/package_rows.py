"""Open packages from a spreadsheet (R24): the simple columns (Paciente, Data de pagamento,
Sessões restantes, Saldo, Validade, Observações) or the manual's report (2.1: Status,
Valor Total, Saldo Atual, Preço por Sessão, Total de Sessões, Sessões Usadas, Sessões
Restantes) with a Paciente column.

An open package becomes a package of its remaining sessions for its remaining amount
(so R5 debits what is left, to the centavo), its notes keeping the original figures; a
`finalizado` (or `encerrado`) row, or one with no session left, is skipped; an `inativo`
one is imported and set `inativo` (an R8 line in its history). The patient is found by
CPF, else by name (case and accents aside); a package already imported from a sheet —
same patient, payment date, sessions and amount — is not imported again. No validity
given: none (the clinic's default counts from the original payment date, which could
make the package vencido the day it arrives).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from .. import clock, packages
from ..errors import ValidationError
from ..packages.lines import MAX_NOTES, check_cent_per_session
from ..ptbr import format_brl, format_date
from ..store.models import Package, Patient
from ..terms import ATIVO, ENCERRADO, FINALIZADO, INATIVO
from ..text import cpf_is_valid, digits, fold
from .columns import Header, as_cpf, as_date, as_money, as_text, as_whole, blank, cell
from .rows import CREATE, ERROR, SKIP, ParsedRow, PreviewRow

IMPORTED = "Importado de"  # how an imported package's notes start
NOT_OPEN = (FINALIZADO, ENCERRADO)


def _figure(values: list[Any], header: Header, key: str, read, label: str, errors: list[str]):
    raw = cell(values, header, key)
    if blank(raw):
        return None
    try:
        return read(raw, label)
    except ValidationError as error:
        errors.append(str(error))
        return None


def parse(line: int, values: list[Any], header: Header, file_name: str) -> ParsedRow:
    errors: list[str] = []
    found: dict[str, Any] = {}
    who = as_text(cell(values, header, "patient"))
    cpf = as_cpf(cell(values, header, "patient_cpf")) if "patient_cpf" in header.columns else ""
    if not cpf and who and len(digits(who)) == 11 and not any(c.isalpha() for c in who):
        cpf = digits(who)  # the Paciente column holds the CPF
    found["patient"], found["patient_cpf"] = who, cpf
    if not who and not cpf:
        errors.append("Informe o paciente (nome ou CPF).")
    elif cpf and not cpf_is_valid(cpf):
        errors.append("CPF do paciente inválido: confira os dígitos.")

    status = fold(as_text(cell(values, header, "status"))) or ATIVO
    found["status"] = status
    if status in NOT_OPEN:
        return ParsedRow(line, found, (), f"Pacote {status}: nada a importar.")
    if status not in (ATIVO, INATIVO):
        errors.append(f"Status desconhecido: “{status}” (use ativo, inativo ou finalizado).")

    total_sessions = _figure(values, header, "sessions_total", as_whole, "Total de Sessões", errors)
    used = _figure(values, header, "sessions_used", as_whole, "Sessões Usadas", errors)
    left = _figure(values, header, "sessions_left", as_whole, "Sessões restantes", errors)
    if left is None and total_sessions is not None and used is not None:
        left = total_sessions - used
        if left < 0:
            errors.append("Sessões Usadas maior que o Total de Sessões.")
    elif left is not None and total_sessions is not None and used is not None:
        if total_sessions - used != left:
            errors.append(
                f"As sessões não batem: {total_sessions} no total, {used} usadas e {left} "
                "restantes."
            )
    elif left is None and not errors:
        errors.append("Informe as sessões restantes.")
    open_amount = _figure(values, header, "open_amount", as_money, "Saldo", errors)
    if open_amount is None and not any(e.startswith("Saldo") for e in errors):
        errors.append("Informe o saldo (o valor que resta no pacote).")
    total = _figure(values, header, "total", as_money, "Valor Total", errors)
    price = _figure(values, header, "price_per_session", as_money, "Preço por Sessão", errors)
    paid_on = _figure(values, header, "paid_on", as_date, "Data de pagamento", errors)
    valid_until = _figure(values, header, "valid_until", as_date, "Validade", errors)
    found.update(
        sessions_left=left, open_amount=open_amount, paid_on=paid_on, valid_until=valid_until
    )
    if left == 0 and not errors:
        return ParsedRow(line, found, (), "Sem sessões restantes: nada a importar.")
    if left is not None and open_amount is not None and left > 0:
        if open_amount == 0:
            errors.append(f"Saldo R$ 0,00 com {left} sessões restantes: informe o valor que resta.")
        else:
            try:
                check_cent_per_session(open_amount, left)
            except ValidationError as error:
                errors.append(str(error).replace("Total pago", "Saldo"))
    figures = {
        "Valor Total": format_brl(total) if total is not None else None,
        "Total de Sessões": total_sessions,
        "Sessões Usadas": used,
        "Sessões Restantes": left,
        "Saldo": format_brl(open_amount) if open_amount is not None else None,
        "Preço por Sessão": format_brl(price) if price is not None else None,
        "Status": status if "status" in header.columns else None,
        "No.": as_text(cell(values, header, "number")) or None,
    }
    shown = "; ".join(f"{name} {value}" for name, value in figures.items() if value is not None)
    notes = f"{IMPORTED} {file_name}, linha {line}. Na planilha: {shown}."
    original = as_text(cell(values, header, "notes"))
    if original:
        notes = f"{notes}\n{original}"
    if len(notes) > MAX_NOTES:
        errors.append(f"Observações longas demais (no máximo {MAX_NOTES} caracteres).")
    found["notes"] = notes
    return ParsedRow(line, found, tuple(errors))


class Patients:
    """The clinic's patients by CPF and by folded name, read once."""

    def __init__(self) -> None:
        self.by_cpf: dict[str, tuple[int, str]] = {}
        self.by_name: dict[str, list[tuple[int, str]]] = {}
        for pid, name, cpf in Patient.select(Patient.id, Patient.name, Patient.cpf).tuples():
            if cpf:
                self.by_cpf[cpf] = (pid, name)
            self.by_name.setdefault(fold(name).strip(), []).append((pid, name))

    def find(self, name: str, cpf: str) -> tuple[int, str] | str:
        """(id, name), or why none."""
        if cpf:
            if cpf in self.by_cpf:
                return self.by_cpf[cpf]
            if not name:
                return "Nenhum paciente com este CPF: importe os pacientes antes."
        found = self.by_name.get(fold(name).strip(), [])
        if len(found) == 1:
            return found[0]
        if not found:
            return (
                f"Paciente não encontrado: “{name}”. Importe os pacientes antes "
                "(Importar › Pacientes) ou confira o nome."
            )
        return f"Há {len(found)} pacientes chamados “{name}”: use o CPF para dizer qual."


def _imported_keys() -> set[tuple[int, date, int, Decimal]]:
    query = Package.select(
        Package.patient, Package.paid_on, Package.sessions_total, Package.total
    ).where(Package.notes.startswith(IMPORTED))
    return {
        (patient, paid_on, sessions, total) for patient, paid_on, sessions, total in query.tuples()
    }


def plan(parsed: Iterable[ParsedRow]) -> list[PreviewRow]:
    directory = Patients()
    imported = _imported_keys()
    today = clock.today()
    planned = []
    for row in parsed:
        values = row.values
        shown_name = values["patient"] or values["patient_cpf"]
        if row.skip:
            planned.append(PreviewRow(row.line, SKIP, shown_name, "", row.skip))
            continue
        if row.errors:
            planned.append(PreviewRow(row.line, ERROR, shown_name, "", " ".join(row.errors)))
            continue
        found = directory.find(values["patient"], values["patient_cpf"])
        if isinstance(found, str):
            planned.append(PreviewRow(row.line, ERROR, shown_name, "", found))
            continue
        patient_id, name = found
        key = (
            patient_id,
            values["paid_on"] or today,
            values["sessions_left"],
            values["open_amount"],
        )
        if key in imported:
            planned.append(
                PreviewRow(
                    row.line,
                    SKIP,
                    name,
                    "",
                    "Já importado (mesmo paciente, data, sessões e saldo): não será duplicado.",
                )
            )
            continue
        planned.append(PreviewRow(row.line, CREATE, name, describe(values), "", values, patient_id))
    return planned


def describe(values: dict[str, Any]) -> str:
    left = values["sessions_left"]
    parts = [
        f"Pacote de {left} {'sessão' if left == 1 else 'sessões'} por "
        f"{format_brl(values['open_amount'])}"
    ]
    parts.append(f"pago em {format_date(values['paid_on'])}" if values["paid_on"] else "pago hoje")
    if values["valid_until"]:
        parts.append(f"validade {format_date(values['valid_until'])}")
    if values["status"] == INATIVO:
        parts.append("inativo")
    return ", ".join(parts)


def create(row: PreviewRow, number: str) -> Package:
    values = row.values
    package = packages.create_package(
        row.patient_id,
        sessions=values["sessions_left"],
        total=values["open_amount"],
        paid_on=values["paid_on"],
        notes=values["notes"],
        valid_until=values["valid_until"],
        number=number,
    )
    if values["status"] == INATIVO:
        packages.edit_package(package, status=INATIVO)
    return package


MODEL_ROWS = [
    ["Ana Souza", "02/05/2025", 3, "750,00", "31/12/2026", "Pacote de 4 sessões, 1 usada"],
    ["529.982.247-25", "18/06/2025", 5, "1.000,00", "", ""],
]
