"""A package's terms on the screens (R15-R17, R22): the card's `vencido` / "vence em N
dias" / "acabando" badges, "de <dono>" and the terms line; a shared package in each
sharing patient's list, on the patient page's summary, in "Pagar sessões existentes"
and in "Sessões pagas"."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QLabel

from r3izzy_desktop.core import agenda, clinic, clock, packages
from r3izzy_desktop.ui.packages.card import PackageCard
from r3izzy_desktop.ui.packages.list_page import PackageListPage
from r3izzy_desktop.ui.packages.paid_sessions import PaidSessionsDialog
from r3izzy_desktop.ui.packages.pay_sessions import PaySessionsDialog
from r3izzy_desktop.ui.patients.patient_page import PatientPage

D = Decimal
TODAY = datetime(2026, 4, 1, 9, 0)


@pytest.fixture
def family(db, patient, service):
    pedro = clinic.add_patient("Pedro Souza")
    shared = packages.create_package(
        patient,
        4,
        D("1000.00"),
        paid_on=date(2026, 3, 1),
        valid_until=date(2026, 4, 10),
        services=[service],
        shared_with=[pedro],
    )
    return {"ana": patient, "pedro": pedro, "shared": shared, "service": service}


def badges(card: PackageCard) -> list[tuple[str, str]]:
    return [(b.property("status"), b.text()) for b in card.term_badges]


def card_for(summary, viewer_id=None, **defaults) -> PackageCard:
    return PackageCard(summary, viewer_id=viewer_id, defaults=clinic.PackageDefaults(**defaults))


def test_vencido_vence_em_and_acabando(qtbot, family):
    pkg = family["shared"]
    with clock.frozen(TODAY):
        soon = card_for(packages.summary(pkg))
        assert badges(soon) == [("vencendo", "vence em 9 dias")]
        narrow = card_for(packages.summary(pkg), warning_days=5)
        assert badges(narrow) == []
        ending = card_for(packages.summary(pkg), ending_threshold=4)
        assert badges(ending) == [("vencendo", "vence em 9 dias"), ("acabando", "acabando")]
    with clock.frozen(datetime(2026, 4, 10, 9, 0)):
        assert badges(card_for(packages.summary(pkg))) == [("vencendo", "vence hoje")]
    with clock.frozen(datetime(2026, 4, 11, 9, 0)):
        late = card_for(packages.summary(pkg))
        assert badges(late) == [("vencido", "vencido")]
        assert late.badge.text() == "ativo"  # vencido is a badge, never the status
        packages.edit_package(pkg, status="inativo")
        assert badges(card_for(packages.summary(pkg))) == []


def test_the_terms_line_and_de_dono(qtbot, family):
    summary = packages.summary(family["shared"])
    own = card_for(summary, viewer_id=family["ana"].id)
    qtbot.addWidget(own)
    assert own.owner.isHidden()
    assert own.terms.text() == (
        "Válido até 10/04/2026  ·  Só Método Bobath  ·  Compartilhado com Pedro Souza"
    )
    theirs = card_for(summary, viewer_id=family["pedro"].id)
    qtbot.addWidget(theirs)
    assert not theirs.owner.isHidden() and theirs.owner.text() == "de Ana Souza"
    assert theirs.terms.text() == "Válido até 10/04/2026  ·  Só Método Bobath"
    plain = card_for(packages.summary(packages.create_package(family["ana"], 2, D("100.00"))))
    assert plain.terms.isHidden() and plain.terms.text() == ""


def test_the_sibling_list_shows_the_family_package(qtbot, family):
    his_own = packages.create_package(family["pedro"], 2, D("500.00"), paid_on=date(2026, 1, 1))
    page = PackageListPage()
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    page.show_patient(family["pedro"].id)
    assert [card.summary.id for card in page.cards] == [family["shared"].id, his_own.id]
    assert page.header.subtitle.text() == "2 pacotes"
    shared_card = page.card_for(family["shared"].id)
    assert shared_card.owner.text() == "de Ana Souza" and not shared_card.owner.isHidden()
    assert page.card_for(his_own.id).owner.isHidden()


def test_the_patient_page_counts_shared_packages(qtbot, family):
    page = PatientPage()
    qtbot.addWidget(page)
    with clock.frozen(datetime(2026, 4, 20, 9, 0)):
        page.show_patient(family["pedro"].id)
    assert page.active_count.text() == "1"
    assert page.sessions_left.text() == "4"
    assert page.shared_note.text() == "Inclui 1 pacote compartilhado por outro paciente."
    texts = [w.text() for w in page.packages_card.findChildren(QLabel)]
    assert "de Ana Souza" in texts and "vencido" in texts
    page.show_patient(family["ana"].id)
    assert page.shared_note.isHidden()


def test_pay_existing_sessions_lists_the_siblings_by_name(qtbot, family):
    ana, pedro, service = family["ana"], family["pedro"], family["service"]
    agenda.schedule(ana, service, datetime(2026, 4, 2, 10, 0))
    his = agenda.schedule(pedro, service, datetime(2026, 4, 3, 10, 0))
    agenda.schedule(pedro, service, datetime(2026, 4, 20, 10, 0))  # after the validity
    with clock.frozen(TODAY):
        dialog = PaySessionsDialog(family["shared"].id)
    qtbot.addWidget(dialog)
    labels = dialog.labels()
    assert labels == ["2/4 10:00 Método Bobath", "3/4 10:00 Método Bobath · Pedro Souza"]
    packages.pay_sessions(family["shared"], [his], accept_price_adjustment=True)
    paid = PaidSessionsDialog(family["shared"].id)
    qtbot.addWidget(paid)
    assert paid.model.index(0, 0).data().endswith(" · Pedro Souza")
