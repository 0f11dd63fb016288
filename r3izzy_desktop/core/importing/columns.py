"""Which column is which (R24): headers matched without regard to case, accents, spaces
and punctuation ("Data de nascimento", "DATA DE NASCIMENTO", "data_nascimento"), with the
few other names clinics use; the manual's report columns (2.1) are among them. And each
cell read as the app reads what a person types: money, dates, whole numbers, CPFs, text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..errors import ValidationError
from ..ptbr import format_date, parse_date
from ..text import digits, fold
from ..validation import money_value, whole_number
from .reading import HEADER_SEARCH_ROWS, ImportRefused, NumberText, RawSheet

PATIENTS = "patients"
PACKAGES = "packages"
KINDS = (PATIENTS, PACKAGES)
KIND_LABELS = {PATIENTS: "pacientes", PACKAGES: "pacotes"}


def header_key(text: Any) -> str:
    """ "Data de Nascimento" -> "datadenascimento": folded, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", fold(strip_tags(str(text or ""))))


_TAGS = re.compile(r"<[^>]{1,20}>")


def strip_tags(text: str) -> str:
    """The manual prints its statuses as `<u>inativo</u>`: a table copied from it keeps the
    tags."""
    return _TAGS.sub("", text)


@dataclass(frozen=True)
class Field:
    key: str  # what the import calls it
    label: str  # the header the model spreadsheet writes
    names: tuple[str, ...]  # the headers accepted, as header_key makes them


PATIENT_FIELDS: tuple[Field, ...] = (
    Field("name", "Nome", ("nome", "paciente", "nomedopaciente", "nomecompleto")),
    Field("phone", "Telefone", ("telefone", "celular", "fone", "whatsapp", "telefonecelular")),
    Field("cpf", "CPF", ("cpf", "cpfdopaciente")),
    Field(
        "birth_date",
        "Data de nascimento",
        ("datadenascimento", "nascimento", "datanascimento", "dtnascimento", "dtnasc"),
    ),
    Field("guardian", "Responsável", ("responsavel", "nomedoresponsavel")),
    Field("guardian_cpf", "CPF do responsável", ("cpfdoresponsavel", "cpfresponsavel")),
    Field("email", "E-mail", ("email", "correioeletronico")),
    Field("notes", "Observações", ("observacoes", "observacao", "obs")),
)

PACKAGE_FIELDS: tuple[Field, ...] = (
    Field("patient", "Paciente", ("paciente", "nomedopaciente", "nome")),
    Field("patient_cpf", "CPF do paciente", ("cpf", "cpfdopaciente")),
    Field(
        "paid_on",
        "Data de pagamento",
        ("datadepagamento", "datapagamento", "datapgto", "datadecriacaopgto", "datadecriacao"),
    ),
    Field(
        "sessions_left",
        "Sessões restantes",
        ("sessoesrestantes", "saldodesessoes", "sessoessaldo", "restantes"),
    ),
    Field(
        "open_amount",
        "Saldo",
        ("saldo", "saldoatual", "saldor", "emaberto", "valoremaberto", "saldoemaberto"),
    ),
    Field("valid_until", "Validade", ("validade", "validoate", "vencimento")),
    Field("notes", "Observações", ("observacoes", "observacao", "obs")),
    # The manual's report (2.1), kept in the notes and checked against each other.
    Field("status", "Status", ("status", "situacao")),
    Field("total", "Valor Total", ("valortotal", "totalpago")),
    Field("price_per_session", "Preço por Sessão", ("precoporsessao", "valormedio")),
    Field(
        "sessions_total",
        "Total de Sessões",
        ("totaldesessoes", "numerototaldesessoes", "sessoes"),
    ),
    Field("sessions_used", "Sessões Usadas", ("sessoesusadas", "usadas")),
    Field("number", "No.", ("no", "numero", "nopacote", "numerodopacote")),
)

FIELDS = {PATIENTS: PATIENT_FIELDS, PACKAGES: PACKAGE_FIELDS}
MODEL_COLUMNS = {
    PATIENTS: [f.label for f in PATIENT_FIELDS],
    PACKAGES: [
        "Paciente",
        "Data de pagamento",
        "Sessões restantes",
        "Saldo",
        "Validade",
        "Observações",
    ],
}


def _match(kind: str, row: list[Any]) -> dict[str, int]:
    """{field key: column index} for a candidate header row (the first column of a name)."""
    found: dict[str, int] = {}
    by_name = {name: field.key for field in FIELDS[kind] for name in field.names}
    for index, value in enumerate(row):
        key = by_name.get(header_key(value))
        if key is not None and key not in found:
            found[key] = index
    return found


def _missing(kind: str, found: dict[str, int]) -> list[str]:
    if kind == PATIENTS:
        return [] if "name" in found else ["“Nome”"]
    missing = []
    if "patient" not in found and "patient_cpf" not in found:
        missing.append("“Paciente” (o nome ou o CPF do paciente)")
    if "sessions_left" not in found and not {"sessions_total", "sessions_used"} <= set(found):
        missing.append("“Sessões restantes” (ou “Total de Sessões” e “Sessões Usadas”)")
    if "open_amount" not in found:
        missing.append("“Saldo” (ou “Saldo Atual”)")
    return missing


@dataclass(frozen=True)
class Header:
    row_number: int  # in the file
    position: int  # its index in RawSheet.rows
    columns: dict[str, int]  # field key -> column index
    titles: dict[str, str]  # field key -> the header as written


