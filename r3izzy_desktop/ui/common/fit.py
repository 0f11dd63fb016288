"""Every window and dialog fits, and opens within, the screen's available area (down to a
1024×600 reception PC): `fit_to_screen(window, wanted)` before it is shown.

    class MyDialog(QDialog):
        def __init__(self, parent):
            ...
            fit_to_screen(self, (820, 480))   # the size it would like; less on a small screen

Without `wanted` the window's own size hint is the wish. The size never goes over the
available area (less the window frame the system adds) nor under the window's minimum;
a window not a dialog (Qt centres dialogs over their parent itself) is moved inside the
area. What must still fit a smaller window scrolls (a QScrollArea), never runs off the
screen: the real-window check (tests/ui/test_real_window.py) proves it at 1024×600.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QFrame,
    QLayout,
    QMainWindow,
    QScrollArea,
    QWidget,
)

if TYPE_CHECKING:  # the text boxes' Qt types load with the first form that has one
    from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

# The window frame the system adds around a window not shown yet (title bar and borders
# on Windows 10/11 at 100 %); once shown, the real frame is measured.
FRAME_ALLOWANCE = QSize(16, 40)

# A label whose text may be elided where it is too long (with the whole text in its
# tooltip): `label.setProperty(MAY_ELIDE, True)`; the real-window check spares it.
MAY_ELIDE = "fitMayElide"

_VERTICAL = (QBoxLayout.Direction.TopToBottom, QBoxLayout.Direction.BottomToTop)

# How wide a dialog may grow so that its wrapped texts fit the screen's height.
WIDEST = 900

# The smallest screen the app is made for; windows' minimum sizes stay inside it.
SMALLEST_SCREEN = QSize(1024, 600)


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The available area (without the task bar) of the screen `widget` is on, or will
    open on (its parent's), or the primary screen's. Tests replace this to pretend a
    smaller screen."""
    screen = None
    if widget is not None:
        parent = widget.parentWidget()
        anchor = parent.window() if parent is not None else widget
        screen = anchor.screen()
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 600)


def frame_allowance(window: QWidget) -> QSize:
    """How much bigger than its contents the window is on screen (title bar, borders)."""
    if window.isVisible():
        frame, inner = window.frameGeometry(), window.geometry()
        return QSize(frame.width() - inner.width(), frame.height() - inner.height())
    return QSize(FRAME_ALLOWANCE)


def room_for(window: QWidget) -> QSize:
    """The largest contents size `window` may have on its screen."""
    area = available_geometry(window)
    extra = frame_allowance(window)
    return QSize(max(1, area.width() - extra.width()), max(1, area.height() - extra.height()))


def fit_to_screen(
    window: QWidget, wanted: QSize | tuple[int, int] | None = None, *, fill: bool = False
) -> QSize:
    """Size `window` to `wanted` (its size hint without it; the whole available area with
    `fill`), never larger than the available area of its screen, and keep it inside that
    area. Returns the size given."""
    _layout_keeps_minimum(window)
    if isinstance(window, QDialog):
        watch_growth(window)
    room = room_for(window)
    if fill:
        size = QSize(room)
    elif wanted is None:
        layout = window.layout()
        if layout is not None:
            layout.activate()
        size = window.sizeHint().expandedTo(window.minimumSizeHint())
    else:
        size = QSize(*wanted) if isinstance(wanted, tuple) else QSize(wanted)
    size = size.boundedTo(room).expandedTo(window.minimumSize())
    layout = window.layout()
    if not fill and layout is not None and layout.hasHeightForWidth():
        # Wrapped text gets taller when narrower: wider (up to WIDEST) before taller than
        # the screen, then the height the width needs.
        widest = min(room.width(), max(WIDEST, size.width()))
        if layout.totalHeightForWidth(size.width()) > room.height():
            for wider in range(size.width() + 40, widest + 1, 40):
                if layout.totalHeightForWidth(wider) <= room.height():
                    size.setWidth(wider)  # the first width at which it all fits
                    break
        needed = layout.totalHeightForWidth(size.width())
        size.setHeight(min(room.height(), max(size.height(), needed)))
    window.resize(size)
    if fill:
        area = available_geometry(window)
        window.move(area.topLeft())
    elif window.isVisible() or not isinstance(window, QDialog):
        keep_inside(window)
    return size


