"""The agenda: the calendar (month and week), the session form, the payment dialogs and
the session detail. `AgendaPage` is the main window's page; `patient_calendar` is the
same calendar limited to one patient, for the patient page."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from .page import AgendaPage
from .panel import AgendaPanel


def patient_calendar(patient_id: int | None = None, parent: QWidget | None = None) -> AgendaPanel:
    """The calendar of one patient, with the same flows as the Agenda page. Without a
    patient it stays empty until `set_patient(id)` (the patient page calls it)."""
    return AgendaPanel(parent, patient_id=patient_id, patient_only=True)


__all__ = ["AgendaPage", "AgendaPanel", "patient_calendar"]
