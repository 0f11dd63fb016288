"""Create or edit a session: patient, service (fills price and duration), location,
professional, date, time, duration, price, notes, and for a new session an optional
weekly repetition (e.g. Tuesdays and Thursdays for 10 weeks), saved in one transaction.

Before saving, the professional's overlapping sessions are shown and the user confirms
(`messages.confirm`). `SessionFormDialog.ask` returns the saved sessions' ids.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ...core import agenda, clinic, clock, payments
from ...core.errors import DomainError, ValidationError
from ...core.ptbr import format_money, format_weekday_date
from ..common import messages
from ..common.date_edit import DateEdit
from ..common.fields import MoneyEdit, WholeNumberSpin
from ..common.fit import Scrolling, fit_to_screen, set_text_lines
from ..common.operations import run_op
from ..common.widgets import label, set_field_error
from .calendar import color_swatch
from .patient_picker import PatientPicker
from .repetition import RepetitionBox

MAX_LISTED_CONFLICTS = 5


class SessionFormDialog(QDialog):
    """The session form. After `save()` succeeds, `saved_ids` holds the sessions written
    (one, or the whole repetition, chronologically) and the dialog is accepted."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        session_id: int | None = None,
        start: datetime | None = None,
        patient_id: int | None = None,
    ):
        super().__init__(parent)
        self.session_id = session_id
        self.saved_ids: list[int] = []
        self.setWindowTitle(self.tr("Editar sessão") if session_id else self.tr("Nova sessão"))
        self.setMinimumWidth(620)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 18)
        outer.setSpacing(14)
        outer.addWidget(label(self.windowTitle(), "sectionTitle"))
        # The fields scroll on a small screen (1024×600); the buttons always show.
        body = QWidget()
        fields = QVBoxLayout(body)
        fields.setContentsMargins(0, 0, 0, 0)
        fields.setSpacing(14)
        fields.addLayout(self._fields())
        if session_id is None:
            fields.addWidget(self._repetition())
        self.overlap_label = label("", "warning", wrap=True)
        self.overlap_label.setVisible(False)
        fields.addWidget(self.overlap_label)
        self.error_label = label("", "fieldError", wrap=True)
        self.error_label.setVisible(False)
        fields.addWidget(self.error_label)
        fields.addStretch(1)
        self.body_scroll = Scrolling(body)
        outer.addWidget(self.body_scroll, 1)
        buttons = QDialogButtonBox()
        self.cancel_button = buttons.addButton(
            self.tr("Cancelar"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.save_button = QPushButton(self.tr("Salvar"))
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

        if session_id is not None:
            self._load(session_id)
        else:
            moment = start or datetime.combine(clock.today(), time(9))
            self.date_edit.setDate(QDate(moment.year, moment.month, moment.day))
            self.time_edit.setTime(QTime(moment.hour, moment.minute))
            self._service_changed()
            if patient_id is not None:
                self.patient.set_patient(patient_id, clinic.get_patient(patient_id).name)
        for signal in (
            self.date_edit.dateChanged,
            self.time_edit.timeChanged,
            self.duration.valueChanged,
            self.professional.currentIndexChanged,
            self.patient.patient_changed,
        ):
            signal.connect(self._update_hints)
        self._update_hints()
        fit_to_screen(self)  # its size with what it shows, within the screen (1024×600 too)

    # -- building -----------------------------------------------------------------------
    def _fields(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        self.patient = PatientPicker()
        self.patient_error = _error_label()
        self.service = QComboBox()
        for service in clinic.list_services():
            self.service.addItem(service.name, (service.id, service.price, service.duration_min))
        self.service.activated.connect(lambda _i: self._service_changed())
        self.location = QComboBox()
        self.location.addItem(self.tr("— sem local —"), None)
        for location in clinic.list_locations():
            self.location.addItem(location.name, location.id)
        self.professional = QComboBox()
        self.professional.addItem(self.tr("— sem profissional —"), None)
        for professional in clinic.list_professionals():
            self.professional.addItem(
                color_swatch(professional.color), professional.name, professional.id
            )
        self.date_edit = DateEdit()
        self.date_edit.errorChanged.connect(
            lambda message: message and self._show_error(ValidationError(message, "date"))
        )
        self.time_edit = QTimeEdit()
        self.time_edit.setDisplayFormat("HH:mm")
        self.duration = WholeNumberSpin(self.tr("Duração (min)"))
        self.duration.setRange(5, 600)
        self.duration.setSingleStep(5)
        self.duration.setSuffix(" min")
        self.duration.setProperty("plain", True)
        self.time_edit.setProperty("plain", True)
        self.price = MoneyEdit()
        self.price_error = _error_label()
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(self.tr("Observações (opcional)"))
        set_text_lines(self.notes, 3)
        self.paid_note = label("", "muted", wrap=True)
        self.paid_note.setVisible(False)

        def field(row: int, column: int, title: str, widget: QWidget, span: int = 1) -> None:
            grid.addWidget(label(title, "fieldLabel"), row, column, 1, span)
            grid.addWidget(widget, row + 1, column, 1, span)

        field(0, 0, self.tr("Paciente"), self.patient, 3)
        grid.addWidget(self.patient_error, 2, 0, 1, 3)
        field(3, 0, self.tr("Serviço"), self.service, 2)
        field(3, 2, self.tr("Valor (R$)"), self.price)
        grid.addWidget(self.price_error, 5, 2)
        field(6, 0, self.tr("Local"), self.location)
        field(6, 1, self.tr("Profissional"), self.professional, 2)
        field(9, 0, self.tr("Data"), self.date_edit)
        field(9, 1, self.tr("Horário"), self.time_edit)
        field(9, 2, self.tr("Duração"), self.duration)
        for row in (5, 8, 11):
            grid.setRowMinimumHeight(row, 8)
        field(12, 0, self.tr("Observações"), self.notes, 3)
        grid.addWidget(self.paid_note, 14, 0, 1, 3)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        return grid

    def _repetition(self) -> QWidget:
        self.repetition = RepetitionBox()
        # The parts, by name, for the screen's tests and shots.
        self.repeat = self.repetition.repeat
        self.weekday_buttons = self.repetition.weekday_buttons
        self.weeks = self.repetition.weeks
        self.repeat_summary = self.repetition.summary
        self.repetition.changed.connect(self._update_hints)
        return self.repetition

    def _load(self, session_id: int) -> None:
        session = agenda.get_session(session_id)
        self.patient.set_patient(session.patient_id, clinic.get_patient(session.patient_id).name)
        # The lists hold what is active; a service, location or professional made inactive
        # since stays choosable for this session, so saving never drops it.
        _select(
            self.service,
            _find_service(self.service, session.service_id),
            lambda: self.service.addItem(
                session.service.name,
                (session.service_id, session.service.price, session.service.duration_min),
            ),
        )
        _select(
            self.location,
            self.location.findData(session.location_id) if session.location_id else 0,
            lambda: self.location.addItem(session.location.name, session.location_id),
        )
        _select(
            self.professional,
            self.professional.findData(session.professional_id) if session.professional_id else 0,
            lambda: self.professional.addItem(
                color_swatch(session.professional.color),
                session.professional.name,
                session.professional_id,
            ),
        )
        start = session.starts_at
        self.date_edit.setDate(QDate(start.year, start.month, start.day))
        self.time_edit.setTime(QTime(start.hour, start.minute))
        self.duration.setValue(session.duration_min)
        self.price.setText(format_money(session.price))
        self.notes.setPlainText(session.notes)
        info = payments.payment_info(session_id)
        if info.paid:
            self.price.setReadOnly(True)
            self.patient.setReadOnly(True)
            self.paid_note.setText(
                self.tr(
                    "Sessão paga ({0}). Para mudar o valor ou o paciente, desfaça o pagamento "
                    "antes (no detalhe da sessão)."
                ).format(info.text)
            )
            self.paid_note.setVisible(True)

    # -- reading the form ---------------------------------------------------------------
    def _service_changed(self) -> None:
        data = self.service.currentData()
        if data is None:
            return
        _service_id, price, duration = data
        self.price.setText(format_money(price))
        self.duration.setValue(duration)

    def start(self) -> datetime:
        day = self.date_edit.date()
        moment = self.time_edit.time()
        return datetime(day.year(), day.month(), day.day(), moment.hour(), moment.minute())

    def repeating(self) -> bool:
        return self.session_id is None and self.repetition.is_on()

    def starts(self) -> list[datetime]:
        """Every start the form would schedule (raises ValidationError for a bad repetition)."""
        if self.session_id is not None:
            return [self.start()]
        return self.repetition.starts(self.start())

    def conflicts(self) -> list[tuple[datetime, int]]:
        """(start, how many of the professional's sessions overlap it) for each start."""
        professional = self.professional.currentData()
        if professional is None:
            return []
        return agenda.overlap_counts(
            professional, self.starts(), self.duration.value(), exclude=self.session_id
        )

    def patient_conflicts(self) -> list[tuple[datetime, int]]:
        """(start, how many of the patient's own sessions overlap it) for each start."""
        return agenda.patient_overlap_counts(
            self.patient.patient_id(),
            self.starts(),
            self.duration.value(),
            exclude=self.session_id,
        )

    def _update_hints(self, *_args) -> None:
        if self.session_id is None:
            self.repetition.follow(self.start())
        try:
            conflicts = self.conflicts()
            mine = self.patient_conflicts()
        except ValidationError:
            conflicts, mine = [], []
        lines = []
        if mine:
            lines.append(self._hint(self.patient.text(), mine))
        if conflicts:
            lines.append(self._hint(self.professional.currentText(), conflicts))
        self.overlap_label.setText("\n".join(lines))
        self.overlap_label.setVisible(bool(lines))

    def _hint(self, who: str, conflicts: list[tuple[datetime, int]]) -> str:
        first = conflicts[0][0]
        text = self.tr("⚠ {0} já tem sessão em {1} às {2}").format(
            who, format_weekday_date(first), f"{first:%H:%M}"
        )
        if len(conflicts) > 1:
            text += self.tr(" e em mais {0} data(s) da repetição").format(len(conflicts) - 1)
        return text + "."

    # -- saving -------------------------------------------------------------------------
    def _show_error(self, error: DomainError) -> None:
        field = getattr(error, "field", None)
        targets = {
            "patient": (self.patient, self.patient_error),
            "price": (self.price, self.price_error),
            "date": (self.date_edit, self.error_label),
        }
        if field in targets:
            set_field_error(*targets[field], str(error))
            targets[field][0].setFocus()
        else:
            self.error_label.setText(str(error))
            self.error_label.setVisible(True)

    def _clear_errors(self) -> None:
        set_field_error(self.patient, self.patient_error, None)
        set_field_error(self.price, self.price_error, None)
        self.error_label.setVisible(False)

    def save(self) -> bool:
        """Validate, confirm overlaps, write; True (and accepted) when saved."""
        self._clear_errors()
        self.patient.resolve()
        patient_id = self.patient.patient_id()
        if patient_id is None:
            self._show_error(
                ValidationError(self.tr("Escolha o paciente na lista de sugestões."), "patient")
            )
            return False
        if self.service.currentData() is None:
            self._show_error(
                ValidationError(self.tr("Cadastre um serviço em Configurações antes de agendar."))
            )
            return False
        if self.date_edit.error():  # a typed date refused: said, never another day saved
            self._show_error(ValidationError(self.date_edit.error(), "date"))
            return False
        price = self.price.value()
        if price is None:
            self._show_error(ValidationError(self.price.error() or "", "price"))
            return False
        checked = run_op(
            self, lambda: (self.patient_conflicts(), self.conflicts()), failed=self._show_error
        )
        if not checked:
            return False
        mine, conflicts = checked.value
        if mine and not self._confirm_overlap(mine, self.patient.text()):
            return False
        if conflicts and not self._confirm_overlap(conflicts, self.professional.currentText()):
            return False
        values = {
            "price": price,
            "duration_min": self.duration.value(),
            "location": self.location.currentData(),
            "professional": self.professional.currentData(),
            "notes": self.notes.toPlainText(),
        }
        service_id = self.service.currentData()[0]
        saved = run_op(
            self, lambda: self._write(patient_id, service_id, values), failed=self._show_error
        )
        if not saved:
            return False
        self.saved_ids = saved.value
        self.accept()
        return True

    def _write(self, patient_id: int, service_id: int, values: dict) -> list[int]:
        """Save the form through the agenda: the session changed, or the new ones (a
        weekly repetition, or one); returns their ids."""
        if self.session_id is not None:
            agenda.update_session(
                self.session_id,
                patient=patient_id,
                service=service_id,
                starts_at=self.start(),
                **values,
            )
            return [self.session_id]
        if self.repeating():
            created = agenda.schedule_weekly(
                patient_id,
                service_id,
                self.start(),
                weekdays=self.repetition.weekdays(),
                weeks=self.weeks.value(),
                **values,
            )
            return [s.id for s in created]
        return [agenda.schedule(patient_id, service_id, self.start(), **values).id]

    def _confirm_overlap(self, conflicts: list[tuple[datetime, int]], who: str) -> bool:
        lines = [f"• {format_weekday_date(start)} {start:%H:%M}" for start, _n in conflicts][
            :MAX_LISTED_CONFLICTS
        ]
        if len(conflicts) > MAX_LISTED_CONFLICTS:
            lines.append(self.tr("• e mais {0}").format(len(conflicts) - MAX_LISTED_CONFLICTS))
        text = self.tr("{0} já tem sessão que se sobrepõe a este horário:\n{1}\n\n").format(
            who, "\n".join(lines)
        ) + self.tr("Agendar mesmo assim?")
        return messages.confirm(
            self,
            self.tr("Horário ocupado"),
            text,
            confirm_text=self.tr("Agendar mesmo assim"),
            cancel_text=self.tr("Voltar"),
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        session_id: int | None = None,
        start: datetime | None = None,
        patient_id: int | None = None,
    ) -> list[int] | None:
        """Open the form; the saved sessions' ids, or None when cancelled."""
        dialog = cls(parent, session_id=session_id, start=start, patient_id=patient_id)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.saved_ids
        return None


def _error_label() -> QLabel:
    widget = label("", "fieldError", wrap=True)
    widget.setVisible(False)
    return widget


def _select(combo: QComboBox, index: int, add_missing: Callable[[], None]) -> None:
    """Select `index`; when it is -1 (not in the list), `add_missing()` appends the item
    and that is selected."""
    if index < 0:
        add_missing()
        index = combo.count() - 1
    combo.setCurrentIndex(index)


def _find_service(combo: QComboBox, service_id: int) -> int:
    for index in range(combo.count()):
        data = combo.itemData(index)
        if data is not None and data[0] == service_id:
            return index
    return -1


__all__ = ["SessionFormDialog"]
