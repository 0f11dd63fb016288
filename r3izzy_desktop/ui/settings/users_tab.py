"""Configurações › Usuários (R23), for administrators: who may use the program and how —
add, change the role, deactivate or reactivate, reset a password (never shown) — and the
minutes without use after which the window locks.

On a database without users ("usar sem login") the tab says so and offers to create the
first administrator: from then on everyone logs in.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import clinic, users
from ...core.ptbr import format_datetime
from ..common import messages
from ..common.column_widths import keep_wide
from ..common.fields import WholeNumberSpin
from ..common.operations import run_op
from ..common.table_model import Column, RowTableModel, make_table
from ..common.widgets import Card, FormField, is_connected, label
from .user_dialogs import PasswordDialog, UserDialog

LAST_LOGIN_SAMPLE = "00/00/0000 00:00"
NARROWEST_ROLE = 90  # px, the profile chooser on a narrow screen (110 was 1 px too wide on Windows)


class UsersTab(QWidget):
    """`refresh()` reads the users again. `data_replaced("Usuários", "")` when the first
    administrator was created (and logged in): the shell rebuilds the window for the role,
    as after a restore."""

    data_replaced = Signal(str, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 18, 18, 18)
        outer.setSpacing(14)

        self.no_login = Card()
        self.no_login.body.addWidget(label(self.tr("Usar sem login"), "sectionTitle"))
        self.no_login.body.addWidget(
            label(
                self.tr(
                    "Este banco de dados não tem usuários: quem usa este computador pode fazer "
                    "tudo, e o histórico registra o nome do operador. Para que cada pessoa "
                    "entre com a sua senha e o seu perfil, crie o administrador."
                ),
                "muted",
                wrap=True,
            )
        )
        self.first_button = QPushButton(self.tr("Criar o administrador"))
        self.first_button.setProperty("primary", True)
        self.first_button.clicked.connect(self.create_first)
        first_row = QHBoxLayout()
        first_row.addWidget(self.first_button)
        first_row.addStretch(1)
        self.no_login.body.addLayout(first_row)
        outer.addWidget(self.no_login)

        self.list_card = Card()
        self.list_card.body.addWidget(label(self.tr("Usuários"), "sectionTitle"))
        self.model = RowTableModel(
            [
                Column(self.tr("Nome"), lambda u: u.name),
                Column(self.tr("Login"), lambda u: u.login),
                Column(self.tr("Perfil"), lambda u: u.role_label),
                Column(
                    self.tr("Situação"),
                    lambda u: self.tr("Ativo") if u.active else self.tr("Desativado"),
                ),
                Column(self.tr("Último acesso"), lambda u: format_datetime(u.last_login_at)),
            ]
        )
        self.table = make_table(self.model, "usersTable")
        for column, width in enumerate((240, 150, 150, 120)):
            self.table.setColumnWidth(column, width)
        # Último acesso takes the rest, never less than a date and time (1024×600: the
        # other columns fill the list, and it was a sliver).
        keep_wide(self.table, 4, LAST_LOGIN_SAMPLE)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.list_card.body.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Novo usuário"))
        self.add_button.setProperty("primary", True)
        self.add_button.clicked.connect(self.add_user)
        self.role = QComboBox()
        for role in users.ROLES:
            self.role.addItem(users.ROLE_LABELS[role], role)
        # Narrower than "Administrador" if need be: the buttons' row made the tab wider
        # than a 1024×600 screen.
        self.role.setMinimumWidth(NARROWEST_ROLE)
        self.role_button = QPushButton(self.tr("Alterar perfil"))
        self.role_button.clicked.connect(self.change_role)
        self.active_button = QPushButton(self.tr("Desativar"))
        self.active_button.clicked.connect(self.toggle_active)
        self.password_button = QPushButton(self.tr("Redefinir senha"))
        self.password_button.clicked.connect(self.reset_password)
        for widget in (self.add_button, self.role, self.role_button, self.active_button):
            buttons.addWidget(widget)
        buttons.addWidget(self.password_button)
        buttons.addStretch(1)
        self.list_card.body.addLayout(buttons)
        outer.addWidget(self.list_card, 1)

        lock = Card()
        lock.body.addWidget(label(self.tr("Bloqueio da tela"), "sectionTitle"))
        self.minutes = WholeNumberSpin(self.tr("Bloquear depois de (minutos)"))
        self.minutes.setRange(1, 240)
        self.minutes.setSuffix(self.tr(" minutos"))
        row = QHBoxLayout()
        row.addWidget(
            FormField(
                self.tr("Bloquear depois de"),
                self.minutes,
                hint=self.tr("sem uso; a senha desbloqueia, sem perder o que estava aberto."),
            )
        )
        self.minutes_button = QPushButton(self.tr("Salvar"))
        self.minutes_button.clicked.connect(self.save_minutes)
        row.addWidget(self.minutes_button)
        row.addStretch(1)
        lock.body.addLayout(row)
        outer.addWidget(lock)
        self.filler = QWidget()  # takes the room of the list while there is none
        outer.addWidget(self.filler, 1)
        self.refresh()

    # -- reading --------------------------------------------------------------------------
    def refresh(self) -> None:
        with_users = users.login_required()
        self.no_login.setVisible(not with_users)
        self.list_card.setVisible(with_users)
        self.filler.setVisible(not with_users)
        if with_users and users.can("users.list_users"):
            listed = run_op(self, users.list_users)
            self.model.set_rows(listed.value if listed else [])
        else:
            self.model.set_rows([])
        self.minutes.setValue(users.lock_minutes())
        self._update_buttons()

    def selected(self) -> users.UserRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0]) if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected()
        for button in (self.role_button, self.active_button, self.password_button, self.role):
            button.setEnabled(chosen is not None)
        if chosen is not None:
            text = self.tr("Desativar") if chosen.active else self.tr("Reativar")
            self.active_button.setText(text)
            self.role.setCurrentIndex(users.ROLES.index(chosen.role))

    def select_login(self, login: str) -> None:
        for row, user in enumerate(self.model.rows()):
            if user.login == login:
                self.table.selectRow(row)
                return

    # -- actions --------------------------------------------------------------------------
    def create_first(self) -> None:
        made = UserDialog.ask(self, first=True)
        if made is None:
            return
        self.refresh()
        if is_connected(self, self.data_replaced):
            self.data_replaced.emit("Usuários", "")

    def add_user(self) -> None:
        made = UserDialog.ask(self)
        if made is not None:
            self.refresh()
            self.select_login(made.login)

    def change_role(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        role = self.role.currentData()
        if run_op(self, lambda: users.update_user(chosen, role=role)):
            self.refresh()
            self.select_login(chosen.login)

    def toggle_active(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        if chosen.active and not messages.confirm(
            self,
            self.tr("Desativar usuário"),
            self.tr(
                "%1 não poderá mais entrar no programa. O que já fez continua registrado."
            ).replace("%1", chosen.name),
            confirm_text=self.tr("Desativar"),
            destructive=True,
        ):
            return
        if run_op(self, lambda: users.update_user(chosen, active=not chosen.active)):
            self.refresh()
            self.select_login(chosen.login)

    def reset_password(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        password = PasswordDialog.ask(self, chosen.name)
        if password is None:
            return
        if run_op(self, lambda: users.reset_password(chosen, password)):
            messages.inform(
                self,
                self.tr("Senha redefinida"),
                self.tr("A senha de %1 foi redefinida.").replace("%1", chosen.name),
            )

    def save_minutes(self) -> None:
        value = str(self.minutes.value())
        run_op(self, lambda: clinic.set_setting(users.LOCK_MINUTES_KEY, value))
