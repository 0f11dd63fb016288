"""The week view: the days' header above a scroll area holding the painted time grid
(`week_grid.WeekGrid`)."""

from __future__ import annotations

from datetime import date, time, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from ...core import clock
from ...core.agenda import SessionRow
from ...core.ptbr import WEEKDAYS_SHORT
from . import paint
from .week_grid import GUTTER, HEADER_HEIGHT, WeekGrid


class WeekHeader(QWidget):
    """The days above the grid: "SEG." and "30/06"; today in teal."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._start = clock.today()
        self.right_margin = 0
        self.setFixedHeight(self._height())

    def _fonts(self) -> tuple[QFont, QFont]:
        small = QFont(self.font())
        small.setBold(True)
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1.5))
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() + 1.5)
        return small, big

    def _lines(self) -> tuple[float, float]:
        """The heights of the weekday's line and of the date's (in their fonts)."""
        small, big = self._fonts()
        return float(QFontMetrics(small).height()), float(QFontMetrics(big).height()) + 4

    def _height(self) -> int:
        """As tall as its two lines in the font in use (at least HEADER_HEIGHT): a larger
        system font never cuts the dates."""
        weekday, number = self._lines()
        return int(max(HEADER_HEIGHT, 4 + weekday + 2 + number + 3))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.setFixedHeight(self._height())

    def set_start(self, start: date) -> None:
        self._start = start
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), paint.WHITE)
        column = (self.width() - self.right_margin - GUTTER) / 7
        today = clock.today()
        small, big = self._fonts()
        weekday_height, number_height = self._lines()
        number_width = max(52.0, QFontMetrics(big).horizontalAdvance("00/00") + 16.0)
        for index in range(7):
            day = self._start + timedelta(days=index)
            rect = QRectF(GUTTER + index * column, 0, column, self.height())
            colour = paint.ACCENT if day == today else paint.MUTED
            painter.setFont(small)
            painter.setPen(colour)
            painter.drawText(
                QRectF(rect.left(), 4, rect.width(), weekday_height),
                Qt.AlignmentFlag.AlignCenter,
                WEEKDAYS_SHORT[day.weekday()].rstrip(".").upper(),
            )
            painter.setFont(big)
            number = QRectF(
                rect.center().x() - number_width / 2,
                4 + weekday_height + 2,
                number_width,
                number_height,
            )
            if day == today:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(paint.ACCENT)
                painter.drawRoundedRect(number, number_height / 2, number_height / 2)
                painter.setPen(paint.WHITE)
            else:
                painter.setPen(paint.TEXT)
            painter.drawText(number, Qt.AlignmentFlag.AlignCenter, f"{day:%d/%m}")
        painter.setPen(QPen(paint.GRID, 1))
        painter.drawLine(QPointF(0, self.height() - 1), QPointF(self.width(), self.height() - 1))
        painter.end()


class WeekView(QWidget):
    """Header + scrollable grid; forwards the grid's signals."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.grid = WeekGrid()
        self.header = WeekHeader()
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(self.grid)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.scroll, 1)
        bar = self.scroll.verticalScrollBar()
        bar.rangeChanged.connect(lambda _low, _high: self._align_header())
        self.setFocusProxy(self.grid)

    def _align_header(self) -> None:
        bar = self.scroll.verticalScrollBar()
        self.header.right_margin = bar.width() if bar.maximum() > 0 else 0
        self.header.update()

    def set_week(self, start: date, rows: list[SessionRow]) -> None:
        self.header.set_start(start)
        self.grid.set_week(start, rows)
        QTimer.singleShot(0, self, self._scroll_to_morning)  # dropped if self is gone

    def _scroll_to_morning(self) -> None:
        """Start the view at the first session of the week, or at 08:00."""
        rows = self.grid._rows
        first = min((r.starts_at.time() for r in rows), default=time(8))
        self.scroll.verticalScrollBar().setValue(int(max(0.0, self.grid.y_of(first) - 8)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._align_header()
