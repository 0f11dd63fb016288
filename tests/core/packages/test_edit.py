"""R8 manual change of a package: fields, history words, re-pricing and the status rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from r3izzy_desktop.core import integrity, packages, payments
from r3izzy_desktop.core.errors import StaleData, ValidationError
from r3izzy_desktop.core.store.models import Session
from tests.helpers.snapshot import db_snapshot

D = Decimal


def notes_of(pkg):
    return [line.note for line in packages.history(pkg) if line.kind == "alterado manualmente"]


@pytest.mark.parametrize(
    ("change", "note"),
    [
        ({"status": "inativo"}, "Pacote alterado: status: inativo,"),
        ({"sessions": 5}, "Pacote alterado: sessões: 5,"),
        ({"total": D("1500.00")}, "Pacote alterado: valor total: 1.500,00,"),
        ({"total": "1.500,00"}, "Pacote alterado: valor total: 1.500,00,"),
        ({"paid_on": date(2025, 7, 3)}, "Pacote alterado: data de pagamento: 03/07/2025,"),
        ({"notes": "Pago em Pix"}, "Pacote alterado: observações: Pago em Pix,"),
        (
            {"sessions": 5, "total": D("1500.00")},
            "Pacote alterado: sessões: 5, valor total: 1.500,00,",
        ),
        (
            {
                "notes": "novo",
                "paid_on": date(2025, 6, 1),
                "total": D("1200.00"),
                "sessions": 6,
                "status": "inativo",
            },
            "Pacote alterado: status: inativo, sessões: 6, valor total: 1.200,00, "
            "data de pagamento: 01/06/2025, observações: novo,",
        ),
    ],
)
def test_each_field_and_the_note_words(make_package, change, note):
    pkg = make_package(sessions=4, total="1000.00")
    version = pkg.version
    packages.edit_package(pkg, **change)
    assert notes_of(pkg) == [note]
    line = packages.history(pkg)[-1]
    figures = packages.summary(pkg)
    assert (line.status, line.sessions_left, line.open_amount, line.price_per_session) == (
        figures.status,
        figures.sessions_left,
        figures.open_amount,
        figures.price_per_session,
    )
    assert line.package_date == figures.paid_on
    assert figures.version == version + 1
    assert integrity.check() == []


def test_edit_stores_every_field(make_package):
    pkg = make_package(sessions=4, total="1000.00")
    packages.edit_package(
        pkg, sessions=5, total=D("1500.00"), paid_on=date(2025, 7, 3), notes="x", status="inativo"
    )
    figures = packages.summary(pkg)
    assert (figures.sessions_total, figures.total, figures.paid_on, figures.notes) == (
        5,
        D("1500.00"),
        date(2025, 7, 3),
        "x",
    )
    assert (figures.status, figures.open_amount, figures.price_per_session) == (
        "inativo",
        D("1500.00"),
        D("300.00"),
    )
    assert pkg.sessions_total == 5  # caller's instance refreshed


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"sessions": 4},
        {"total": D("1000.00")},
        {"total": "1.000,00"},
        {"status": "ativo"},
        {"notes": ""},
        {"paid_on": date(2025, 5, 2)},
        {"sessions": 4, "total": D("1000"), "status": "ativo", "notes": "  "},
    ],
)
def test_no_change_no_line(make_package, change):
    pkg = make_package(sessions=4, total="1000.00")
    before = db_snapshot()
    packages.edit_package(pkg, **change)
    assert db_snapshot() == before
    assert notes_of(pkg) == []


def test_sessions_below_the_used_ones_are_refused(patient, make_session, make_package):
    pkg = make_package(sessions=4, total="1000.00")
    packages.pay_sessions(pkg, [make_session(1, 10), make_session(2, 10)])
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        packages.edit_package(pkg, sessions=1)
    assert caught.value.field == "sessions"
    assert "2 sessões usadas" in caught.value.message
    assert "não pode ser menor que 2" in caught.value.message
    assert db_snapshot() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "finalizado"}, "status"),
        ({"status": "pausado"}, "status"),
        ({"sessions": 0}, "sessions"),
        ({"sessions": 1000}, "sessions"),
        ({"sessions": 2.0}, "sessions"),
        ({"total": D("0.00")}, "total"),
        ({"total": D("10.001")}, "total"),
        ({"total": D("10000000.00")}, "total"),
        ({"total": 10.5}, "total"),
        ({"notes": "x" * 2001}, "notes"),
        ({"paid_on": "ontem"}, "paid_on"),
    ],
)
def test_invalid_changes_are_refused_and_change_nothing(make_package, change, field):
    pkg = make_package(sessions=4, total="1000.00")
    before = db_snapshot()
    # Together with a valid change: the valid one must not happen either.
    valid = {"notes": "válida"} if "notes" not in change else {"total": D("2000.00")}
    with pytest.raises(ValidationError) as caught:
        packages.edit_package(pkg, **valid, **change)
    assert caught.value.field == field
    assert db_snapshot() == before


@pytest.mark.parametrize(
    "change", [{"sessions": 11}, {"total": D("0.09")}, {"sessions": 20, "total": D("0.19")}]
)
def test_at_least_one_centavo_per_session_after_a_change(make_package, change):
    pkg = make_package(sessions=10, total="0.10")
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        packages.edit_package(pkg, **change)
    assert caught.value.field == "total"
    assert "pelo menos R$ 0,01 por sessão" in caught.value.message
    assert db_snapshot() == before
    packages.edit_package(pkg, sessions=11, total=D("0.11"))
    assert packages.summary(pkg).price_per_session == D("0.01")


def test_finalizado_cannot_be_asked_for(make_package):
    pkg = make_package()
    with pytest.raises(ValidationError) as caught:
        packages.edit_package(pkg, status="finalizado")
    assert "finalizado" in caught.value.message


def test_a_stale_screen_changes_nothing(make_package):
    pkg = make_package()
    version = pkg.version
    packages.edit_package(pkg, notes="outro computador")
    before = db_snapshot()
    with pytest.raises(StaleData):
        packages.edit_package(pkg, sessions=9, expected_version=version)
    assert db_snapshot() == before


# --- re-pricing -----------------------------------------------------------------------------


def test_repricing_follows_the_sessions_chronological_order(patient, make_session, make_package):
    pkg = make_package(sessions=3, total="900.00")  # 300,00 each
    early, late = make_session(1, 10, price=D("300.00")), make_session(9, 10, price=D("300.00"))
    packages.pay_sessions(pkg, [late])  # debited first...
    packages.pay_sessions(pkg, [early])  # ...but earlier in the calendar
    packages.edit_package(pkg, total=D("1000.00"))
    # R5 under 1.000,00 / 3: 333,33 then 333,34 -- by the sessions' start, not debit order.
    paid = {p.session_id: p.amount for p in packages.paid_sessions(pkg)}
    assert paid == {early.id: D("333.33"), late.id: D("333.34")}
    # Each paid session's price follows its new debit.
    assert Session.get_by_id(early.id).price == D("333.33")
    assert Session.get_by_id(late.id).price == D("333.34")
    figures = packages.summary(pkg)
    assert figures.open_amount == D("333.33")
    assert figures.price_per_session == D("333.33")
    assert notes_of(pkg) == ["Pacote alterado: valor total: 1.000,00,"]
    assert integrity.check() == []


def test_repricing_ties_follow_the_debit_order(patient, make_session, make_package):
    pkg = make_package(sessions=3, total="900.00")
    a = make_session(1, 10, price=D("300.00"))
    b = make_session(1, 10, price=D("300.00"))  # same start
    packages.pay_sessions(pkg, [b])
    packages.pay_sessions(pkg, [a])
    packages.edit_package(pkg, total=D("1000.00"))
    paid = {p.session_id: p.amount for p in packages.paid_sessions(pkg)}
    assert paid == {b.id: D("333.33"), a.id: D("333.34")}
    assert integrity.check() == []


def test_more_sessions_reprice_the_debits(patient, make_session, make_package):
    pkg = make_package(sessions=4, total="1000.00")
    sessions = [make_session(day, 10) for day in (1, 2)]
    packages.pay_sessions(pkg, sessions)
    packages.edit_package(pkg, sessions=5, total=D("1500.00"))
    assert [p.amount for p in packages.paid_sessions(pkg)] == [D("300.00"), D("300.00")]
    assert [Session.get_by_id(s.id).price for s in sessions] == [D("300.00"), D("300.00")]
    figures = packages.summary(pkg)
    assert (figures.open_amount, figures.sessions_left, figures.status) == (
        D("900.00"),
        3,
        "ativo",
    )
    assert integrity.check() == []


def test_fewer_sessions_down_to_the_used_ones_finalizes(patient, make_session, make_package):
    pkg = make_package(sessions=4, total="1000.00")
    packages.pay_sessions(pkg, [make_session(1, 10), make_session(2, 10)])
    packages.edit_package(pkg, sessions=2)
    figures = packages.summary(pkg)
    assert (figures.status, figures.sessions_left, figures.open_amount) == (
        "finalizado",
        0,
        D("0.00"),
    )
    assert [p.amount for p in packages.paid_sessions(pkg)] == [D("500.00"), D("500.00")]
    assert notes_of(pkg) == ["Pacote alterado: status: finalizado, sessões: 2,"]
    assert integrity.check() == []


def test_total_change_of_a_finalizado_package_reprices_all(patient, make_session, make_package):
    pkg = make_package(sessions=3, total="900.00")
    packages.pay_sessions(pkg, [make_session(d, 10, price=D("300.00")) for d in (1, 2, 3)])
    packages.edit_package(pkg, total=D("1000.00"))
    assert [p.amount for p in packages.paid_sessions(pkg)] == [
        D("333.33"),
        D("333.34"),
        D("333.33"),
    ]
    figures = packages.summary(pkg)
    assert (figures.status, figures.open_amount) == ("finalizado", D("0.00"))
    assert notes_of(pkg) == ["Pacote alterado: valor total: 1.000,00,"]
    assert integrity.check() == []


def test_paid_on_and_notes_do_not_reprice(patient, make_session, make_package):
    pkg = make_package(sessions=3, total="1000.00")
    session = make_session(1, 10)
    packages.pay_sessions(pkg, [session], accept_price_adjustment=True)
    packages.edit_package(pkg, paid_on=date(2025, 1, 1), notes="n")
    assert payments.active_payment(session).amount == D("333.33")
    assert packages.summary(pkg).open_amount == D("666.67")


# --- status after the change ------------------------------------------------------------------


def test_finalizado_with_sessions_again_becomes_ativo(patient, make_session, make_package):
    """The settled open question: adding sessions to a finalizado package reopens it
    (`ativo`), and the history line names the status change first."""
    pkg = make_package(sessions=2, total="500.00")
    packages.pay_sessions(pkg, [make_session(1, 10), make_session(2, 10)])
    assert packages.summary(pkg).status == "finalizado"
    packages.edit_package(pkg, sessions=3, total=D("750.00"))
    figures = packages.summary(pkg)
    assert (figures.status, figures.sessions_left, figures.open_amount) == (
        "ativo",
        1,
        D("250.00"),
    )
    assert notes_of(pkg) == ["Pacote alterado: status: ativo, sessões: 3, valor total: 750,00,"]
    assert packages.history(pkg)[-1].status == "ativo"
    assert integrity.check() == []


def test_finalizado_with_sessions_again_may_be_set_inativo(patient, make_session, make_package):
    pkg = make_package(sessions=1, total="250.00")
    packages.pay_sessions(pkg, [make_session(1, 10)])
    packages.edit_package(pkg, sessions=2, status="inativo")
    assert packages.summary(pkg).status == "inativo"
    assert notes_of(pkg) == ["Pacote alterado: status: inativo, sessões: 2,"]
    assert integrity.check() == []


@pytest.mark.parametrize("asked", ["ativo", "inativo"])
def test_a_finalizado_package_without_sessions_left_stays_finalizado(
    patient, make_session, make_package, asked
):
    pkg = make_package(sessions=1, total="250.00")
    packages.pay_sessions(pkg, [make_session(1, 10)])
    before = db_snapshot()
    packages.edit_package(pkg, status=asked)
    assert db_snapshot() == before  # the status follows the figures: nothing changed
    assert packages.summary(pkg).status == "finalizado"


def test_inativo_reduced_to_its_used_sessions_becomes_finalizado(
    patient, make_session, make_package
):
    pkg = make_package(sessions=3, total="750.00")
    packages.pay_sessions(pkg, [make_session(1, 10)])
    packages.edit_package(pkg, status="inativo")
    packages.edit_package(pkg, sessions=1)
    assert packages.summary(pkg).status == "finalizado"
    assert notes_of(pkg)[-1] == "Pacote alterado: status: finalizado, sessões: 1,"
    assert integrity.check() == []


def test_inativo_and_back_keeps_its_figures(make_package):
    pkg = make_package(sessions=4, total="1000.00")
    packages.edit_package(pkg, status="inativo")
    assert packages.offerable_packages(pkg.patient_id) == []
    packages.edit_package(pkg, status="ativo")
    assert notes_of(pkg) == [
        "Pacote alterado: status: inativo,",
        "Pacote alterado: status: ativo,",
    ]
    assert [p.id for p in packages.offerable_packages(pkg.patient_id)] == [pkg.id]
    figures = packages.summary(pkg)
    assert (figures.sessions_left, figures.open_amount) == (4, D("1000.00"))
