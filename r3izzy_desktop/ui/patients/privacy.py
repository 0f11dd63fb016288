"""A patient's data rights (LGPD) on the patient page: "Exportar dados do paciente"
(everything the clinic holds about them, one workbook) and "Anonimizar paciente" (their
identifying data erased; the ledger kept), for administrators, confirmed twice."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from ...core import clinic, users
from ..common import exports, messages
from ..common.operations import run_op


def tr(text: str) -> str:
    return QCoreApplication.translate("privacy", text)


def can_export() -> bool:
    return users.can("export.patient_data_xlsx")


def can_anonymize() -> bool:
    return users.can("clinic.anonymize_patient")


def export_data(parent: QWidget | None, patient_id: int) -> None:
    exports.export_patient_data(parent, patient_id)


def anonymize(parent: QWidget | None, patient_id: int, name: str) -> bool:
    """Ask twice, then anonymize; True when it was done."""
    if not messages.confirm(
        parent,
        tr("Anonimizar paciente"),
        tr(
            "Apagar os dados que identificam {0} (nome, nascimento, telefone, e-mail, CPF, "
            "responsável, observações e as observações das sessões)?\n\nOs pacotes, os "
            "pagamentos e o histórico continuam, sem o nome. Isto não pode ser desfeito: "
            "exporte antes os dados do paciente, se ele os pediu."
        ).format(name),
        confirm_text=tr("Continuar"),
        destructive=True,
    ):
        return False
    if not messages.confirm(
        parent,
        tr("Confirmar a anonimização"),
        tr("Tem certeza? Depois disto ninguém saberá mais que este paciente era {0}.").format(name),
        confirm_text=tr("Anonimizar"),
        destructive=True,
    ):
        return False
    return bool(run_op(parent, lambda: clinic.anonymize_patient(patient_id)))
