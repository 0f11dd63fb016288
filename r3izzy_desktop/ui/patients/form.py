"""Novo paciente / Editar paciente: a dialog with inline Portuguese validation.

The rules are the core's (`clinic.patient_errors`, then `add_patient` / `update_patient`):
name required, CPF check digits, phone with DDD, e-mail shape, birth date not in the
future. Every problem shows under its field at once; nothing is saved while one remains.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...core import clinic
from ...core.errors import DomainError, ValidationError
from ...core.ptbr import format_date, parse_date
from ..common import messages
from ..common.fit import fit_to_screen, set_text_lines
from ..common.operations import run_op
from ..common.widgets import FormField, label


class PatientFormDialog(QDialog):
    """Create a patient (`patient_id` None) or edit one. `saved_id` is set after saving."""

    def __init__(self, patient_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.patient_id = patient_id
        self.saved_id: int | None = None
        editing = patient_id is not None
        self.setWindowTitle(self.tr("Editar paciente") if editing else self.tr("Novo paciente"))
        self.setMinimumWidth(620)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 18)
        layout.setSpacing(14)
        layout.addWidget(
            label(
                self.tr("Dados do paciente") if editing else self.tr("Novo paciente"),
                "sectionTitle",
            )
        )

        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("Nome completo"))
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText(self.tr("dd/mm/aaaa"))
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(self.tr("(11) 98765-4321"))
        self.email = QLineEdit()
        self.email.setPlaceholderText(self.tr("nome@exemplo.com"))
        self.cpf = QLineEdit()
        self.cpf.setPlaceholderText(self.tr("000.000.000-00"))
        self.guardian = QLineEdit()
        self.guardian.setPlaceholderText(self.tr("Quem responde pelo paciente (opcional)"))
        # R21: who pays (receipts and the annual statement name them); empty: the guardian,
        # else the patient.
        self.payer_name = QLineEdit()
        self.payer_name.setPlaceholderText(self.tr("Padrão: o responsável, ou o paciente"))
        self.payer_cpf = QLineEdit()
        self.payer_cpf.setPlaceholderText(self.tr("000.000.000-00"))
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(self.tr("Observações (opcional)"))
        set_text_lines(self.notes, 3)
        self.notes.setTabChangesFocus(True)
        self.active = QCheckBox(self.tr("Paciente ativo"))
        self.active.setChecked(True)

        self.fields: dict[str, FormField] = {
            "name": FormField(self.tr("Nome *"), self.name),
            "birth_date": FormField(self.tr("Data de nascimento"), self.birth_date),
            "phone": FormField(self.tr("Telefone"), self.phone),
            "email": FormField(self.tr("E-mail"), self.email),
            "cpf": FormField(self.tr("CPF"), self.cpf),
            "guardian": FormField(self.tr("Responsável"), self.guardian),
            "payer_name": FormField(self.tr("Responsável financeiro"), self.payer_name),
            "payer_cpf": FormField(self.tr("CPF do responsável financeiro"), self.payer_cpf),
            "notes": FormField(self.tr("Observações"), self.notes),
        }
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        top = Qt.AlignmentFlag.AlignTop  # a message under one field never shifts its neighbour
        # Two fields a row, so the financial responsible (R21) adds no row: the form still
        # fits a 1024×600 screen with a message under a field.
        grid.addWidget(self.fields["name"], 0, 0, top)
        grid.addWidget(self.fields["cpf"], 0, 1, top)
        grid.addWidget(self.fields["birth_date"], 1, 0, top)
        grid.addWidget(self.fields["phone"], 1, 1, top)
        grid.addWidget(self.fields["email"], 2, 0, top)
        grid.addWidget(self.fields["guardian"], 2, 1, top)
        grid.addWidget(self.fields["payer_name"], 3, 0, top)
        grid.addWidget(self.fields["payer_cpf"], 3, 1, top)
        grid.addWidget(self.fields["notes"], 4, 0, 1, 2, top)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        self.active.setVisible(editing)
        layout.addWidget(self.active)

        self.general_error = label("", "fieldError", wrap=True)
        self.general_error.setVisible(False)
        layout.addWidget(self.general_error)

        buttons = QDialogButtonBox()
        self.cancel_button = buttons.addButton(
            self.tr("Cancelar"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.save_button = buttons.addButton(
            self.tr("Salvar alterações") if editing else self.tr("Cadastrar paciente"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        # A field's message goes away as soon as the user changes it.
        for key, editor in (
            ("name", self.name),
            ("birth_date", self.birth_date),
            ("phone", self.phone),
            ("email", self.email),
            ("cpf", self.cpf),
            ("guardian", self.guardian),
            ("payer_name", self.payer_name),
            ("payer_cpf", self.payer_cpf),
        ):
            editor.textEdited.connect(lambda _text, key=key: self.fields[key].set_error(None))
        self.cpf.editingFinished.connect(self._check_cpf)
        self.payer_cpf.editingFinished.connect(self._check_payer_cpf)
        self.guardian.textChanged.connect(self._show_default_payer)
        self.name.textChanged.connect(self._show_default_payer)

        if editing:
            self._load(patient_id)
        fit_to_screen(self)  # within the screen (1024×600 too)
        self.name.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, patient_id: int | None = None) -> int | None:
        """Open the form; the saved patient's id, or None when cancelled (Esc)."""
        dialog = cls(patient_id, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.saved_id
        return None

    # -- reading and writing ----------------------------------------------------------------
    def _load(self, patient_id: int) -> None:
        patient = clinic.get_patient(patient_id)
        self.name.setText(patient.name)
        self.birth_date.setText(format_date(patient.birth_date, blank=""))
        self.phone.setText(patient.phone)
        self.email.setText(patient.email)
        self.cpf.setText(clinic.format_cpf(patient.cpf) if patient.cpf else "")
        self.guardian.setText(patient.guardian)
        # A payer that is the default shows empty (it follows the guardian); one typed by
        # hand shows as typed.
        default_name, default_cpf = clinic.default_payer(
            patient.name, patient.guardian, patient.cpf
        )
        following = patient.payer_name in ("", default_name)
        self.payer_name.setText("" if following else patient.payer_name)
        shown_cpf = "" if following and patient.payer_cpf == default_cpf else patient.payer_cpf
        self.payer_cpf.setText(clinic.format_cpf(shown_cpf) if shown_cpf else "")
        self.notes.setPlainText(patient.notes)
        self.active.setChecked(patient.active)

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The typed values as the core takes them, and the errors found while reading them."""
        errors: dict[str, str] = {}
        birth: date | None = None
        if self.birth_date.text().strip():
            try:
                birth = parse_date(self.birth_date.text(), field="birth_date")
            except ValidationError as error:
                errors["birth_date"] = str(error)
        values: dict[str, Any] = {
            "name": self.name.text(),
            "phone": self.phone.text(),
            "email": self.email.text(),
            "cpf": self.cpf.text(),
            "guardian": self.guardian.text(),
            "payer_name": self.payer_name.text(),
            "notes": self.notes.toPlainText(),
        }
        if self.payer_name.text().strip() or self.payer_cpf.text().strip():
            values["payer_cpf"] = self.payer_cpf.text()
        elif self.patient_id is None:
            values.pop("payer_name")  # the core's default: the guardian, or the patient
        if "birth_date" not in errors:
            values["birth_date"] = birth
        if self.patient_id is not None:
            values["active"] = self.active.isChecked()
        return values, errors

    def save(self) -> None:
        """Check every field; save only when all are valid, else show each message."""
        values, errors = self.values()
        errors.update(clinic.patient_errors(**values))
        self._show_errors(errors)
        if errors:
            return
        if self.patient_id is None:
            name = values.pop("name")
            saved = run_op(self, lambda: clinic.add_patient(name, **values), failed=self._refused)
        else:
            patient_id = self.patient_id
            saved = run_op(
                self, lambda: clinic.update_patient(patient_id, **values), failed=self._refused
            )
        if saved:
            self.saved_id = saved.value.id
            self.accept()

    def _refused(self, error: DomainError) -> None:
        """A field's error next to the field; any other refusal in a message."""
        if isinstance(error, ValidationError):
            self._show_errors({error.field or "": str(error)})
        else:
            messages.show_domain_error(self, error)

    def _show_errors(self, errors: dict[str, str]) -> None:
        for key, field in self.fields.items():
            field.set_error(errors.get(key))
        general = [message for key, message in errors.items() if key not in self.fields]
        self.general_error.setText("\n".join(general))
        self.general_error.setVisible(bool(general))
        first = next((key for key in self.fields if key in errors), None)
        if first is not None:
            self.fields[first].editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_default_payer(self) -> None:
        guardian, name = self.guardian.text().strip(), self.name.text().strip()
        who = guardian or name
        self.payer_name.setPlaceholderText(
            self.tr("Padrão: {0}").format(who)
            if who
            else self.tr("Padrão: o responsável, ou o paciente")
        )

    def _check_payer_cpf(self) -> None:
        self.fields["payer_cpf"].set_error(
            clinic.patient_errors(payer_cpf=self.payer_cpf.text()).get("payer_cpf")
        )

    def _check_cpf(self) -> None:
        """Leaving the CPF field checks it (the core's rule and message)."""
        self.fields["cpf"].set_error(clinic.patient_errors(cpf=self.cpf.text()).get("cpf"))
