"""How many statements the package screens send until they show their data, counted at
peewee's cursor (tests/helpers/statements.py): on a clinic's server each one is a round
trip. The same count for few rows and many; never one per card or per session."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import clinic, clock, packages
from r3izzy_desktop.ui.packages.list_page import PackageListPage
from r3izzy_desktop.ui.packages.pay_sessions import PaySessionsDialog
from tests.helpers.statements import counting
from tests.helpers.users import add_staff, cheap_hasher, log_in_as  # noqa: F401


@pytest.fixture(autouse=True)
def april():
    with clock.frozen(datetime(2025, 4, 15, 9, 0)):
        yield


@pytest.fixture
def statements(monkeypatch):
    return counting(monkeypatch)


def add_packages(patient, count: int) -> None:
    """Packages of every kind a card shows: limited to services, shared, with installments,
    closed, and most of them ativo with sessions left (a card that may offer Encerrar)."""
    services = [clinic.add_service(f"Serviço {i}", price=Decimal("100.00")) for i in range(2)]
    others = [clinic.add_patient(f"Irmão {i}") for i in range(2)]
    for i in range(count):
        packages.create_package(
            patient,
            4,
            Decimal("400.00"),
            paid_on=date(2025, 3, 1 + i),
            services=services[: i % 3] or None,
            shared_with=others[: i % 3] or None,
            installments=(
                packages.split_installments(Decimal("400.00"), 2, date(2025, 3, 1))
                if i % 4 == 1
                else None
            ),
        )
    if count > 1:
        closed = packages.list_packages(patient)[-1]
        packages.close_package(closed.id, refund=Decimal("0.00"))


def test_the_package_list_shows_its_cards_on_four_statements_however_many(
    qtbot, patient, statements
):
    """The patient, whether the database has users (what the cards may offer, asked once
    for every card: it was once more per card that may offer Encerrar), the packages with
    everything their cards show, the clinic's warning days. It was 5 + one per card."""
    page = PackageListPage()
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    counts = []
    for count in (1, 12):
        add_packages(patient, count)
        with statements() as sent:
            page.show_patient(patient.id)
            qtbot.waitUntil(page.fully_loaded)
        counts.append(len(sent))
        assert len(page.cards) == len(packages.list_packages(patient))
    assert counts == [4, 4]
    qtbot.waitUntil(lambda: all(card.isVisible() for card in page.cards))
    # Encerrar on each ativo card, the statement (Termo) on the closed one.
    assert all(card.close_button.isVisible() for card in page.cards)


def test_with_a_login_the_package_list_asks_nothing_about_users(
    qtbot,
    patient,
    statements,
    cheap_hasher,  # noqa: F811
):
    add_staff()
    log_in_as("administrador")
    add_packages(patient, 6)
    log_in_as("financeiro")
    page = PackageListPage()
    qtbot.addWidget(page)
    page.show()
    with statements() as sent:
        page.show_patient(patient.id)
        qtbot.waitUntil(page.fully_loaded)
    assert len(sent) == 3
    qtbot.waitUntil(lambda: all(card.isVisible() for card in page.cards))
    assert not any(card.edit_button.isVisible() for card in page.cards)  # administrador
    assert all(card.close_button.isVisible() for card in page.cards)  # financeiro closes


def test_the_pay_dialog_opens_on_three_statements_however_many_sessions(
    qtbot, patient, make_session, statements
):
    """The package with everything it shows, the services, and the period with its open
    sessions in one read (it was the package, its terms, its installments, the services,
    the oldest open session, then the period's sessions: six)."""
    counts = []
    for month, count in ((4, 2), (1, 9)):  # the second time from January: a longer period
        for day in range(count):
            make_session(1 + day, 9, month=month)
        package = packages.create_package(patient, 20, Decimal("2000.00"))
        with statements() as sent:
            dialog = PaySessionsDialog(package.id)
        qtbot.addWidget(dialog)
        counts.append(len(sent))
        assert len(dialog.labels()) == len(
            packages.open_sessions_for(package, None, date(2025, 4, 30))
        )
    assert counts == [3, 3]
    assert dialog.month.currentText() == "Período personalizado"
    assert dialog.period() == (date(2025, 1, 1), date(2025, 4, 30))
