"""A table as printed pages: the columns and rows a screen shows, laid out on A4 and
painted on any paint device — a printer, a PDF, or an image (the preview).

What is printed: on every page a header (the title on the left, "Impresso em …" on the
right), the table's header row, its rows, and "página N de M" at the foot; on the first
page the title again, large, and the details (a report's filters); after the last row
the totals row. Columns are as wide as their widest text (header, cells, totals); the
`wide` ones take the room left over. A table wider than the page prints smaller, as a
spreadsheet fits to the page's width (down to 75%); if that is not enough, the wide
columns give up room, then every column, and a text that no longer fits is cut with "…".
Text colours are the screen's (a column's `color`), rows alternate a light shade as on
screen.

How a screen prints a table (the Relatório de Pacotes does; the credit roll-forward will
do the same): build a `PrintTable` from the same `table_model.Column`s and rows its
table shows (and its totals columns and row), then
`print_preview.open_print_preview(parent, table)`: the preview lays the pages out off
the UI thread and offers "Imprimir…" and "Salvar PDF…", both in the background too.
For example (ui/finance/report_window.py `report_print_table` is the real one):

    table = PrintTable(
        title=self.tr("Movimento do crédito"),
        columns=rollforward_columns(),          # the screen's table_model.Columns
        rows=self.model.rows(),                 # in the order shown
        details=[("Período", "01/01/2026 a 31/01/2026")],
        wide=(0,),                              # the column that takes the room left
        totals_columns=rollforward_totals_columns(),
        totals=report.totals,
    )
    open_print_preview(self, table, file_name="movimento-do-credito-2026-01.pdf")

This module lays the pages out (`lay_out` -> `PrintLayout`); table_paint.py paints them.

Threads: laying out and painting (table_paint.py) use only QFont, QFontMetricsF and
QPainter on a QImage, QPrinter or QPdfWriter, which Qt allows outside the UI thread (one
thread at a time per device). Everything is measured in points (1/72 inch) with the
metrics of a 1200-dpi device and unhinted fonts, so the pages are the same on every
device; painting scales to the device's resolution.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
)

from ...core import clock
from .column_widths import two_lines
from .table_model import Column

Progress = Callable[[int, int], None]

MARGINS_MM = QMarginsF(12, 10, 12, 10)  # left, top, right, bottom
MEASURE_DPI = 1200  # the resolution text is measured at (see the module docstring)
BODY_PT, TITLE_PT, DETAIL_PT, PAGE_HEADER_PT, FOOTER_PT = 8.5, 14.0, 9.0, 8.5, 8.0
ROW_PT = 13.0  # a row's height
PAD_PT = 4.0  # room left and right of a cell's text
MIN_SCALE = 0.75  # a table too wide for the page prints smaller, down to this
WIDE_SHARE = 0.2  # of the page's width: what a wide column keeps when room is short
PAGE_HEADER_H, FOOTER_H, GAP = 16.0, 14.0, 8.0
PROGRESS_EVERY = 1000  # rows laid out between two progress reports
FIT_TOLERANCE = 0.01  # points: a column as wide as its text, after float arithmetic


@dataclass(frozen=True)
class PrintTable:
    """What to print. `columns` and `rows` as the screen's table has them (title, text,
    alignment, colour); `details` lines of (name, value) under the title on the first
    page (a report's filters); `wide` the columns that take the room left (their header
    stays on one line; the others' long headers go on two, as WrappedHeaderModel does);
    `totals_columns` and `totals`, the totals row."""

    title: str
    columns: Sequence[Column]
    rows: Sequence[Any]
    details: Sequence[tuple[str, str]] = ()
    wide: Sequence[int] = ()
    totals_columns: Sequence[Column] | None = None
    totals: Any = None
    landscape: bool = True
    printed_at: datetime = field(default_factory=clock.now)
    font: QFont = field(default_factory=QFont)  # the family; sizes are set here


def page_layout(landscape: bool = True) -> QPageLayout:
    """A4 with the margins of every printed table."""
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), orientation, MARGINS_MM, QPageLayout.Unit.Millimeter
    )


@dataclass
class PrintLayout:
    """The laid-out pages, in points: the paper, its paint rect (inside the margins, where
    the device's painter starts), the columns' x and widths, every cell's text as printed
    and the rows of each page (`pages`: (first, end) row indexes; the totals row follows
    the last page's rows)."""

    table: PrintTable
    paper: QRectF  # the whole sheet
    paint: QRectF  # inside the margins, in paper coordinates
    left: list[float]
    widths: list[float]
    aligns: list[int]
    header: list[str]
    header_height: float
    row_height: float
    pad: float  # room left and right of a cell's text
    cells: list[tuple[str, ...]]
    colors: list[tuple[str | None, ...]] | None
    totals: list[str] | None
    pages: list[tuple[int, int]]
    first_page_top: float  # where the table starts on page 1 (below the details)
    title_height: float
    detail_height: float
    detail_offsets: list[float]  # where each detail's value starts (after its name)
    fonts: dict[str, QFont]

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def matches(self, layout: QPageLayout) -> bool:
        """True when this layout was made for a page of that size and margins."""
        return layout.paintRect(QPageLayout.Unit.Point) == self.paint and (
            layout.fullRect(QPageLayout.Unit.Point) == self.paper
        )


def _fonts(base: QFont, scale: float = 1.0) -> dict[str, QFont]:
    """The fonts of a printed table; the table's own (body, bold) at `scale`."""

    def sized(points: float, bold: bool = False) -> QFont:
        font = QFont(base)
        font.setPointSizeF(points)
        font.setBold(bold)
        # Unhinted, so widths scale exactly from the measuring device to any other.
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        return font

    return {
        "body": sized(BODY_PT * scale),
        "bold": sized(BODY_PT * scale, True),
        "title": sized(TITLE_PT, True),
        "detail": sized(DETAIL_PT),
        "detail_name": sized(DETAIL_PT, True),
        "page_title": sized(PAGE_HEADER_PT, True),
        "page_note": sized(FOOTER_PT),
    }


class _Measure:
    """Text widths in points, measured on a 1200-dpi image; repeated texts measured once."""

    def __init__(self, font: QFont):
        self._device = QImage(1, 1, QImage.Format.Format_RGB32)
        dots_per_meter = round(MEASURE_DPI / 0.0254)
        self._device.setDotsPerMeterX(dots_per_meter)
        self._device.setDotsPerMeterY(dots_per_meter)
        self.metrics = QFontMetricsF(font, self._device)
        self._scale = 72 / self._device.logicalDpiX()
        self._widths: dict[str, float] = {}

    def width(self, text: str) -> float:
        width = self._widths.get(text)
        if width is None:
            width = self._widths[text] = self.metrics.horizontalAdvance(text) * self._scale
        return width

    def line_height(self) -> float:
        return self.metrics.height() * self._scale

    def elide(self, text: str, points: float) -> str:
        if self.width(text) <= points + FIT_TOLERANCE:
            return text
        return self.metrics.elidedText(text, Qt.TextElideMode.ElideRight, points / self._scale)


def _column_widths(
    natural: list[float], least: list[float], wide: set[int], room: float
) -> list[float]:
    """Each column its natural width, the wide ones sharing the room left over. When the
    natural widths do not fit, the wide ones give up room first, down to their `least`;
    then every column shrinks in proportion (texts are then cut)."""
    total = sum(natural)
    if total <= room:
        if not wide:
            return list(natural)
        extra = (room - total) / len(wide)
        return [width + extra if index in wide else width for index, width in enumerate(natural)]
    widths = list(natural)
    give = {index: max(0.0, natural[index] - least[index]) for index in wide}
    spare = sum(give.values())
    if spare:
        part = min(1.0, (total - room) / spare)
        for index, amount in give.items():
            widths[index] -= amount * part
    total = sum(widths)
    if total > room:
        widths = [width * room / total for width in widths]
    return widths


def lay_out(
    table: PrintTable, layout: QPageLayout, progress: Progress | None = None
) -> PrintLayout:
    """Lay `table` out on pages of `layout` (any thread; see the module docstring).
    `progress(done, total)` is called now and then; it may raise to stop."""
    fonts = _fonts(table.font)
    body, bold = _Measure(fonts["body"]), _Measure(fonts["bold"])  # at the full size
    columns = list(table.columns)
    wide = set(table.wide)
    header = [c.title if i in wide else two_lines(c.title) for i, c in enumerate(columns)]
    total = len(table.rows)
    # Rows as tuples of texts: the garbage collector stops tracking those, and a full
    # collection over tens of thousands of lists would stall the UI thread too.
    cells: list[tuple[str, ...]] = []
    has_colors = any(column.color is not None for column in columns)
    colors: list[tuple[str | None, ...]] | None = [] if has_colors else None
    natural = [max(bold.width(line) for line in title.splitlines()) for title in header]
    for done, row in enumerate(table.rows):
        texts = tuple(column.text(row) or "" for column in columns)
        cells.append(texts)
        for index, text in enumerate(texts):
            width = body.width(text)
            if width > natural[index]:
                natural[index] = width
        if colors is not None:
            colors.append(tuple(c.color(row) if c.color else None for c in columns))
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)
    totals = None
    if table.totals_columns is not None and table.totals is not None:
        totals = [column.text(table.totals) or "" for column in table.totals_columns]
        for index, text in enumerate(totals):
            natural[index] = max(natural[index], bold.width(text))
    paper = layout.fullRect(QPageLayout.Unit.Point)
    paint = layout.paintRect(QPageLayout.Unit.Point)
    # A table wider than the page is printed smaller, as a spreadsheet fits to the page's
    # width (never below MIN_SCALE); unhinted text scales exactly, so the widths measured
    # at full size are scaled rather than measured again.
    needed = sum(natural) + 2 * PAD_PT * len(natural)
    scale = 1.0 if needed <= paint.width() else max(MIN_SCALE, paint.width() / needed)
    if scale < 1.0:
        fonts = _fonts(table.font, scale)
    # What a wide column keeps when room is short: its header, and a fair share of the page.
    least = [
        max(max(bold.width(line) for line in title.splitlines()), WIDE_SHARE * paint.width())
        for title in header
    ]
    widths = _column_widths(
        [(width + 2 * PAD_PT) * scale for width in natural],
        [(width + 2 * PAD_PT) * scale for width in least],
        wide,
        paint.width(),
    )
    left = [sum(widths[:index]) for index in range(len(widths))]
    fits = [(width / scale) - 2 * PAD_PT for width in widths]  # at full size
    for position, texts in enumerate(cells):
        if any(body.width(text) > fits[i] + FIT_TOLERANCE for i, text in enumerate(texts)):
            cells[position] = tuple(body.elide(text, fits[i]) for i, text in enumerate(texts))
    if totals is not None:
        totals = [bold.elide(text, fits[i]) for i, text in enumerate(totals)]
    header = [
        "\n".join(bold.elide(line, fits[i]) for line in title.splitlines())
        for i, title in enumerate(header)
    ]
    lines = max(title.count("\n") + 1 for title in header) if header else 1
    header_height = (lines * bold.line_height() + 6) * scale
    row_height = ROW_PT * scale
    title_height = _Measure(fonts["title"]).line_height() + 4
    detail_height = _Measure(fonts["detail"]).line_height() + 2
    names = _Measure(fonts["detail_name"])
    detail_offsets = [names.width(f"{name}: ") for name, _value in table.details]
    first_top = PAGE_HEADER_H + GAP + title_height + len(table.details) * detail_height + GAP
    pages = _paginate(
        total, totals is not None, paint.height(), first_top, header_height, row_height
    )
    if progress is not None:
        progress(total, total)
    return PrintLayout(
        table=table,
        paper=paper,
        paint=paint,
        left=left,
        widths=widths,
        aligns=[int(column.align) for column in columns],
        header=header,
        header_height=header_height,
        row_height=row_height,
        pad=PAD_PT * scale,
        cells=cells,
        colors=colors,
        totals=totals,
        pages=pages,
        first_page_top=first_top,
        title_height=title_height,
        detail_height=detail_height,
        detail_offsets=detail_offsets,
        fonts=fonts,
    )


def _paginate(
    rows: int,
    with_totals: bool,
    height: float,
    first_top: float,
    header_height: float,
    row_height: float,
) -> list[tuple[int, int]]:
    """The rows of each page; the totals row needs a row's room after the last one."""
    bottom = height - FOOTER_H - GAP / 2
    first = max(1, math.floor((bottom - first_top - header_height) / row_height))
    other = max(1, math.floor((bottom - PAGE_HEADER_H - GAP - header_height) / row_height))
    pages: list[tuple[int, int]] = []
    start, room = 0, first
    while True:
        end = min(rows, start + room)
        pages.append((start, end))
        if end == rows:
            if with_totals and end - start == room:
                pages.append((rows, rows))  # the totals row alone on a page of its own
            return pages
        start, room = end, other
