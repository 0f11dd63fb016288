"""Long lists open quickly and still show everything whole: the history of a package with
hundreds of lines sizes its columns from samples (never by reading every row), yet every
cell but the stretching Observação fits its column."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView

from r3izzy_desktop.core import agenda, packages
from r3izzy_desktop.ui.common.column_widths import CELL_PADDING
from r3izzy_desktop.ui.packages.history import OBSERVATION_SAMPLE, HistoryDialog


def test_a_long_history_fits_without_measuring_every_row(qtbot, patient, service):
    sessions = agenda.schedule_weekly(
        patient, service, datetime(2025, 1, 6, 9), weekdays=[0, 2, 4], weeks=40
    )
    pkg = packages.create_package(patient, 120, Decimal("30000.00"))
    packages.pay_sessions(pkg, sessions, accept_price_adjustment=True)
    packages.edit_package(pkg, notes="renovado")

    dialog = HistoryDialog(pkg.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table, model = dialog.table, dialog.model
    assert model.rowCount() == 122  # criado, 120 debits, alterado manualmente
    header = table.horizontalHeader()
    modes = [header.sectionResizeMode(c) for c in range(model.columnCount())]
    assert QHeaderView.ResizeMode.ResizeToContents not in modes
    metrics = table.fontMetrics()
    # Observação takes the width left, never less than a note (this 800 px screen: more).
    assert table.columnWidth(4) >= metrics.horizontalAdvance(OBSERVATION_SAMPLE)
    for column in range(model.columnCount()):
        if column == 4:
            continue
        widest = max(
            metrics.horizontalAdvance(model.index(row, column).data() or "")
            for row in range(model.rowCount())
        )
        assert table.columnWidth(column) >= widest + CELL_PADDING // 2, model.headerData(
            column, Qt.Orientation.Horizontal
        )
