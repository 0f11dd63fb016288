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


_DATE_EXAMPLE = "Digite como 15/03/2026 (ou 15032026)."
_SEPARATED = re.compile(r"(\d{1,2})[/.\- ]+(\d{1,2})(?:[/.\- ]+(\d{2}|\d{4}))?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _full_year(two_digits: int) -> int:
    """`26` -> 2026, `85` -> 1985 (the POSIX pivot: 00–68 this century, 69–99 the last)."""
    return 2000 + two_digits if two_digits <= 68 else 1900 + two_digits


def parse_date(
    text: str | None, *, field: str | None = None, default_year: int | None = None
) -> date:
    """Read a date as people type it: `15/03/2026`, `1/3/26`, `15-03-2026`, `15.03.2026`,
    digits only (`15032026`, `150326`), ISO `2026-03-15`; `15/3` (no year) takes
    `default_year` when given.

    Raises ValidationError for empty text and for anything that is not a real day, saying
    why (`31/02/2026`: "fevereiro de 2026 não tem dia 31") — never another date.
    """
    raw = (text or "").strip()
    if not raw:
        raise ValidationError("Informe a data.", field)
    parts = _date_parts(raw, default_year)
    if parts is None:
        raise ValidationError(f"Data inválida: “{raw}”. {_DATE_EXAMPLE}", field)
    day, month, year = parts
    if not 1 <= month <= 12:
        raise ValidationError(f"Data inválida: “{raw}”: não existe o mês {month}.", field)
    if not 1 <= year <= 9999:
        raise ValidationError(f"Data inválida: “{raw}”: ano {year}.", field)
    try:
        return date(year, month, day)
    except ValueError:
        if day < 1:
            raise ValidationError(
                f"Data inválida: “{raw}”: não existe o dia {day}.", field
            ) from None
        raise ValidationError(
            f"Data inválida: “{raw}”: {MONTHS[month - 1]} de {year} não tem dia {day}.", field
        ) from None


def _date_parts(raw: str, default_year: int | None) -> tuple[int, int, int] | None:
    """(day, month, year) read from the text, not yet checked; None when unreadable."""
    if raw.isascii() and raw.isdigit():
        if len(raw) == 8:  # ddmmyyyy
            return int(raw[:2]), int(raw[2:4]), int(raw[4:])
        if len(raw) == 6:  # ddmmyy
            return int(raw[:2]), int(raw[2:4]), _full_year(int(raw[4:]))
        if len(raw) == 4 and default_year is not None:  # ddmm
            return int(raw[:2]), int(raw[2:]), default_year
        return None
    if not raw.isascii():
        return None
    iso = _ISO.fullmatch(raw)
    if iso:
        return int(iso[3]), int(iso[2]), int(iso[1])
    found = _SEPARATED.fullmatch(raw)
    if not found:
        return None
    day, month, year_text = int(found[1]), int(found[2]), found[3]
    if year_text is None:
        if default_year is None:
            return None
        return day, month, default_year
    year = int(year_text) if len(year_text) == 4 else _full_year(int(year_text))
    return day, month, year


# --- whole numbers -------------------------------------------------------------------------


def parse_whole_number(
    text: str | None, label: str, *, low: int, high: int, field: str | None = None
) -> int:
    """A count typed by a person (`5`, ` 12 `): digits only, within [low, high].

    Refuses, saying why, what is not a whole number — `2,5` (never read as 25), `1.000,00`
    (never 1000), `1.000`, `-3`, `abc` — and a number out of range.
    """
    raw = (text or "").strip()
    if not raw:
        raise ValidationError(f"{label}: informe um número.", field)
    if not (raw.isascii() and raw.isdigit()):
        if re.fullmatch(r"[+-]?[0-9.,\s]+", raw) and any(c in raw for c in ",."):
            raise ValidationError(
                f"{label}: “{raw}” não é um número inteiro; digite só algarismos, sem vírgula "
                "nem ponto (ex.: 5).",
                field,
            )
        if raw.startswith("-") and raw[1:].strip().isdigit():
            raise ValidationError(f"{label}: o número não pode ser negativo.", field)
        raise ValidationError(
            f"{label}: “{raw}” não é um número inteiro; digite só algarismos (ex.: 5).", field
        )
    number = int(raw)
    if not low <= number <= high:
        raise ValidationError(f"{label}: de {low} a {high}.", field)
    return number
