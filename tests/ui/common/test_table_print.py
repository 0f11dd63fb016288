"""The table printer (ui/common/table_print.py, table_paint.py and print_preview's
printing): pages laid out from columns and rows, painted to PDF and to a printer, read
back with pypdf."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageRanges, QPageSize
from PySide6.QtPrintSupport import QPrinter

from r3izzy_desktop.core.errors import ExportCancelled
from r3izzy_desktop.ui.common import table_print
from r3izzy_desktop.ui.common.print_preview import print_table, save_table_pdf
from r3izzy_desktop.ui.common.table_model import LEFT, RIGHT, Column
from r3izzy_desktop.ui.common.table_paint import page_image
from r3izzy_desktop.ui.common.table_print import (
    BODY_PT,
    FOOTER_H,
    GAP,
    PrintTable,
    lay_out,
    page_layout,
)

A4_LANDSCAPE_PT = (841.89, 595.28)
AT = datetime(2025, 7, 3, 14, 30)


@dataclass(frozen=True)
class Line:
    name: str
    code: str
    amount: int


@dataclass(frozen=True)
class Sum:
    count: int
    amount: int


COLUMNS = [
    Column("Nome", lambda r: r.name, LEFT),
    Column("Código", lambda r: r.code, LEFT),
    Column("Sessões Restantes", lambda r: str(r.amount), RIGHT, color=lambda r: "#dc2626"),
]
TOTALS = [
    Column("Nome", lambda t: "Total", LEFT),
    Column("Código", lambda t: f"{t.count} linhas", LEFT),
    Column("Sessões Restantes", lambda t: str(t.amount), RIGHT),
]


def lines(count: int) -> list[Line]:
    return [Line(f"Paciente {i:05d}", f"C{i:07d}", i) for i in range(count)]


def table(rows, **kwargs) -> PrintTable:
    options = {
        "title": "Relatório de Teste",
        "columns": COLUMNS,
        "rows": rows,
        "details": [("Status", "todos"), ("Paciente", "Ana")],
        "wide": (0,),
        "totals_columns": TOTALS,
        "totals": Sum(len(rows), sum(r.amount for r in rows)),
        "printed_at": AT,
    }
    options.update(kwargs)
    return PrintTable(**options)


def capacity(layout, page: int) -> int:
    """How many rows fit on `page`: from where the rows start to above the footer."""
    top = layout.first_page_top if page == 0 else table_print.PAGE_HEADER_H + GAP
    room = layout.paint.height() - FOOTER_H - GAP / 2 - top - layout.header_height
    return int(room // layout.row_height)


def test_every_row_on_one_page_each_page_as_full_as_it_can_be(qapp):
    rows = lines(250)
    layout = lay_out(table(rows), page_layout())
    starts = [start for start, _end in layout.pages]
    ends = [end for _start, end in layout.pages]
    assert starts[0] == 0 and ends[-1] == len(rows) and starts[1:] == ends[:-1]
    sizes = [end - start for start, end in layout.pages]
    assert sizes[0] == capacity(layout, 0) < capacity(layout, 1)
    assert all(size == capacity(layout, 1) for size in sizes[1:-1])
    assert 0 < sizes[-1] < capacity(layout, 1)  # room left for the totals row
    assert layout.row_height == table_print.ROW_PT
    assert 30 <= capacity(layout, 1) <= 45  # A4 landscape at 13 points a row


def test_totals_alone_on_a_last_page_when_the_rows_fill_the_page(qapp):
    probe = lay_out(table(lines(1)), page_layout())
    full = capacity(probe, 0)
    layout = lay_out(table(lines(full)), page_layout())
    assert layout.pages == [(0, full), (full, full)]
    no_totals = lay_out(table(lines(full), totals_columns=None), page_layout())
    assert no_totals.pages == [(0, full)]


def test_columns_fit_the_page_and_the_wide_one_takes_the_room_left(qapp):
    layout = lay_out(table(lines(3)), page_layout())
    width = layout.paint.width()
    assert sum(layout.widths) == pytest.approx(width)
    assert layout.widths[0] > layout.widths[1] > 0
    assert layout.header == ["Nome", "Código", "Sessões\nRestantes"]  # as the screen wraps


def test_the_widest_text_of_a_column_is_never_cut(qapp):
    rows = [Line("Ana", "C1", 1), Line("Bruno", "C22", 22)]
    totals = Sum(2, 123_456_789)  # the totals row is the widest of its column, in bold
    layout = lay_out(table(rows, totals=totals), page_layout())
    assert layout.totals == ["Total", "2 linhas", "123456789"]
    assert [row[1] for row in layout.cells] == ["C1", "C22"]


def test_a_table_too_wide_for_the_page_shrinks_and_cuts_long_texts(qapp):
    long_name = "Maria " + "Aparecida " * 30 + "Souza"
    rows = [Line(long_name, "C" * 120, 1), *lines(3)]
    layout = lay_out(table(rows, landscape=False), page_layout(landscape=False))
    assert sum(layout.widths) == pytest.approx(layout.paint.width())
    name, code, _amount = layout.cells[0]
    assert name.endswith("…") and name.startswith("Maria Aparecida")
    assert code.endswith("…")
    assert layout.fonts["body"].pointSizeF() == pytest.approx(BODY_PT * table_print.MIN_SCALE)
    measure = table_print._Measure(layout.fonts["body"])  # the font it is printed in
    for column, text in enumerate(layout.cells[0]):
        assert measure.width(text) <= layout.widths[column] - 2 * layout.pad + 0.05


def test_a_table_a_little_too_wide_prints_smaller_whole(qapp):
    rows = [Line("Maria Aparecida dos Santos Souza " * 2, "C" * 40, 1)]
    full = lay_out(table(rows), page_layout())  # landscape: it fits
    assert full.fonts["body"].pointSizeF() == BODY_PT and full.cells[0][0] == rows[0].name
    narrow = lay_out(table(rows, landscape=False), page_layout(landscape=False))
    size = narrow.fonts["body"].pointSizeF()
    assert BODY_PT * table_print.MIN_SCALE < size < BODY_PT
    assert narrow.cells[0] == full.cells[0]  # nothing cut
    assert narrow.row_height < full.row_height
    assert sum(narrow.widths) <= narrow.paint.width() + 0.01


def pdf_texts(path: Path) -> list[str]:
    """Each page's words, single-spaced (Qt's PDF words read back tab-separated)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_the_pdf_has_every_page_framed_with_the_header_details_and_totals(qapp, tmp_path):
    rows = lines(90)
    layout = lay_out(table(rows), page_layout())
    path = save_table_pdf(layout, tmp_path / "t.pdf")
    reader = PdfReader(path)
    assert len(reader.pages) == layout.page_count >= 3
    for page in reader.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4_LANDSCAPE_PT, abs=1)
    texts = pdf_texts(path)
    for number, text in enumerate(texts, start=1):
        assert "Relatório de Teste" in text and "Impresso em 03/07/2025 14:30" in text
        assert f"página {number} de {len(texts)}" in text
        assert "Nome" in text and "Código" in text and "Restantes" in text
    assert "Status:" in texts[0] and "todos" in texts[0] and "Paciente:" in texts[0]
    assert "Status:" not in texts[1]
    printed = [code for text in texts for code in text.split() if code.startswith("C000")]
    assert printed == [r.code for r in rows]  # each row once, in order
    assert "Total" in texts[-1] and "90 linhas" in texts[-1]


