"""The login form (R23): login and password, "Entrar", and the refusal in words. Used by
the login window before the main window and by the lock screen (where the login is the
user's own and only the password is asked, unless another user takes the PC).

The password field is never read back into anything but `users.login`/`users.unlock`,
and it is cleared after each attempt.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ...core import users
from ...core.errors import DomainError
from .widgets import FormField, label


class LoginForm(QWidget):
    """`logged_in(user)` when the login (or the unlock) succeeded."""

    logged_in = Signal(object)

    def __init__(
        self,
        *,
        unlock_login: str | None = None,
        title: str = "",
        note: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("loginForm")
        self.unlock_login = unlock_login
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.title = label(title or self.tr("Entrar no R3izzy"), "sectionTitle", wrap=True)
        layout.addWidget(self.title)
        self.note = label(note, "muted", wrap=True)
        self.note.setVisible(bool(note))
        layout.addWidget(self.note)
        self.login = QLineEdit()
        self.login.setObjectName("loginField")
        self.login.setPlaceholderText(self.tr("ex.: ana.souza"))
        self.login_field = FormField(self.tr("Usuário (login)"), self.login)
        layout.addWidget(self.login_field)
        self.password = QLineEdit()
        self.password.setObjectName("passwordField")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_field = FormField(self.tr("Senha"), self.password)
        layout.addWidget(self.password_field)
        self.message = label("", "fieldError", wrap=True)
        self.message.setVisible(False)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        self.enter = QPushButton(self.tr("Entrar"))
        self.enter.setProperty("primary", True)
        self.enter.setDefault(True)
        self.enter.clicked.connect(self.submit)
        row.addWidget(self.enter)
        layout.addLayout(row)
        self.login.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.submit)
        self.set_unlock(unlock_login)

    def set_unlock(self, login: str | None) -> None:
        """Ask only the password of `login` (the lock screen), or login and password."""
        if login is None and self.unlock_login is not None:
            self.note.setVisible(False)  # the note spoke to the user who locked
        self.unlock_login = login
        self.login.setText(login or "")
        self.login_field.setVisible(login is None)
        self.password.clear()
        self.message.setVisible(False)

    def focus(self) -> None:
        target = self.password if self.unlock_login or self.login.text() else self.login
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        password = self.password.text()
        self.password.clear()
        try:
            if self.unlock_login is not None:
                user = users.unlock(password)
            else:
                user = users.login(self.login.text(), password)
        except DomainError as error:
            self.message.setText(str(error))
            self.message.setVisible(True)
            self.focus()
            return
        self.message.setVisible(False)
        self.logged_in.emit(user)
