"""The first-start checklist (issue 15): on a new clinic, a card over the pages lists the
first steps — the clinic's data, its services, its professionals, the first patient —
each a click away, ticked as it gets done, gone once all are (or when hidden on this PC).
Not a modal: the program is usable while it waits."""

from __future__ import annotations

from PySide6.QtCore import QSettings, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from ...core import clinic
from ..common.operations import run_op
from ..common.widgets import Card, label, repolish

HIDDEN_KEY = "setup/checklist_hidden"
POLL_MS = 1500  # while shown: the steps done in a dialog or on another PC get ticked
BUTTON_TEXTS = {
    clinic.CLINIC_DATA: "Dados da clínica",
    clinic.SERVICES: "Serviços",
    clinic.PROFESSIONALS: "Profissionais",
    clinic.FIRST_PATIENT: "Novo paciente",
}


def wanted(*, has_patients: bool | None = None) -> bool:
    """Whether a new window shows the checklist: a clinic with no patient yet whose first
    steps are not all done, and nobody hid it on this PC. `has_patients`: what the window
    read already (users.window_start); None: read it here."""
    if QSettings().value(HIDDEN_KEY, False, type=bool) or has_patients:
        return False
    # A clinic with patients is past its first steps: one read, not five, at each start.
    read = run_op(
        None, lambda: (has_patients is None and clinic.has_patients()) or clinic.setup_done()
    )
    return bool(read) and not read.value


class SetupChecklist(Card):
    """`step_clicked(key)`: the user wants to do that step (the window takes them there)."""

    step_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("setupChecklist")
        head = QHBoxLayout()
        head.addWidget(label(self.tr("Primeiros passos"), "sectionTitle"), 1)
        self.hide_button = QPushButton(self.tr("Ocultar"))
        self.hide_button.setProperty("flat", True)
        self.hide_button.setToolTip(
            self.tr("Não mostrar mais os primeiros passos neste computador")
        )
        self.hide_button.clicked.connect(self.hide_for_good)
        head.addWidget(self.hide_button)
        self.body.addLayout(head)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        self.marks: dict[str, QLabel] = {}
        self.texts: dict[str, QLabel] = {}
        self.buttons: dict[str, QPushButton] = {}
        for row, step in enumerate(clinic.setup_steps()):
            mark = label("", "muted")
            text = label(self.tr(step.title), wrap=True)
            button = QPushButton(self.tr(BUTTON_TEXTS[step.key]))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, key=step.key: self.step_clicked.emit(key))
            grid.addWidget(mark, row, 0)
            grid.addWidget(text, row, 1)
            grid.addWidget(button, row, 2)
            self.marks[step.key], self.texts[step.key], self.buttons[step.key] = mark, text, button
        grid.setColumnStretch(1, 1)
        self.body.addLayout(grid)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        self.refresh()

    def _tick(self) -> None:
        if self.window().isVisible():  # a closed window asks nothing (its database may be gone)
            self.refresh()

    def refresh(self) -> None:
        """Tick what is done; hide the card (and stop asking) once everything is."""
        read = run_op(self, clinic.setup_steps)
        if not read:
            return
        steps = read.value
        first_open = next((s.key for s in steps if not s.done), None)
        for number, step in enumerate(steps, start=1):
            self.marks[step.key].setText("✓" if step.done else f"{number}.")
            self.marks[step.key].setProperty("done", step.done)
            repolish(self.marks[step.key])
            self.texts[step.key].setEnabled(not step.done)
            self.buttons[step.key].setVisible(not step.done)
            self.buttons[step.key].setProperty("primary", step.key == first_open)
            repolish(self.buttons[step.key])
        if first_open is None:
            self.finish()

    def done(self) -> bool:
        return not self.timer.isActive()

    def finish(self) -> None:
        self.timer.stop()
        self.hide()

    def hide_for_good(self) -> None:
        QSettings().setValue(HIDDEN_KEY, True)
        self.finish()
