"""The editors for numbers as people type them: money (`1.000,50`), a count of sessions,
a count in a spin box (minutes, weeks, days). Each refuses what it cannot read with a
message in Portuguese, never reading `2,5` as 25; the parsing is the core's (ptbr)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QSpinBox, QToolTip, QWidget

from ...core.errors import ValidationError
from ...core.ptbr import parse_money, parse_whole_number
from .parsed_edit import ParsedLineEdit
from .widgets import repolish


class MoneyEdit(ParsedLineEdit):
    """A line edit for money as people type it (`1.000,50`, `R$ 10`, `1000.5`).

    `value()` is the Decimal or None while the text is not a valid amount; `error()` says
    why in Portuguese. Parsing is the core's (`ptbr.parse_money`).
    """

    valueChanged = Signal(object)  # Decimal | None

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText("0,00")
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.textChanged.connect(lambda _text: self.valueChanged.emit(self.value()))

    def value(self) -> Decimal | None:
        return super().value()

    def _parse(self) -> Decimal:
        return parse_money(self.text())


class WholeNumberEdit(ParsedLineEdit):
    """A count typed by a person ("Número de sessões"): digits only, or refused with a
    message (`2,5`, `1.000,00` are never read as 25 or 1000). Every character typed stays
    visible; `value()` is the int or None, `error()` says why (the core's
    `ptbr.parse_whole_number`); Enter on a refused text never reaches the default button."""

    valueChanged = Signal(object)  # int | None
    errorChanged = Signal(str)

    def __init__(self, label_text: str, *, low: int, high: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.label_text, self.low, self.high = label_text, low, high
        self.setMaxLength(20)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.textChanged.connect(lambda _text: self.valueChanged.emit(self.value()))
        self.textEdited.connect(lambda _text: self.errorChanged.emit(""))
        self.editingFinished.connect(self.check)

    def value(self) -> int | None:
        return super().value()

    def check(self) -> bool:
        """Say why the text is refused (nothing to say while it is empty)."""
        message = self.error() if self.text().strip() else None
        self.errorChanged.emit(message or "")
        return message is None

    def _parse(self) -> int:
        return parse_whole_number(self.text(), self.label_text, low=self.low, high=self.high)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.check():
            event.accept()
            return
        super().keyPressEvent(event)


class WholeNumberSpin(QSpinBox):
    """A spin box for a count (minutes, weeks, days) that refuses what is not a whole number
    instead of dropping the comma: QSpinBox alone turns a typed `2,5` into 25 and
    `1.000,00` into 1000. The refused text stays as typed with the reason (tooltip and
    `errorChanged`); Enter on it never reaches the default button; leaving the field puts
    back the number it had before."""

    errorChanged = Signal(str)

    def __init__(self, label_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.label_text = label_text
        self._before = self.value()
        self.lineEdit().textEdited.connect(lambda _text: self.errorChanged.emit(""))

    def _typed(self) -> str:
        text = self.lineEdit().text()
        if self.prefix() and text.startswith(self.prefix()):
            text = text[len(self.prefix()) :]
        if self.suffix() and text.endswith(self.suffix()):
            text = text[: -len(self.suffix())]
        return text.strip()

    def validate(self, text: str, pos: int):
        typed = text
        if self.prefix() and typed.startswith(self.prefix()):
            typed = typed[len(self.prefix()) :]
        if self.suffix() and typed.endswith(self.suffix()):
            typed = typed[: -len(self.suffix())]
        typed = typed.strip()
        if typed and not (typed.isascii() and typed.isdigit()):
            return QValidator.State.Intermediate, text, pos  # kept as typed, to be refused
        return super().validate(text, pos)

    def error(self) -> str | None:
        typed = self._typed()
        if not typed:
            return None
        try:
            parse_whole_number(typed, self.label_text, low=self.minimum(), high=self.maximum())
        except ValidationError as exc:
            return str(exc)
        return None

    def _refuse(self) -> bool:
        message = self.error()
        self.errorChanged.emit(message or "")
        if message:
            self.setProperty("error", True)
            repolish(self)
            QToolTip.showText(self.mapToGlobal(self.rect().bottomLeft()), message, self)
            return True
        return False

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._refuse():
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:
        self._before = self.value()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:
        if self._refuse():
            self.setValue(self._before)
            self.lineEdit().setText(self.textFromValue(self._before) + self.suffix())
        else:
            self.setProperty("error", False)
            repolish(self)
        super().focusOutEvent(event)
