"""A session's detail (manual 3.1, 3.2, 4): its data, its payment state and the
"Registrar Pgto." shortcut, whose info field names the package that paid it (number and
balance) or the manual payment; actions: edit, attendance, delete, void a manual
payment, remove from its package."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import payments, users
from ...core.agenda import SessionRow
from ...core.ptbr import format_brl, format_weekday_date
from ...core.reports import receitas
from ...core.terms import ATTENDANCES, FALTA, FALTA_JUSTIFICADA
from ..common import messages, toast
from ..common.fit import Scrolling, fit_to_screen
from ..common.operations import run_op
from ..common.widgets import Card, StatusBadge, label
from . import payment_offer, session_actions
from .session_form import SessionFormDialog


class SessionDetailDialog(QDialog):
    """Shows one session; every action writes through the core and reloads it;
    `was_changed` says whether anything did."""

    def __init__(self, parent: QWidget | None, session_id: int):
        super().__init__(parent)
        self.session_id = session_id
        self.row: SessionRow | None = None
        self.deleted = False
        self.was_changed = False
        self.setWindowTitle(self.tr("Sessão"))
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self.title = label("", "pageTitle")
        self.when = label("", "pageSubtitle")
        titles.addWidget(self.title)
        titles.addWidget(self.when)
        top.addLayout(titles, 1)
        self.attendance_badge = StatusBadge("falta")
        self.state_badge = StatusBadge()
        top.addWidget(self.attendance_badge, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.state_badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        # The cards scroll on a small screen; the name and the buttons always show.
        outer = layout
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        data = Card()
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(4)
        self.values: dict[str, object] = {}
        for index, (key, title) in enumerate(
            (
                ("service", self.tr("Serviço")),
                ("price", self.tr("Valor")),
                ("professional", self.tr("Profissional")),
                ("location", self.tr("Local")),
            )
        ):
            grid.addWidget(label(title, "fieldLabel"), (index // 2) * 2, index % 2)
            value = label("", "valueText")
            grid.addWidget(value, (index // 2) * 2 + 1, index % 2)
            self.values[key] = value
        self.notes = label("", "muted", wrap=True)
        grid.addWidget(self.notes, 4, 0, 1, 2)
        data.body.addLayout(grid)
        layout.addWidget(data)

        payment = Card()
        payment.body.addWidget(label(self.tr("Pagamento"), "sectionTitle"))
        row = QHBoxLayout()
        self.info = label("", "infoField", wrap=True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info.setAccessibleName(self.tr("Informações do pagamento"))
        self.register_button = QPushButton(self.tr("Registrar Pgto."))
        self.register_button.setProperty("primary", True)
        self.register_button.clicked.connect(self._register)
        row.addWidget(self.info, 1)
        row.addWidget(self.register_button, 0, Qt.AlignmentFlag.AlignTop)
        payment.body.addWidget(label(self.tr("Informações"), "fieldLabel"))
        payment.body.addLayout(row)
        undo = QHBoxLayout()
        self.refund_button = QPushButton(self.tr("Remover do pacote"))
        messages.mark_danger(self.refund_button)
        self.refund_button.clicked.connect(lambda: self._act(session_actions.refund))
        self.void_button = QPushButton(self.tr("Estornar pagamento"))
        messages.mark_danger(self.void_button)
        self.void_button.clicked.connect(lambda: self._act(session_actions.void_payment))
        undo.addWidget(self.refund_button)
        undo.addWidget(self.void_button)
        undo.addStretch(1)
        # R21: the receipt of the payment (its manual payment's, or its package's).
        self.receipt_button = QPushButton(self.tr("Recibo…"))
        self.receipt_button.setToolTip(self.tr("Ver, salvar em PDF ou imprimir o recibo"))
        self.receipt_button.clicked.connect(self._receipt)
        undo.addWidget(self.receipt_button)
        payment.body.addLayout(undo)
        layout.addWidget(payment)

        presence = Card()
        presence.body.addWidget(label(self.tr("Presença"), "sectionTitle"))
        segments = QHBoxLayout()
        segments.setSpacing(0)
        self.attendance_group = QButtonGroup(self)
        self.attendance_buttons: dict[str, QPushButton] = {}
        for position, attendance in enumerate(ATTENDANCES):
            button = QPushButton(session_actions.attendance_label(attendance))
            button.setCheckable(True)
            button.setAutoDefault(False)  # Enter confirms the dialog, not this
            button.setProperty(
                "segment",
                "left" if position == 0 else "right" if position == len(ATTENDANCES) - 1 else "mid",
            )
            button.clicked.connect(lambda _c=False, a=attendance: self._set_attendance(a))
            self.attendance_group.addButton(button)
            self.attendance_buttons[attendance] = button
            segments.addWidget(button)
        segments.addStretch(1)
        presence.body.addLayout(segments)
        presence.body.addWidget(
            label(
                self.tr(
                    "Falta justificada devolve ao pacote a sessão que ele pagou; "
                    "falta sem justificativa mantém o débito."
                ),
                "muted",
                wrap=True,
            )
        )
        layout.addWidget(presence)
        layout.addStretch(1)
        layout = outer
        self.body_scroll = Scrolling(body)
        layout.addWidget(self.body_scroll, 1)

        actions = QHBoxLayout()
        self.delete_button = QPushButton(self.tr("Excluir sessão"))
        messages.mark_danger(self.delete_button)
        self.delete_button.clicked.connect(self._delete)
        self.edit_button = QPushButton(self.tr("Editar"))
        self.edit_button.clicked.connect(self._edit)
        self.close_button = QPushButton(self.tr("Fechar"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        actions.addWidget(self.delete_button)
        actions.addStretch(1)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.close_button)
        layout.addLayout(actions)
        self.reload()
        fit_to_screen(self)  # its size, within the screen (1024×600 too)

    # -- data ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the session again; a session deleted meanwhile closes the dialog."""
        read = run_op(
            self,
            lambda: (receitas.session_row(self.session_id), payments.payment_info(self.session_id)),
        )
        if not read:
            self.deleted = True
            self.reject()
            return
        row, info = read.value
        self.row = row
        self.title.setText(row.patient_name)
        self.when.setText(
            f"{format_weekday_date(row.starts_at)}/{row.starts_at:%Y} · "
            f"{row.starts_at:%H:%M}–{row.ends_at:%H:%M}"
        )
        self.values["service"].setText(row.service_name)
        self.values["price"].setText(format_brl(row.price))
        self.values["professional"].setText(row.professional_name or "—")
        self.values["location"].setText(row.location_name or "—")
        self.notes.setText(row.notes)
        self.notes.setVisible(bool(row.notes))
        if row.paid:
            self.state_badge.set_status("pago", self.tr("Pago"))
        elif row.owes:
            self.state_badge.set_status("aberto", self.tr("Em aberto"))
        else:  # a justified absence: nothing to pay, nothing to offer
            self.state_badge.set_status("inativo", self.tr("Sem cobrança"))
        self.attendance_badge.setVisible(row.attendance in (FALTA, FALTA_JUSTIFICADA))
        self.attendance_badge.set_status("falta", session_actions.attendance_label(row.attendance))
        self.info.setText(info.text)
        self.register_button.setEnabled(row.owes)
        self.refund_button.setVisible(session_actions.by_package(row))
        voids = users.can("payments.void_payment")
        self.void_button.setVisible(session_actions.by_hand(row) and voids)
        self.attendance_buttons[row.attendance].setChecked(True)
        self.receipt_button.setVisible(row.paid)

    def _receipt(self) -> None:
        from ..receipts import dialog as receipt_dialog

        receipt_dialog.open_session_receipt(self, self.session_id)

    def _changed(self) -> None:
        self.was_changed = True

    # -- actions ------------------------------------------------------------------------
    def _register(self) -> None:
        if self.row is not None and payment_offer.register_payment(self, self.row):
            self._changed()
            self._tell(self.tr("Pagamento registrado."))
        self.reload()

    def _act(self, action) -> None:
        if self.row is not None and action(self, self.row):
            self._changed()
            self._tell(
                self.tr("Sessão devolvida ao pacote.")
                if action is session_actions.refund
                else self.tr("Pagamento estornado.")
            )
        self.reload()

    def _set_attendance(self, attendance: str) -> None:
        if self.row is not None and session_actions.set_attendance(self, self.row, attendance):
            self._changed()
            self._tell(
                self.tr("Presença registrada: {0}.").format(
                    session_actions.attendance_label(attendance)
                )
            )
        self.reload()

    def _delete(self) -> None:
        if self.row is not None and session_actions.delete(self, self.row):
            self.deleted = True
            self._changed()
            self._tell(self.tr("Sessão excluída."))
            self.accept()

    def _edit(self) -> None:
        if SessionFormDialog.ask(self, session_id=self.session_id) is not None:
            self._changed()
            self._tell(self.tr("Sessão alterada."))
        self.reload()

    def _tell(self, text: str) -> None:
        """The short confirmation, in the main window's status bar (never a modal)."""
        toast.notify(self.parentWidget() or self, text)

    @classmethod
    def show_for(cls, parent: QWidget | None, session_id: int) -> bool:
        """Open the detail; True when something changed (the caller refreshes)."""
        dialog = cls(parent, session_id)
        if dialog.deleted:
            return True
        dialog.exec()
        return dialog.was_changed