def find_header(kind: str, sheet: RawSheet) -> Header:
    """The header row: of the first rows, the one naming the most known columns. Raises
    ImportRefused when none names the columns the kind needs."""
    best: tuple[int, int, dict[str, int]] | None = None
    for position, (_number, values) in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        found = _match(kind, values)
        if found and (best is None or len(found) > len(best[2])):
            best = (position, _number, found)
    needed = ", ".join(f.label for f in FIELDS[kind][:1])
    if best is None:
        words = ", ".join(MODEL_COLUMNS[kind][:4])
        raise ImportRefused(
            f"Não encontrei o cabeçalho da planilha: a primeira linha deve ter os nomes das "
            f"colunas, como {words}. Baixe a planilha modelo para ver como fica. "
            "Nada foi gravado."
        )
    position, number, found = best
    missing = _missing(kind, found)
    if missing:
        raise ImportRefused(
            f"Falta a coluna {' e a coluna '.join(missing)} no cabeçalho (linha {number}). "
            f"Colunas reconhecidas: {_titles(sheet.rows[position][1], found) or needed}. "
            "Nada foi gravado."
        )
    titles = {key: str(sheet.rows[position][1][index]).strip() for key, index in found.items()}
    return Header(number, position, found, titles)


def _titles(values: list[Any], found: dict[str, int]) -> str:
    return ", ".join(str(values[index]).strip() for index in sorted(found.values()))


def check_table(sheet: RawSheet, header: Header) -> None:
    """Refuse formulas and merged cells in the columns read, from the header down."""
    used = set(header.columns.values())
    cells = [
        ref
        for number, by_column in sorted(sheet.formula_cells.items())
        if number >= header.row_number
        for index, ref in sorted(by_column.items())
        if index in used
    ]
    if cells:
        shown = ", ".join(cells[:5]) + ("…" if len(cells) > 5 else "")
        raise ImportRefused(
            f"A planilha tem fórmulas ({shown}). O programa importa valores, não fórmulas: "
            "no Excel, selecione as colunas, copie e use Colar especial › Valores; salve e "
            "carregue de novo. Nada foi gravado."
        )
    merged = [
        ref
        for min_row, min_col, max_row, max_col, ref in sheet.merged
        if max_row >= header.row_number and any(min_col - 1 <= i <= max_col - 1 for i in used)
    ]
    if merged:
        shown = ", ".join(merged[:5]) + ("…" if len(merged) > 5 else "")
        raise ImportRefused(
            f"A planilha tem células mescladas na tabela ({shown}). Desfaça a mesclagem "
            "(cada linha com os seus próprios valores), salve e carregue de novo. "
            "Nada foi gravado."
        )


# --- cells --------------------------------------------------------------------------------


def cell(values: list[Any], header: Header, key: str) -> Any:
    index = header.columns.get(key)
    if index is None or index >= len(values):
        return None
    value = values[index]
    return value.strip() if isinstance(value, str) else value


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    """A cell as text: a date as dd/mm/aaaa, a number as it reads, nothing as ""."""
    if blank(value):
        return ""
    if isinstance(value, bool):
        return "sim" if value else "não"
    if isinstance(value, datetime):
        return format_date(value.date()) if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return format_date(value)
    return strip_tags(str(value)).strip()


def as_money(value: Any, label: str) -> Decimal:
    """Money as the app reads it (`1.000,00`, `1000.00`, `R$ 1.000`, a number cell):
    never rounded, never negative, at most R$ 9.999.999,99."""
    if isinstance(value, bool):
        raise ValidationError(f"{label}: valor inválido.")
    if isinstance(value, int | Decimal):
        return money_value(Decimal(value), label, allow_zero=True)
    text = as_text(value)
    if not text:
        raise ValidationError(f"{label}: informe o valor.")
    if isinstance(value, NumberText):
        # A number cell's own text: a decimal point, never a thousands mark (1234.5).
        amount = Decimal(str(value))
        if amount < 0:
            raise ValidationError(f"{label}: o valor não pode ser negativo.")
        return money_value(amount, label, allow_zero=True)
    try:
        return money_value(text, label, allow_zero=True)
    except ValidationError as error:
        raise ValidationError(f"{label}: {error}") from None


def as_whole(value: Any, label: str, *, low: int = 0, high: int = 999) -> int:
    if isinstance(value, str):
        value = value.strip()
        if re.fullmatch(r"\d+[.,]0+", value):
            value = re.split(r"[.,]", value)[0]
    return whole_number(value, label, low=low, high=high)


def as_date(value: Any, label: str) -> date:
    """A real date cell, or text dd/mm/aaaa (also d/m/aa and aaaa-mm-dd)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        raise ValidationError(f"{label}: “{value}” não é uma data; use dd/mm/aaaa.")
    text = as_text(value)
    text = re.sub(r"\s+00:00(:00)?$", "", text)  # a date written with its midnight
    try:
        return parse_date(text)
    except ValidationError:
        raise ValidationError(f"{label}: data inválida “{text}”; use dd/mm/aaaa.") from None


def as_cpf(value: Any) -> str:
    """The CPF's digits, with or without its dots and dash; a number cell lost its leading
    zeros, which come back."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value).zfill(11)
    text = as_text(value)
    number = digits(text)
    if number and len(number) < 11 and text.isdigit():
        number = number.zfill(11)
    return number if number else text
