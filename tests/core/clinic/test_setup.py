"""The first steps of a new clinic: each done when its data exists, in order."""

from decimal import Decimal

from r3izzy_desktop.core import clinic


def test_the_four_steps_get_done_one_by_one(db):
    def done():
        return {step.key: step.done for step in clinic.setup_steps()}

    steps = clinic.setup_steps()
    assert [s.key for s in steps] == [
        clinic.CLINIC_DATA,
        clinic.SERVICES,
        clinic.PROFESSIONALS,
        clinic.FIRST_PATIENT,
    ]
    assert not any(done().values()) and not clinic.setup_done()
    clinic.set_clinic_info(name="")
    assert done()[clinic.CLINIC_DATA] is False  # an empty name is not the clinic's data
    clinic.set_clinic_info(name="Clínica Crescer")
    clinic.add_service("Método Bobath", price=Decimal("250.00"))
    assert done() == {
        clinic.CLINIC_DATA: True,
        clinic.SERVICES: True,
        clinic.PROFESSIONALS: False,
        clinic.FIRST_PATIENT: False,
    }
    clinic.add_professional("Dra. Marina Lopes")
    clinic.add_patient("Ana Souza")
    assert clinic.setup_done()
