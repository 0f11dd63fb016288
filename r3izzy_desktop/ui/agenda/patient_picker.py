"""A search field for choosing a patient: type part of a name, phone or CPF (accents and
case don't matter, as in `clinic.find_patients`) and pick from the suggestions."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from ...core import clinic
from ..common.widgets import icon

ID_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole + 2
SUGGESTIONS = 20


class PatientPicker(QLineEdit):
    """`patient_id()` is the chosen patient, None until one is chosen. Enter or leaving
    the field with a single match (or an exact name) chooses it."""

    patient_changed = Signal(object)  # int | None

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText(self.tr("Buscar paciente por nome, telefone ou CPF"))
        self.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.setAccessibleName(self.tr("Paciente"))
        self._patient_id: int | None = None
        self._model = QStandardItemModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCompletionRole(NAME_ROLE)
        self._completer.setMaxVisibleItems(10)
        self.setCompleter(self._completer)
        self._completer.activated[QModelIndex].connect(self._on_activated)
        self.textEdited.connect(self._on_edited)
        self.editingFinished.connect(self.resolve)

    def patient_id(self) -> int | None:
        return self._patient_id

    def set_patient(self, patient_id: int | None, name: str = "") -> None:
        self._patient_id = patient_id
        self.setText(name)
        self.patient_changed.emit(patient_id)

    def suggestions(self) -> list[tuple[int, str]]:
        """What the popup offers now: (patient id, name)."""
        return [
            (self._model.item(r).data(ID_ROLE), self._model.item(r).data(NAME_ROLE))
            for r in range(self._model.rowCount())
        ]

    def _on_edited(self, text: str) -> None:
        if self._patient_id is not None:
            self._patient_id = None
            self.patient_changed.emit(None)
        self._model.clear()
        for patient in clinic.find_patients(text, limit=SUGGESTIONS):
            shown = patient.name + (f"  ·  {patient.phone}" if patient.phone else "")
            item = QStandardItem(shown)
            item.setData(patient.id, ID_ROLE)
            item.setData(patient.name, NAME_ROLE)
            item.setEditable(False)
            self._model.appendRow(item)
        if text.strip():
            self._completer.complete()

    def _on_activated(self, index: QModelIndex) -> None:
        patient_id = index.data(ID_ROLE)
        if patient_id is not None:
            self.set_patient(int(patient_id), index.data(NAME_ROLE))

    def resolve(self) -> None:
        """Choose the patient the text names when it is unambiguous."""
        if self._patient_id is not None or not self.text().strip():
            return
        found = clinic.find_patients(self.text(), limit=SUGGESTIONS)
        exact = [p for p in found if clinic.fold(p.name) == clinic.fold(self.text().strip())]
        chosen = exact[0] if len(exact) == 1 else found[0] if len(found) == 1 else None
        if chosen is not None:
            self.set_patient(chosen.id, chosen.name)
