"""The patient page (manual 1): the patient's data, a summary of the active packages (their
own and those shared with them, R17, with the alert badges of R15/R22), the **Pacotes**
button, and the "Agenda do paciente" area where the calendar plugs in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import clinic, clock, packages
from ...core.ptbr import format_brl, format_date
from ...core.text import plural
from ..common.fit import SideOrBelow
from ..common.widgets import Card, PageHeader, StatusBadge, icon, label
from ..packages.card import term_badges
from . import privacy
from .form import PatientFormDialog


def age_in_years(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().hide()
            item.widget().deleteLater()
        elif item.layout() is not None:
            _clear(item.layout())


class PatientPage(QWidget):
    """One patient at a time (`show_patient`). Emits `packages_requested(id)` for the
    **Pacotes** button and `patient_changed(id)` after the data was edited.

    The calendar: `set_calendar(widget)` puts a widget in the "Agenda do paciente" area;
    or set the class attribute `calendar_factory` (patient_id -> widget) and each page
    builds its own (an instance attribute `calendar_factory` serves that page only; the
    calendar is built when the first patient is shown). A calendar widget with
    `set_patient(patient_id)` is told which patient is shown whenever it changes.
    """

    packages_requested = Signal(int)
    patient_changed = Signal(int)

    calendar_factory: ClassVar[Callable[[int], QWidget] | None] = None

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("page")
        self.patient_id: int | None = None
        self._calendar: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 12, 32, 24)
        layout.setSpacing(16)

        self.header = PageHeader("")
        self.edit_button = QPushButton(self.tr("Editar dados"))
        self.edit_button.clicked.connect(self.edit_patient)
        self.packages_button = QPushButton(self.tr("Pacotes"))
        self.packages_button.setProperty("primary", True)
        self.packages_button.setToolTip(self.tr("Lista de pacotes do paciente"))
        self.packages_button.clicked.connect(self._request_packages)
        self.header.actions.addWidget(self.edit_button)
        self.data_button = QPushButton(self.tr("Exportar dados"))
        self.data_button.setToolTip(
            self.tr("Exportar dados do paciente (LGPD): tudo numa planilha")
        )
        self.data_button.clicked.connect(lambda: privacy.export_data(self, self.patient_id))
        self.data_button.setVisible(privacy.can_export())
        self.header.actions.addWidget(self.data_button)
        self.anonymize_button = QPushButton(self.tr("Anonimizar"))
        self.anonymize_button.setToolTip(self.tr("Anonimizar paciente (LGPD)"))
        self.anonymize_button.clicked.connect(self.anonymize_patient)
        self.anonymize_button.setVisible(privacy.can_anonymize())
        self.header.actions.addWidget(self.anonymize_button)
        self.header.actions.addWidget(self.packages_button)
        layout.addWidget(self.header)

        self.data_card = Card()
        self.data_card.body.addWidget(label(self.tr("Dados do paciente"), "sectionTitle"))
        self.data_grid = QGridLayout()
        self.data_grid.setHorizontalSpacing(18)
        self.data_grid.setVerticalSpacing(8)
        self.data_card.body.addLayout(self.data_grid)
        self.data_card.body.addStretch(1)

        self.packages_card = Card()
        title_row = QHBoxLayout()
        title_row.addWidget(label(self.tr("Resumo dos pacotes"), "sectionTitle"), 1)
        self.packages_card.body.addLayout(title_row)
        figures = QHBoxLayout()
        figures.setSpacing(24)
        self.active_count = self._figure(figures, self.tr("Pacotes ativos"))
        self.sessions_left = self._figure(figures, self.tr("Sessões restantes"))
        self.open_amount = self._figure(figures, self.tr("Em aberto"))
        figures.addStretch(1)
        self.packages_card.body.addLayout(figures)
        self.shared_note = label("", "muted", wrap=True)
        self.packages_card.body.addWidget(self.shared_note)
        self.package_lines = QVBoxLayout()
        self.package_lines.setSpacing(6)
        self.packages_card.body.addLayout(self.package_lines)
        self.packages_card.body.addStretch(1)
        # Side by side, or the summary below the data on a narrow window.
        top = SideOrBelow(self.data_card, self.packages_card, stretch=(3, 2))
        top.setSpacing(16)
        layout.addLayout(top)

        self.agenda_card = Card()
        self.agenda_card.setAccessibleName(self.tr("Agenda do paciente"))
        self.agenda_card.body.addWidget(label(self.tr("Agenda do paciente"), "sectionTitle"))
        # Until the calendar plugs in: say what is coming there, centred in the area.
        self.calendar_note = QWidget()
        note = QVBoxLayout(self.calendar_note)
        note.setSpacing(8)
        note.addStretch(1)
        picture = QLabel()
        picture.setPixmap(icon("agenda").pixmap(40, 40))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note.addWidget(picture)
        text = label(
            self.tr(
                "Em preparação: aqui aparecerá o calendário deste paciente, em visão de mês e "
                "de semana, com a bolinha verde nas sessões pagas e o atalho Registrar Pgto."
            ),
            "muted",
            wrap=True,
        )
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note.addWidget(text)
        note.addStretch(1)
        self.agenda_card.body.addWidget(self.calendar_note, 1)
        self.agenda_card.body.addStretch(0)
        layout.addWidget(self.agenda_card, 1)

    @staticmethod
    def _figure(row: QHBoxLayout, title: str) -> QLabel:
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(label(title, "muted"))
        value = label("", "bigNumber")
        box.addWidget(value)
        row.addLayout(box)
        return value

    # -- the calendar plug --------------------------------------------------------------------
    def set_calendar(self, widget: QWidget) -> None:
        """Put the patient's calendar in the "Agenda do paciente" area (replacing the note)."""
        if self._calendar is not None:
            self.agenda_card.body.removeWidget(self._calendar)
            self._calendar.deleteLater()
        self.calendar_note.setVisible(False)
        self._calendar = widget
        # Above the stretch so the calendar takes the room.
        self.agenda_card.body.insertWidget(self.agenda_card.body.count() - 1, widget, 1)
        if self.patient_id is not None:
            self._tell_calendar()

    def calendar(self) -> QWidget | None:
        return self._calendar

    def _tell_calendar(self) -> None:
        set_patient = getattr(self._calendar, "set_patient", None)
        if callable(set_patient) and self.patient_id is not None:
            set_patient(self.patient_id)

    # -- showing a patient ----------------------------------------------------------------------
    def show_patient(self, patient_id: int) -> None:
        self.patient_id = patient_id
        # The page's own factory (set on the instance) or the class's.
        factory = self.calendar_factory
        if self._calendar is None and factory is not None:
            self.set_calendar(factory(patient_id))
        self.refresh()
        self._tell_calendar()

    def refresh(self) -> None:
        if self.patient_id is None:
            return
        patient = clinic.get_patient(self.patient_id)
        self.header.title.setText(patient.name)
        subtitle = []
        if patient.birth_date:
            years = age_in_years(patient.birth_date, clock.today())
            subtitle.append(self.tr("1 ano") if years == 1 else self.tr("{0} anos").format(years))
        if patient.guardian:
            subtitle.append(self.tr("Responsável: {0}").format(patient.guardian))
        if not patient.active:
            subtitle.append(self.tr("paciente inativo"))
        self.header.set_subtitle("  ·  ".join(subtitle))
        self._fill_data(patient)
        self._fill_packages()

    def _fill_data(self, patient) -> None:
        _clear(self.data_grid)
        empty = self.tr("não informado")
        rows = [
            (self.tr("Data de nascimento"), format_date(patient.birth_date, blank=empty)),
            (self.tr("Telefone"), patient.phone or empty),
            (self.tr("E-mail"), patient.email or empty),
            (self.tr("CPF"), clinic.format_cpf(patient.cpf) if patient.cpf else empty),
            (self.tr("Responsável"), patient.guardian or empty),
            (self.tr("Observações"), patient.notes or "—"),
        ]
        for row, (title, value) in enumerate(rows):
            name = label(title, "fieldLabel")
            name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            text = label(value, wrap=True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if value in (empty, "—"):
                text.setObjectName("muted")
            self.data_grid.addWidget(name, row, 0)
            self.data_grid.addWidget(text, row, 1)
        self.data_grid.setColumnStretch(1, 1)

    def _fill_packages(self) -> None:
        totals = packages.active_totals(self.patient_id)
        self.active_count.setText(str(totals.packages))
        self.sessions_left.setText(str(totals.sessions_left))
        self.open_amount.setText(format_brl(totals.open_amount))
        self.shared_note.setText(
            ""
            if not totals.shared
            else self.tr("Inclui 1 pacote compartilhado por outro paciente.")
            if totals.shared == 1
            else self.tr("Inclui {0} pacotes compartilhados por outros pacientes.").format(
                totals.shared
            )
        )
        self.shared_note.setVisible(bool(totals.shared))
        _clear(self.package_lines)
        active = packages.list_packages(self.patient_id, status="ativo")
        defaults = clinic.package_defaults()
        if not active:
            self.package_lines.addWidget(
                label(
                    self.tr("Nenhum pacote ativo. Em Pacotes você cria um novo pacote."),
                    "muted",
                    wrap=True,
                )
            )
        for summary in active[:4]:
            badges, figures = QWidget(), QWidget()
            line = QHBoxLayout(badges)
            line.setContentsMargins(0, 0, 0, 0)
            line.setSpacing(10)
            line.addWidget(StatusBadge(summary.status))
            for status, text in term_badges(summary, defaults):
                badge = StatusBadge()
                badge.set_status(status, text)
                line.addWidget(badge)
            line.addWidget(label(self.tr("No. {0}").format(summary.number), "fieldLabel"))
            if summary.patient_id != self.patient_id:
                line.addWidget(label(self.tr("de {0}").format(summary.patient_name), "ownerTag"))
            line.addStretch(1)
            text = QHBoxLayout(figures)
            text.setContentsMargins(0, 0, 0, 0)
            text.addWidget(
                label(
                    self.tr("{0} de {1}  ·  {2} em aberto").format(
                        summary.sessions_left,
                        plural(summary.sessions_total, self.tr("sessão"), self.tr("sessões")),
                        format_brl(summary.open_amount),
                    )
                ),
                1,
            )
            # The figures beside the badges, or below them in a narrow card.
            self.package_lines.addLayout(SideOrBelow(badges, figures))
        if len(active) > 4:
            self.package_lines.addWidget(
                label(self.tr("e mais {0} em Pacotes").format(len(active) - 4), "muted")
            )

    # -- actions ------------------------------------------------------------------------------
    def edit_patient(self) -> None:
        if self.patient_id is None:
            return
        if PatientFormDialog.ask(self, self.patient_id) is not None:
            self.refresh()
            self.patient_changed.emit(self.patient_id)

    def _request_packages(self) -> None:
        if self.patient_id is not None:
            self.packages_requested.emit(self.patient_id)

    def anonymize_patient(self) -> None:
        if self.patient_id is None:
            return
        name = clinic.get_patient(self.patient_id).name
        if privacy.anonymize(self, self.patient_id, name):
            self.refresh()
            self.patient_changed.emit(self.patient_id)
