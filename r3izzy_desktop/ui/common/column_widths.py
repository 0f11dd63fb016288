"""Column widths from sample texts, for tables that can grow.

`QHeaderView.ResizeToContents` (or `resizeColumnToContents`) measures every cell of a
column, asking the model for each one: a package history of 500 lines took seconds to
open that way. A sample of the widest value a column can hold gives the same width at
once, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView

CELL_PADDING = 30  # the stylesheet's item padding, the grid line and some air
# What `keep_wide` keeps a name column wide enough for.
STRETCH_SAMPLE = "Valentina Pereira Carvalho"
# And a service column (one service named whole; a list of them is elided).
SERVICE_SAMPLE = "Terapia Ocupacional"

Sample = str | Iterable[str] | None


def size_columns(table: QTableView, samples: Sequence[Sample]) -> None:
    """Fit each column to its header (every line of it, in bold) and to the widest of its
    sample texts; a column whose sample is None takes the remaining width (`keep_wide`
    keeps one readable on a narrow screen, where a table may scroll sideways)."""
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


def keep_wide(table: QTableView, column: int, sample: str) -> None:
    """Let `column` take the width the other columns leave (Stretch), but never less than
    `sample` needs: on a narrow screen (1024×600) a stretched column would shrink to a
    sliver; it keeps that width then, and the table scrolls sideways instead. Columns of
    one table kept wide share the width left evenly, or all keep their least."""
    least = table.fontMetrics().horizontalAdvance(sample) + CELL_PADDING
    fitter = table.findChild(_WideEnough, options=Qt.FindChildOption.FindDirectChildrenOnly)
    if fitter is None:
        fitter = _WideEnough(table)
    fitter.keep(column, least)


class _WideEnough(QObject):
    """The columns of one table kept wide (`keep_wide`), fitted together whenever the table
    changes width or another column does (its contents, the user dragging it).

    Watches the horizontal header, which the table keeps as wide as its viewport. Not
    the viewport itself: the first time Python is handed a widget Qt made, PySide looks
    through every widget class for its type (about 6 ms at start-up, for Pacientes)."""

    def __init__(self, table: QTableView):
        super().__init__(table)  # dies with the table
        self._header = table.horizontalHeader()
        self._least: dict[int, int] = {}
        self._fitting = False
        self._header.installEventFilter(self)
        self._header.sectionResized.connect(self._resized)

    def keep(self, column: int, least: int) -> None:
        self._least[column] = least
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _resized(self, column: int, _old: int, _new: int) -> None:
        if column not in self._least and not self._fitting:
            self.fit()

    def fit(self) -> None:
        self._fitting = True
        try:
            self._fit()
        finally:
            self._fitting = False

    def _fit(self) -> None:
        header = self._header
        kept = [c for c in self._least if not header.isSectionHidden(c)]
        others = sum(
            header.sectionSize(column)
            for column in range(header.count())
            if column not in self._least and not header.isSectionHidden(column)
        )
        left = header.width() - others
        if kept and left // len(kept) >= max(self._least[c] for c in kept):
            for column in kept:  # room for all: they share it (Qt splits it evenly)
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            return
        spare = max(0, left - sum(self._least[c] for c in kept))
        for column in kept:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            # Any width over their least (when the least differ) to the last one.
            extra = spare if column == kept[-1] else 0
            header.resizeSection(column, self._least[column] + extra)


def two_lines(title: str, longest: int = 11) -> str:
    """A long header on two lines ("Saldo de\nSessões"), so number columns stay narrow."""
    if len(title) <= longest or " " not in title:
        return title
    head, tail = title.rsplit(" ", 1)
    return f"{head}\n{tail}"
