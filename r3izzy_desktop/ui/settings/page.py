"""Configurações (SPEC §5.10): one tab per subject, each built when the page is; a tab
can also be added to a built page with `SettingsPage.add_tab(widget, title)`."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ..common.widgets import ComingSoonPage, PageHeader

log = logging.getLogger(__name__)
TabFactory = Callable[[], QWidget]


def default_tabs() -> list[tuple[str, TabFactory]]:
    from ...core import users
    from .audit_tab import AuditTab
    from .backup_tab import BackupsSection
    from .catalog_tabs import LocationsTab, ProfessionalsTab, ServicesTab
    from .clinic_tab import ClinicTab
    from .database_tab import DatabaseSection
    from .import_tab import ImportTab
    from .packages_tab import PackagesTab
    from .users_tab import UsersTab

    tabs: list[tuple[str, TabFactory]] = [
        ("Serviços", ServicesTab),
        ("Locais", LocationsTab),
        ("Profissionais", ProfessionalsTab),
        ("Clínica", ClinicTab),
        ("Pacotes", PackagesTab),
        ("Backups", BackupsSection),
        ("Banco de dados", DatabaseSection),
        ("Usuários", UsersTab),
        ("Importar", ImportTab),
    ]
    if users.login_required():  # a database without users keeps no audit log
        tabs.append(("Auditoria", AuditTab))
    return tabs


def _built(factory: TabFactory, title: str) -> QWidget:
    """The tab's widget; a tab that fails to build is logged and says so, so one broken
    tab never takes the other settings away."""
    try:
        return factory()
    except Exception:
        log.exception("the settings tab %r could not be built", title)
        return ComingSoonPage(
            title, ["Esta aba não pôde ser carregada; os detalhes foram gravados no log."]
        )


class SettingsPage(QWidget):
    """Implements the main window's page contract (`refresh()` reloads the current tab).

    `data_replaced(tab, url)` passes on a tab's news that the data under every page was
    replaced (a restore; another database in use, `url`): the shell rebuilds the window."""

    data_replaced = Signal(str, str)

    def __init__(
        self, tabs: list[tuple[str, TabFactory]] | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setObjectName("page")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 28, 24, 24)
        layout.setSpacing(16)
        layout.addWidget(
            PageHeader(
                self.tr("Configurações"),
                self.tr("Serviços, locais, profissionais, os dados da clínica e os pacotes."),
            )
        )
        self.tab_widget = QTabWidget()
        self.tab_widget.setDocumentMode(False)
        layout.addWidget(self.tab_widget, 1)
        for title, factory in tabs if tabs is not None else default_tabs():
            self.add_tab(_built(factory, title), self.tr(title))
        self.tab_widget.currentChanged.connect(lambda _i: self.refresh())

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Append a tab; a tab with `refresh()` is reloaded whenever it is shown, and one
        with a `data_replaced` signal has it passed on."""
        replaced = getattr(widget, "data_replaced", None)
        if replaced is not None:
            replaced.connect(self.data_replaced)
        return self.tab_widget.addTab(widget, title)

    def tabs(self) -> list[tuple[str, QWidget]]:
        return [
            (self.tab_widget.tabText(i), self.tab_widget.widget(i))
            for i in range(self.tab_widget.count())
        ]

    def tab(self, title: str) -> QWidget:
        return next(widget for text, widget in self.tabs() if text == title)

    def show_tab(self, title: str) -> QWidget:
        widget = self.tab(title)
        self.tab_widget.setCurrentWidget(widget)
        return widget

    def refresh(self) -> None:
        refresh = getattr(self.tab_widget.currentWidget(), "refresh", None)
        if callable(refresh):
            refresh()
