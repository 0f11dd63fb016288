"""An amount of money in words, the Brazilian way, for receipts ("por extenso").

    amount_in_words(Decimal("1000.00"))  -> "mil reais"
    amount_in_words(Decimal("1200.50"))  -> "mil e duzentos reais e cinquenta centavos"
    amount_in_words(Decimal("1000000"))  -> "um milhão de reais"

Rules followed: "cem" alone but "cento e …"; "mil" never "um mil"; groups of three
digits joined by "e" when the last group is below one hundred or a round hundred
("mil e duzentos", "mil e um") and by a space otherwise ("mil duzentos e cinquenta");
"de reais" after a whole number of millions ("um milhão de reais"); "real"/"centavo"
in the singular for one.
"""

from __future__ import annotations

from decimal import Decimal

from .ptbr import round_money

UNITS = (
    "zero",
    "um",
    "dois",
    "três",
    "quatro",
    "cinco",
    "seis",
    "sete",
    "oito",
    "nove",
    "dez",
    "onze",
    "doze",
    "treze",
    "quatorze",
    "quinze",
    "dezesseis",
    "dezessete",
    "dezoito",
    "dezenove",
)
TENS = (
    "",
    "",
    "vinte",
    "trinta",
    "quarenta",
    "cinquenta",
    "sessenta",
    "setenta",
    "oitenta",
    "noventa",
)
HUNDREDS = (
    "",
    "cento",
    "duzentos",
    "trezentos",
    "quatrocentos",
    "quinhentos",
    "seiscentos",
    "setecentos",
    "oitocentos",
    "novecentos",
)
# Scale words of each group of three digits above the units: (singular, plural).
SCALES = (("mil", "mil"), ("milhão", "milhões"), ("bilhão", "bilhões"))
MAX_WHOLE = 10**12 - 1


def _below_thousand(number: int) -> str:
    """1–999 in words."""
    if number == 100:
        return "cem"
    hundreds, rest = divmod(number, 100)
    parts = []
    if hundreds:
        parts.append(HUNDREDS[hundreds])
    if rest:
        if rest < 20:
            parts.append(UNITS[rest])
        else:
            tens, unit = divmod(rest, 10)
            parts.append(TENS[tens] if not unit else f"{TENS[tens]} e {UNITS[unit]}")
    return " e ".join(parts)


def number_in_words(number: int) -> str:
    """A whole number from 0 to 999.999.999.999 in words ("mil e duzentos")."""
    if isinstance(number, bool) or not isinstance(number, int):
        raise TypeError("number_in_words needs an int")
    if not 0 <= number <= MAX_WHOLE:
        raise ValueError(f"out of range: {number}")
    if number == 0:
        return UNITS[0]
    groups = []  # (value, scale index) from the highest group down, zero groups skipped
    scale = 0
    while number:
        number, group = divmod(number, 1000)
        if group:
            groups.append((group, scale))
        scale += 1
    groups.reverse()
    words = []
    for position, (group, scale) in enumerate(groups):
        if scale == 0:
            text = _below_thousand(group)
        elif scale == 1:
            text = "mil" if group == 1 else f"{_below_thousand(group)} mil"
        else:
            singular, plural = SCALES[scale - 1]
            text = f"{_below_thousand(group)} {singular if group == 1 else plural}"
        if position == 0:
            words.append(text)
        elif position == len(groups) - 1 and (group < 100 or group % 100 == 0):
            words.append(f"e {text}")
        else:
            words.append(text)
    return " ".join(words)


def amount_in_words(amount: Decimal) -> str:
    """A money amount (Decimal reais, ≥ 0) in words: "mil e duzentos reais e cinquenta
    centavos", "um real", "cinquenta centavos", "zero reais". Rounded half-up to the
    centavo first (R1)."""
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError("amount_in_words needs a Decimal")
    value = round_money(Decimal(amount))
    if value < 0:
        raise ValueError("negative amount")
    cents_total = int(value * 100)
    whole, cents = divmod(cents_total, 100)
    if whole > MAX_WHOLE:
        raise ValueError(f"out of range: {amount}")
    parts = []
    if whole:
        currency = "real" if whole == 1 else "reais"
        # "um milhão de reais", "dois bilhões de reais": a whole number of millions.
        if whole >= 1_000_000 and whole % 1_000_000 == 0:
            currency = f"de {currency}"
        parts.append(f"{number_in_words(whole)} {currency}")
    if cents:
        parts.append(f"{number_in_words(cents)} {'centavo' if cents == 1 else 'centavos'}")
    if not parts:
        return "zero reais"
    return " e ".join(parts)
