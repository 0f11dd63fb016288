"""The clinic's CNPJ or CPF (Configurações › Clínica): check digits verified, a wrong one
refused with a message and nothing stored (issue 15: `11.111.111/1111-11` was accepted)."""

from __future__ import annotations

import pytest

from r3izzy_desktop.core import clinic
from r3izzy_desktop.core.errors import ValidationError
from tests.helpers.snapshot import db_snapshot


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("11.222.333/0001-81", "11.222.333/0001-81"),
        ("11222333000181", "11.222.333/0001-81"),
        ("529.982.247-25", "529.982.247-25"),
        ("52998224725", "529.982.247-25"),
        ("", ""),
    ],
)
def test_a_valid_document_is_stored_written_the_usual_way(db, typed, stored):
    info = clinic.set_clinic_info(name="Clínica Movimento", document=typed)
    assert info.document == stored
    assert clinic.clinic_info().document == stored


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("11.111.111/1111-11", "o CNPJ “11.111.111/1111-11” não é válido"),
        ("11.222.333/0001-82", "não é válido"),
        ("111.111.111-11", "o CPF “111.111.111-11” não é válido"),
        ("529.982.247-24", "não é válido"),
        ("12345", "digite um CNPJ"),
    ],
)
def test_a_wrong_document_is_refused_and_nothing_changes(db, typed, words):
    clinic.set_clinic_info(name="Clínica Movimento", document="11.222.333/0001-81")
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        clinic.set_clinic_info(name="Outro nome", document=typed)
    assert words in caught.value.message
    assert caught.value.field == "document"
    assert db_snapshot() == before
    assert clinic.clinic_info().name == "Clínica Movimento"
