"""Dialogs of Configurações › Usuários (R23): a new user (or the clinic's first
administrator) and a new password. A password is typed twice and never shown."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...core import users
from ...core.errors import DomainError
from ..common import messages
from ..common.fit import fit_to_screen
from ..common.operations import run_op
from ..common.widgets import FormField, label


def _password_editor() -> QLineEdit:
    editor = QLineEdit()
    editor.setEchoMode(QLineEdit.EchoMode.Password)
    return editor


class UserDialog(QDialog):
    """Name, login, role and a password (twice). `first=True`: the clinic's first user,
    an administrador, who is logged in at once. `user` is the one created."""

    def __init__(self, parent: QWidget | None = None, *, first: bool = False):
        super().__init__(parent)
        self.first = first
        self.user: users.UserRow | None = None
        self.setWindowTitle(self.tr("Criar o administrador") if first else self.tr("Novo usuário"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        if first:
            layout.addWidget(
                label(
                    self.tr(
                        "Com um administrador, todos entram com usuário e senha, cada um "
                        "com o seu perfil, e o programa registra quem fez o quê. O "
                        "administrador cadastra os outros usuários em Configurações › "
                        "Usuários."
                    ),
                    "muted",
                    wrap=True,
                )
            )
        self.name = QLineEdit()
        self.login = QLineEdit()
        self.login.setPlaceholderText(self.tr("ex.: ana.souza"))
        self.role = QComboBox()
        for role in users.ROLES:
            self.role.addItem(users.ROLE_LABELS[role], role)
        default = users.ADMINISTRADOR if first else users.RECEPCAO
        self.role.setCurrentIndex(users.ROLES.index(default))
        self.role.setEnabled(not first)
        self.password = _password_editor()
        self.again = _password_editor()
        hint = self.tr("Pelo menos %1 caracteres.").replace("%1", str(users.MIN_PASSWORD_LENGTH))
        self.fields = {
            "name": FormField(self.tr("Nome"), self.name),
            "login": FormField(self.tr("Login"), self.login),
            "role": FormField(
                self.tr("Perfil"),
                self.role,
                hint=self.tr(
                    "Recepção: pacientes, agenda, pacotes e pagamentos. Financeiro: também "
                    "relatórios, exportações e estornos. Administrador: tudo."
                ),
            ),
            "password": FormField(self.tr("Senha"), self.password, hint=hint),
            "again": FormField(self.tr("Repita a senha"), self.again),
        }
        for field in self.fields.values():
            layout.addWidget(field)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            self.tr("Criar e entrar") if first else self.tr("Cadastrar"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.save_button.setProperty("primary", True)
        buttons.addButton(self.tr("Cancelar"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self)  # within the screen (1024×600 too)

    def save(self) -> None:
        for field in self.fields.values():
            field.set_error(None)
        if self.password.text() != self.again.text():
            self.fields["again"].set_error(self.tr("As duas senhas não são iguais."))
            return
        role = self.role.currentData()

        def create():
            made = users.add_user(
                self.name.text(), login=self.login.text(), password=self.password.text(), role=role
            )
            if self.first:
                users.login(made.login, self.password.text())
            return made

        done = run_op(self, create, failed=self._refused)
        if done:
            self.password.clear()
            self.again.clear()
            self.user = done.value
            self.accept()

    def _refused(self, error: DomainError) -> None:
        field = self.fields.get(getattr(error, "field", None) or "")
        if field is not None:
            field.set_error(str(error))
            field.editor.setFocus()
        else:
            messages.show_domain_error(self, error)

    @classmethod
    def ask(cls, parent: QWidget | None = None, *, first: bool = False) -> users.UserRow | None:
        dialog = cls(parent, first=first)
        dialog.exec()
        return dialog.user


class PasswordDialog(QDialog):
    """A new password for `user`, typed twice; `ask` returns it (None when cancelled)."""

    def __init__(self, user_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.chosen: str | None = None
        self.setWindowTitle(self.tr("Redefinir a senha"))
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addWidget(
            label(self.tr("Nova senha de %1:").replace("%1", user_name), "sectionTitle", wrap=True)
        )
        self.password = _password_editor()
        self.again = _password_editor()
        self.password_field = FormField(self.tr("Nova senha"), self.password)
        self.again_field = FormField(self.tr("Repita a senha"), self.again)
        layout.addWidget(self.password_field)
        layout.addWidget(self.again_field)
        buttons = QDialogButtonBox()
        ok = buttons.addButton(self.tr("Redefinir"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setProperty("primary", True)
        buttons.addButton(self.tr("Cancelar"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self)  # within the screen (1024×600 too)

    def _accept(self) -> None:
        if self.password.text() != self.again.text():
            self.again_field.set_error(self.tr("As duas senhas não são iguais."))
            return
        self.chosen = self.password.text()
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, user_name: str) -> str | None:
        dialog = cls(user_name, parent)
        dialog.exec()
        return dialog.chosen
