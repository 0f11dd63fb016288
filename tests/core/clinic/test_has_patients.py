"""clinic.has_patients: the agenda's "Nova sessão" asks it before opening the form."""

from r3izzy_desktop.core import clinic


def test_has_patients_from_the_first_one(db):
    assert clinic.has_patients() is False
    clinic.add_patient("Ana Souza")
    assert clinic.has_patients() is True
