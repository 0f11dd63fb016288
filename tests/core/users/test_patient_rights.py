"""LGPD: a patient's data in one workbook, and a patient anonymized with the ledger kept."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from r3izzy_desktop.core import agenda, audit, clinic, integrity, packages, payments
from r3izzy_desktop.core.reports import data_sheets
from r3izzy_desktop.core.store.models import PackageEvent, Patient, Payment


def clinic_with_one_patient():
    patient = clinic.add_patient(
        "Ana Souza",
        birth_date=date(2015, 6, 1),
        phone="11987654321",
        email="ana@exemplo.com",
        cpf="52998224725",
        guardian="Maria Souza",
        notes="alergia a látex",
    )
    service = clinic.add_service("Método Bobath", price=Decimal("250.00"))
    first = agenda.schedule(patient, service, datetime(2025, 4, 1, 10), notes="veio com a avó")
    second = agenda.schedule(patient, service, datetime(2025, 4, 8, 10))
    package = packages.create_package(patient, sessions=4, total="1000.00")
    packages.pay_sessions(package, [first])
    payments.pay_manually([second], method="pix")
    return patient, package


def sheet_values(path, title):
    book = load_workbook(path, read_only=True)
    return [list(row) for row in book[title].iter_rows(values_only=True)]


def test_everything_about_a_patient_in_one_workbook(db, tmp_path):
    patient, package = clinic_with_one_patient()
    clinic.add_patient("Outro Paciente")
    path = data_sheets.patient_data_xlsx(patient, tmp_path / "dados")
    assert path.name == "dados.xlsx"
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["Paciente", "Sessões", "Pacotes", "Histórico", "Pagamentos"]
    fields = {row[0]: row[1] for row in sheet_values(path, "Paciente")[3:]}
    assert fields["Nome"] == "Ana Souza" and fields["CPF"] == "52998224725"
    assert fields["Data de nascimento"] == "01/06/2015" and fields["Responsável"] == "Maria Souza"
    sessions = sheet_values(path, "Sessões")[1:]
    assert len(sessions) == 2 and sessions[0][7] == "veio com a avó"
    assert [r[1] for r in sheet_values(path, "Pacotes")[1:]] == [package.number]
    assert len(sheet_values(path, "Histórico")) == 1 + 2  # the header, criado and the debit
    payments_rows = sheet_values(path, "Pagamentos")[1:]
    assert sorted(r[1] for r in payments_rows) == ["Pacote", "Pix"]
    text = str([sheet_values(path, t) for t in book.sheetnames])
    assert "Outro Paciente" not in text
    # Recorded even in a database without users (LGPD), by number.
    assert [e.detail for e in audit.entries()] == [f"Paciente #{patient.id}: dados.xlsx"]


def test_anonymizing_erases_who_and_keeps_the_ledger(db):
    patient, package = clinic_with_one_patient()
    figures = packages.summary(package)
    history = packages.history(package)
    paid = [(p.amount, p.method) for p in Payment.select().order_by(Payment.id)]
    clinic.anonymize_patient(patient)
    row = Patient.get_by_id(patient.id)
    assert row.name == f"Paciente anonimizado #{patient.id}" == patient.name
    assert (row.birth_date, row.phone, row.email, row.cpf, row.guardian, row.notes) == (
        None,
        "",
        "",
        "",
        "",
        "",
    )
    assert not row.active and "souza" not in row.search_text
    assert all(s.notes == "" for s in row.sessions)
    after = packages.summary(package)
    assert (after.total, after.open_amount, after.sessions_left) == (
        figures.total,
        figures.open_amount,
        figures.sessions_left,
    )
    assert [h.note for h in packages.history(package)] == [h.note for h in history]
    assert [(p.amount, p.method) for p in Payment.select().order_by(Payment.id)] == paid
    assert PackageEvent.select().count() == len(history)
    assert integrity.check() == []
    assert [e.detail for e in audit.entries()] == [f"Paciente #{patient.id} anonimizado"]
    assert clinic.list_patients("Souza") == []
