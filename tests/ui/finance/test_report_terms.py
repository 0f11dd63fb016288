"""Relatório de Pacotes with the terms (R15, R16): the Validade and Serviços columns, the
"vencidos" filter, and the export of what is on screen."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
import shiboken6
from PySide6.QtCore import Qt

from r3izzy_desktop.core import clinic, clock, packages
from r3izzy_desktop.ui.common import exports, jobs
from r3izzy_desktop.ui.finance.report_window import PackageReportWindow

D = Decimal
TODAY = datetime(2026, 4, 1, 9, 0)


@pytest.fixture
def clinic_terms(db, patient, service):
    therasuite = clinic.add_service("Método Therasuite", price=D("300.00"))
    return {
        "expired": packages.create_package(
            patient, 4, D("1000.00"), paid_on=date(2026, 1, 1), valid_until=date(2026, 3, 31)
        ),
        "limited": packages.create_package(
            patient,
            4,
            D("1000.00"),
            paid_on=date(2026, 2, 1),
            valid_until=date(2026, 12, 31),
            services=[therasuite, service],
        ),
        "plain": packages.create_package(patient, 2, D("500.00"), paid_on=date(2026, 3, 1)),
    }


@pytest.fixture
def window(qtbot, clinic_terms):
    with clock.frozen(TODAY):
        shown = PackageReportWindow()
        shown.show()
        shown.load()
        qtbot.waitUntil(lambda: shown.report is not None and not shown.is_loading(), timeout=5000)
    yield shown
    if shiboken6.isValid(shown):
        shown.close()
    assert jobs.wait_for_all(10)


def column(window, title):
    titles = [
        window.model.headerData(c, Qt.Orientation.Horizontal).replace("\n", " ")
        for c in range(window.model.columnCount())
    ]
    index = titles.index(title)
    return [window.model.index(r, index) for r in range(window.model.rowCount())]


def test_validade_and_servicos(window, clinic_terms):
    validity = column(window, "Validade")
    assert [i.data() for i in validity] == ["31/03/2026", "31/12/2026", "—"]
    red = validity[0].data(Qt.ItemDataRole.ForegroundRole)
    assert red is not None and red.color().name() == "#d64545"  # vencido
    assert validity[0].data(Qt.ItemDataRole.ToolTipRole) == "vencido em 31/03/2026"
    assert validity[1].data(Qt.ItemDataRole.ForegroundRole) is None
    assert validity[2].data(Qt.ItemDataRole.ToolTipRole) == "sem validade"
    services = [i.data() for i in column(window, "Serviços")]
    assert services == ["todos", "Método Bobath, Método Therasuite", "todos"]
    window._reselect(clinic_terms["limited"].id)
    assert "válido até 31/12/2026  ·  só Método Bobath, Método Therasuite" in (
        window.history_title.text()
    )


def test_the_vencidos_filter(qtbot, window, clinic_terms, monkeypatch):
    window.status.setCurrentIndex(window.status.findData("vencido"))
    assert window.status.currentText() == "vencidos"
    assert window.filters()["expired"] is True and window.filters()["status"] is None
    with clock.frozen(TODAY):
        window.load()
        qtbot.waitUntil(lambda: not window.is_loading(), timeout=5000)
    assert [r.package_id for r in window.model.rows()] == [clinic_terms["expired"].id]
    asked = {}

    def export(parent, **filters):
        asked.update(filters)
        return None  # as if the save dialog was cancelled

    monkeypatch.setattr(exports, "export_package_report", export)
    window.export()
    assert asked["expired"] is True
