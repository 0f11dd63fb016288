"""Painting the pages laid out by table_print.py: on a printer or a PDF writer
(`paint_pages`, any thread) and as an image for the preview (`page_image`).

Every position is in points, multiplied by the device's resolution when drawn; fonts are
in points, which the device turns into its own pixels. A page: its header (the title,
"Impresso em …" and a rule), on page 1 the title and the details, the header row on a
light teal band, the rows (every other one shaded), the totals row after the last row,
and "página N de M" at the foot.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPaintDevice, QPainter, QPen

from ...core.ptbr import format_datetime
from .table_print import FOOTER_H, GAP, PAGE_HEADER_H, PrintLayout, Progress

INK, MUTED, RULE = QColor("#1f2933"), QColor("#475569"), QColor("#0f8b8d")
HEADER_FILL, STRIPE = QColor("#e6f4f4"), QColor("#f3f5f7")


def tr(text: str) -> str:
    return QCoreApplication.translate("table_print", text)


LEFT_MIDDLE = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
RIGHT_MIDDLE = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CENTER = int(Qt.AlignmentFlag.AlignCenter)
# Text is never clipped to its cell (it was cut to fit): clipping costs time on every call.
NO_CLIP = int(Qt.TextFlag.TextDontClip)


class _Page:
    """Drawing in points on a painter whose device has its own resolution."""

    def __init__(self, painter: QPainter):
        self.painter = painter
        self.scale = painter.device().logicalDpiX() / 72

    def rect(self, x: float, y: float, w: float, h: float) -> QRectF:
        s = self.scale
        return QRectF(x * s, y * s, w * s, h * s)

    def text(self, x: float, y: float, w: float, h: float, flags: int, text: str) -> None:
        self.painter.drawText(self.rect(x, y, w, h), flags | NO_CLIP, text)

    def rule(self, y: float, width: float, color: QColor, thickness: float) -> None:
        s = self.scale
        self.painter.setPen(QPen(color, thickness * s))
        self.painter.drawLine(QPointF(0, y * s), QPointF(width * s, y * s))

    def fill(self, y: float, width: float, height: float, color: QColor) -> None:
        self.painter.fillRect(self.rect(0, y, width, height), color)


def paint_page(painter: QPainter, layout: PrintLayout, index: int) -> None:
    """Paint page `index` (0-based) with `painter`, whose origin is the paint rect's
    top-left corner (as a printer's painter is); sizes follow the device's resolution."""
    page = _Page(painter)
    fonts, table = layout.fonts, layout.table
    width, height = layout.paint.width(), layout.paint.height()
    # The page's header and footer.
    painter.setPen(INK)
    painter.setFont(fonts["page_title"])
    page.text(0, 0, width * 0.7, PAGE_HEADER_H - 4, LEFT_MIDDLE, table.title)
    painter.setPen(MUTED)
    painter.setFont(fonts["page_note"])
    printed = tr("Impresso em {0}").format(format_datetime(table.printed_at))
    page.text(width * 0.7, 0, width * 0.3, PAGE_HEADER_H - 4, RIGHT_MIDDLE, printed)
    footer = tr("página {0} de {1}").format(index + 1, layout.page_count)
    page.text(0, height - FOOTER_H, width, FOOTER_H, CENTER, footer)
    page.rule(PAGE_HEADER_H - 2, width, RULE, 0.6)
    top = PAGE_HEADER_H + GAP
    if index == 0:
        top = _paint_title(page, layout, top)
    # The header row.
    page.fill(top, width, layout.header_height, HEADER_FILL)
    painter.setPen(INK)
    painter.setFont(fonts["bold"])
    for column, title in enumerate(layout.header):
        x, w = layout.left[column] + layout.pad, layout.widths[column] - 2 * layout.pad
        page.text(x, top, w, layout.header_height, _header_align(layout.aligns[column]), title)
    top += layout.header_height
    page.rule(top, width, RULE, 0.8)
    # The rows, a light shade on every other one as on screen.
    first, end = layout.pages[index]
    painter.setFont(fonts["body"])
    painter.setPen(INK)
    pen_color: str | None = None
    for position in range(first, end):
        y = top + (position - first) * layout.row_height
        if (position - first) % 2:
            page.fill(y, width, layout.row_height, STRIPE)
        colors = layout.colors[position] if layout.colors is not None else None
        for column, text in enumerate(layout.cells[position]):
            if not text:
                continue
            color = colors[column] if colors is not None else None
            if color != pen_color:
                painter.setPen(QColor(color) if color else INK)
                pen_color = color
            x, w = layout.left[column] + layout.pad, layout.widths[column] - 2 * layout.pad
            page.text(x, y, w, layout.row_height, layout.aligns[column], text)
    if index == layout.page_count - 1 and layout.totals is not None:
        y = top + (end - first) * layout.row_height
        page.rule(y, width, MUTED, 0.6)
        painter.setPen(INK)
        painter.setFont(fonts["bold"])
        for column, text in enumerate(layout.totals):
            x, w = layout.left[column] + layout.pad, layout.widths[column] - 2 * layout.pad
            page.text(x, y, w, layout.row_height, layout.aligns[column], text)


def _header_align(align: int) -> int:
    """A header is aligned as its column, and centred vertically (two lines or one)."""
    horizontal = align & int(Qt.AlignmentFlag.AlignHorizontal_Mask)
    return horizontal | int(Qt.AlignmentFlag.AlignVCenter)


def _paint_title(page: _Page, layout: PrintLayout, top: float) -> float:
    """The first page's title and details (a report's filters); returns where the table
    starts."""
    painter, fonts = page.painter, layout.fonts
    width = layout.paint.width()
    painter.setPen(INK)
    painter.setFont(fonts["title"])
    page.text(0, top, width, layout.title_height, LEFT_MIDDLE, layout.table.title)
    y = top + layout.title_height
    for (name, value), offset in zip(layout.table.details, layout.detail_offsets, strict=True):
        painter.setFont(fonts["detail_name"])
        page.text(0, y, offset, layout.detail_height, LEFT_MIDDLE, f"{name}:")
        painter.setFont(fonts["detail"])
        page.text(offset, y, width - offset, layout.detail_height, LEFT_MIDDLE, value)
        y += layout.detail_height
    return layout.first_page_top


def paint_pages(
    device: QPaintDevice,
    layout: PrintLayout,
    pages: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> int:
    """Paint `pages` (0-based; default all) on a printer or PDF writer, one sheet each;
    returns how many. `progress(done, total)` after each page; an exception raised by it
    stops the painting (the caller aborts the printer or drops the file)."""
    chosen = list(range(layout.page_count)) if pages is None else list(pages)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError(tr("Não foi possível começar a impressão."))
    try:
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        for done, index in enumerate(chosen):
            if done:
                device.newPage()
            paint_page(painter, layout, index)
            if progress is not None:
                progress(done + 1, len(chosen))
    except BaseException:
        abort = getattr(device, "abort", None)  # a printer: its job is dropped, not printed
        if abort is not None:
            abort()
        raise
    finally:
        painter.end()
    return len(chosen)


def page_image(layout: PrintLayout, index: int, width_px: int) -> QImage:
    """Page `index` as the whole sheet (margins included), `width_px` wide (the preview)."""
    paper = layout.paper
    dpi = width_px * 72 / paper.width()
    image = QImage(width_px, round(paper.height() * dpi / 72), QImage.Format.Format_RGB32)
    dots_per_meter = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        scale = image.logicalDpiX() / 72
        painter.translate(layout.paint.left() * scale, layout.paint.top() * scale)
        paint_page(painter, layout, index)
    finally:
        painter.end()
    return image
