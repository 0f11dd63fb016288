"""The package form's terms (R15-R17): Validade ("sem validade" or a last day), Serviços
(all, or the ones ticked) and Compartilhar com (other patients, searchable).

Each field reads and shows values only; the form passes them to the core, which checks
them again (`packages.create_package` / `edit_package`).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...core import clinic
from ..common.date_edit import DateEdit
from ..common.widgets import icon, label
from .dates import from_qdate, to_qdate

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_LIMIT = 30  # patients listed for a search (a clinic has thousands)
VISIBLE_ROWS = 4  # rows a checkable patient list shows before it scrolls


class ValidityField(QWidget):
    """ "Sem validade" or "Válido até" a date. `value()` is the date or None.

    A new package follows the clinic's default for its payment date (`follow(paid_on)`)
    until the person changes the field; then what they chose stays."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._touched = False
        self._following = False
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        row = QHBoxLayout()
        row.setSpacing(10)
        self.no_limit = QCheckBox(self.tr("Sem validade"))
        self.date = DateEdit()
        self.date.setAccessibleName(self.tr("Válido até"))
        self.until = label(self.tr("válido até"), "muted")
        column.addWidget(self.no_limit)
        row.addWidget(self.until)
        row.addWidget(self.date, 1)
        column.addLayout(row)
        self.no_limit.toggled.connect(self._toggled)
        self.date.dateChanged.connect(lambda _d: self._changed())
        # A FormField hooks its editor's errorChanged; the date is inside this field.
        self.errorChanged = self.date.errorChanged
        self.set_value(None)

    def value(self) -> date | None:
        return None if self.no_limit.isChecked() else from_qdate(self.date.date())

    def value_error(self) -> str | None:
        """Why the typed validity is refused (None: no limit, or a good date)."""
        return None if self.no_limit.isChecked() else self.date.error()

    def set_value(self, value: date | None) -> None:
        """Show `value` without counting it as the person's choice."""
        self._following = True
        try:
            self.no_limit.setChecked(value is None)
            if value is not None:
                self.date.setDate(to_qdate(value))
            self._sync()
        finally:
            self._following = False

    def set_suggested_day(self, day: date) -> None:
        """The day the date field shows while "Sem validade" is ticked (what unticking
        starts from), not a choice."""
        self._following = True
        try:
            self.date.setDate(to_qdate(day))
        finally:
            self._following = False

    def follow(self, paid_on: date) -> None:
        """The clinic's default for a package paid on `paid_on`, while untouched."""
        if self._touched:
            return
        default = clinic.package_defaults().valid_until(paid_on)
        self.set_value(default)
        if default is None:
            self.set_suggested_day(paid_on)

    def _toggled(self, checked: bool) -> None:
        if not checked and not self._following:
            self.date.setFocus(Qt.FocusReason.OtherFocusReason)
        self._sync()
        self._changed()

    def _sync(self) -> None:
        # "Sem validade": no date to read, so none is shown.
        self.date.setVisible(not self.no_limit.isChecked())
        self.until.setVisible(not self.no_limit.isChecked())

    def _changed(self) -> None:
        if not self._following:
            self._touched = True
        self.changed.emit()


