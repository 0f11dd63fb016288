"""Avisos de pacotes (R22) in Gestão Financeira: every alert — vencido, vencendo, acabando
(and parcela atrasada, R18) — with the patient, the package, the phone
and, per alert, "Mensagem": it opens WhatsApp (a wa.me link with the clinic's message,
`packages.whatsapp_link`) in the system's browser. A missing or invalid phone is said so.

The list loads off the UI thread (a clinic has thousands of packages): Gestão Financeira
reads it with its figures and hands it over (`show_alerts`); `refresh()` reads it alone.
`counted(n)` tells the main window how many there are (the count in the navigation).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QWidget

from ...core import clock, packages
from ...core.packages import PackageAlert
from ...core.ptbr import format_date
from ..common import messages
from ..common.button_delegate import ButtonDelegate
from ..common.column_widths import STRETCH_SAMPLE, keep_wide, size_columns
from ..common.jobs import Job
from ..common.operations import run_op
from ..common.table_model import CENTER, LEFT, Column, RowTableModel, make_table
from ..common.widgets import Card, label
from ..packages.card import due_text

KIND_COLORS = {
    packages.VENCIDO: "#d64545",
    packages.PARCELA_ATRASADA: "#b91c1c",
    packages.VENCENDO: "#b45309",
    packages.ACABANDO: "#b45309",
}
MESSAGE_COLUMN = 5
# Each column as wide as this sample of its widest value (None: the rest of the width).
ALERT_SAMPLES = (
    "vencido (99 sessões)",
    None,
    "000000000000",
    "sem validade",
    "(00) 00000-0000",
    "",
)
BUTTON_ROW_HEIGHT = 40
VISIBLE_ROWS = 8  # the list grows to this many rows, then scrolls


def tr(text: str) -> str:
    return QCoreApplication.translate("package_alerts", text)


def open_external(url: str) -> bool:
    """Open `url` in the system's browser or app (the seam tests patch)."""
    return QDesktopServices.openUrl(QUrl(url))


def alert_label(alert: PackageAlert, today: date | None = None) -> str:
    """The alert in a few words: "vencido (4 sessões)", "vence em 5 dias", "acabando: 2
    sessões"."""
    day = today or clock.today()
    sessions = tr("1 sessão") if alert.sessions_left == 1 else tr("{0} sessões")
    sessions = sessions.format(alert.sessions_left)
    if alert.kind == packages.VENCIDO:
        return tr("vencido ({0})").format(sessions)
    if alert.kind == packages.VENCENDO and alert.valid_until is not None:
        return due_text((alert.valid_until - day).days)
    if alert.kind == packages.ACABANDO:
        return tr("acabando: {0}").format(sessions)
    return alert.kind


def alert_columns() -> list[Column[PackageAlert]]:
    return [
        Column(
            tr("Aviso"),
            alert_label,
            LEFT,
            sort_key=lambda a: (packages.ALERT_KINDS.index(a.kind), a.patient_name),
            color=lambda a: KIND_COLORS.get(a.kind),
        ),
        Column(tr("Paciente"), lambda a: a.patient_name, LEFT, tooltip=lambda a: a.contact_name),
        Column(tr("Pacote"), lambda a: a.package_number, LEFT),
        Column(
            tr("Validade"),
            lambda a: format_date(a.valid_until, blank=tr("sem validade")),
            CENTER,
            sort_key=lambda a: (a.valid_until is None, a.valid_until),
        ),
        Column(tr("Telefone"), lambda a: a.phone or tr("sem telefone"), LEFT),
        Column("", lambda a: ""),  # the row's "Mensagem" button
    ]


