"""Column widths from samples (ui/common/column_widths.py): a column kept wide takes the
remaining width and stays readable on a narrow screen."""

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QTableView

from r3izzy_desktop.ui.common.column_widths import STRETCH_SAMPLE, keep_wide, size_columns


def test_columns_kept_wide_never_shrink_below_a_name(qtbot):
    # On a 1024×600 screen a table is narrower than its sized columns: the stretched ones
    # (a patient, a payer) shrank to 30 px slivers; now the table scrolls sideways.
    model = QStandardItemModel(3, 4)
    model.setHorizontalHeaderLabels(["Aviso", "Paciente", "Pagador", "Telefone"])
    table = QTableView()
    table.setModel(model)
    qtbot.addWidget(table)
    size_columns(table, ["vencido (99 sessões)" * 3, None, None, "(00) 00000-0000" * 2])
    keep_wide(table, 1, STRETCH_SAMPLE)
    keep_wide(table, 2, STRETCH_SAMPLE)
    least = table.fontMetrics().horizontalAdvance(STRETCH_SAMPLE)
    table.show()
    table.resize(600, 300)
    qtbot.waitUntil(lambda: table.viewport().width() < 600)
    qtbot.wait(20)
    assert table.columnWidth(1) >= least and table.columnWidth(2) >= least
    table.resize(2400, 300)  # room for all: the two share what the others leave
    qtbot.waitUntil(lambda: table.columnWidth(1) > least + 100)
    qtbot.wait(20)
    widths = [table.columnWidth(column) for column in range(4)]
    assert sum(widths) == table.viewport().width()
    assert abs(widths[1] - widths[2]) <= 1


def _kept_table(qtbot, widths=(200, 150)) -> QTableView:
    """Aviso, Paciente (kept wide), Pagador (kept wide), Telefone."""
    model = QStandardItemModel(3, 4)
    model.setHorizontalHeaderLabels(["Aviso", "Paciente", "Pagador", "Telefone"])
    table = QTableView()
    table.setModel(model)
    qtbot.addWidget(table)
    table.setColumnWidth(0, widths[0])
    table.setColumnWidth(3, widths[1])
    keep_wide(table, 1, STRETCH_SAMPLE)
    keep_wide(table, 2, STRETCH_SAMPLE)
    table.show()
    return table


def _resized(qtbot, table: QTableView, width: int) -> None:
    table.resize(width, 300)
    qtbot.waitUntil(lambda: table.viewport().width() < width)
    qtbot.wait(20)


def test_columns_kept_wide_share_evenly_after_the_window_narrows(qtbot):
    # From wide to a little narrower, but with room for both: the first column fitted
    # saw the other at its old, wider width and kept only its least (215 px); the second
    # took all the rest (415).
    table = _kept_table(qtbot)
    least = table.fontMetrics().horizontalAdvance(STRETCH_SAMPLE) + 30
    _resized(qtbot, table, 1600)
    room = 2 * least + 200
    _resized(qtbot, table, 200 + 150 + room + (table.width() - table.viewport().width()))
    assert table.viewport().width() == 350 + room
    assert abs(table.columnWidth(1) - table.columnWidth(2)) <= 1
    assert table.columnWidth(1) > least + 90


def test_a_column_kept_wide_makes_room_when_another_grows(qtbot):
    # A column sized again (its contents, the user dragging it) without the table
    # changing width: the stretched one shrank under its least until the next resize.
    table = _kept_table(qtbot)
    least = table.fontMetrics().horizontalAdvance(STRETCH_SAMPLE) + 30
    _resized(qtbot, table, 1000)
    assert table.columnWidth(1) > least
    table.setColumnWidth(0, 600)
    qtbot.wait(20)
    assert table.columnWidth(1) >= least and table.columnWidth(2) >= least
