"""The session form's weekly repetition: "Repetir toda semana", the weekdays (e.g.
Tuesdays and Thursdays) and the number of weeks, with a live summary ("20 sessões, de
ter. 01/04 a qui. 05/06."). The dates come from `agenda.weekly_dates`."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QPushButton, QVBoxLayout

from ...core import agenda
from ...core.errors import ValidationError
from ...core.ptbr import WEEKDAYS_SHORT, format_weekday_date
from ...core.text import plural
from ..common.fields import WholeNumberSpin
from ..common.widgets import label

DEFAULT_WEEKS = 10


class RepetitionBox(QFrame):
    """Off by default. While off, the first session's weekday is the one preselected;
    `starts(first)` is every start the repetition makes (just `first` while off)."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(8)
        self.repeat = QCheckBox(self.tr("Repetir toda semana"))
        layout.addWidget(self.repeat)
        days = QHBoxLayout()
        days.setSpacing(6)
        self.weekday_buttons: dict[int, QPushButton] = {}
        first = (QLocale().firstDayOfWeek().value - 1) % 7  # Qt: 1 = Monday
        for offset in range(7):
            weekday = (first + offset) % 7
            button = QPushButton(WEEKDAYS_SHORT[weekday])
            button.setCheckable(True)
            button.setProperty("chip", True)
            button.setAutoDefault(False)  # Enter saves the form, not this
            button.setAccessibleName(self.tr("Repetir em {0}").format(WEEKDAYS_SHORT[weekday]))
            button.toggled.connect(lambda _on: self.changed.emit())
            button.setEnabled(False)
            self.weekday_buttons[weekday] = button
            days.addWidget(button)
        days.addSpacing(12)
        days.addWidget(label(self.tr("por"), "muted"))
        self.weeks = WholeNumberSpin(self.tr("Repetir por (semanas)"))
        self.weeks.setRange(1, 104)
        self.weeks.setValue(DEFAULT_WEEKS)
        self.weeks.setSuffix(self.tr(" semanas"))
        self.weeks.setProperty("plain", True)
        self.weeks.setMinimumWidth(110)
        self.weeks.setEnabled(False)
        self.weeks.valueChanged.connect(lambda _n: self.changed.emit())
        days.addWidget(self.weeks)
        days.addStretch(1)
        layout.addLayout(days)
        self.summary = label("", "muted", wrap=True)
        layout.addWidget(self.summary)
        self.repeat.toggled.connect(self._toggled)

    def _toggled(self, on: bool) -> None:
        for button in self.weekday_buttons.values():
            button.setEnabled(on)
        self.weeks.setEnabled(on)
        self.changed.emit()

    def is_on(self) -> bool:
        return self.repeat.isChecked()

    def weekdays(self) -> list[int]:
        """The chosen weekdays, 0 = Monday."""
        return sorted(day for day, button in self.weekday_buttons.items() if button.isChecked())

    def follow(self, first: datetime) -> None:
        """While off, preselect `first`'s weekday; then say what would be scheduled."""
        if not self.is_on():
            for day, button in self.weekday_buttons.items():
                button.blockSignals(True)
                button.setChecked(day == first.weekday())
                button.blockSignals(False)
        self.summary.setText(self._summary(first))

    def starts(self, first: datetime) -> list[datetime]:
        """Every start: `first` alone while off; raises ValidationError for a bad choice."""
        if not self.is_on():
            return [first]
        return agenda.weekly_dates(first, self.weekdays(), self.weeks.value())

    def _summary(self, first: datetime) -> str:
        if not self.is_on():
            return self.tr("Só esta sessão.")
        try:
            starts = self.starts(first)
        except ValidationError as error:
            return str(error)
        if not starts:
            return self.tr("Nenhuma data a partir do dia escolhido.")
        return self.tr("{0}, de {1} a {2}.").format(
            plural(len(starts), self.tr("sessão"), self.tr("sessões")),
            format_weekday_date(starts[0]),
            format_weekday_date(starts[-1]),
        )
