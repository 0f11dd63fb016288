"""The patients list (SPEC §5.2): a live search over name, phone and CPF, accent- and
case-insensitive ("joao" finds "João"), in one model/view table that stays fast with
thousands of patients: it reads them a batch at a time as the list scrolls (Qt's
fetchMore), and all of them only when another order or the last row is asked for.
Double-click or Enter opens the patient page."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core import clinic
from ...core.ptbr import format_date
from ..common.column_widths import STRETCH_SAMPLE, keep_wide
from ..common.table_model import Column, RowTableModel, make_table
from ..common.widgets import PageHeader, icon, label

SEARCH_DELAY_MS = 150  # typing pauses this long before the list is filtered
BATCH = 256  # patients read at a time: several screenfuls, a fraction of a large clinic


# The list's rows are the core's `clinic.PatientListing` as read (a clinic has thousands);
# the CPF is formatted when a row is painted, not for every patient at each reload.
PatientRow = clinic.PatientListing


def _cpf(row: PatientRow) -> str:
    return clinic.format_cpf(row.cpf) if row.cpf else ""


def patient_columns() -> list[Column[PatientRow]]:
    return [
        Column(
            "Nome",
            lambda r: r.name if r.active else f"{r.name} (inativo)",
            # The stored search text starts with the folded name: "Álvaro" with the A's.
            sort_key=lambda r: (r.search_text, r.id),
            color=lambda r: None if r.active else "#8a8f98",
        ),
        Column("Telefone", lambda r: r.phone),
        Column("CPF", _cpf, sort_key=lambda r: r.cpf),
        Column(
            "Data de nascimento",
            lambda r: format_date(r.birth_date, blank=""),
            sort_key=lambda r: r.birth_date or date.min,
        ),
        Column("Responsável", lambda r: r.guardian, sort_key=lambda r: clinic.fold(r.guardian)),
    ]


class PatientsModel(RowTableModel[PatientRow]):
    """The listed patients, read from the core a batch at a time: the view asks for the
    next one (`fetchMore`) when it scrolls to the last row read. `total` is how many the
    search finds, counted when the first batch is full. Sorting by anything but the
    core's order (the name, A to Z) first reads the rest."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(patient_columns(), parent=parent)
        self.total = 0
        self._search: tuple[str, bool] = ("", False)
        self._complete = True  # every patient the search finds is read

    def load(self, query: str, *, include_inactive: bool) -> None:
        """Read the first batch of this search; again the same search (a refresh) reads
        at least as many as were read, so the rows the user scrolled to stay."""
        search = (query, include_inactive)
        wanted = max(BATCH, len(self._rows)) if search == self._search else BATCH
        rows = clinic.list_patients(query, include_inactive=include_inactive, limit=wanted)
        self._search = search
        self._complete = len(rows) < wanted
        self.total = (
            len(rows)
            if self._complete
            else clinic.count_patients(query, include_inactive=include_inactive)
        )
        self.set_rows(rows)

    def fetch_all(self) -> None:
        """Read every patient of the search not read yet."""
        self._read_more(None)

    # -- QAbstractItemModel's incremental reading -----------------------------------------
    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._complete

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._read_more(BATCH)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if (column, order) == (0, Qt.SortOrder.AscendingOrder) and not self._complete:
            # The core's order, and nothing sorted since it was read (another order reads
            # every patient first): the batches still to come follow the last row.
            return
        self.fetch_all()
        super().sort(column, order)  # moves nothing when the rows are already in order

    def _read_more(self, limit: int | None) -> None:
        if self._complete or not self._rows:
            return
        query, include_inactive = self._search
        rows = clinic.list_patients(
            query, include_inactive=include_inactive, after=self._rows[-1], limit=limit
        )
        if limit is None or len(rows) < limit:
            self._complete = True
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        # Another PC may have added or removed a patient since the count.
        self.total = len(self._rows) if self._complete else max(self.total, len(self._rows))


class _SearchEdit(QLineEdit):
    """The search field: Down moves into the table, Enter opens the highlighted patient."""

    down_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)


class _PatientsTable(QTableView):
    """Enter opens the highlighted patient (double-click does too); End (Ctrl+End) goes
    to the last patient, read first if it is not yet."""

    enter_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enter_pressed.emit()
            return
        super().keyPressEvent(event)

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        if cursorAction == QAbstractItemView.CursorAction.MoveEnd:
            self.model().fetch_all()  # the page's PatientsModel
        return super().moveCursor(cursorAction, modifiers)


