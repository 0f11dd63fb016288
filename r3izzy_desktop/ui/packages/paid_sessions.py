"""Sessões pagas (manual 2 and 4): the sessions this package pays, each with "Remover",
which credits the session back to the package (R7) after saying what will happen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import packages
from ...core.agenda import ATTENDANCE_LABELS
from ...core.packages import PaidSession
from ...core.ptbr import format_brl, format_date, format_day_month_time, format_weekday_date
from ..common import messages, toast
from ..common.column_widths import SERVICE_SAMPLE, keep_wide
from ..common.fit import fit_to_screen
from ..common.operations import run_op
from ..common.table_model import RIGHT, Column, RowTableModel, make_table
from ..common.widgets import StatusBadge, label

SERVICE_COLUMN = 1  # the one that takes the width left
REMOVE_COLUMN = 5
BUTTON_ROW_HEIGHT = 42


def paid_session_columns(owner_id: int | None = None) -> list[Column[PaidSession]]:
    """The table's columns; a session of a patient the package is shared with (not
    `owner_id`, R17) shows that patient's name after its time."""

    def when(row: PaidSession) -> str:
        text = f"{format_weekday_date(row.starts_at)} {row.starts_at:%H:%M}"
        if owner_id is not None and row.patient_id != owner_id:
            text += f" · {row.patient_name}"
        return text

    return [
        Column("Sessão", when, sort_key=lambda r: r.starts_at),
        Column("Serviço", lambda r: r.service_name),
        Column("Presença", lambda r: ATTENDANCE_LABELS.get(r.attendance, r.attendance)),
        Column("Pago em", lambda r: format_date(r.paid_on), sort_key=lambda r: r.paid_on),
        Column(
            "Valor debitado",
            lambda r: format_brl(r.amount),
            align=RIGHT,
            sort_key=lambda r: r.amount,
        ),
        Column("", lambda r: ""),  # the row's "Remover" button
    ]


class PaidSessionsDialog(QDialog):
    """`changed` is True once a session was removed (the list must reload)."""

    def __init__(self, package_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.package_id = package_id
        self.changed = False
        self.setWindowTitle(self.tr("Sessões pagas"))
        # Room for every column with a shared package's patient beside the time (at 820
        # the "Remover" buttons were off the right edge; at 1020 Windows' wider fonts
        # still scrolled 7 px); a 1024 screen scrolls a little.
        fit_to_screen(self, (1080, 480))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)
        heading = QHBoxLayout()
        heading.setSpacing(12)
        self.title = label("", "sectionTitle")
        heading.addWidget(self.title)
        self.badge = StatusBadge()
        heading.addWidget(self.badge)
        heading.addStretch(1)
        layout.addLayout(heading)
        self.figures = label("", "muted", wrap=True)
        layout.addWidget(self.figures)

        owner = packages.summary(package_id).patient_id
        self.model: RowTableModel[PaidSession] = RowTableModel(
            paid_session_columns(owner), parent=self
        )
        # Taller rows: each holds a "Remover" button.
        self.table = make_table(self.model, row_height=BUTTON_ROW_HEIGHT)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(REMOVE_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(REMOVE_COLUMN, 124)
        # The service takes the width left, never less than a service's name (a narrow
        # screen scrolls the table sideways).
        keep_wide(self.table, SERVICE_COLUMN, SERVICE_SAMPLE)
        layout.addWidget(self.table, 1)
        self.empty = label(self.tr("Nenhuma sessão paga por este pacote."), "muted")
        layout.addWidget(self.empty)
        self.hint = label(
            self.tr("Remover devolve a sessão ao pacote: ela volta a ficar em aberto."),
            "muted",
            wrap=True,
        )
        layout.addWidget(self.hint)
        buttons = QDialogButtonBox()
        close = buttons.addButton(self.tr("Fechar"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # Keyboard: Delete removes the selected session.
        QShortcut(QKeySequence.StandardKey.Delete, self.table, activated=self._remove_current)
        self.reload()

    @classmethod
    def ask(cls, parent: QWidget | None, package_id: int) -> bool:
        """Open the dialog; True when a session was removed."""
        dialog = cls(package_id, parent)
        dialog.exec()
        return dialog.changed

    def reload(self) -> None:
        self.summary = packages.summary(self.package_id)
        s = self.summary
        self.title.setText(self.tr("Sessões pagas — No. {0}").format(s.number))
        self.badge.set_status(s.status)
        self.figures.setText(
            self.tr("{0}  ·  Sessões (saldo) {1} de {2}  ·  Em aberto {3}").format(
                s.patient_name, s.sessions_left, s.sessions_total, format_brl(s.open_amount)
            )
        )
        self.model.set_rows(packages.paid_sessions(self.package_id))
        closed = s.status == "encerrado"  # R19: its sessions stay paid
        if closed:
            self.hint.setText(
                self.tr("Pacote encerrado: as sessões pagas por ele não voltam para o pacote.")
            )
        for position, row in enumerate(self.model.rows()):
            button = QPushButton(self.tr("Remover"))
            button.setEnabled(not closed)
            messages.mark_danger(button)
            button.setProperty("compact", True)
            button.setAutoDefault(False)
            button.setAccessibleName(
                self.tr("Remover a sessão de {0}").format(format_day_month_time(row.starts_at))
            )
            button.clicked.connect(lambda _c=False, sid=row.session_id: self.remove(sid))
            cell = QWidget()
            cell.setObjectName("removeCell")
            cell.button = button  # type: ignore[attr-defined]
            box = QHBoxLayout(cell)
            box.setContentsMargins(4, 3, 10, 3)
            box.addWidget(button)
            self.table.setIndexWidget(self.model.index(position, REMOVE_COLUMN), cell)
        self.empty.setVisible(self.model.rowCount() == 0)
        self.table.setVisible(self.model.rowCount() > 0)

    def remove_buttons(self) -> list[QPushButton]:
        return [
            self.table.indexWidget(self.model.index(position, REMOVE_COLUMN)).button
            for position in range(self.model.rowCount())
        ]

    def _remove_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.remove(self.model.row_at(index).session_id)

    def remove(self, session_id: int) -> None:
        """Ask, then credit the session back to the package (R7)."""
        row = next((r for r in self.model.rows() if r.session_id == session_id), None)
        if row is None:
            return
        when = format_day_month_time(row.starts_at)
        reopen = (
            self.tr(" O pacote, hoje finalizado, volta a ficar ativo.")
            if self.summary.status == "finalizado"
            else ""
        )
        text = self.tr(
            "A sessão de {0} volta a ficar em aberto e {1} voltam ao pacote No. {2}.{3}"
        ).format(when, format_brl(row.amount), self.summary.number, reopen)
        if not messages.confirm(
            self,
            self.tr("Remover sessão do pacote"),
            text,
            confirm_text=self.tr("Remover"),
            destructive=True,
        ):
            return
        version = self.summary.version
        if run_op(self, lambda: packages.refund_session(session_id, expected_version=version)):
            self.changed = True
            toast.notify(
                self.parentWidget() or self,
                self.tr("Sessão de {0} devolvida ao pacote No. {1}.").format(
                    when, self.summary.number
                ),
            )
        self.reload()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
