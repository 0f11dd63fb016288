"""The Clínica tab: the clinic's data (name, CNPJ/CPF, address, phone) that receipts and
reports print, and the operator's name the package history records."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ...core import clinic
from ...core.errors import DomainError, ValidationError
from ..common import messages
from ..common.operations import run_op
from ..common.widgets import Card, FormField, label

OPERATOR_KEY = "operator_name"


class ClinicTab(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 18, 18, 18)
        outer.setSpacing(16)

        card = Card()
        card.body.addWidget(label(self.tr("Dados da clínica"), "sectionTitle"))
        card.body.addWidget(
            label(self.tr("Aparecem nos recibos e relatórios."), "muted", wrap=True)
        )
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("Nome da clínica"))
        self.document = QLineEdit()
        self.document.setPlaceholderText(self.tr("ex.: 11.222.333/0001-81"))
        self.address = QLineEdit()
        self.address.setPlaceholderText(self.tr("Rua, número — bairro, cidade/UF"))
        self.city = QLineEdit()
        self.city.setPlaceholderText(self.tr("ex.: Campinas - SP"))
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(self.tr("(11) 3333-4444"))
        self.operator = QLineEdit()
        self.operator.setPlaceholderText(clinic.operator_name())
        self.fields = {
            "name": FormField(self.tr("Nome da clínica"), self.name),
            "document": FormField(self.tr("CNPJ ou CPF"), self.document),
            "address": FormField(self.tr("Endereço"), self.address),
            "city": FormField(
                self.tr("Cidade"),
                self.city,
                hint=self.tr("Os recibos terminam com “cidade, data”."),
            ),
            "phone": FormField(self.tr("Telefone"), self.phone),
            "operator": FormField(
                self.tr("Nome do operador"),
                self.operator,
                hint=self.tr(
                    "Gravado em cada linha do histórico dos pacotes. Vazio: o nome do usuário "
                    "do sistema."
                ),
            ),
        }
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(self.fields["name"], 0, 0, 1, 2, top)
        grid.addWidget(self.fields["document"], 1, 0, top)
        grid.addWidget(self.fields["phone"], 1, 1, top)
        grid.addWidget(self.fields["address"], 2, 0, top)
        grid.addWidget(self.fields["city"], 2, 1, top)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        card.body.addLayout(grid)
        outer.addWidget(card)

        operator_card = Card()
        operator_card.body.addWidget(label(self.tr("Operador"), "sectionTitle"))
        operator_card.body.addWidget(self.fields["operator"])
        outer.addWidget(operator_card)

        buttons = QHBoxLayout()
        self.saved_note = label("", "muted")
        buttons.addWidget(self.saved_note, 1)
        self.save_button = QPushButton(self.tr("Salvar"))
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        outer.addStretch(1)
        for editor in (
            self.name,
            self.document,
            self.address,
            self.city,
            self.phone,
            self.operator,
        ):
            editor.textEdited.connect(lambda _t: self.saved_note.setText(""))
        self.refresh()

    def refresh(self) -> None:
        info = clinic.clinic_info()
        self.name.setText(info.name)
        self.document.setText(info.document)
        self.address.setText(info.address)
        self.phone.setText(info.phone)
        self.city.setText(info.city)
        self.operator.setText(clinic.get_setting(OPERATOR_KEY))
        self.saved_note.setText("")

    def save(self) -> None:
        for field in self.fields.values():
            field.set_error(None)
        if not run_op(self, self._write, failed=self._refused):
            return
        self.refresh()
        self.saved_note.setText(self.tr("Dados salvos."))
        self.save_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _refused(self, error: DomainError) -> None:
        """A wrong CNPJ/CPF is said under its field; anything else in a message."""
        field = self.fields.get(getattr(error, "field", None) or "")
        if isinstance(error, ValidationError) and field is not None:
            field.set_error(str(error))
            field.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            messages.show_domain_error(self, error)

    def _write(self) -> None:
        clinic.set_clinic_info(
            name=self.name.text(),
            document=self.document.text(),
            address=self.address.text(),
            phone=self.phone.text(),
            city=self.city.text(),
        )
        clinic.set_setting(OPERATOR_KEY, self.operator.text())
