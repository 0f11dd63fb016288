"""Checks shared by the operations: text, whole numbers, money and dates from the caller.

Each raises ValidationError with a Portuguese message naming the field.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from . import clock
from .errors import ValidationError
from .ptbr import CENT, MAX_MONEY, format_money, parse_date, parse_money
from .text import cnpj_is_valid, cpf_is_valid, digits, format_cnpj, format_cpf

# Control characters other than tab and newline never belong in stored text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def optional_text(value: Any, label: str, *, max_length: int, field: str | None = None) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{label}: texto inválido.", field)
    text = _CONTROL.sub("", value).strip()
    if len(text) > max_length:
        raise ValidationError(f"{label}: no máximo {max_length} caracteres.", field)
    return text


def clean_text(value: Any, label: str, *, max_length: int, field: str | None = None) -> str:
    text = optional_text(value, label, max_length=max_length, field=field)
    if not text:
        raise ValidationError(f"Informe {label.lower()}.", field)
    return text


def whole_number(value: Any, label: str, *, low: int, high: int, field: str | None = None) -> int:
    """An int (or text of digits) within [low, high]; refuses fractions and booleans."""
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        number = int(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        # ASCII only: "²" or "٥" pass str.isdigit() but are not what a person typed as a count.
        number = int(value.strip())
    if number is None:
        raise ValidationError(f"{label}: informe um número inteiro.", field)
    if not low <= number <= high:
        raise ValidationError(f"{label}: de {low} a {high}.", field)
    return number


def money_value(
    value: Any,
    label: str,
    *,
    allow_zero: bool = False,
    maximum: Decimal = MAX_MONEY,
    field: str | None = None,
) -> Decimal:
    """A money amount from Decimal, int or typed text; never a float, never rounded."""
    if isinstance(value, str):
        amount = parse_money(value, field=field)
    elif isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValidationError(f"{label}: valor inválido.", field)
    else:
        amount = Decimal(value)
        if not amount.is_finite():
            raise ValidationError(f"{label}: valor inválido.", field)
        if amount < 0:
            raise ValidationError(f"{label}: o valor não pode ser negativo.", field)
    if amount > maximum:
        raise ValidationError(f"{label}: no máximo R$ {format_money(maximum)}.", field)
    if amount != amount.quantize(CENT):
        raise ValidationError(
            f"{label}: o valor tem mais de duas casas decimais; use centavos.", field
        )
    if amount == 0 and not allow_zero:
        raise ValidationError(f"{label}: informe um valor maior que zero.", field)
    return amount.quantize(CENT)


def a_date(
    value: Any, label: str, *, default_today: bool = False, field: str | None = None
) -> date:
    if value is None and default_today:
        return clock.today()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        return parse_date(value, field=field)
    raise ValidationError(f"Informe {label.lower()}.", field)


def tax_document(value: Any, label: str, *, field: str | None = None) -> str:
    """An optional CNPJ or CPF, check digits verified: "" when empty, else written the usual
    way (`11.222.333/0001-81`, `529.982.247-25`). A CNPJ has 14 digits, a CPF 11."""
    text = optional_text(value, label, max_length=40, field=field)
    if not text:
        return ""
    number = digits(text)
    if len(number) == 14:
        if not cnpj_is_valid(number):
            raise ValidationError(
                f"{label}: o CNPJ “{text}” não é válido (os dígitos verificadores não "
                "conferem). Confira o número.",
                field,
            )
        return format_cnpj(number)
    if len(number) == 11:
        if not cpf_is_valid(number):
            raise ValidationError(
                f"{label}: o CPF “{text}” não é válido (os dígitos verificadores não "
                "conferem). Confira o número.",
                field,
            )
        return format_cpf(number)
    raise ValidationError(
        f"{label}: digite um CNPJ (14 algarismos, ex.: 11.222.333/0001-81) ou um CPF "
        "(11 algarismos).",
        field,
    )
