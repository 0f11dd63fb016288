"""Pagar sessões existentes (manual 3.1, 6, 6.1): the period, the service filter, the
checkable open sessions, the confirmation, the price adjustment and "not enough"."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt

from r3izzy_desktop.core import clinic, clock, packages, payments
from r3izzy_desktop.ui.packages import pay_flow
from r3izzy_desktop.ui.packages.list_page import PackageListPage
from r3izzy_desktop.ui.packages.pay_sessions import PaySessionsDialog


@pytest.fixture(autouse=True)
def april():
    """ "Now" is 15/04/2025: the dialog opens on April."""
    with clock.frozen(datetime(2025, 4, 15, 9, 0)):
        yield


@pytest.fixture
def open_sessions(make_session):
    return {
        "01/04": make_session(1, 10),
        "04/04": make_session(4, 9),
        "17/04": make_session(17, 12),
        "02/05": make_session(2, 9, month=5),
    }


def open_dialog(qtbot, package) -> PaySessionsDialog:
    dialog = PaySessionsDialog(package.id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def click(qtbot, dialog, text: str) -> None:
    """Tick a session as a person does: click its line, then Space ticks it."""
    item = next(i for i in dialog.items() if i.text().startswith(text))
    rect = dialog.sessions.visualItemRect(item)
    qtbot.mouseClick(dialog.sessions.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.sessions.currentItem() is item
    qtbot.keyClick(dialog.sessions, Qt.Key.Key_Space)
    assert item.checkState() == Qt.CheckState.Checked


def select(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.select_button, Qt.MouseButton.LeftButton)


def test_opens_on_the_current_month_with_the_manuals_labels(qtbot, patient, open_sessions):
    pkg = packages.create_package(patient, 4, Decimal("1000.00"))
    dialog = open_dialog(qtbot, pkg)
    assert dialog.month.currentText() == "abril de 2025"
    assert (dialog.start.date(), dialog.end.date()) == (QDate(2025, 4, 1), QDate(2025, 4, 30))
    assert dialog.labels() == [
        "1/4 10:00 Método Bobath",
        "4/4 9:00 Método Bobath",
        "17/4 12:00 Método Bobath",
    ]
    dialog.month.setCurrentText("maio de 2025")
    assert (dialog.start.date(), dialog.end.date()) == (QDate(2025, 5, 1), QDate(2025, 5, 31))
    assert dialog.labels() == ["2/5 9:00 Método Bobath"]
    dialog.start.setDate(QDate(2025, 4, 3))
    assert dialog.month.currentText() == "Período personalizado"
    assert dialog.labels() == [
        "4/4 9:00 Método Bobath",
        "17/4 12:00 Método Bobath",
        "2/5 9:00 Método Bobath",
    ]


def test_service_filter(qtbot, patient, open_sessions):
    from r3izzy_desktop.core import agenda

    therasuite = clinic.add_service("Método Therasuite", price=Decimal("300.00"))
    agenda.schedule(patient, therasuite, datetime(2025, 4, 17, 14, 0))
    pkg = packages.create_package(patient, 4, Decimal("1000.00"))
    dialog = open_dialog(qtbot, pkg)
    assert len(dialog.labels()) == 4
    dialog.service.setCurrentText("Método Therasuite")
    assert dialog.labels() == ["17/4 14:00 Método Therasuite"]
    dialog.service.setCurrentText("Todos os serviços")
    assert len(dialog.labels()) == 4


def test_pay_with_adjustment_confirmed(qtbot, monkeypatch, dialogs, patient, open_sessions):
    pkg = packages.create_package(patient, 3, Decimal("1000.00"))
    dialog = open_dialog(qtbot, pkg)
    adjust = []
    monkeypatch.setattr(
        pay_flow.PriceAdjustmentDialog,
        "ask",
        classmethod(lambda cls, parent, diffs: adjust.append(diffs) or True),
    )
    click(qtbot, dialog, "1/4 10:00")
    assert dialog.selection_line.text().startswith("1 sessão selecionada")
    dialogs.answers = [True]
    select(qtbot, dialog)
    title, text = dialogs.asked[0]
    assert title == "Confirmar pagamento com o pacote"
    assert "1/4 10:00 Método Bobath  →  R$ 333,33" in text
    assert "pacote No. " + pkg.number in text and "2 de 3 sessões" in text
    assert [(d.price, d.debit_amount) for d in adjust[0]] == [
        (Decimal("250.00"), Decimal("333.33"))
    ]
    assert dialog.paid
    paid = payments.active_payment(open_sessions["01/04"])
    assert (paid.package_id, paid.amount) == (pkg.id, Decimal("333.33"))
    summary = packages.summary(pkg)
    assert (summary.sessions_left, summary.open_amount) == (2, Decimal("666.67"))
    assert packages.history(pkg)[-1].note == "Debitada pela sessão 01/04 10:00"


def test_adjustment_cancelled_pays_nothing(qtbot, monkeypatch, dialogs, patient, open_sessions):
    pkg = packages.create_package(patient, 3, Decimal("1000.00"))
    dialog = open_dialog(qtbot, pkg)
    monkeypatch.setattr(
        pay_flow.PriceAdjustmentDialog, "ask", classmethod(lambda cls, parent, diffs: False)
    )
    click(qtbot, dialog, "4/4 9:00")
    dialogs.answers = [True]
    select(qtbot, dialog)
    assert not dialog.paid and dialog.isVisible()
    assert payments.active_payment(open_sessions["04/04"]) is None
    assert packages.summary(pkg).sessions_left == 3
    assert dialog.checked_ids() == [open_sessions["04/04"].id]  # the choice is kept


def test_confirmation_cancelled_pays_nothing(qtbot, monkeypatch, dialogs, patient, open_sessions):
    pkg = packages.create_package(patient, 4, Decimal("1000.00"))  # 250,00: no adjustment
    dialog = open_dialog(qtbot, pkg)
    monkeypatch.setattr(
        pay_flow.PriceAdjustmentDialog,
        "ask",
        classmethod(lambda cls, parent, diffs: pytest.fail("no adjustment expected")),
    )
    click(qtbot, dialog, "1/4 10:00")
    click(qtbot, dialog, "17/4 12:00")
    dialogs.answers = [False]
    select(qtbot, dialog)
    assert not dialog.paid
    assert packages.summary(pkg).sessions_used == 0
    dialogs.answers = [True]
    select(qtbot, dialog)
    assert dialog.paid
    assert [s.session_id for s in packages.paid_sessions(pkg)] == [
        open_sessions["01/04"].id,
        open_sessions["17/04"].id,
    ]


def test_not_enough_sessions_pays_nothing(qtbot, monkeypatch, dialogs, patient, open_sessions):
    pkg = packages.create_package(patient, 1, Decimal("250.00"))
    dialog = open_dialog(qtbot, pkg)
    told = []
    monkeypatch.setattr(
        pay_flow.NotEnoughSessionsDialog,
        "tell",
        classmethod(lambda cls, parent, error: told.append((error.requested, error.available))),
    )
    click(qtbot, dialog, "1/4 10:00")
    click(qtbot, dialog, "4/4 9:00")
    select(qtbot, dialog)  # no confirmation: the core refuses the count first
    assert told == [(2, 1)]
    assert dialogs.asked == []
    assert not dialog.paid
    assert packages.summary(pkg).sessions_used == 0
    assert payments.active_payment(open_sessions["01/04"]) is None


def test_nothing_ticked_says_so(qtbot, patient, open_sessions):
    pkg = packages.create_package(patient, 2, Decimal("500.00"))
    dialog = open_dialog(qtbot, pkg)
    select(qtbot, dialog)
    assert dialog.error.isVisible() and dialog.error.text() == "Selecione ao menos uma sessão."


def test_from_the_card_the_list_shows_the_new_figures(
    qtbot, monkeypatch, dialogs, patient, open_sessions
):
    pkg = packages.create_package(patient, 4, Decimal("1000.00"), paid_on=date(2025, 4, 1))
    page = PackageListPage()
    qtbot.addWidget(page)
    page.show()
    page.show_patient(patient.id)
    assert page.card_for(pkg.id).sessions.text() == "4 de 4"

    def person_pays(cls, parent, package_id, *, expected_version=None):
        dialog = cls(package_id, parent, expected_version=expected_version)
        dialog.show()
        click(qtbot, dialog, "1/4 10:00")
        dialogs.answers = [True]
        select(qtbot, dialog)
        return dialog.paid

    monkeypatch.setattr(PaySessionsDialog, "ask", classmethod(person_pays))
    qtbot.mouseClick(page.card_for(pkg.id).pay_button, Qt.MouseButton.LeftButton)
    card = page.card_for(pkg.id)
    assert card.sessions.text() == "3 de 4"
    assert card.open_amount.text() == "R$ 750,00"
    assert card.paid_button.isEnabled()
    assert packages.history(pkg)[-1].kind == "sessão debitada"


def test_each_session_shows_its_price_and_professional(qtbot, patient, make_session):
    """Issue 15: prices (and the professional) beside each session in "Quais sessões?"."""
    marina = clinic.add_professional("Dra. Marina Lopes")
    make_session(3, 10, professional=marina)
    make_session(8, 14, price=Decimal("180.00"))
    pkg = packages.create_package(patient, 4, Decimal("1000.00"))
    dialog = open_dialog(qtbot, pkg)
    assert dialog.lines() == [
        "3/4 10:00 Método Bobath  ·  R$\u00a0250,00  ·  Dra. Marina Lopes",
        "8/4 14:00 Método Bobath  ·  R$\u00a0180,00",
    ]
    assert dialog.labels() == ["3/4 10:00 Método Bobath", "8/4 14:00 Método Bobath"]


def test_the_period_opens_on_the_oldest_open_session(qtbot, patient, make_session):
    """An open session of January is not hidden behind the current month (April)."""
    make_session(20, 10, month=1)
    make_session(10, 9)
    make_session(2, 9, month=5)  # after the month: not listed until the period reaches it
    pkg = packages.create_package(patient, 4, Decimal("1000.00"))
    dialog = open_dialog(qtbot, pkg)
    assert (dialog.start.date(), dialog.end.date()) == (QDate(2025, 1, 20), QDate(2025, 4, 30))
    assert dialog.month.currentText() == "Período personalizado"
    assert dialog.labels() == ["20/1 10:00 Método Bobath", "10/4 9:00 Método Bobath"]
    payments.pay_manually(
        [s for s in packages.open_sessions_for(pkg) if s.starts_at.month == 1],
        method="pix",
        paid_on=date(2025, 1, 20),
    )
    again = open_dialog(qtbot, pkg)
    assert again.month.currentText() == "abril de 2025"