def test_a_cancelled_pdf_leaves_no_file(qapp, tmp_path):
    layout = lay_out(table(lines(200)), page_layout())

    def cancel(done, total):
        if done == 2:
            raise ExportCancelled()

    with pytest.raises(ExportCancelled):
        save_table_pdf(layout, tmp_path / "c.pdf", cancel)
    assert list(tmp_path.iterdir()) == []


def pdf_printer(path: Path, paper=QPageSize.PageSizeId.A4) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageLayout(
        QPageLayout(
            QPageSize(paper),
            QPageLayout.Orientation.Landscape,
            QMarginsF(12, 10, 12, 10),
            QPageLayout.Unit.Millimeter,
        )
    )
    return printer


def test_the_printer_gets_the_pages_its_dialog_asked_for(qapp, tmp_path):
    layout = lay_out(table(lines(200)), page_layout())
    printer = pdf_printer(tmp_path / "p.pdf")
    ranges = QPageRanges()
    ranges.addRange(2, 3)
    printer.setPageRanges(ranges)
    assert print_table(printer, layout) == 2
    first, second = pdf_texts(tmp_path / "p.pdf")
    assert f"página 2 de {layout.page_count}" in first
    assert f"página 3 de {layout.page_count}" in second


def test_another_paper_is_laid_out_again_for_it(qapp, tmp_path):
    layout = lay_out(table(lines(200)), page_layout())
    printer = pdf_printer(tmp_path / "letter.pdf", QPageSize.PageSizeId.Letter)
    assert not layout.matches(printer.pageLayout())
    printed = print_table(printer, layout)
    reader = PdfReader(tmp_path / "letter.pdf")
    page = reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx((792, 612))
    letter = lay_out(layout.table, printer.pageLayout())
    assert letter.paint.width() < layout.paint.width()  # narrower paper, narrower columns
    assert printed == len(reader.pages) == letter.page_count
    last = " ".join(reader.pages[-1].extract_text().split())
    assert f"página {printed} de {printed}" in last


def test_laid_out_and_written_outside_the_ui_thread(qapp, tmp_path):
    """What the preview's jobs do: the same pages from a worker thread."""
    result: dict = {}

    def work():
        layout = lay_out(table(lines(120)), page_layout())
        result["pages"] = layout.page_count
        result["path"] = save_table_pdf(layout, tmp_path / "thread.pdf")

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(60)
    here = lay_out(table(lines(120)), page_layout())
    assert result["pages"] == here.page_count == len(PdfReader(result["path"]).pages)


def test_the_preview_image_is_the_page_with_ink_where_the_table_is(qapp):
    layout = lay_out(table(lines(40)), page_layout())
    image = page_image(layout, 0, 842)
    assert (image.width(), image.height()) == (842, 595)
    # The margins stay white; the status colour of the last column is painted red.
    assert image.pixelColor(5, 5).name() == "#ffffff"
    reds = sum(
        1
        for x in range(image.width() // 2, image.width() - 30)
        for y in range(150, 400, 3)
        if image.pixelColor(x, y).red() > 150 > image.pixelColor(x, y).green()
    )
    assert reds > 20
