"""Avisos de pacotes (R22) in Gestão Financeira: the list and its filter, "Mensagem" (the
wa.me link opened through the `open_external` seam; a missing or invalid phone said so,
nothing opened), and the count beside "Gestão Financeira" in the navigation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from PySide6.QtCore import QPoint, Qt

from r3izzy_desktop.core import clinic, clock, packages
from r3izzy_desktop.ui.common import jobs
from r3izzy_desktop.ui.finance import alerts as alerts_module
from r3izzy_desktop.ui.finance.alerts import MESSAGE_COLUMN, AlertsCard
from r3izzy_desktop.ui.shell.main_window import MainWindow

D = Decimal
TODAY = datetime(2026, 4, 1, 9, 0)


@pytest.fixture
def frozen_today():
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def clinic_alerts(frozen_today, patient):
    """Ana (with a phone): a package vencido and one with 1 session left; Bruno (no
    phone): one that vence in 5 days; Carla: a package with nothing to say."""
    clinic.set_clinic_info(name="Clínica Passo a Passo")
    bruno = clinic.add_patient("Bruno Lima")
    carla = clinic.add_patient("Carla Dias", phone="(11) 3333-4444")
    return {
        "vencido": packages.create_package(
            patient, 4, D("400.00"), paid_on=date(2026, 1, 1), valid_until=date(2026, 3, 20)
        ),
        "acabando": packages.create_package(patient, 1, D("100.00"), paid_on=date(2026, 3, 1)),
        "vencendo": packages.create_package(
            bruno, 4, D("400.00"), paid_on=date(2026, 3, 1), valid_until=date(2026, 4, 6)
        ),
        "quiet": packages.create_package(carla, 6, D("600.00"), paid_on=date(2026, 3, 1)),
    }


@pytest.fixture
def card(qtbot, clinic_alerts):
    widget = AlertsCard()
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    widget.show()
    counted = []
    widget.counted.connect(counted.append)
    widget.refresh()
    qtbot.waitUntil(lambda: not widget.is_loading(), timeout=5000)
    widget.counted_values = counted
    yield widget
    assert jobs.wait_for_all(10)


def column(card, index):
    return [card.model.index(r, index).data() for r in range(card.model.rowCount())]


def click_message(qtbot, card, row):
    rect = card.table.visualRect(card.model.index(row, MESSAGE_COLUMN))
    qtbot.mouseClick(card.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


@pytest.fixture
def opened(monkeypatch):
    links = []
    monkeypatch.setattr(alerts_module, "open_external", lambda url: links.append(url) or True)
    return links


def test_the_list_and_its_filter(qtbot, card, clinic_alerts):
    assert card.title.text() == "Avisos de pacotes (3)"
    assert card.counted_values == [3]
    assert column(card, 0) == ["vencido (4 sessões)", "vence em 5 dias", "acabando: 1 sessão"]
    assert column(card, 1) == ["Ana Souza", "Bruno Lima", "Ana Souza"]
    assert column(card, 2) == [
        clinic_alerts["vencido"].number,
        clinic_alerts["vencendo"].number,
        clinic_alerts["acabando"].number,
    ]
    assert column(card, 3) == ["20/03/2026", "06/04/2026", "sem validade"]
    assert column(card, 4) == ["(11) 98765-4321", "sem telefone", "(11) 98765-4321"]
    card.kind.setCurrentIndex(card.kind.findData("acabando"))
    assert column(card, 1) == ["Ana Souza"]
    card.kind.setCurrentIndex(card.kind.findData("parcela atrasada"))
    assert card.model.rowCount() == 0 and card.empty.text() == "Nenhum aviso deste tipo."


def test_mensagem_opens_whatsapp_with_the_clinics_text(qtbot, card, clinic_alerts, opened):
    click_message(qtbot, card, 0)
    [link] = opened
    assert link.startswith("https://wa.me/5511987654321?text=")
    text = parse_qs(urlparse(link).query)["text"][0]
    assert text.startswith("Olá, Ana Souza! Aqui é da Clínica Passo a Passo. O pacote de Ana")
    assert "venceu em 20/03/2026" in text
    card.table.setFocus()
    card.table.setCurrentIndex(card.model.index(2, 0))
    qtbot.keyClick(card.table, Qt.Key.Key_Return)  # the keyboard way
    assert (
        len(opened) == 2
        and "tem só 1 sessão restante" in parse_qs(urlparse(opened[1]).query)["text"][0]
    )


def test_no_phone_is_said_and_nothing_opens(qtbot, card, dialogs, opened):
    click_message(qtbot, card, 1)
    assert opened == []
    title, text = dialogs.told[-1]
    assert title == "Mensagem" and "Bruno Lima não tem telefone cadastrado" in text


def test_a_browser_that_does_not_open_is_said(qtbot, card, dialogs, monkeypatch):
    monkeypatch.setattr(alerts_module, "open_external", lambda url: False)
    click_message(qtbot, card, 0)
    assert "Não foi possível abrir o WhatsApp" in dialogs.told[-1][1]


def test_a_click_beside_the_button_does_nothing(qtbot, card, opened):
    rect = card.table.visualRect(card.model.index(0, MESSAGE_COLUMN))
    qtbot.mouseClick(
        card.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(rect.left() + 2, rect.top() + 1),
    )
    assert opened == []


def test_the_navigation_shows_the_count(qtbot, clinic_alerts):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.alert_count.update()
    qtbot.waitUntil(lambda: window.nav_text("finance") == "Gestão Financeira (3)", timeout=5000)
    assert "3 avisos de pacotes" in window.nav.item(3).toolTip()
    packages.edit_package(clinic_alerts["vencido"], status="inativo")
    page = window.show_page("finance")  # the page lists the alerts and tells the rail
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=5000)
    qtbot.waitUntil(lambda: window.nav_text("finance") == "Gestão Financeira (2)", timeout=5000)
    assert page.alerts.title.text() == "Avisos de pacotes (2)"
    window.set_count("finance", 0)
    assert window.nav_text("finance") == "Gestão Financeira"
    window.close()
    assert jobs.wait_for_all(10)
