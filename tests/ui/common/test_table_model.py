"""The shared table model: presents dataclass rows, sorts, keeps the selection on its row;
the read-only table every screen shows it in; headers on two lines."""

from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

from r3izzy_desktop.ui.common.table_model import (
    RIGHT,
    ROW_HEIGHT,
    ROW_ROLE,
    Column,
    RowTableModel,
    WrappedHeaderModel,
    make_table,
)


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


def test_rows_already_in_the_order_asked_are_left_as_they_are(qtbot):
    # The patients come from the core sorted as the view shows them: no re-layout at start.
    rows = [Row("Ana", 20), Row("Bia", 20), Row("Carla", 10)]
    model = RowTableModel(COLUMNS, rows)
    changes: list[str] = []
    model.layoutChanged.connect(lambda *_: changes.append("layout"))
    model.sort(0, Qt.SortOrder.AscendingOrder)
    model.sort(1, Qt.SortOrder.DescendingOrder)  # 20, 20, 10: equal amounts keep their order
    assert changes == [] and model.rows() == rows
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert changes == ["layout"]
    assert [r.name for r in model.rows()] == ["Carla", "Ana", "Bia"]  # stable: Ana before Bia


def test_make_table_is_read_only_whole_rows_without_grid(qtbot):
    model = RowTableModel(COLUMNS, [Row("Bia", 30)])
    table = make_table(model, "nomes")
    qtbot.addWidget(table)
    assert table.objectName() == "nomes" and table.model() is model
    assert table.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
    assert table.selectionMode() == QAbstractItemView.SelectionMode.SingleSelection
    assert table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert table.alternatingRowColors() and not table.showGrid() and not table.wordWrap()
    assert table.verticalHeader().isHidden()
    assert table.verticalHeader().defaultSectionSize() == ROW_HEIGHT
    assert not table.horizontalHeader().highlightSections()

    class Own(QTableView):
        pass

    many = make_table(
        model,
        view=Own(),
        selection=QAbstractItemView.SelectionMode.ExtendedSelection,
        row_height=42,
    )
    qtbot.addWidget(many)
    assert isinstance(many, Own)
    assert many.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection
    assert many.verticalHeader().defaultSectionSize() == 42


def test_long_headers_on_two_lines_except_the_wide_columns(qtmodeltester):
    columns = [
        Column("Observação do pacote", lambda r: r.name),
        Column("Saldo de Sessões", lambda r: str(r.amount), RIGHT),
        Column("Valor", lambda r: str(r.amount), RIGHT),
    ]
    model = WrappedHeaderModel(columns, [Row("Bia", 30)], wide=(0,))
    qtmodeltester.check(model)
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)]
    assert titles == ["Observação do pacote", "Saldo de\nSessões", "Valor"]
    assert model.column_titles() == ["Observação do pacote", "Saldo de Sessões", "Valor"]
