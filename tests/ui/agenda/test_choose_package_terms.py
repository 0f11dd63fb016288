"""The package offer with the terms (R10 extended, R15-R17): only the packages that can pay
the session, validity first (earliest first), a shared package marked "de <dono>", and
"Registrar Pgto." straight to the manual payment when no package can pay it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QLabel

from r3izzy_desktop.core import agenda, clinic, packages
from r3izzy_desktop.core.reports import receitas
from r3izzy_desktop.ui.agenda import payment_offer
from r3izzy_desktop.ui.agenda.choose_package import ChoosePackageDialog
from r3izzy_desktop.ui.agenda.manual_payment import ManualPaymentDialog
from tests.helpers.agenda_drivers import refuse

D = Decimal


@pytest.fixture
def w(db, patient, service):
    return {
        "ana": patient,
        "pedro": clinic.add_patient("Pedro Souza"),
        "bobath": service,
        "therasuite": clinic.add_service("Método Therasuite", price=D("250.00")),
    }


def make(owner, paid_on, **terms):
    return packages.create_package(owner, 4, D("1000.00"), paid_on=paid_on, **terms)


def text_of(card) -> str:
    return " ".join(label.text() for label in card.findChildren(QLabel))


def test_the_offer_lists_what_can_pay_in_r10_order(qtbot, w):
    no_limit = make(w["ana"], date(2025, 1, 1))
    valid_later = make(w["ana"], date(2025, 2, 1), valid_until=date(2025, 12, 31))
    valid_soon = make(w["ana"], date(2025, 3, 1), valid_until=date(2025, 6, 30))
    make(w["ana"], date(2025, 1, 1), valid_until=date(2025, 3, 31))  # over before the session
    make(w["ana"], date(2025, 1, 1), services=[w["therasuite"]])  # another service
    family = make(w["pedro"], date(2025, 1, 2), shared_with=[w["ana"]])
    session = agenda.schedule(w["ana"], w["bobath"], datetime(2025, 4, 2, 10, 0))
    dialog = ChoosePackageDialog(None, w["ana"].id, [session.id])
    qtbot.addWidget(dialog)
    ids = [card.package_id for card in dialog.cards]
    assert ids == [valid_soon.id, valid_later.id, no_limit.id, family.id]
    assert dialog.cards[0].radio.isChecked()
    assert "Válido até 30/06/2025" in text_of(dialog.cards[0])
    assert "de Pedro Souza" in text_of(dialog.cards[3])


def test_registrar_pgto_goes_to_the_manual_payment_when_no_package_can_pay(qtbot, monkeypatch, w):
    make(w["ana"], date(2025, 1, 1), services=[w["therasuite"]])
    session = agenda.schedule(w["ana"], w["bobath"], datetime(2025, 4, 2, 10, 0))
    refuse(monkeypatch, ChoosePackageDialog, "ask")
    asked = []
    monkeypatch.setattr(
        ManualPaymentDialog, "ask", classmethod(lambda cls, parent, rows: asked.append(rows))
    )
    [row] = receitas.rows_by_id([session.id])
    assert payment_offer.register_payment(None, row) is False
    assert [r.id for r in asked[0]] == [session.id]


def test_a_repetition_is_paid_up_to_the_packages_last_day(qtbot, monkeypatch, w):
    pkg = make(w["ana"], date(2025, 3, 1), valid_until=date(2025, 4, 10))
    sessions = agenda.schedule_weekly(
        w["ana"], w["bobath"], datetime(2025, 4, 1, 10, 0), weekdays=[1], weeks=4
    )
    monkeypatch.setattr(
        ChoosePackageDialog,
        "ask",
        classmethod(lambda cls, parent, patient_id, ids, partial=False: pkg.id),
    )
    assert payment_offer.offer_after_create(None, w["ana"].id, [s.id for s in sessions])
    paid = [s.session_id for s in packages.paid_sessions(pkg)]
    assert paid == [sessions[0].id, sessions[1].id]  # 01/04 and 08/04; 15/04 is too late
