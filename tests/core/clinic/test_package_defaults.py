"""Configurações › Pacotes: the clinic's package defaults (R15 validity, R15/R22 warning
days, R22 "acabando" threshold and WhatsApp message template)."""

from __future__ import annotations

from datetime import date

import pytest

from r3izzy_desktop.core import clinic
from r3izzy_desktop.core.errors import ValidationError
from tests.helpers.snapshot import db_snapshot


def test_a_new_clinics_defaults(db):
    defaults = clinic.package_defaults()
    assert defaults == clinic.PackageDefaults(None, 15, 2, clinic.DEFAULT_MESSAGE_TEMPLATE)
    assert defaults.valid_until(date(2026, 3, 1)) is None
    assert "{aviso}" in defaults.message_template


def test_setting_and_reading_them(db):
    clinic.set_package_defaults(
        validity_months=6, warning_days=10, ending_threshold=1, message_template="Oi {nome}"
    )
    defaults = clinic.package_defaults()
    assert (defaults.validity_months, defaults.warning_days, defaults.ending_threshold) == (
        6,
        10,
        1,
    )
    assert defaults.message_template == "Oi {nome}"
    assert defaults.valid_until(date(2026, 8, 31)) == date(2027, 2, 28)
    clinic.set_package_defaults(warning_days=20)  # what is not given stays
    assert clinic.package_defaults().validity_months == 6
    clinic.set_package_defaults(validity_months=None)
    assert clinic.package_defaults().validity_months is None
    clinic.set_package_defaults(validity_months=0)
    assert clinic.package_defaults().validity_months is None
    clinic.set_package_defaults(message_template="  ")  # blank: back to the default
    assert clinic.package_defaults().message_template == clinic.DEFAULT_MESSAGE_TEMPLATE


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"validity_months": 121}, "validity_months", "de 0 a 120"),
        ({"validity_months": 2.5}, "validity_months", "número inteiro"),
        ({"warning_days": -1}, "warning_days", "de 0 a 365"),
        ({"warning_days": 366}, "warning_days", "de 0 a 365"),
        ({"ending_threshold": 100}, "ending_threshold", "de 0 a 99"),
        ({"message_template": "Olá {nome} {desconto}"}, "message_template", "{desconto}"),
        ({"message_template": "Olá {nome"}, "message_template", "sem par"),
        ({"message_template": "x" * 1001}, "message_template", "1000"),
    ],
)
def test_a_bad_value_changes_nothing(db, change, field, words):
    clinic.set_package_defaults(validity_months=3)
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        clinic.set_package_defaults(**{"ending_threshold": 5, **change})
    assert caught.value.field == field
    assert words in caught.value.message
    assert db_snapshot() == before


def test_filling_a_template_leaves_unknown_names(db):
    text = clinic.fill_message_template("{nome}: {aviso} {x}", {"nome": "Ana", "aviso": "ok"})
    assert text == "Ana: ok {x}"
