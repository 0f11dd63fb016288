"""The Pacientes page of the main window: list → patient page → package list, one at a
time, with a breadcrumb ("Pacientes › Ana Souza › Pacotes") and "← Voltar" (Alt+←)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from ...core import clinic
from ...core.errors import NotFound
from ..common.operations import run_op
from ..common.widgets import label
from .list_page import PatientsListPage

if TYPE_CHECKING:
    from ..packages.list_page import PackageListPage
    from .patient_page import PatientPage

LIST, PATIENT, PACKAGES = "list", "patient", "packages"


class Breadcrumb(QWidget):
    """ "← Voltar   Pacientes › Ana Souza › Pacotes": every step but the last is a link."""

    def __init__(self, area: PatientsArea):
        super().__init__()
        self.setObjectName("breadcrumb")
        self._area = area
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(26, 14, 32, 0)
        self.row.setSpacing(4)

    def set_steps(self, steps: list[tuple[str, str | None]]) -> None:
        """`steps`: (text, level to go to) pairs; the last one is where the user is."""
        while self.row.count():
            item = self.row.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        back = QPushButton(self.tr("← Voltar"))
        back.setProperty("flat", True)
        back.setToolTip(self.tr("Voltar (Alt+←)"))
        back.clicked.connect(self._area.back)
        self.row.addWidget(back)
        self.row.addSpacing(10)
        for position, (text, level) in enumerate(steps):
            if position:
                self.row.addWidget(label("›", "muted"))
            if level is None or position == len(steps) - 1:
                self.row.addWidget(label(text, "crumbCurrent"))
            else:
                link = QPushButton(text)
                link.setProperty("flat", True)
                link.clicked.connect(lambda _c=False, level=level: self._area.go_to(level))
                self.row.addWidget(link)
        self.row.addStretch(1)

    def texts(self) -> list[str]:
        out = []
        for position in range(self.row.count()):
            widget = self.row.itemAt(position).widget()
            if widget is not None and hasattr(widget, "text"):
                out.append(widget.text())
        return out


class PatientsArea(QWidget):
    """Implements the main window's page contract: `refresh()`, `focus_search()`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("page")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.breadcrumb = Breadcrumb(self)
        self.breadcrumb.setVisible(False)
        layout.addWidget(self.breadcrumb)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)

        self.list_page = PatientsListPage(self.stack)
        self.stack.addWidget(self.list_page)
        self.list_page.patient_opened.connect(self.open_patient)
        # The patient page and the package list are built when first shown: the start-up
        # shows the list only (and does not load those screens' modules).
        self._patient_page: PatientPage | None = None
        self._packages_page: PackageListPage | None = None
        self.calendar_factory = None  # patient_id -> calendar, handed to the patient page
        self.patient_id: int | None = None
        self.level = LIST

        back = QShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.back)

    @property
    def patient_page(self) -> PatientPage:
        if self._patient_page is None:
            from .patient_page import PatientPage

            page = PatientPage()
            if self.calendar_factory is not None:
                page.calendar_factory = self.calendar_factory
            page.packages_requested.connect(self.open_packages)
            page.patient_changed.connect(lambda _id: self._crumbs())
            self.stack.addWidget(page)
            self._patient_page = page
        return self._patient_page

    @property
    def packages_page(self) -> PackageListPage:
        if self._packages_page is None:
            from ..packages.list_page import PackageListPage

            self._packages_page = PackageListPage()
            self.stack.addWidget(self._packages_page)
        return self._packages_page

    # -- the main window's contract -----------------------------------------------------------
    def refresh(self) -> None:
        """Reload what is shown (the data may have changed on another page or PC)."""
        try:
            self.current_page().refresh()
        except NotFound:
            self.go_to(LIST)
        self._crumbs()

    def nav_entered(self) -> None:
        """Chosen in the navigation rail: the list, never the last patient's sub-page."""
        self.go_to(LIST)

    def nav_clicked(self) -> None:
        """Pacientes clicked again in the rail while a patient is open: back to the list."""
        if self.level != LIST:
            self.go_to(LIST)

    def focus_search(self) -> None:
        self.go_to(LIST)
        self.list_page.focus_search()

    def current_page(self) -> QWidget:
        if self.level == PATIENT:
            return self.patient_page
        if self.level == PACKAGES:
            return self.packages_page
        return self.list_page

    # -- navigation -----------------------------------------------------------------------------
    def open_patient(self, patient_id: int) -> None:
        if not run_op(self, lambda: self.patient_page.show_patient(patient_id)):
            self.list_page.refresh()  # gone meanwhile (another PC): the list without it
            return
        self.patient_id = patient_id
        self._show(PATIENT)

    def open_packages(self, patient_id: int) -> None:
        if not run_op(self, lambda: self.packages_page.show_patient(patient_id)):
            return
        self.patient_id = patient_id
        self._show(PACKAGES)

    def go_to(self, level: str) -> None:
        if level == LIST or self.patient_id is None:
            self.list_page.refresh()
            self._show(LIST)
        elif level == PATIENT:
            self.open_patient(self.patient_id)
        else:
            self.open_packages(self.patient_id)

    def back(self) -> None:
        if self.level == PACKAGES:
            self.go_to(PATIENT)
        elif self.level == PATIENT:
            self.go_to(LIST)

    def _show(self, level: str) -> None:
        self.level = level
        page = self.current_page()
        self.stack.setCurrentWidget(page)
        self._crumbs()
        if level == LIST:
            self.list_page.table.setFocus()
        else:
            page.setFocus()

    def _crumbs(self) -> None:
        if self.level == LIST or self.patient_id is None:
            self.breadcrumb.setVisible(False)
            return
        # The page in view has just read the patient (one statement less on a network).
        name = getattr(self.current_page(), "patient_name", None)
        if name is None or getattr(self.current_page(), "patient_id", None) != self.patient_id:
            try:
                name = clinic.get_patient(self.patient_id).name
            except NotFound:
                name = "—"
        steps: list[tuple[str, str | None]] = [(self.tr("Pacientes"), LIST), (name, PATIENT)]
        if self.level == PACKAGES:
            steps.append((self.tr("Pacotes"), PACKAGES))
        self.breadcrumb.set_steps(steps)
        self.breadcrumb.setVisible(True)
