"""`clinic.list_patients` (the patients list's fast read) finds the same patients as
`find_patients`, in the same order, with the same fields."""

from __future__ import annotations

from datetime import date

import pytest

from r3izzy_desktop.core import clinic


@pytest.fixture
def people(db):
    clinic.add_patient("Álvaro Dias", phone="(16) 99111-2222", birth_date=date(2015, 3, 9))
    clinic.add_patient("ana souza", cpf="529.982.247-25", guardian="Marta Souza")
    clinic.add_patient("Ana Beatriz", phone="(11) 3333-4444")
    clinic.add_patient("João Pedro", active=False)
    clinic.add_patient("Bruno Lima", notes="prefere manhã")


def projected(patients) -> list[tuple]:
    return [
        (p.id, p.name, p.phone, p.cpf, p.birth_date, p.guardian, p.active, p.search_text)
        for p in patients
    ]


@pytest.mark.parametrize(
    ("query", "inactive"),
    [("", False), ("", True), ("ana", False), ("joao", True), ("9111", False), ("529982", False)],
)
def test_the_listing_is_what_find_patients_finds(people, query, inactive):
    listing = clinic.list_patients(query, include_inactive=inactive)
    assert projected(listing) == projected(clinic.find_patients(query, include_inactive=inactive))
    assert listing, query


def test_names_sort_without_accents_or_case(people):
    names = [p.name for p in clinic.list_patients("")]
    assert names == ["Álvaro Dias", "Ana Beatriz", "ana souza", "Bruno Lima"]
    [alvaro] = clinic.list_patients("alvaro")
    assert alvaro.birth_date == date(2015, 3, 9) and alvaro.active is True
