"""Saldo de créditos (R20) in Gestão Financeira: the window opened from the page with its
period, its figures against the core's and against hand-computed ones, the chart, the
Excel export and the printout, who sees it, and how it fits 1366×768 and 1024×600."""

from __future__ import annotations

import os
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from r3izzy_desktop.core import clock, packages, reports
from r3izzy_desktop.core.errors import ValidationError
from r3izzy_desktop.core.ptbr import format_brl
from r3izzy_desktop.ui.common import exports, jobs
from r3izzy_desktop.ui.common.table_print import lay_out, page_layout
from r3izzy_desktop.ui.finance import credit
from r3izzy_desktop.ui.finance.page import FinancePage
from r3izzy_desktop.ui.finance.period import CUSTOM, LAST_3_MONTHS
from tests.helpers.users import add_staff, cheap_hasher, log_in_as  # noqa: F401

D = Decimal
TODAY = datetime(2025, 5, 20, 10, 0)


@pytest.fixture
def history(db, patient, make_session):
    """March: a package of 1.000,00 for 4 (valid until 30/04); April: two of its sessions
    debited, one credited back; May (today is 20/05): a package of 500,00 for 2."""
    with clock.frozen(datetime(2025, 3, 10, 9)):
        first = packages.create_package(
            patient, 4, D("1000.00"), paid_on=date(2025, 3, 10), valid_until=date(2025, 4, 30)
        )
    one, two = make_session(3, 10), make_session(4, 10)
    with clock.frozen(datetime(2025, 4, 5, 12)):
        packages.pay_sessions(first, [one, two])
    with clock.frozen(datetime(2025, 4, 8, 12)):
        packages.refund_session(two)
    with clock.frozen(datetime(2025, 5, 2, 9)):
        packages.create_package(patient, 2, D("500.00"), paid_on=date(2025, 5, 2))
    return first


def shown(window) -> list[tuple[str, str, str]]:
    model = window.model
    return [
        tuple(model.index(row, column).data() for column in range(3))
        for row in range(model.rowCount())
    ]


def open_window(qtbot, page: FinancePage) -> credit.CreditRollforwardWindow:
    qtbot.mouseClick(page.credit_button, Qt.MouseButton.LeftButton)
    window = page.credit_window
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.roll is not None and not window.is_loading())
    return window


@pytest.fixture
def page(qtbot, history):
    with clock.frozen(TODAY):
        made = FinancePage()
        qtbot.addWidget(made)
        made.resize(1280, 800)
        made.show()
        made.period.set_preset(LAST_3_MONTHS)  # March to May 2025
        yield made
        if made.credit_window is not None:
            made.credit_window.close()
        jobs.wait_for_all()


def test_the_window_shows_the_core_figures_for_the_page_period(qtbot, qtmodeltester, page):
    window = open_window(qtbot, page)
    qtmodeltester.check(window.model)
    assert window.period.preset.currentData() == LAST_3_MONTHS
    roll = reports.credit_rollforward(date(2025, 3, 1), date(2025, 5, 31))
    assert (window.roll.start, window.roll.end) == (date(2025, 3, 1), date(2025, 5, 31))
    assert shown(window) == [
        (line.label, credit.count_text(line), format_brl(line.amount)) for line in roll.lines()
    ]
    # By hand: nothing before March; sold 1.500,00 in 2 packages; 500,00 consumed in two
    # debits, 250,00 credited back in one; 1.250,00 at the end, of which the first
    # package's 750,00 is vencido (its validity ended on 30/04).
    figures = {label: (count, amount) for label, count, amount in shown(window)}
    assert figures["Saldo inicial em 01/03/2025"] == ("", "R$ 0,00")
    assert figures["Vendido (pacotes criados)"] == ("2", "R$ 1.500,00")
    assert figures["Consumido (sessões debitadas)"] == ("2", "-R$ 500,00")
    assert figures["Creditado de volta (sessões creditadas)"] == ("1", "R$ 250,00")
    assert figures["Devolvido ao paciente (encerramentos)"] == ("0", "R$ 0,00")
    assert figures["Saldo final em 31/05/2025"] == ("", "R$ 1.250,00")
    expired = "Crédito vencido em 31/05/2025"
    assert figures[expired] == ("1", "R$ 750,00")
    bold = window.model.index(0, 0).data(Qt.ItemDataRole.FontRole)
    assert bold is not None and bold.bold()
    assert window.chart.describe() == (
        "Crédito em aberto: mar/25 R$ 1.000,00, abr/25 R$ 750,00, mai/25 R$ 1.250,00"
    )


