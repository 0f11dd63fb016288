"""Gestão Financeira: the cards, the charts and the period, driven as a person would."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, QPoint, Qt

from r3izzy_desktop.core import agenda, clock, packages, payments
from r3izzy_desktop.core.reports import FinanceSummary
from r3izzy_desktop.ui.finance.chart import BarChart, Series, axis_label, nice_step
from r3izzy_desktop.ui.finance.page import FinancePage
from r3izzy_desktop.ui.finance.period import CUSTOM

D = Decimal
TODAY = datetime(2025, 5, 20, 10, 0)


@pytest.fixture
def frozen_today():
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def may(frozen_today, patient, service, make_session):
    """May 2025: a Pix of 250,00 on 05/05, a package of 1.000,00 for 4 paid on 02/05 with one
    debit (250,00), an open session on 12/05; April: a package of 500,00 sold."""
    pix = make_session(5, 10, month=5)
    payments.pay_manually([pix], "pix", paid_on=date(2025, 5, 5))
    pkg = packages.create_package(patient, 4, D("1000.00"), paid_on=date(2025, 5, 2))
    packages.pay_sessions(pkg, [make_session(8, 10, month=5)])
    make_session(12, 10, month=5)
    packages.create_package(patient, 2, D("500.00"), paid_on=date(2025, 4, 10))
    agenda.schedule(patient, service, datetime(2025, 6, 2, 10))  # June: not in May


def loaded_page(qtbot) -> FinancePage:
    page = FinancePage()
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()  # built, it reads the current month
    qtbot.waitUntil(lambda: page.summary is not None and not page.is_loading())
    return page


def test_cards_show_the_current_month(qtbot, db, may):
    page = loaded_page(qtbot)
    assert page.period.period() == (date(2025, 5, 1), date(2025, 5, 31))
    assert page.received_card.amount.text() == "R$ 1.250,00"
    assert page.received_card.detail_texts() == [
        "Pix (1)  R$ 250,00",
        "Pacotes (1)  R$ 1.000,00",
    ]
    assert page.open_card.amount.text() == "R$ 250,00"
    assert page.open_card.detail_texts() == ["1 sessão sem pagamento no período"]
    # Credit still open: 750,00 of May's package + 500,00 of April's.
    assert page.credit_card.amount.text() == "R$ 1.250,00"
    assert page.credit_card.detail_texts() == ["5 sessões em 2 pacotes (ativos e inativos)"]
    assert page.flow_card.detail_texts() == [
        "Vendido (1 pacote)  R$ 1.000,00",
        "Consumido (1 sessão)  R$ 250,00",
        "Devoluções (0 pacotes encerrados)  R$ 0,00",
    ]


def test_refunds_of_the_period_are_devolucoes(qtbot, db, may, patient):
    """R19: a package closed in May giving back 120,50 by Pix; its open amount leaves the
    credit still open."""
    pkg = packages.create_package(patient, 2, D("300.00"), paid_on=date(2025, 5, 20))
    with clock.frozen(datetime(2025, 5, 21, 10, 0)):
        packages.close_package(pkg, refund=D("120.50"), method="pix", reason="mudança")
    page = loaded_page(qtbot)
    assert page.flow_card.detail_texts()[-1] == "Devoluções (1 pacote encerrado)  R$ 120,50"
    assert page.credit_card.amount.text() == "R$ 1.250,00"


def test_charts_show_twelve_months(qtbot, db, may):
    page = loaded_page(qtbot)
    text = page.received_chart.describe()
    assert text.startswith("Recebido: jun/24 R$ 0,00")
    assert "abr/25 R$ 500,00" in text and text.endswith("mai/25 R$ 1.250,00")
    credit = page.credit_chart.describe()
    assert "Vendido:" in credit and "mai/25 R$ 1.000,00" in credit
    assert credit.split("; ")[1].endswith("mai/25 R$ 250,00")  # consumido
    page.credit_chart.grab()  # painted, so the bars know where they are
    bar = page.credit_chart.bar_tooltip_at(QPoint(page.credit_chart.width() - 20, 150))
    assert bar is not None and "mai/25" in bar


def test_choosing_another_period(qtbot, db, may):
    page = loaded_page(qtbot)
    combo = page.period.preset
    combo.setCurrentIndex(combo.findData("last_month"))  # abril
    qtbot.waitUntil(lambda: page.summary.start == date(2025, 4, 1) and not page.is_loading())
    assert page.received_card.amount.text() == "R$ 500,00"
    assert page.open_card.amount.text() == "R$ 0,00"
    page.period.start.setDate(QDate(2025, 5, 5))
    page.period.end.setDate(QDate(2025, 5, 5))
    assert page.period.preset.currentData() == CUSTOM
    qtbot.waitUntil(lambda: page.summary.start == date(2025, 5, 5) and not page.is_loading())
    assert page.received_card.amount.text() == "R$ 250,00"


def test_empty_clinic_says_nothing_received(qtbot, db, frozen_today):
    page = loaded_page(qtbot)
    assert page.received_card.amount.text() == "R$ 0,00"
    assert page.received_card.detail_texts() == ["Nada recebido no período"]
    assert isinstance(page.summary, FinanceSummary)


def test_report_button_opens_the_report_window(qtbot, db, may):
    page = loaded_page(qtbot)
    qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    window = page._report_window
    assert window is not None and window.isVisible()
    qtbot.waitUntil(lambda: window.report is not None and not window.is_loading())
    assert window.model.rowCount() == 2
    assert page.open_report() is window  # a second click brings the same window forward
    window.close()
    qtbot.waitUntil(lambda: page._report_window is None)


def test_the_page_is_in_the_main_window(qtbot, db, frozen_today):
    from r3izzy_desktop.ui.shell.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    page = window.show_page("finance")
    assert isinstance(page, FinancePage)
    qtbot.waitUntil(lambda: page.summary is not None and not page.is_loading())


def test_chart_scale_uses_round_steps_and_no_float():
    assert nice_step(D("2500.00")) == D(1000)
    assert nice_step(D("0")) == D(1)
    assert nice_step(D("90")) == D(25)
    assert axis_label(D("2500")) == "R$ 2.500"
    assert axis_label(D("12.50")) == "R$ 12,50"


def test_chart_refuses_series_of_the_wrong_length(qtbot):
    chart = BarChart("x")
    qtbot.addWidget(chart)
    with pytest.raises(ValueError):
        chart.set_data(["jan"], [Series("a", "#000000", (D(1), D(2)))])


def test_a_chart_says_loading_before_its_data_and_when_everything_is_zero(qtbot):
    chart = BarChart("Recebido por mês")
    qtbot.addWidget(chart)
    chart.resize(520, 260)
    assert chart.empty_text() == chart.describe() == "Carregando…"
    chart.grab()  # painted with its message, no axis
    chart.set_data(["jan/26", "fev/26"], [Series("Recebido", "#0f8b8d", (D(0), D(0)))])
    assert chart.describe() == "Nenhum valor nestes meses."
    chart.grab()
    assert chart.bar_tooltip_at(QPoint(chart.width() - 30, 150)) is not None  # still there
    chart.set_data(["jan/26", "fev/26"], [Series("Recebido", "#0f8b8d", (D(0), D(5)))])
    assert chart.empty_text() == ""
    assert chart.describe() == "Recebido: jan/26 R$ 0,00, fev/26 R$ 5,00"


def test_charts_say_when_the_figures_could_not_be_read(qtbot, db, may, monkeypatch):
    from r3izzy_desktop.core import reports
    from r3izzy_desktop.core.errors import DomainError
    from r3izzy_desktop.ui.common import messages

    told = []
    monkeypatch.setattr(messages, "show_failure", lambda parent, error: told.append(str(error)))
    read = reports.finance_summary

    def broken(*args, **kwargs):
        raise DomainError("O banco de dados não respondeu.")

    monkeypatch.setattr(reports, "finance_summary", broken)
    overview = reports.finance_overview
    monkeypatch.setattr(reports, "finance_overview", broken)
    page = FinancePage()  # built, it reads the current month
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.is_loading())
    assert told == ["O banco de dados não respondeu."]
    assert page.received_chart.describe() == "Os valores não puderam ser carregados."
    assert page.credit_chart.describe() == "Os valores não puderam ser carregados."
    monkeypatch.setattr(reports, "finance_summary", read)
    monkeypatch.setattr(reports, "finance_overview", overview)
    page.refresh()
    qtbot.waitUntil(lambda: page.summary is not None and not page.is_loading())
    assert page.received_chart.describe().startswith("Recebido: jun/24 R$ 0,00")


def test_the_axis_keeps_room_for_a_big_clinics_labels(qtbot):
    """ "R$ 1.500.000" fits left of the bars: no bar (nor its tooltip) starts under it."""
    from PySide6.QtGui import QFont, QFontMetrics

    chart = BarChart("Recebido por mês")
    qtbot.addWidget(chart)
    chart.resize(520, 260)
    chart.set_data(["jan/26", "fev/26"], [Series("Recebido", "#0f8b8d", (D(1_200_000), D(9)))])
    chart.grab()
    small = QFont(chart.font())
    small.setPointSizeF(max(chart.font().pointSizeF() - 1.5, 7.5))
    label_width = QFontMetrics(small).horizontalAdvance(axis_label(D(1_500_000)))
    assert label_width > BarChart.MARGIN_LEFT - 8  # the usual margin would cut it
    assert chart.bar_tooltip_at(QPoint(label_width + 4, 150)) is None
    assert chart.bar_tooltip_at(QPoint(label_width + 40, 150)) is not None


def counting(monkeypatch):
    """The statements sent (from any thread) and the connections opened from now on."""
    import peewee

    sent: list[str] = []
    opened: list[int] = []
    real_cursor, real_connect = peewee.Database.cursor, peewee.Database.connect

    class Counting:
        def __init__(self, cursor):
            self._cursor = cursor

        def execute(self, sql, *args, **kwargs):
            sent.append(sql)
            return self._cursor.execute(sql, *args, **kwargs)

        def __getattr__(self, name):
            return getattr(self._cursor, name)

        def __iter__(self):
            return iter(self._cursor)

    def connect(self, *args, **kwargs):
        closed = self.is_closed()
        result = real_connect(self, *args, **kwargs)
        if closed and not self.is_closed():
            opened.append(1)
        return result

    monkeypatch.setattr(
        peewee.Database, "cursor", lambda self, *a, **k: Counting(real_cursor(self, *a, **k))
    )
    monkeypatch.setattr(peewee.Database, "connect", connect)
    return sent, opened


def test_opening_reads_figures_and_alerts_in_one_read(qtbot, db, may, monkeypatch):
    """Issue 22: the page's figures and its alerts come from one background read, one
    connection and one transaction of four statements (it was two reads, two connections,
    twelve statements); the chart's months come after, in one statement."""
    from r3izzy_desktop.ui.common import jobs

    sent, opened = counting(monkeypatch)
    page = loaded_page(qtbot)
    assert jobs.wait_for_all(10)
    # Built in a database without users, the page asks whether it has any (the Saldo de
    # créditos button's right, R23) on the UI thread, once; then its read.
    asked = [sql for sql in sent if '"app_user"' in sql]
    assert len(asked) == 1
    sent = [sql for sql in sent if sql not in asked]
    # BEGIN, the figures with the settings, the alerts, COMMIT; then the chart's months.
    assert len(sent) == 5, sent
    assert sent[0].startswith("BEGIN") and sent[3] == "COMMIT"
    assert "pacote" not in sent[4] and '"session"' in sent[4]
    assert len(opened) == 2  # the cards' read, then the chart's once they are painted
    assert page.alerts.alerts == packages.alerts() != []
    assert page.alerts.title.text() == f"Avisos de pacotes ({len(page.alerts.alerts)})"
    assert page.received_card.amount.text() == "R$ 1.250,00"


