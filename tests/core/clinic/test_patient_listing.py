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


def pages(query: str, *, inactive: bool, size: int) -> list[list[clinic.PatientListing]]:
    """The listing read a page of `size` at a time, as the patients list scrolls."""
    read: list[list[clinic.PatientListing]] = []
    after = None
    while True:
        page = clinic.list_patients(query, include_inactive=inactive, after=after, limit=size)
        if not page:
            return read
        read.append(page)
        after = page[-1]


@pytest.fixture
def namesakes(people):
    """Names that fold to the same text ("Ana Souza", "ANA SOUZA", "Ána Souza") tie on
    the sort text: the id orders them, so no page repeats or skips one."""
    for name in ("Ana Souza", "ANA SOUZA", "Ána Souza", "Ana Souza"):
        clinic.add_patient(name)
    clinic.add_patient("Ana Souza", active=False)


@pytest.mark.parametrize("size", [1, 2, 3, 7, 100])
@pytest.mark.parametrize(("query", "inactive"), [("", False), ("", True), ("ana souza", True)])
def test_pages_read_one_after_another_are_the_whole_listing(namesakes, query, inactive, size):
    whole = clinic.list_patients(query, include_inactive=inactive)
    read = pages(query, inactive=inactive, size=size)
    assert [row for page in read for row in page] == whole
    assert all(len(page) == size for page in read[:-1]) and 0 < len(read[-1]) <= size


def test_the_first_page_is_the_listing_s_beginning(namesakes):
    whole = clinic.list_patients("")
    assert clinic.list_patients("", limit=3) == whole[:3]
    assert clinic.list_patients("", after=whole[-1]) == []


@pytest.mark.parametrize(
    ("query", "inactive"),
    [("", False), ("", True), ("ana", False), ("ana souza", True), ("zzz", True)],
)
def test_the_count_is_the_listing_s_length(namesakes, query, inactive):
    count = clinic.count_patients(query, include_inactive=inactive)
    assert count == len(clinic.list_patients(query, include_inactive=inactive))
