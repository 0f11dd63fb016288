"""The week's painted time grid: each session a block placed by its start and duration,
coloured by its professional, side by side when sessions overlap. Lives inside
`WeekView`'s scroll area; paints every block itself from the week's rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from ...core import clock
from ...core.agenda import SessionRow
from ...core.reports import receitas
from ...core.terms import FALTA_JUSTIFICADA
from . import paint

GUTTER = 56.0  # the hours column
HEADER_HEIGHT = 46.0
FIRST_HOUR, LAST_HOUR = 7, 20  # shown at least; widened to fit the week's sessions
MIN_HOUR_HEIGHT = 52.0
SLOT_MINUTES = 30


MIN_TEXT_WIDTH = 14.0  # a block narrower than this inside shows its colour and dot only
SLIVER_WIDTH = MIN_TEXT_WIDTH + 19  # the block's width then (its inside is 19 px narrower)


class _Fonts:
    """The fonts (and their metrics) of the blocks, made once per paint."""

    def __init__(self, base: QFont, small: QFont):
        self._base = base
        self._made: dict[tuple, QFont] = {}
        self._metrics: dict[int, QFontMetrics] = {}
        self._colours: dict[str, tuple[QColor, QColor]] = {}
        self.tag = QFont(base)
        self.line = QFontMetrics(small).height()  # a title line, as the hours' labels

    def title(self, *, narrow: bool, struck: bool) -> QFont:
        key = ("title", narrow, struck)
        if key not in self._made:
            font = QFont(self._base)
            font.setBold(True)
            font.setStrikeOut(struck)
            if narrow:
                font.setPointSizeF(max(7.0, font.pointSizeF() - 1.5))
            self._made[key] = font
        return self._made[key]

    def body(self, *, struck: bool) -> QFont:
        key = ("body", struck)
        if key not in self._made:
            font = QFont(self._base)
            font.setStrikeOut(struck)
            font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
            self._made[key] = font
        return self._made[key]

    def colours(self, name: str) -> tuple[QColor, QColor]:
        """A professional's colour and its tint behind a block, made once per paint."""
        if name not in self._colours:
            colour = QColor(name)
            self._colours[name] = (colour, paint.tint(colour, 0.18))
        return self._colours[name]

    def metrics(self, font: QFont) -> QFontMetrics:
        key = id(font)
        if key not in self._metrics:
            self._metrics[key] = QFontMetrics(font)
        return self._metrics[key]


@dataclass(frozen=True)
class Block:
    rect: QRectF
    row: SessionRow


def lanes(rows: list[SessionRow]) -> list[tuple[SessionRow, int, int]]:
    """Side-by-side placement of one day's sessions: (row, lane, lanes in its cluster).

    Overlapping sessions form a cluster; each takes the first lane free at its start.
    """
    placed: list[tuple[SessionRow, int, int]] = []
    cluster: list[tuple[SessionRow, int]] = []
    lane_ends: list[datetime] = []
    cluster_end: datetime | None = None

    def close() -> None:
        count = max((lane for _row, lane in cluster), default=-1) + 1
        placed.extend((row, lane, count) for row, lane in cluster)

    for row in sorted(rows, key=lambda r: (r.starts_at, r.id)):
        if cluster_end is not None and row.starts_at >= cluster_end:
            close()
            cluster, lane_ends, cluster_end = [], [], None
        for lane, end in enumerate(lane_ends):
            if end <= row.starts_at:
                lane_ends[lane] = row.ends_at
                break
        else:
            lane = len(lane_ends)
            lane_ends.append(row.ends_at)
        cluster.append((row, lane))
        cluster_end = row.ends_at if cluster_end is None else max(cluster_end, row.ends_at)
    close()
    return placed


