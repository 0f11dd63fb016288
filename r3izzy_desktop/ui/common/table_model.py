"""One Qt table model for the core's frozen dataclass rows, and the read-only table
view every screen shows it in.

A screen describes its columns (title, how to show a row, alignment, sort key) and the
model only presents the rows; it never queries the database itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, NamedTuple, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QTableView

from .column_widths import two_lines

Row = TypeVar("Row")

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter

ROW_HEIGHT = 34  # every read-only table's rows, unless its cells hold buttons
ROW_PADDING = 14  # at least this around a row's line of text

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row object itself
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # the value sorting compares

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_SERVED_ROLES = frozenset(
    {
        _DISPLAY,
        _ALIGNMENT,
        _FOREGROUND,
        int(Qt.ItemDataRole.ToolTipRole),
        int(ROW_ROLE),
        int(SORT_ROLE),
    }
)


class Column(NamedTuple, Generic[Row]):
    title: str
    text: Callable[[Row], str]
    align: Qt.AlignmentFlag = LEFT
    sort_key: Callable[[Row], Any] | None = None
    color: Callable[[Row], str | None] | None = None  # text colour, "#rrggbb"
    tooltip: Callable[[Row], str] | None = None


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """Rows are immutable dataclasses; `set_rows` replaces them all."""

    def __init__(self, columns: Sequence[Column[Row]], rows: Sequence[Row] = (), parent=None):
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Row] = list(rows)

    # -- data access for the screens ------------------------------------------------------
    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, index: QModelIndex | int) -> Row:
        position = index if isinstance(index, int) else index.row()
        return self._rows[position]

    def column_titles(self) -> list[str]:
        return [column.title for column in self._columns]

    # -- QAbstractTableModel --------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ):
        # Views ask for a dozen roles per painted cell, and a table sized to its contents
        # asks for every cell: roles no column uses are answered before touching the index.
        if role not in _SERVED_ROLES:
            return None
        position = index.row()
        if not 0 <= position < len(self._rows):
            return None  # also an invalid index (row -1)
        column_index = index.column()
        if not 0 <= column_index < len(self._columns):
            return None
        row = self._rows[position]
        column = self._columns[column_index]
        if role == _DISPLAY:
            return column.text(row)
        if role == _ALIGNMENT:
            return int(column.align)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return (column.sort_key or column.text)(row)
        if role == _FOREGROUND:
            if column.color is None:
                return None
            color = column.color(row)
            return QBrush(QColor(color)) if color else None
        if column.tooltip is not None:  # the tooltip role: the only one left
            return column.tooltip(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self._columns[section].align)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows; selections and current items move with their rows."""
        if not 0 <= column < len(self._columns):
            return
        spec = self._columns[column]
        key = spec.sort_key or spec.text
        keys = [key(row) for row in self._rows]
        order_of = sorted(
            range(len(keys)),
            key=keys.__getitem__,
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        if order_of == list(range(len(keys))):
            return  # already in this order (as the core read them): nothing moves
        self.layoutAboutToBeChanged.emit()
        new_position = {old: new for new, old in enumerate(order_of)}
        self._rows = [self._rows[i] for i in order_of]
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent,
            [self.index(new_position[i.row()], i.column()) for i in persistent],
        )
        self.layoutChanged.emit()


class WrappedHeaderModel(RowTableModel):
    """Long headers on two lines ("Saldo de\nSessões"), so number columns stay narrow;
    the `wide` columns (those that stretch) keep theirs on one line."""

    def __init__(
        self,
        columns: Sequence[Column[Row]],
        rows: Sequence[Row] = (),
        parent=None,
        *,
        wide: Sequence[int] = (),
    ):
        super().__init__(columns, rows, parent)
        self._wide = frozenset(wide)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        value = super().headerData(section, orientation, role)
        wrap = role == Qt.ItemDataRole.DisplayRole and section not in self._wide
        if wrap and isinstance(value, str):
            return two_lines(value)
        return value


def make_table(
    model: RowTableModel,
    name: str = "",
    *,
    view: QTableView | None = None,
    selection: QAbstractItemView.SelectionMode = QAbstractItemView.SelectionMode.SingleSelection,
    row_height: int = ROW_HEIGHT,
) -> QTableView:
    """A read-only table of `model`: whole rows selected (`selection`: one at a time by
    default), alternating colours, no grid, no word wrap (a long text is elided), no row
    numbers. `view`: a QTableView (subclass) to set up instead of a new one."""
    table = view if view is not None else QTableView()
    if name:
        table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    # Never shorter than a line of its font with room around it (a larger system font).
    table.verticalHeader().setDefaultSectionSize(
        max(row_height, table.fontMetrics().height() + ROW_PADDING)
    )
    table.horizontalHeader().setHighlightSections(False)
    return table
