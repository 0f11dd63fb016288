"""The filter bar of the Relatório de Pacotes (manual 2.1): payment period, status (and
"vencidos", R15: ativo packages with sessions left past their validity) and patient. It
says `changed` on every change; the window decides when to reload."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from ...core.terms import PACKAGE_STATUSES
from ..common.fit import SideOrBelow
from ..common.widgets import Card, icon, label
from .period import PeriodPicker

EXPIRED = "vencido"  # the status filter's entry for the vencidos (not a stored status)


class ReportFilters(Card):
    """Período (data de pagamento), Status, Paciente and "Limpar filtros"."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.period = PeriodPicker(allow_all=True, title=self.tr("Data de pagamento"))
        rest = QWidget()
        row = QHBoxLayout(rest)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(14)
        status_label = label(self.tr("Status"), "fieldLabel")
        self.status = QComboBox()
        self.status.addItem(self.tr("Todos"), None)
        for status in PACKAGE_STATUSES:
            self.status.addItem(status, status)
        self.status.addItem(self.tr("vencidos"), EXPIRED)
        self.status.setAccessibleName(self.tr("Status"))
        status_label.setBuddy(self.status)
        row.addWidget(status_label)
        row.addWidget(self.status)
        patient_label = label(self.tr("Paciente"), "fieldLabel")
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Nome, telefone ou CPF"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setAccessibleName(self.tr("Buscar paciente"))
        self.search.setMinimumWidth(220)
        patient_label.setBuddy(self.search)
        row.addWidget(patient_label)
        row.addWidget(self.search, 1)
        self.clear_button = QPushButton(self.tr("Limpar filtros"))
        row.addWidget(self.clear_button)
        # The period, then the rest on the same line (below it on a narrow window).
        period = QWidget()
        period_row = QHBoxLayout(period)
        period_row.setContentsMargins(0, 0, 0, 0)
        period_row.addWidget(self.period)
        period_row.addStretch(1)
        line = SideOrBelow(period, rest, stretch=(0, 1))
        line.setSpacing(14)
        self.body.addLayout(line)
        self.period.changed.connect(self.changed)
        self.status.currentIndexChanged.connect(self.changed)
        self.search.textChanged.connect(self.changed)
        self.clear_button.clicked.connect(self.clear)

    def filters(self) -> dict:
        """The filters as `reports.package_report` takes them."""
        paid_from, paid_to = self.period.period()
        status = self.status.currentData()
        return {
            "paid_from": paid_from,
            "paid_to": paid_to,
            "status": None if status == EXPIRED else status,
            "expired": status == EXPIRED,
            "patient": self.search.text().strip() or None,
        }

    def clear(self) -> None:
        self.period.set_preset("all")
        self.status.setCurrentIndex(0)
        self.search.clear()
