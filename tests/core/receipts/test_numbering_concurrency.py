"""R21: two PCs receiving money at once never get the same receipt number. Threads, each
with its own connection, stand for the PCs, on a SQLite file and on PostgreSQL (the run's
backend): PC 1 takes a number and, before it commits, PC 2 receives too; PC 2 waits for
PC 1 and gets the next number. Then several PCs receive many times at once: the numbers
are 1..n, each once."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, clinic, packages, payments, receipt_book, receipts
from r3izzy_desktop.core.database import close_database, is_postgres, open_database
from r3izzy_desktop.core.store.binding import db
from tests.core.store.test_concurrency import BACKEND, lock_waiters, shared_database, wait_for

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("backend", BACKEND)
def test_two_pcs_receiving_at_once_get_different_numbers(backend, tmp_path, monkeypatch):
    with shared_database(backend, tmp_path) as url:
        open_database(url)
        try:
            ana = clinic.add_patient("Ana Souza")
            bruno = clinic.add_patient("Bruno Lima")
            plan = packages.split_installments(Decimal("600.00"), 2, date(2026, 3, 1))
            pkg = packages.create_package(
                ana, 2, Decimal("600.00"), date(2026, 3, 1), installments=plan
            )
            bobath = clinic.add_service("Método Bobath", price=Decimal("250.00"))
            s = agenda.schedule(bruno, bobath, datetime(2026, 3, 2, 10))

            holding, release = threading.Event(), threading.Event()
            original = receipt_book.next_number

            def slow_next_number():
                number = original()
                if threading.current_thread().name == "pc1":
                    holding.set()  # PC 1 holds the counter, its receipt not yet committed
                    release.wait(30)
                return number

            monkeypatch.setattr(receipt_book, "next_number", slow_next_number)
            errors: list[BaseException] = []

            def pc1():
                try:
                    packages.receive_installment(pkg.id, 1, method="pix")
                except BaseException as exc:  # pragma: no cover - reported below
                    errors.append(exc)
                finally:
                    db.close()

            def pc2():
                try:
                    payments.pay_manually([s.id], method="dinheiro")
                except BaseException as exc:  # pragma: no cover - reported below
                    errors.append(exc)
                finally:
                    db.close()

            first = threading.Thread(target=pc1, name="pc1")
            first.start()
            assert holding.wait(30)
            second = threading.Thread(target=pc2, name="pc2")
            second.start()
            if is_postgres():
                # PC 2 is blocked on PC 1's lock of the counter row, not done before it.
                assert wait_for(lambda: lock_waiters() == 1)
            else:
                time.sleep(0.3)  # SQLite: PC 2 waits at BEGIN IMMEDIATE for the write lock
            assert second.is_alive()
            release.set()
            first.join(30)
            second.join(30)
            assert errors == []
            year = date.today().year
            rows = receipts.for_year(year)
            assert [(r.number, r.patient_name) for r in rows] == [
                (1, "Ana Souza"),
                (2, "Bruno Lima"),
            ]
            assert packages.installments(pkg.id)[0].receipt_number == 1
        finally:
            close_database()


@pytest.mark.parametrize("backend", BACKEND)
def test_many_pcs_receiving_many_times_never_share_a_number(backend, tmp_path):
    workers, calls = 4, 6
    with shared_database(backend, tmp_path) as url:
        open_database(url)
        try:
            bobath = clinic.add_service("Método Bobath", price=Decimal("100.00"))
            sessions = {}
            for w in range(workers):
                patient = clinic.add_patient(f"Paciente {w}")
                sessions[w] = [
                    agenda.schedule(patient, bobath, datetime(2026, 3, 1 + c, 10 + w)).id
                    for c in range(calls)
                ]
            start = threading.Barrier(workers)
            errors: list[BaseException] = []

            def pc(w: int):
                try:
                    start.wait(30)
                    for session_id in sessions[w]:
                        payments.pay_manually([session_id], method="pix")
                except BaseException as exc:  # pragma: no cover - reported below
                    errors.append(exc)
                finally:
                    db.close()

            threads = [threading.Thread(target=pc, args=(w,)) for w in range(workers)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(120)
            assert errors == []
            rows = receipts.for_year(date.today().year)
            assert sorted(r.number for r in rows) == list(range(1, workers * calls + 1))
            assert len({r.number for r in rows}) == workers * calls
        finally:
            close_database()
