"""Gestão Financeira (SPEC §5.8, manual 2.1): the period's figures as cards, the package
alerts (R22, alerts.py), two charts, and the button that opens the Relatório de Pacotes.

The figures come from `reports.finance_summary` (see core/reports/finance.py for what counts
as received, open, and package credit). They load off the UI thread, with the alerts when
the page opens or is refreshed (`reports.finance_overview`: one connection, one read
transaction, four statements), alone when the period changes; the charts' twelve months
once the cards are painted (`reports.monthly_figures`, one statement: a year of debits
joined to their sessions is most of the figures' time). A newer request supersedes an
older one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core import reports
from ...core.ptbr import MONTHS, format_brl
from ...core.reports import FinanceOverview, FinanceSummary
from ..common import messages
from ..common.fit import CardGrid, SideOrBelow
from ..common.jobs import Job, start_after_paint
from ..common.widgets import Card, PageHeader, label
from .alerts import AlertsCard
from .chart import BarChart, Series
from .credit import credit_button
from .period import PeriodPicker

RECEIVED_COLOR = "#0f8b8d"
SOLD_COLOR = "#2f6fdd"
CONSUMED_COLOR = "#f59e0b"


def month_label(first_day) -> str:
    """ "jul/25"."""
    return f"{MONTHS[first_day.month - 1][:3]}/{first_day.year % 100:02d}"


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


class SummaryCard(Card):
    """A title, a big amount, and a few detail lines under it."""

    def __init__(self, title: str, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("summary", name)
        self.title = label(title, "fieldLabel", wrap=True)
        self.amount = label("—", "bigNumber")
        self.amount.setAccessibleName(title)
        self.amount.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QVBoxLayout()
        self.details.setSpacing(3)
        self.body.addWidget(self.title)
        self.body.addWidget(self.amount)
        self.body.addLayout(self.details)
        self.body.addStretch(1)
        self.setMinimumWidth(220)

    def set_figures(self, amount: str, lines: list[tuple[str, str]]) -> None:
        """The amount, and detail lines as (left text, right text)."""
        self.amount.setText(amount)
        while self.details.count():
            item = self.details.takeAt(0)
            if item.layout() is not None:
                while item.layout().count():
                    child = item.layout().takeAt(0).widget()
                    if child is not None:
                        child.deleteLater()
            elif item.widget() is not None:
                item.widget().deleteLater()
        for left, right in lines:
            row = QHBoxLayout()
            row.setSpacing(12)
            row.addWidget(label(left, "muted", wrap=True), 1)
            if right:
                value = label(right, "cardDetailValue")
                value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                row.addWidget(value)
            self.details.addLayout(row)

    def set_alarm(self, on: bool) -> None:
        """Show the first detail line's value in red (what is overdue)."""
        if not self.details.count():
            return
        row = self.details.itemAt(0).layout()
        value = row.itemAt(row.count() - 1).widget() if row.count() > 1 else None
        if value is not None:
            value.setStyleSheet("color: #c0392b; font-weight: 600;" if on else "")

    def detail_texts(self) -> list[str]:
        """What the detail lines say (for tests)."""
        texts = []
        for index in range(self.details.count()):
            row = self.details.itemAt(index).layout()
            parts = [row.itemAt(i).widget().text() for i in range(row.count())]
            texts.append("  ".join(parts))
        return texts


