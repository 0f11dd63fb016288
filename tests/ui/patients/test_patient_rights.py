"""The patient page's LGPD buttons and the package card's Editar, by role (R23)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from r3izzy_desktop.core import clinic, packages
from r3izzy_desktop.ui.common import exports
from r3izzy_desktop.ui.packages.card import PackageCard
from r3izzy_desktop.ui.patients.patient_page import PatientPage
from tests.helpers.users import add_staff, cheap_hasher, log_in_as  # noqa: F401

pytestmark = pytest.mark.usefixtures("cheap_hasher")


def page_of(qtbot, patient_id) -> PatientPage:
    page = PatientPage()
    qtbot.addWidget(page)
    page.show_patient(patient_id)
    page.show()
    return page


@pytest.mark.parametrize(
    ("role", "export", "anonymize"),
    [("recepção", False, False), ("financeiro", True, False), ("administrador", True, True)],
)
def test_the_buttons_follow_the_role(qtbot, db, role, export, anonymize):
    add_staff()
    log_in_as("administrador")
    patient = clinic.add_patient("Ana Souza")
    log_in_as(role)
    page = page_of(qtbot, patient.id)
    assert page.data_button.isVisibleTo(page) is export
    assert page.anonymize_button.isVisibleTo(page) is anonymize


def test_anonymizing_asks_twice(qtbot, db, dialogs):
    patient = clinic.add_patient("Ana Souza", phone="11987654321")
    page = page_of(qtbot, patient.id)
    dialogs.answers += [True, False]  # the second question says no: nothing happens
    page.anonymize_patient()
    assert clinic.get_patient(patient.id).name == "Ana Souza"
    dialogs.answers += [True, True]
    page.anonymize_patient()
    assert clinic.get_patient(patient.id).name == f"Paciente anonimizado #{patient.id}"
    assert len(dialogs.asked) == 4 and "Ana Souza" in dialogs.asked[0][1]


def test_exporting_the_patients_data(qtbot, db, dialogs, tmp_path, monkeypatch):
    patient = clinic.add_patient("Ana Souza")
    target = tmp_path / "dados.xlsx"
    monkeypatch.setattr(exports, "ask_save_path", lambda *a, **k: target)
    page_of(qtbot, patient.id).data_button.click()
    qtbot.waitUntil(lambda: bool(dialogs.told), timeout=10_000)
    assert target.exists() and "exportados" in dialogs.told[0][1]


@pytest.mark.parametrize("role", ["recepção", "financeiro", "administrador"])
def test_editar_pacote_is_for_administrators(qtbot, db, role):
    add_staff()
    log_in_as("administrador")
    patient = clinic.add_patient("Ana Souza")
    package = packages.create_package(patient, sessions=4, total=Decimal("1000.00"))
    log_in_as(role)
    card = PackageCard(packages.summary(package))
    qtbot.addWidget(card)
    card.show()
    assert card.edit_button.isVisibleTo(card) is (role == "administrador")
