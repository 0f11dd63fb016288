"""Dates and counts as a person types them (issue 15, items 1 and 3): every form read or
refused with a reason, never silently another date or another number."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from r3izzy_desktop.core import ptbr
from r3izzy_desktop.core.errors import ValidationError


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("15/03/2026", date(2026, 3, 15)),
        ("15032026", date(2026, 3, 15)),
        ("1/3/26", date(2026, 3, 1)),
        ("01/03/26", date(2026, 3, 1)),
        ("150326", date(2026, 3, 15)),
        ("15-03-2026", date(2026, 3, 15)),
        ("15.03.2026", date(2026, 3, 15)),
        ("15 03 2026", date(2026, 3, 15)),
        ("2026-03-15", date(2026, 3, 15)),
        ("29/02/2024", date(2024, 2, 29)),
        ("1/3/85", date(1985, 3, 1)),
    ],
)
def test_every_way_people_type_a_date(typed, day):
    assert ptbr.parse_date(typed) == day


def test_day_and_month_alone_take_the_year_given():
    assert ptbr.parse_date("15/3", default_year=2026) == date(2026, 3, 15)
    assert ptbr.parse_date("1503", default_year=2026) == date(2026, 3, 15)
    with pytest.raises(ValidationError):
        ptbr.parse_date("15/3")  # no year to take: refused, not guessed


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("31/02/2026", "fevereiro de 2026 não tem dia 31"),
        ("29/02/2025", "fevereiro de 2025 não tem dia 29"),
        ("31/04/2026", "abril de 2026 não tem dia 31"),
        ("15/13/2026", "não existe o mês 13"),
        ("00/03/2026", "não existe o dia 0"),
        ("31022026", "fevereiro de 2026 não tem dia 31"),
        ("abc", "Digite como 15/03/2026"),
        ("15/03/2026x", "Digite como 15/03/2026"),
        ("1503202", "Digite como 15/03/2026"),
        ("", "Informe a data"),
    ],
)
def test_an_impossible_date_is_refused_saying_why(typed, words):
    with pytest.raises(ValidationError) as caught:
        ptbr.parse_date(typed, field="paid_on")
    assert words in caught.value.message
    assert caught.value.field == "paid_on"


@given(st.dates(min_value=date(1969, 1, 1), max_value=date(2068, 12, 31)))
def test_what_the_app_shows_reads_back_the_same_day(day):
    shown = ptbr.format_date(day)
    assert ptbr.parse_date(shown) == day
    assert ptbr.parse_date(shown.replace("/", "")) == day
    assert ptbr.parse_date(f"{day.day}/{day.month}/{day.year % 100:02d}") == day


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)))
def test_a_typed_date_is_never_read_as_another_day(day):
    # The day after a month's last day is refused, never rolled into the next month.
    last = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    with pytest.raises(ValidationError):
        ptbr.parse_date(f"{last.day + 1:02d}/{last.month:02d}/{last.year}")


# --- whole numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "number"), [("5", 5), (" 12 ", 12), ("999", 999), ("1", 1)])
def test_a_whole_number(typed, number):
    assert ptbr.parse_whole_number(typed, "Número de sessões", low=1, high=999) == number


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("2,5", "não é um número inteiro"),
        ("1.000,00", "não é um número inteiro"),
        ("1.000", "não é um número inteiro"),
        ("2.5", "não é um número inteiro"),
        ("-3", "não pode ser negativo"),
        ("abc", "não é um número inteiro"),
        ("5 sessões", "não é um número inteiro"),
        ("", "informe um número"),
        ("0", "de 1 a 999"),
        ("1000", "de 1 a 999"),
    ],
)
def test_what_is_not_a_whole_number_is_refused_never_misread(typed, words):
    with pytest.raises(ValidationError) as caught:
        ptbr.parse_whole_number(typed, "Número de sessões", low=1, high=999, field="sessions")
    assert words in caught.value.message
    assert caught.value.message.startswith("Número de sessões")
    assert caught.value.field == "sessions"
