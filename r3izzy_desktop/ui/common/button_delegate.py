"""A push button painted in every cell of one table column, for lists too long for a
widget per row (setIndexWidget builds a QPushButton for each row; a delegate paints them).
A click on the button, or Enter / Space on the row, emits `clicked(row)`."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
)

MARGIN_X, MARGIN_Y = 8, 4


class ButtonDelegate(QStyledItemDelegate):
    """Install with `install(view, column)`; `clicked(row)` says which row's button."""

    clicked = Signal(int)

    def __init__(self, text: str, parent: QObject | None = None):
        super().__init__(parent)
        self.text = text
        self._pressed: QPersistentModelIndex | None = None

    def install(self, view: QAbstractItemView, column: int) -> None:
        view.setItemDelegateForColumn(column, self)
        view.installEventFilter(self)  # Enter / Space on the current row

    def button_rect(self, option: QStyleOptionViewItem):
        return option.rect.adjusted(MARGIN_X, MARGIN_Y, -MARGIN_X, -MARGIN_Y)

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().paint(painter, option, index)
        button = QStyleOptionButton()
        button.rect = self.button_rect(option)
        button.text = self.text
        button.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
        if self._pressed is not None and self._pressed == QPersistentModelIndex(index):
            button.state |= QStyle.StateFlag.State_Sunken
        style = option.widget.style() if option.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_PushButton, button, painter, option.widget)

    def editorEvent(self, event, model, option, index) -> bool:
        if not isinstance(event, QMouseEvent) or event.button() != Qt.MouseButton.LeftButton:
            return False
        inside = self.button_rect(option).contains(event.position().toPoint())
        if event.type() == QEvent.Type.MouseButtonPress and inside:
            self._pressed = QPersistentModelIndex(index)
            return True
        if event.type() == QEvent.Type.MouseButtonRelease:
            pressed, self._pressed = self._pressed, None
            if inside and pressed == QPersistentModelIndex(index):
                self.clicked.emit(index.row())
                return True
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
            view = watched if isinstance(watched, QAbstractItemView) else None
            if view is not None and event.key() in keys and view.currentIndex().isValid():
                self.clicked.emit(view.currentIndex().row())
                return True
        return False
