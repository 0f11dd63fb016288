"""One package as the manual's list shows it: number, payment date, status badge, Valor
total, Em aberto, "Sessões (saldo) 3 de 5", and the package's actions; and its terms
(R15-R17, R22): `vencido` / "vence em N dias" / "acabando" badges, "de <dono>" on a
package shared with the patient whose list this is, and a line with the validity, the
services covered and who else uses it; and (R18) its installments, what is still owed (the
overdue part in red) and "Receber parcela"."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from ...core import users
from ...core.clinic import PackageDefaults
from ...core.packages import PackageSummary
from ...core.ptbr import format_brl, format_date
from ..common.fit import SideOrBelow
from ..common.widgets import Card, StatusBadge, label
from .installments_dialog import OVERDUE_COLOR, installments_text, overdue_text


def tr(text: str) -> str:
    return QCoreApplication.translate("package_card", text)


def due_text(days: int) -> str:
    """ "vence hoje", "vence amanhã", "vence em 5 dias"."""
    if days == 0:
        return tr("vence hoje")
    if days == 1:
        return tr("vence amanhã")
    return tr("vence em {0} dias").format(days)


def term_badges(summary: PackageSummary, defaults: PackageDefaults) -> list[tuple[str, str]]:
    """The alert badges a package shows (R15, R22), as (style status, text): `vencido`,
    "vence em N dias" within the clinic's warning days, "acabando" at or below its
    threshold. Never for a package that is not ativo or has no session left."""
    if summary.status != "ativo" or summary.sessions_left <= 0:
        return []
    badges = []
    if summary.expired:
        badges.append(("vencido", tr("vencido")))
    elif summary.expires_within(defaults.warning_days):
        badges.append(("vencendo", due_text(summary.days_to_expiry)))
    if summary.sessions_left <= defaults.ending_threshold:
        badges.append(("acabando", tr("acabando")))
    return badges


def terms_line(summary: PackageSummary, viewer_id: int | None = None) -> str:
    """ "Válido até 31/12/2026 · Só Método Bobath · Compartilhado com Pedro Souza": what
    limits the package and who else uses it ("" when nothing does)."""
    parts = []
    if summary.valid_until is not None:
        parts.append(tr("Válido até {0}").format(format_date(summary.valid_until)))
    if summary.services:
        parts.append(tr("Só {0}").format(", ".join(summary.services)))
    others = [
        name
        for pid, name in zip(summary.shared_with_ids, summary.shared_with, strict=True)
        if pid != viewer_id
    ]
    if others:
        parts.append(tr("Compartilhado com {0}").format(", ".join(others)))
    return "  ·  ".join(parts)


class PackageCard(Card):
    """Shows a `PackageSummary`; each button emits its signal with the package id."""

    edit_requested = Signal(int)
    history_requested = Signal(int)
    pay_requested = Signal(int)
    paid_sessions_requested = Signal(int)
    receipt_requested = Signal(int)
    installments_requested = Signal(int)  # R18: receive or void an installment
    close_requested = Signal(int)  # Encerrar pacote (R19)
    statement_requested = Signal(int)  # its closing statement, once encerrado

    def __init__(
        self,
        summary: PackageSummary,
        parent: QWidget | None = None,
        *,
        viewer_id: int | None = None,
        defaults: PackageDefaults | None = None,
        can_edit: bool | None = None,
        can_close: bool | None = None,
    ):
        """`viewer_id`: the patient whose list shows the card (a package of another owner
        is marked "de <dono>"); `defaults`: the clinic's warning days and threshold;
        `can_edit` / `can_close`: whether Editar / Encerrar pacote may show (None: asked
        here; a list asks once for all its cards)."""
        super().__init__(parent)
        self.setProperty("packageCard", True)
        self.summary = summary
        defaults = defaults or PackageDefaults()
        self.setAccessibleName(self.tr("Pacote No. {0}").format(summary.number))
        self.body.setContentsMargins(20, 16, 20, 14)
        self.body.setSpacing(10)

        top = QHBoxLayout()
        top.setSpacing(12)
        self.number = label(self.tr("No. {0}").format(summary.number), "packageNumber")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.number)
        self.paid_on = label(format_date(summary.paid_on), "muted")
        self.paid_on.setToolTip(self.tr("Data de criação/pagamento"))
        top.addWidget(self.paid_on)
        self.owner = label(tr("de {0}").format(summary.patient_name), "ownerTag")
        self.owner.setToolTip(tr("Pacote compartilhado: o dono é {0}").format(summary.patient_name))
        self.owner.setVisible(viewer_id is not None and viewer_id != summary.patient_id)
        top.addWidget(self.owner)
        top.addStretch(1)
        self.term_badges = []
        for status, text in term_badges(summary, defaults):
            badge = StatusBadge()
            badge.set_status(status, text)
            top.addWidget(badge)
            self.term_badges.append(badge)
        self.badge = StatusBadge(summary.status)
        top.addWidget(self.badge)
        self.body.addLayout(top)

        figures = QGridLayout()
        figures.setHorizontalSpacing(24)
        figures.setVerticalSpacing(2)
        self.total = self._figure(figures, 0, self.tr("Valor total"), format_brl(summary.total))
        self.open_amount = self._figure(
            figures, 1, self.tr("Em aberto"), format_brl(summary.open_amount)
        )

        self.sessions = self._figure(
            figures,
            2,
            self.tr("Sessões (saldo)"),
            self.tr("{0} de {1}").format(summary.sessions_left, summary.sessions_total),
        )
        self.average = self._figure(
            figures, 3, self.tr("Preço por sessão"), format_brl(summary.price_per_session)
        )
        self.average.setObjectName("figureMuted")
        for column in range(4):
            # The same widths on every card, so the figures line up down the list.
            figures.setColumnMinimumWidth(column, 130)
        figures.setColumnStretch(4, 1)
        self.body.addLayout(figures)

        # R18: "2 de 4 parcelas recebidas · R$ 1.000,00 a receber", what is overdue in red.
        money = QHBoxLayout()
        money.setSpacing(10)
        self.installments = label(installments_text(summary), "installmentsLine")
        money.addWidget(self.installments)
        self.overdue = label(overdue_text(summary), "overdueText")
        self.overdue.setStyleSheet(f"color: {OVERDUE_COLOR}; font-weight: 600;")
        money.addWidget(self.overdue)
        money.addStretch(1)
        self.installments.setVisible(bool(self.installments.text()))
        self.overdue.setVisible(bool(self.overdue.text()))
        self.body.addLayout(money)

        if summary.status == "encerrado":  # R19: what the closing gave back
            self.closing_line = label(
                self.tr("Encerrado: devolvido {0} · retido pela clínica {1}").format(
                    format_brl(summary.refunded), format_brl(summary.retained)
                ),
                "termsLine",
                wrap=True,
            )
            self.body.addWidget(self.closing_line)
        self.terms = label(terms_line(summary, viewer_id), "termsLine", wrap=True)
        self.terms.setVisible(bool(self.terms.text()))
        self.body.addWidget(self.terms)

        if summary.notes:
            notes = label(summary.notes, "muted", wrap=True)
            notes.setToolTip(self.tr("Observações"))
            self.body.addWidget(notes)

        # The package's actions, and beside them (below them on a narrow window) closing
        # and the receipt.
        main_actions, side_actions = QWidget(), QWidget()
        actions = QHBoxLayout(main_actions)
        actions.setContentsMargins(0, 0, 0, 0)
        actions.setSpacing(8)
        self.edit_button = self._action(actions, self.tr("Editar"), self.edit_requested)
        if can_edit is None:
            can_edit = users.can("packages.edit_package")
        self.edit_button.setVisible(can_edit)  # R8: administrators
        self.history_button = self._action(actions, self.tr("Histórico"), self.history_requested)
        self.pay_button = self._action(
            actions, self.tr("Pagar sessões existentes"), self.pay_requested
        )
        self.paid_button = self._action(
            actions, self.tr("Sessões pagas"), self.paid_sessions_requested
        )
        self.installments_button = self._action(
            actions,
            self.tr("Receber parcela") if summary.owed > 0 else self.tr("Parcelas"),
            self.installments_requested,
        )
        self.installments_button.setToolTip(self.tr("Receber ou estornar as parcelas deste pacote"))
        self.installments_button.setVisible(summary.has_plan or summary.owed > 0)
        actions.addStretch(1)
        actions = QHBoxLayout(side_actions)
        actions.setContentsMargins(0, 0, 0, 0)
        actions.setSpacing(8)
        closed = summary.status == "encerrado"
        # R19: financeiro and administrador close packages; once closed, its statement.
        self.close_button = self._action(
            actions,
            self.tr("Termo de encerramento") if closed else self.tr("Encerrar pacote"),
            self.statement_requested if closed else self.close_requested,
        )
        self.close_button.setProperty("flat", True)
        closable = summary.status in ("ativo", "inativo") and summary.sessions_left > 0
        if closable and can_close is None:
            can_close = users.can("packages.close_package")
        self.close_button.setVisible(closed or (closable and bool(can_close)))
        if not closed:
            self.close_button.setToolTip(
                self.tr("Devolver o que não foi usado e encerrar o pacote (mostra antes quanto).")
            )
        self.receipt_button = self._action(actions, self.tr("Recibo"), self.receipt_requested)
        self.receipt_button.setProperty("flat", True)
        self.body.addLayout(SideOrBelow(main_actions, side_actions))

        can_pay = summary.status == "ativo" and summary.sessions_left > 0
        self.pay_button.setEnabled(can_pay)
        if not can_pay:
            self.pay_button.setToolTip(
                self.tr("Pacote inativo: altere o status para ativo em Editar.")
                if summary.status == "inativo"
                else self.tr("Pacote encerrado: não paga mais sessões.")
                if closed
                else self.tr("Só um pacote ativo com sessões restantes paga sessões.")
            )
        self.paid_button.setEnabled(summary.sessions_used > 0)

    @staticmethod
    def _figure(grid: QGridLayout, column: int, title: str, value: str) -> QLabel:
        grid.addWidget(label(title, "figureTitle"), 0, column)
        shown = label(value, "figure")
        grid.addWidget(shown, 1, column)
        return shown

    def _action(self, row: QHBoxLayout, text: str, signal) -> QPushButton:
        button = QPushButton(text)
        button.setProperty("compact", True)
        button.clicked.connect(lambda: signal.emit(self.summary.id))
        row.addWidget(button)
        return button
