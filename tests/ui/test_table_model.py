"""The shared table model: presents dataclass rows, sorts, keeps the selection on its row."""

from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QTableView

from r3izzy_desktop.ui.table_model import RIGHT, ROW_ROLE, Column, RowTableModel


@dataclass(frozen=True)
class Row:
    name: str
    amount: int


COLUMNS = [
    Column("Nome", lambda r: r.name),
    Column("Valor", lambda r: str(r.amount), RIGHT, sort_key=lambda r: r.amount),
]


def test_model_presents_rows_and_passes_the_model_tester(qtmodeltester):
    model = RowTableModel(COLUMNS, [Row("Bia", 30), Row("Ana", 5)])
    qtmodeltester.check(model)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Valor"
    assert model.data(model.index(0, 1)) == "30"
    assert model.data(model.index(0, 1), Qt.ItemDataRole.TextAlignmentRole) == int(RIGHT)
    assert model.data(model.index(1, 0), ROW_ROLE) == Row("Ana", 5)


def test_sorting_keeps_the_selected_row_selected(qtbot):
    rows = [Row("Carla", 10), Row("Ana", 300), Row("Bia", 20)]
    model = RowTableModel(COLUMNS, rows)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.selectionModel().select(
        model.index(1, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    model.sort(1, Qt.SortOrder.AscendingOrder)  # by amount, numerically: 10, 20, 300
    assert [r.name for r in model.rows()] == ["Carla", "Bia", "Ana"]
    selected = view.selectionModel().selectedRows()
    assert [model.row_at(i).name for i in selected] == ["Ana"]
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert [r.name for r in model.rows()] == ["Carla", "Bia", "Ana"]
    assert [model.row_at(i).name for i in view.selectionModel().selectedRows()] == ["Ana"]
