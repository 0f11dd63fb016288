"""Asking the PostgreSQL password at start-up, where this PC has no credential store to
keep it (a Linux PC without the Secret Service): it is asked each time, never saved."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from .fit import fit_to_screen
from .widgets import FormField, label


class ServerPasswordDialog(QDialog):
    def __init__(self, where: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.chosen: str | None = None
        self.setWindowTitle(self.tr("Senha do banco de dados"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addWidget(
            label(
                self.tr(
                    "Este computador não tem um cofre de senhas do sistema, então a senha do "
                    "servidor não fica gravada e é pedida a cada início.\n\nServidor: %1"
                ).replace("%1", where),
                wrap=True,
            )
        )
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(FormField(self.tr("Senha do PostgreSQL"), self.password))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self)  # within the screen (1024×600 too)

    def _accept(self) -> None:
        self.chosen = self.password.text()
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, where: str) -> str | None:
        dialog = cls(where, parent)
        dialog.exec()
        return dialog.chosen
