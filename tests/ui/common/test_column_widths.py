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
