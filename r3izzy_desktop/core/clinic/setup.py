"""The first steps of a new clinic (issue 15): its data, its services, its professionals
and its first patient, in that order. The first-start checklist shows them until every
one is done. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass

from ..store.models import Patient, Professional, Service, Setting

CLINIC_DATA, SERVICES, PROFESSIONALS, FIRST_PATIENT = (
    "clinic_data",
    "services",
    "professionals",
    "first_patient",
)
STEP_TITLES = {
    CLINIC_DATA: "Preencha os dados da clínica (nome, CNPJ ou CPF, endereço)",
    SERVICES: "Cadastre os serviços, com o valor e a duração de cada um",
    PROFESSIONALS: "Cadastre os profissionais que atendem",
    FIRST_PATIENT: "Cadastre o primeiro paciente",
}


@dataclass(frozen=True)
class SetupStep:
    key: str
    title: str
    done: bool


def setup_steps() -> list[SetupStep]:
    """The four first steps, in order, each done or not (four cheap reads)."""
    named = (
        Setting.select(Setting.key)
        .where((Setting.key == "clinic_name") & (Setting.value != ""))
        .exists()
    )
    done = {
        CLINIC_DATA: named,
        SERVICES: Service.select(Service.id).limit(1).exists(),
        PROFESSIONALS: Professional.select(Professional.id).limit(1).exists(),
        FIRST_PATIENT: Patient.select(Patient.id).limit(1).exists(),
    }
    return [SetupStep(key, STEP_TITLES[key], done[key]) for key in STEP_TITLES]


def setup_done() -> bool:
    return all(step.done for step in setup_steps())
