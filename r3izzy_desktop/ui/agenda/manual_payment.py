"""The one-click manual payment ("Pular", R12): the method, the date, and the amount, which
is the sessions' price and cannot be typed. "Confirmar pagamento" or "Deixar em aberto".
`ManualPaymentDialog.ask` returns (method key, date) or None."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import clock
from ...core.agenda import SessionRow
from ...core.ptbr import format_brl, format_weekday_date
from ...core.reports import receitas
from ...core.terms import MANUAL_METHODS, method_label
from ..common.date_edit import DateEdit
from ..common.fit import fit_to_screen
from ..common.widgets import Card, label

MAX_LISTED = 6
DEFAULT_METHOD = "pix"


class ManualPaymentDialog(QDialog):
    def __init__(self, parent: QWidget | None, sessions: Sequence[SessionRow]):
        super().__init__(parent)
        self.sessions = list(sessions)
        self.setWindowTitle(self.tr("Pagamento"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)
        layout.addWidget(label(self.tr("Registrar pagamento"), "sectionTitle"))

        summary = Card()
        patients = {row.patient_name for row in self.sessions}
        if len(self.sessions) == 1:
            head = self.tr("Sessão de {0}").format(self.sessions[0].patient_name)
        elif len(patients) == 1:
            head = self.tr("{0} sessões de {1}").format(len(self.sessions), next(iter(patients)))
        else:
            head = self.tr("{0} sessões").format(len(self.sessions))
        summary.body.addWidget(label(head, "fieldLabel"))
        for row in self.sessions[:MAX_LISTED]:
            who = "" if len(patients) == 1 else f"{row.patient_name} · "
            line = (
                f"{format_weekday_date(row.starts_at)} {row.starts_at:%H:%M}  ·  {who}"
                f"{row.service_name}  ·  {format_brl(row.price)}"
            )
            summary.body.addWidget(label(line))
        if len(self.sessions) > MAX_LISTED:
            summary.body.addWidget(
                label(self.tr("e mais {0}").format(len(self.sessions) - MAX_LISTED), "muted")
            )
        layout.addWidget(summary)

        layout.addWidget(label(self.tr("Forma de pagamento"), "fieldLabel"))
        self.method_group = QButtonGroup(self)
        self.method_buttons: dict[str, QPushButton] = {}
        chips = QGridLayout()
        chips.setSpacing(8)
        for index, method in enumerate(MANUAL_METHODS):
            button = QPushButton(method_label(method))
            button.setCheckable(True)
            button.setProperty("chip", True)
            button.setAutoDefault(False)  # Enter confirms the dialog, not this
            self.method_group.addButton(button)
            self.method_buttons[method] = button
            chips.addWidget(button, index // 3, index % 3)
        self.method_buttons[DEFAULT_METHOD].setChecked(True)
        layout.addLayout(chips)

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        self.date_edit = DateEdit(clock.today())
        self.amount = QLineEdit(format_brl(receitas.price_total([r.id for r in self.sessions])))
        self.amount.setReadOnly(True)
        self.amount.setObjectName("amountField")
        self.amount.setAccessibleName(self.tr("Valor"))
        grid.addWidget(label(self.tr("Data do pagamento"), "fieldLabel"), 0, 0)
        grid.addWidget(label(self.tr("Valor"), "fieldLabel"), 0, 1)
        grid.addWidget(self.date_edit, 1, 0)
        self.date_error = label("", "fieldError", wrap=True)
        self.date_error.setVisible(False)
        grid.addWidget(self.date_error, 2, 0, 1, 2)
        self.date_edit.errorChanged.connect(
            lambda message: (
                self.date_error.setText(message),
                self.date_error.setVisible(bool(message)),
            )
        )
        grid.addWidget(self.amount, 1, 1)
        layout.addLayout(grid)
        layout.addWidget(
            label(
                (
                    self.tr("O valor é o da sessão; para mudá-lo, edite a sessão.")
                    if len(self.sessions) == 1
                    else self.tr(
                        "O valor é a soma dos valores das sessões; para mudá-lo, edite as sessões."
                    )
                )
                + " "
                + self.tr("Nada é debitado de pacote."),
                "muted",
                wrap=True,
            )
        )
        buttons = QDialogButtonBox()
        self.leave_open_button = buttons.addButton(
            self.tr("Deixar em aberto"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.confirm_button = QPushButton(self.tr("Confirmar pagamento"))
        self.confirm_button.setProperty("primary", True)
        self.confirm_button.setDefault(True)
        buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self)  # its size, within the screen (1024×600 too)

    def accept(self) -> None:
        """Confirm only with the date shown: a typed date that is refused is said."""
        if not self.date_edit.commit():
            self.date_error.setText(self.date_edit.error() or "")
            self.date_error.setVisible(True)
            self.date_edit.setFocus()
            return
        super().accept()

    def method(self) -> str:
        return next(key for key, button in self.method_buttons.items() if button.isChecked())

    def paid_on(self) -> date:
        value = self.date_edit.date()
        return date(value.year(), value.month(), value.day())

    def answer(self) -> tuple[str, date]:
        return self.method(), self.paid_on()

    @classmethod
    def ask(cls, parent: QWidget | None, sessions: Sequence[SessionRow]) -> tuple[str, date] | None:
        """(method key, payment date) when confirmed; None for "Deixar em aberto" / Esc."""
        dialog = cls(parent, sessions)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.answer()
        return None
