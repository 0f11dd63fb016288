"""R21 on the screens: Gestão Financeira › Recibos (the year's receipts, search, reprint,
Excel, the annual statements), the receipt from the session detail, Receitas and the package
card, the patient form's financial responsible, the professional's council and the
clinic's city in Configurações. Rendered at 1366×768 (and 1024×600) to look at."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from r3izzy_desktop.core import agenda, clinic, clock, packages, payments, receipts
from r3izzy_desktop.ui.common import exports
from r3izzy_desktop.ui.common.column_widths import STRETCH_SAMPLE
from r3izzy_desktop.ui.receipts import dialog as receipt_dialog
from r3izzy_desktop.ui.receipts import loading as receipts_loading
from r3izzy_desktop.ui.receipts import window as receipts_window
from r3izzy_desktop.ui.receipts.dialog import DocumentDialog
from r3izzy_desktop.ui.receipts.window import ReceiptsWindow

D = Decimal
MOTHER_CPF = "52998224725"
SHOTS = Path("/tmp/r3izzy-shots")


def shoot(widget, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


@pytest.fixture
def year_of_receipts(db):
    with clock.frozen(datetime(2026, 3, 10, 9, 0)):
        clinic.set_clinic_info(
            name="Clínica Movimento", document="11.222.333/0001-81", city="Campinas - SP"
        )
        pedro = clinic.add_patient("Pedro Souza", guardian="Ana Souza", payer_cpf=MOTHER_CPF)
        bruno = clinic.add_patient("Bruno Lima", cpf="39053344705")
        svc = clinic.add_service("Método Bobath", price=D("250.00"))
        pro = clinic.add_professional("Dra. Luíza Reis", council="CREFITO-3 12345-F")
        pkg = packages.create_package(pedro, 5, D("1000.00"), date(2026, 3, 1), method="pix")
        s = [
            agenda.schedule(bruno, svc, datetime(2026, 3, d, 10), professional=pro) for d in (2, 3)
        ]
        payments.pay_manually(s, method="dinheiro", paid_on=date(2026, 3, 3))
        payments.void_payment(s[0])
    return {"pedro": pedro, "bruno": bruno, "pkg": pkg, "sessions": s, "svc": svc}


def open_window(qtbot) -> ReceiptsWindow:
    window = ReceiptsWindow(year=2026)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def test_the_years_receipts_searchable_and_reprinted(qtbot, qtmodeltester, year_of_receipts):
    window = open_window(qtbot)
    qtmodeltester.check(window.model)
    rows = window.model.rows()
    assert [(r.number, r.payer_name, r.cancelled) for r in rows] == [
        (1, "Ana Souza", False),
        (2, "Bruno Lima", True),
        (3, "Bruno Lima", False),
    ]
    cell = window.model.index(1, 8)
    assert window.model.data(cell) == "Cancelado"
    assert "1.250,00" in window.summary.text() and "1 cancelados" in window.summary.text()
    qtbot.wait(50)  # the name columns take the width left, once laid out
    table = window.table
    widths = [table.columnWidth(c) for c in range(window.model.columnCount())]
    least = table.fontMetrics().horizontalAdvance(STRETCH_SAMPLE)
    assert abs(widths[2] - widths[4]) <= 1 and widths[2] > least  # payer, patient: shared
    assert table.viewport().width() - 10 <= sum(widths) <= table.viewport().width()
    shoot(window, "recibos-1366x768")
    qtbot.keyClicks(window.search, "ana")
    qtbot.waitUntil(lambda: len(window.model.rows()) == 1)
    assert window.model.rows()[0].patient_name == "Pedro Souza"
    dialog = window.open_selected()
    assert isinstance(dialog, DocumentDialog) and dialog.printable.title == "Recibo No. 1"
    assert "mil reais" in dialog.printable.html
    qtbot.addWidget(dialog)
    dialog.resize(1024, 600)
    shoot(dialog, "recibo-previa-1024x600")
    window.search.clear()
    qtbot.keyClicks(window.search, "390.533")
    qtbot.waitUntil(lambda: len(window.model.rows()) == 2)
    window.resize(1024, 600)
    qtbot.wait(50)
    shoot(window, "recibos-1024x600")


def test_every_payment_method_is_read_whole_in_its_column(qtbot, year_of_receipts):
    """The Forma column is as wide as the longest method ("Cartão de crédito"), never cut
    to "Cartão de cr…" while the name columns have room."""
    with clock.frozen(datetime(2026, 3, 12, 9, 0)):
        card = agenda.schedule(
            year_of_receipts["bruno"], year_of_receipts["svc"], datetime(2026, 3, 12, 10)
        )
        payments.pay_manually([card], method="cartao_credito", paid_on=date(2026, 3, 12))
    window = open_window(qtbot)
    qtbot.wait(50)
    row = next(i for i, r in enumerate(window.model.rows()) if r.number == 4)
    text = window.model.data(window.model.index(row, 6))
    assert text == "Cartão de crédito"
    assert window.table.columnWidth(6) >= window.table.sizeHintForColumn(6)  # its widest cell


def test_a_busy_year_shows_its_first_receipts_and_summary_then_every_one(
    qtbot, year_of_receipts, monkeypatch
):
    """Beyond SYNC_ROWS receipts the window opens on the first ones and the exact summary;
    the rest, and a search, come from the background (the rows on screen stay meanwhile)."""
    monkeypatch.setattr(receipts_loading, "SYNC_ROWS", 2)
    monkeypatch.setattr(receipts_loading, "PREVIEW_ROWS", 1)
    window = open_window(qtbot)
    assert [r.number for r in window.model.rows()] == [1]
    assert window.rows_shown() and window.is_loading()
    assert window.loading_label.isVisibleTo(window)
    assert "3 recibos" in window.summary.text() and "1.250,00" in window.summary.text()
    qtbot.waitUntil(lambda: not window.is_loading())
    assert [r.number for r in window.model.rows()] == [1, 2, 3]
    assert not window.loading_label.isVisibleTo(window)
    window.table.selectRow(2)
    window.search.setText("bruno")
    window.load()  # what the search's timer calls
    assert [r.number for r in window.model.rows()] == [1, 2, 3]  # until the search's result
    assert window.summary.text() == "Buscando…"
    qtbot.waitUntil(lambda: not window.is_loading())
    assert [r.number for r in window.model.rows()] == [2, 3]
    assert window.selected().number == 3  # the selected receipt stays selected
    assert "2 recibos" in window.summary.text() and "1 cancelados" in window.summary.text()


def test_reprint_saves_the_pdf(qtbot, year_of_receipts, monkeypatch, tmp_path, dialogs):
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(exports, "ask_save_path", lambda parent, name, **kw: out / name)
    window = open_window(qtbot)
    window.table.selectRow(1)
    dialog = window.open_selected()
    qtbot.addWidget(dialog)
    assert dialog.printable.cancelled
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_path == out / "recibo-2-bruno-lima.pdf"
    assert dialog.saved_path.read_bytes().startswith(b"%PDF")
    assert dialogs.told[-1][0] == "Documento salvo"


def test_export_to_excel_for_the_accountant(qtbot, year_of_receipts, monkeypatch, tmp_path):
    target = tmp_path / "recibos.xlsx"
    monkeypatch.setattr(exports, "ask_save_path", lambda parent, name, **kw: target)
    window = open_window(qtbot)
    run = window.export_excel()
    with qtbot.waitSignal(run.finished, timeout=30000):
        pass
    sheet = openpyxl.load_workbook(target).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4, max_row=7)]
    assert values[0][:10] == [
        "Número",
        "Data",
        "Pagador",
        "CPF do pagador",
        "Paciente",
        "CPF do paciente",
        "Valor",
        "Forma de pagamento",
        "Origem",
        "Cancelado",
    ]
    assert values[1][:4] == [1, datetime(2026, 3, 1), "Ana Souza", "529.982.247-25"]
    assert values[1][6] == 1000 and values[2][9] == "sim" and values[3][9] == "não"


def test_the_annual_statement_of_one_payer_and_of_all(
    qtbot, year_of_receipts, monkeypatch, tmp_path, dialogs
):
    window = open_window(qtbot)
    window.table.selectRow(0)
    dialog = window.statement_of_selected()
    qtbot.addWidget(dialog)
    assert "Ana Souza" in dialog.printable.title
    assert "R$ 1.000,00" in dialog.printable.html
    folder = tmp_path / "declaracoes"
    monkeypatch.setattr(receipts_window, "ask_folder", lambda parent, title: folder)
    files = window.all_statements()
    assert [f.name for f in files] == [
        "declaracao-2026-ana-souza-52998224725.pdf",
        "declaracao-2026-bruno-lima-39053344705.pdf",
    ]
    assert "2 declarações de 2026" in dialogs.told[-1][1]


def test_the_finance_page_opens_the_receipts(qtbot, year_of_receipts):
    from r3izzy_desktop.ui.finance.page import FinancePage

    page = FinancePage()
    qtbot.addWidget(page)
    qtbot.mouseClick(page.receipts_button, Qt.MouseButton.LeftButton)
    window = page._receipts_window
    assert isinstance(window, ReceiptsWindow) and window.isVisible()
    assert page.open_receipts() is window  # brought forward, not a second one
    window.close()


def test_the_receipt_from_the_session_detail(qtbot, year_of_receipts):
    from r3izzy_desktop.ui.agenda.session_detail import SessionDetailDialog

    paid = year_of_receipts["sessions"][1]
    detail = SessionDetailDialog(None, paid.id)
    qtbot.addWidget(detail)
    detail.show()
    assert detail.receipt_button.isVisibleTo(detail)
    qtbot.mouseClick(detail.receipt_button, Qt.MouseButton.LeftButton)
    [dialog] = detail.findChildren(DocumentDialog)
    assert dialog.printable.title == "Recibo No. 3"
    assert "CREFITO-3 12345-F" in dialog.printable.html
    unpaid = year_of_receipts["sessions"][0]
    other = SessionDetailDialog(None, unpaid.id)
    qtbot.addWidget(other)
    other.show()
    assert not other.receipt_button.isVisibleTo(other)


def test_the_receipt_of_a_session_paid_by_a_package_with_several(
    qtbot, year_of_receipts, monkeypatch
):
    pedro, svc = year_of_receipts["pedro"], year_of_receipts["svc"]
    plan = packages.split_installments(D("600.00"), 2, date(2026, 3, 1))
    pkg = packages.create_package(pedro, 2, D("600.00"), date(2026, 3, 1), installments=plan)
    packages.receive_installment(pkg, 1, method="pix", received_on=date(2026, 3, 1))
    packages.receive_installment(pkg, 2, method="pix", received_on=date(2026, 3, 2))
    s = agenda.schedule(pedro, svc, datetime(2026, 3, 4, 10), price=D("300.00"))
    packages.pay_sessions(pkg, [s])
    asked = []

    def choose(parent, rows):
        asked.append([r.number for r in rows])
        return rows[0]

    monkeypatch.setattr(receipt_dialog, "choose_receipt", choose)
    dialog = receipt_dialog.open_session_receipt(None, s.id)
    qtbot.addWidget(dialog)
    assert asked == [[4, 5]] and dialog.printable.title == "Recibo No. 4"
    # An installment just received: its own receipt.
    one = receipt_dialog.open_installment_receipt(None, pkg.id, 2)
    qtbot.addWidget(one)
    assert one.printable.title == "Recibo No. 5"


def test_the_receipt_from_receitas(qtbot, year_of_receipts):
    from r3izzy_desktop.ui.receitas.page import ReceitasPage

    page = ReceitasPage()
    qtbot.addWidget(page)
    page.set_period(date(2026, 3, 1), date(2026, 3, 31))
    qtbot.waitUntil(lambda: len(page.model.rows()) == 2, timeout=10000)
    paid = year_of_receipts["sessions"][1]
    page.select_sessions([paid.id])
    assert page.receipt_button.isEnabled()
    qtbot.mouseClick(page.receipt_button, Qt.MouseButton.LeftButton)
    [dialog] = page.findChildren(DocumentDialog)
    assert dialog.printable.title == "Recibo No. 3"
    page.select_sessions([year_of_receipts["sessions"][0].id])
    assert not page.receipt_button.isEnabled()


def test_the_patient_form_has_the_financial_responsible(qtbot, db):
    from r3izzy_desktop.ui.patients.form import PatientFormDialog

    form = PatientFormDialog()
    qtbot.addWidget(form)
    form.show()
    qtbot.keyClicks(form.name, "Pedro Souza")
    qtbot.keyClicks(form.guardian, "Ana Souza")
    assert form.payer_name.placeholderText() == "Padrão: Ana Souza"
    qtbot.keyClicks(form.payer_cpf, "529.982.247-24")
    form.payer_cpf.editingFinished.emit()
    assert "CPF do responsável financeiro inválido" in form.fields["payer_cpf"].error()
    form.payer_cpf.clear()
    qtbot.keyClicks(form.payer_cpf, "529.982.247-25")
    form.resize(form.sizeHint())
    shoot(form, "paciente-responsavel-financeiro")
    assert form.height() <= 600
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.result() == QDialog.DialogCode.Accepted
    saved = clinic.get_patient(form.saved_id)
    assert (saved.payer_name, saved.payer_cpf) == ("Ana Souza", MOTHER_CPF)
    # Opened again: the default payer shows empty (it follows the guardian), the CPF typed.
    again = PatientFormDialog(saved.id)
    qtbot.addWidget(again)
    assert again.payer_name.text() == "" and again.payer_cpf.text() == "529.982.247-25"
    qtbot.keyClicks(again.payer_name, "Carlos Souza")
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    assert clinic.get_patient(saved.id).payer_name == "Carlos Souza"


def test_the_council_and_the_city_in_configuracoes(qtbot, db):
    from r3izzy_desktop.ui.settings.catalog_tabs import ProfessionalsTab
    from r3izzy_desktop.ui.settings.clinic_tab import ClinicTab

    tab = ProfessionalsTab()
    qtbot.addWidget(tab)
    tab.show()
    qtbot.keyClicks(tab.name, "Dra. Camila")
    qtbot.keyClicks(tab.council, "CREFITO-3 12345-F")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    [pro] = clinic.list_professionals()
    assert pro.council == "CREFITO-3 12345-F"
    assert "CREFITO-3 12345-F" in [tab.model.data(tab.model.index(0, c)) for c in range(3)]
    tab.resize(1366, 700)
    shoot(tab, "profissionais-conselho")
    clinic_tab = ClinicTab()
    qtbot.addWidget(clinic_tab)
    clinic_tab.show()
    qtbot.keyClicks(clinic_tab.name, "Clinica")
    qtbot.keyClicks(clinic_tab.city, "Campinas - SP")
    qtbot.mouseClick(clinic_tab.save_button, Qt.MouseButton.LeftButton)
    assert clinic.clinic_info().city == "Campinas - SP"
    clinic_tab.resize(1366, 700)
    shoot(clinic_tab, "clinica-cidade")
    assert receipts.city_date(clinic.clinic_info().city, date(2026, 3, 1)) == (
        "Campinas - SP, 1 de março de 2026"
    )


def test_after_receiving_an_installment_its_receipt_is_a_click_away(qtbot, db):
    from r3izzy_desktop.ui.packages.installments_dialog import InstallmentsDialog

    child = clinic.add_patient("Pedro Souza", guardian="Ana Souza")
    plan = packages.split_installments(D("900.00"), 3, date(2026, 3, 1))
    pkg = packages.create_package(child, 3, D("900.00"), date(2026, 3, 1), installments=plan)
    installments = InstallmentsDialog(pkg.id)
    qtbot.addWidget(installments)
    installments.show()
    assert not installments.receipt_button.isEnabled()
    installments.received_on.setText("05/03/2026")
    qtbot.mouseClick(installments.receive_button, Qt.MouseButton.LeftButton)
    assert installments.receipt_button.isEnabled()  # the one just received is selected
    dialog = installments.open_receipt()
    qtbot.addWidget(dialog)
    assert dialog.printable.title == "Recibo No. 1"
    assert "Parcela 1/3 do pacote No." in dialog.printable.html
    assert "R$ 300,00" in dialog.printable.html
