"""Pagar sessões existentes (manual 3.1): pick this patient's open sessions and pay them
from the package.

"Quando" (Mês / De / Até: from the oldest open session, or the current month's first day,
to the current month's last), "Que serviços?" (all or one), "Quais sessões?" (a checkable
list labelled "17/6 12:00 Método Therasuite", each with its price and professional), then
"Selecionar" → a confirmation of what will be debited (`packages.debit_preview`) → the
shared `pay_flow.pay_with_package` (price adjustment, not enough sessions).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import clinic, clock, packages
from ...core.ptbr import format_brl, format_month_year, format_session_label
from ...core.reports.finance import add_months, current_month
from ..common import messages
from ..common.date_edit import DateEdit
from ..common.fit import fit_to_screen
from ..common.operations import run_op
from ..common.widgets import label
from . import pay_flow
from .dates import from_qdate, to_qdate

SESSION_ROLE = Qt.ItemDataRole.UserRole + 1
LABEL_ROLE = Qt.ItemDataRole.UserRole + 2  # the manual's label, without price and professional
MONTHS_BEFORE, MONTHS_AFTER = 12, 6


def session_label(session, owner_id: int | None = None) -> str:
    """ "17/6 12:00 Método Therasuite", as the manual lists open sessions; a session of
    another patient the package is shared with (R17) ends with their name."""
    text = f"{format_session_label(session.starts_at)} {session.service.name}"
    if owner_id is not None and session.patient_id != owner_id:
        text += f" · {session.patient.name}"
    if session.attendance == "falta":
        text += " (falta)"
    return text


def session_line(session, owner_id: int | None = None) -> str:
    """The list's line: the manual's label, then the session's price and its professional
    ("17/6 12:00 Método Therasuite  ·  R$ 250,00  ·  Dra. Marina Lopes")."""
    parts = [session_label(session, owner_id), format_brl(session.price).replace(" ", "\u00a0")]
    if session.professional_id is not None:
        parts.append(session.professional.name)
    return "  ·  ".join(parts)


class PaySessionsDialog(QDialog):
    """`paid` is True once sessions were paid; the dialog then closes itself."""

    def __init__(
        self,
        package_id: int,
        parent: QWidget | None = None,
        *,
        expected_version: int | None = None,
    ):
        super().__init__(parent)
        self.package_id = package_id
        self.summary = packages.summary(package_id)
        self.expected_version = (
            expected_version if expected_version is not None else self.summary.version
        )
        self.paid = False
        self.setWindowTitle(self.tr("Pagar sessões existentes"))
        self.setMinimumWidth(640)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(26, 22, 26, 20)
        layout.setSpacing(12)
        layout.addWidget(label(self.tr("Pagar sessões existentes"), "sectionTitle"))
        self.package_line = label("", "muted", wrap=True)
        layout.addWidget(self.package_line)

        layout.addWidget(label(self.tr("Quando"), "fieldLabel"))
        when = QGridLayout()
        when.setHorizontalSpacing(12)
        when.setVerticalSpacing(4)
        self.month = QComboBox()
        self.month.setAccessibleName(self.tr("Mês"))
        today = clock.today()
        # Each month's item holds its first day (a QDate: the combo finds it by value).
        for offset in range(-MONTHS_BEFORE, MONTHS_AFTER + 1):
            first = add_months(today, offset)
            self.month.addItem(format_month_year(first), to_qdate(first))
        self.month.addItem(self.tr("Período personalizado"), None)
        self.start = self._date_edit(self.tr("De"))
        self.end = self._date_edit(self.tr("Até"))
        for column, (title, widget) in enumerate(
            ((self.tr("Mês"), self.month), (self.tr("De"), self.start), (self.tr("Até"), self.end))
        ):
            when.addWidget(label(title, "muted"), 0, column)
            when.addWidget(widget, 1, column)
        when.setColumnStretch(0, 2)
        when.setColumnStretch(1, 1)
        when.setColumnStretch(2, 1)
        layout.addLayout(when)

        layout.addWidget(label(self.tr("Que serviços?"), "fieldLabel"))
        self.service = QComboBox()
        self.service.setAccessibleName(self.tr("Que serviços?"))
        self.service.addItem(self.tr("Todos os serviços"), None)
        for service in clinic.list_services():
            self.service.addItem(service.name, service.id)
        layout.addWidget(self.service)

        sessions_title = QHBoxLayout()
        sessions_title.addWidget(label(self.tr("Quais sessões?"), "fieldLabel"), 1)
        self.check_all = QPushButton(self.tr("Marcar todas"))
        self.check_all.setProperty("flat", True)
        self.check_all.setAutoDefault(False)
        self.check_all.clicked.connect(lambda: self._check_every(True))
        sessions_title.addWidget(self.check_all)
        layout.addLayout(sessions_title)
        self.sessions = QListWidget()
        self.sessions.setObjectName("checkList")
        self.sessions.setAccessibleName(self.tr("Quais sessões?"))
        self.sessions.setUniformItemSizes(True)
        layout.addWidget(self.sessions, 1)
        self.selection_line = label("", "muted")
        layout.addWidget(self.selection_line)
        self.error = label("", "fieldError", wrap=True)
        self.error.setVisible(False)
        layout.addWidget(self.error)

        buttons = QHBoxLayout()
        self.cancel_button = QPushButton(self.tr("Cancelar"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.select_button = QPushButton(self.tr("Selecionar"))
        self.select_button.setProperty("primary", True)
        self.select_button.setDefault(True)
        self.select_button.clicked.connect(self.select)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.select_button)
        layout.addLayout(buttons)

        self.month.currentIndexChanged.connect(self._month_chosen)
        self.start.dateChanged.connect(self._dates_changed)
        self.end.dateChanged.connect(self._dates_changed)
        self.service.currentIndexChanged.connect(lambda _i: self.reload())
        self.sessions.itemChanged.connect(lambda _item: self._update_selection())
        self._show_package()
        self.open_period(today)
        fit_to_screen(self, (640, 620))  # within the screen (1024×600: the list is shorter)

    @classmethod
    def ask(
        cls, parent: QWidget | None, package_id: int, *, expected_version: int | None = None
    ) -> bool:
        """Open the dialog; True when sessions were paid, False when nothing was."""
        dialog = cls(package_id, parent, expected_version=expected_version)
        dialog.exec()
        return dialog.paid

    def _date_edit(self, name: str) -> DateEdit:
        edit = DateEdit(weekday=True)
        edit.setAccessibleName(name)
        edit.setMinimumWidth(175)
        return edit

    # -- the period -----------------------------------------------------------------------------
    def open_period(self, today: date) -> None:
        """The period the dialog opens on, listed: the current month, from the oldest open
        session when there is one before it (nothing open is hidden in an earlier month);
        the period and its sessions come in one read."""
        self.set_month(today)
        read = run_op(self, lambda: packages.opening_period(self.summary, today))
        if not read:
            self.reload()
            return
        opening = read.value
        if opening.start < current_month(today)[0]:
            self.start.blockSignals(True)
            self.start.setDate(to_qdate(opening.start))
            self.start.blockSignals(False)
            self.month.blockSignals(True)
            self.month.setCurrentIndex(self.month.count() - 1)  # Período personalizado
            self.month.blockSignals(False)
        self._list(opening.sessions)

    def set_month(self, day: date) -> None:
        """Show `day`'s whole month (Mês) and set De / Até to its first and last day."""
        first, last = current_month(day)
        for edit, value in ((self.start, first), (self.end, last)):
            edit.blockSignals(True)
            edit.setDate(to_qdate(value))
            edit.blockSignals(False)
        index = self.month.findData(to_qdate(first))
        self.month.blockSignals(True)
        self.month.setCurrentIndex(index if index >= 0 else self.month.count() - 1)
        self.month.blockSignals(False)

    def period(self) -> tuple[date, date]:
        return from_qdate(self.start.date()), from_qdate(self.end.date())

    def _month_chosen(self, _index: int) -> None:
        chosen = self.month.currentData()
        if chosen is not None:
            self.set_month(from_qdate(chosen))
            self.reload()

    def _dates_changed(self) -> None:
        start, end = self.period()
        first, last = current_month(start)
        index = self.month.findData(to_qdate(first)) if (start, end) == (first, last) else -1
        self.month.blockSignals(True)
        self.month.setCurrentIndex(index if index >= 0 else self.month.count() - 1)
        self.month.blockSignals(False)
        self.reload()

    # -- the sessions ---------------------------------------------------------------------------
    def _show_package(self) -> None:
        s = self.summary
        self.package_line.setText(
            self.tr("Pacote No. {0}  ·  Sessões (saldo) {1} de {2}  ·  Em aberto {3}").format(
                s.number,
                s.sessions_left,
                s.sessions_total,
                format_brl(s.open_amount).replace(" ", "\u00a0"),
            )
        )

    def reload(self) -> None:
        """List the open sessions of the period and service, keeping what was checked."""
        start, end = self.period()
        # The terms of the summary the dialog shows (re-read after a refused payment).
        found = (
            packages.open_sessions_for(self.summary, start, end, self.service.currentData())
            if start <= end
            else []
        )
        self._list(found)

    def _list(self, sessions) -> None:
        checked = set(self.checked_ids())
        start, end = self.period()
        self.sessions.blockSignals(True)
        self.sessions.clear()
        for session in sessions:
            item = QListWidgetItem(session_line(session, self.summary.patient_id))
            item.setData(SESSION_ROLE, session.id)
            item.setData(LABEL_ROLE, session_label(session, self.summary.patient_id))
            item.setToolTip(self.tr("Valor da sessão: {0}").format(format_brl(session.price)))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if session.id in checked else Qt.CheckState.Unchecked
            )
            self.sessions.addItem(item)
        self.sessions.blockSignals(False)
        if self.sessions.count() == 0:
            empty = QListWidgetItem(
                self.tr("Nenhuma sessão em aberto neste período.")
                if start <= end
                else self.tr("A data inicial é depois da final.")
            )
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.sessions.addItem(empty)
        self._update_selection()

    def items(self) -> list[QListWidgetItem]:
        return [
            self.sessions.item(i)
            for i in range(self.sessions.count())
            if self.sessions.item(i).data(SESSION_ROLE) is not None
        ]

    def labels(self) -> list[str]:
        """The manual's labels of the sessions listed ("17/6 12:00 Método Therasuite")."""
        return [item.data(LABEL_ROLE) for item in self.items()]

    def lines(self) -> list[str]:
        """The lines as shown, price and professional included."""
        return [item.text() for item in self.items()]

    def checked_ids(self) -> list[int]:
        return [
            item.data(SESSION_ROLE)
            for item in self.items()
            if item.checkState() == Qt.CheckState.Checked
        ]

    def check(self, text: str) -> None:
        """Tick the session whose label starts with `text` (as a person clicks it)."""
        item = next(i for i in self.items() if i.text().startswith(text))
        item.setCheckState(Qt.CheckState.Checked)

    def _check_every(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for item in self.items():
            item.setCheckState(state)

    def _update_selection(self) -> None:
        count = len(self.checked_ids())
        left = self.summary.sessions_left
        chosen = (
            self.tr("Nenhuma sessão selecionada")
            if count == 0
            else self.tr("1 sessão selecionada")
            if count == 1
            else self.tr("{0} sessões selecionadas").format(count)
        )
        room = (
            self.tr("o pacote tem 1 sessão restante")
            if left == 1
            else self.tr("o pacote tem {0} sessões restantes").format(left)
        )
        self.selection_line.setText(f"{chosen}  ·  {room}")
        self.error.setVisible(False)

    # -- paying ---------------------------------------------------------------------------------
    def select(self) -> None:
        """Confirm what will be debited, then pay through the shared flow."""
        ids = self.checked_ids()
        if not ids:
            self.error.setText(self.tr("Selecione ao menos uma sessão."))
            self.error.setVisible(True)
            return
        if len(ids) <= self.summary.sessions_left:
            # More than the package holds goes straight to the core's "not enough" message.
            read = run_op(self, lambda: packages.debit_preview(self.package_id, ids))
            if not read:
                return
            preview = read.value
            lines = "\n".join(
                f"•  {session_label(session, self.summary.patient_id)}  →  {format_brl(amount)}"
                for session, amount in preview
            )
            left = self.summary.sessions_left - len(ids)
            text = self.tr(
                "Debitar {0} do pacote No. {1}:\n\n{2}\n\nDepois disso o pacote terá {3} de {4} "
                "sessões."
            ).format(
                self.tr("1 sessão") if len(ids) == 1 else self.tr("{0} sessões").format(len(ids)),
                self.summary.number,
                lines,
                left,
                self.summary.sessions_total,
            )
            if not messages.confirm(
                self,
                self.tr("Confirmar pagamento com o pacote"),
                text,
                confirm_text=self.tr("Pagar com o pacote"),
            ):
                return
        if pay_flow.pay_with_package(
            self, self.package_id, ids, expected_version=self.expected_version
        ):
            self.paid = True
            self.accept()
            return
        # Nothing was paid: show the figures as they are now and keep the choice.
        read = run_op(self, lambda: packages.summary(self.package_id))
        if not read:
            self.reject()
            return
        self.summary = read.value
        self.expected_version = self.summary.version
        self._show_package()
        self.reload()
