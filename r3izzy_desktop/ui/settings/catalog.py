"""A Configurações tab for a short catalogue (services, locations, professionals): the
list on the left, the selected item's form on the right, "Novo", "Salvar" and
"Desativar" / "Reativar". Items are never deleted: sessions keep referring to them.

A subclass says what its rows are, how its form looks and which core functions save.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import DomainError, ValidationError
from ..common import messages
from ..common.column_widths import keep_wide
from ..common.operations import run_op
from ..common.table_model import Column, RowTableModel, make_table
from ..common.widgets import Card, FormField, icon, label, repolish


class CatalogTab(QWidget):
    """Rows are frozen dataclasses with at least `id`, `name` and `active`."""

    new_title = "Novo item"
    # The first column (the name) takes the width left; with a sample, never less than it
    # needs (1024×600: the other columns' headers leave a professional's name a sliver).
    name_sample: str | None = None

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.current_id: int | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 18, 14, 18)
        row.setSpacing(18)

        left = QVBoxLayout()
        left.setSpacing(10)
        bar = QHBoxLayout()
        self.new_button = QPushButton(icon("plus"), self.tr(self.new_title))
        self.new_button.setProperty("primary", True)
        self.new_button.clicked.connect(self.start_new)
        bar.addWidget(self.new_button)
        bar.addStretch(1)
        self.show_inactive = QCheckBox(self.tr("Mostrar inativos"))
        self.show_inactive.toggled.connect(lambda _on: self.reload())
        bar.addWidget(self.show_inactive)
        left.addLayout(bar)
        self.model: RowTableModel[Any] = RowTableModel(self.columns(), parent=self)
        self.table = make_table(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        if self.name_sample is not None:
            keep_wide(self.table, 0, self.name_sample)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        left.addWidget(self.table, 1)
        row.addLayout(left, 3)

        self.form_card = Card()
        self.form_card.setMinimumWidth(320)
        self.form_title = label("", "sectionTitle")
        self.form_card.body.addWidget(self.form_title)
        self.fields: dict[str, FormField] = self.build_fields()
        for field in self.fields.values():
            self.form_card.body.addWidget(field)
        self.general_error = label("", "fieldError", wrap=True)
        self.general_error.setVisible(False)
        self.form_card.body.addWidget(self.general_error)
        self.form_card.body.addSpacing(6)
        buttons = QHBoxLayout()
        self.toggle_button = QPushButton()
        self.toggle_button.clicked.connect(self.toggle_active)
        self.save_button = QPushButton(self.tr("Salvar"))
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.toggle_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        self.form_card.body.addLayout(buttons)
        self.form_card.body.addStretch(1)
        row.addWidget(self.form_card, 2, Qt.AlignmentFlag.AlignTop)
        self.reload()
        if self.model.rowCount():
            self.reload(select_id=self.model.row_at(0).id)

    # -- what a subclass provides -------------------------------------------------------------
    def columns(self) -> list[Column]:
        raise NotImplementedError

    def load_rows(self, include_inactive: bool) -> list[Any]:
        raise NotImplementedError

    def build_fields(self) -> dict[str, FormField]:
        raise NotImplementedError

    def fill(self, row: Any | None) -> None:
        """Put the row's values in the form (None: the empty form of a new item)."""
        raise NotImplementedError

    def write(self, item_id: int | None) -> int:
        """Create (None) or update the item through the core; returns its id."""
        raise NotImplementedError

    def write_active(self, item_id: int, active: bool) -> None:
        raise NotImplementedError

    # -- behaviour ------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        wanted = select_id if select_id is not None else self.current_id
        self.model.set_rows(self.load_rows(self.show_inactive.isChecked()))
        rows = self.model.rows()
        position = next((i for i, r in enumerate(rows) if r.id == wanted), None)
        if position is None:
            self.start_new()
            return
        self.table.selectionModel().setCurrentIndex(
            self.model.index(position, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self._edit(rows[position])

    def _row_changed(self, current, _previous) -> None:
        if current.isValid():
            self._edit(self.model.row_at(current))

    def _edit(self, row: Any) -> None:
        self.current_id = row.id
        self.form_title.setText(row.name)
        self._clear_errors()
        self.fill(row)
        self.toggle_button.setVisible(True)
        self.toggle_button.setText(self.tr("Desativar") if row.active else self.tr("Reativar"))
        self.toggle_button.setProperty("danger", row.active)
        repolish(self.toggle_button)
        self.save_button.setText(self.tr("Salvar alterações"))

    def start_new(self) -> None:
        """An empty form: "Salvar" creates a new item."""
        self.current_id = None
        self.table.selectionModel().clearSelection()
        self.table.selectionModel().setCurrentIndex(
            self.model.index(-1, -1), QItemSelectionModel.SelectionFlag.NoUpdate
        )
        self.form_title.setText(self.tr(self.new_title))
        self._clear_errors()
        self.fill(None)
        self.toggle_button.setVisible(False)
        self.save_button.setText(self.tr("Salvar"))
        first = next(iter(self.fields.values()))
        first.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        self._clear_errors()
        current = self.current_id
        saved = run_op(self, lambda: self.write(current), failed=self._refused)
        if saved:
            self.reload(select_id=saved.value)

    def _refused(self, error: DomainError) -> None:
        """A field's error next to the field, one about the whole row under the form, any
        other refusal in a message."""
        if not isinstance(error, ValidationError):
            messages.show_domain_error(self, error)
            return
        field = self.fields.get(error.field or "")
        if field is not None:
            field.set_error(str(error))
            field.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.general_error.setText(str(error))
            self.general_error.setVisible(True)

    def toggle_active(self) -> None:
        if self.current_id is None:
            return
        row = next(r for r in self.model.rows() if r.id == self.current_id)
        if not run_op(self, lambda: self.write_active(row.id, not row.active)):
            return
        if row.active and not self.show_inactive.isChecked():
            self.current_id = None
        self.reload()

    def _clear_errors(self) -> None:
        for field in self.fields.values():
            field.set_error(None)
        self.general_error.setVisible(False)
