"""A process paying batches of sessions is killed (SIGKILL; on Windows TerminateProcess)
at random moments, many times: the database stays intact and every batch is paid whole or
not at all."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from r3izzy_desktop.core import integrity
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.store.models import Package, Payment, Session
from r3izzy_desktop.core.store.sqlite import sqlite3
from tests.helpers.crash_checks import crash_seed
from tests.helpers.crash_worker import BATCH_SIZES, TAG, setup

ROOT = Path(__file__).resolve().parents[3]
KILLS = 25

pytestmark = pytest.mark.slow


def start_worker(path: Path, env: dict) -> subprocess.Popen:
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.crash_worker", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = worker.stdout.readline()
    if line.strip() != "pronto":
        worker.kill()
        raise AssertionError(f"worker did not start: {line!r} {worker.stderr.read()}")
    return worker


def check_everything(path: Path) -> dict[str, int]:
    """The database after a kill: SQLite intact, the ledger consistent, batches whole."""
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    open_database(str(path), create=False)
    try:
        assert integrity.check() == []
        paid_by_tag: dict[str, int] = Counter()
        scheduled_by_tag: dict[str, int] = Counter()
        paid_ids = {p.session_id for p in Payment.select().where(Payment.voided_at.is_null())}
        for session in Session.select(Session.id, Session.notes):
            scheduled_by_tag[session.notes] += 1
            paid_by_tag[session.notes] += session.id in paid_ids
        whole = 0
        for tag, paid in paid_by_tag.items():
            size = int(tag.rsplit(":", 1)[1])
            assert tag.startswith(TAG)
            # A batch is paid whole (all its sessions were scheduled) or not at all.
            assert paid in (0, size), f"batch {tag} has {paid} of {size} sessions paid"
            if paid:
                assert scheduled_by_tag[tag] == size
                whole += 1
        debits: dict[int, int] = defaultdict(int)
        for payment in Payment.select().where(
            Payment.voided_at.is_null() & Payment.package.is_null(False)
        ):
            debits[payment.package_id] += 1
        for package in Package.select():
            size = int(package.patient.name.rsplit(" ", 1)[1])  # "Paciente lotes de 3"
            assert size in BATCH_SIZES
            assert debits[package.id] % size == 0
            assert package.sessions_used == debits[package.id]
        return {"batches": whole, "unpaid": sum(1 for v in paid_by_tag.values() if v == 0)}
    finally:
        close_database()


def test_killed_in_the_middle_of_payments_many_times(tmp_path):
    path = tmp_path / "r3izzy.db"
    setup(str(path))
    env = {**os.environ, "R3IZZY_DATA_DIR": str(tmp_path / "dados")}
    seed = crash_seed()
    rng = random.Random(seed)
    history = []
    for kill in range(KILLS):
        worker = start_worker(path, env)
        time.sleep(rng.uniform(0.02, 0.4))
        assert worker.poll() is None, f"worker died by itself: {worker.stderr.read()}"
        worker.kill()  # SIGKILL; on Windows TerminateProcess, as abrupt
        worker.wait()
        worker.stdout.close()
        worker.stderr.close()
        try:
            history.append(check_everything(path))
        except AssertionError as exc:
            raise AssertionError(f"after kill {kill + 1} (seed {seed}): {exc}") from exc
    assert history[-1]["batches"] >= KILLS  # the worker really paid between the kills
