"""The package list (manual 1 and 2): cards, the floating +, Ctrl+N, the status filter,
and a package created through the + button and the form."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog

from r3izzy_desktop.core import clock, packages
from r3izzy_desktop.ui.packages.form import PackageFormDialog
from r3izzy_desktop.ui.packages.list_page import PackageListPage
from r3izzy_desktop.ui.patients.area import PatientsArea


@pytest.fixture
def page(qtbot, patient):
    widget = PackageListPage()
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    widget.show_patient(patient.id)
    return widget


def fill_form(qtbot, cls, parent, patient_id, package_id=None, *, sessions, total, back=False):
    """What a person does in the form: type, watch the price, click a button."""
    dialog = cls(patient_id, package_id, parent)
    dialog.show()
    dialog.sessions.clear()
    dialog.total.clear()
    seen = [dialog.price.text()]
    qtbot.keyClicks(dialog.sessions, sessions)
    seen.append(dialog.price.text())
    qtbot.keyClicks(dialog.total, total)
    seen.append(dialog.price.text())
    qtbot.mouseClick(dialog.back_button if back else dialog.save_button, Qt.MouseButton.LeftButton)
    fill_form.seen = seen
    return dialog.saved_id if dialog.result() == QDialog.DialogCode.Accepted else None


def test_card_shows_what_the_manual_shows(page, patient):
    with clock.frozen(datetime(2025, 6, 18, 17, 5, 10)):
        created = packages.create_package(patient, 5, Decimal("1000.00"), paid_on=date(2025, 6, 18))
    page.reload()
    [card] = page.cards
    assert card.number.text() == "No. 250618170510"
    assert card.paid_on.text() == "18/06/2025"
    assert card.total.text() == "R$ 1.000,00"
    assert card.open_amount.text() == "R$ 1.000,00"
    assert card.sessions.text() == "5 de 5"
    assert (card.badge.text(), card.badge.property("status")) == ("ativo", "ativo")
    buttons = [
        card.edit_button,
        card.history_button,
        card.pay_button,
        card.paid_button,
        card.receipt_button,
    ]
    assert [b.text() for b in buttons] == [
        "Editar",
        "Histórico",
        "Pagar sessões existentes",
        "Sessões pagas",
        "Recibo",
    ]
    assert page.card_for(created.id) is card


def test_create_package_with_the_plus_button_and_the_form(qtbot, monkeypatch, page, patient):
    monkeypatch.setattr(
        PackageFormDialog,
        "ask",
        classmethod(
            lambda cls, parent, pid, pkg=None: fill_form(
                qtbot, cls, parent, pid, pkg, sessions="3", total="1.000,00"
            )
        ),
    )
    assert page.empty.isVisible() and page.cards == []
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert fill_form.seen == ["—", "—", "R$ 333,33"]
    [summary] = packages.list_packages(patient)
    assert (summary.sessions_total, summary.total, summary.status) == (
        3,
        Decimal("1000.00"),
        "ativo",
    )
    assert [line.note for line in packages.history(summary.id)] == ["Pacote criado"]
    [card] = page.cards
    assert card.sessions.text() == "3 de 3" and not page.empty.isVisible()
    assert page.header.subtitle.text() == "1 pacote"


def test_voltar_leaves_the_database_untouched(qtbot, monkeypatch, page, patient):
    monkeypatch.setattr(
        PackageFormDialog,
        "ask",
        classmethod(
            lambda cls, parent, pid, pkg=None: fill_form(
                qtbot, cls, parent, pid, pkg, sessions="5", total="900", back=True
            )
        ),
    )
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert fill_form.seen[-1] == "R$ 180,00"
    assert packages.list_packages(patient) == []
    assert page.cards == []


def test_floating_plus_stays_bottom_right_on_resize_and_scroll(qtbot, page, patient):
    for _ in range(12):
        packages.create_package(patient, 4, Decimal("800.00"))
    page.reload()

    def corner_gap():
        button = page.add_button.geometry()
        return page.width() - button.right(), page.height() - button.bottom()

    expected = corner_gap()
    assert expected[0] > 0 and expected[1] > 0
    for size in ((900, 600), (1400, 900), (1000, 500)):
        page.resize(*size)
        qtbot.waitUntil(lambda: corner_gap() == expected)
    bar = page.scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # the cards do scroll
    before = page.add_button.mapTo(page, QPoint(0, 0))
    bar.setValue(bar.maximum())
    assert page.add_button.mapTo(page, QPoint(0, 0)) == before
    assert page.add_button.isVisible()


def test_ctrl_n_opens_the_form_only_on_the_package_list(qtbot, monkeypatch, patient):
    calls = []
    monkeypatch.setattr(
        PackageFormDialog,
        "ask",
        classmethod(lambda cls, parent, pid, pkg=None: calls.append((pid, pkg))),
    )
    area = PatientsArea()
    qtbot.addWidget(area)
    with qtbot.waitActive(area):
        area.show()
        area.activateWindow()
    qtbot.keyClick(area.list_page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert calls == []  # the list of patients is showing
    area.open_packages(patient.id)
    qtbot.keyClick(area.packages_page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert calls == [(patient.id, None)]


def test_status_filter(qtbot, page, patient, make_session):
    active = packages.create_package(patient, 4, Decimal("1000.00"))
    inactive = packages.create_package(patient, 4, Decimal("1000.00"))
    packages.edit_package(inactive, status="inativo")
    done = packages.create_package(patient, 1, Decimal("250.00"))
    packages.pay_sessions(done, [make_session(1, 10)])
    page.reload()
    assert len(page.cards) == 3
    items = [page.status_filter.itemText(i) for i in range(page.status_filter.count())]
    assert items == ["Todos", "ativo", "inativo", "finalizado", "encerrado"]
    for text, wanted in (("ativo", active), ("inativo", inactive), ("finalizado", done)):
        page.status_filter.setCurrentText(text)
        assert [c.summary.id for c in page.cards] == [wanted.id]
        assert page.cards[0].badge.text() == text
    done_card = page.cards[0]
    assert not done_card.pay_button.isEnabled()
    page.status_filter.setCurrentText("Todos")
    assert len(page.cards) == 3


def test_forty_packages_are_listed(qtbot, page, patient):
    for number in range(40):
        packages.create_package(patient, 1 + number % 9, Decimal("100.00") + number)
    page.reload()
    assert page.header.subtitle.text() == "40 pacotes"
    assert 0 < len(page.cards) <= 40  # the first screenful at once, the rest right after
    qtbot.waitUntil(page.fully_loaded)
    assert len(page.cards) == 40
    assert len({card.summary.id for card in page.cards}) == 40
    page.reload()  # reloading while cards are still coming starts over cleanly
    page.reload()
    qtbot.waitUntil(page.fully_loaded)
    assert len(page.cards) == 40
