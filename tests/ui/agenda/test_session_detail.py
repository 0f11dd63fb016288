"""Session detail (manual 3.1, 4): the "Registrar Pgto." info field, attendance with the
justified-absence credit (R7), delete (R13), void and remove from package; each
confirmation says what happens to the money."""

from datetime import date
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, packages, payments
from r3izzy_desktop.core.reports import receitas
from r3izzy_desktop.ui.agenda.manual_payment import ManualPaymentDialog
from r3izzy_desktop.ui.agenda.session_detail import SessionDetailDialog
from tests.helpers.agenda_drivers import LEFT, patch_choose_package, patch_manual_payment, refuse


def package(patient, sessions=4, total="1000.00"):
    return packages.create_package(patient, sessions, Decimal(total), paid_on=date(2025, 3, 1))


def detail(qtbot, session) -> SessionDetailDialog:
    dialog = SessionDetailDialog(None, session.id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def session_gone(session) -> bool:
    return receitas.rows_by_id([session.id]) == []


def test_info_field_names_the_package_and_its_balance(qtbot, patient, make_session):
    pkg = package(patient, sessions=5, total="1250.00")
    session = make_session(1, 10)
    packages.pay_sessions(pkg, [session])
    dialog = detail(qtbot, session)
    assert dialog.title.text() == "Ana Souza"
    assert dialog.when.text() == "ter. 01/04/2025 · 10:00–10:50"
    assert f"Pacote No. {pkg.number}" in dialog.info.text()
    assert "4 de 5 sessões" in dialog.info.text()
    assert dialog.state_badge.text() == "Pago"
    assert not dialog.register_button.isEnabled()
    assert dialog.refund_button.isVisibleTo(dialog) and not dialog.void_button.isVisibleTo(dialog)


def test_info_field_names_the_manual_payment(qtbot, patient, make_session):
    session = make_session(1, 10)
    payments.pay_manually([session], method="pix", paid_on=date(2025, 7, 3))
    dialog = detail(qtbot, session)
    assert dialog.info.text() == "Pix — R$ 250,00 em 03/07/2025"
    assert dialog.void_button.isVisibleTo(dialog)
    assert not dialog.refund_button.isVisibleTo(dialog)


def test_registrar_pgto_with_a_package(qtbot, monkeypatch, patient, make_session):
    pkg = package(patient)
    session = make_session(1, 10)
    dialog = detail(qtbot, session)
    assert dialog.info.text() == "Em aberto" and dialog.register_button.isEnabled()
    patch_choose_package(monkeypatch, qtbot, "pay")
    refuse(monkeypatch, ManualPaymentDialog, "ask")
    qtbot.mouseClick(dialog.register_button, LEFT)
    assert f"Pacote No. {pkg.number}" in dialog.info.text()
    assert dialog.was_changed
    assert packages.summary(pkg).sessions_left == 3


def test_registrar_pgto_without_a_package_goes_to_manual(qtbot, monkeypatch, patient, make_session):
    session = make_session(1, 10)
    dialog = detail(qtbot, session)
    patch_manual_payment(monkeypatch, qtbot, "Cartão de crédito", day=date(2025, 4, 1))
    qtbot.mouseClick(dialog.register_button, LEFT)
    assert dialog.info.text() == "Cartão de crédito — R$ 250,00 em 01/04/2025"


def test_delete_a_paid_session_credits_and_reopens_the_package(
    qtbot, dialogs, patient, make_session
):
    pkg = package(patient, sessions=2, total="500.00")
    first, second = make_session(1, 10), make_session(2, 10)
    packages.pay_sessions(pkg, [first, second])
    assert packages.summary(pkg).status == "finalizado"
    dialog = detail(qtbot, second)
    dialogs.answers = [True]
    qtbot.mouseClick(dialog.delete_button, LEFT)
    title, text = dialogs.asked[-1]
    assert title == "Excluir sessão"
    assert (
        f"A sessão será excluída e R$ 250,00 voltarão ao pacote No. {pkg.number} "
        "(0 → 1 sessão restante); o pacote, hoje finalizado, será reaberto (ativo)."
    ) in text
    assert dialog.deleted and session_gone(second)
    figures = packages.summary(pkg)
    assert (figures.status, figures.sessions_left, figures.open_amount) == (
        "ativo",
        1,
        Decimal("250.00"),
    )
    last = packages.history(pkg)[-1]
    assert (last.kind, last.note) == ("sessão creditada", "Creditada pela sessão 02/04 10:00")


def test_delete_cancelled_changes_nothing(qtbot, dialogs, patient, make_session):
    session = make_session(1, 10)
    dialog = detail(qtbot, session)
    dialogs.answers = [False]
    qtbot.mouseClick(dialog.delete_button, LEFT)
    assert "Ela não está paga: nenhum valor é movido." in dialogs.asked[-1][1]
    assert not dialog.deleted and not session_gone(session)


def test_delete_a_manually_paid_session_says_the_payment_is_voided(
    qtbot, dialogs, patient, make_session
):
    session = make_session(1, 10)
    payments.pay_manually([session], method="pix", paid_on=date(2025, 4, 1))
    dialog = detail(qtbot, session)
    dialogs.answers = [True]
    qtbot.mouseClick(dialog.delete_button, LEFT)
    assert (
        "o pagamento manual (Pix — R$ 250,00 em 01/04/2025) será estornado" in dialogs.asked[-1][1]
    )
    assert session_gone(session) and payments.active_payment(session) is None


def test_justified_absence_credits_the_package(qtbot, dialogs, patient, make_session):
    pkg = package(patient)
    session = make_session(1, 10)
    packages.pay_sessions(pkg, [session])
    dialog = detail(qtbot, session)
    dialogs.answers = [True]
    qtbot.mouseClick(dialog.attendance_buttons["falta_justificada"], LEFT)
    assert (
        f"R$ 250,00 voltarão ao pacote No. {pkg.number} (3 → 4 sessões restantes)"
        in dialogs.asked[-1][1]
    )
    row = receitas.session_row(session.id)
    assert (row.attendance, row.paid) == ("falta_justificada", False)
    assert packages.summary(pkg).sessions_left == 4
    assert packages.history(pkg)[-1].kind == "sessão creditada"
    assert dialog.attendance_badge.isVisibleTo(dialog)
    assert dialog.attendance_badge.text() == "Falta justificada"


def test_plain_falta_keeps_the_debit(qtbot, patient, make_session):
    pkg = package(patient)
    session = make_session(1, 10)
    packages.pay_sessions(pkg, [session])
    dialog = detail(qtbot, session)
    qtbot.mouseClick(dialog.attendance_buttons["falta"], LEFT)  # nothing to confirm
    assert receitas.session_row(session.id).attendance == "falta"
    assert packages.summary(pkg).sessions_left == 3


@pytest.mark.parametrize(("answer", "still_paid"), [(0, False), (1, True)])
def test_justified_absence_asks_whether_to_void_a_manual_payment(
    qtbot, dialogs, patient, make_session, answer, still_paid
):
    session = make_session(1, 10)
    payments.pay_manually([session], method="pix", paid_on=date(2025, 4, 1))
    dialog = detail(qtbot, session)
    dialogs.answers = [answer]  # "Estornar pagamento" / "Manter pagamento"
    qtbot.mouseClick(dialog.attendance_buttons["falta_justificada"], LEFT)
    assert "Pix — R$ 250,00 em 01/04/2025" in dialogs.asked[-1][1]
    row = receitas.session_row(session.id)
    assert (row.attendance, row.paid) == ("falta_justificada", still_paid)


def test_void_a_manual_payment(qtbot, dialogs, patient, make_session):
    session = make_session(1, 10)
    payments.pay_manually([session], method="dinheiro", paid_on=date(2025, 4, 1))
    dialog = detail(qtbot, session)
    dialogs.answers = [True]
    qtbot.mouseClick(dialog.void_button, LEFT)
    assert dialogs.asked[-1][1] == (
        "O pagamento manual (Dinheiro — R$ 250,00 em 01/04/2025) será estornado e a sessão "
        "ficará em aberto."
    )
    assert dialog.info.text() == "Em aberto" and dialog.register_button.isEnabled()


def test_remove_from_the_package(qtbot, dialogs, patient, make_session):
    pkg = package(patient)
    session = make_session(1, 10)
    packages.pay_sessions(pkg, [session])
    dialog = detail(qtbot, session)
    dialogs.answers = [True]
    qtbot.mouseClick(dialog.refund_button, LEFT)
    assert (
        f"voltarão ao pacote No. {pkg.number} (3 → 4 sessões restantes)" in (dialogs.asked[-1][1])
    )
    assert not receitas.session_row(session.id).paid
    assert packages.history(pkg)[-1].note == "Creditada pela sessão 01/04 10:00"


def test_a_session_deleted_elsewhere_is_told(qtbot, dialogs, patient, make_session):
    session = make_session(1, 10)
    agenda.delete_session(session)
    assert SessionDetailDialog.show_for(None, session.id) is True
    assert "Sessão não encontrada" in dialogs.told[-1][1]


def test_a_justified_absence_is_not_open_nor_payable(qtbot, dialogs, patient, make_session):
    """Issue 15 item 8: after "Falta justificada" the session is "Sem cobrança", the
    Registrar Pgto. button is off, and the calendar does not count it "em aberto"."""
    from r3izzy_desktop.ui.agenda import patient_calendar

    pkg = package(patient)
    session = make_session(1, 10)
    make_session(2, 10)  # an ordinary open session beside it
    packages.pay_sessions(pkg, [session])
    dialog = detail(qtbot, session)
    dialogs.answers = [True]
    qtbot.mouseClick(dialog.attendance_buttons["falta_justificada"], LEFT)
    assert dialog.state_badge.text() == "Sem cobrança"
    assert not dialog.register_button.isEnabled()
    assert receitas.situation_of(receitas.session_row(session.id)) == receitas.JUSTIFICADA

    panel = patient_calendar(patient.id)
    qtbot.addWidget(panel)
    panel.calendar.set_date(date(2025, 4, 1))
    assert panel.calendar.count_label.text() == "2 sessões · 1 em aberto"
    panel.calendar.set_view("week")
    assert panel.calendar.count_label.text() == "2 sessões · 1 em aberto"
