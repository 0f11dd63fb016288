"""The login window before the main window (R23), shown when the database has users."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from ... import APP_NAME
from ...core import users
from ..common.fit import fit_to_screen
from ..common.login_form import LoginForm
from ..common.widgets import label


class LoginDialog(QDialog):
    """Login and password; Esc (Sair) closes the app. `user` is who logged in."""

    def __init__(self, parent: QWidget | None = None, *, reason: str = ""):
        super().__init__(parent)
        self.setWindowTitle(self.tr("%1 — Entrar").replace("%1", APP_NAME))
        self.setMinimumWidth(380)
        self.user: users.UserRow | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(12)
        layout.addWidget(label("R3izzy", "brand"))
        if reason:
            layout.addWidget(label(reason, "muted", wrap=True))
        self.form = LoginForm(parent=self)
        self.form.logged_in.connect(self._done)
        layout.addWidget(self.form)
        buttons = QDialogButtonBox()
        reject = QDialogButtonBox.ButtonRole.RejectRole
        self.quit_button = buttons.addButton(self.tr("Sair"), reject)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.form.focus()
        fit_to_screen(self)  # within the screen (1024×600 too)

    def _done(self, user) -> None:
        self.user = user
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None, *, reason: str = "") -> users.UserRow | None:
        """The user who logged in, or None when the person chose Sair."""
        dialog = cls(parent, reason=reason)
        dialog.exec()
        return dialog.user
