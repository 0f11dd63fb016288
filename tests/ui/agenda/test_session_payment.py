"""Manual 3.2: creating a session offers the patient's packages; "Pagar com este pacote"
debits (the dot turns green, the history has the debit); "Pular" goes to the one-click
manual payment and debits nothing. The dialogs themselves: what they list and return."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from r3izzy_desktop.core import agenda, clinic, packages, payments
from r3izzy_desktop.ui.agenda import paint, patient_calendar
from r3izzy_desktop.ui.agenda.choose_package import SKIP, ChoosePackageDialog
from r3izzy_desktop.ui.agenda.manual_payment import ManualPaymentDialog
from r3izzy_desktop.ui.agenda.panel import AgendaPanel
from r3izzy_desktop.ui.packages import pay_flow
from tests.helpers.agenda_drivers import (
    LEFT,
    click_box,
    patch_choose_package,
    patch_form,
    patch_manual_payment,
    refuse,
    set_when,
    type_patient,
)


@pytest.fixture
def panel(qtbot, db):
    widget = AgendaPanel()
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.calendar.set_date(date(2025, 4, 1))
    return widget


def package(patient, sessions=4, total="1000.00", paid_on=date(2025, 3, 1)):
    return packages.create_package(patient, sessions, Decimal(total), paid_on=paid_on)


def fill_one(qtbot, start=datetime(2025, 4, 1, 10, 0), who="ana"):
    def fill(dialog):
        type_patient(qtbot, dialog, who)
        set_when(dialog, start)

    return fill


def calendar_row(panel, session_id):
    panel.calendar.refresh()
    return panel.calendar.row(session_id)


def test_create_then_pay_with_a_package(qtbot, monkeypatch, panel, patient, service):
    pkg = package(patient)  # 250,00 a session, as the service's price
    patch_form(monkeypatch, qtbot, fill_one(qtbot))
    offered = patch_choose_package(monkeypatch, qtbot, "pay")
    refuse(monkeypatch, ManualPaymentDialog, "ask")
    (session_id,) = panel.new_session(datetime(2025, 4, 1, 9, 0))
    assert [card.package_id for card in offered[0].cards] == [pkg.id]
    row = calendar_row(panel, session_id)
    assert row.paid and row.package_number == pkg.number
    assert paint.dot_color(row) == paint.PAID  # the dot turns green
    history = packages.history(pkg)
    assert (history[-1].kind, history[-1].note) == (
        "sessão debitada",
        "Debitada pela sessão 01/04 10:00",
    )
    assert packages.summary(pkg).sessions_left == 3
    assert "3 de 4 sessões" in payments.payment_info(session_id).text.replace("saldo ", "")


def test_create_then_pular_then_manual_payment(qtbot, monkeypatch, panel, patient, service):
    pkg = package(patient)
    patch_form(monkeypatch, qtbot, fill_one(qtbot))
    patch_choose_package(monkeypatch, qtbot, "skip")
    manual = patch_manual_payment(monkeypatch, qtbot, "Dinheiro", day=date(2025, 4, 1))
    (session_id,) = panel.new_session()
    assert manual[0].amount.text() == "R$ 250,00" and manual[0].amount.isReadOnly()
    row = calendar_row(panel, session_id)
    assert (row.paid, row.payment_method, row.payment_date) == (True, "dinheiro", date(2025, 4, 1))
    assert row.package_id is None
    figures = packages.summary(pkg)
    assert (figures.sessions_left, figures.open_amount) == (4, Decimal("1000.00"))
    assert [h.kind for h in packages.history(pkg)] == ["criado"]


def test_pular_then_leave_open(qtbot, monkeypatch, panel, patient, service):
    package(patient)
    patch_form(monkeypatch, qtbot, fill_one(qtbot))
    patch_choose_package(monkeypatch, qtbot, "skip")
    patch_manual_payment(monkeypatch, qtbot, None)  # "Deixar em aberto"
    (session_id,) = panel.new_session()
    row = calendar_row(panel, session_id)
    assert not row.paid and paint.dot_color(row) == paint.OPEN


def test_no_package_no_offer(qtbot, monkeypatch, panel, patient, service):
    patch_form(monkeypatch, qtbot, fill_one(qtbot))
    refuse(monkeypatch, ChoosePackageDialog, "ask")
    refuse(monkeypatch, ManualPaymentDialog, "ask")
    (session_id,) = panel.new_session()
    assert not calendar_row(panel, session_id).paid


def test_an_inactive_or_finished_package_is_not_offered(qtbot, monkeypatch, panel, patient):
    clinic.add_service("Método Bobath", price=Decimal("250.00"))
    packages.edit_package(package(patient), status="inativo")
    patch_form(monkeypatch, qtbot, fill_one(qtbot))
    refuse(monkeypatch, ChoosePackageDialog, "ask")
    refuse(monkeypatch, ManualPaymentDialog, "ask")
    assert len(panel.new_session()) == 1


def test_price_adjustment_asked_when_the_package_debits_another_value(
    qtbot, monkeypatch, panel, patient, service
):
    pkg = package(patient, sessions=3, total="1000.00")  # debits 333,33
    patch_form(monkeypatch, qtbot, fill_one(qtbot))
    patch_choose_package(monkeypatch, qtbot, "pay")
    asked = []
    monkeypatch.setattr(
        pay_flow.PriceAdjustmentDialog,
        "ask",
        classmethod(lambda cls, parent, diffs: asked.append(diffs) or True),
    )
    (session_id,) = panel.new_session()
    assert [(d.price, d.debit_amount) for d in asked[0]] == [(Decimal("250.00"), Decimal("333.33"))]
    row = calendar_row(panel, session_id)
    assert row.paid and row.price == Decimal("333.33")
    assert packages.summary(pkg).open_amount == Decimal("666.67")


def test_repetition_pays_the_first_sessions_up_to_what_the_package_has(
    qtbot, monkeypatch, panel, patient, service
):
    pkg = package(patient, sessions=3, total="750.00")

    def fill(dialog):
        type_patient(qtbot, dialog, "ana")
        set_when(dialog, datetime(2025, 4, 1, 14, 0))  # Tuesday
        click_box(qtbot, dialog.repeat)
        qtbot.mouseClick(dialog.weekday_buttons[3], LEFT)  # and Thursday
        dialog.weeks.setValue(5)

    patch_form(monkeypatch, qtbot, fill)
    offered = patch_choose_package(monkeypatch, qtbot, "pay")
    created = panel.new_session()
    assert len(created) == 10
    assert "Paga as 3 primeiras sessões; as outras 7 ficam em aberto." in offered[0].cards[0].hint
    rows = agenda.sessions_between(date(2025, 4, 1), date(2025, 5, 31))
    assert [r.paid for r in rows] == [True] * 3 + [False] * 7
    assert [r.starts_at.day for r in rows[:3]] == [1, 3, 8]
    summary = packages.summary(pkg)
    assert (summary.status, summary.sessions_left) == ("finalizado", 0)


def test_the_patient_calendar_creates_for_its_patient(qtbot, monkeypatch, patient, service):
    clinic.add_patient("Bruno Lima")
    package(patient)
    panel = patient_calendar(patient.id)
    qtbot.addWidget(panel)
    built = patch_form(monkeypatch, qtbot, lambda dialog: set_when(dialog, datetime(2025, 4, 2, 9)))
    patch_choose_package(monkeypatch, qtbot, "pay")
    (session_id,) = panel.new_session()
    assert built[0].patient.patient_id() == patient.id
    assert payments.payment_info(session_id).kind == "pacote"


# -- the dialogs --------------------------------------------------------------------------


def test_choose_package_lists_offerable_packages_oldest_first(qtbot, patient, make_session):
    newer = package(patient, sessions=5, total="1000.00", paid_on=date(2025, 3, 20))
    older = package(patient, sessions=5, total="1250.00", paid_on=date(2025, 3, 1))
    used = make_session(1, 10)
    packages.pay_sessions(older, [used])
    session = make_session(2, 10)
    dialog = ChoosePackageDialog(None, patient.id, [session.id])
    qtbot.addWidget(dialog)
    dialog.show()
    assert [card.package_id for card in dialog.cards] == [older.id, newer.id]
    assert dialog.cards[0].radio.isChecked()  # the first preselected
    text = " ".join(w.text() for w in dialog.cards[0].findChildren(QLabel))
    assert f"No. {older.number}" in dialog.cards[0].radio.text()
    assert "4 de 5" in text and "R$ 1.000,00" in text and "R$ 250,00" in text
    click_box(qtbot, dialog.cards[1].radio)
    qtbot.mouseClick(dialog.pay_button, LEFT)
    assert dialog.choice == newer.id


def test_choose_package_pular_and_escape(qtbot, patient, make_session):
    package(patient)
    session = make_session(2, 10)
    dialog = ChoosePackageDialog(None, patient.id, [session.id])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.skip_button, LEFT)
    assert dialog.choice == SKIP
    again = ChoosePackageDialog(None, patient.id, [session.id])
    qtbot.addWidget(again)
    again.show()
    qtbot.keyClick(again, Qt.Key.Key_Escape)
    assert again.result() == again.DialogCode.Rejected and again.choice is None


def test_choose_package_warns_when_too_few_sessions_for_a_selection(qtbot, patient, make_session):
    package(patient, sessions=1, total="250.00")
    sessions = [make_session(2, 10), make_session(3, 10)]
    dialog = ChoosePackageDialog(None, patient.id, [s.id for s in sessions])
    qtbot.addWidget(dialog)
    assert "tem só 1 sessão restante para 2 selecionadas" in dialog.cards[0].hint


def test_manual_payment_dialog(qtbot, patient, make_session):
    from r3izzy_desktop.core.reports import receitas

    rows = receitas.rows_by_id([make_session(2, 10).id, make_session(3, 10).id])
    dialog = ManualPaymentDialog(None, rows)
    qtbot.addWidget(dialog)
    dialog.show()
    assert [b.text() for b in dialog.method_buttons.values()] == [
        "Dinheiro",
        "Pix",
        "Cartão de crédito",
        "Cartão de débito",
        "Transferência",
        "Outro",
    ]
    assert dialog.method() == "pix"  # preselected
    assert dialog.amount.text() == "R$ 500,00" and dialog.amount.isReadOnly()
    qtbot.mouseClick(dialog.method_buttons["cartao_debito"], LEFT)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter confirms
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.answer()[0] == "cartao_debito"
