"""The month view: a grid of days, each listing its sessions as painted lines.

One `set_month` call takes the rows of the whole visible range (one query, done by the
calendar); layout is computed once per size change and painting walks that layout, so
hundreds of sessions draw at once. Sessions that do not fit a day become "+N mais". A day
too short for even one line (a small screen, the patient page) shows each session as its
payment dot beside the day's number (manual 3.1: "a bolinha verde indicando pago").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QKeyEvent, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ...core import clock
from ...core.agenda import SessionRow
from ...core.ptbr import WEEKDAYS_SHORT
from ...core.reports import receitas
from ...core.terms import FALTA_JUSTIFICADA
from . import paint

HEADER_HEIGHT = 30.0
DAY_LABEL_HEIGHT = 26.0
DOT_STEP = 11.0  # the width of one session's dot in a day too short for lines
NUMBER_WIDTH = 30.0  # the day's number at the top left of its cell


@dataclass
class DayCell:
    """One day of the grid as laid out: where it is, which sessions show, how many don't."""

    day: date
    rect: QRectF
    shown: list[tuple[QRectF, SessionRow]] = field(default_factory=list)
    hidden: int = 0
    more_rect: QRectF | None = None
    # A day too short for lines: each session's dot beside the day's number (its hit area).
    dots: list[tuple[QRectF, SessionRow]] = field(default_factory=list)


