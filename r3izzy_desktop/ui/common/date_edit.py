"""The app's one date field: takes a date the way a person types it, or says why not.

`DateEdit` is a line edit (not a QDateEdit, whose section editing turned a typed
`15/03/2026` into 02/03/2026 and `31/02/2026` into 02/02/2026 without a word). The text
is read by the core (`ptbr.parse_date`: `15/03/2026`, `15032026`, `1/3/26`, `15/3`);
what is not a real day is refused with the reason (red border, the message as a tooltip,
`errorChanged` for a FormField to show it under the field), and Enter on it never reaches
the dialog's default button. A click on the field, or Tab into it, selects the text so
typing replaces it. The calendar button (and Alt+↓ / F4) opens a calendar big enough to
read; ↑/↓ move a day. `date()` is always the last date accepted; `value()`/`error()` read
what is typed now, so a screen never saves a date other than the one shown.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QLocale, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QLineEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ...core import clock
from ...core.errors import ValidationError
from ...core.ptbr import WEEKDAYS_SHORT, format_date, format_weekday_date, parse_date
from .parsed_edit import ParsedLineEdit
from .widgets import icon, repolish

PT_BR = QLocale(QLocale.Language.Portuguese, QLocale.Country.Brazil)
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _strip_weekday(text: str) -> str:
    """ "qua. 15/03/2026" -> "15/03/2026": the weekday a field shows is not typed back."""
    raw = text.strip()
    lowered = raw.lower()
    for name in WEEKDAYS_SHORT:
        for prefix in (name, name.rstrip(".")):
            if lowered.startswith(prefix):
                return raw[len(prefix) :].strip()
    return raw


class CalendarPopup(QFrame):
    """The calendar under a DateEdit: a popup window, every weekday header and all six
    rows readable (Qt's default size cuts "seg." to "…" and the last row)."""

    def __init__(self, owner: DateEdit):
        super().__init__(owner, Qt.WindowType.Popup)
        self.setObjectName("calendarPopup")
        self.owner = owner
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.calendar = QCalendarWidget()
        self.calendar.setLocale(PT_BR)
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setHorizontalHeaderFormat(
            QCalendarWidget.HorizontalHeaderFormat.ShortDayNames
        )
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Sunday)
        layout.addWidget(self.calendar)
        self.calendar.clicked.connect(self._chosen)
        self.calendar.activated.connect(self._chosen)

    def readable_size(self) -> None:
        """Room for the widest weekday name and six rows of days, in this font."""
        metrics = self.calendar.fontMetrics()
        names = [PT_BR.dayName(d, QLocale.FormatType.ShortFormat) for d in range(1, 8)]
        widest = max(metrics.horizontalAdvance(n) for n in [*names, "00"])
        cell_w = widest + 22
        cell_h = metrics.height() + 14
        navigation = max(metrics.height() + 22, 40)
        self.calendar.setMinimumSize(7 * cell_w + 8, navigation + 7 * cell_h + 8)

    def open_at(self, day: QDate) -> None:
        self.calendar.setSelectedDate(day)
        self.readable_size()
        self.adjustSize()
        below = self.owner.mapToGlobal(QPoint(0, self.owner.height()))
        screen = self.owner.screen().availableGeometry()
        x = min(max(below.x(), screen.left()), screen.right() - self.width())
        y = below.y()
        if y + self.height() > screen.bottom():  # no room below: above the field
            y = self.owner.mapToGlobal(QPoint(0, 0)).y() - self.height()
        self.move(x, max(y, screen.top()))
        self.show()
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _chosen(self, day: QDate) -> None:
        self.hide()
        self.owner.setDate(day)
        self.owner.setFocus(Qt.FocusReason.PopupFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            self.owner.setFocus(Qt.FocusReason.PopupFocusReason)
            return
        super().keyPressEvent(event)


class DateEdit(ParsedLineEdit):
    """A pt-BR date field (see the module's docstring). `weekday=True` shows "qua. 15/03/2026"."""

    dateChanged = Signal(QDate)
    errorChanged = Signal(str)  # the message, "" once the text is a date again

    def __init__(
        self,
        day: date | QDate | None = None,
        parent: QWidget | None = None,
        *,
        weekday: bool = False,
    ):
        super().__init__(parent)
        self._weekday = weekday
        self._minimum: QDate | None = None
        self._maximum: QDate | None = None
        self._error = ""
        self.setLocale(PT_BR)
        self.setPlaceholderText(self.tr("dd/mm/aaaa"))
        self.setToolTip(self.tr("Digite a data (ex.: 15/03/2026 ou 15032026) ou abra o calendário"))
        self._calendar = CalendarPopup(self)
        self._calendar.hide()
        action = self.addAction(icon("calendar"), QLineEdit.ActionPosition.TrailingPosition)
        action.setToolTip(self.tr("Abrir o calendário (Alt+↓)"))
        action.triggered.connect(self.show_calendar)
        self.calendar_action = action
        # Never narrower than its longest date and the calendar icon: a squeezed field
        # scrolled its text and showed ")1/12/2026" (issue 15: no text cut).
        sample = "qua. 00/00/0000" if weekday else "00/00/0000"
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(sample) + 40)
        self._date = QDate()
        self.setDate(day if day is not None else clock.today())
        self.editingFinished.connect(self.commit)
        self.textEdited.connect(self._typing)

    # -- the QDateEdit API the screens use ----------------------------------------------------
    def date(self) -> QDate:
        """The date typed, when the text is one (even before Enter or Tab took it: a click
        on "Salvar" reads what is shown); otherwise the last date accepted — a screen checks
        `error()` first, so it never saves that one in place of what is shown."""
        day = self.value()
        return to_qdate(day) if day is not None else QDate(self._date)

    def setDate(self, day: date | QDate) -> None:
        qday = day if isinstance(day, QDate) else to_qdate(day)
        if not qday.isValid():
            return
        changed = qday != self._date
        self._date = QDate(qday)
        self.setText(self._shown(qday))
        self._set_error("")
        if changed:
            self.dateChanged.emit(QDate(qday))

    def setMinimumDate(self, day: date | QDate) -> None:
        self._minimum = day if isinstance(day, QDate) else to_qdate(day)
        self._calendar.calendar.setMinimumDate(self._minimum)

    def setMaximumDate(self, day: date | QDate) -> None:
        self._maximum = day if isinstance(day, QDate) else to_qdate(day)
        self._calendar.calendar.setMaximumDate(self._maximum)

    def displayFormat(self) -> str:
        return "ddd dd/MM/yyyy" if self._weekday else "dd/MM/yyyy"

    def calendarPopup(self) -> bool:
        return True  # always: the calendar button, Alt+↓ or F4

    def calendarWidget(self) -> QCalendarWidget:
        return self._calendar.calendar

    def calendar_popup(self) -> CalendarPopup:
        return self._calendar

    # -- reading what is typed ----------------------------------------------------------------
    def value(self) -> date | None:
        """The date typed now, None while the text is not one (see `error()`)."""
        return super().value()

    def commit(self) -> bool:
        """Take the typed text as the date, or refuse it with the message (kept on screen
        until the text changes). True when the field holds a date."""
        try:
            day = self._parse()
        except ValidationError as exc:
            self._set_error(str(exc))
            if self.isVisible():
                QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), str(exc), self)
            return False
        self.setDate(day)
        self.setText(self._shown(self._date))  # "15032026" is shown back as 15/03/2026
        return True

    def show_calendar(self) -> None:
        day = self.value()
        self._calendar.open_at(to_qdate(day) if day else self._date)

    # -- behaviour ----------------------------------------------------------------------------
    def _parse(self) -> date:
        day = parse_date(_strip_weekday(self.text()), default_year=self._date.year() or None)
        if self._minimum is not None and to_qdate(day) < self._minimum:
            raise ValidationError(
                self.tr("A data não pode ser antes de {0}.").format(
                    format_date(from_qdate(self._minimum))
                )
            )
        if self._maximum is not None and to_qdate(day) > self._maximum:
            raise ValidationError(
                self.tr("A data não pode ser depois de {0}.").format(
                    format_date(from_qdate(self._maximum))
                )
            )
        return day

    def _shown(self, day: QDate) -> str:
        value = from_qdate(day)
        if self._weekday:
            return f"{format_weekday_date(value).split(' ')[0]} {format_date(value)}"
        return format_date(value)

    def _typing(self, _text: str) -> None:
        if self._error:
            self._set_error("")

    def _set_error(self, message: str) -> None:
        if message == self._error:
            return
        self._error = message
        self.setProperty("error", bool(message))
        repolish(self)
        self.errorChanged.emit(message)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in _ENTER:
            if not self.commit():
                event.accept()  # never the dialog's default button with a misread date
                return
            event.ignore()  # a good date: Enter goes on to the dialog's default button
            return
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if key == Qt.Key.Key_F4 or (alt and key == Qt.Key.Key_Down):
            self.show_calendar()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not alt:
            if self.commit():
                step = 1 if key == Qt.Key.Key_Up else -1
                self.setDate(self._date.addDays(step))
                self.selectAll()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            # After the mouse press has placed the cursor: select all, so typing replaces.
            QTimer.singleShot(0, self, self.selectAll)

    def event(self, event: QEvent) -> bool:
        # Enter is a shortcut override in a dialog; take it so keyPressEvent decides.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER
            and self.error()
        ):
            event.accept()
            return True
        return super().event(event)
