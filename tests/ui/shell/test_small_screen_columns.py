"""On a 1024×600 screen a table is often narrower than its sized columns: a column that
takes the width left (Stretch) shrank to a 30 px sliver and hid its text ("…"). Each
table here keeps that column as wide as its sample needs (`column_widths.keep_wide`) and
scrolls sideways instead; at 1366×768 the column still takes what the others leave.

The screen is pretended as in test_small_screen.py (the offscreen screen is 800×600)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QHeaderView, QTableView

from r3izzy_desktop.core import clinic, packages
from r3izzy_desktop.ui.common.column_widths import SERVICE_SAMPLE, STRETCH_SAMPLE
from tests.helpers.users import cheap_hasher  # noqa: F401 (a fixture)
from tests.ui.shell.test_small_screen import (  # noqa: F401 (fixtures)
    demo_clinic,
    main_window,
    settle,
    small_screen,
)

pytestmark = pytest.mark.usefixtures("demo_clinic", "small_screen")
STRETCH = QHeaderView.ResizeMode.Stretch


def needs(table: QTableView, sample: str) -> int:
    return table.fontMetrics().horizontalAdvance(sample)


def fills_the_view(table: QTableView) -> bool:
    """Every column shows and they fill the table exactly: nothing to scroll sideways."""
    header = table.horizontalHeader()
    widths = sum(header.sectionSize(c) for c in range(header.count()))
    return widths == table.viewport().width() and table.horizontalScrollBar().maximum() == 0


def all_packages() -> list[packages.PackageSummary]:
    return [row for p in clinic.find_patients("") for row in packages.list_packages(p)]


def busiest_package() -> packages.PackageSummary:
    return max(all_packages(), key=lambda row: (len(packages.history(row.id)), row.id))


def test_the_history_dialog_shows_its_notes_at_1024(qtbot):
    from r3izzy_desktop.ui.packages.history import (
        OBSERVATION_COLUMN,
        OBSERVATION_SAMPLE,
        HistoryDialog,
    )

    window = main_window(qtbot)
    dialog = HistoryDialog(busiest_package().id, window)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot)
    table = dialog.table
    # The other columns take about 930 px of the 950 the dialog leaves: Observação was 30.
    assert table.columnWidth(OBSERVATION_COLUMN) >= needs(table, OBSERVATION_SAMPLE)
    dialog.resize(1320, 580)  # at 1366×768, as before: it takes what the others leave
    qtbot.waitUntil(lambda: table.horizontalHeader().sectionResizeMode(4) == STRETCH)
    settle(qtbot)
    assert fills_the_view(table)
    assert table.columnWidth(OBSERVATION_COLUMN) > needs(table, OBSERVATION_SAMPLE) + 40


def test_the_package_report_shows_services_and_notes_at_1024(qtbot):
    from r3izzy_desktop.ui.finance.report_window import SERVICES_COLUMN
    from r3izzy_desktop.ui.packages.history import OBSERVATION_COLUMN, OBSERVATION_SAMPLE

    window = main_window(qtbot)
    report = window.show_page("finance").open_report()
    qtbot.addWidget(report)
    qtbot.waitUntil(lambda: report.report is not None and not report.is_loading(), timeout=5000)
    settle(qtbot)
    table, history = report.table, report.history
    assert table.columnWidth(SERVICES_COLUMN) >= needs(table, SERVICE_SAMPLE)
    assert history.columnWidth(OBSERVATION_COLUMN) >= needs(history, OBSERVATION_SAMPLE)
    # The totals under the table follow its widths.
    assert report.totals.columnWidth(SERVICES_COLUMN) == table.columnWidth(SERVICES_COLUMN)
    report.resize(1320, 728)  # at 1366×768 the package columns fill the window already:
    settle(qtbot)  # Serviços was a 30 px sliver there too
    assert table.columnWidth(SERVICES_COLUMN) >= needs(table, SERVICE_SAMPLE)
    assert history.horizontalHeader().sectionResizeMode(OBSERVATION_COLUMN) == STRETCH
    assert fills_the_view(history)


def test_recibos_shows_whole_names_at_1024(qtbot):
    window = main_window(qtbot)
    receipts = window.show_page("finance").open_receipts()
    qtbot.addWidget(receipts)
    qtbot.waitUntil(receipts.rows_shown, timeout=5000)
    settle(qtbot)
    table = receipts.table
    assert table.viewport().width() < 1000
    for column in receipts.NAME_COLUMNS:  # the payer, the patient: 170 px cut a long name
        assert table.columnWidth(column) >= needs(table, STRETCH_SAMPLE)


def test_paid_sessions_shows_the_service_and_every_remover_button(
    qtbot,
):
    from r3izzy_desktop.ui.packages.paid_sessions import (
        REMOVE_COLUMN,
        SERVICE_COLUMN,
        PaidSessionsDialog,
    )

    window = main_window(qtbot)
    busiest = max(all_packages(), key=lambda row: (row.sessions_used, row.id))
    dialog = PaidSessionsDialog(busiest.id, window)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot)
    table = dialog.table
    assert dialog.model.rowCount() > 0
    assert table.columnWidth(SERVICE_COLUMN) >= needs(table, SERVICE_SAMPLE)
    # At 1024 all but a few pixels show; "Remover" was off the right edge at any size.
    right = table.columnViewportPosition(REMOVE_COLUMN) + table.columnWidth(REMOVE_COLUMN)
    assert right <= table.viewport().width() + 20
    dialog.resize(1080, 480)  # as it opens on a 1366×768 screen: every column at once
    settle(qtbot)
    assert table.columnWidth(SERVICE_COLUMN) >= needs(table, SERVICE_SAMPLE)
    assert fills_the_view(table)


def test_configuracoes_shows_the_professionals_names_at_1024(qtbot):
    window = main_window(qtbot, small=True)
    page = window.show_page("settings")
    tab = page.show_tab("Profissionais")
    settle(qtbot)
    table = tab.table
    assert tab.model.rowCount() > 0
    # Beside the form the list is about 360 px; "Registro no conselho" and "Cor" took 270.
    assert table.viewport().width() < 400
    assert table.columnWidth(0) >= needs(table, STRETCH_SAMPLE)


def _settings_with_users(qtbot, tab_title: str):
    """Configurações at 1024×600 of a clinic with users, the administrator logged in (the
    Auditoria tab shows then)."""
    from tests.helpers.users import add_staff, log_in_as

    add_staff()
    log_in_as("administrador")
    window = main_window(qtbot, small=True)
    page = window.show_page("settings")
    tab = page.show_tab(tab_title)
    page.refresh()
    settle(qtbot)
    return window, tab


def _no_sideways_scroll(window) -> bool:
    from PySide6.QtWidgets import QScrollArea

    areas = [a for a in window.findChildren(QScrollArea) if a.isVisible() and a.widgetResizable()]
    return bool(areas) and all(a.horizontalScrollBar().maximum() == 0 for a in areas)


@pytest.mark.usefixtures("cheap_hasher")
def test_configuracoes_with_users_fits_1024_and_shows_the_last_login(qtbot):
    from r3izzy_desktop.ui.settings.users_tab import LAST_LOGIN_SAMPLE

    window, tab = _settings_with_users(qtbot, "Usuários")
    # The audit filters (the longest action, a long name) made every tab 1012 px wide:
    # the whole page scrolled sideways, the tables with it.
    assert _no_sideways_scroll(window)
    table = tab.table
    assert tab.model.rowCount() == 3
    assert table.columnWidth(4) >= needs(table, LAST_LOGIN_SAMPLE)  # Último acesso


@pytest.mark.usefixtures("cheap_hasher")
def test_the_audit_tab_fits_1024_with_its_dates_and_details(qtbot):
    from r3izzy_desktop.ui.settings.audit_tab import DATE_SAMPLE, DETAIL_SAMPLE

    window, tab = _settings_with_users(qtbot, "Auditoria")
    assert _no_sideways_scroll(window)
    table = tab.table
    assert tab.model.rowCount() > 0
    assert table.columnWidth(0) >= needs(table, DATE_SAMPLE) + 20  # 140: "03/12/2026 15…"
    assert table.columnWidth(4) >= needs(table, DETAIL_SAMPLE)  # Detalhe
