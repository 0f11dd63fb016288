"""R14 knows the package terms (R15-R17): the history rebuilds the owner, validity,
services and sharing, and each debit paid a session of the owner or of a sharer."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, clinic, integrity, packages
from r3izzy_desktop.core.packages import ledger
from r3izzy_desktop.core.store.binding import db

D = Decimal


def sql(statement: str, *params) -> None:
    db.execute_sql(statement.replace("?", db.obj.param), params)


@pytest.fixture
def w(db):
    ana = clinic.add_patient("Ana Souza")
    pedro = clinic.add_patient("Pedro Souza")
    bruno = clinic.add_patient("Bruno Lima")
    bobath = clinic.add_service("Método Bobath", price=D("250.00"))
    pkg = packages.create_package(
        ana,
        4,
        D("1000.00"),
        paid_on=date(2026, 3, 1),
        valid_until=date(2026, 6, 30),
        services=[bobath],
        shared_with=[pedro],
    )
    his = agenda.schedule(pedro, bobath, datetime(2026, 4, 1, 10, 0))
    packages.pay_sessions(pkg, [his])
    packages.edit_package(pkg, patient=pedro, shared_with=[ana])
    assert integrity.check() == []
    return {"pkg": pkg, "ana": ana, "pedro": pedro, "bruno": bruno, "bobath": bobath, "his": his}


def found(w) -> list[str]:
    return [p.message for p in integrity.check() if p.package_number == w["pkg"].number]


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        ("UPDATE package SET valid_until = NULL", "o histórico não reproduz a validade"),
        ("DELETE FROM package_service", "o histórico não reproduz os serviços cobertos"),
        ("DELETE FROM package_share", "o histórico não reproduz com quem o pacote é compartilhado"),
    ],
)
def test_a_term_changed_behind_the_history(w, tamper, problem):
    sql(tamper)
    assert found(w) == [problem]


def test_an_owner_changed_behind_the_history(w):
    sql("UPDATE package SET patient_id = ?", w["bruno"].id)
    assert "o histórico não reproduz o dono (paciente) do pacote" in found(w)


def test_shared_with_its_own_owner(w):
    sql(
        "INSERT INTO package_share (package_id, patient_id) VALUES (?, ?)",
        w["pkg"].id,
        w["pedro"].id,
    )
    assert "está compartilhado com o próprio dono" in found(w)


def test_a_debit_of_a_patient_it_was_not_shared_with(w):
    sql("UPDATE package_event SET shared_with = '' WHERE kind = 'criado'")
    [problem] = [p for p in integrity.check() if p.session_id == w["his"].id]
    assert str(problem) == (
        f"Pacote No. {w['pkg'].number}: debita a sessão de 01/04 10:00, que é de outro paciente"
    )


def test_a_history_without_terms(w):
    sql("UPDATE package_event SET owner_id = NULL")
    assert "o histórico não registra o dono nem as condições do pacote" in found(w)


def test_the_replay_alone():
    """The terms as a replay rebuilds them, line by line (no database)."""
    events = [
        ledger.EventRecord("criado", "ativo", 2, D("10.00"), D("5.00"), 2, D("10.00"), owner_id=1),
        ledger.EventRecord(
            "sessão debitada",
            "ativo",
            1,
            D("5.00"),
            D("5.00"),
            2,
            D("10.00"),
            amount=D("5.00"),
            session_id=7,
            session_patient_id=2,
        ),
        ledger.EventRecord(
            "alterado manualmente",
            "ativo",
            1,
            D("5.00"),
            D("5.00"),
            2,
            D("10.00"),
            owner_id=2,
            valid_until=date(2026, 1, 1),
            services=frozenset({3}),
            shared_with=frozenset({1}),
        ),
    ]
    result = ledger.replay(events)
    assert result.problems == []
    assert result.foreign_debits == [(7, None)]  # patient 2 was not a sharer then
    figures = result.figures
    assert (figures.owner_id, figures.valid_until, figures.services, figures.shared_with) == (
        2,
        date(2026, 1, 1),
        frozenset({3}),
        frozenset({1}),
    )
