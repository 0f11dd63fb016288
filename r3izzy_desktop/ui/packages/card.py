"""One package as the manual's list shows it: number, payment date, status badge, Valor
total, Em aberto, "Sessões (saldo) 3 de 5", and the package's actions."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from ...core import users
from ...core.packages import PackageSummary
from ...core.ptbr import format_brl, format_date
from ..common.widgets import Card, StatusBadge, label


class PackageCard(Card):
    """Shows a `PackageSummary`; each button emits its signal with the package id."""

    edit_requested = Signal(int)
    history_requested = Signal(int)
    pay_requested = Signal(int)
    paid_sessions_requested = Signal(int)
    receipt_requested = Signal(int)

    def __init__(self, summary: PackageSummary, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("packageCard", True)
        self.summary = summary
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
        top.addStretch(1)
        self.badge = StatusBadge(summary.status)
        top.addWidget(self.badge)
        self.body.addLayout(top)

        figures = QGridLayout()
        figures.setHorizontalSpacing(32)
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
            figures.setColumnMinimumWidth(column, 150)
        figures.setColumnStretch(4, 1)
        self.body.addLayout(figures)

        if summary.notes:
            notes = label(summary.notes, "muted", wrap=True)
            notes.setToolTip(self.tr("Observações"))
            self.body.addWidget(notes)

        actions = QHBoxLayout()
        actions.setSpacing(8)
        self.edit_button = self._action(actions, self.tr("Editar"), self.edit_requested)
        self.edit_button.setVisible(users.can("packages.edit_package"))  # R8: administrators
        self.history_button = self._action(actions, self.tr("Histórico"), self.history_requested)
        self.pay_button = self._action(
            actions, self.tr("Pagar sessões existentes"), self.pay_requested
        )
        self.paid_button = self._action(
            actions, self.tr("Sessões pagas"), self.paid_sessions_requested
        )
        actions.addStretch(1)
        self.receipt_button = self._action(actions, self.tr("Recibo"), self.receipt_requested)
        self.receipt_button.setProperty("flat", True)
        self.body.addLayout(actions)

        can_pay = summary.status == "ativo" and summary.sessions_left > 0
        self.pay_button.setEnabled(can_pay)
        if not can_pay:
            self.pay_button.setToolTip(
                self.tr("Só um pacote ativo com sessões restantes paga sessões.")
                if summary.status != "inativo"
                else self.tr("Pacote inativo: altere o status para ativo em Editar.")
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