def _layout_keeps_minimum(window: QWidget) -> None:
    """A minimum width set on a window switches its layout's minimum off (Qt keeps the one
    set by hand): its texts get cut when the window is narrower than they are. The width
    becomes a strut of the layout, which then keeps both."""
    layout = window.layout()
    if not isinstance(layout, QBoxLayout) or isinstance(window, QMainWindow):
        return
    # Once, before it shows (after, the minimum is the layout's own).
    if window.isVisible() or window.property("_fitStrut"):
        return
    window.setProperty("_fitStrut", True)
    width, height = window.minimumWidth(), window.minimumHeight()
    if width <= 0 and height <= 0:
        return
    # The window's minimum was its whole width (or height); a strut is inside the margins.
    margins = layout.contentsMargins()
    if layout.direction() in _VERTICAL:
        strut = width - margins.left() - margins.right()
    else:
        strut = height - margins.top() - margins.bottom()
    if strut > 0:
        layout.addStrut(strut)
    window.setMinimumSize(0, 0)


def keep_inside(window: QWidget) -> None:
    """Move `window` so that all of it (with its frame) lies in the available area."""
    area = available_geometry(window)
    extra = frame_allowance(window)
    width, height = window.width() + extra.width(), window.height() + extra.height()
    if window.isVisible():
        top_left = window.frameGeometry().topLeft()
    else:
        parent = window.parentWidget()
        over = parent.window().frameGeometry() if parent is not None else area
        centre = over.center()
        top_left = QPoint(centre.x() - width // 2, centre.y() - height // 2)
    x = max(area.left(), min(top_left.x(), area.right() + 1 - width))
    y = max(area.top(), min(top_left.y(), area.bottom() + 1 - height))
    window.move(x, y)


def fits(window: QWidget, area: QRect | None = None) -> bool:
    """Whether `window` (with its frame) lies inside the available area."""
    area = area if area is not None else available_geometry(window)
    return area.contains(window.frameGeometry())


class Scrolling(QScrollArea):
    """`content` in a frameless scroll area that fills it when there is room and scrolls
    (instead of squeezing its text) when the window is smaller than what it needs."""

    def __init__(self, content: QWidget | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("fitScroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        # The viewport is made here, not asked for (`viewport()`): the first widget made
        # by Qt that Python is handed makes PySide6 load every widget class (some 80 enums,
        # 15 ms at start-up). Set up as QScrollArea sets up its own, but not filled.
        viewport = QWidget()
        viewport.setObjectName("qt_scrollarea_viewport")
        viewport.setBackgroundRole(QPalette.ColorRole.NoRole)
        viewport.setAutoFillBackground(False)
        self.setViewport(viewport)
        self.content_parent = viewport
        if content is not None:
            self.set_content(content)

    def set_content(self, content: QWidget) -> None:
        self.setWidget(content)
        content.setAutoFillBackground(False)
        content.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # its size hint is the content's: it changed
        return super().eventFilter(watched, event)

    def hasHeightForWidth(self) -> bool:
        content = self.widget()
        return content is not None and content.hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:
        content = self.widget()
        frame = 2 * self.frameWidth()
        return content.heightForWidth(width - frame) + frame

    def sizeHint(self) -> QSize:
        # As big as its content wants (a scroll area's own hint is small and fixed).
        content = self.widget()
        hint = content.sizeHint() if content is not None else super().sizeHint()
        frame = 2 * self.frameWidth()
        return QSize(hint.width() + frame, hint.height() + frame)


class _ReflowLayout(QLayout):
    """What SideOrBelow and CardGrid share: their items in a list, the whole width taken,
    the height following the width; each lays out in `_arrange(rect, move)`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._items: list = []

    def addItem(self, item) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def _arrange(self, rect: QRect, move: bool) -> int:
        raise NotImplementedError


class SideOrBelow(_ReflowLayout):
    """Two widgets: `right` beside `left` (which takes the rest of the line) when both fit,
    else below it, at the right (a page's title and its buttons on a narrow window)."""

    def __init__(
        self,
        left: QWidget,
        right: QWidget,
        parent: QWidget | None = None,
        *,
        stretch: tuple[int, int] | None = None,
    ):
        """With `stretch` (e.g. (3, 2): two cards) side by side they share the line in that
        proportion, each as tall as the line; below each other, each takes the line."""
        super().__init__(parent)
        self._stretch = stretch
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(8)
        self.addWidget(left)
        self.addWidget(right)

    def sizeHint(self) -> QSize:
        left, right = self._pair()
        m = self.contentsMargins()
        width = left.sizeHint().width() + self.spacing() + right.sizeHint().width()
        height = max(_height(left, left.sizeHint().width()), right.sizeHint().height())
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        left, right = self._pair()
        m = self.contentsMargins()
        width = max(left.minimumSize().width(), right.minimumSize().width())
        return QSize(width + m.left() + m.right(), right.minimumSize().height())

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def _pair(self):
        return self._items[0], self._items[1]

    def side_by_side(self, width: int) -> bool:
        left, right = self._pair()
        if right.isEmpty():
            return True
        wanted = right.minimumSize() if self._stretch else right.sizeHint()
        return left.minimumSize().width() + self.spacing() + wanted.width() <= width

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        left, right = self._pair()
        m = self.contentsMargins()
        inner = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        hint = right.sizeHint() if not right.isEmpty() else QSize(0, 0)
        if self._stretch and self.side_by_side(inner.width()) and not right.isEmpty():
            first, second = self._stretch
            share = inner.width() - self.spacing()
            left_width = share * first // (first + second)
            left_width = max(left.minimumSize().width(), left_width)
            left_width = min(left_width, share - right.minimumSize().width())
            right_width = share - left_width
            height = max(_height(left, left_width), _height(right, right_width))
            if move:
                left.setGeometry(QRect(inner.x(), inner.y(), left_width, height))
                x = inner.x() + left_width + self.spacing()
                right.setGeometry(QRect(x, inner.y(), right_width, height))
        elif self._stretch:
            left_height = _height(left, inner.width())
            right_height = _height(right, inner.width()) if not right.isEmpty() else 0
            height = left_height + (self.spacing() + right_height if right_height else 0)
            if move:
                left.setGeometry(QRect(inner.x(), inner.y(), inner.width(), left_height))
                y = inner.y() + left_height + self.spacing()
                right.setGeometry(QRect(inner.x(), y, inner.width(), right_height))
        elif self.side_by_side(inner.width()):
            left_width = inner.width() - (hint.width() + self.spacing() if hint.width() else 0)
            left_height = _height(left, left_width)
            height = max(left_height, hint.height())
            if move:
                left.setGeometry(QRect(inner.x(), inner.y(), left_width, height))
                if not right.isEmpty():
                    x = inner.right() + 1 - hint.width()
                    y = inner.y() + (height - hint.height()) // 2
                    right.setGeometry(QRect(x, y, hint.width(), hint.height()))
        else:
            left_height = _height(left, inner.width())
            width = min(hint.width(), inner.width())
            height = left_height + self.spacing() + hint.height()
            if move:
                left.setGeometry(QRect(inner.x(), inner.y(), inner.width(), left_height))
                y = inner.y() + left_height + self.spacing()
                right.setGeometry(QRect(inner.right() + 1 - width, y, width, hint.height()))
        return height + m.top() + m.bottom()


def _height(item, width: int) -> int:
    if item.hasHeightForWidth():
        return item.heightForWidth(width)
    return item.sizeHint().height()


def grow_to_fit(widget: QWidget) -> None:
    """After a message appeared in `widget`'s dialog (an error under a field): the dialog
    grows to show all of it, within the screen, instead of cutting it or squeezing the
    rest. Nothing for the main window (its pages scroll) or a window not shown."""
    window = widget.window()
    if isinstance(window, QMainWindow) or not window.isVisible():
        return
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    width = window.width()
    if layout.hasHeightForWidth():
        needed = layout.totalHeightForWidth(width)
    else:
        needed = layout.totalSizeHint().height()
    needed = max(needed, layout.totalMinimumSize().height())
    if needed > window.height():
        fit_to_screen(window, (width, needed))


class _GrowWhenShown(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not isinstance(watched, QWidget):
            return False
        shown = kind == QEvent.Type.Show and not watched.isWindow()
        changed = kind == QEvent.Type.LayoutRequest and watched.isWindow()
        if (shown or changed) and not watched.property("_fitGrowPending"):
            watched.setProperty("_fitGrowPending", True)

            def grow(widget: QWidget = watched) -> None:
                widget.setProperty("_fitGrowPending", False)
                grow_to_fit(widget)

            # After the layout took the new text in.
            QTimer.singleShot(0, watched, grow)
        return False


_GROWER: _GrowWhenShown | None = None


def _grower() -> _GrowWhenShown:
    global _GROWER
    if _GROWER is None:
        _GROWER = _GrowWhenShown()
    return _GROWER


def grow_when_shown(message: QWidget) -> None:
    """Each time `message` appears (an error shown under a field), its dialog grows to
    show all of it (`grow_to_fit`)."""
    message.installEventFilter(_grower())


def watch_growth(dialog: QWidget) -> None:
    """Each time what `dialog` shows changes (a longer text, a button that appears after
    a payment), it grows to show all of it, within the screen (`grow_to_fit`)."""
    dialog.installEventFilter(_grower())


def set_text_lines(editor: QPlainTextEdit | QTextEdit, lines: int) -> None:
    """A text box `lines` lines tall in its own font (it scrolls past them), instead of a
    height in pixels that cuts a line on another font or scale."""
    metrics = editor.fontMetrics()
    margins = editor.contentsMargins()
    document_margin = int(editor.document().documentMargin()) * 2
    height = (
        lines * metrics.lineSpacing()
        + document_margin
        + margins.top()
        + margins.bottom()
        + 2 * editor.frameWidth()
        + 2
    )
    editor.setMinimumHeight(height)
    editor.setMaximumHeight(height)


class CardGrid(_ReflowLayout):
    """Cards side by side, as many to a line as fit at `min_width` each (all of them on a
    wide window; two by two, or one under the other, on a narrow one), all of a line as
    tall as its tallest. `addWidget(card)` in reading order."""

    def __init__(self, parent: QWidget | None = None, *, min_width: int = 220, spacing: int = 14):
        super().__init__(parent)
        self.min_width = min_width
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(spacing)

    def _shown(self) -> list:
        return [item for item in self._items if not item.isEmpty()]

    def _column_width(self, item) -> int:
        return max(self.min_width, item.minimumSize().width())

    def sizeHint(self) -> QSize:
        shown = self._shown()
        m = self.contentsMargins()
        width = sum(max(self._column_width(i), i.sizeHint().width()) for i in shown)
        width += self.spacing() * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i in shown), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        shown = self._shown()
        m = self.contentsMargins()
        width = max((self._column_width(i) for i in shown), default=0)
        height = max((i.minimumSize().height() for i in shown), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def columns_for(self, width: int) -> int:
        shown = self._shown()
        if not shown:
            return 1
        widest = max(self._column_width(i) for i in shown)
        fit = max(1, min(len(shown), (width + self.spacing()) // (widest + self.spacing())))
        # Lines as even as they can be: four cards that do not fit in one line go two by two.
        lines = -(-len(shown) // fit)
        return -(-len(shown) // lines)

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        m = self.contentsMargins()
        inner = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        shown = self._shown()
        columns = self.columns_for(inner.width())
        width = (inner.width() - self.spacing() * (columns - 1)) // columns
        y = inner.y()
        for start in range(0, len(shown), columns):
            line = shown[start : start + columns]
            height = max(max(_height(i, width), i.minimumSize().height()) for i in line)
            if move:
                for position, item in enumerate(line):
                    x = inner.x() + position * (width + self.spacing())
                    item.setGeometry(QRect(x, y, width, height))
            y += height + self.spacing()
        used = y - inner.y() - (self.spacing() if shown else 0)
        return used + m.top() + m.bottom()
