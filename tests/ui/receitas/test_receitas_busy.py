"""Receitas over a busy period: the first rows and the footer totals show at once, the
rest of the sessions come from the background (the window never waits for them), the
selection is kept, and a table sorted by another column waits for every row."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt

from r3izzy_desktop.core import agenda, payments
from r3izzy_desktop.core.reports import receitas
from r3izzy_desktop.ui.common import jobs
from r3izzy_desktop.ui.receitas import ReceitasPage, loading


@pytest.fixture
def busy_april(db, patient, service, monkeypatch):
    """Twelve sessions in April; a period of more than four counts as busy here."""
    made = [agenda.schedule(patient, service, datetime(2025, 4, day, 9)) for day in range(1, 13)]
    payments.pay_manually(made[:3], method="pix")
    monkeypatch.setattr(loading, "SYNC_ROWS", 4)
    monkeypatch.setattr(loading, "PREVIEW_ROWS", 5)
    return made


@pytest.fixture
def held(monkeypatch):
    """Holds the background read until released, to look at the page meanwhile."""
    release = threading.Event()
    real = receitas.sessions

    def slow(*args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            release.wait(10)  # only the background read waits
        return real(*args, **kwargs)

    monkeypatch.setattr(receitas, "sessions", slow)
    yield release
    release.set()
    assert jobs.wait_for_all(10)


def open_page(qtbot) -> ReceitasPage:
    page = ReceitasPage()
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()
    return page


def test_first_rows_and_totals_at_once_then_every_row(qtbot, busy_april, held):
    page = open_page(qtbot)
    page.set_period(date(2025, 4, 1), date(2025, 4, 30))
    assert page.rows_shown() and page.is_loading()
    assert [r.id for r in page.model.rows()] == [s.id for s in busy_april[:5]]
    assert page.received_label.text() == "R$ 750,00"  # three paid: the whole period's sum
    assert page.loading_label.isVisible() and "12" in page.loading_label.text()
    page.select_sessions([busy_april[3].id])
    held.set()
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=10_000)
    assert page.model.rowCount() == 12
    assert not page.loading_label.isVisible()
    assert [r.id for r in page.selected_rows()] == [busy_april[3].id]


def test_sorted_by_another_column_waits_for_every_row(qtbot, busy_april, held):
    page = open_page(qtbot)
    page.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # Valor
    page.set_period(date(2025, 4, 1), date(2025, 4, 30))
    assert page.is_loading() and not page.rows_shown()
    held.set()
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=10_000)
    assert page.rows_shown() and page.model.rowCount() == 12
