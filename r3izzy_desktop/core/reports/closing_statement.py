"""The closing statement ("Termo de encerramento") of a package closed early (R19): what
was bought, used, received, given back and retained, for the clinic and the payer to sign.
Read from the package and its `encerrado` history line, so it can be printed again later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from ..clinic import ClinicInfo, clinic_info
from ..errors import ValidationError
from ..money_words import amount_in_words
from ..packages import PaidSession, paid_sessions, summary
from ..packages.closing import NO_REASON, _received
from ..store.models import Package, PackageEvent, Patient, package_id_of
from ..terms import ENCERRADO
from ..text import format_cpf
from .receipt import document_label

# The method and the reason, as closing_note wrote them into the line (SPEC §4).
_NOTE = re.compile(
    r"devolvido R\$ [\d.]+,\d\d(?: \((?P<method>[^)]*)\))?, retido R\$ [\d.]+,\d\d\. "
    r"Motivo: (?P<reason>.*)$",
    re.DOTALL,
)


@dataclass(frozen=True)
class ClosingStatement:
    clinic: ClinicInfo
    clinic_document_label: str
    patient_name: str
    patient_cpf: str  # formatted, "" when unknown
    guardian: str  # responsável, "" when none
    number: str
    paid_on: date
    total: Decimal  # what was bought
    sessions_total: int
    price_per_session: Decimal
    sessions_used: int
    debited: Decimal  # the sessions used, as the package debited them
    received: Decimal
    refunded: Decimal
    refunded_in_words: str
    method: str  # the label ("Pix"), "" when nothing was given back
    retained: Decimal
    cancelled: Decimal  # credit never received (installments cancelled)
    reason: str  # "" when none was given
    closed_at: datetime
    sessions: tuple[PaidSession, ...]  # the sessions used, chronologically

    @property
    def payer(self) -> str:
        return self.guardian or self.patient_name


def closing_statement(package) -> ClosingStatement:
    """The statement of an `encerrado` package (ValidationError for any other; NotFound
    for an unknown one)."""
    figures = summary(package)
    line = (
        PackageEvent.select()
        .where((PackageEvent.package == package_id_of(package)) & (PackageEvent.kind == ENCERRADO))
        .order_by(PackageEvent.id.desc())
        .first()
    )
    if figures.status != ENCERRADO or line is None:
        raise ValidationError(
            f"O pacote No. {figures.number} não está encerrado: não há termo de encerramento."
        )
    parsed = _NOTE.search(line.note)
    method = (parsed.group("method") or "") if parsed else ""
    reason = parsed.group("reason").strip() if parsed else ""
    patient = Patient.get_by_id(figures.patient_id)
    info = clinic_info()
    used = tuple(paid_sessions(figures.id))
    debited = sum((s.amount for s in used), Decimal("0.00"))
    return ClosingStatement(
        clinic=info,
        clinic_document_label=document_label(info.document),
        patient_name=patient.name,
        patient_cpf=format_cpf(patient.cpf) if patient.cpf else "",
        guardian=patient.guardian,
        number=figures.number,
        paid_on=figures.paid_on,
        total=figures.total,
        sessions_total=figures.sessions_total,
        price_per_session=figures.price_per_session,
        sessions_used=figures.sessions_used,
        debited=debited,
        # The one place closing reads what was received (R18 replaces it at the merge).
        received=_received(Package.get_by_id(figures.id)),
        refunded=line.refunded,
        refunded_in_words=amount_in_words(line.refunded),
        method=method,
        retained=line.retained,
        cancelled=line.cancelled,
        reason="" if reason == NO_REASON else reason,
        closed_at=line.at,
        sessions=used,
    )
