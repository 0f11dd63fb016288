"""Transferir pacote (R17): choose the patient who becomes the package's owner. The form
saves it with its other changes (`packages.edit_package(patient=…)`); the debits already
made stay where they are."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from ..common.fit import fit_to_screen
from ..common.widgets import label
from .terms_fields import PatientList


class TransferDialog(QDialog):
    """Search and select the new owner; "Transferir" accepts."""

    def __init__(self, package_number: str, owner_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Transferir pacote"))
        fit_to_screen(self, (460, 460))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 18)
        layout.setSpacing(10)
        layout.addWidget(
            label(self.tr("Transferir o pacote No. {0}").format(package_number), "sectionTitle")
        )
        layout.addWidget(
            label(
                self.tr(
                    "O paciente escolhido passa a ser o dono do pacote, com o saldo que ele "
                    "tem. As sessões já pagas continuam pagas."
                ),
                "muted",
                wrap=True,
            )
        )
        self.patients = PatientList(checkable=False, exclude=owner_id)
        layout.addWidget(self.patients, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.transfer_button = buttons.addButton(
            self.tr("Transferir"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.transfer_button.setProperty("primary", True)
        self.transfer_button.setEnabled(False)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancelar"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.patients.chosen_changed.connect(
            lambda: self.transfer_button.setEnabled(bool(self.patients.chosen()))
        )
        self.patients.list.itemDoubleClicked.connect(lambda _i: self.accept())
        self.patients.search.setFocus()

    def choice(self) -> tuple[int, str] | None:
        chosen = self.patients.chosen()
        return next(iter(chosen.items()), None)

    @classmethod
    def ask(
        cls, parent: QWidget | None, package_number: str, owner_id: int
    ) -> tuple[int, str] | None:
        """(the new owner's id, name), or None when cancelled."""
        dialog = cls(package_number, owner_id, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.choice()
        return None