def test_a_new_period_is_read_again(qtbot, page):
    window = open_window(qtbot, page)
    window.period.set_range(date(2025, 4, 1), date(2025, 4, 30))
    assert window.is_loading()
    qtbot.waitUntil(lambda: not window.is_loading())
    assert window.period.preset.currentData() == CUSTOM
    figures = {label: amount for label, _count, amount in shown(window)}
    assert figures["Saldo inicial em 01/04/2025"] == "R$ 1.000,00"
    assert figures["Saldo final em 30/04/2025"] == "R$ 750,00"
    assert window.chart.describe() == "Crédito em aberto: abr/25 R$ 750,00"


def test_a_failed_read_is_told_and_nothing_is_offered(qtbot, page, monkeypatch, dialogs):
    window = open_window(qtbot, page)

    def refuse(start, end):
        raise ValidationError("O banco de dados está ocupado. Tente de novo.")

    monkeypatch.setattr(credit, "read_figures", refuse)
    window.period.set_range(date(2025, 4, 1), date(2025, 4, 30))
    qtbot.waitUntil(lambda: not window.is_loading())
    assert dialogs.told[-1][1] == "O banco de dados está ocupado. Tente de novo."
    assert window.chart.describe() == "Os valores não puderam ser carregados."
    assert window.status.text() == "" and window.model.rowCount() == 0
    assert not window.export_button.isEnabled() and not window.print_button.isEnabled()


def test_a_second_click_brings_the_same_window_forward(qtbot, page):
    window = open_window(qtbot, page)
    assert credit.open_credit_window(page) is window


def test_the_export_writes_the_lines_on_screen(qtbot, page, tmp_path, monkeypatch, dialogs):
    window = open_window(qtbot, page)
    target = tmp_path / "saldo.xlsx"
    asked = []

    def ask(parent, name, **kwargs):
        asked.append(name)
        return target

    monkeypatch.setattr(exports, "ask_save_path", ask)
    run = window.export()
    assert run is not None
    qtbot.waitUntil(lambda: window.export_run is None)
    assert asked == ["saldo-de-creditos-2025-03-01-a-2025-05-31.xlsx"]
    assert dialogs.told[-1][1].startswith("O saldo de créditos foi exportado para:")
    sheet = openpyxl.load_workbook(target)["Saldo de créditos"]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=6)]
    assert [row[0] for row in rows] == [label for label, _c, _a in shown(window)]
    assert rows[-2] == ("Saldo final em 31/05/2025", None, 1250)


def test_a_cancelled_save_dialog_writes_nothing(qtbot, page, tmp_path, monkeypatch):
    window = open_window(qtbot, page)
    monkeypatch.setattr(exports, "ask_save_path", lambda *a, **k: None)
    assert window.export() is None
    assert window.export_run is None and list(tmp_path.glob("*.xlsx")) == []


def test_the_printout_is_the_table_on_screen(qtbot, page):
    window = open_window(qtbot, page)
    dialog = window.print_rollforward()
    assert dialog is not None
    table = credit.print_table(window.roll)
    assert table.details == [("Período", "01/03/2025 a 31/05/2025")]
    assert not table.landscape
    layout = lay_out(table, page_layout(landscape=False))
    assert layout.page_count == 1
    assert [cells for cells in layout.cells] == shown(window)
    dialog.close()


def test_hidden_from_recepcao(qtbot, history, cheap_hasher):  # noqa: F811
    add_staff()
    log_in_as("recepção")
    with clock.frozen(TODAY):
        page = FinancePage()
        qtbot.addWidget(page)
        page.show()
        assert page.credit_button.isHidden()
        assert credit.open_credit_window(page) is None
        assert page.credit_window is None
        log_in_as("financeiro")
        other = FinancePage()
        qtbot.addWidget(other)
        other.show()
        assert not other.credit_button.isHidden()
        jobs.wait_for_all()


@pytest.mark.parametrize("size", [(1366, 768), (1024, 600)])
def test_it_fits_a_reception_screen_and_a_netbook(qtbot, page, size, tmp_path):
    """Every line and every figure whole, the chart with room to draw, the buttons on
    screen; and the window renders to a PNG (R3IZZY_SHOTS_DIR keeps them to look at)."""
    window = open_window(qtbot, page)
    window.resize(*size)
    qtbot.wait(50)
    assert (window.width(), window.height()) == size  # nothing forces it larger
    folder = Path(os.environ.get("R3IZZY_SHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(folder / f"credit_rollforward_{size[0]}x{size[1]}.png"))
    table = window.table
    assert not table.verticalScrollBar().isVisible()
    assert not table.horizontalScrollBar().isVisible()
    metrics = table.fontMetrics()
    for row, texts in enumerate(shown(window)):
        for column, text in enumerate(texts):
            room = table.columnWidth(column) - 8
            assert metrics.horizontalAdvance(text) <= room, (row, column, text)
    assert window.chart.height() >= 180 and window.chart.width() >= 250
    for button in (window.export_button, window.print_button, window.close_button):
        corner = button.mapTo(window, button.rect().bottomRight())
        assert window.rect().contains(corner)
