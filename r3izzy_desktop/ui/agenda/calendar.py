"""The calendar: month and week views, previous / next / today, filters by professional
and location, optionally limited to one patient. One query per visible range.

It shows and navigates; what happens on a double-click or Enter (new session, session
detail) is the `AgendaPanel`'s business, told through signals.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QLocale, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QIcon, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core import agenda, clinic, clock
from ...core.agenda import SessionRow
from ...core.ptbr import MONTHS, format_month_year
from ...core.text import plural
from ..common.fit import MAY_ELIDE, SideOrBelow
from ..common.widgets import icon, label
from . import paint
from .month_view import MonthView
from .week_view import WeekView

MONTH, WEEK = "month", "week"
DEFAULT_HOUR = 9
ROWS_PER_DAY = 16  # sessions of a day the month grid reads (more than a day cell shows)


def week_title(start: date) -> str:
    """ "29 de junho – 5 de julho de 2025", "7 – 13 de julho de 2025"."""
    end = start + timedelta(days=6)
    if start.month == end.month:
        return f"{start.day} – {end.day} de {MONTHS[end.month - 1]} de {end.year}"
    head = f"{start.day} de {MONTHS[start.month - 1]}"
    if start.year != end.year:
        head += f" de {start.year}"
    return f"{head} – {end.day} de {MONTHS[end.month - 1]} de {end.year}"


def color_swatch(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class CalendarWidget(QWidget):
    """Signals: `session_activated(id)` (double-click or menu), `new_session_requested(
    datetime)` (the "+" button, Ctrl+N, a double-clicked day or time slot)."""

    session_activated = Signal(int)
    new_session_requested = Signal(object)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        patient_id: int | None = None,
        patient_only: bool = False,
    ):
        super().__init__(parent)
        self.patient_id = patient_id
        self.patient_only = patient_only or patient_id is not None
        self._view = MONTH
        self._anchor = clock.today()
        self._day_chosen = False  # whether the user picked a day since the last navigation
        self._rows: list[SessionRow] = []  # what the view shows
        self._all_rows: list[SessionRow] | None = []  # every session (None: not read yet)
        first = QLocale().firstDayOfWeek().value  # Qt: 1 = Monday … 7 = Sunday
        self.first_weekday = (first - 1) % 7

        self.month_view = MonthView()
        self.month_view.set_first_weekday(self.first_weekday)
        self.week_view = WeekView()
        self._set_show_patient()
        self.stack = QStackedWidget()
        self.stack.setObjectName("calendarSurface")
        self.stack.addWidget(self.month_view)
        self.stack.addWidget(self.week_view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(self._navigation_bar())
        layout.addLayout(self._filter_bar())
        layout.addWidget(self.stack, 1)
        self._connect_views()
        QShortcut(QKeySequence.StandardKey.New, self, activated=self.request_new_session)
        QShortcut(QKeySequence("Alt+Left"), self, activated=self.go_previous)
        QShortcut(QKeySequence("Alt+Right"), self, activated=self.go_next)
        QShortcut(QKeySequence("Alt+Home"), self, activated=self.go_today)
        self.refresh()

    # -- building -----------------------------------------------------------------------
    def _navigation_bar(self) -> SideOrBelow:
        """Hoje ‹ › and the period's title; the view switch and "Nova sessão" (below them
        when the window is narrow)."""
        left, right = QWidget(), QWidget()
        bar = QHBoxLayout(left)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(8)
        self.today_button = QPushButton(self.tr("Hoje"))
        self.today_button.setToolTip(self.tr("Ir para hoje (Alt+Home)"))
        self.previous_button = _arrow("‹", self.tr("Anterior"), self.tr("Anterior (Alt+←)"))
        self.next_button = _arrow("›", self.tr("Próximo"), self.tr("Próximo (Alt+→)"))
        self.title = label("", "calendarTitle")
        self.title.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.today_button.clicked.connect(self.go_today)
        self.previous_button.clicked.connect(self.go_previous)
        self.next_button.clicked.connect(self.go_next)
        for widget in (self.today_button, self.previous_button, self.next_button):
            bar.addWidget(widget)
        bar.addSpacing(6)
        bar.addWidget(self.title)
        self.count_label = ElidedLabel()
        self.count_label.setObjectName("muted")
        bar.addWidget(self.count_label, 1)

        self.month_button = QPushButton(self.tr("Mês"))
        self.week_button = QPushButton(self.tr("Semana"))
        self.view_group = QButtonGroup(self)
        for position, button in enumerate((self.month_button, self.week_button)):
            button.setCheckable(True)
            button.setProperty("segment", "left" if position == 0 else "right")
            self.view_group.addButton(button)
        self.month_button.setChecked(True)
        self.month_button.setToolTip(self.tr("Visão do mês"))
        self.week_button.setToolTip(self.tr("Visão da semana, por horário"))
        self.month_button.clicked.connect(lambda: self.set_view(MONTH))
        self.week_button.clicked.connect(lambda: self.set_view(WEEK))
        actions = QHBoxLayout(right)
        actions.setContentsMargins(0, 0, 0, 0)
        actions.setSpacing(0)
        actions.addWidget(self.month_button)
        actions.addWidget(self.week_button)
        actions.addSpacing(14)
        self.new_button = QPushButton(icon("plus"), self.tr("Nova sessão"))
        self.new_button.setProperty("primary", True)
        self.new_button.setToolTip(self.tr("Agendar uma sessão (Ctrl+N)"))
        self.new_button.clicked.connect(self.request_new_session)
        actions.addWidget(self.new_button)
        return SideOrBelow(left, right)

    def _filter_bar(self) -> SideOrBelow:
        """Filters by professional (their calendar colours) and location; the legend (below
        them when the window is narrow)."""
        left, right = QWidget(), QWidget()
        bar = QHBoxLayout(left)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(8)
        self.professional_filter = QComboBox()
        self.professional_filter.setAccessibleName(self.tr("Filtrar por profissional"))
        self.professional_filter.setToolTip(
            self.tr("Na semana, cada sessão tem a cor do seu profissional.")
        )
        self.location_filter = QComboBox()
        self.location_filter.setAccessibleName(self.tr("Filtrar por local"))
        for combo in (self.professional_filter, self.location_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._fill_filters()
        self.professional_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.location_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(self.professional_filter)
        bar.addWidget(self.location_filter)
        bar.addStretch(1)
        legend = QHBoxLayout(right)
        legend.setContentsMargins(0, 0, 0, 0)
        legend.setSpacing(8)
        for mark, name, text in (
            ("●", "legendPaid", self.tr("Pago")),
            ("●", "legendOpen", self.tr("Em aberto")),
            ("F", "legendPill", self.tr("Falta")),
            ("FJ", "legendPill", self.tr("Falta justificada")),
        ):
            legend.addWidget(_legend_item(mark, name, text))
            legend.addSpacing(6)
        return SideOrBelow(left, right)

    def _fill_filters(self) -> None:
        for combo, everything, items in (
            (
                self.professional_filter,
                self.tr("Todos os profissionais"),
                [(p.id, p.name, p.color) for p in clinic.list_professionals()],
            ),
            (
                self.location_filter,
                self.tr("Todos os locais"),
                [(loc.id, loc.name, None) for loc in clinic.list_locations()],
            ),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for item_id, name, colour in items:
                if colour:
                    combo.addItem(color_swatch(colour), name, item_id)
                else:
                    combo.addItem(name, item_id)
            found = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(0, found))
            combo.blockSignals(False)

    def _connect_views(self) -> None:
        month, grid = self.month_view, self.week_view.grid
        month.session_activated.connect(self.session_activated)
        grid.session_activated.connect(self.session_activated)
        month.day_activated.connect(
            lambda day: self.new_session_requested.emit(self._default_start(day))
        )
        grid.slot_activated.connect(self.new_session_requested)
        month.day_menu_requested.connect(self._show_day_menu)
        grid.day_menu_requested.connect(self._show_day_menu)
        month.left_month.connect(self._moved_to)
        grid.left_week.connect(self._moved_to)
        for view in (month, grid):
            view.day_selected.connect(self._choose_day)

    def _choose_day(self, _day: date) -> None:
        """The user clicked a day (or moved to one with the keyboard)."""
        self._day_chosen = True

    def _moved_to(self, day: date) -> None:
        """The keyboard moved the selection out of the period: show its period, chosen."""
        self.set_date(day)
        self._day_chosen = True

    def _set_show_patient(self) -> None:
        """In one patient's calendar the entries say the service, not the known name."""
        self.month_view.show_patient = not self.patient_only
        self.week_view.grid.show_patient = not self.patient_only

    def set_patient(self, patient_id: int | None) -> None:
        """Limit the calendar to one patient (None: everyone) and read again."""
        self.patient_id = patient_id
        self._set_show_patient()
        self.refresh()

    # -- navigation ---------------------------------------------------------------------
    def view(self) -> str:
        return self._view

    def anchor(self) -> date:
        return self._anchor

    def set_view(self, view: str) -> None:
        self._view = view
        (self.month_button if view == MONTH else self.week_button).setChecked(True)
        self.stack.setCurrentWidget(self.month_view if view == MONTH else self.week_view)
        self.refresh()

    def set_date(self, day: date) -> None:
        self._anchor = day
        self._day_chosen = False  # navigated: no day clicked in the new period yet
        self.month_view.select_day(day)
        self.week_view.grid.select_day(day)
        self.refresh()

    def go_today(self) -> None:
        self.set_date(clock.today())

    def go_previous(self) -> None:
        self._step(-1)

    def go_next(self) -> None:
        self._step(1)

    def _step(self, direction: int) -> None:
        if self._view == WEEK:
            self.set_date(self._anchor + timedelta(weeks=direction))
            return
        first = self._anchor.replace(day=1)
        target = (
            (first + timedelta(days=32)).replace(day=1)
            if direction > 0
            else (first - timedelta(days=1)).replace(day=1)
        )
        self.set_date(target)

    def visible_range(self) -> tuple[date, date]:
        if self._view == MONTH:
            return self.month_view.grid_range(self._anchor)
        start = paint.week_start(self._anchor, self.first_weekday)
        return start, start + timedelta(days=6)

    def selected_day(self) -> date:
        view = self.month_view if self._view == MONTH else self.week_view.grid
        return view.selected_day()

    # -- data ---------------------------------------------------------------------------
    def filters(self) -> dict[str, int | None]:
        return {
            "patient": self.patient_id,
            "professional": self.professional_filter.currentData(),
            "location": self.location_filter.currentData(),
        }

    def refresh(self) -> None:
        """Read the visible range again and redraw. The month reads only what its days
        have room for (and how many each has); the week reads every session."""
        start, end = self.visible_range()
        self._all_rows: list[SessionRow] | None = None
        if self.patient_only and self.patient_id is None:
            # One patient's calendar, before it is told which.
            self._rows, total, open_count = [], 0, 0
            self._all_rows = []
            if self._view == MONTH:
                self.month_view.set_month(self._anchor, [])
        elif self._view == MONTH:
            month = agenda.first_of_each_day(start, end, ROWS_PER_DAY, **self.filters())
            self._rows, total, open_count = month.rows, month.total, month.open
            if total == len(month.rows):
                self._all_rows = month.rows
            self.month_view.set_month(self._anchor, month.rows, month.per_day)
        else:
            self._rows = self._all_rows = agenda.sessions_between(start, end, **self.filters())
            total = len(self._rows)
            open_count = sum(1 for row in self._rows if row.owes)
        if self._view == MONTH:
            self.title.setText(format_month_year(self._anchor).capitalize())
        else:
            self.week_view.set_week(start, self._rows)
            self.title.setText(week_title(start))
        self.count_label.setText(
            self.tr("{0} · {1} em aberto").format(
                plural(total, self.tr("sessão"), self.tr("sessões")), open_count
            )
        )

    def reload_filters(self) -> None:
        """Professionals or locations may have changed in Configurações."""
        self._fill_filters()

    def rows(self) -> list[SessionRow]:
        """Every session of the visible range (read when first asked, in the month)."""
        if self._all_rows is None:
            start, end = self.visible_range()
            self._all_rows = agenda.sessions_between(start, end, **self.filters())
        return list(self._all_rows)

    def row(self, session_id: int) -> SessionRow | None:
        shown = next((row for row in self._rows if row.id == session_id), None)
        if shown is not None:
            return shown
        return next((row for row in self.rows() if row.id == session_id), None)

    def rows_of_day(self, day: date) -> list[SessionRow]:
        """Every session of `day` (a busy day of the month grid shows only its first)."""
        if self._all_rows is not None:
            return [row for row in self._all_rows if row.starts_at.date() == day]
        return agenda.sessions_between(day, day, **self.filters())

    # -- actions ------------------------------------------------------------------------
    def _default_start(self, day: date) -> datetime:
        return datetime.combine(day, time(DEFAULT_HOUR))

    def request_new_session(self) -> None:
        self.new_session_requested.emit(self._default_start(self.proposed_day()))

    def proposed_day(self) -> date:
        """The day "Nova sessão" proposes: the day the user clicked (or moved to with the
        keyboard) in the view; otherwise today when it is shown, the period's first day
        when the whole period is ahead, and today when it is behind — never a past day
        the user did not choose (issue 15, item 9: it proposed the week's past Sunday)."""
        if self._day_chosen:
            return self.selected_day()
        today = clock.today()
        first, last = self.visible_range()
        if first <= today <= last:
            return today
        return first if first > today else today

    def day_menu(self, day: date) -> QMenu:
        """The day's sessions (choosing one opens it) and "Nova sessão neste dia"."""
        menu = QMenu(self)
        for row in self.rows_of_day(day):
            state = (
                self.tr("pago")
                if row.paid
                else self.tr("em aberto")
                if row.owes
                else self.tr("sem cobrança")
            )
            action = menu.addAction(
                f"{row.starts_at:%H:%M}  {row.patient_name} · {row.service_name}  ({state})"
            )
            action.setIcon(color_swatch(paint.dot_color(row).name()))
            action.triggered.connect(lambda _c=False, i=row.id: self.session_activated.emit(i))
        if menu.actions():
            menu.addSeparator()
        new = menu.addAction(self.tr("Nova sessão neste dia"))
        new.triggered.connect(lambda: self.new_session_requested.emit(self._default_start(day)))
        return menu

    def _show_day_menu(self, day: date, where: QPoint | None) -> None:
        menu = self.day_menu(day)
        menu.popup(where if where is not None else QCursor.pos())


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when narrow instead of being cut mid-word."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setProperty(MAY_ELIDE, True)  # the whole text in its tooltip

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text
        )
        painter.end()


def _arrow(text: str, name: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setObjectName("navArrow")
    button.setText(text)
    button.setToolTip(tip)
    button.setAccessibleName(name)
    return button


def _legend_item(mark: str, name: str, text: str) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    row.addWidget(label(mark, name))
    row.addWidget(label(text, "muted"))
    return box


__all__ = ["MONTH", "WEEK", "CalendarWidget", "week_title"]
