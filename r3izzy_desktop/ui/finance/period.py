"""A period picker: a preset ("Este mês", "Mês passado", …) and the two dates De / Até.

Editing a date switches the preset to "Personalizado". With `allow_all=True` the first
preset is "Todas as datas" (no period: `period()` returns (None, None)).
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from ...core import clock
from ...core.ptbr import format_date
from ...core.reports.finance import add_months, current_month
from ..common.date_edit import DateEdit
from ..common.widgets import label

ALL, THIS_MONTH, LAST_MONTH, LAST_3_MONTHS, THIS_YEAR, LAST_YEAR, CUSTOM = (
    "all",
    "this_month",
    "last_month",
    "last_3_months",
    "this_year",
    "last_year",
    "custom",
)


def preset_range(preset: str, today: date) -> tuple[date, date] | None:
    """The dates of a preset, None for "all" and "custom"."""
    first, last = current_month(today)
    if preset == THIS_MONTH:
        return first, last
    if preset == LAST_MONTH:
        start = add_months(first, -1)
        return start, first - timedelta(days=1)
    if preset == LAST_3_MONTHS:
        return add_months(first, -2), last
    if preset == THIS_YEAR:
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if preset == LAST_YEAR:
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    return None


class PeriodPicker(QWidget):
    """Emits `changed()` whenever the period it describes changes."""

    changed = Signal()

    def __init__(
        self, *, allow_all: bool = False, title: str = "Período", parent: QWidget | None = None
    ):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.preset = QComboBox()
        self.preset.setAccessibleName(title)
        options = [
            (self.tr("Este mês"), THIS_MONTH),
            (self.tr("Mês passado"), LAST_MONTH),
            (self.tr("Últimos 3 meses"), LAST_3_MONTHS),
            (self.tr("Este ano"), THIS_YEAR),
            (self.tr("Ano passado"), LAST_YEAR),
            (self.tr("Personalizado"), CUSTOM),
        ]
        if allow_all:
            options.insert(0, (self.tr("Todas as datas"), ALL))
        for text, key in options:
            self.preset.addItem(text, key)
        self.start = self._date_edit(self.tr("De"))
        self.end = self._date_edit(self.tr("Até"))
        title_label = label(title, "fieldLabel")
        title_label.setBuddy(self.preset)
        row.addWidget(title_label)
        row.addWidget(self.preset)
        self.start_label = label(self.tr("De"), "fieldLabel")
        self.end_label = label(self.tr("Até"), "fieldLabel")
        row.addWidget(self.start_label)
        row.addWidget(self.start)
        row.addWidget(self.end_label)
        row.addWidget(self.end)
        self._updating = False
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.start.dateChanged.connect(self._date_edited)
        self.end.dateChanged.connect(self._date_edited)
        self.set_preset(ALL if allow_all else THIS_MONTH)

    def _date_edit(self, name: str) -> DateEdit:
        edit = DateEdit()
        edit.setAccessibleName(name)
        edit.setMinimumWidth(120)
        return edit

    def set_preset(self, key: str) -> None:
        index = self.preset.findData(key)
        if index < 0:
            raise ValueError(f"unknown preset {key}")
        if index == self.preset.currentIndex():
            self._preset_chosen(index)
        else:
            self.preset.setCurrentIndex(index)

    def set_range(self, start: date, end: date) -> None:
        """A custom period."""
        self._updating = True
        self.preset.setCurrentIndex(self.preset.findData(CUSTOM))
        self.start.setDate(QDate(start))
        self.end.setDate(QDate(end))
        self._updating = False
        self._show_dates(True)
        self.changed.emit()

    def _preset_chosen(self, _index: int) -> None:
        if self._updating:
            return
        key = self.preset.currentData()
        dates = preset_range(key, clock.today())
        if dates is not None:
            self._updating = True
            self.start.setDate(QDate(dates[0]))
            self.end.setDate(QDate(dates[1]))
            self._updating = False
        self._show_dates(key != ALL)
        self.changed.emit()

    def _show_dates(self, visible: bool) -> None:
        for widget in (self.start_label, self.start, self.end_label, self.end):
            widget.setVisible(visible)

    def _date_edited(self) -> None:
        if self._updating:
            return
        if self.preset.currentData() != CUSTOM:
            self._updating = True
            self.preset.setCurrentIndex(self.preset.findData(CUSTOM))
            self._updating = False
        self.changed.emit()

    def period(self) -> tuple[date | None, date | None]:
        """(start, end), both included; (None, None) for "Todas as datas"."""
        if self.preset.currentData() == ALL:
            return None, None
        return self.start.date().toPython(), self.end.date().toPython()

    def describe(self) -> str:
        start, end = self.period()
        if start is None or end is None:
            return self.preset.currentText()
        return f"{format_date(start)} a {format_date(end)}"
