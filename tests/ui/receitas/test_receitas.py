"""Receitas (manual 3.3): the period's sessions with their payment state, filters, the
footer totals, and "Registrar Pgto." for one or many sessions."""

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from r3izzy_desktop.core import agenda, clinic, clock, packages, payments
from r3izzy_desktop.core.reports import receitas
from r3izzy_desktop.ui.agenda.choose_package import ChoosePackageDialog
from r3izzy_desktop.ui.agenda.manual_payment import ManualPaymentDialog
from r3izzy_desktop.ui.agenda.session_detail import SessionDetailDialog
from r3izzy_desktop.ui.common.table_model import RowTableModel
from r3izzy_desktop.ui.packages import pay_flow
from r3izzy_desktop.ui.receitas import ReceitasPage
from r3izzy_desktop.ui.receitas.columns import receitas_columns
from tests.helpers.agenda_drivers import LEFT, patch_choose_package, patch_manual_payment, refuse

SELECT_PACKAGE, PULAR = 0, 1


@pytest.fixture
def page(qtbot, db):
    widget = ReceitasPage()
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def april(page):
    page.set_period(date(2025, 4, 1), date(2025, 4, 30))
    page.refresh()  # as when the page is shown: services reread


def select_rows(qtbot, page, session_ids):
    """Click the first row, Ctrl+click the others, as a person selects."""
    positions = [i for i, row in enumerate(page.model.rows()) if row.id in session_ids]
    view = page.table
    for number, position in enumerate(positions):
        rect = view.visualRect(page.model.index(position, 1))
        modifier = Qt.KeyboardModifier.ControlModifier if number else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(view.viewport(), LEFT, modifier, rect.center())
    assert sorted(r.id for r in page.selected_rows()) == sorted(session_ids)


def package(patient, sessions=4, total="1000.00"):
    return packages.create_package(patient, sessions, Decimal(total), paid_on=date(2025, 3, 1))


def test_table_model_passes_qtmodeltester(qtmodeltester, patient, make_session):
    first = make_session(1, 10)
    make_session(2, 10)
    payments.pay_manually([first], method="pix", paid_on=date(2025, 4, 1))
    model = RowTableModel(
        receitas_columns(), receitas.sessions(date(2025, 4, 1), date(2025, 4, 30))
    )
    qtmodeltester.check(model)
    assert model.rowCount() == 2


def test_current_month_by_default(qtbot, db):
    with clock.frozen(clock.now().replace(year=2025, month=7, day=15)):
        widget = ReceitasPage()
        qtbot.addWidget(widget)
        assert widget.period() == (date(2025, 7, 1), date(2025, 7, 31))
        assert widget.month_label.text() == "Julho de 2025"


