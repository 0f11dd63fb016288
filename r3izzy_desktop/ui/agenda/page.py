"""The Agenda page (SPEC §5.6): the general calendar, every patient's sessions."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ..common.widgets import PageHeader
from .panel import AgendaPanel


class AgendaPage(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("page")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 18)
        layout.setSpacing(14)
        self.header = PageHeader(
            self.tr("Agenda"),
            self.tr(
                "Sessões de todos os pacientes. Clique duas vezes num dia ou horário para "
                "agendar; a bolinha verde indica sessão paga."
            ),
        )
        layout.addWidget(self.header)
        self.panel = AgendaPanel()
        self.calendar = self.panel.calendar
        layout.addWidget(self.panel, 1)

    def refresh(self) -> None:
        self.panel.refresh()
