"""Paying from a package through the shared flow: adjustment asked, not-enough told."""

from datetime import date, datetime
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

from r3izzy_desktop.core import packages, payments
from r3izzy_desktop.core.errors import NotEnoughSessions, PriceDifference
from r3izzy_desktop.ui.packages import pay_flow


def _package(patient, sessions=3, total="1000.00"):
    return packages.create_package(patient, sessions, Decimal(total), paid_on=date(2025, 5, 2))


def test_price_adjustment_cancel_pays_nothing(qtbot, monkeypatch, patient, make_session):
    pkg = _package(patient)
    s = make_session(1, 10)  # price 250,00; the package debits 333,33
    asked = []
    monkeypatch.setattr(
        pay_flow.PriceAdjustmentDialog,
        "ask",
        classmethod(lambda cls, parent, diffs: asked.append(diffs) or False),
    )
    assert pay_flow.pay_with_package(None, pkg.id, [s.id]) is False
    assert [(d.price, d.debit_amount) for d in asked[0]] == [(Decimal("250.00"), Decimal("333.33"))]
    assert packages.summary(pkg).sessions_left == 3
    assert payments.active_payment(s) is None


def test_price_adjustment_confirm_pays_at_debit_amount(qtbot, monkeypatch, patient, make_session):
    pkg = _package(patient)
    s = make_session(1, 10)
    monkeypatch.setattr(
        pay_flow.PriceAdjustmentDialog, "ask", classmethod(lambda cls, parent, diffs: True)
    )
    assert pay_flow.pay_with_package(None, pkg.id, [s.id]) is True
    figures = packages.summary(pkg)
    assert (figures.sessions_left, figures.open_amount) == (2, Decimal("666.67"))
    assert payments.active_payment(s).amount == Decimal("333.33")


def test_not_enough_sessions_is_told_and_nothing_paid(qtbot, monkeypatch, patient, make_session):
    pkg = _package(patient, sessions=1, total="250.00")
    sessions = [make_session(1, 10), make_session(2, 10)]
    told = []
    monkeypatch.setattr(
        pay_flow.NotEnoughSessionsDialog,
        "tell",
        classmethod(lambda cls, parent, error: told.append(error)),
    )
    assert pay_flow.pay_with_package(None, pkg.id, [s.id for s in sessions]) is False
    assert (told[0].requested, told[0].available) == (2, 1)
    assert packages.summary(pkg).sessions_left == 1


def test_adjustment_dialog_lists_each_session_and_esc_cancels(qtbot):
    diff = PriceDifference(
        1, datetime(2025, 4, 1, 10, 0), "Método Bobath", Decimal("250.00"), Decimal("333.33")
    )
    dialog = pay_flow.PriceAdjustmentDialog([diff])
    qtbot.addWidget(dialog)
    buttons = [b.text() for b in dialog.findChild(QDialogButtonBox).buttons()]
    assert sorted(buttons) == ["Cancelar", "Confirmar ajuste"]
    text = " ".join(w.text() for w in dialog.findChildren(QLabel))
    assert "ter. 01/04 10:00" in text and "R$ 250,00" in text and "R$ 333,33" in text
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_not_enough_dialog_shows_figures(qtbot):
    dialog = pay_flow.NotEnoughSessionsDialog(NotEnoughSessions("Ajuste o pacote.", 4, 1))
    qtbot.addWidget(dialog)
    text = " ".join(w.text() for w in dialog.findChildren(QLabel))
    assert "Selecionadas: 4" in text and "Restantes no pacote: 1" in text
    assert "Ajuste o pacote." in text
