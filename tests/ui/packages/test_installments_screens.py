"""R18 on screen: the form's Forma de pagamento, Parcelas and "Usar só o que já foi pago";
the card's "2 de 4 parcelas recebidas · R$ 1.000,00 a receber" (overdue in red) and
"Receber parcela"; voiding; Configurações › Pacotes; the figures in Receitas and Gestão
Financeira."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from r3izzy_desktop.core import clinic, clock, packages, payments
from r3izzy_desktop.ui.packages.form import PackageFormDialog
from r3izzy_desktop.ui.packages.installments_dialog import InstallmentsDialog
from r3izzy_desktop.ui.packages.list_page import PackageListPage

D = Decimal
TODAY = datetime(2026, 4, 10, 9, 0)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(TODAY):
        yield


def open_form(qtbot, patient) -> PackageFormDialog:
    dialog = PackageFormDialog(patient.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.sessions, "4")
    qtbot.keyClicks(dialog.total, "1.000,00")
    return dialog


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def in_plan(patient, count=4, first=date(2026, 1, 10), total="2000.00"):
    return packages.create_package(
        patient,
        8,
        D(total),
        paid_on=first,
        installments=packages.split_installments(D(total), count, first),
        method="cartao_credito",
    )


# --- the form ---------------------------------------------------------------------------------


def test_a_count_proposes_the_plan_and_saves_it(qtbot, patient):
    dialog = open_form(qtbot, patient)
    assert dialog.plan.count.text() == "1"
    assert "À vista" in dialog.plan.mode.text()
    dialog.plan.count.clear()
    qtbot.keyClicks(dialog.plan.count, "3")
    assert [(d.text(), a.text()) for d, a in dialog.plan.rows] == [
        ("10/04/2026", "333,33"),
        ("10/05/2026", "333,34"),
        ("10/06/2026", "333,33"),
    ]
    assert dialog.plan.problem() is None
    dialog.plan.method.setCurrentIndex(dialog.plan.method.findData("cartao_credito"))
    dialog.plan.before_use.setChecked(True)
    click(qtbot, dialog.save_button)
    assert dialog.saved_id is not None
    s = packages.summary(dialog.saved_id)
    assert (s.has_plan, s.method, s.pay_before_use, s.received, s.owed) == (
        True,
        "cartao_credito",
        True,
        D("0.00"),
        D("1000.00"),
    )
    assert [(i.due_on, i.amount) for i in packages.installments(s.id)] == [
        (date(2026, 4, 10), D("333.33")),
        (date(2026, 5, 10), D("333.34")),
        (date(2026, 6, 10), D("333.33")),
    ]


def test_typing_an_amount_keeps_the_sum_equal_to_the_total(qtbot, patient):
    dialog = open_form(qtbot, patient)
    dialog.plan.set_count(3)
    first = dialog.plan.rows[0][1]
    first.selectAll()
    qtbot.keyClicks(first, "500,00")
    first.editingFinished.emit()  # what leaving the field does (Tab, a click elsewhere)
    assert [a.text() for _, a in dialog.plan.rows] == ["500,00", "250,00", "250,00"]
    assert dialog.plan.sum_label.text() == "Soma igual ao total: R$ 1.000,00"
    due = dialog.plan.rows[2][0]
    due.selectAll()
    qtbot.keyClicks(due, "20/07/2026")
    click(qtbot, dialog.save_button)
    rows = packages.installments(dialog.saved_id)
    assert [(i.due_on, i.amount) for i in rows][-1] == (date(2026, 7, 20), D("250.00"))


def test_a_plan_that_does_not_add_up_is_refused_with_a_clear_message(qtbot, patient):
    dialog = open_form(qtbot, patient)
    dialog.plan.set_count(2)
    last = dialog.plan.rows[1][1]
    last.selectAll()
    qtbot.keyClicks(last, "100,00")
    last.editingFinished.emit()
    click(qtbot, dialog.save_button)
    assert dialog.saved_id is None
    assert dialog.plan.error_label.isVisibleTo(dialog)
    assert "faltam R$ 400,00" in dialog.plan.error_label.text()
    assert packages.list_packages(patient) == []


def test_a_package_paid_at_once_keeps_its_method(qtbot, patient):
    dialog = open_form(qtbot, patient)
    dialog.plan.method.setCurrentIndex(dialog.plan.method.findData("dinheiro"))
    click(qtbot, dialog.save_button)
    rows = packages.installments(dialog.saved_id)
    assert [(i.amount, i.received_on, i.method) for i in rows] == [
        (D("1000.00"), date(2026, 4, 10), "dinheiro")
    ]


def test_the_checkbox_starts_with_the_clinics_default(qtbot, patient):
    clinic.set_package_defaults(pay_before_use=True)
    dialog = open_form(qtbot, patient)
    assert dialog.plan.before_use.isChecked()


def test_the_form_fits_a_small_screen(qtbot, patient):
    dialog = open_form(qtbot, patient)
    dialog.plan.set_count(12)
    assert dialog.height() <= 690 and dialog.width() <= 1024


# --- the card and the dialog ----------------------------------------------------------------


@pytest.fixture
def page(qtbot, patient):
    widget = PackageListPage()
    qtbot.addWidget(widget)
    widget.resize(1146, 700)
    widget.show()
    return widget


def test_the_card_says_what_was_received_and_what_is_overdue(qtbot, page, patient):
    pkg = in_plan(patient)  # 500,00 due 10/01, 10/02, 10/03, 10/04
    packages.receive_installment(pkg, 1, method="pix", received_on=date(2026, 1, 10))
    packages.receive_installment(pkg, 2, method="pix", received_on=date(2026, 2, 10))
    page.show_patient(patient.id)
    card = page.card_for(pkg.id)
    assert card.installments.text() == "2 de 4 parcelas recebidas · R$ 1.000,00 a receber"
    assert card.overdue.text() == "R$ 500,00 em atraso"  # 10/03; 10/04 is today
    assert card.overdue.isVisibleTo(card) and "#c0392b" in card.overdue.styleSheet()
    assert card.installments_button.text() == "Receber parcela"


def test_a_package_paid_at_once_shows_no_installments(qtbot, page, patient):
    pkg = packages.create_package(patient, 4, D("1000.00"), paid_on=date(2026, 4, 1))
    page.show_patient(patient.id)
    card = page.card_for(pkg.id)
    assert not card.installments.isVisibleTo(card)
    assert not card.installments_button.isVisibleTo(card)


def test_receber_parcela_receives_the_one_chosen(qtbot, page, patient, monkeypatch):
    pkg = in_plan(patient)
    page.show_patient(patient.id)

    def receive(parent, package_id):
        dialog = InstallmentsDialog(package_id, parent)
        qtbot.addWidget(dialog)
        assert dialog.which.currentData() == 1  # the first not received
        dialog.method.setCurrentIndex(dialog.method.findData("pix"))
        dialog.received_on.setText("09/04/2026")
        click(qtbot, dialog.receive_button)
        assert dialog.which.currentData() == 2
        return dialog.changed

    monkeypatch.setattr(InstallmentsDialog, "ask", classmethod(lambda cls, p, i: receive(p, i)))
    click(qtbot, page.card_for(pkg.id).installments_button)
    rows = packages.installments(pkg)
    assert (rows[0].received_on, rows[0].method) == (date(2026, 4, 9), "pix")
    assert page.card_for(pkg.id).installments.text().startswith("1 de 4 parcelas recebida ·")
    assert packages.history(pkg)[-1].note == "Parcela 1/4 recebida: R$ 500,00 (Pix)"


def test_estornar_parcela_asks_first_then_voids(qtbot, patient, dialogs):
    pkg = in_plan(patient)
    packages.receive_installment(pkg, 1, method="pix")
    dialog = InstallmentsDialog(pkg.id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.void_button.isEnabled()
    dialog.table.selectRow(0)
    assert dialog.void_button.isEnabled()
    dialog.table.selectRow(0)
    dialogs.answers = [False]
    click(qtbot, dialog.void_button)
    assert packages.installments(pkg)[0].received  # cancelled: nothing changed
    dialogs.answers = [True]
    click(qtbot, dialog.void_button)
    assert not packages.installments(pkg)[0].received
    assert dialog.changed
    assert packages.history(pkg)[-1].note == "Parcela 1/4 estornada"
    assert "volta a ficar a receber" in dialogs.asked[-1][1]


def test_a_refusal_is_said_in_the_dialog(qtbot, patient):
    pkg = in_plan(patient)
    dialog = InstallmentsDialog(pkg.id)
    qtbot.addWidget(dialog)
    dialog.show()
    packages.receive_installment(pkg, 1, method="pix")  # meanwhile, on another PC
    click(qtbot, dialog.receive_button)
    assert dialog.error.isVisibleTo(dialog)
    assert "outro computador" in dialog.error.text()


# --- Configurações, Receitas, Gestão Financeira ------------------------------------------------


def test_settings_save_pay_before_use(qtbot, db):
    from r3izzy_desktop.ui.settings.packages_tab import PackagesTab

    tab = PackagesTab()
    qtbot.addWidget(tab)
    assert not tab.pay_before_use.isChecked()
    tab.pay_before_use.setChecked(True)
    click(qtbot, tab.save_button)
    assert clinic.package_defaults().pay_before_use


def test_finance_shows_what_packages_owe(qtbot, patient):
    from r3izzy_desktop.ui.finance.page import FinancePage

    in_plan(patient)  # 2.000,00 in 4, none received: 1.500,00 overdue (3 due before today)
    page = FinancePage()
    qtbot.addWidget(page)
    page.resize(1146, 700)
    page.show()
    qtbot.waitUntil(lambda: page.summary is not None and not page.is_loading())
    assert page.owed_card.amount.text() == "R$ 2.000,00"
    assert page.owed_card.detail_texts() == [
        "Em atraso (1 pacote)  R$ 1.500,00",
        "A receber (1 pacote)  R$ 2.000,00",
    ]


def test_receitas_calls_package_use_by_its_name(qtbot, patient, service):
    from r3izzy_desktop.core import agenda
    from r3izzy_desktop.ui.receitas.page import ReceitasPage

    pkg = packages.create_package(patient, 4, D("1000.00"), paid_on=date(2026, 4, 1))
    used = agenda.schedule(patient, service, datetime(2026, 4, 2, 10))
    packages.pay_sessions(pkg, [used])
    by_hand = agenda.schedule(patient, service, datetime(2026, 4, 3, 10))
    payments.pay_manually([by_hand], "pix")
    page = ReceitasPage()
    qtbot.addWidget(page)
    page.show()
    page.set_month(date(2026, 4, 1))
    qtbot.waitUntil(lambda: page.received_label.text() == "R$ 500,00")
    assert page.paid_split.text() == "Pago com pacote R$ 250,00 · Recebido à parte R$ 250,00"


def test_the_receipt_prints_the_payment_method(qtbot, patient):
    from r3izzy_desktop.core.reports.receipt import package_receipt
    from r3izzy_desktop.ui.packages.receipt import receipt_html

    at_once = packages.create_package(
        patient, 4, D("1000.00"), paid_on=date(2026, 4, 1), method="dinheiro"
    )
    page = receipt_html(package_receipt(at_once))
    assert "Forma de pagamento" in page and "Dinheiro" in page
    assert "pago em 01/04/2026 (Dinheiro)" in page
    planned = in_plan(patient)
    packages.receive_installment(planned, 1, method="pix")
    receipt = package_receipt(planned)
    assert (receipt.method_label, receipt.received) == ("Cartão de crédito", D("500.00"))
    assert receipt.installments_text == "1 de 4 parcelas recebida · R$ 1.500,00 a receber"
    page = receipt_html(receipt)
    assert "R$ 500,00" in page and "no valor total de R$ 2.000,00" in page


def test_paying_beyond_what_was_received_is_explained(qtbot, patient, service, dialogs):
    from r3izzy_desktop.core import agenda
    from r3izzy_desktop.ui.packages.pay_flow import pay_with_package

    pkg = packages.create_package(
        patient,
        4,
        D("1000.00"),
        installments=packages.split_installments(D("1000.00"), 2, date(2026, 4, 10)),
        pay_before_use=True,
    )
    session = agenda.schedule(patient, service, datetime(2026, 4, 11, 10))
    assert not pay_with_package(None, pkg.id, [session.id])
    assert "Ainda falta receber R$ 1.000,00" in dialogs.told[-1][1]
    assert packages.summary(pkg).sessions_used == 0
