"""A bar chart drawn with QPainter (QtCharts is not part of PySide6-Essentials).

One or more series of money values per month, as side-by-side bars, with a light grid,
round axis steps ("R$ 2.000"), month labels ("jul/25"), a legend, and a tooltip on the
bar under the mouse. Values are Decimal; bar heights are computed as Decimal ratios and
rounded to whole pixels, so no float ever touches a money value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ...core.ptbr import MONTHS, format_brl, format_money

GRID = QColor("#e8ecef")
AXIS_TEXT = QColor("#64748b")
STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


@dataclass(frozen=True)
class Series:
    name: str
    color: str
    values: tuple[Decimal, ...]


def nice_step(maximum: Decimal, ticks: int = 4) -> Decimal:
    """A round grid step (1, 2, 2,5 or 5 times a power of ten) giving about `ticks` lines."""
    if maximum <= 0:
        return Decimal(1)
    raw = maximum / ticks
    power = Decimal(10) ** (raw.adjusted())
    for factor in STEPS:
        if factor * power >= raw:
            return factor * power
    return 10 * power  # pragma: no cover - the last factor always qualifies


def axis_label(value: Decimal) -> str:
    """ "R$ 2.000" for a whole amount, "R$ 2.500,50" otherwise."""
    text = format_money(value)
    return f"R$ {text.removesuffix(',00')}"


def month_label(first_day) -> str:
    """ "jul/25", a month under its bars."""
    return f"{MONTHS[first_day.month - 1][:3]}/{first_day.year % 100:02d}"


class BarChart(QWidget):
    """Grouped bars: one group per label, one bar per series."""

    MARGIN_LEFT = 78
    MARGIN_RIGHT = 12
    MARGIN_TOP = 30  # room for the legend
    MARGIN_BOTTOM = 26

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("barChart")
        self.setAccessibleName(title)
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self._labels: list[str] = []
        self._series: list[Series] = []
        self._bars: list[tuple[QRect, str]] = []  # where each bar was drawn, its tooltip
        self._waiting = self.tr("Carregando…")  # said while there is no data

    def sizeHint(self) -> QSize:
        return QSize(520, 260)

    def set_data(self, labels: Sequence[str], series: Sequence[Series]) -> None:
        """Labels along the bottom; each series has one value per label."""
        for item in series:
            if len(item.values) != len(labels):
                raise ValueError("one value per label")
        self._labels = list(labels)
        self._series = list(series)
        self.setAccessibleDescription(self.describe())
        self.update()

    def set_waiting_text(self, text: str) -> None:
        """What to say while there is no data: "Carregando…", or why it did not come."""
        self._waiting = text
        self.setAccessibleDescription(self.describe())
        self.update()

    def empty_text(self) -> str:
        """What the chart says instead of bars: the waiting text before its data, a line
        when every value is zero (a new clinic); "" when it has bars to show."""
        if not self._labels:
            return self._waiting
        if self.maximum() <= 0:
            return self.tr("Nenhum valor nestes meses.")
        return ""

    def describe(self) -> str:
        """The chart in words (accessibility, and what a test can read)."""
        if self.empty_text():
            return self.empty_text()
        parts = []
        for item in self._series:
            values = ", ".join(
                f"{label} {format_brl(value)}"
                for label, value in zip(self._labels, item.values, strict=True)
            )
            parts.append(f"{item.name}: {values}")
        return "; ".join(parts)

    def maximum(self) -> Decimal:
        return max((v for s in self._series for v in s.values), default=Decimal(0))

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() - 1.5, 7.5))
        painter.setFont(small)
        step = nice_step(self.maximum())
        lines = max(int((self.maximum() / step).to_integral_value(ROUND_CEILING)), 1)
        # Room for the widest axis label ("R$ 1.500.000" of a big clinic), at least the usual.
        widest = painter.fontMetrics().horizontalAdvance(axis_label(step * lines))
        left = max(self.MARGIN_LEFT, widest + 16)
        plot = self.rect().adjusted(left, self.MARGIN_TOP, -self.MARGIN_RIGHT, -self.MARGIN_BOTTOM)
        self._bars = []
        if plot.width() <= 10 or plot.height() <= 10:
            painter.end()
            return
        if self._labels:
            self._grid(painter, plot, step, lines)
            self._legend(painter, plot.left())
            self._draw_bars(painter, plot, step * lines)
        if message := self.empty_text():
            painter.setPen(AXIS_TEXT)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, message)
        painter.end()

    def _y(self, plot: QRect, value: Decimal, top: Decimal) -> int:
        height = int((value * plot.height() / top).to_integral_value())
        return plot.bottom() - height

    def _grid(self, painter: QPainter, plot: QRect, step: Decimal, lines: int) -> None:
        top = step * lines
        for index in range(lines + 1):
            value = step * index
            y = self._y(plot, value, top)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(plot.left(), y, plot.right(), y)
            painter.setPen(AXIS_TEXT)
            painter.drawText(
                QRect(0, y - 9, plot.left() - 8, 18),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                axis_label(value),
            )

    def _legend(self, painter: QPainter, x: int) -> None:
        metrics = painter.fontMetrics()
        for item in self._series:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(item.color))
            painter.drawRoundedRect(QRect(x, 9, 12, 12), 3, 3)
            painter.setPen(AXIS_TEXT)
            painter.drawText(QPoint(x + 17, 20), item.name)
            x += 17 + metrics.horizontalAdvance(item.name) + 18

    def _draw_bars(self, painter: QPainter, plot: QRect, top: Decimal) -> None:
        groups = len(self._labels)
        group_width = plot.width() / groups
        count = max(len(self._series), 1)
        bar_width = max(int(group_width * 0.7 / count), 3)
        metrics = painter.fontMetrics()
        for index, text in enumerate(self._labels):
            left = plot.left() + int(group_width * index)
            center = left + int(group_width / 2)
            start = center - bar_width * count // 2
            for position, item in enumerate(self._series):
                value = item.values[index]
                y = self._y(plot, value, top)
                bar = QRect(start + position * bar_width, y, bar_width - 1, plot.bottom() - y)
                if value > 0:
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(QColor(item.color))
                    painter.drawRoundedRect(bar.adjusted(0, 0, 0, 1), 2, 2)
                # The tooltip answers over the whole slot of the bar, not just the bar.
                slot_left = left + int(group_width * position / count)
                slot_width = max(int(group_width / count), 1)
                hover = QRect(slot_left, plot.top(), slot_width, plot.height())
                self._bars.append((hover, f"{item.name} — {text}: {format_brl(value)}"))
        # Month labels: every `every`-th one, counted from the last, so they never overlap.
        widest = max(metrics.horizontalAdvance(text) for text in self._labels) + 8
        every = max(1, -(-widest // max(int(group_width), 1)))
        painter.setPen(AXIS_TEXT)
        for index, text in enumerate(self._labels):
            if (groups - 1 - index) % every:
                continue
            center = plot.left() + int(group_width * index + group_width / 2)
            # Kept inside the widget: the last month of a narrow chart would lose its end.
            x = max(0, min(center - widest // 2, self.width() - widest))
            painter.drawText(
                QRect(x, plot.bottom() + 4, widest, self.MARGIN_BOTTOM - 4),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                text,
            )

    # -- tooltips ----------------------------------------------------------------------------
    def bar_tooltip_at(self, point: QPoint) -> str | None:
        for rect, text in self._bars:
            if rect.contains(point):
                return text
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        text = self.bar_tooltip_at(event.position().toPoint())
        if text:
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)
