"""Relatório de Pacotes over a whole clinic: the window shows the first rows and the
complete totals at once, says the rest is loading, then has every row (keeping the
selected package); `package_report_preview` is the start of `package_report`."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QObject

from r3izzy_desktop.core import clinic, packages, reports
from r3izzy_desktop.ui.common import jobs
from r3izzy_desktop.ui.finance import report_window
from r3izzy_desktop.ui.finance.report_window import PackageReportWindow
from tests.helpers.statements import counting


@pytest.fixture
def many_packages(db):
    names = ["Bruno Lima", "Álvaro Mendes", "Carla Dias", "ana souza", "Davi Rocha"]
    for number, name in enumerate(names):
        person = clinic.add_patient(name)
        for month in (3, 5):
            packages.create_package(
                person, 4 + number, Decimal("1000.00"), paid_on=date(2025, month, 1 + number)
            )
    return len(names) * 2


def test_the_preview_is_the_start_of_the_report(many_packages):
    whole = reports.package_report()
    for filters in ({}, {"status": "ativo"}, {"patient": "a"}, {"paid_from": date(2025, 4, 1)}):
        full = reports.package_report(**filters)
        start = reports.package_report_preview(limit=3, **filters)
        assert start.rows == full.rows[:3], filters
        assert start.totals == full.totals, filters
    assert len(whole.rows) == many_packages


def test_the_window_shows_the_first_rows_then_all(qtbot, many_packages, monkeypatch):
    monkeypatch.setattr(report_window, "PREVIEW_ROWS", 3)
    release = threading.Event()
    real_report = reports.package_report

    def slow_report(**filters):
        release.wait(10)  # the whole report is still on its way
        return real_report(**filters)

    monkeypatch.setattr(reports, "package_report", slow_report)
    window = PackageReportWindow()
    try:
        window.show()
        window.load()
        qtbot.waitUntil(window.rows_shown, timeout=10_000)
        assert window.is_loading()
        assert window.model.rowCount() == 3
        assert window.totals_model.row_at(0).packages == many_packages
        assert "carregando" in window.count_label.text()
        first = [r.package_id for r in window.model.rows()]
        assert first == [r.package_id for r in real_report().rows[:3]]
        # The user picks the second row while the rest loads: it stays picked.
        window.table.selectRow(1)
        picked = window.selected_package_id()
        release.set()
        qtbot.waitUntil(lambda: not window.is_loading(), timeout=10_000)
        assert window.model.rowCount() == many_packages
        assert "carregando" not in window.count_label.text()
        assert window.selected_package_id() == picked != first[0]
    finally:
        release.set()
        if shiboken6.isValid(window):
            window.close()
        assert jobs.wait_for_all(10)


class _Paints(QObject):
    """Notes whether the table's viewport was painted with rows in it."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.with_rows = False
        window.table.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.window.model.rowCount():
            self.with_rows = True
        return False


def test_the_first_rows_are_two_statements_and_the_rest_comes_after_their_paint(
    qtbot, many_packages, monkeypatch
):
    """The first rows with the totals and their terms (one statement, its own snapshot:
    it was BEGIN, the rows, their terms, COMMIT), then the selected row's history; the
    whole report is asked for only once those rows were painted."""
    statements = counting(monkeypatch)
    monkeypatch.setattr(report_window, "PREVIEW_ROWS", 3)
    release = threading.Event()
    real_report = reports.package_report
    painted_first: list[bool] = []

    def held_report(**filters):
        painted_first.append(paints.with_rows)
        release.wait(10)
        return real_report(**filters)

    monkeypatch.setattr(reports, "package_report", held_report)
    window = PackageReportWindow()
    paints = _Paints(window)
    try:
        window.show()
        qtbot.waitExposed(window)
        with statements() as sent:
            window.load()
            qtbot.waitUntil(window.rows_shown, timeout=10_000)
        assert len(sent) == 2, sent.sent
        assert window.history_model.rowCount() > 0  # the first row's history is on screen
        qtbot.waitUntil(lambda: bool(painted_first), timeout=10_000)
        assert painted_first == [True]
        release.set()
        qtbot.waitUntil(lambda: not window.is_loading(), timeout=10_000)
        assert window.model.rowCount() == many_packages
    finally:
        release.set()
        if shiboken6.isValid(window):
            window.close()
        assert jobs.wait_for_all(10)