class ServicesField(QWidget):
    """ "Todos os serviços" or "Só os marcados", with a checkable list of the services.
    `value()` is the ids ticked ([] = every service); `error()` says when "Só os
    marcados" has none ticked."""

    def __init__(self, covered: tuple[int, ...] = (), parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.all = QRadioButton(self.tr("Todos os serviços"))
        self.some = QRadioButton(self.tr("Só os marcados"))
        group = QButtonGroup(self)
        group.addButton(self.all)
        group.addButton(self.some)
        layout.addWidget(self.all)
        layout.addWidget(self.some)
        self.list = QListWidget()
        self.list.setObjectName("checkList")
        self.list.setAccessibleName(self.tr("Serviços cobertos"))
        layout.addWidget(self.list)
        # The active services, and any inactive one the package already covers.
        for service in clinic.list_services(include_inactive=True):
            if not service.active and service.id not in covered:
                continue
            item = QListWidgetItem(service.name)
            item.setData(ID_ROLE, service.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if service.id in covered else Qt.CheckState.Unchecked
            )
            self.list.addItem(item)
        # Four services in the font in use (never a row cut in half), then it scrolls.
        rows = max(1, min(self.list.count(), VISIBLE_ROWS))
        row_height = self.list.sizeHintForRow(0) if self.list.count() else 0
        self.list.setMaximumHeight(max(60, rows * row_height + 2 * self.list.frameWidth()))
        (self.some if covered else self.all).setChecked(True)
        self.all.toggled.connect(self._sync)
        self._sync()

    def items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def value(self) -> list[int]:
        if self.all.isChecked():
            return []
        return [
            item.data(ID_ROLE)
            for item in self.items()
            if item.checkState() == Qt.CheckState.Checked
        ]

    def error(self) -> str | None:
        if self.some.isChecked() and not self.value():
            return self.tr("Marque ao menos um serviço, ou escolha “Todos os serviços”.")
        return None

    def _sync(self) -> None:
        # "Todos os serviços": no list to tick; the ticks come back with "Só os marcados".
        self.list.setVisible(self.some.isChecked())


class PatientList(QWidget):
    """A search field and the patients it finds (name, phone or CPF, as the patient list
    searches). `checkable`: tick several (the ones ticked stay listed whatever the
    search, and the others show only for a search); otherwise one is chosen by selecting
    it. `exclude`: never listed (the owner)."""

    chosen_changed = Signal()

    def __init__(
        self,
        *,
        checkable: bool,
        exclude: int | None = None,
        chosen: dict[int, str] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.checkable = checkable
        self.exclude = exclude
        self._chosen: dict[int, str] = dict(chosen or {})
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Buscar paciente por nome, telefone ou CPF"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setAccessibleName(self.tr("Buscar paciente"))
        layout.addWidget(self.search)
        self.list = QListWidget()
        self.list.setObjectName("checkList")
        self.list.setAccessibleName(self.tr("Pacientes"))
        layout.addWidget(self.list, 1)
        self.search.textChanged.connect(self.refill)
        self.list.itemChanged.connect(self._item_changed)
        self.list.currentItemChanged.connect(lambda *_a: self.chosen_changed.emit())
        self.refill()

    def refill(self) -> None:
        """The patients the search finds (the ticked ones first)."""
        found = [
            (p.id, p.name)
            for p in clinic.find_patients(self.search.text(), limit=SEARCH_LIMIT + 1)
            if p.id != self.exclude
        ][:SEARCH_LIMIT]
        if self.checkable:
            shown = list(self._chosen.items())
            if self.search.text().strip():
                shown += [(pid, name) for pid, name in found if pid not in self._chosen]
        else:
            shown = found
        self.list.blockSignals(True)
        self.list.clear()
        for pid, name in shown:
            item = QListWidgetItem(name)
            item.setData(ID_ROLE, pid)
            if self.checkable:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    Qt.CheckState.Checked if pid in self._chosen else Qt.CheckState.Unchecked
                )
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.list.setVisible(bool(shown) or not self.checkable)
        if self.checkable:  # as tall as its rows, up to four (then it scrolls)
            rows = max(1, min(len(shown), VISIBLE_ROWS))
            self.list.setFixedHeight(
                rows * self.list.sizeHintForRow(0) + 2 * self.list.frameWidth() if shown else 0
            )

    def items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def chosen(self) -> dict[int, str]:
        """{id: name} of the patients ticked (checkable), or of the one selected."""
        if self.checkable:
            return dict(self._chosen)
        item = self.list.currentItem()
        return {item.data(ID_ROLE): item.text()} if item is not None else {}

    def _item_changed(self, item: QListWidgetItem) -> None:
        pid = item.data(ID_ROLE)
        if item.checkState() == Qt.CheckState.Checked:
            self._chosen[pid] = item.text()
        else:
            self._chosen.pop(pid, None)
        self.chosen_changed.emit()


class ShareField(QWidget):
    """Compartilhar com: the other patients whose sessions the package may pay (siblings).
    `value()` is their ids, in the order they were registered."""

    def __init__(
        self, owner_id: int, shared: dict[int, str] | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.summary = label("", "muted", wrap=True)
        layout.addWidget(self.summary)
        self.patients = PatientList(checkable=True, exclude=owner_id, chosen=shared)
        layout.addWidget(self.patients)
        self.patients.chosen_changed.connect(self._show_summary)
        self._show_summary()

    def set_owner(self, owner_id: int) -> None:
        """The owner changed (a transfer): never listed, and no longer shared with."""
        self.patients.exclude = owner_id
        self.patients._chosen.pop(owner_id, None)
        self.patients.refill()
        self._show_summary()

    def value(self) -> list[int]:
        return sorted(self.patients.chosen())

    def _show_summary(self) -> None:
        chosen = self.patients.chosen()
        names = [chosen[pid] for pid in sorted(chosen)]
        self.summary.setText(
            self.tr("Compartilhado com: {0}").format(", ".join(names))
            if names
            else self.tr(
                "Só o paciente usa este pacote. Para compartilhar com irmãos ou familiares, "
                "busque e marque."
            )
        )