class WeekGrid(QWidget):
    """The painted time grid (inside the scroll area)."""

    session_activated = Signal(int)
    slot_activated = Signal(object)  # datetime of the double-clicked slot
    day_menu_requested = Signal(object, object)  # date, QPoint or None
    day_selected = Signal(object)
    left_week = Signal(object)  # date

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAccessibleName(self.tr("Calendário da semana"))
        self._start = clock.today()
        self._rows: list[SessionRow] = []
        self._hours = (FIRST_HOUR, LAST_HOUR)
        self._hour_height = MIN_HOUR_HEIGHT
        self._blocks: list[Block] = []
        self._selected_day = clock.today()
        self._selected_session: int | None = None
        self._dirty = True
        self.show_patient = True  # False in one patient's calendar

    def set_week(self, start: date, rows: list[SessionRow]) -> None:
        self._start = start
        self._rows = list(rows)
        first = min([FIRST_HOUR] + [r.starts_at.hour for r in rows])
        last = max([LAST_HOUR] + [min(24, r.ends_at.hour + (r.ends_at.minute > 0)) for r in rows])
        self._hours = (first, last)
        if not start <= self._selected_day < start + timedelta(days=7):
            self._selected_day = start
        self._dirty = True
        self.setMinimumHeight(int((last - first) * MIN_HOUR_HEIGHT))
        self.update()

    def selected_day(self) -> date:
        return self._selected_day

    def select_day(self, day: date) -> None:
        self._selected_day = day
        self._selected_session = None
        self.update()

    def blocks(self) -> list[Block]:
        """Every session's block as painted now."""
        self._ensure_layout()
        return self._blocks

    def y_of(self, moment: time) -> float:
        first = self._hours[0]
        return (moment.hour - first + moment.minute / 60) * self._hour_height

    def _column_width(self) -> float:
        return (self.width() - GUTTER) / 7

    def _ensure_layout(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        first, last = self._hours
        self._hour_height = max(MIN_HOUR_HEIGHT, self.height() / max(1, last - first))
        column = self._column_width()
        by_day: dict[int, list[SessionRow]] = defaultdict(list)
        for row in self._rows:
            by_day[(row.starts_at.date() - self._start).days].append(row)
        self._blocks = []
        for index, rows in by_day.items():
            if not 0 <= index < 7:
                continue
            for row, lane, count in lanes(rows):
                top = self.y_of(row.starts_at.time())
                height = max(18.0, row.duration_min / 60 * self._hour_height)
                width = (column - 6) / count
                left = GUTTER + index * column + 2 + lane * width
                self._blocks.append(Block(QRectF(left, top + 1, width - 2, height - 2), row))

    def resizeEvent(self, event) -> None:
        self._dirty = True
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(840, int((self._hours[1] - self._hours[0]) * MIN_HOUR_HEIGHT))

    # -- painting -----------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        self._ensure_layout()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), paint.WHITE)
        column = self._column_width()
        first, last = self._hours
        today = clock.today()
        for index in range(7):
            day = self._start + timedelta(days=index)
            rect = QRectF(GUTTER + index * column, 0, column, self.height())
            if day == self._selected_day:
                painter.fillRect(rect, paint.tint(paint.ACCENT, 0.06))
            elif day.weekday() >= 5:
                painter.fillRect(rect, paint.OUTSIDE_BG)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1.5))
        painter.setFont(small)
        for hour in range(first, last + 1):
            y = (hour - first) * self._hour_height
            painter.setPen(QPen(paint.GRID, 1))
            painter.drawLine(QPointF(GUTTER, y), QPointF(self.width(), y))
            painter.setPen(QPen(paint.GRID_SOFT, 1, Qt.PenStyle.DashLine))
            half = y + self._hour_height / 2
            painter.drawLine(QPointF(GUTTER, half), QPointF(self.width(), half))
            if hour < last:
                painter.setPen(paint.MUTED)
                painter.drawText(
                    QRectF(0, y + 2, GUTTER - 8, 16),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                    f"{hour:02d}:00",
                )
        painter.setPen(QPen(paint.GRID, 1))
        for index in range(8):
            x = GUTTER + index * column
            painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        # Only the blocks in the part being painted (the grid is taller than the view),
        # with the fonts made once for all of them: a busy week has over a thousand.
        exposed = QRectF(event.rect())
        fonts = _Fonts(self.font(), small)
        for block in self._blocks:
            if block.rect.intersects(exposed):
                self._paint_block(painter, block, fonts)
        now = clock.now()
        if self._start <= today < self._start + timedelta(days=7) and first <= now.hour < last:
            x = GUTTER + (today - self._start).days * column
            y = self.y_of(now.time())
            painter.setPen(QPen(paint.NOW_LINE, 2))
            painter.drawLine(QPointF(x, y), QPointF(x + column, y))
            painter.setBrush(paint.NOW_LINE)
            painter.drawEllipse(QPointF(x, y), 4, 4)
        painter.end()

    def _paint_block(self, painter: QPainter, block: Block, fonts: _Fonts) -> None:
        row, rect = block.row, block.rect
        if rect.width() < SLIVER_WIDTH:
            self._paint_sliver(painter, block, fonts)
            return
        colour = QColor(row.professional_color)
        struck = row.attendance == FALTA_JUSTIFICADA
        painter.save()
        if struck:
            painter.setOpacity(0.6)
        painter.setPen(
            QPen(paint.ACCENT, 2) if row.id == self._selected_session else Qt.PenStyle.NoPen
        )
        painter.setBrush(paint.tint(colour, 0.18))
        painter.drawRoundedRect(rect, 6, 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(QRectF(rect.left(), rect.top(), 4, rect.height()), 2, 2)
        paint.draw_dot(painter, QPointF(rect.right() - 7, rect.top() + 8), row, 3.5)
        inner = rect.adjusted(8, 3, -11, -2)
        if inner.width() < MIN_TEXT_WIDTH:  # a sliver among many: no room for any text
            painter.restore()
            return
        narrow = inner.width() < 96
        # A smaller title in side-by-side blocks keeps the time whole.
        bold = fonts.title(narrow=narrow, struck=struck)
        line = fonts.line
        x = inner.left()
        x += paint.draw_tag(painter, QRectF(x, inner.top(), 30, line), row.attendance, fonts.tag)
        if row.attendance in paint.TAGS:
            x += 4
        painter.setFont(bold)
        painter.setPen(paint.TEXT)
        primary, secondary = paint.texts(row, self.show_patient)
        title = f"{row.starts_at:%H:%M}" if narrow else f"{row.starts_at:%H:%M} {primary}"
        painter.drawText(
            QRectF(x, inner.top(), inner.right() - x, line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fonts.metrics(bold).elidedText(
                title, Qt.TextElideMode.ElideRight, max(0, int(inner.right() - x))
            ),
        )
        body = fonts.body(struck=struck)
        painter.setFont(body)
        metrics = fonts.metrics(body)
        top = inner.top() + line
        lines = [(primary, paint.TEXT)] if narrow else []
        lines += [(secondary, paint.MUTED)]
        if row.location_name != secondary:
            lines.append((row.location_name, paint.MUTED))
        step = metrics.height()
        for text, colour in lines:
            if not text or top + step > inner.bottom() + 2:
                break
            painter.setPen(colour)
            painter.drawText(
                QRectF(inner.left(), top, inner.width() + 10, step),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(inner.width() + 10)),
            )
            top += step
        painter.restore()

    def _paint_sliver(self, painter: QPainter, block: Block, fonts: _Fonts) -> None:
        """A block among many side by side, too narrow for text or round corners: its
        tint, the professional's stripe and the payment dot, in plain rectangles (a busy
        week has a thousand of them)."""
        row, rect = block.row, block.rect
        colour, tinted = fonts.colours(row.professional_color)
        struck = row.attendance == FALTA_JUSTIFICADA
        if struck:
            painter.setOpacity(0.6)
        painter.fillRect(rect, tinted)
        painter.fillRect(
            QRectF(rect.left(), rect.top(), min(4.0, rect.width() / 2), rect.height()), colour
        )
        # The payment dot ("bolinha verde") even on a sliver: a little wider than it if
        # need be, as on a wider block.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(paint.dot_color(row))
        radius = max(2.5, min(3.5, rect.width() / 2 - 1))
        painter.drawEllipse(QPointF(rect.center().x() + 1, rect.top() + 8), radius, radius)
        if row.id == self._selected_session:
            painter.setPen(QPen(paint.ACCENT, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        if struck:
            painter.setOpacity(1.0)

    # -- interaction --------------------------------------------------------------------
    def block_at(self, pos: QPointF) -> Block | None:
        for block in reversed(self.blocks()):
            if block.rect.contains(pos):
                return block
        return None

    def moment_at(self, pos: QPointF) -> datetime | None:
        """The slot (rounded down to 30 minutes) under `pos`."""
        if pos.x() < GUTTER:
            return None
        index = int((pos.x() - GUTTER) // self._column_width())
        if not 0 <= index < 7:
            return None
        minutes = int(pos.y() / self._hour_height * 60) // SLOT_MINUTES * SLOT_MINUTES
        start = datetime.combine(self._start + timedelta(days=index), time(self._hours[0]))
        return start + timedelta(minutes=minutes)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        moment = self.moment_at(event.position())
        block = self.block_at(event.position())
        if moment is not None:
            self._selected_day = moment.date()
            self.day_selected.emit(moment.date())
        self._selected_session = block.row.id if block else None
        self.update()
        if event.button() == Qt.MouseButton.RightButton and moment is not None:
            self.day_menu_requested.emit(moment.date(), event.globalPosition().toPoint())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        block = self.block_at(event.position())
        if block is not None:
            self.session_activated.emit(block.row.id)
            return
        moment = self.moment_at(event.position())
        if moment is not None:
            self.slot_activated.emit(moment)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        block = self.block_at(event.position())
        if block is None:
            QToolTip.hideText()
            self.setCursor(Qt.CursorShape.ArrowCursor)
            return
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        payment = receitas.payment_text(block.row) or (
            self.tr("Em aberto") if block.row.owes else self.tr("Sem cobrança")
        )
        QToolTip.showText(
            event.globalPosition().toPoint(), paint.session_tooltip(block.row, payment), self
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}
        if event.key() in steps:
            day = self._selected_day + timedelta(days=steps[event.key()])
            self.select_day(day)
            self.day_selected.emit(day)
            if not self._start <= day < self._start + timedelta(days=7):
                self.left_week.emit(day)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Menu):
            self.day_menu_requested.emit(self._selected_day, None)
            return
        super().keyPressEvent(event)
