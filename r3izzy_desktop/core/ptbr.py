"""Money and dates the Brazilian way: the one place that formats and parses them.

Used by the core's messages, the screens, the reports and the Excel export alike.
Money is always `Decimal` with two places; stored values are integer centavos.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import ValidationError

CENT = Decimal("0.01")
MAX_MONEY = Decimal("9999999.99")

WEEKDAYS_SHORT = ("seg.", "ter.", "qua.", "qui.", "sex.", "sáb.", "dom.")
MONTHS = (
    "janeiro",
    "fevereiro",
    "março",
    "abril",
    "maio",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
)


# --- money -------------------------------------------------------------------------------


def round_money(value: Decimal) -> Decimal:
    """Round half-up to the centavo (R1)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(value: Decimal | int) -> int:
    """Decimal reais -> integer centavos; refuses a value with a fraction of a centavo."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"money must be Decimal or int, not {type(value).__name__}")
    cents = Decimal(value) * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{value} has a fraction of a centavo")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    """Integer centavos -> Decimal reais with two places."""
    return (Decimal(int(cents)) / 100).quantize(CENT)


def format_money(value: Decimal | None, *, blank: str = "—") -> str:
    """`1.000,00` (no symbol); `blank` when there is no value."""
    if value is None:
        return blank
    value = round_money(Decimal(value))
    sign = "-" if value < 0 else ""
    whole, _, frac = f"{abs(value):.2f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{sign}{'.'.join(groups)},{frac}"


def format_brl(value: Decimal | None, *, blank: str = "—") -> str:
    """`R$ 1.000,00` with a plain space, `-R$ 1.000,00` when negative (pt-BR usage);
    `blank` when there is no value."""
    if value is None:
        return blank
    text = format_money(value)
    if text.startswith("-"):
        return f"-R$ {text[1:]}"
    return f"R$ {text}"


_MONEY_CHARS = re.compile(r"[0-9.,]+")
# More integer digits than any amount the app accepts (9.999.999,99 has 7): refuse early,
# before Decimal's 28-digit context could fail on an absurdly long number.
_MAX_INTEGER_DIGITS = 15


def parse_money(text: str | None, *, field: str | None = None) -> Decimal:
    """Read money as people type it: `1.000,50`, `1000,5`, `1000.50`, `R$ 10,00`, ` 250 `.

    Comma is the decimal mark; a dot is read as thousands when it is followed by
    groups of exactly three digits (`1.000`, `1.000.000`), otherwise as a decimal
    mark (`1000.50`). Raises ValidationError for empty text, garbage, negatives and
    more than two decimals (never rounds).
    """
    if text is None:
        raise ValidationError("Informe um valor.", field)
    raw = str(text).strip().replace("\u00a0", " ")
    if raw.upper().startswith("R$"):
        raw = raw[2:].strip()
    raw = raw.replace(" ", "")
    if not raw:
        raise ValidationError("Informe um valor.", field)
    if raw.startswith("-") or raw.endswith("-") or (raw.startswith("(") and raw.endswith(")")):
        raise ValidationError("O valor não pode ser negativo.", field)
    if raw.startswith("+"):
        raw = raw[1:]
    if not _MONEY_CHARS.fullmatch(raw):
        raise ValidationError(
            f"Valor inválido: “{str(text).strip()}”. Digite um valor como 1.000,00.", field
        )
    whole, frac = _split_decimal(raw, field, str(text).strip())
    if len(frac) > 2:
        raise ValidationError(
            "O valor tem mais de duas casas decimais; use centavos (ex.: 10,50).", field
        )
    if len(whole.lstrip("0")) > _MAX_INTEGER_DIGITS:
        raise ValidationError("O valor é grande demais.", field)
    try:
        value = Decimal(f"{whole or '0'}.{frac or '0'}")
        return value.quantize(CENT)
    except InvalidOperation:  # pragma: no cover - the checks above rule this out
        raise ValidationError("Valor inválido.", field) from None


def _split_decimal(raw: str, field: str | None, shown: str) -> tuple[str, str]:
    """Split digits with separators into (integer digits, decimal digits)."""
    invalid = ValidationError(f"Valor inválido: “{shown}”. Digite um valor como 1.000,00.", field)
    last_comma, last_dot = raw.rfind(","), raw.rfind(".")
    if last_comma >= 0 and last_dot >= 0:
        decimal_mark = "," if last_comma > last_dot else "."
    elif last_comma >= 0:
        decimal_mark = ","
    elif last_dot >= 0:
        decimal_mark = "." if not _is_grouped(raw, ".") else None
    else:
        decimal_mark = None
    if decimal_mark is None:
        whole_part, frac = raw, ""
    else:
        whole_part, _, frac = raw.rpartition(decimal_mark)
        if not frac or not frac.isdigit():
            raise invalid
    group_mark = "." if decimal_mark != "." else ","
    if decimal_mark is not None and decimal_mark in whole_part:
        raise invalid
    if group_mark in whole_part:
        if not _is_grouped(whole_part, group_mark):
            raise invalid
        whole_part = whole_part.replace(group_mark, "")
    if whole_part and not whole_part.isdigit():
        raise invalid
    if not whole_part and not frac:
        raise invalid
    return whole_part, frac


def _is_grouped(text: str, mark: str) -> bool:
    """True for `1.000` / `12.345.678`: a 1–3 digit head, then groups of exactly three."""
    parts = text.split(mark)
    if len(parts) < 2 or not all(p.isdigit() for p in parts):
        return False
    head = parts[0]
    return 1 <= len(head) <= 3 and head[0] != "0" and all(len(p) == 3 for p in parts[1:])


# --- dates -------------------------------------------------------------------------------


def format_date(value: date | None, *, blank: str = "—") -> str:
    """`03/07/2025`."""
    if value is None:
        return blank
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None, *, blank: str = "—") -> str:
    """`03/07/2025 10:00`."""
    if value is None:
        return blank
    return value.strftime("%d/%m/%Y %H:%M")


def format_day_month_time(value: datetime) -> str:
    """`01/04 10:00`, as the package history names a session (SPEC §4)."""
    return value.strftime("%d/%m %H:%M")


def format_weekday_date(value: date) -> str:
    """`qui. 03/07`, the short form of the manual's date fields."""
    return f"{WEEKDAYS_SHORT[value.weekday()]} {value.strftime('%d/%m')}"


def format_session_label(value: datetime) -> str:
    """`17/6 12:00`, as the manual lists open sessions (no leading zeros on day/month)."""
    return f"{value.day}/{value.month} {value.hour}:{value.minute:02d}"


def format_month_year(value: date) -> str:
    """`julho de 2025`."""
    return f"{MONTHS[value.month - 1]} de {value.year}"


def parse_date(text: str | None, *, field: str | None = None) -> date:
    """Read `03/07/2025` (also `3/7/25` and ISO `2025-07-03`)."""
    raw = (text or "").strip()
    if not raw:
        raise ValidationError("Informe a data.", field)
    for pattern in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValidationError(f"Data inválida: “{raw}”. Use dd/mm/aaaa.", field)
