"""The main window: a navigation rail (Pacientes, Agenda, Receitas, Gestão Financeira,
Configurações) and one page at a time. It remembers its size and position."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
from ..common.widgets import icon, label


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    icon: str
    factory: Callable[[], QWidget]


def _patients_page() -> QWidget:
    from ..patients.area import PatientsArea

    area = PatientsArea()

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


def _agenda_page() -> QWidget:
    from ..agenda import AgendaPage

    return AgendaPage()


def _receitas_page() -> QWidget:
    from ..receitas import ReceitasPage

    return ReceitasPage()


def _finance_page() -> QWidget:
    from ..finance.page import FinancePage

    return FinancePage()


def _settings_page() -> QWidget:
    from ..settings.page import SettingsPage

    return SettingsPage()


def default_pages() -> list[PageSpec]:
    """The app's pages, in navigation order. A page reads its data when it is built; it
    may have `refresh()` (called each time it is shown again), `focus_search()` and
    `window_closing()`. Imports are local so that start-up only loads the first page."""
    return [
        PageSpec("patients", "Pacientes", "patients", _patients_page),
        PageSpec("agenda", "Agenda", "agenda", _agenda_page),
        PageSpec("receitas", "Receitas", "receitas", _receitas_page),
        PageSpec("finance", "Gestão Financeira", "finance", _finance_page),
        PageSpec("settings", "Configurações", "settings", _settings_page),
    ]


class MainWindow(QMainWindow):
    SETTINGS_GEOMETRY = "main_window/geometry"

    # A page says the data under every page was replaced (a restore; `url`, another
    # database in use): (the Configurações tab it came from, url or ""). The app rebuilds
    # the window (app.AppSession.reopen).
    data_replaced = Signal(str, str)

    def __init__(self, pages: list[PageSpec] | None = None, *, subtitle: str = ""):
        super().__init__()
        self.setWindowTitle(f"{APP_NAME} — {subtitle}" if subtitle else APP_NAME)
        self.setMinimumSize(QSize(1000, 660))
        self._specs = pages if pages is not None else default_pages()
        self._pages: dict[str, QWidget] = {}

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)

        rail = QWidget()
        rail.setFixedWidth(220)
        rail.setStyleSheet("background: #ffffff;")
        rail_layout = QVBoxLayout(rail)
        rail_layout.setContentsMargins(0, 0, 0, 0)
        rail_layout.setSpacing(0)
        rail_layout.addWidget(label("R3izzy", "brand"))
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setAccessibleName("Navegação")
        for spec in self._specs:
            item = QListWidgetItem(icon(spec.icon), spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
        rail_layout.addWidget(self.nav, 1)
        self.about_button = QPushButton("Sobre o programa")
        self.about_button.setObjectName("railLink")
        self.about_button.setToolTip("Versão, pasta de dados, banco de dados em uso (F1)")
        self.about_button.clicked.connect(self.show_about)
        rail_layout.addWidget(self.about_button)
        row.addWidget(rail)

        self.stack = QStackedWidget()
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.statusBar()

        self.nav.currentRowChanged.connect(self._on_nav)
        for number, spec in enumerate(self._specs, start=1):
            shortcut = QShortcut(QKeySequence(f"Alt+{number}"), self)
            shortcut.activated.connect(lambda key=spec.key: self.show_page(key))
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._find_patient)
        QShortcut(QKeySequence("F1"), self, activated=self.show_about)
        self._restore_geometry()
        self.nav.setCurrentRow(0)
        # Another PC changed the data: the visible page reloads within seconds.
        from .live_refresh import LiveRefresh

        self.live_refresh = LiveRefresh(self)

    # -- pages ----------------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The page for `key`, built on first use (nothing waits at start-up)."""
        if key not in self._pages:
            spec = next(s for s in self._specs if s.key == key)
            widget = spec.factory()
            replaced = getattr(widget, "data_replaced", None)
            if replaced is not None:
                replaced.connect(self.data_replaced)
            self._pages[key] = widget
            self.stack.addWidget(widget)
        return self._pages[key]

    def show_page(self, key: str) -> QWidget:
        keys = [spec.key for spec in self._specs]
        if self.nav.currentRow() != keys.index(key):
            self.nav.setCurrentRow(keys.index(key))
        return self._pages[key]

    def current_key(self) -> str:
        return self._specs[self.nav.currentRow()].key

    def _on_nav(self, row: int) -> None:
        if row < 0:
            return
        key = self._specs[row].key
        built_now = key not in self._pages
        widget = self.page(key)
        self.stack.setCurrentWidget(widget)
        refresh = getattr(widget, "refresh", None)
        if callable(refresh) and not built_now:  # built now: it has just read its data
            refresh()

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
            return
        self.resize(1280, 800)

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue(self.SETTINGS_GEOMETRY, self.saveGeometry())
        self.live_refresh.stop()
        for widget in self._pages.values():
            closing = getattr(widget, "window_closing", None)
            if callable(closing):
                closing()
        super().closeEvent(event)