def test_another_period_reads_the_figures_alone(qtbot, db, may, monkeypatch):
    page = loaded_page(qtbot)
    shown = list(page.alerts.alerts)
    sent, _opened = counting(monkeypatch)
    combo = page.period.preset
    combo.setCurrentIndex(combo.findData("last_month"))
    qtbot.waitUntil(lambda: page.summary.start == date(2025, 4, 1) and not page.is_loading())
    assert len(sent) == 2, sent  # the figures' one statement, then the chart's
    assert page.alerts.alerts == shown


def test_alerts_read_with_an_older_period_are_still_shown(qtbot, db, may, monkeypatch):
    """The period changed while the opening read ran: its figures are dropped, its alerts
    (which do not depend on the period) are shown."""
    import threading

    from r3izzy_desktop.core import reports

    release = threading.Event()
    read = reports.finance_overview

    def slow(*args):
        release.wait(10)
        return read(*args)

    monkeypatch.setattr(reports, "finance_overview", slow)
    page = FinancePage()
    qtbot.addWidget(page)
    page.show()
    assert page.is_loading() and page.status.text() == "Carregando…"
    combo = page.period.preset
    combo.setCurrentIndex(combo.findData("last_month"))
    qtbot.waitUntil(lambda: page.summary is not None and page.summary.start == date(2025, 4, 1))
    assert page.is_loading()  # the alerts are still on their way
    release.set()
    qtbot.waitUntil(lambda: not page.is_loading())
    assert page.summary.start == date(2025, 4, 1)
    assert page.alerts.alerts == packages.alerts() != []


def test_the_cards_show_before_the_chart(qtbot, db, may, monkeypatch):
    """The chart's twelve months are read after the cards and the alerts are painted: the
    charts say "Carregando…" meanwhile, then show the months."""
    import threading

    from r3izzy_desktop.core import reports

    release = threading.Event()
    read = reports.monthly_figures

    def slow(end):
        release.wait(10)
        return read(end)

    monkeypatch.setattr(reports, "monthly_figures", slow)
    page = FinancePage()
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitUntil(lambda: not page.figures_loading())
    assert page.received_card.amount.text() == "R$ 1.250,00"
    assert page.alerts.alerts == packages.alerts()
    assert page.is_loading() and page.received_chart.describe() == "Carregando…"
    release.set()
    qtbot.waitUntil(lambda: not page.is_loading())
    assert page.received_chart.describe().startswith("Recebido: jun/24 R$ 0,00")
    assert page.months == reports.finance_summary(date(2025, 5, 1), date(2025, 5, 31)).months
