"""Small building blocks shared by the screens: cards, badges, the floating + button,
form fields, page headers and the "coming soon" page. The number and money editors are
in fields.py (the first page, the patients list, has none)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...resources import resource_path
from .fit import SideOrBelow, grow_to_fit, grow_when_shown


def icon(name: str) -> QIcon:
    return QIcon(str(resource_path("icons", f"{name}.svg")))


def is_connected(owner: QObject, signal) -> bool:
    """Someone listens to `owner`'s `signal` (a tab built alone, in a test, has nobody)."""
    from PySide6.QtCore import QMetaMethod  # its Qt type loads when first needed

    return owner.isSignalConnected(QMetaMethod.fromSignal(signal))


def repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


# Messages that appear in a dialog (an error, a warning): the dialog grows to show them.
GROWING_LABELS = ("fieldError", "warning", "warningNote")


def label(text: str, name: str | None = None, *, wrap: bool = False) -> QLabel:
    widget = QLabel(text)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    if name in GROWING_LABELS:
        grow_when_shown(widget)
    return widget


class Card(QFrame):
    """A white rounded panel (style: QFrame#card)."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None, *, clickable: bool = False):
        super().__init__(parent)
        self.setObjectName("card")
        self.setProperty("clickable", clickable)
        self._clickable = clickable
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(16, 14, 16, 14)
        self.body.setSpacing(8)
        if clickable:
            self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_selected(self, selected: bool) -> None:
        self.setProperty("selected", selected)
        repolish(self)

    def mouseReleaseEvent(self, event) -> None:
        if self._clickable and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class StatusBadge(QLabel):
    """A coloured pill with a package status (ativo green, inativo grey, finalizado blue,
    encerrado slate), or "pago" / "aberto" for a session."""

    def __init__(self, status: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("badge")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.set_status(status)

    def set_status(self, status: str, text: str | None = None) -> None:
        self.setProperty("status", status)
        self.setText(text if text is not None else status)  # the manual's words: ativo, …
        repolish(self)


class FloatingButton(QToolButton):
    """The round floating + that stays in the bottom-right corner of its parent, whatever
    the parent's size or scroll position (it is a child of the viewport's parent, moved on
    every resize)."""

    SIZE = 56
    MARGIN = 24

    def __init__(self, parent: QWidget, tooltip: str):
        super().__init__(parent)
        self.setObjectName("fab")
        self.setIcon(icon("plus"))
        self.setIconSize(QSize(26, 26))
        self.setFixedSize(self.SIZE, self.SIZE)
        self.setToolTip(tooltip)
        self.setAccessibleName(tooltip)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        parent.installEventFilter(self)
        self._place()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._place()
        return False

    def _place(self) -> None:
        parent = self.parentWidget()
        self.move(
            parent.width() - self.SIZE - self.MARGIN, parent.height() - self.SIZE - self.MARGIN
        )
        self.raise_()


def set_field_error(field: QWidget, message_label: QLabel, message: str | None) -> None:
    """Show (or clear) an inline validation message under a form field."""
    field.setProperty("error", bool(message))
    repolish(field)
    message_label.setText(message or "")
    message_label.setVisible(bool(message))
    if message:
        grow_to_fit(message_label)  # the dialog grows to show it, never cuts it


class PageHeader(QWidget):
    """Title, optional subtitle, and room on the right for the page's buttons."""

    def __init__(self, title: str, subtitle: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        text_box, action_box = QWidget(), QWidget()
        texts = QVBoxLayout(text_box)
        texts.setContentsMargins(0, 0, 0, 0)
        texts.setSpacing(2)
        self.title = label(title, "pageTitle")
        self.subtitle = label(subtitle, "pageSubtitle", wrap=True)
        self.subtitle.setVisible(bool(subtitle))
        texts.addWidget(self.title)
        texts.addWidget(self.subtitle)
        self.actions = QHBoxLayout(action_box)
        self.actions.setContentsMargins(0, 0, 0, 0)
        self.actions.setSpacing(8)
        # The buttons beside the title, or below it on a narrow window (1024×600).
        SideOrBelow(text_box, action_box, self)

    def set_subtitle(self, text: str) -> None:
        self.subtitle.setText(text)
        self.subtitle.setVisible(bool(text))


class ComingSoonPage(QWidget):
    """A page whose feature has not landed yet: says what is coming, never a blank."""

    def __init__(self, title: str, coming: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("page")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.addWidget(PageHeader(title, "Em preparação: esta área chega numa próxima versão."))
        card = Card()
        card.body.addWidget(label("O que vem aqui:", "sectionTitle"))
        for item in coming:
            card.body.addWidget(label(f"•  {item}", wrap=True))
        layout.addWidget(card)
        layout.addStretch(1)

    def refresh(self) -> None:
        return None


class FormField(QWidget):
    """One form field as the dialogs lay them out: a label above, the editor, and an inline
    error message below (hidden while there is none). `set_error(None)` clears it."""

    def __init__(
        self, title: str, editor: QWidget, *, hint: str = "", parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.editor = editor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.title = label(title, "fieldLabel")
        self.title.setBuddy(editor)
        layout.addWidget(self.title)
        layout.addWidget(editor)
        self.hint = label(hint, "muted", wrap=True)
        self.hint.setVisible(bool(hint))
        layout.addWidget(self.hint)
        self.error_label = label("", "fieldError", wrap=True)
        self.error_label.setVisible(False)
        layout.addWidget(self.error_label)
        # An editor that checks what is typed (DateEdit, WholeNumberEdit) says why here.
        refused = getattr(editor, "errorChanged", None)
        if refused is not None:
            refused.connect(lambda message: self.set_error(message or None))

    def set_error(self, message: str | None) -> None:
        set_field_error(self.editor, self.error_label, message)

    def error(self) -> str:
        return self.error_label.text() if self.error_label.isVisibleTo(self) else ""
