"""How a workbook's sheet prints: A4, landscape when the table is wide, scaled to one page
wide and as many pages tall as the rows need, the header row repeated on every page, the
title and export time in the page header and "página N de M" in the footer.

`apply_page_setup` is called by `export.SheetWriter` for every sheet it writes, so every
workbook of the app prints well by construction. A sheet written some other way calls it
itself, before its first row is appended (see the write-only note below).

Write-only mode (openpyxl streams a sheet as its rows are appended) writes the sheet's
properties — where "fit to page" lives (`sheetPr/pageSetUpPr`) — when the first row is
appended, and the margins, the page setup and the header/footer when the sheet is
closed; the print titles are a defined name of the workbook (`_xlnm.Print_Titles`, one
per sheet, `localSheetId`), written with the workbook. Setting everything here, before
any row, is therefore right for all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

A4 = 9  # the paperSize code of A4 in SpreadsheetML
# A table wider than this (in Excel's column-width characters) prints landscape: an A4
# page in portrait holds about 95 characters of 11-point Calibri inside our margins.
PORTRAIT_MAX_WIDTH = 95
# Excel refuses a header or footer longer than 255 characters, codes included: the title
# and the stamp are each cut well below half of it.
TITLE_MAX = 110
# Margins in inches, as SpreadsheetML stores them: narrow sides, room for header/footer.
MARGINS = PageMargins(left=0.4, right=0.4, top=0.75, bottom=0.7, header=0.3, footer=0.3)
FOOTER = "página &P de &N"  # &P the page, &N the number of pages


@dataclass(frozen=True)
class PageSetup:
    """What a sheet's pages say: `title` (page header, left, bold), `stamp` (page header,
    right: "Exportado em 03/07/2025 14:30"), and `landscape` (None: decided from the
    table's width)."""

    title: str
    stamp: str
    landscape: bool | None = None


def is_wide(widths: Sequence[float]) -> bool:
    """True when columns of these widths (Excel characters) need a landscape page."""
    return sum(widths) > PORTRAIT_MAX_WIDTH


def header_text(text: str) -> str:
    """Plain text as a header/footer part shows it: "&" doubled (a lone "&" starts a
    code), line breaks as spaces, control characters removed, cut with "…" to at most
    TITLE_MAX characters written."""
    pieces: list[str] = []
    used = 0
    for char in " ".join(ILLEGAL_CHARACTERS_RE.sub("", str(text)).split()):
        piece = "&&" if char == "&" else char
        if used + len(piece) > TITLE_MAX - 1:
            pieces.append("…")
            break
        pieces.append(piece)
        used += len(piece)
    return "".join(pieces)


def apply_page_setup(
    sheet, setup: PageSetup, *, widths: Sequence[float], header_row: int | None
) -> None:
    """Give `sheet` (write-only or not, before its first row) the app's page setup;
    `widths` are its columns' widths, `header_row` the row to repeat on every page
    (1-based; None repeats nothing)."""
    landscape = is_wide(widths) if setup.landscape is None else setup.landscape
    page = sheet.page_setup
    page.paperSize = A4
    page.orientation = "landscape" if landscape else "portrait"
    page.fitToWidth = 1
    page.fitToHeight = 0  # 0: as many pages tall as needed
    # "Fit to" is a sheet property; without it the two numbers above are ignored.
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PageMargins(
        left=MARGINS.left,
        right=MARGINS.right,
        top=MARGINS.top,
        bottom=MARGINS.bottom,
        header=MARGINS.header,
        footer=MARGINS.footer,
    )
    if header_row is not None:
        sheet.print_title_rows = f"{header_row}:{header_row}"
    header = sheet.oddHeader
    header.left.text = "&B" + header_text(setup.title)
    header.left.size = 10
    header.right.text = header_text(setup.stamp)
    header.right.size = 9
    footer = sheet.oddFooter
    footer.center.text = FOOTER
    footer.center.size = 9
