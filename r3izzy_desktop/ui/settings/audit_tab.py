"""Configurações › Auditoria (R23), for administrators: who did what and when, filtered by
user, action and period, newest first; exportable to Excel. Nothing here changes the log:
it is append-only (core/audit.py)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import audit, clock, users
from ...core.ptbr import format_datetime
from ..common import exports
from ..common.column_widths import CELL_PADDING, keep_wide
from ..common.date_edit import DateEdit
from ..common.operations import run_op
from ..common.table_model import Column, RowTableModel, make_table
from ..common.widgets import FormField, label

NARROWEST_FILTER = 120  # px, the user and action filters on a narrow screen
DATE_SAMPLE = "00/00/0000 00:00"
# What Detalhe (which takes the width left) keeps room for: a line's detail, or its start.
DETAIL_SAMPLE = "Senha do usuário rita redefinida"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class AuditTab(QWidget):
    """`refresh()` reads the log again with the filters shown."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 18, 18, 18)
        outer.setSpacing(12)
        filters = QHBoxLayout()
        self.user = QComboBox()
        self.action = QComboBox()
        for combo in (self.user, self.action):
            # As wide as their longest choice when there is room; on a 1024×600 screen
            # narrower ("Dados do paciente exportados", a long name made the tab, and so
            # every tab, wider than the screen). The list that opens shows them whole.
            combo.setMinimumWidth(NARROWEST_FILTER)
        today = clock.today()
        self.start = self._date_edit(today - timedelta(days=30))
        self.end = self._date_edit(today)
        filters.addWidget(FormField(self.tr("Usuário"), self.user))
        filters.addWidget(FormField(self.tr("Ação"), self.action))
        filters.addWidget(FormField(self.tr("De"), self.start))
        filters.addWidget(FormField(self.tr("Até"), self.end))
        filters.addStretch(1)
        self.export_button = QPushButton(self.tr("Exportar Excel"))
        self.export_button.clicked.connect(self.export)
        filters.addWidget(self.export_button)
        outer.addLayout(filters)
        self.model = RowTableModel(
            [
                Column(self.tr("Data"), lambda e: format_datetime(e.at), sort_key=lambda e: e.at),
                Column(self.tr("Usuário"), lambda e: e.user_name),
                Column(self.tr("Computador"), lambda e: e.workstation),
                Column(self.tr("Ação"), lambda e: e.action_label),
                Column(self.tr("Detalhe"), lambda e: e.detail, tooltip=lambda e: e.detail),
            ]
        )
        self.table = make_table(self.model, "auditTable")
        self.table.ensurePolished()  # the stylesheet's font, which the widths are measured in
        when = self.table.fontMetrics().horizontalAdvance(DATE_SAMPLE) + CELL_PADDING
        for column, width in enumerate((when, 190, 130, 190)):
            self.table.setColumnWidth(column, width)
        # The detail takes the rest, never less than a short one (1024×600: the table
        # scrolls sideways rather than show a 30 px sliver).
        keep_wide(self.table, 4, DETAIL_SAMPLE)
        outer.addWidget(self.table, 1)
        self.count = label("", "muted")
        outer.addWidget(self.count)
        self._fill_choices()
        for combo in (self.user, self.action):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        for edit in (self.start, self.end):
            edit.dateChanged.connect(lambda _d: self.refresh())
        self.refresh()

    def _date_edit(self, day: date) -> DateEdit:
        return DateEdit(day)

    def _fill_choices(self) -> None:
        self.user.blockSignals(True)
        self.action.blockSignals(True)
        self.user.clear()
        self.user.addItem(self.tr("Todos"), None)
        listed = run_op(self, users.list_users) if users.can("users.list_users") else None
        for user in listed.value if listed else []:
            self.user.addItem(f"{user.name} ({user.login})", user.id)
        self.action.clear()
        self.action.addItem(self.tr("Todas"), None)
        for action in audit.ACTION_LABELS:
            self.action.addItem(audit.ACTION_LABELS[action], action)
        self.user.blockSignals(False)
        self.action.blockSignals(False)

    def filters(self) -> dict:
        return {
            "user": self.user.currentData(),
            "action": self.action.currentData(),
            "start": _day(self.start.date()),
            "end": _day(self.end.date()),
        }

    def refresh(self) -> None:
        if not users.can("audit.entries"):
            self.model.set_rows([])
            self.count.setText(self.tr("Só administradores veem a auditoria."))
            return
        read = run_op(self, lambda: audit.entries(**self.filters()))
        rows = read.value if read else []
        self.model.set_rows(rows)
        self.count.setText(
            self.tr("Nenhum registro neste período.")
            if not rows
            else self.tr("%1 registro(s), do mais novo ao mais antigo.").replace(
                "%1", str(len(rows))
            )
        )

    def export(self) -> None:
        exports.export_audit(self, **self.filters())
