"""How the screens pay sessions (manual 3.2, 3.3): offer the patient's packages, pay from
the chosen one through `pay_flow.pay_with_package`, or "Pular" to the one-click manual
payment. Used by the agenda (after saving a session, and "Registrar Pgto." in the
session's detail) and by Receitas.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from ...core import packages, payments
from ...core.agenda import SessionRow
from ...core.reports import receitas
from ..common import messages
from ..common.operations import run_op
from ..packages import pay_flow
from .choose_package import SKIP, ChoosePackageDialog, offered_packages
from .manual_payment import ManualPaymentDialog


def tr(text: str) -> str:
    return QCoreApplication.translate("payment_offer", text)


def pay_by_hand(parent: QWidget | None, session_ids: Sequence[int]) -> bool:
    """The one-click manual payment of the sessions (R12); True when paid."""
    rows = receitas.rows_by_id(session_ids)
    if not rows:
        return False
    answer = ManualPaymentDialog.ask(parent, rows)
    if answer is None:
        return False
    method, paid_on = answer
    ids = [row.id for row in rows]
    return bool(run_op(parent, lambda: payments.pay_manually(ids, method=method, paid_on=paid_on)))


def offer_after_create(parent: QWidget | None, patient_id: int, session_ids: Sequence[int]) -> bool:
    """Manual 3.2: on saving new sessions, offer the patient's offerable packages.

    No package to offer: nothing is asked (the sessions stay open). A package chosen:
    it pays the first sessions, chronologically, that it can (its validity, R15) up to
    what it has left (a repetition may be longer than the package). "Pular": the manual
    payment. True when paid.
    """
    if not session_ids:
        return False
    ordered = [row.id for row in receitas.rows_by_id(session_ids)]
    partial = len(ordered) > 1
    if not offered_packages(patient_id, ordered, partial=partial):
        return False
    choice = ChoosePackageDialog.ask(parent, patient_id, ordered, partial=partial)
    if choice is None:
        return False
    if choice == SKIP:
        return pay_by_hand(parent, ordered)
    read = run_op(parent, lambda: packages.summary(choice))
    if not read:
        return False
    figures = read.value
    if figures.valid_until is not None:  # the sessions after its last day stay open
        rows = receitas.rows_by_id(ordered)
        ordered = [r.id for r in rows if r.starts_at.date() <= figures.valid_until]
    chosen = ordered[: figures.sessions_left]
    if not chosen:
        return False
    # The version the dialog showed (a ChosenPackage), so figures changed since fail.
    shown = getattr(choice, "version", None) or figures.version
    return pay_flow.pay_with_package(parent, choice, chosen, expected_version=shown)


def register_payment(parent: QWidget | None, row: SessionRow) -> bool:
    """ "Registrar Pgto." of one open session: the package offer when a package can pay it
    (with "Pular"), else the manual payment straight away."""
    if not packages.offerable_packages(row.patient_id, session=row.id):
        return pay_by_hand(parent, [row.id])
    choice = ChoosePackageDialog.ask(parent, row.patient_id, [row.id])
    if choice is None:
        return False
    if choice == SKIP:
        return pay_by_hand(parent, [row.id])
    return pay_flow.pay_with_package(
        parent, choice, [row.id], expected_version=getattr(choice, "version", None)
    )


SELECT_PACKAGE, SKIP_CHOICE = 0, 1


def register_payments(parent: QWidget | None, rows: Sequence[SessionRow]) -> bool:
    """Receitas (manual 3.3): "Selecionar pacote" (all selected sessions debited at once,
    all or nothing; they must be one patient's) or "Pular" (manual payment of them all)."""
    if not rows:
        messages.show_error(parent, tr("Selecione ao menos uma sessão."))
        return False
    paid = [row for row in rows if row.paid]
    if paid:
        listed = ", ".join(f"{row.starts_at:%d/%m %H:%M}" for row in paid[:5])
        messages.show_error(
            parent,
            tr(
                "Entre as selecionadas há sessões já pagas ({0}). Selecione só sessões em aberto."
            ).format(listed),
        )
        return False
    count = len(rows)
    which = (
        tr("a sessão selecionada")
        if count == 1
        else tr("as {0} sessões selecionadas").format(count)
    )
    choice = messages.choose(
        parent,
        tr("Registrar Pgto."),
        tr(
            "Como pagar {0}?\n\nSelecionar pacote: debitar de um pacote do paciente.\n"
            "Pular: pagamento manual (Pix, dinheiro, cartão…)."
        ).format(which),
        [tr("Selecionar pacote"), tr("Pular")],
    )
    if choice is None:
        return False
    ids = [row.id for row in rows]
    if choice == SKIP_CHOICE:
        return pay_by_hand(parent, ids)
    patients = {row.patient_id for row in rows}
    if len(patients) > 1:
        messages.show_error(
            parent,
            tr(
                "As sessões selecionadas são de mais de um paciente. Um pacote só paga sessões "
                "do próprio paciente: selecione sessões de um paciente só."
            ),
        )
        return False
    patient_id = rows[0].patient_id
    if not packages.offerable_for_sessions(patient_id, ids):
        messages.show_error(
            parent,
            tr(
                "{0} não tem pacote ativo com sessões restantes que possa pagar estas "
                "sessões (validade e serviços do pacote). Crie um pacote na página do "
                "paciente, ou use Pular (pagamento manual)."
            ).format(rows[0].patient_name),
        )
        return False
    package = ChoosePackageDialog.ask(parent, patient_id, ids)
    if package is None:
        return False
    if package == SKIP:
        return pay_by_hand(parent, ids)
    return pay_flow.pay_with_package(
        parent, package, ids, expected_version=getattr(package, "version", None)
    )
