"""On a new (empty) database without users, a banner over the pages asks how the clinic
wants to work (R23): create the first administrator — then everyone logs in — or "usar sem
login" (a one-PC clinic; an administrator can be created later in Configurações ›
Usuários). Not a modal: the program is usable while the question waits."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from ...core import clinic, users
from ..common.operations import run_op
from ..common.widgets import Card, label


class FirstRunBanner(Card):
    """`user_changed(user)` once the first administrator was created and logged in."""

    user_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("firstRunBanner")
        row = QHBoxLayout()
        row.addWidget(
            label(
                self.tr(
                    "Como a clínica vai usar o programa? Com usuários, cada pessoa entra com a "
                    "sua senha e o seu perfil (recepção, financeiro, administrador) e o "
                    "programa registra quem fez o quê. Sem login, quem usa este computador "
                    "pode tudo."
                ),
                wrap=True,
            ),
            1,
        )
        self.create_button = QPushButton(self.tr("Criar o administrador"))
        self.create_button.setProperty("primary", True)
        self.create_button.clicked.connect(self.create_admin)
        self.no_login_button = QPushButton(self.tr("Usar sem login"))
        self.no_login_button.clicked.connect(self.use_without_login)
        row.addWidget(self.create_button)
        row.addWidget(self.no_login_button)
        self.body.addLayout(row)

    def create_admin(self) -> None:
        from ..settings.user_dialogs import UserDialog  # a screen's dialog: not at start-up

        made = UserDialog.ask(self, first=True)
        if made is not None:
            self.hide()
            self.user_changed.emit(made)

    def use_without_login(self) -> None:
        if run_op(self, lambda: clinic.set_setting(users.LOGIN_MODE_KEY, users.NO_LOGIN)):
            self.hide()
