"""A session's money-moving actions, each confirmed with what happens to the money:
delete (R13), attendance (a justified absence credits the package back, R7), void a
manual payment (R12), remove from its package (R7). Each returns True when done."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from ...core import agenda, packages, payments, users
from ...core.agenda import ATTENDANCE_LABELS, SessionRow
from ...core.ptbr import format_brl, format_date
from ...core.terms import (
    ENCERRADO,
    FALTA_JUSTIFICADA,
    FINALIZADO,
    INATIVO,
    PACOTE,
    method_label,
)
from ..common import messages
from ..common.operations import run_op


def tr(text: str) -> str:
    return QCoreApplication.translate("session_actions", text)


def _sessions(count: int) -> str:
    return tr("sessão restante") if count == 1 else tr("sessões restantes")


def credit_phrase(row: SessionRow) -> str:
    """ "R$ 250,00 voltarão ao pacote No. 250618170510 (3 → 4 sessões restantes)" and what
    happens to the package's status."""
    figures = packages.summary(row.package_id)
    if figures.status == ENCERRADO:  # R19: its sessions stay paid; the core refuses
        return tr("o pacote No. {0} está encerrado: a sessão não pode voltar para ele").format(
            figures.number
        )
    left = figures.sessions_left
    text = tr("{0} voltarão ao pacote No. {1} ({2} → {3} {4})").format(
        format_brl(row.payment_amount), figures.number, left, left + 1, _sessions(left + 1)
    )
    if figures.status == FINALIZADO:
        text += tr("; o pacote, hoje finalizado, será reaberto (ativo)")
    elif figures.status == INATIVO:
        text += tr("; o pacote continua inativo")
    return text


def manual_phrase(row: SessionRow) -> str:
    """ "Pix — R$ 250,00 em 03/07/2025"."""
    return (
        f"{method_label(row.payment_method or '')} — {format_brl(row.payment_amount)} "
        f"em {format_date(row.payment_date)}"
    )


def by_package(row: SessionRow) -> bool:
    return row.paid and row.payment_method == PACOTE and row.package_id is not None


def by_hand(row: SessionRow) -> bool:
    return row.paid and row.payment_method != PACOTE


def delete_text(row: SessionRow) -> str:
    if by_package(row):
        return tr("A sessão será excluída e {0}.").format(credit_phrase(row))
    if by_hand(row):
        return tr("A sessão será excluída e o pagamento manual ({0}) será estornado.").format(
            manual_phrase(row)
        )
    return tr("A sessão será excluída. Ela não está paga: nenhum valor é movido.")


def delete(parent: QWidget | None, row: SessionRow) -> bool:
    when = f"{row.starts_at:%d/%m/%Y %H:%M}"
    if not messages.confirm(
        parent,
        tr("Excluir sessão"),
        tr("Excluir a sessão de {0} ({1}, {2})?\n\n").format(
            when, row.patient_name, row.service_name
        )
        + delete_text(row),
        confirm_text=tr("Excluir"),
        destructive=True,
    ):
        return False
    return bool(run_op(parent, lambda: agenda.delete_session(row.id)))


def set_attendance(parent: QWidget | None, row: SessionRow, attendance: str) -> bool:
    """Realizada / falta / falta justificada / agendada. A justified absence of a session a
    package paid credits it back (confirmed); of a manually paid one, asks whether to void
    the payment."""
    if attendance == row.attendance:
        return False
    void_manual = False
    if attendance == FALTA_JUSTIFICADA and by_package(row):
        if not messages.confirm(
            parent,
            tr("Falta justificada"),
            tr("A sessão será marcada como falta justificada e {0}.").format(credit_phrase(row)),
            confirm_text=tr("Marcar falta justificada"),
        ):
            return False
    elif attendance == FALTA_JUSTIFICADA and by_hand(row) and users.can("payments.void_payment"):
        answer = messages.choose(
            parent,
            tr("Falta justificada"),
            tr(
                "A sessão foi paga manualmente ({0}). Com a falta justificada, estornar esse "
                "pagamento? Estornando, a sessão fica sem pagamento; mantendo, o valor continua "
                "recebido."
            ).format(manual_phrase(row)),
            [tr("Estornar pagamento"), tr("Manter pagamento")],
            default=1,  # the safe choice: keep what was received
            destructive=(0,),
        )
        if answer is None:
            return False
        void_manual = answer == 0
    return bool(
        run_op(
            parent,
            lambda: agenda.set_attendance(row.id, attendance, void_manual_payment=void_manual),
        )
    )


def void_payment(parent: QWidget | None, row: SessionRow) -> bool:
    if not messages.confirm(
        parent,
        tr("Estornar pagamento"),
        tr("O pagamento manual ({0}) será estornado e a sessão ficará em aberto.").format(
            manual_phrase(row)
        ),
        confirm_text=tr("Estornar"),
        destructive=True,
    ):
        return False
    return bool(run_op(parent, lambda: payments.void_payment(row.id)))


def refund(parent: QWidget | None, row: SessionRow) -> bool:
    if not messages.confirm(
        parent,
        tr("Remover do pacote"),
        tr("{0}, e a sessão ficará em aberto.").format(credit_phrase(row)),
        confirm_text=tr("Remover do pacote"),
        destructive=True,
    ):
        return False
    return bool(run_op(parent, lambda: packages.refund_session(row.id)))


def attendance_label(attendance: str) -> str:
    return ATTENDANCE_LABELS.get(attendance, attendance)
