"""Encerrar pacote (R19) on screen: the dialog's preview with both proposals, the amount,
the method and the reason, the confirmation, a refusal said where it belongs; the card's
button and the statement (Termo de encerramento) that follows, its PDF read back with
pypdf; the form of a closed package (only the notes). Dialogs through their seams."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pypdf
import pytest
from PySide6.QtCore import Qt

from r3izzy_desktop.core import clinic, packages, reports
from r3izzy_desktop.ui.common import exports
from r3izzy_desktop.ui.packages import closing_statement, receipt
from r3izzy_desktop.ui.packages.closing import MAX_HEIGHT, ClosingDialog
from r3izzy_desktop.ui.packages.closing_statement import ClosingStatementDialog
from r3izzy_desktop.ui.packages.form import PackageFormDialog
from r3izzy_desktop.ui.packages.list_page import PackageListPage
from tests.helpers.snapshot import db_snapshot

D = Decimal


@pytest.fixture
def used(db, patient, service, make_session):
    """4 sessions for 1.000,00, two debited at 250,00; the list price then 300,00."""
    clinic.update_patient(patient, guardian="Cláudia Souza")
    clinic.set_clinic_info(name="Clínica Movimento", document="12.345.678/0001-95")
    pkg = packages.create_package(patient, 4, D("1000.00"), paid_on=date(2025, 3, 1))
    packages.pay_sessions(pkg, [make_session(1, 10), make_session(2, 10)])
    clinic.update_service(service, price=D("300.00"))
    return pkg


def open_dialog(qtbot, pkg) -> ClosingDialog:
    dialog = ClosingDialog(pkg.id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def last_note(pkg) -> str:
    return packages.history(pkg)[-1].note


def test_the_preview_shows_both_proposals_side_by_side(qtbot, used):
    dialog = open_dialog(qtbot, used)
    assert dialog.pro_rata.figure.text() == "R$ 500,00"
    assert dialog.list_price.figure.text() == "R$ 400,00"
    assert dialog.pro_rata.y() == dialog.list_price.y()  # side by side
    assert dialog.pro_rata.x() < dialog.list_price.x()
    assert dialog.figure_labels["Usado"].text() == "2 sessões · R$ 500,00"
    # Prefilled with the proportional one.
    assert dialog.refund.text() == "500,00"
    assert dialog.pro_rata.use_button.isChecked()
    assert not dialog.list_price.use_button.isChecked()
    assert dialog.retained.text() == "A clínica retém R$ 0,00."
    qtbot.mouseClick(dialog.list_price.use_button, Qt.MouseButton.LeftButton)
    assert dialog.refund.text() == "400,00"
    assert dialog.list_price.use_button.isChecked() and not dialog.pro_rata.use_button.isChecked()
    assert dialog.retained.text() == "A clínica retém R$ 100,00."


def test_it_fits_a_small_screen(qtbot, used):
    dialog = open_dialog(qtbot, used)
    assert dialog.height() <= max(MAX_HEIGHT, dialog.screen().availableGeometry().height() - 40)
    assert dialog.width() <= 1024


def test_closing_with_a_typed_amount(qtbot, used, dialogs):
    dialog = open_dialog(qtbot, used)
    dialog.refund.clear()
    qtbot.keyClicks(dialog.refund, "300,00")
    assert not dialog.pro_rata.use_button.isChecked()
    assert dialog.retained.text() == "A clínica retém R$ 200,00."
    qtbot.mouseClick(dialog.method_buttons["dinheiro"], Qt.MouseButton.LeftButton)
    dialog.reason.setText("mudança de cidade")  # keyClicks types ASCII only
    dialogs.answers = [True]
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert dialog.closed and dialog.result() == ClosingDialog.DialogCode.Accepted
    assert "devolvendo R$ 300,00 (Dinheiro)" in dialogs.asked[0][1]
    assert last_note(used) == (
        "Pacote encerrado: devolvido R$ 300,00 (Dinheiro), retido R$ 200,00. "
        "Motivo: mudança de cidade"
    )
    assert packages.summary(used).status == "encerrado"


def test_nothing_given_back_needs_no_method(qtbot, used, dialogs):
    dialog = open_dialog(qtbot, used)
    dialog.refund.setText("0,00")
    assert not dialog.method_buttons["pix"].isEnabled()
    assert dialog.method() is None
    dialogs.answers = [True]
    dialog.accept()
    assert last_note(used).startswith("Pacote encerrado: devolvido R$ 0,00, retido R$ 500,00.")


def test_cancelling_the_confirmation_changes_nothing(qtbot, used, dialogs):
    dialog = open_dialog(qtbot, used)
    before = db_snapshot()
    dialogs.answers = [False]
    dialog.accept()
    assert not dialog.closed and dialog.isVisible()
    assert db_snapshot() == before


def test_too_much_is_said_under_the_amount(qtbot, used, dialogs):
    dialog = open_dialog(qtbot, used)
    dialog.refund.setText("500,01")
    assert dialog.refund_field.error() == "No máximo R$ 500,00."
    before = db_snapshot()
    dialogs.answers = [True]
    dialog.accept()
    assert not dialog.closed and dialog.isVisible()
    assert "no máximo R$ 500,00" in dialog.refund_field.error()
    assert db_snapshot() == before and not dialogs.told


def test_an_empty_amount_is_asked_for(qtbot, used, dialogs):
    dialog = open_dialog(qtbot, used)
    dialog.refund.clear()
    dialog.accept()  # no confirmation asked: nothing to confirm
    assert "Informe o valor a devolver" in dialog.refund_field.error()
    assert not dialog.closed


@pytest.fixture
def page(qtbot, patient):
    widget = PackageListPage()
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    widget.show_patient(patient.id)
    return widget


def test_the_card_closes_and_offers_the_statement(qtbot, monkeypatch, page, used, patient):
    page.reload()  # the package was made after the page
    card = page.card_for(used.id)
    assert card.close_button.isVisibleTo(card) and card.close_button.text() == "Encerrar pacote"
    asked = []

    def fake_ask(parent, package_id, *, expected_version=None):
        asked.append((package_id, expected_version))
        packages.close_package(package_id, refund=D("300.00"), method="pix", reason="alta")
        return True

    monkeypatch.setattr(ClosingDialog, "ask", fake_ask)
    qtbot.mouseClick(card.close_button, Qt.MouseButton.LeftButton)
    assert asked == [(used.id, card.summary.version)]
    statement = page.findChild(ClosingStatementDialog)
    assert statement is not None and statement.isVisible()
    assert statement.statement.refunded == D("300.00")
    card = page.card_for(used.id)
    assert card.badge.text() == "encerrado"
    assert card.close_button.text() == "Termo de encerramento"
    assert not card.pay_button.isEnabled()


def test_a_card_that_cannot_close_has_no_button(qtbot, page, patient, make_session):
    done = packages.create_package(patient, 1, D("250.00"))
    packages.pay_sessions(done, [make_session(9, 10)])
    page.reload()
    card = page.card_for(done.id)
    assert not card.close_button.isVisibleTo(card)


@pytest.fixture
def closed(used):
    packages.close_package(used, refund=D("300.00"), method="pix", reason="mudança de cidade")
    return used


def pdf_text(path) -> str:
    reader = pypdf.PdfReader(str(path))
    assert len(reader.pages) == 1
    return re.sub(r"\s+", " ", reader.pages[0].extract_text())


def test_the_statement_pdf_says_what_was_bought_used_and_given_back(
    qtbot, closed, monkeypatch, tmp_path, dialogs
):
    monkeypatch.setattr(exports, "ask_save_path", lambda parent, name, **kw: tmp_path / name)
    dialog = ClosingStatementDialog(reports.closing_statement(closed.id))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    path = tmp_path / f"encerramento-pacote-{closed.number}-ana-souza.pdf"
    assert dialog.saved_path == path and path.read_bytes().startswith(b"%PDF")
    text = pdf_text(path)
    for words in (
        "TERMO DE ENCERRAMENTO",
        "4 sessões por R$ 1.000,00",
        "2 sessões — R$ 500,00",
        "Recebido R$ 1.000,00",
        "R$ 300,00 (trezentos reais) — Pix",
        "Retido pela clínica R$ 200,00",
        "mudança de cidade",
        "Clínica Movimento",
        "Cláudia Souza",
    ):
        assert words in text, words
    assert dialogs.told and "foi salvo" in dialogs.told[0][1]
    assert dialogs.saved == [path]  # offered to open it or its folder


def test_the_statement_prints_through_the_printer_seam(qtbot, closed, monkeypatch, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    target = tmp_path / "impresso.pdf"

    def fake_printer(parent):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return printer

    monkeypatch.setattr(receipt, "ask_printer", fake_printer)
    dialog = closing_statement.open_statement(None, closed.id)
    qtbot.addWidget(dialog)
    assert dialog.print_statement()
    assert "trezentos reais" in pdf_text(target)


def test_no_statement_for_a_package_still_open(qtbot, used, dialogs):
    assert closing_statement.open_statement(None, used.id) is None
    assert "não está encerrado" in dialogs.told[0][1]


def test_the_form_of_a_closed_package_changes_only_its_notes(qtbot, closed, patient):
    dialog = PackageFormDialog(patient.id, closed.id)
    qtbot.addWidget(dialog)
    dialog.show()
    enabled = {name for name, field in dialog.fields.items() if field.isEnabled()}
    assert enabled == {"notes"}
    assert dialog.status.currentData() == "encerrado"
    assert not dialog.transfer_button.isEnabled()
    dialog.notes.setPlainText("devolvido por Pix")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == PackageFormDialog.DialogCode.Accepted
    assert last_note(closed) == "Pacote alterado: observações: devolvido por Pix,"


def test_shots(qtbot, used, tmp_path):
    """Rendered for a person to look at (the PNGs stay in the test's folder)."""
    dialog = open_dialog(qtbot, used)
    assert not dialog.grab().isNull()
    packages.close_package(used, refund=D("100.00"), method="pix")
    image = closing_statement.statement_image(reports.closing_statement(used.id))
    assert (image.width(), image.height()) == (794, 1123)
    assert image.save(str(tmp_path / "termo.png"))


def test_a_list_price_proposal_above_the_refundable_cannot_be_chosen(
    qtbot, db, patient, service, make_session
):
    """Sessions used below the list price: the list-price proposal (R19's figure) is above
    what may be given back, so it is shown with the limit and its button is off."""
    pkg = packages.create_package(patient, 4, D("1000.00"), paid_on=date(2025, 3, 1))
    packages.pay_sessions(pkg, [make_session(1, 10)])  # 250,00 debited
    clinic.update_service(service, price=D("100.00"))  # list price 100,00: 900,00 back
    dialog = open_dialog(qtbot, pkg)
    assert dialog.list_price.figure.text() == "R$ 900,00"
    assert dialog.pro_rata.figure.text() == "R$ 750,00"
    assert not dialog.list_price.use_button.isEnabled()
    assert dialog.pro_rata.use_button.isEnabled()
    texts = [w.text() for w in dialog.list_price.findChildren(type(dialog.list_price.figure))]
    assert "Acima do que pode ser devolvido (no máximo R$ 750,00)." in texts
