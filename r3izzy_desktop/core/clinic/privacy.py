"""A patient's right to be forgotten (LGPD): anonymizing a patient.

The identifying fields of the patient are erased and the free text of their sessions
cleared; the ledger stays whole — packages, payments, history lines and their figures —
so the clinic's accounts and R14 still add up. Administrators only; written to the audit
log by number ("paciente #12"), never by name. The patient's data exported (the other
right) is reports/data_sheets.patient_data_xlsx.
"""

from __future__ import annotations

from .. import access, audit
from ..errors import NotFound
from ..store.models import Patient, Receipt, Session, refresh_instance
from ..store.transactions import for_update, operation
from ..text import fold

# Kept: what the ledger and the lists need that identifies nobody.
_KEPT = {"id", "created_at"}
ANONYMOUS = "Paciente anonimizado #{id}"


def anonymous_name(patient_id: int) -> str:
    return ANONYMOUS.format(id=patient_id)


@operation
@access.allowed("clinic.anonymize_patient")
def anonymize_patient(patient: Patient | int) -> Patient:
    """Erase what identifies the patient: every field of theirs (name, birth date, phone,
    e-mail, CPF, guardian, notes and any added later) back to empty, the name replaced by
    "Paciente anonimizado #<id>", the patient made inactive; the notes of their sessions
    cleared. Packages, payments and history stay as they are. Returns the patient."""
    patient_id = patient.id if isinstance(patient, Patient) else patient
    row = for_update(Patient.select().where(Patient.id == patient_id)).first()
    if row is None:
        raise NotFound("Paciente não encontrado.")
    for field in Patient._meta.sorted_fields:
        if field.name in _KEPT:
            continue
        if field.null:
            setattr(row, field.name, None)
        elif isinstance(field.default, str):
            setattr(row, field.name, field.default)
    row.name = anonymous_name(row.id)
    row.search_text = fold(row.name)
    row.active = False
    row.save()
    Session.update(notes="").where(Session.patient == row.id).execute()
    # R21: the receipts keep their numbers and amounts, not who they named.
    Receipt.update(patient_name=row.name, patient_cpf="", payer_name=row.name, payer_cpf="").where(
        Receipt.patient == row.id
    ).execute()
    audit.record(audit.ANONYMIZED, f"Paciente #{row.id} anonimizado", always=True)
    refresh_instance(patient, row)
    return row