class MonthView(QWidget):
    """Month grid. Signals: a session activated (double-click), a day double-clicked
    (new session there), a day's menu asked (Enter, right-click, "+N mais"), and the
    selected day moving out of the month (arrow keys)."""

    session_activated = Signal(int)
    day_activated = Signal(object)  # date: double-click on a day's empty space
    day_menu_requested = Signal(object, object)  # date, QPoint (global) or None
    day_selected = Signal(object)  # date
    left_month = Signal(object)  # date: the keyboard moved the selection outside

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("monthView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.tr("Calendário do mês"))
        self._month = clock.today().replace(day=1)
        self._first_weekday = 6
        self._rows_by_day: dict[date, list[SessionRow]] = {}
        self._counts: dict[date, int] = {}  # sessions of each day, when not all are in rows
        self._selected_day = clock.today()
        self._selected_session: int | None = None
        self._cells: list[DayCell] = []
        self._dirty = True
        self.show_patient = True  # False in one patient's calendar

    # -- data ---------------------------------------------------------------------------
    def set_first_weekday(self, weekday: int) -> None:
        self._first_weekday = weekday
        self._dirty = True

    def grid_range(self, month: date | None = None) -> tuple[date, date]:
        """The first and last day the grid shows for `month` (whole weeks)."""
        first = (month or self._month).replace(day=1)
        start = paint.week_start(first, self._first_weekday)
        next_month = (first + timedelta(days=32)).replace(day=1)
        weeks = -(-((next_month - start).days) // 7)
        return start, start + timedelta(days=weeks * 7 - 1)

    def set_month(
        self, month: date, rows: list[SessionRow], counts: dict[date, int] | None = None
    ) -> None:
        """Show `month` with `rows`: the sessions of `grid_range(month)`, or only each day's
        first ones with `counts` saying how many every day has (a busy month: nobody sees
        the 200th session of a day, its "+N mais" counts it)."""
        self._month = month.replace(day=1)
        by_day: dict[date, list[SessionRow]] = defaultdict(list)
        for row in rows:
            by_day[row.starts_at.date()].append(row)
        self._rows_by_day = dict(by_day)
        self._counts = dict(counts) if counts is not None else {}
        start, end = self.grid_range()
        if not start <= self._selected_day <= end:
            self._selected_day = self._month
        self._dirty = True
        self.update()

    def month(self) -> date:
        return self._month

    def selected_day(self) -> date:
        return self._selected_day

    def select_day(self, day: date) -> None:
        self._selected_day = day
        self._selected_session = None
        self.update()

    def rows_of(self, day: date) -> list[SessionRow]:
        return list(self._rows_by_day.get(day, []))

    def laid_out(self) -> list[DayCell]:
        """The layout as painted now (for the screen's hit tests and for tests)."""
        self._ensure_layout()
        return self._cells

    # -- layout -------------------------------------------------------------------------
    def _entry_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(7.5, font.pointSizeF() - 1))
        return font

    def _line_height(self) -> float:
        return QFontMetricsF(self._entry_font()).height() + 5

    def _ensure_layout(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        self._cells = []
        start, end = self.grid_range()
        weeks = ((end - start).days + 1) // 7
        width, height = float(self.width()), float(self.height())
        cell_w = width / 7
        cell_h = (height - HEADER_HEIGHT) / weeks
        line = self._line_height()
        for index in range((end - start).days + 1):
            day = start + timedelta(days=index)
            rect = QRectF(
                (index % 7) * cell_w, HEADER_HEIGHT + (index // 7) * cell_h, cell_w, cell_h
            )
            cell = DayCell(day, rect)
            rows = self._rows_by_day.get(day, [])
            count = self._counts.get(day, len(rows))
            room = max(0, int((cell_h - DAY_LABEL_HEIGHT - 4) // line))
            if room == 0 and count:
                self._lay_out_dots(cell, rows, count)
                self._cells.append(cell)
                continue
            # A quiet day gives each session two lines (the service below); a busy one, one.
            step = 2 * line if rows and 2 * count <= room else line
            if count * step > room * line:
                room = max(0, room - 1)  # the last line says "+N mais"
            fits = int(room * line // step)
            top = rect.top() + DAY_LABEL_HEIGHT
            for row in rows[:fits]:
                cell.shown.append((QRectF(rect.left() + 4, top, cell_w - 8, step - 2), row))
                top += step
            cell.hidden = count - len(cell.shown)
            if cell.hidden:
                cell.more_rect = QRectF(rect.left() + 4, top, cell_w - 8, line - 2)
            self._cells.append(cell)

    def _lay_out_dots(self, cell: DayCell, rows: list[SessionRow], count: int) -> None:
        """A day with no room for a line: its sessions as dots on the number's line, and
        "+N" for those the width cannot hold."""
        rect = cell.rect
        top = rect.top() + 4
        left = rect.left() + NUMBER_WIDTH
        room = max(0, int((rect.width() - NUMBER_WIDTH - 4) // DOT_STEP))
        fits = len(rows) if count <= room else max(0, room - 2)  # "+N" takes two dots' room
        for row in rows[:fits]:
            cell.dots.append((QRectF(left, top, DOT_STEP, 20), row))
            left += DOT_STEP
        cell.hidden = count - len(cell.dots)
        if cell.hidden:
            cell.more_rect = QRectF(left, top, max(0.0, rect.right() - left - 2), 20)

    def resizeEvent(self, event) -> None:
        self._dirty = True
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(840, 600)

    def minimumSizeHint(self) -> QSize:
        return QSize(420, 320)

    # -- painting -----------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        self._ensure_layout()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), paint.WHITE)
        self._paint_header(painter)
        today = clock.today()
        base = self._entry_font()
        bold = QFont(base)
        bold.setBold(True)
        for cell in self._cells:
            if event.rect().intersects(cell.rect.toAlignedRect()):
                self._paint_cell(painter, cell, today, base, bold)
        painter.setPen(QPen(paint.GRID, 1))
        for cell in self._cells:
            painter.drawLine(cell.rect.topLeft(), cell.rect.topRight())
            if cell.rect.right() < self.width() - 2:
                painter.drawLine(cell.rect.topRight(), cell.rect.bottomRight())
        if self.hasFocus():  # where the keyboard is: the selected day, outlined
            selected = next((c for c in self._cells if c.day == self._selected_day), None)
            if selected is not None:
                painter.setPen(QPen(paint.ACCENT, 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(selected.rect.adjusted(1, 1, -1, -1))
        painter.end()

    def _paint_header(self, painter: QPainter) -> None:
        cell_w = self.width() / 7
        small = QFont(self.font())
        small.setBold(True)
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        painter.setFont(small)
        painter.setPen(paint.MUTED)
        for column in range(7):
            weekday = (self._first_weekday + column) % 7
            rect = QRectF(column * cell_w, 0, cell_w, HEADER_HEIGHT)
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignCenter, WEEKDAYS_SHORT[weekday].rstrip(".").upper()
            )

    def _paint_cell(self, painter: QPainter, cell: DayCell, today, base, bold) -> None:
        rect = cell.rect
        inside = cell.day.month == self._month.month
        if not inside:
            painter.fillRect(rect, paint.OUTSIDE_BG)
        if cell.day == self._selected_day:
            painter.fillRect(rect, paint.ACCENT_SOFT)
        # Day number; today's in a teal circle.
        number_font = QFont(self.font())
        number_font.setBold(cell.day == today)
        painter.setFont(number_font)
        number = str(cell.day.day)
        badge = QRectF(rect.left() + 6, rect.top() + 4, 22, 20)
        if cell.day == today:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(paint.ACCENT)
            painter.drawRoundedRect(badge, 10, 10)
            painter.setPen(paint.WHITE)
        else:
            painter.setPen(paint.TEXT if inside else paint.FADED)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, number)
        for line_rect, row in cell.shown:
            self._paint_line(painter, line_rect, row, base, bold, inside)
        for dot_rect, row in cell.dots:
            if row.id == self._selected_session:
                painter.setPen(QPen(paint.ACCENT, 1.5))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(dot_rect.center(), 5.5, 5.5)
            paint.draw_dot(painter, dot_rect.center(), row)
        if cell.more_rect is not None:
            painter.setFont(bold)
            painter.setPen(paint.ACCENT)
            text = self.tr("+{0}") if cell.dots else self.tr("+{0} mais")
            painter.drawText(
                cell.more_rect.adjusted(4 if not cell.dots else 1, 0, 0, 0),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                text.format(cell.hidden),
            )

    def _paint_line(self, painter, rect: QRectF, row: SessionRow, base, bold, inside) -> None:
        if row.id == self._selected_session:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(paint.tint(paint.ACCENT, 0.22))
            painter.drawRoundedRect(rect, 4, 4)
        primary, secondary = paint.texts(row, self.show_patient)
        two_lines = rect.height() > 1.5 * self._line_height()
        if two_lines:  # the service on the second line
            service = QRectF(
                rect.left() + 14, rect.center().y(), rect.width() - 14, rect.height() / 2
            )
            painter.setFont(base)
            painter.setPen(paint.MUTED)
            painter.drawText(
                service,
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                painter.fontMetrics().elidedText(
                    secondary, Qt.TextElideMode.ElideRight, int(service.width())
                ),
            )
            rect = QRectF(rect.left(), rect.top(), rect.width(), rect.height() / 2)
        x = rect.left() + 2
        paint.draw_dot(painter, QPointF(x + 4, rect.center().y()), row)
        x += 12
        x += paint.draw_tag(painter, QRectF(x, rect.top(), 30, rect.height()), row.attendance, base)
        if row.attendance in paint.TAGS:
            x += 3
        struck = row.attendance == FALTA_JUSTIFICADA
        time_font = QFont(bold)
        time_font.setStrikeOut(struck)
        painter.setFont(time_font)
        painter.setPen(paint.TEXT if inside and not struck else paint.MUTED)
        time_text = f"{row.starts_at:%H:%M}"
        painter.drawText(
            QRectF(x, rect.top(), rect.right() - x, rect.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            time_text,
        )
        x += painter.fontMetrics().horizontalAdvance(time_text) + 5
        body_font = QFont(base)
        body_font.setStrikeOut(struck)
        painter.setFont(body_font)
        text = primary if two_lines or not secondary else f"{primary} · {secondary}"
        elided = painter.fontMetrics().elidedText(
            text, Qt.TextElideMode.ElideRight, max(0, int(rect.right() - x))
        )
        painter.drawText(
            QRectF(x, rect.top(), rect.right() - x, rect.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            elided,
        )

    # -- interaction --------------------------------------------------------------------
    def hit(self, pos: QPointF) -> paint.Hit | None:
        """What is under `pos`: a session line, a "+N mais", or a day."""
        for cell in self.laid_out():
            if not cell.rect.contains(pos):
                continue
            for rect, row in (*cell.shown, *cell.dots):
                if rect.contains(pos):
                    return paint.Hit(rect, session_id=row.id, day=cell.day)
            if cell.more_rect is not None and cell.more_rect.contains(pos):
                return paint.Hit(cell.more_rect, day=cell.day)
            return paint.Hit(cell.rect, day=cell.day)
        return None

    def _row(self, session_id: int) -> SessionRow | None:
        for rows in self._rows_by_day.values():
            for row in rows:
                if row.id == session_id:
                    return row
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        found = self.hit(event.position())
        if found is None:
            return
        self._selected_day = found.day
        self._selected_session = found.session_id
        self.day_selected.emit(found.day)
        self.update()
        right = event.button() == Qt.MouseButton.RightButton
        if right or (found.session_id is None and self._is_more(found)):
            self.day_menu_requested.emit(found.day, event.globalPosition().toPoint())

    def _is_more(self, found: paint.Hit) -> bool:
        return any(cell.more_rect == found.rect for cell in self._cells)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        found = self.hit(event.position())
        if found is None:
            return
        if found.session_id is not None:
            self.session_activated.emit(found.session_id)
        elif not self._is_more(found):
            self.day_activated.emit(found.day)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        found = self.hit(event.position())
        row = self._row(found.session_id) if found and found.session_id else None
        if row is None:
            QToolTip.hideText()
            self.setCursor(Qt.CursorShape.ArrowCursor)
            return
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        payment = receitas.payment_text(row) or (
            self.tr("Em aberto") if row.owes else self.tr("Sem cobrança")
        )
        QToolTip.showText(
            event.globalPosition().toPoint(), paint.session_tooltip(row, payment), self
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Up: -7,
            Qt.Key.Key_Down: 7,
        }
        key = event.key()
        if key in steps:
            day = self._selected_day + timedelta(days=steps[key])
            self.select_day(day)
            self.day_selected.emit(day)
            if (day.year, day.month) != (self._month.year, self._month.month):
                self.left_month.emit(day)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Menu):
            self.day_menu_requested.emit(self._selected_day, None)
            return
        super().keyPressEvent(event)
