"""Column widths from sample texts, for tables that can grow.

`QHeaderView.ResizeToContents` (or `resizeColumnToContents`) measures every cell of a
column, asking the model for each one: a package history of 500 lines took seconds to
open that way. A sample of the widest value a column can hold gives the same width at
once, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView

CELL_PADDING = 30  # the stylesheet's item padding, the grid line and some air

Sample = str | Iterable[str] | None


def size_columns(table: QTableView, samples: Sequence[Sample]) -> None:
    """Fit each column to its header (every line of it, in bold) and to the widest of its
    sample texts; a column whose sample is None takes the remaining width."""
    metrics = table.fontMetrics()
    bold = QFont(table.font())
    bold.setBold(True)
    header_metrics = QFontMetrics(bold)
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    model = table.model()
    for column, sample in enumerate(samples):
        if sample is None:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            continue
        texts = [sample] if isinstance(sample, str) else list(sample)
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        widest = max(
            [metrics.horizontalAdvance(text) for text in texts]
            + [header_metrics.horizontalAdvance(line) for line in title.splitlines()]
        )
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(column, widest + CELL_PADDING)


def two_lines(title: str, longest: int = 11) -> str:
    """A long header on two lines ("Saldo de\nSessões"), so number columns stay narrow."""
    if len(title) <= longest or " " not in title:
        return title
    head, tail = title.rsplit(" ", 1)
    return f"{head}\n{tail}"
