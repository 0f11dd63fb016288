"""Amounts in words (por extenso) for the receipt."""

from decimal import Decimal

import pytest

from r3izzy_desktop.core.money_words import amount_in_words, number_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1000.00", "mil reais"),
        ("1200.50", "mil e duzentos reais e cinquenta centavos"),
        ("1.00", "um real"),
        ("2.00", "dois reais"),
        ("100.00", "cem reais"),
        ("101.00", "cento e um reais"),
        ("110.00", "cento e dez reais"),
        ("115.15", "cento e quinze reais e quinze centavos"),
        ("21.00", "vinte e um reais"),
        ("250.00", "duzentos e cinquenta reais"),
        ("333.33", "trezentos e trinta e três reais e trinta e três centavos"),
        ("1001.00", "mil e um reais"),
        ("1100.00", "mil e cem reais"),
        ("1250.00", "mil duzentos e cinquenta reais"),
        ("2345.00", "dois mil trezentos e quarenta e cinco reais"),
        ("200000.00", "duzentos mil reais"),
        ("1000000.00", "um milhão de reais"),
        ("2000000.00", "dois milhões de reais"),
        ("1500000.00", "um milhão e quinhentos mil reais"),
        ("1000001.00", "um milhão e um reais"),
        (
            "9999999.99",
            "nove milhões novecentos e noventa e nove mil novecentos e noventa e nove reais "
            "e noventa e nove centavos",
        ),
        ("0.01", "um centavo"),
        ("0.50", "cinquenta centavos"),
        ("1.01", "um real e um centavo"),
        ("0.00", "zero reais"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def test_integer_amount_is_reais():
    assert amount_in_words(Decimal(1000)) == "mil reais"


def test_rounds_half_up_to_the_centavo():
    assert amount_in_words(Decimal("0.005")) == "um centavo"


@pytest.mark.parametrize(
    ("number", "words"),
    [(0, "zero"), (16, "dezesseis"), (99, "noventa e nove"), (1_000_000_000, "um bilhão")],
)
def test_number_in_words(number, words):
    assert number_in_words(number) == words


def test_refuses_negative_and_float():
    with pytest.raises(ValueError):
        amount_in_words(Decimal("-1"))
    with pytest.raises(TypeError):
        amount_in_words(10.5)  # type: ignore[arg-type]
