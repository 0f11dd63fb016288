"""pt-BR money and date formatting and parsing (core/ptbr.py): what people see and type."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from r3izzy_desktop.core import ptbr
from r3izzy_desktop.core.errors import ValidationError

# --- formatting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0", "0,00"),
        ("0.01", "0,01"),
        ("1", "1,00"),
        ("999.99", "999,99"),
        ("1000", "1.000,00"),
        ("1000.5", "1.000,50"),
        ("12345.67", "12.345,67"),
        ("1000000", "1.000.000,00"),
        ("9999999.99", "9.999.999,99"),
        ("-1000", "-1.000,00"),
        ("-0.01", "-0,01"),
        ("-0.00", "0,00"),
        ("333.335", "333,34"),  # half-up when shown (R1)
    ],
)
def test_format_money(value, text):
    assert ptbr.format_money(Decimal(value)) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("1000", "R$ 1.000,00"),
        ("0.5", "R$ 0,50"),
        ("250", "R$ 250,00"),
        ("-1000", "-R$ 1.000,00"),
    ],
)
def test_format_brl_uses_a_plain_space(value, text):
    shown = ptbr.format_brl(Decimal(value))
    assert shown == text
    assert "\u00a0" not in shown


def test_no_value_shows_a_dash_never_nan():
    assert ptbr.format_money(None) == "—"
    assert ptbr.format_brl(None) == "—"
    assert ptbr.format_date(None) == "—"
    assert ptbr.format_money(None, blank="") == ""


def test_dates():
    assert ptbr.format_date(date(2025, 7, 3)) == "03/07/2025"
    assert ptbr.format_datetime(datetime(2025, 7, 3, 9, 5)) == "03/07/2025 09:05"
    assert ptbr.format_weekday_date(date(2025, 7, 3)) == "qui. 03/07"
    assert ptbr.format_day_month_time(datetime(2025, 4, 1, 10, 0)) == "01/04 10:00"
    assert ptbr.format_session_label(datetime(2025, 6, 17, 12, 0)) == "17/6 12:00"
    assert ptbr.format_month_year(date(2025, 3, 1)) == "março de 2025"


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2025, 6, 30), "seg. 30/06"),
        (date(2025, 7, 1), "ter. 01/07"),
        (date(2025, 7, 2), "qua. 02/07"),
        (date(2025, 7, 3), "qui. 03/07"),
        (date(2025, 7, 4), "sex. 04/07"),
        (date(2025, 7, 5), "sáb. 05/07"),
        (date(2025, 7, 6), "dom. 06/07"),
    ],
)
def test_weekday_names(day, label):
    assert ptbr.format_weekday_date(day) == label


# --- parsing what people type ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1.000,50", "1000.50"),
        ("1000,5", "1000.50"),
        ("1000.50", "1000.50"),
        ("R$ 10,00", "10.00"),
        ("R$10,00", "10.00"),
        ("r$ 10", "10.00"),
        (" 250 ", "250.00"),
        ("250", "250.00"),
        ("1.000", "1000.00"),
        ("1.000.000,00", "1000000.00"),
        ("9.999.999,99", "9999999.99"),
        ("0,01", "0.01"),
        (",5", "0.50"),
        ("0", "0.00"),
        ("1,000.50", "1000.50"),
        ("1 000,00", "1000.00"),
        ("R$\u00a01.000,00", "1000.00"),
        ("+5", "5.00"),
    ],
)
def test_parse_money_reads_what_people_type(typed, value):
    parsed = ptbr.parse_money(typed)
    assert parsed == Decimal(value)
    assert parsed.as_tuple().exponent == -2  # always two places


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "Informe um valor"),
        ("   ", "Informe um valor"),
        (None, "Informe um valor"),
        ("R$", "Informe um valor"),
        ("abc", "Valor inválido"),
        ("12a", "Valor inválido"),
        ("1e5", "Valor inválido"),
        ("1,2,3", "Valor inválido"),
        ("1.00.0", "Valor inválido"),
        ("10,", "Valor inválido"),
        ("1.000,00,00", "Valor inválido"),
        ("NaN", "Valor inválido"),
        ("Infinity", "Valor inválido"),
        ("-5", "negativo"),
        ("-1.000,00", "negativo"),
        ("R$ -10,00", "negativo"),
        ("(10,00)", "negativo"),
        ("10,005", "mais de duas casas decimais"),
        ("10.005,001", "mais de duas casas decimais"),
        ("0,001", "mais de duas casas decimais"),
        ("1000.505", "mais de duas casas decimais"),
        ("1" * 40, "grande demais"),
    ],
)
def test_parse_money_refuses_with_a_portuguese_message(typed, words):
    with pytest.raises(ValidationError) as caught:
        ptbr.parse_money(typed, field="total")
    assert words in caught.value.message
    assert caught.value.field == "total"


def test_more_than_two_decimals_is_refused_never_rounded():
    # 10,005 would round to 10,01 (half-up); the parser must refuse instead.
    with pytest.raises(ValidationError):
        ptbr.parse_money("10,005")
    assert ptbr.parse_money("10,50") == Decimal("10.50")


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("03/07/2025", date(2025, 7, 3)),
        ("3/7/2025", date(2025, 7, 3)),
        ("03/07/25", date(2025, 7, 3)),
        ("2025-07-03", date(2025, 7, 3)),
        (" 03/07/2025 ", date(2025, 7, 3)),
    ],
)
def test_parse_date(typed, day):
    assert ptbr.parse_date(typed) == day


@pytest.mark.parametrize("typed", ["", None, "31/02/2025", "amanhã", "2025/07/03x", "13/13/2025"])
def test_parse_date_refuses(typed):
    with pytest.raises(ValidationError) as caught:
        ptbr.parse_date(typed)
    assert "data" in caught.value.message.lower()


# --- centavos ----------------------------------------------------------------------------


def test_cents_round_trip_and_refuse_fractions():
    assert ptbr.to_cents(Decimal("1000.50")) == 100050
    assert ptbr.from_cents(100050) == Decimal("1000.50")
    assert ptbr.to_cents(7) == 700
    with pytest.raises(ValueError):
        ptbr.to_cents(Decimal("0.001"))
    with pytest.raises(TypeError):
        ptbr.to_cents(0.1)  # a float never reaches the database
    with pytest.raises(TypeError):
        ptbr.to_cents(True)


def test_round_money_is_half_up():
    assert ptbr.round_money(Decimal("0.005")) == Decimal("0.01")
    assert ptbr.round_money(Decimal("0.015")) == Decimal("0.02")
    assert ptbr.round_money(Decimal("1000") / 3) == Decimal("333.33")
    assert ptbr.round_money(Decimal("666.67") / 2) == Decimal("333.34")  # 333,335


# --- fuzzing -----------------------------------------------------------------------------

money_in_range = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("9999999.99"), places=2, allow_nan=False
)
typing_alphabet = st.sampled_from(list("0123456789.,-+ R$r()eE\u00a0\n\t²٥x"))


@given(st.text())
def test_any_text_gives_a_decimal_or_a_validation_error(text):
    try:
        value = ptbr.parse_money(text)
    except ValidationError as error:
        assert error.message
        return
    assert isinstance(value, Decimal)
    assert value >= 0
    assert value == value.quantize(ptbr.CENT)


@given(st.text(alphabet=typing_alphabet, max_size=30))
def test_typed_looking_text_gives_a_decimal_or_a_validation_error(text):
    try:
        value = ptbr.parse_money(text)
    except ValidationError as error:
        assert error.message
        return
    assert value >= 0
    assert value == value.quantize(ptbr.CENT)


@given(money_in_range)
def test_parse_of_format_is_the_same_amount(value):
    assert ptbr.parse_money(ptbr.format_money(value)) == value
    assert ptbr.parse_money(ptbr.format_brl(value)) == value


@given(money_in_range)
def test_parse_of_plain_decimal_text_is_the_same_amount(value):
    assert ptbr.parse_money(f"{value:.2f}") == value  # "1234.50", as a spreadsheet writes it
    assert ptbr.parse_money(f"{value:.2f}".replace(".", ",")) == value


@given(st.integers(min_value=0, max_value=10**12))
def test_cents_round_trip(cents):
    assert ptbr.to_cents(ptbr.from_cents(cents)) == cents
