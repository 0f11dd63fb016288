"""Patients from a spreadsheet (R24): each row read and checked with the patient form's
own rules (clinic.patient_errors), then matched against the clinic: a patient already
there — same CPF, or same name and birth date — is never created twice, nor a row
repeated in the file. Without a birth date on either side, the same name counts as the
same patient: importing a file twice must not double the clinic.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import clinic
from ..errors import ValidationError
from ..ptbr import format_date
from ..store.models import Patient
from ..text import cpf_is_valid, fold, format_cpf
from .columns import Header, as_cpf, as_date, as_text, blank, cell
from .rows import CREATE, ERROR, SKIP, ParsedRow, PreviewRow

TEXT_FIELDS = ("name", "phone", "guardian", "email", "notes")


def parse(line: int, values: list[Any], header: Header) -> ParsedRow:
    """The row's patient fields, cleaned, and every problem of the row in words."""
    found: dict[str, Any] = {}
    errors: list[str] = []
    for key in TEXT_FIELDS:
        found[key] = as_text(cell(values, header, key))
    raw_cpf = cell(values, header, "cpf")
    found["cpf"] = as_cpf(raw_cpf) if not blank(raw_cpf) else ""
    raw_birth = cell(values, header, "birth_date")
    found["birth_date"] = None
    if not blank(raw_birth):
        try:
            found["birth_date"] = as_date(raw_birth, "Data de nascimento")
        except ValidationError as error:
            errors.append(str(error))
    raw_guardian_cpf = cell(values, header, "guardian_cpf")
    found["guardian_cpf"] = as_cpf(raw_guardian_cpf) if not blank(raw_guardian_cpf) else ""
    if found["guardian_cpf"] and not cpf_is_valid(found["guardian_cpf"]):
        errors.append("CPF do responsável inválido: confira os dígitos.")
    checked = {k: found[k] for k in ("name", "phone", "email", "cpf", "guardian", "notes")}
    if found["birth_date"] is not None:
        checked["birth_date"] = found["birth_date"]
    for message in clinic.patient_errors(**checked).values():
        errors.append(message)
    return ParsedRow(line, found, tuple(errors))


class Directory:
    """The clinic's patients as the import matches them, read once: by CPF, and by
    folded name (with their birth dates)."""

    def __init__(self) -> None:
        self.by_cpf: dict[str, str] = {}
        self.by_name: dict[str, list[tuple[Any, str]]] = {}
        for name, cpf, birth in Patient.select(
            Patient.name, Patient.cpf, Patient.birth_date
        ).tuples():
            self.add(name, cpf, birth, "já cadastrado")

    def add(self, name: str, cpf: str, birth: Any, where: str) -> None:
        if cpf:
            self.by_cpf.setdefault(cpf, f"{where} com este CPF ({name})")
        self.by_name.setdefault(fold(name).strip(), []).append((birth, where))

    def duplicate(self, name: str, cpf: str, birth: Any) -> str | None:
        """Why this patient is already there, or None."""
        if cpf and cpf in self.by_cpf:
            return _first_upper(self.by_cpf[cpf])
        for known_birth, where in self.by_name.get(fold(name).strip(), ()):
            if known_birth == birth:
                when = f", nascido em {format_date(birth)}" if birth else ""
                return f"{_first_upper(where)} com o mesmo nome{when}"
        return None


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def plan(parsed: Iterable[ParsedRow]) -> list[PreviewRow]:
    """What happens to each row, against the clinic as it is now."""
    directory = Directory()
    planned = []
    for row in parsed:
        values = row.values
        name = values["name"]
        if row.errors:
            planned.append(PreviewRow(row.line, ERROR, name, "", " ".join(row.errors), values))
            continue
        cpf, birth = values["cpf"], values["birth_date"]
        why = directory.duplicate(name, cpf, birth)
        if why is not None:
            planned.append(PreviewRow(row.line, SKIP, name, "", f"{why}: não será duplicado."))
            continue
        directory.add(name, cpf, birth, f"repetido na linha {row.line}")
        planned.append(PreviewRow(row.line, CREATE, name, describe(values), "", values))
    return planned


def describe(values: dict[str, Any]) -> str:
    parts = []
    if values["cpf"]:
        parts.append(f"CPF {format_cpf(values['cpf'])}")
    if values["birth_date"]:
        parts.append(f"nasc. {format_date(values['birth_date'])}")
    if values["phone"]:
        parts.append(values["phone"])
    if values["guardian"]:
        parts.append(f"resp. {values['guardian']}")
    return "Novo paciente" + (f": {', '.join(parts)}" if parts else "")


def create(row: PreviewRow) -> Patient:
    """Add the row's patient (inside the import's transaction)."""
    values = dict(row.values)
    guardian_cpf = values.pop("guardian_cpf", "")
    fields = {k: v for k, v in values.items() if k != "name" and v not in ("", None)}
    if guardian_cpf:
        if "payer_cpf" in clinic.PATIENT_FIELDS:  # R21's field, where the schema has it
            fields["payer_cpf"] = guardian_cpf
        else:
            note = f"CPF do responsável: {format_cpf(guardian_cpf)}"
            fields["notes"] = f"{fields['notes']}\n{note}" if fields.get("notes") else note
    return clinic.add_patient(values["name"], **fields)


MODEL_ROWS = [
    [
        "Ana Souza",
        "(11) 98765-4321",
        "529.982.247-25",
        "03/07/2015",
        "Maria Souza",
        "111.444.777-35",
        "maria@exemplo.com.br",
        "Método Bobath às terças",
    ],
    ["Bruno Lima", "(21) 3456-7890", "", "15/01/1990", "", "", "", ""],
]
