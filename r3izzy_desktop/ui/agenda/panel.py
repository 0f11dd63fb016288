"""The calendar with its flows: a new session (the form, then the package offer of
manual 3.2) and a session's detail. The Agenda page shows it for every patient; the
patient page shows it limited to one patient (`patient_calendar`)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ...core import clinic
from ...core.reports import receitas
from ..common import messages, toast
from .calendar import CalendarWidget
from .payment_offer import offer_after_create
from .session_detail import SessionDetailDialog
from .session_form import SessionFormDialog


class AgendaPanel(QWidget):
    """`patient_id`: only that patient's sessions, and new sessions are theirs;
    `patient_only`: one patient's calendar, empty while no patient is set."""

    changed = Signal()  # sessions or payments were written (others may refresh)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        patient_id: int | None = None,
        patient_only: bool = False,
    ):
        super().__init__(parent)
        self.patient_id = patient_id
        self.calendar = CalendarWidget(patient_id=patient_id, patient_only=patient_only)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar)
        self.calendar.new_session_requested.connect(self.new_session)
        self.calendar.session_activated.connect(self.open_session)
        self.setFocusProxy(self.calendar.month_view)

    def set_patient(self, patient_id: int | None) -> None:
        """Show another patient's sessions (the patient page reuses its calendar)."""
        self.patient_id = patient_id
        self.calendar.set_patient(patient_id)

    def refresh(self) -> None:
        self.calendar.reload_filters()
        self.calendar.refresh()

    def new_session(self, start: datetime | None = None) -> list[int]:
        """The session form; on save, the package offer. Returns the new sessions' ids.
        With no service or no patient yet, says what to do first instead (issue 15)."""
        missing = self._missing_first()
        if missing:
            messages.inform(self, self.tr("Antes de agendar"), missing)
            return []
        saved = SessionFormDialog.ask(self, start=start, patient_id=self.patient_id)
        if not saved:
            return []
        self.calendar.refresh()  # the new sessions show behind the package offer
        patient_id = self._patient_of(saved[0])
        paid = patient_id is not None and offer_after_create(self, patient_id, saved)
        if paid:
            self.calendar.refresh()  # now paid
        text = (
            self.tr("Sessão agendada.")
            if len(saved) == 1
            else self.tr("{0} sessões agendadas.").format(len(saved))
        )
        toast.notify(self, text + (self.tr(" Pagamento registrado.") if paid else ""))
        self.changed.emit()
        return saved

    def _missing_first(self) -> str:
        if not clinic.list_services():
            return self.tr(
                "Cadastre primeiro um serviço (nome, valor e duração) em Configurações › "
                "Serviços; depois a Nova sessão o oferece."
            )
        if self.patient_id is None and not clinic.has_patients():
            return self.tr(
                "Cadastre primeiro um paciente em Pacientes › Novo paciente; depois agende "
                "a sessão dele aqui."
            )
        return ""

    def _patient_of(self, session_id: int) -> int | None:
        rows = receitas.rows_by_id([session_id])
        return rows[0].patient_id if rows else None

    def open_session(self, session_id: int) -> None:
        if SessionDetailDialog.show_for(self, session_id):
            self.calendar.refresh()
            self.changed.emit()