class FinancePage(QWidget):
    """The Gestão Financeira page. `nav_count(n)`: how many package alerts there are (the
    main window shows it beside the page's name)."""

    nav_count = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("page")
        self.summary: FinanceSummary | None = None
        self._generation = 0
        self._pending = False  # figures asked for and not on screen yet
        self._alerts_asked: int | None = None  # the read whose alerts are awaited
        self._chart_pending = False  # the chart's months asked for and not shown yet
        self.months: tuple = ()  # the chart's, once read
        self._report_window = None
        self.credit_window = None  # Saldo de créditos, while open (credit.py)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        outer.addWidget(scroll)
        content = QWidget()
        content.setObjectName("page")
        scroll.setWidget(content)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(16)

        header = PageHeader(
            self.tr("Gestão Financeira"),
            self.tr("Recebimentos, valores em aberto e crédito de pacotes"),
        )
        self.report_button = QPushButton(self.tr("Relatório de Pacotes"))
        self.report_button.setProperty("primary", True)
        self.report_button.setShortcut("Ctrl+R")
        self.report_button.setToolTip(self.tr("Todos os pacotes, com filtros e histórico (Ctrl+R)"))
        # R21: the year's receipts, the Excel for the accountant, the annual statements.
        self.receipts_button = QPushButton(self.tr("Recibos"))
        self.receipts_button.setToolTip(
            self.tr("Os recibos do ano, a planilha do contador e as declarações anuais")
        )
        header.actions.addWidget(self.report_button)
        self.credit_button = credit_button(self)
        header.actions.insertWidget(0, self.credit_button)
        layout.addWidget(header)

        controls = QHBoxLayout()
        self.period = PeriodPicker(title=self.tr("Período"))
        controls.addWidget(self.period)
        controls.addStretch(1)
        self.status = label("", "muted")
        controls.addWidget(self.status)
        # Beside the period, not in the header: the header's buttons stay on one line at 1024.
        controls.addWidget(self.receipts_button)
        layout.addLayout(controls)

        # As many cards to a line as fit: all five at 1366, three and two at 1024 wide.
        cards = CardGrid(min_width=190, spacing=14)
        self.received_card = SummaryCard(self.tr("Recebido no período"), "received")
        self.open_card = SummaryCard(self.tr("Em aberto (a receber)"), "open")
        self.credit_card = SummaryCard(self.tr("Crédito de pacotes em aberto"), "credit")
        self.flow_card = SummaryCard(self.tr("Crédito de pacotes no período"), "flow")
        # R18: what packages sold in installments still have to receive, overdue apart.
        self.owed_card = SummaryCard(self.tr("Pacotes a receber"), "owed")
        for card in (
            self.received_card,
            self.open_card,
            self.owed_card,
            self.credit_card,
            self.flow_card,
        ):
            cards.addWidget(card)
        layout.addLayout(cards)
        self.alerts = AlertsCard()
        self.alerts.counted.connect(self.nav_count)
        layout.addWidget(self.alerts)

        chart_cards = []
        self.received_chart = BarChart(self.tr("Recebido por mês"))
        self.credit_chart = BarChart(self.tr("Crédito de pacotes: vendido e consumido"))
        for chart, title in (
            (self.received_chart, self.tr("Recebido por mês — últimos 12 meses")),
            (self.credit_chart, self.tr("Crédito de pacotes — vendido × consumido")),
        ):
            card = Card()
            card.body.addWidget(label(title, "sectionTitle"))
            card.body.addWidget(chart, 1)
            card.setMinimumHeight(300)
            chart_cards.append(card)
        # Side by side, or one under the other on a narrow window.
        charts = SideOrBelow(*chart_cards, stretch=(1, 1))
        charts.setSpacing(14)
        layout.addLayout(charts, 1)
        note = label(
            self.tr(
                "Recebido: dinheiro que entrou — pagamentos manuais pela data do pagamento e "
                "parcelas de pacotes pela data em que foram recebidas (um pacote à vista, na "
                "data de pagamento). O débito de uma sessão no pacote não é dinheiro novo: "
                "consome o crédito já pago. Pacotes a receber: parcelas ainda não recebidas, "
                "hoje. Crédito em aberto: saldo dos pacotes ativos e inativos, hoje."
            ),
            "muted",
            wrap=True,
        )
        layout.addWidget(note)

        self.period.changed.connect(self.load_figures)
        self.report_button.clicked.connect(self.open_report)
        self.receipts_button.clicked.connect(self.open_receipts)
        self.refresh()

    # -- loading -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the figures of the chosen period and the alerts, off the UI thread: one
        read (`reports.finance_overview`, one connection, one transaction)."""
        if not self._load(with_alerts=True):
            self.alerts.refresh()  # no period to read: the alerts alone

    def load_figures(self) -> None:
        """Reload the figures of the chosen period (the alerts do not depend on it)."""
        self._load(with_alerts=False)

    def _load(self, *, with_alerts: bool) -> bool:
        """Start the background read; False when the period is not one (nothing read).
        The cards (and the alerts) first; the chart's twelve months once they are painted
        (`_load_chart`): a year of debits joined to their sessions is most of the time of
        the figures."""
        start, end = self.period.period()
        if start is None or end is None:
            return False
        if start > end:
            self.status.setText(self.tr("A data inicial é posterior à final."))
            return False
        self._generation += 1
        generation = self._generation
        self._pending = True
        self._chart_pending = True
        if with_alerts:
            self._alerts_asked = generation
        self.status.setText(self.tr("Carregando…"))
        for chart in (self.received_chart, self.credit_chart):
            chart.set_waiting_text(self.tr("Carregando…"))
        if with_alerts:
            job = Job(lambda _p: (generation, reports.finance_overview(start, end)), "finanças")
        else:
            job = Job(
                lambda _p: (generation, reports.finance_summary(start, end, months=False)),
                "finanças",
            )
        job.succeeded.connect(self._loaded)
        job.failed.connect(self._failed)
        job.start()
        return True

    def _load_chart(self, generation: int, end) -> None:
        """Read the chart's months after the cards are painted (one statement)."""
        job = Job(lambda _p: (generation, reports.monthly_figures(end)), "finanças: gráficos")
        job.succeeded.connect(self._chart_loaded)
        job.failed.connect(self._failed)
        start_after_paint(job, self.received_card)

    def is_loading(self) -> bool:
        """True from a refresh until its figures, its alerts and its chart are on screen."""
        return self.figures_loading() or self._chart_pending

    def figures_loading(self) -> bool:
        """True from a refresh until its cards and alerts are on screen (the chart may
        still be on its way)."""
        return self._pending or self._alerts_asked is not None or self.alerts.is_loading()

    @Slot(object)
    def _loaded(self, result) -> None:
        generation, figures = result
        if isinstance(figures, FinanceOverview):
            # The alerts do not depend on the period: shown even when a newer period's
            # figures are on their way, unless newer alerts were asked for.
            if generation == self._alerts_asked:
                self._alerts_asked = None
                self.alerts.show_alerts(figures.alerts)
            figures = figures.summary
        if generation != self._generation:
            return  # a newer period was asked for meanwhile
        self._pending = False
        self.summary = figures
        self.status.setText("")
        self._show(figures)
        self._load_chart(generation, figures.end)

    @Slot(object)
    def _chart_loaded(self, result) -> None:
        generation, months = result
        if generation != self._generation:
            return
        self._chart_pending = False
        self.months = months
        self._show_chart(months)

    @Slot(object)
    def _failed(self, error: Exception) -> None:
        self._pending = False
        self._chart_pending = False
        self._alerts_asked = None
        self.status.setText("")
        for chart in (self.received_chart, self.credit_chart):
            chart.set_waiting_text(self.tr("Os valores não puderam ser carregados."))
        messages.show_failure(self, error)

    def _show(self, summary: FinanceSummary) -> None:
        self.received_card.set_figures(
            format_brl(summary.received_total),
            [
                (f"{item.label} ({item.count})", format_brl(item.amount))
                for item in summary.received_by_method
            ]
            or [(self.tr("Nada recebido no período"), "")],
        )
        self.open_card.set_figures(
            format_brl(summary.open_receivables),
            [
                (
                    self.tr("{0} sem pagamento no período").format(
                        plural(summary.open_sessions, self.tr("sessão"), self.tr("sessões"))
                    ),
                    "",
                )
            ],
        )
        self.credit_card.set_figures(
            format_brl(summary.package_credit_open),
            [
                (
                    self.tr("{0} em {1} (ativos e inativos)").format(
                        plural(
                            summary.package_sessions_open, self.tr("sessão"), self.tr("sessões")
                        ),
                        plural(summary.packages_open, self.tr("pacote"), self.tr("pacotes")),
                    ),
                    "",
                )
            ],
        )
        self.owed_card.set_figures(
            format_brl(summary.package_owed),
            [
                (
                    self.tr("Em atraso ({0})").format(
                        plural(summary.packages_overdue, self.tr("pacote"), self.tr("pacotes"))
                    ),
                    format_brl(summary.package_overdue),
                ),
                (
                    self.tr("A receber ({0})").format(
                        plural(summary.packages_owing, self.tr("pacote"), self.tr("pacotes"))
                    ),
                    format_brl(summary.package_owed),
                ),
            ],
        )
        self.owed_card.set_alarm(summary.package_overdue > 0)
        self.flow_card.set_figures(
            format_brl(summary.credit_sold),
            [
                (
                    self.tr("Vendido ({0})").format(
                        plural(summary.packages_sold, self.tr("pacote"), self.tr("pacotes"))
                    ),
                    format_brl(summary.credit_sold),
                ),
                (
                    self.tr("Consumido ({0})").format(
                        plural(summary.sessions_consumed, self.tr("sessão"), self.tr("sessões"))
                    ),
                    format_brl(summary.credit_consumed),
                ),
                # R19: what the packages closed early in the period gave back.
                (
                    self.tr("Devoluções ({0})").format(
                        plural(
                            summary.refunds_count,
                            self.tr("pacote encerrado"),
                            self.tr("pacotes encerrados"),
                        )
                    ),
                    format_brl(summary.refunds),
                ),
            ],
        )

    def _show_chart(self, months) -> None:
        labels = [month_label(m.month) for m in months]
        self.received_chart.set_data(
            labels,
            [
                Series(
                    self.tr("Recebido"),
                    RECEIVED_COLOR,
                    tuple(m.received for m in months),
                )
            ],
        )
        self.credit_chart.set_data(
            labels,
            [
                Series(self.tr("Vendido"), SOLD_COLOR, tuple(m.credit_sold for m in months)),
                Series(
                    self.tr("Consumido"),
                    CONSUMED_COLOR,
                    tuple(m.credit_consumed for m in months),
                ),
            ],
        )

    # -- the report ----------------------------------------------------------------------------
    def open_report(self) -> QWidget:
        """Open (or bring forward) the Relatório de Pacotes window."""
        from .report_window import PackageReportWindow

        window = self._report_window
        if window is None or not window.isVisible():
            window = PackageReportWindow(self.window())
            window.destroyed.connect(self._report_closed)
            self._report_window = window
            window.show()
            window.load()
        window.raise_()
        window.activateWindow()
        return window

    @Slot()
    def _report_closed(self) -> None:
        self._report_window = None

    def open_receipts(self) -> QWidget:
        """Open (or bring forward) the Recibos window (R21)."""
        from ..receipts.window import ReceiptsWindow

        window = getattr(self, "_receipts_window", None)
        if window is None or not window.isVisible():
            window = ReceiptsWindow(self.window())
            window.destroyed.connect(self._receipts_closed)
            self._receipts_window = window
            window.show()
        window.raise_()
        window.activateWindow()
        return window

    @Slot()
    def _receipts_closed(self) -> None:
        self._receipts_window = None

    def window_closing(self) -> None:
        if self._report_window is not None:
            self._report_window.close()
        if self.credit_window is not None:
            self.credit_window.close()
        if getattr(self, "_receipts_window", None) is not None:
            self._receipts_window.close()
