"""The package form's terms (R15-R17): Validade (the clinic's default, "Sem validade", a
day), Serviços (all or the ones ticked), Compartilhar com (search and tick), and
"Transferir…" when editing; and the form fits a 1366×768 screen."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from r3izzy_desktop.core import clinic, clock, packages
from r3izzy_desktop.ui.packages import form as form_module
from r3izzy_desktop.ui.packages.form import MAX_HEIGHT, PackageFormDialog
from r3izzy_desktop.ui.packages.transfer import TransferDialog

D = Decimal


@pytest.fixture
def family(db, patient, service):
    return {
        "ana": patient,
        "pedro": clinic.add_patient("Pedro Souza"),
        "maria": clinic.add_patient("Maria Souza"),
        "bobath": service,
        "therasuite": clinic.add_service("Método Therasuite", price=D("300.00")),
    }


def open_form(qtbot, patient_id, package_id=None) -> PackageFormDialog:
    dialog = PackageFormDialog(patient_id, package_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fill(qtbot, dialog, sessions="4", total="1.000,00"):
    dialog.sessions.clear()
    dialog.total.clear()
    qtbot.keyClicks(dialog.sessions, sessions)
    qtbot.keyClicks(dialog.total, total)


def save(qtbot, dialog):
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_a_new_clinic_offers_no_validity(qtbot, family):
    dialog = open_form(qtbot, family["ana"].id)
    assert dialog.validity.no_limit.isChecked()
    assert not dialog.validity.date.isVisibleTo(dialog)
    assert dialog.fields["valid_until"].hint.text() == "O pacote vale até as sessões acabarem."
    fill(qtbot, dialog)
    save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert packages.summary(dialog.saved_id).valid_until is None


def test_the_clinics_default_follows_the_payment_date_until_changed(qtbot, family):
    clinic.set_package_defaults(validity_months=3)
    with clock.frozen(datetime(2026, 1, 31, 9, 0)):
        dialog = open_form(qtbot, family["ana"].id)
    assert not dialog.validity.no_limit.isChecked()
    assert dialog.validity.date.date() == QDate(2026, 4, 30)
    dialog.paid_on.setDate(QDate(2026, 2, 10))
    assert dialog.validity.date.date() == QDate(2026, 5, 10)
    dialog.validity.date.setDate(QDate(2026, 12, 31))  # the receptionist's choice stays
    dialog.paid_on.setDate(QDate(2026, 2, 11))
    assert dialog.validity.value() == date(2026, 12, 31)
    fill(qtbot, dialog)
    save(qtbot, dialog)
    assert packages.summary(dialog.saved_id).valid_until == date(2026, 12, 31)


def test_choosing_a_last_day(qtbot, family):
    dialog = open_form(qtbot, family["ana"].id)
    dialog.validity.no_limit.setFocus()
    qtbot.keyClick(dialog.validity.no_limit, Qt.Key.Key_Space)  # untick "Sem validade"
    assert dialog.validity.date.isVisibleTo(dialog)
    dialog.validity.date.setDate(QDate(2026, 6, 30))
    assert "Sessões depois deste dia" in dialog.fields["valid_until"].hint.text()
    fill(qtbot, dialog)
    save(qtbot, dialog)
    assert packages.summary(dialog.saved_id).valid_until == date(2026, 6, 30)


def test_services_all_or_the_ones_ticked(qtbot, family):
    dialog = open_form(qtbot, family["ana"].id)
    assert dialog.services.all.isChecked() and not dialog.services.list.isVisibleTo(dialog)
    dialog.services.some.setChecked(True)
    names = [item.text() for item in dialog.services.items()]
    assert names == ["Método Bobath", "Método Therasuite"]
    fill(qtbot, dialog)
    save(qtbot, dialog)  # "Só os marcados" with none ticked
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "Marque ao menos um serviço" in dialog.fields["services"].error()
    assert packages.list_packages(family["ana"]) == []
    dialog.services.items()[1].setCheckState(Qt.CheckState.Checked)
    save(qtbot, dialog)
    assert packages.summary(dialog.saved_id).services == ("Método Therasuite",)


def test_sharing_with_siblings_found_by_search(qtbot, family):
    dialog = open_form(qtbot, family["ana"].id)
    share = dialog.share
    assert not share.patients.list.isVisibleTo(dialog)  # nothing listed before a search
    qtbot.keyClicks(share.patients.search, "souza")
    listed = [item.text() for item in share.patients.items()]
    assert listed == ["Maria Souza", "Pedro Souza"]  # never the owner, Ana Souza
    for item in share.patients.items():
        item.setCheckState(Qt.CheckState.Checked)
    share.patients.search.clear()  # the ticked ones stay listed
    assert [item.text() for item in share.patients.items()] == ["Maria Souza", "Pedro Souza"]
    assert share.summary.text() == "Compartilhado com: Pedro Souza, Maria Souza"
    fill(qtbot, dialog)
    save(qtbot, dialog)
    assert packages.summary(dialog.saved_id).shared_with == ("Pedro Souza", "Maria Souza")


def test_editing_shows_and_changes_the_terms(qtbot, family):
    pkg = packages.create_package(
        family["ana"],
        4,
        D("1000.00"),
        valid_until=date(2026, 6, 30),
        services=[family["bobath"]],
        shared_with=[family["pedro"]],
    )
    dialog = open_form(qtbot, family["ana"].id, pkg.id)
    assert dialog.validity.value() == date(2026, 6, 30)
    assert dialog.services.value() == [family["bobath"].id]
    assert dialog.share.value() == [family["pedro"].id]
    dialog.validity.no_limit.setChecked(True)
    dialog.services.all.setChecked(True)
    dialog.share.patients.items()[0].setCheckState(Qt.CheckState.Unchecked)
    save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert packages.history(pkg)[-1].note == (
        "Pacote alterado: validade: sem validade, serviços: todos, compartilhado com: ninguém,"
    )


def test_a_sibling_opens_the_family_package_as_its_owners(qtbot, family):
    pkg = packages.create_package(family["ana"], 4, D("1000.00"), shared_with=[family["pedro"]])
    dialog = open_form(qtbot, family["pedro"].id, pkg.id)
    assert dialog.owner_label.text() == "Ana Souza"
    assert dialog.share.value() == [family["pedro"].id]
    save(qtbot, dialog)  # nothing changed: no line
    assert [line.kind for line in packages.history(pkg)] == ["criado"]


def test_transfer_asks_then_saves_the_new_owner(qtbot, family, dialogs, monkeypatch):
    pkg = packages.create_package(family["ana"], 4, D("1000.00"), shared_with=[family["pedro"]])
    monkeypatch.setattr(
        TransferDialog,
        "ask",
        classmethod(lambda cls, parent, number, owner: (family["pedro"].id, "Pedro Souza")),
    )
    dialog = open_form(qtbot, family["ana"].id, pkg.id)
    qtbot.mouseClick(dialog.transfer_button, Qt.MouseButton.LeftButton)
    assert dialog.owner_label.text() == "Será transferido para Pedro Souza ao salvar"
    assert dialog.share.value() == []  # the new owner no longer needs a share
    dialogs.answers.append(False)  # "Transferir pacote?" — not now
    save(qtbot, dialog)
    assert packages.summary(pkg).patient_name == "Ana Souza"
    dialogs.answers.append(True)
    save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialogs.asked[-1][0] == "Transferir pacote"
    assert packages.summary(pkg).patient_name == "Pedro Souza"
    assert packages.history(pkg)[-1].note == (
        "Pacote alterado: paciente: Pedro Souza, compartilhado com: ninguém,"
    )


def test_the_transfer_dialog_finds_and_chooses_a_patient(qtbot, family):
    dialog = TransferDialog("260101100000", family["ana"].id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.transfer_button.isEnabled()
    qtbot.keyClicks(dialog.patients.search, "pedro")
    assert [item.text() for item in dialog.patients.items()] == ["Pedro Souza"]
    dialog.patients.list.setCurrentRow(0)
    assert dialog.transfer_button.isEnabled()
    assert dialog.choice() == (family["pedro"].id, "Pedro Souza")
    dialog.patients.search.clear()
    names = [item.text() for item in dialog.patients.items()]
    assert "Ana Souza" not in names  # the owner


def test_the_form_fits_a_reception_screen(qtbot, family):
    for name in ("Carla", "Daniel", "Eva", "Fábio"):
        clinic.add_service(f"Terapia {name}", price=D("100.00"))
    pkg = packages.create_package(
        family["ana"], 4, D("1000.00"), services=[family["bobath"]], shared_with=[family["pedro"]]
    )
    for dialog in (open_form(qtbot, family["ana"].id), open_form(qtbot, family["ana"].id, pkg.id)):
        assert dialog.height() <= MAX_HEIGHT < 768 - 60
        assert dialog.width() <= 1366
        dialog.scroll.ensureWidgetVisible(dialog.fields["notes"])
        assert dialog.scroll.horizontalScrollBar().value() == 0  # only the height scrolls


def test_a_refused_term_is_said_under_its_field(qtbot, family, monkeypatch):
    from r3izzy_desktop.core.errors import ValidationError

    def refuse(*_a, **_k):
        raise ValidationError("Validade: data inválida.", "valid_until")

    monkeypatch.setattr(form_module.packages, "create_package", refuse)
    dialog = open_form(qtbot, family["ana"].id)
    fill(qtbot, dialog)
    save(qtbot, dialog)
    assert dialog.fields["valid_until"].error() == "Validade: data inválida."
