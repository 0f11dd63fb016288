"""Sessões pagas (manual 2 and 4): the package's paid sessions, "Remover" after a
confirmation that says what will happen, and the credit back (R7)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from r3izzy_desktop.core import packages, payments
from r3izzy_desktop.core.ptbr import format_date
from r3izzy_desktop.ui.packages.list_page import PackageListPage
from r3izzy_desktop.ui.packages.paid_sessions import PaidSessionsDialog


@pytest.fixture
def paid(patient, make_session):
    """2 sessions for R$ 500,00, both paid: the package is finalizado."""
    pkg = packages.create_package(patient, 2, Decimal("500.00"))
    sessions = [make_session(1, 10), make_session(4, 9)]
    packages.pay_sessions(pkg, sessions)
    return pkg, sessions


def open_dialog(qtbot, package) -> PaidSessionsDialog:
    dialog = PaidSessionsDialog(package.id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_lists_the_sessions_the_package_pays(qtbot, qtmodeltester, paid):
    pkg, _sessions = paid
    dialog = open_dialog(qtbot, pkg)
    qtmodeltester.check(dialog.model)
    model = dialog.model
    rows = [[model.index(r, c).data() for c in range(5)] for r in range(model.rowCount())]
    paid_on = format_date(packages.paid_sessions(pkg)[0].paid_on)
    assert rows == [
        ["ter. 01/04 10:00", "Método Bobath", "Agendada", paid_on, "R$ 250,00"],
        ["sex. 04/04 09:00", "Método Bobath", "Agendada", paid_on, "R$ 250,00"],
    ]
    assert [b.text() for b in dialog.remove_buttons()] == ["Remover", "Remover"]
    assert dialog.badge.text() == "finalizado"


def test_remover_credits_the_session_back(qtbot, dialogs, paid):
    pkg, sessions = paid
    dialog = open_dialog(qtbot, pkg)
    dialogs.answers = [True]
    qtbot.mouseClick(dialog.remove_buttons()[0], Qt.MouseButton.LeftButton)
    title, text = dialogs.asked[0]
    assert title == "Remover sessão do pacote"
    assert text.startswith(
        f"A sessão de 01/04 10:00 volta a ficar em aberto e R$ 250,00 voltam ao pacote No. "
        f"{pkg.number}."
    )
    assert "volta a ficar ativo" in text  # it was finalizado
    assert payments.active_payment(sessions[0]) is None
    summary = packages.summary(pkg)
    assert (summary.status, summary.sessions_left, summary.open_amount) == (
        "ativo",
        1,
        Decimal("250.00"),
    )
    assert packages.history(pkg)[-1].note == "Creditada pela sessão 01/04 10:00"
    assert dialog.changed and dialog.model.rowCount() == 1
    assert dialog.badge.text() == "ativo"


def test_remover_cancelled_changes_nothing(qtbot, dialogs, paid):
    pkg, sessions = paid
    dialog = open_dialog(qtbot, pkg)
    dialogs.answers = [False]
    qtbot.mouseClick(dialog.remove_buttons()[1], Qt.MouseButton.LeftButton)
    assert "04/04 09:00" in dialogs.asked[0][1]
    assert payments.active_payment(sessions[1]).package_id == pkg.id
    assert packages.summary(pkg).sessions_used == 2
    assert not dialog.changed


def test_delete_key_removes_the_selected_session(qtbot, dialogs, paid):
    pkg, sessions = paid
    dialog = open_dialog(qtbot, pkg)
    dialog.table.selectRow(1)
    dialog.table.setFocus()
    dialogs.answers = [True]
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    assert payments.active_payment(sessions[1]) is None
    assert payments.active_payment(sessions[0]) is not None


def test_from_the_card_the_list_shows_the_credit(qtbot, monkeypatch, dialogs, patient, paid):
    pkg, _sessions = paid
    page = PackageListPage()
    qtbot.addWidget(page)
    page.show()
    page.show_patient(patient.id)
    card = page.card_for(pkg.id)
    assert (card.sessions.text(), card.badge.text()) == ("0 de 2", "finalizado")

    def person_removes_one(cls, parent, package_id):
        dialog = cls(package_id, parent)
        dialog.show()
        dialogs.answers = [True]
        qtbot.mouseClick(dialog.remove_buttons()[0], Qt.MouseButton.LeftButton)
        return dialog.changed

    monkeypatch.setattr(PaidSessionsDialog, "ask", classmethod(person_removes_one))
    qtbot.mouseClick(card.paid_button, Qt.MouseButton.LeftButton)
    card = page.card_for(pkg.id)
    assert (card.sessions.text(), card.open_amount.text(), card.badge.text()) == (
        "1 de 2",
        "R$ 250,00",
        "ativo",
    )
    assert card.pay_button.isEnabled()
