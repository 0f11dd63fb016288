"""The receipt ("Recibo") of a package payment: what it says, from the package's figures
and the clinic's data in Configurações."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .. import clock
from ..clinic import ClinicInfo, clinic_info
from ..money_words import amount_in_words
from ..packages import summary
from ..ptbr import format_brl
from ..store.models import Package, Patient
from ..text import digits, format_cpf, plural, plural_word


@dataclass(frozen=True)
class PackageReceipt:
    """What the receipt ("Recibo") of a package payment says."""

    clinic: ClinicInfo
    clinic_document_label: str  # "CNPJ", "CPF" or "CNPJ/CPF"
    patient_name: str
    patient_cpf: str  # formatted, "" when unknown
    guardian: str  # responsável, "" when none
    number: str
    paid_on: date
    total: Decimal
    total_in_words: str  # "mil reais"
    sessions_total: int
    sessions_left: int
    price_per_session: Decimal
    open_amount: Decimal
    status: str
    notes: str
    issued_on: date
    # R18: how it is paid ("Pix"; "" unknown), what was received so far and in words, what
    # is still owed, and the installments (without a plan: 1 of 1, the total, received).
    method_label: str = ""
    received: Decimal = Decimal("0.00")
    received_in_words: str = ""
    owed: Decimal = Decimal("0.00")
    installments_count: int = 1
    installments_received: int = 1
    has_plan: bool = False

    @property
    def installments_text(self) -> str:
        """ "2 de 4 parcelas recebidas · R$ 1.000,00 a receber", "" without a plan."""
        if not self.has_plan:
            return ""
        text = (
            f"{self.installments_received} de "
            f"{plural(self.installments_count, 'parcela', 'parcelas')} "
            f"{plural_word(self.installments_received, 'recebida', 'recebidas')}"
        )
        if self.owed > 0:
            text += f" · {format_brl(self.owed)} a receber"
        return text

    @property
    def balance_text(self) -> str:
        """ "3 sessões restantes de 5", "1 sessão restante de 5" (never "1 de 5 sessão
        restante")."""
        left = plural(self.sessions_left, "sessão restante", "sessões restantes")
        return f"{left} de {self.sessions_total}"

    @property
    def payer(self) -> str:
        """Who paid: the guardian when there is one, else the patient."""
        return self.guardian or self.patient_name


def document_label(document: str) -> str:
    """ "CNPJ" for 14 digits, "CPF" for 11, else "CNPJ/CPF"."""
    size = len(digits(document))
    return {14: "CNPJ", 11: "CPF"}.get(size, "CNPJ/CPF")


def package_receipt(package: Package | int | str) -> PackageReceipt:
    """The receipt of the package's payment, with the clinic's data from Configurações and
    the package's current balance. Raises NotFound for an unknown package."""
    figures = summary(package)
    patient = Patient.get_by_id(figures.patient_id)
    info = clinic_info()
    return PackageReceipt(
        clinic=info,
        clinic_document_label=document_label(info.document),
        patient_name=patient.name,
        patient_cpf=format_cpf(patient.cpf) if patient.cpf else "",
        guardian=patient.guardian,
        number=figures.number,
        paid_on=figures.paid_on,
        total=figures.total,
        total_in_words=amount_in_words(figures.total),
        sessions_total=figures.sessions_total,
        sessions_left=figures.sessions_left,
        price_per_session=figures.price_per_session,
        open_amount=figures.open_amount,
        status=figures.status,
        notes=figures.notes,
        issued_on=clock.today(),
        method_label=figures.method_label,
        received=figures.received,
        received_in_words=amount_in_words(figures.received) if figures.received > 0 else "",
        owed=figures.owed,
        installments_count=figures.installments_count,
        installments_received=figures.installments_received,
        has_plan=figures.has_plan,
    )