class PatientsListPage(QWidget):
    """Emits `patient_opened(id)` when the user opens a patient (double-click, Enter, or
    after creating one)."""

    patient_opened = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("page")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 24)
        layout.setSpacing(14)

        self.header = PageHeader(self.tr("Pacientes"), parent=self)
        self.new_button = QPushButton(icon("plus"), self.tr("Novo paciente"))
        self.new_button.setProperty("primary", True)
        self.new_button.setToolTip(self.tr("Cadastrar um novo paciente"))
        self.new_button.clicked.connect(self.new_patient)
        self.header.actions.addWidget(self.new_button)
        layout.addWidget(self.header)

        bar = QHBoxLayout()
        bar.setSpacing(12)
        self.search = _SearchEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("Buscar por nome, telefone ou CPF  (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setAccessibleName(self.tr("Buscar paciente"))
        bar.addWidget(self.search, 1)
        self.show_inactive = QCheckBox(self.tr("Mostrar inativos"))
        bar.addWidget(self.show_inactive)
        layout.addLayout(bar)

        self.model = PatientsModel(self)
        self.table = make_table(self.model, view=_PatientsTable(self))
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        for column, width in ((1, 170), (2, 150), (3, 190), (4, 240)):
            header.resizeSection(column, width)
        # The name takes what the others leave, and stays readable on a 1024×600 screen.
        keep_wide(self.table, 0, STRETCH_SAMPLE)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setAccessibleName(self.tr("Lista de pacientes"))
        layout.addWidget(self.table, 1)

        self.empty = label("", "muted", wrap=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setVisible(False)
        layout.addWidget(self.empty)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self._open_from_search)
        self.search.down_pressed.connect(self._focus_table)
        self.show_inactive.toggled.connect(lambda _on: self.apply_search())
        # Mouse: double-click; keyboard: Enter on the highlighted row.
        self.table.doubleClicked.connect(self._open_index)
        self.table.enter_pressed.connect(lambda: self._open_index(self.table.currentIndex()))
        self.refresh()

    # -- the page's contract with the main window -----------------------------------------
    def refresh(self) -> None:
        """Reload from the database, keeping the search text and the selected patient."""
        self.apply_search()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # -- searching --------------------------------------------------------------------------
    def apply_search(self) -> None:
        """Filter the list now with the search text (the core folds case and accents)."""
        self._timer.stop()
        selected = self.selected_patient_id()
        query = self.search.text()
        self.model.load(query, include_inactive=self.show_inactive.isChecked())
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        count = self.model.total
        if query.strip():
            self.header.set_subtitle(
                (
                    self.tr("1 paciente encontrado")
                    if count == 1
                    else self.tr("{0} pacientes encontrados").format(count)
                )
                if count
                else self.tr("Nenhum paciente encontrado")
            )
        else:
            self.header.set_subtitle(
                self.tr("1 paciente cadastrado")
                if count == 1
                else self.tr("{0} pacientes cadastrados").format(count)
            )
        self.empty.setVisible(count == 0)
        self.empty.setText(
            self.tr("Nenhum paciente encontrado para “{0}”.").format(query.strip())
            if query.strip()
            else self.tr("Nenhum paciente cadastrado. Clique em “Novo paciente” para começar.")
        )
        # The patient selected before, if the search still lists them among the rows read.
        self.select_patient(selected, read_more=False)

    def rows(self) -> list[PatientRow]:
        """The rows read so far (all of them after `model.fetch_all()`)."""
        return self.model.rows()

    # -- selection and opening --------------------------------------------------------------
    def selected_patient_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(index).id

    def select_patient(self, patient_id: int | None, *, read_more: bool = True) -> None:
        """Highlight the patient's row (the first row when absent), reading the rest of
        the list (`read_more`) if it is not among the rows read."""
        position = 0 if patient_id is None else self._position_of(patient_id)
        if position is None and read_more and self.model.canFetchMore():
            self.model.fetch_all()
            position = self._position_of(patient_id)
        if not self.model.rowCount():
            return
        index = self.model.index(position or 0, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _position_of(self, patient_id: int) -> int | None:
        return next((i for i, r in enumerate(self.model.rows()) if r.id == patient_id), None)

    def _focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.select_patient(None)

    def _open_from_search(self) -> None:
        if self._timer.isActive():
            self.apply_search()
        patient_id = self.selected_patient_id()
        if patient_id is not None:
            self.patient_opened.emit(patient_id)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.patient_opened.emit(self.model.row_at(index).id)

    # -- actions ----------------------------------------------------------------------------
    def new_patient(self) -> None:
        from .form import PatientFormDialog  # the form loads when first needed

        patient_id = PatientFormDialog.ask(self)
        if patient_id is None:
            return
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.apply_search()
        self.select_patient(patient_id)
        self.patient_opened.emit(patient_id)
