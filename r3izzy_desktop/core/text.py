"""Text a person types: folded for searching, reduced to digits, CPF and phone numbers.

A leaf below the core's domains (patients, the import, receipts all read CPFs).
"""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case without accents: "João" -> "joao", for searching."""
    text = text or ""
    if text.isascii():  # most names: nothing to decompose
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def cpf_is_valid(cpf: str) -> bool:
    """Check a CPF's two check digits (11 digits, not all the same)."""
    number = digits(cpf)
    if len(number) != 11 or number == number[0] * 11:
        return False
    for size in (9, 10):
        total = sum(int(d) * w for d, w in zip(number[:size], range(size + 1, 1, -1), strict=True))
        check = (total * 10) % 11 % 10
        if check != int(number[size]):
            return False
    return True


def format_cpf(cpf: str) -> str:
    number = digits(cpf)
    if len(number) != 11:
        return cpf or ""
    return f"{number[:3]}.{number[3:6]}.{number[6:9]}-{number[9:]}"


def format_phone(phone: str) -> str:
    number = digits(phone)
    if len(number) == 11:
        return f"({number[:2]}) {number[2:7]}-{number[7:]}"
    if len(number) == 10:
        return f"({number[:2]}) {number[2:6]}-{number[6:]}"
    return phone or ""


def brazil_phone(phone: str | None) -> str | None:
    """A Brazilian phone as DDD + number digits (10 for a landline, 11 for a mobile, which
    starts with 9), from the ways people type it ("(11) 98765-4321", "+55 11 98765 4321",
    "011987654321"); None when it is not one."""
    number = digits(phone)
    if number.startswith("55") and len(number) in (12, 13):
        number = number[2:]  # the country code
    elif number.startswith("0") and len(number) in (11, 12):
        number = number[1:]  # the long-distance prefix
    if len(number) not in (10, 11) or "0" in number[:2]:
        return None  # every DDD is two digits from 1 to 9
    if len(number) == 11 and number[2] != "9":
        return None
    return number


def cnpj_is_valid(cnpj: str) -> bool:
    """Check a CNPJ's two check digits (14 digits, not all the same)."""
    number = digits(cnpj)
    if len(number) != 14 or number == number[0] * 14:
        return False
    for size in (12, 13):
        weights = list(range(size - 7, 1, -1)) + list(range(9, 1, -1))
        total = sum(int(d) * w for d, w in zip(number[:size], weights, strict=True))
        check = 0 if total % 11 < 2 else 11 - total % 11
        if check != int(number[size]):
            return False
    return True


def format_cnpj(cnpj: str) -> str:
    number = digits(cnpj)
    if len(number) != 14:
        return cnpj or ""
    return f"{number[:2]}.{number[2:5]}.{number[5:8]}/{number[8:12]}-{number[12:]}"


def format_count(count: int) -> str:
    """A count the Brazilian way: `5`, `1.234`."""
    return f"{count:,}".replace(",", ".")


def plural_word(count: int, one: str, many: str) -> str:
    """The word that goes with `count` in Portuguese: singular for exactly 1 (and -1),
    plural for everything else, zero included ("0 sessões")."""
    return one if abs(count) == 1 else many


def plural(count: int, one: str, many: str) -> str:
    """The count and its word: "1 sessão restante", "2 sessões restantes", "0 pacotes"."""
    return f"{format_count(count)} {plural_word(count, one, many)}"
