"""The package form (manual 1 and 5): the live price per session, money as people type
it, inline Portuguese errors, and editing (status, refused changes, expected version)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from r3izzy_desktop.core import clock, packages
from r3izzy_desktop.core.packages import MAX_NOTES
from r3izzy_desktop.ui.packages.form import PackageFormDialog, price_preview


def open_form(qtbot, patient, package=None) -> PackageFormDialog:
    dialog = PackageFormDialog(patient.id, package.id if package is not None else None)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_fields_and_defaults_are_the_manuals(qtbot, patient):
    with clock.frozen(datetime(2025, 7, 3, 9, 0)):
        dialog = open_form(qtbot, patient)
    titles = [f.title.text() for f in dialog.fields.values() if f.isVisibleTo(dialog)]
    assert titles == [
        "Data de Criação/Pgto.",
        "Número total de sessões",
        "Total pago",
        "Preço por sessão",
        "Validade",
        "Serviços",
        "Compartilhar com",
        "Observações (opcional)",
    ]
    assert dialog.paid_on.date() == QDate(2025, 7, 3)
    assert dialog.paid_on.displayFormat() == "dd/MM/yyyy"
    assert dialog.paid_on.calendarPopup()
    assert dialog.price.isReadOnly() and dialog.price.text() == "—"
    assert (dialog.back_button.text(), dialog.save_button.text()) == ("← Voltar", "Criar pacote")


def test_price_per_session_is_live_and_never_nan(qtbot, patient):
    dialog = open_form(qtbot, patient)
    shown = []
    for widget, text in (
        (dialog.sessions, "3"),
        (dialog.total, "1.000"),
        (dialog.total, ",5"),
    ):
        qtbot.keyClicks(widget, text)
        shown.append(dialog.price.text())
    assert shown == ["—", "R$ 333,33", "R$ 333,50"]
    dialog.sessions.clear()
    assert dialog.price.text() == "—"
    qtbot.keyClicks(dialog.sessions, "0")
    assert dialog.price.text() == "—"
    dialog.sessions.clear()
    qtbot.keyClicks(dialog.sessions, "4")
    dialog.total.clear()
    qtbot.keyClicks(dialog.total, "abc")
    assert dialog.price.text() == "—"
    assert "NaN" not in shown


@pytest.mark.parametrize(
    ("typed", "sessions", "expected"),
    [("R$ 10", 1, "10.00"), ("1000,5", 2, "1000.50"), ("1.000,50", 4, "1000.50")],
)
def test_money_as_people_type_it(qtbot, patient, typed, sessions, expected):
    dialog = open_form(qtbot, patient)
    qtbot.keyClicks(dialog.sessions, str(sessions))
    qtbot.keyClicks(dialog.total, typed)
    save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    [summary] = packages.list_packages(patient)
    assert (summary.total, summary.sessions_total) == (Decimal(expected), sessions)


def test_errors_show_under_their_field_and_nothing_is_saved(qtbot, patient):
    dialog = open_form(qtbot, patient)
    save(qtbot, dialog)
    assert "Número total de sessões" in dialog.fields["sessions"].error()
    qtbot.keyClicks(dialog.sessions, "5")
    dialog.total.setText("10,555")
    save(qtbot, dialog)
    assert dialog.fields["sessions"].error() == ""
    assert "mais de duas casas decimais" in dialog.fields["total"].error()
    dialog.total.setText("0")
    save(qtbot, dialog)
    assert dialog.fields["total"].error() == "Total pago: informe um valor maior que zero."
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert packages.list_packages(patient) == []


def test_chosen_payment_date_and_notes_are_saved(qtbot, patient):
    dialog = open_form(qtbot, patient)
    dialog.paid_on.setDate(QDate(2025, 5, 2))
    qtbot.keyClicks(dialog.sessions, "4")
    qtbot.keyClicks(dialog.total, "1000")
    qtbot.keyClicks(dialog.notes, "Pix")
    save(qtbot, dialog)
    [summary] = packages.list_packages(patient)
    assert (summary.paid_on, summary.notes) == (date(2025, 5, 2), "Pix")


def test_escape_is_voltar(qtbot, patient):
    dialog = open_form(qtbot, patient)
    qtbot.keyClicks(dialog.sessions, "4")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert packages.list_packages(patient) == []


@pytest.fixture
def used_package(patient, make_session):
    """4 sessions for R$ 1.000,00 with two of them paid."""
    pkg = packages.create_package(patient, 4, Decimal("1000.00"), paid_on=date(2025, 5, 2))
    packages.pay_sessions(pkg, [make_session(1, 10), make_session(4, 9)])
    return pkg


def test_edit_shows_the_figures_and_the_status(qtbot, patient, used_package):
    dialog = open_form(qtbot, patient, used_package)
    assert dialog.windowTitle() == "Editar pacote"
    assert dialog.save_button.text() == "Salvar alterações"
    assert (dialog.sessions.text(), dialog.total.text(), dialog.price.text()) == (
        "4",
        "1.000,00",
        "R$ 250,00",
    )
    assert dialog.fields["status"].isVisibleTo(dialog)
    statuses = [dialog.status.itemText(i) for i in range(dialog.status.count())]
    assert statuses == ["ativo", "inativo", "finalizado"]
    assert not dialog.status.model().item(2).isEnabled()  # finalizado: shown, not chosen


def test_edit_below_used_is_refused_with_the_core_message(qtbot, patient, used_package):
    dialog = open_form(qtbot, patient, used_package)
    dialog.sessions.clear()
    qtbot.keyClicks(dialog.sessions, "1")
    save(qtbot, dialog)
    message = dialog.fields["sessions"].error()
    assert "não pode ser menor que 2" in message
    assert dialog.result() != QDialog.DialogCode.Accepted
    summary = packages.summary(used_package)
    assert (summary.sessions_total, summary.sessions_used) == (4, 2)
    assert [line.kind for line in packages.history(used_package)][-1] == "sessão debitada"


def test_edit_status_and_sessions_writes_one_history_line(qtbot, patient, used_package):
    dialog = open_form(qtbot, patient, used_package)
    dialog.status.setCurrentText("inativo")
    dialog.sessions.clear()
    qtbot.keyClicks(dialog.sessions, "5")
    assert dialog.price.text() == "R$ 200,00"
    save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    summary = packages.summary(used_package)
    assert (summary.status, summary.sessions_total, summary.sessions_left) == ("inativo", 5, 3)
    last = packages.history(used_package)[-1]
    assert last.note == "Pacote alterado: status: inativo, sessões: 5,"


def test_edit_changed_elsewhere_is_refused(qtbot, dialogs, patient, used_package):
    dialog = open_form(qtbot, patient, used_package)
    packages.edit_package(used_package, notes="mudado em outro PC")
    dialog.sessions.clear()
    qtbot.keyClicks(dialog.sessions, "6")
    save(qtbot, dialog)
    assert "alterado em outro computador" in dialogs.told[-1][1]
    assert packages.summary(used_package).sessions_total == 4


def test_price_preview_function():
    assert price_preview("", Decimal("100")) == "—"
    assert price_preview("3", None) == "—"
    assert price_preview("1000", Decimal("100")) == "—"
    assert price_preview("3", Decimal("1000.00")) == "R$ 333,33"


def test_notes_too_long_show_the_core_message_under_observacoes(qtbot, patient):
    dialog = open_form(qtbot, patient)
    qtbot.keyClicks(dialog.sessions, "4")
    qtbot.keyClicks(dialog.total, "1000")
    dialog.notes.setPlainText("x" * (MAX_NOTES + 1))
    save(qtbot, dialog)
    assert dialog.fields["notes"].error() == f"Observações: no máximo {MAX_NOTES} caracteres."
    assert packages.list_packages(patient) == []
    # The core counts what it keeps: the spaces around the text are not stored.
    dialog.notes.setPlainText(" " + "x" * MAX_NOTES + "\n")
    save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert packages.summary(dialog.saved_id).notes == "x" * MAX_NOTES
