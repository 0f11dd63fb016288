"""Several PCs at once: processes doing random operations on the same packages and
sessions, on a SQLite file and on PostgreSQL. Afterwards every rule holds and no
successful operation was lost: the debits, credits and changes the processes reported
are exactly the history lines of those kinds."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from peewee import fn

from r3izzy_desktop.core import agenda, clinic, integrity, packages
from r3izzy_desktop.core.agenda import sessions as agenda_sessions
from r3izzy_desktop.core.database import close_database, is_postgres, open_database
from r3izzy_desktop.core.errors import ValidationError
from r3izzy_desktop.core.store.binding import db
from r3izzy_desktop.core.store.models import Package, PackageEvent, Payment, Session
from r3izzy_desktop.core.terms import ALTERADO, CREDITADA, DEBITADA, FALTA_JUSTIFICADA
from tests.helpers import pg
from tests.helpers.concurrency_worker import setup

ROOT = Path(__file__).resolve().parents[3]
WORKERS = 4
STEPS = 200
# The backend of this run (R3IZZY_TEST_BACKEND): the SQLite run uses a file, the
# PostgreSQL run a database of its own on the server. CI runs both.
BACKEND = [pg.backend()]


@contextmanager
def shared_database(backend: str, tmp_path: Path):
    """A database several processes (or threads) can open: a file, or a server database."""
    if backend == "sqlite":
        yield str(tmp_path / "clinica.db")
    else:
        with pg.fresh_database() as url:
            yield url


def run_workers(url: str, tmp_path: Path) -> list[Counter]:
    procs = []
    for number in range(WORKERS):
        out = tmp_path / f"worker{number}.json"
        args = [url, str(number), str(STEPS), str(out)]
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.concurrency_worker", *args],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        procs.append((proc, out))
    for proc, _ in procs:
        line = proc.stdout.readline()
        assert line.strip() == "pronto", proc.stderr.read()
    for proc, _ in procs:  # all together
        proc.stdin.write("vai\n")
        proc.stdin.flush()
    tallies = []
    for proc, out in procs:
        _, err = proc.communicate(timeout=100)
        assert proc.returncode == 0, err
        tallies.append(Counter(json.loads(out.read_text(encoding="utf-8"))))
    return tallies


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKEND)
def test_processes_at_once_lose_nothing_and_break_no_rule(backend, tmp_path):
    with shared_database(backend, tmp_path) as url:
        setup(url)
        tallies = run_workers(url, tmp_path)
        total = sum(tallies, Counter())
        open_database(url, create=False)
        try:
            check_every_rule()
            kinds = dict(
                PackageEvent.select(PackageEvent.kind, fn.COUNT(1))
                .group_by(PackageEvent.kind)
                .tuples()
            )
            assert kinds.get(DEBITADA, 0) == total["debits"]
            assert kinds.get(CREDITADA, 0) == total["credits"]
            assert kinds.get(ALTERADO, 0) == total["changes"]
            manual = Payment.select().where(Payment.package.is_null())
            assert manual.count() == total["manual"]
            assert manual.where(Payment.void_reason == "estorno").count() == total["voids"]
            debits = Payment.select().where(Payment.package.is_null(False)).count()
            assert debits == total["debits"]
        finally:
            close_database()
    # The test means something only if the processes really did things, side by side.
    done = sum(v for k, v in total.items() if k.startswith("ok "))
    assert done >= WORKERS * STEPS // 3, total
    assert total["debits"] >= 50 and total["credits"] >= 20 and total["changes"] >= 20, total


def check_every_rule() -> None:
    assert integrity.check() == []
    twice = (
        Payment.select(Payment.session)
        .where(Payment.voided_at.is_null())
        .group_by(Payment.session)
        .having(fn.COUNT(1) > 1)
    )
    assert list(twice) == []
    for row in Package.select():
        left = row.sessions_total - row.sessions_used
        assert 0 <= left <= row.sessions_total, row.number
        assert row.open_amount >= 0, row.number
        assert (row.open_amount == 0) == (left == 0), row.number
        active = list(
            Payment.select().where((Payment.package == row.id) & Payment.voided_at.is_null())
        )
        assert len(active) == row.sessions_used
        assert row.total - sum((p.amount for p in active), Decimal(0)) == row.open_amount
    # No active payment on a deleted session, no package debit on a justified absence.
    for payment in (
        Payment.select(Payment, Session).join(Session).where(Payment.voided_at.is_null())
    ):
        assert payment.session.deleted_at is None
        if payment.package_id is not None:
            assert payment.session.attendance != FALTA_JUSTIFICADA


@pytest.mark.parametrize("backend", BACKEND)
def test_a_justified_absence_and_a_payment_of_the_same_session_at_once(
    backend, tmp_path, monkeypatch
):
    """PC 1 marks a session a justified absence and, before it commits, PC 2 pays the same
    session from a package. PC 2 must wait for PC 1 and then refuse: a justified absence is
    never paid by a package (two threads, each with its own connection, stand for the PCs)."""
    with shared_database(backend, tmp_path) as url:
        open_database(url)
        ana = clinic.add_patient("Ana")
        bobath = clinic.add_service("Método Bobath", price=Decimal("250.00"))
        package = packages.create_package(ana, 4, Decimal("1000.00"))
        session = agenda.schedule(ana, bobath, datetime(2025, 4, 1, 10))

        holding, release = threading.Event(), threading.Event()
        live = agenda_sessions._live

        def slow_live(value):
            row = live(value)
            if threading.current_thread().name == "pc1":
                holding.set()  # PC 1 holds its locks, the absence not yet committed
                release.wait(30)
            return row

        monkeypatch.setattr(agenda_sessions, "_live", slow_live)
        outcome: dict[str, object] = {}

        def pc1():
            agenda.set_attendance(session.id, "falta_justificada")
            db.close()

        def pc2():
            try:
                packages.pay_sessions(package.id, [session.id])
                outcome["pc2"] = "paid"
            except ValidationError as error:
                outcome["pc2"] = error
            finally:
                db.close()

        first = threading.Thread(target=pc1, name="pc1")
        first.start()
        assert holding.wait(30)
        second = threading.Thread(target=pc2, name="pc2")
        second.start()
        if is_postgres():
            # Prove the interleaving: PC 2 is blocked on PC 1's lock, not done before it.
            assert wait_for(lambda: lock_waiters() == 1)
        else:
            time.sleep(0.3)  # SQLite: PC 2 waits at BEGIN IMMEDIATE for PC 1's write lock
        assert "pc2" not in outcome
        release.set()
        first.join(30)
        second.join(30)
        assert "falta justificada" in str(outcome["pc2"])
        assert packages.paid_sessions(package.id) == []
        assert agenda.get_session(session.id).attendance == FALTA_JUSTIFICADA
        assert integrity.check() == []
        close_database()


def lock_waiters() -> int:
    return db.execute_sql(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    ).fetchone()[0]


def wait_for(condition, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return False
