"""The main window: a navigation rail (Pacientes, Agenda, Receitas, Gestão Financeira,
Configurações) and one page at a time. It remembers its size and position. Beside
"Gestão Financeira" the rail shows how many package alerts there are (R22).

With users (R23) the rail names who is logged in and offers "Trocar usuário"; a page the
role does not use is not offered (Gestão Financeira for recepção, Configurações for all
but administrators), and the window locks after the clinic's idle minutes (lock.py). On
a new database the first-run banner asks how the clinic wants to work (first_run.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ... import APP_NAME
from ...core import users
from ..common.fit import Scrolling, fit_to_screen
from ..common.widgets import icon, label


class PageSpec(NamedTuple):
    key: str
    title: str
    icon: str
    factory: Callable[[QWidget], QWidget]  # builds the page inside the widget it is given
    permission: str | None = None  # an access.PERMISSIONS name; None: every role


def _patients_page(parent: QWidget) -> QWidget:
    from ..patients.area import PatientsArea

    area = PatientsArea(parent)

    def calendar_for(_patient_id: int) -> QWidget:
        # "Agenda do paciente": the agenda's calendar, told which patient the page shows;
        # what it pays shows at once in the page's package summary. Built when the first
        # patient is opened, so the start-up does not load the agenda.
        from ..agenda import patient_calendar

        calendar = patient_calendar()
        calendar.changed.connect(area.patient_page.refresh)
        return calendar

    area.calendar_factory = calendar_for
    return area


def _agenda_page(parent: QWidget) -> QWidget:
    from ..agenda import AgendaPage

    return AgendaPage(parent)


def _receitas_page(parent: QWidget) -> QWidget:
    from ..receitas import ReceitasPage

    return ReceitasPage(parent)


def _finance_page(parent: QWidget) -> QWidget:
    from ..finance.page import FinancePage

    return FinancePage(parent)


def _settings_page(parent: QWidget) -> QWidget:
    from ..settings.page import SettingsPage

    return SettingsPage(parent=parent)


def default_pages() -> list[PageSpec]:
    """The app's pages, in navigation order. A page reads its data when it is built; it
    may have `refresh()` (called each time it is shown again), `focus_search()` and
    `window_closing()`. Imports are local so that start-up only loads the first page."""
    return [
        PageSpec("patients", "Pacientes", "patients", _patients_page),
        PageSpec("agenda", "Agenda", "agenda", _agenda_page),
        PageSpec("receitas", "Receitas", "receitas", _receitas_page),
        PageSpec("finance", "Gestão Financeira", "finance", _finance_page, "view.finance"),
        PageSpec("settings", "Configurações", "settings", _settings_page, "view.settings"),
    ]


MINIMUM_SIZE = QSize(960, 500)


class MainWindow(QMainWindow):
    SETTINGS_GEOMETRY = "main_window/geometry"

    # A page says the data under every page was replaced (a restore; `url`, another
    # database in use): (the Configurações tab it came from, url or ""). The app rebuilds
    # the window (app.AppSession.reopen).
    data_replaced = Signal(str, str)
    # Another user logged in (or the first administrator was created): the app rebuilds
    # the window for that role.
    user_changed = Signal(object)

    def __init__(self, pages: list[PageSpec] | None = None, *, subtitle: str = ""):
        super().__init__()
        self.setWindowTitle(f"{APP_NAME} — {subtitle}" if subtitle else APP_NAME)
        # Inside a 1024×600 screen with its task bar and the window's title bar.
        self.setMinimumSize(MINIMUM_SIZE)
        self._specs = pages if pages is not None else default_pages()
        self._pages: dict[str, QWidget] = {}
        self._scrolls: dict[str, Scrolling] = {}

        # Built from the window down, each part placed before it is filled: under the app's
        # style sheet a widget placed with children restyles every one of them again.
        central = QWidget(self)
        self.setCentralWidget(central)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)

        rail = QWidget(central)
        row.addWidget(rail)
        rail.setFixedWidth(236)  # room for "Gestão Financeira (12)" in bold (set_count)
        # White by style.qss: a style sheet of its own had Qt polish the rail and everything
        # in it once more at start-up (about 7 ms).
        rail.setObjectName("rail")
        rail_layout = QVBoxLayout(rail)
        rail_layout.setContentsMargins(0, 0, 0, 0)
        rail_layout.setSpacing(0)
        rail_layout.addWidget(label("R3izzy", "brand"))
        self.nav = QListWidget(rail)
        self.nav.setObjectName("nav")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setAccessibleName("Navegação")
        # A count beside a name (set_count) never brings a scroll bar to the rail.
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # What the rail offers, the first-run question, the first steps and the lock, asked
        # in one read (on a server each read is a round trip, at every start).
        start = users.window_start(*self._permissions())
        offered = self._offered(start.allowed)
        for spec in self._specs:
            item = QListWidgetItem(icon(spec.icon), spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
            item.setHidden(not offered[spec.key])
        rail_layout.addWidget(self.nav, 1)
        self.user_label = label("", "muted", wrap=True)
        self.user_label.setObjectName("railUser")
        self.user_label.setContentsMargins(16, 4, 16, 0)
        rail_layout.addWidget(self.user_label)
        self.switch_button = QPushButton(self.tr("Trocar usuário"))
        self.switch_button.setObjectName("railLink")
        self.switch_button.setToolTip(self.tr("Sai deste usuário; a tela fica bloqueada"))
        self.switch_button.clicked.connect(self.switch_user)
        rail_layout.addWidget(self.switch_button)
        self.about_button = QPushButton("Sobre o programa")
        self.about_button.setObjectName("railLink")
        self.about_button.setToolTip("Versão, pasta de dados, banco de dados em uso (F1)")
        self.about_button.clicked.connect(self.show_about)
        rail_layout.addWidget(self.about_button)

        content = QWidget(central)
        row.addWidget(content, 1)
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.first_run = None
        if start.first_run_question:
            from .first_run import FirstRunBanner

            self.first_run = FirstRunBanner()
            self.first_run.user_changed.connect(self.user_changed)
            column.addWidget(self.first_run)
        self.checklist = None
        if not start.has_patients:  # wanted() is no for a clinic with patients: not imported
            from . import setup_checklist

            if setup_checklist.wanted(has_patients=False):
                self.checklist = setup_checklist.SetupChecklist()
                self.checklist.step_clicked.connect(self.do_setup_step)
                column.addWidget(self.checklist)
        self.stack = QStackedWidget(content)
        column.addWidget(self.stack, 1)
        self.statusBar()

        self.nav.currentRowChanged.connect(self._on_nav)
        self.nav.itemClicked.connect(self._on_nav_clicked)
        for number, spec in enumerate(self._specs, start=1):
            if not offered[spec.key]:
                continue
            shortcut = QShortcut(QKeySequence(f"Alt+{number}"), self)
            shortcut.activated.connect(lambda key=spec.key: self.show_page(key))
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._find_patient)
        QShortcut(QKeySequence("F1"), self, activated=self.show_about)
        self._restore_geometry()
        self.nav.setCurrentRow(0)
        # Another PC changed the data: the visible page reloads within seconds.
        from .alert_count import AlertCount
        from .live_refresh import LiveRefresh

        self.live_refresh = LiveRefresh(self)
        self.alert_count = AlertCount(self)
        from .lock import SessionLock

        self.lock = SessionLock(self, start.lock_minutes)
        self.lock.user_changed.connect(self.user_changed)
        self._show_user()

    # -- who is logged in -------------------------------------------------------------------
    def offers(self, key: str) -> bool:
        """Whether the rail offers the page `key` to the user logged in."""
        return self._offered()[key]

    def _permissions(self) -> set[str]:
        return {s.permission for s in self._specs if s.permission}

    def _offered(self, allowed: dict[str, bool] | None = None) -> dict[str, bool]:
        """Whether the rail offers each page, from `allowed` (the operations' `can_each`),
        else asked of the core at once."""
        if allowed is None:
            allowed = users.can_each(*self._permissions())
        return {s.key: s.permission is None or allowed[s.permission] for s in self._specs}

    def _show_user(self) -> None:
        me = users.current_user()
        self.user_label.setText(f"{me.name}\n{me.role_label}" if me else "")
        self.user_label.setVisible(me is not None)
        self.switch_button.setVisible(me is not None)

    def switch_user(self) -> None:
        """Log the user out and lock the window until someone logs in."""
        self.lock.lock(switch_user=True)

    # -- the first steps -----------------------------------------------------------------
    SETUP_TABS = {
        "clinic_data": "Clínica",
        "services": "Serviços",
        "professionals": "Profissionais",
    }

    def do_setup_step(self, key: str) -> None:
        """Take the user to a first step of the checklist: a Configurações tab, or the new
        patient form."""
        if key in self.SETUP_TABS:
            if self.offers("settings"):
                self.show_page("settings").show_tab(self.SETUP_TABS[key])
        else:
            area = self.show_page("patients")
            area.go_to("list")
            area.list_page.new_patient()
        if self.checklist is not None:
            self.checklist.refresh()

    # -- pages ----------------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The page for `key`, built on first use (nothing waits at start-up). A page with
        a `nav_count(int)` signal has its count shown beside its name in the rail."""
        if key not in self._pages:
            spec = next(s for s in self._specs if s.key == key)
            scroll = Scrolling(parent=self.stack)
            self.stack.addWidget(scroll)
            widget = spec.factory(scroll.content_parent)
            replaced = getattr(widget, "data_replaced", None)
            if replaced is not None:
                replaced.connect(self.data_replaced)
            counted = getattr(widget, "nav_count", None)
            if counted is not None:
                counted.connect(lambda count, key=key: self.set_count(key, count))
            self._pages[key] = widget
            # Smaller than the page needs (a 1024×600 screen): it scrolls, never squeezes.
            scroll.set_content(widget)
            self._scrolls[key] = scroll
        return self._pages[key]

    def show_page(self, key: str) -> QWidget:
        keys = [spec.key for spec in self._specs]
        if self.nav.currentRow() != keys.index(key):
            self.nav.setCurrentRow(keys.index(key))
        return self._pages[key]

    def current_page(self) -> QWidget | None:
        """The page on screen."""
        return self._pages.get(self.current_key())

    def current_key(self) -> str:
        return self._specs[self.nav.currentRow()].key

    def set_count(self, key: str, count: int) -> None:
        """Show `count` beside the page's name in the rail ("Gestão Financeira (3)"); 0
        shows the name alone."""
        keys = [spec.key for spec in self._specs]
        if key not in keys:
            return
        spec = self._specs[keys.index(key)]
        item = self.nav.item(keys.index(key))
        item.setText(f"{spec.title} ({count})" if count else spec.title)
        item.setToolTip(
            (f"{count} aviso de pacote" if count == 1 else f"{count} avisos de pacotes")
            if count
            else ""
        )

    def nav_text(self, key: str) -> str:
        keys = [spec.key for spec in self._specs]
        return self.nav.item(keys.index(key)).text()

    def _on_nav(self, row: int) -> None:
        if row < 0:
            return
        key = self._specs[row].key
        built_now = key not in self._pages
        widget = self.page(key)
        self.stack.setCurrentWidget(self._scrolls[key])
        if built_now:  # it has just read its data
            return
        # A page with levels (Pacientes: list › patient › packages) opens at its top when
        # chosen in the rail, not at the sub-page it was left on (issue 15, item 11).
        entered = getattr(widget, "nav_entered", None)
        refresh = getattr(widget, "refresh", None)
        if callable(entered):
            entered()
        elif callable(refresh):
            refresh()

    def _on_nav_clicked(self, _item) -> None:
        """The rail's current page clicked again: a page with levels goes back to its top."""
        widget = self._pages.get(self.current_key())
        clicked = getattr(widget, "nav_clicked", None)
        if callable(clicked):
            clicked()

    def show_about(self) -> None:
        from .about import AboutDialog

        AboutDialog.tell(self)

    def _find_patient(self) -> None:
        page = self.show_page("patients")
        focus = getattr(page, "focus_search", None)
        if callable(focus):
            focus()

    # -- geometry -------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        saved = QSettings().value(self.SETTINGS_GEOMETRY)
        if isinstance(saved, QByteArray | bytes) and self.restoreGeometry(QByteArray(saved)):
            # Saved on another (larger) screen: brought back inside this one.
            if not self.isMaximized():
                fit_to_screen(self, self.size())
            return
        # The first start: the whole available area of the screen (without the task bar).
        fit_to_screen(self, fill=True)

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue(self.SETTINGS_GEOMETRY, self.saveGeometry())
        self.live_refresh.stop()
        self.lock.stop()
        self.alert_count.stop()
        for widget in self._pages.values():
            closing = getattr(widget, "window_closing", None)
            if callable(closing):
                closing()
        super().closeEvent(event)