def test_rows_show_date_patient_service_price_situation_and_payment(page, patient, make_session):
    pkg = package(patient)
    by_package, by_pix, open_ = make_session(1, 10), make_session(3, 14, 30), make_session(4, 9)
    packages.pay_sessions(pkg, [by_package])
    payments.pay_manually([by_pix], method="pix", paid_on=date(2025, 7, 3))
    agenda.set_attendance(open_, "falta")
    april(page)
    model = page.model
    table = [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    assert model.column_titles() == [
        "Data e hora",
        "Paciente",
        "Serviço",
        "Valor",
        "Situação",
        "Pagamento",
    ]
    assert table == [
        ["01/04/2025 10:00", "Ana Souza", "Método Bobath", "R$ 250,00", "Pago",
         f"Pacote No. {pkg.number}"],
        ["03/04/2025 14:30", "Ana Souza", "Método Bobath", "R$ 250,00", "Pago",
         "Pix em 03/07/2025"],
        ["04/04/2025 09:00", "Ana Souza", "Método Bobath", "R$ 250,00", "Em aberto · falta",
         "—"],
    ]  # fmt: skip
    assert model.index(0, 3).data(Qt.ItemDataRole.TextAlignmentRole) & int(
        Qt.AlignmentFlag.AlignRight
    )
    assert page.received_label.text() == "R$ 500,00"
    assert page.open_label.text() == "R$ 250,00"
    assert page.open_count.text() == "(1 sessão)"


def test_filters_by_situation_patient_service_and_month(
    page, qtbot, patient, service, make_session
):
    other = clinic.add_patient("Bruno Lima")
    massage = clinic.add_service("Massagem", price=Decimal("90.00"))
    paid = make_session(1, 10)
    make_session(2, 10)
    agenda.schedule(other, massage, paid.starts_at.replace(day=3))
    make_session(5, 10, month=5)
    payments.pay_manually([paid], method="pix", paid_on=date(2025, 4, 1))
    april(page)
    assert page.model.rowCount() == 3
    page.situation_filter.setCurrentIndex(page.situation_filter.findText("Em aberto"))
    assert {r.paid for r in page.model.rows()} == {False} and page.model.rowCount() == 2
    assert page.received_label.text() == "R$ 0,00"
    assert page.open_label.text() == "R$ 340,00"
    page.situation_filter.setCurrentIndex(0)
    page.service_filter.setCurrentIndex(page.service_filter.findText("Massagem"))
    assert [r.patient_name for r in page.model.rows()] == ["Bruno Lima"]
    page.service_filter.setCurrentIndex(0)
    qtbot.keyClicks(page.patient_filter, "bruno")
    page.patient_filter.resolve()
    assert [r.patient_name for r in page.model.rows()] == ["Bruno Lima"]
    qtbot.keyClick(page.patient_filter, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.patient_filter, Qt.Key.Key_Backspace)
    assert page.model.rowCount() == 3
    qtbot.mouseClick(page.next_month, LEFT)
    assert page.month_label.text() == "Maio de 2025"
    assert [r.starts_at.month for r in page.model.rows()] == [5]


def test_multi_select_paid_from_one_package(
    page, qtbot, monkeypatch, dialogs, patient, make_session
):
    pkg = package(patient)
    sessions = [make_session(day, 10) for day in (1, 2, 3)]
    april(page)
    select_rows(qtbot, page, [sessions[0].id, sessions[2].id])
    assert page.selection_label.text() == "2 selecionada(s)"
    dialogs.answers = [SELECT_PACKAGE]
    chosen = patch_choose_package(monkeypatch, qtbot, "pay")
    refuse(monkeypatch, ManualPaymentDialog, "ask")
    qtbot.mouseClick(page.register_button, LEFT)
    assert dialogs.asked[-1][0] == "Registrar Pgto."
    assert [c.package_id for c in chosen[0].cards] == [pkg.id]
    paid = {r.id: r.paid for r in page.model.rows()}
    assert paid == {sessions[0].id: True, sessions[1].id: False, sessions[2].id: True}
    assert [h.note for h in packages.history(pkg)[1:]] == [
        "Debitada pela sessão 01/04 10:00",
        "Debitada pela sessão 03/04 10:00",
    ]
    assert page.received_label.text() == "R$ 500,00"


def test_more_sessions_than_the_package_has_pays_nothing(
    page, qtbot, monkeypatch, dialogs, patient, make_session
):
    pkg = package(patient, sessions=1, total="250.00")
    sessions = [make_session(day, 10) for day in (1, 2)]
    april(page)
    select_rows(qtbot, page, [s.id for s in sessions])
    dialogs.answers = [SELECT_PACKAGE]
    patch_choose_package(monkeypatch, qtbot, "pay")
    told = []
    monkeypatch.setattr(
        pay_flow.NotEnoughSessionsDialog,
        "tell",
        classmethod(lambda cls, parent, error: told.append(error)),
    )
    qtbot.mouseClick(page.register_button, LEFT)
    assert (told[0].requested, told[0].available) == (2, 1)
    assert not any(r.paid for r in page.model.rows())
    assert packages.summary(pkg).sessions_left == 1
    assert [h.kind for h in packages.history(pkg)] == ["criado"]


def test_sessions_of_two_patients_cannot_share_a_package(
    page, qtbot, monkeypatch, dialogs, patient, service, make_session
):
    package(patient)
    mine = make_session(1, 10)
    theirs = agenda.schedule(clinic.add_patient("Bruno Lima"), service, mine.starts_at)
    april(page)
    select_rows(qtbot, page, [mine.id, theirs.id])
    dialogs.answers = [SELECT_PACKAGE]
    refuse(monkeypatch, ChoosePackageDialog, "ask")
    qtbot.mouseClick(page.register_button, LEFT)
    assert "mais de um paciente" in dialogs.told[-1][1]
    assert not any(r.paid for r in page.model.rows())


def test_pular_pays_all_selected_by_hand(
    page, qtbot, monkeypatch, dialogs, patient, service, make_session
):
    pkg = package(patient)
    mine = make_session(1, 10)
    theirs = agenda.schedule(clinic.add_patient("Bruno Lima"), service, mine.starts_at)
    april(page)
    select_rows(qtbot, page, [mine.id, theirs.id])
    dialogs.answers = [PULAR]
    manual = patch_manual_payment(monkeypatch, qtbot, "Transferência", day=date(2025, 4, 5))
    qtbot.mouseClick(page.register_button, LEFT)
    assert manual[0].amount.text() == "R$ 500,00"
    rows = page.model.rows()
    assert {(r.paid, r.payment_method, r.payment_date) for r in rows} == {
        (True, "transferencia", date(2025, 4, 5))
    }
    assert packages.summary(pkg).sessions_left == 4


def test_a_paid_session_in_the_selection_is_refused(page, qtbot, dialogs, patient, make_session):
    paid, open_ = make_session(1, 10), make_session(2, 10)
    payments.pay_manually([paid], method="pix", paid_on=date(2025, 4, 1))
    april(page)
    select_rows(qtbot, page, [paid.id, open_.id])
    qtbot.mouseClick(page.register_button, LEFT)
    assert "já pagas (01/04 10:00)" in dialogs.told[-1][1]
    assert not dialogs.asked


def test_nothing_selected_is_told(page, qtbot, dialogs, make_session):
    make_session(1, 10)
    april(page)
    qtbot.mouseClick(page.register_button, LEFT)
    assert "Selecione" in dialogs.told[-1][1]


def test_no_package_to_select_is_told(page, qtbot, monkeypatch, dialogs, patient, make_session):
    session = make_session(1, 10)
    april(page)
    select_rows(qtbot, page, [session.id])
    dialogs.answers = [SELECT_PACKAGE]
    refuse(monkeypatch, ChoosePackageDialog, "ask")
    qtbot.mouseClick(page.register_button, LEFT)
    assert "não tem pacote ativo" in dialogs.told[-1][1]


def test_double_click_opens_the_session(page, qtbot, monkeypatch, make_session):
    session = make_session(1, 10)
    april(page)
    opened = []
    monkeypatch.setattr(
        SessionDetailDialog,
        "show_for",
        classmethod(lambda cls, parent, session_id: opened.append(session_id) or False),
    )
    rect = page.table.visualRect(page.model.index(0, 1))
    qtbot.mouseClick(page.table.viewport(), LEFT, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), LEFT, pos=rect.center())
    assert opened == [session.id]


def test_keyboard_selection_and_ctrl_r(page, qtbot, monkeypatch, dialogs, patient, make_session):
    session = make_session(1, 10)
    april(page)
    page.table.setFocus()
    page.table.selectionModel().setCurrentIndex(
        page.model.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    dialogs.answers = [PULAR]
    patch_manual_payment(monkeypatch, qtbot, "Pix", day=date(2025, 4, 1))
    qtbot.keyClick(page.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert payments.payment_info(session.id).text == "Pix — R$ 250,00 em 01/04/2025"
