"""Two workbooks of R23 and the LGPD: everything the clinic holds about one patient
(`patient_data_xlsx`: the patient, their sessions, packages, history and payments), and the
audit log (`audit_xlsx`, administrators). Written like the package exports (export.py):
typed cells, text never a formula, the file only when complete. Both are in the audit log.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from peewee import JOIN

from .. import access, audit, clock, reports
from ..agenda import ATTENDANCE_LABELS
from ..clinic import get_patient
from ..store.models import Location, Package, Patient, Payment, Professional, Service, Session
from ..terms import method_label
from .export import (
    DATE,
    DATETIME,
    HISTORY_COLUMNS,
    INTEGER,
    MONEY,
    PACKAGE_COLUMNS,
    TEXT,
    Column,
    SheetWriter,
    generated_line,
    new_workbook,
    save_workbook,
    target_path,
)

# The patient's fields as the sheet "Paciente" names them (any other field: its own name).
FIELD_LABELS = {
    "id": "Código",
    "name": "Nome",
    "birth_date": "Data de nascimento",
    "phone": "Telefone",
    "email": "E-mail",
    "cpf": "CPF",
    "guardian": "Responsável",
    "payer_name": "Responsável financeiro",
    "payer_cpf": "CPF do responsável financeiro",
    "notes": "Observações",
    "active": "Ativo",
    "created_at": "Cadastrado em",
}
_NOT_DATA = {"search_text"}  # derived for searching

FIELD_COLUMNS = (
    Column("Campo", TEXT, 30, lambda r: r[0]),
    Column("Valor", TEXT, 60, lambda r: r[1]),
)

SESSION_COLUMNS = (
    Column("Data", DATETIME, 17, lambda s: s.starts_at),
    Column("Duração (min)", INTEGER, 13, lambda s: s.duration_min),
    Column("Serviço", TEXT, 24, lambda s: s.service.name),
    Column("Local", TEXT, 16, lambda s: s.location.name if s.location_id else ""),
    Column("Profissional", TEXT, 24, lambda s: s.professional.name if s.professional_id else ""),
    Column("Valor", MONEY, 14, lambda s: s.price),
    Column("Presença", TEXT, 16, lambda s: ATTENDANCE_LABELS.get(s.attendance, s.attendance)),
    Column("Observações", TEXT, 36, lambda s: s.notes),
    Column("Excluída em", DATETIME, 17, lambda s: s.deleted_at),
)

PAYMENT_COLUMNS = (
    Column("Sessão", DATETIME, 17, lambda p: p.session.starts_at),
    Column("Forma", TEXT, 18, lambda p: method_label(p.method)),
    Column("Valor", MONEY, 14, lambda p: p.amount),
    Column("Data Pgto.", DATE, 12, lambda p: p.paid_on),
    Column("Informações", TEXT, 30, lambda p: p.info),
    Column("Registrado por", TEXT, 20, lambda p: p.operator),
    Column("Registrado em", DATETIME, 17, lambda p: p.created_at),
    Column("Estornado em", DATETIME, 17, lambda p: p.voided_at),
    Column("Motivo do estorno", TEXT, 20, lambda p: p.void_reason if p.voided_at else ""),
)

AUDIT_COLUMNS = (
    Column("Data", DATETIME, 17, lambda a: a.at),
    Column("Usuário", TEXT, 24, lambda a: a.user_name),
    Column("Computador", TEXT, 18, lambda a: a.workstation),
    Column("Ação", TEXT, 22, lambda a: a.action_label),
    Column("Detalhe", TEXT, 70, lambda a: a.detail),
)


def _shown(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sim" if value else "não"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y %H:%M" if hasattr(value, "hour") else "%d/%m/%Y")
    return value


def patient_fields(patient: Patient) -> list[tuple[str, Any]]:
    """(label, value) for every field the clinic keeps about the patient."""
    return [
        (FIELD_LABELS.get(field.name, field.name), _shown(getattr(patient, field.name)))
        for field in Patient._meta.sorted_fields
        if field.name not in _NOT_DATA
    ]


@access.allowed("export.patient_data_xlsx")
def patient_data_xlsx(patient: Patient | int, path: str | Path) -> Path:
    """Everything the clinic holds about one patient, in one workbook (LGPD, the right of
    access): sheets Paciente (every field), Sessões (deleted ones too), Pacotes, Histórico
    and Pagamentos (voided ones too). Written to the audit log. Returns the file."""
    row = get_patient(patient)
    target = target_path(path)
    filters = reports.make_filters(patient=row.id)
    workbook = new_workbook()
    heading = [[f"Dados do paciente: {row.name}"], generated_line()]
    sheet = SheetWriter(workbook, "Paciente", FIELD_COLUMNS, heading)
    for item in patient_fields(row):
        sheet.append(item)
    sheet.finish()
    sessions = (
        Session.select(Session, Service, Location, Professional)
        .join(Service)
        .switch(Session)
        .join(Location, JOIN.LEFT_OUTER)
        .switch(Session)
        .join(Professional, JOIN.LEFT_OUTER)
        .where(Session.patient == row.id)
        .order_by(Session.starts_at, Session.id)
    )
    _table(workbook, "Sessões", SESSION_COLUMNS, sessions)
    with reports.read_snapshot():
        _table(workbook, "Pacotes", PACKAGE_COLUMNS, reports.iter_report_rows(filters))
        _table(workbook, "Histórico", HISTORY_COLUMNS, reports.iter_history_rows(filters=filters))
    own_packages = Package.select(Package.id).where(Package.patient == row.id)
    payments = (
        Payment.select(Payment, Session)
        .join(Session)
        .where((Session.patient == row.id) | Payment.package.in_(own_packages))
        .order_by(Session.starts_at, Payment.id)
    )
    _table(workbook, "Pagamentos", PAYMENT_COLUMNS, payments)
    saved = save_workbook(workbook, target)
    audit.record(audit.PATIENT_DATA, f"Paciente #{row.id}: {saved.name}", always=True)
    return saved


def _table(workbook, title: str, columns, rows, heading=()) -> None:
    sheet = SheetWriter(workbook, title, columns, heading)
    for item in rows:
        sheet.append(item)
    sheet.finish()


def patient_data_name(patient: Patient | int, today: date | None = None) -> str:
    """`dados-paciente-12-2025-07-03.xlsx` (by number: a file name is seen by many)."""
    patient_id = patient.id if isinstance(patient, Patient) else patient
    return f"dados-paciente-{patient_id}-{(today or clock.today()).isoformat()}.xlsx"


@access.allowed("export.audit_xlsx")
def audit_xlsx(
    path: str | Path,
    *,
    user: int | None = None,
    action: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Path:
    """The audit log, filtered as `audit.entries`, to a workbook (administrators)."""
    target = target_path(path)
    workbook = new_workbook()
    heading = [["Auditoria"], generated_line()]
    _table(
        workbook,
        "Auditoria",
        AUDIT_COLUMNS,
        audit.entries(user=user, action=action, start=start, end=end, limit=None),
        heading,
    )
    saved = save_workbook(workbook, target)
    audit.record(audit.EXPORT, f"Auditoria: {saved.name}")
    return saved


def audit_export_name(today: date | None = None) -> str:
    """`auditoria-2025-07-03.xlsx`."""
    return f"auditoria-{(today or clock.today()).isoformat()}.xlsx"
