"""Plurals, CPF and CNPJ check digits (issue 15: "1 sessão restante", `11.111.111/1111-11`)."""

from __future__ import annotations

import pytest

from r3izzy_desktop.core import text


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (0, "0 sessões restantes"),
        (1, "1 sessão restante"),
        (2, "2 sessões restantes"),
        (1234, "1.234 sessões restantes"),
    ],
)
def test_plural(count, shown):
    assert text.plural(count, "sessão restante", "sessões restantes") == shown


def test_plural_word_alone():
    assert text.plural_word(1, "parcela", "parcelas") == "parcela"
    assert text.plural_word(3, "parcela", "parcelas") == "parcelas"


@pytest.mark.parametrize("cnpj", ["11.222.333/0001-81", "11222333000181", "11.444.777/0001-61"])
def test_a_real_cnpj(cnpj):
    assert text.cnpj_is_valid(cnpj)


@pytest.mark.parametrize(
    "cnpj",
    [
        "11.111.111/1111-11",
        "00.000.000/0000-00",
        "11.222.333/0001-82",
        "11.222.333/0001-18",
        "1122233300018",
        "112223330001811",
        "",
    ],
)
def test_a_wrong_cnpj(cnpj):
    assert not text.cnpj_is_valid(cnpj)


def test_cpf_check_digits():
    assert text.cpf_is_valid("529.982.247-25")
    assert not text.cpf_is_valid("111.111.111-11")
    assert not text.cpf_is_valid("529.982.247-24")


def test_format_cnpj():
    assert text.format_cnpj("11222333000181") == "11.222.333/0001-81"