class AlertsCard(Card):
    """The list of alerts with a filter by kind and "Mensagem" on every row."""

    counted = Signal(int)  # how many alerts there are (all kinds)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.alerts: list[PackageAlert] = []
        self._generation = 0
        self._pending = False
        top = QHBoxLayout()
        self.title = label(tr("Avisos de pacotes"), "sectionTitle")
        top.addWidget(self.title, 1)
        self.kind = QComboBox()
        self.kind.setAccessibleName(tr("Tipo de aviso"))
        self.kind.addItem(tr("Todos os avisos"), None)
        for kind in packages.ALERT_KINDS:
            self.kind.addItem(kind, kind)
        self.kind.currentIndexChanged.connect(lambda _i: self._show())
        top.addWidget(self.kind)
        self.body.addLayout(top)
        self.note = label(
            tr(
                "Pacotes ativos que estão acabando, vencendo ou vencidos, e pacotes com parcela "
                "atrasada. “Mensagem” abre o WhatsApp com o texto de Configurações › Pacotes."
            ),
            "muted",
            wrap=True,
        )
        self.body.addWidget(self.note)
        self.model: RowTableModel[PackageAlert] = RowTableModel(alert_columns(), parent=self)
        self.table = make_table(self.model, "packageAlerts", row_height=BUTTON_ROW_HEIGHT)
        self.table.setAccessibleName(tr("Avisos de pacotes"))
        size_columns(self.table, ALERT_SAMPLES)
        keep_wide(self.table, 1, STRETCH_SAMPLE)  # Paciente, readable at 1024×600
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(MESSAGE_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(MESSAGE_COLUMN, 130)
        self.table.setToolTip(tr("Enter: abrir a mensagem do aviso selecionado"))
        self.message_buttons = ButtonDelegate(tr("Mensagem"), self)
        self.message_buttons.install(self.table, MESSAGE_COLUMN)
        self.message_buttons.clicked.connect(self.send_message)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.table.setToolTip(
                self.model.row_at(current).text if current.isValid() else ""
            )
        )
        self.body.addWidget(self.table, 1)
        self.empty = label(tr("Nenhum aviso: nenhum pacote ativo acabando ou vencendo."), "muted")
        self.empty.setVisible(False)
        self.body.addWidget(self.empty)

    # -- loading -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the alerts again (off the UI thread)."""
        self._generation += 1
        generation = self._generation
        self._pending = True
        job = Job(lambda _p: (generation, packages.alerts()), "avisos de pacotes")
        job.succeeded.connect(self._loaded)
        job.failed.connect(self._failed)
        job.start()

    def is_loading(self) -> bool:
        return self._pending

    @Slot(object)
    def _loaded(self, result) -> None:
        generation, alerts = result
        if generation != self._generation:
            return
        self.show_alerts(alerts)

    def show_alerts(self, alerts) -> None:
        """Show `alerts` (Gestão Financeira reads them with its figures, in one read); a
        read of the card's own still running is superseded."""
        self._generation += 1
        self._pending = False
        self.alerts = list(alerts)
        self._show()
        self.counted.emit(len(self.alerts))

    @Slot(object)
    def _failed(self, error: Exception) -> None:
        self._pending = False
        messages.show_failure(self, error)

    def _show(self) -> None:
        kind = self.kind.currentData()
        rows = [a for a in self.alerts if kind is None or a.kind == kind]
        self.model.set_rows(rows)
        self.title.setText(
            tr("Avisos de pacotes ({0})").format(len(self.alerts))
            if self.alerts
            else tr("Avisos de pacotes")
        )
        self.table.setVisible(bool(rows))
        self.table.setFixedHeight(
            self.table.horizontalHeader().sizeHint().height()
            + min(max(len(rows), 1), VISIBLE_ROWS)
            * self.table.verticalHeader().defaultSectionSize()
            + 2 * self.table.frameWidth()
        )
        self.empty.setVisible(not rows)
        self.empty.setText(
            tr("Nenhum aviso: nenhum pacote ativo acabando ou vencendo.")
            if not self.alerts
            else tr("Nenhum aviso deste tipo.")
        )

    # -- "Mensagem" --------------------------------------------------------------------------
    def send_message(self, row: int) -> None:
        """Open WhatsApp with the alert's message; a missing or invalid phone is said so
        (the core's message), and nothing opens."""
        if not 0 <= row < self.model.rowCount():
            return
        alert = self.model.row_at(row)
        link = run_op(self, lambda: packages.whatsapp_link(alert), title=tr("Mensagem"))
        if link and not open_external(link.value):
            messages.show_error(
                self,
                tr(
                    "Não foi possível abrir o WhatsApp neste computador. Copie o número "
                    "{0} e envie a mensagem pelo celular."
                ).format(alert.phone),
            )
