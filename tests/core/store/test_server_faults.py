"""A PostgreSQL server that fails under the app, on a private cluster of the test's own
(tests/helpers/private_pg.py; never the shared server):

- a COMMIT whose answer never comes back (a loopback proxy throws it away): the app asks
  the server (txid_status) and neither doubles nor loses the payment;
- the whole server killed (SIGKILL) again and again during payment batches, restarted:
  every batch the app acknowledged is there, whole; every one it said was not recorded is
  not; nothing half-paid; the ledger consistent;
- the server killed and restarted while background reads' connections wait in the pool:
  the next reads work, on new connections.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections import Counter

import peewee
import pytest

from r3izzy_desktop.core import clinic, packages
from r3izzy_desktop.core.database import (
    close_database,
    drop_broken_connection,
    open_database,
    storage_problem,
)
from r3izzy_desktop.core.errors import AlreadyPaid, DatabaseProblem
from r3izzy_desktop.core.store import outcomes
from r3izzy_desktop.core.store.binding import db
from r3izzy_desktop.core.store.models import Payment
from tests.helpers import pg
from tests.helpers.batches import Payer, findings, make_clinic
from tests.helpers.crash_checks import crash_seed
from tests.helpers.figures import report
from tests.helpers.private_pg import Cluster, Proxy
from tests.helpers.workers import in_worker, server_process

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        pg.backend() == "postgres", reason="starts its own cluster: run by the SQLite run"
    ),
]

KILLS = 8


@pytest.fixture(scope="module")
def cluster():
    pytest.importorskip("psycopg")
    server = Cluster().init()
    yield server
    close_database()
    server.stop()


def payments_of(tag: str) -> int:
    from r3izzy_desktop.core.store.models import Session

    return (
        Payment.select()
        .join(Session)
        .where(Session.notes == tag, Payment.voided_at.is_null())
        .count()
    )


@pytest.mark.parametrize("when", ["after", "before"])
def test_a_commit_whose_answer_never_came(cluster, when):
    url = cluster.create_database(f"commit_{when}")
    proxy = Proxy(cluster.port)
    try:
        open_database(url.replace(f":{cluster.port}/", f":{proxy.port}/"))
        make_clinic()
        payer = Payer()
        payer.prepare()
        tag, package_id, _ = payer.pending
        proxy.cut_at_commit(when)
        if when == "after":
            # The server committed; the answer was lost; the app asks and knows.
            assert payer.pay_prepared() == tag
        else:
            with pytest.raises(DatabaseProblem) as raised:
                payer.pay_prepared()
            assert raised.value.kind == "not_recorded"
            assert "nada foi gravado" in raised.value.message
            assert payments_of(tag) == 0
            payer.pay_prepared()  # repeated by the user: paid once
        assert proxy.cuts == 1
        size = int(tag.rsplit(":", 1)[1])
        assert payments_of(tag) == size
        found = findings()
        assert found.paid_batches == {tag} and found.partial == [] and found.problems == []
        assert outcomes.unresolved() == 0
        assert packages.summary(package_id).sessions_used == size
    finally:
        close_database()
        proxy.close()


def test_the_server_killed_during_payment_batches(cluster):
    url = cluster.create_database("kills")
    seed = crash_seed()
    rng = random.Random(seed)
    open_database(url)
    make_clinic()
    outcomes.settled.clear()
    payer = Payer()
    claims: Counter[str] = Counter()
    not_recorded: list[str] = []  # batches the app said were not recorded, before retrying
    kills = []
    done = threading.Event()

    def killer() -> None:
        try:
            for _ in range(KILLS):
                time.sleep(rng.uniform(0.3, 1.2))
                kills.append(cluster.kill())
                time.sleep(rng.uniform(0.0, 0.5))
                cluster.start()
        finally:
            done.set()

    thread = threading.Thread(target=killer)
    thread.start()
    try:  # the killer always finishes (restarting the server) before the cluster goes
        while not done.is_set() or payer.pending is not None:
            tag = None  # set once the batch is scheduled: what a "not recorded" is about
            try:
                if payer.pending is None:
                    payer.prepare()
                tag = payer.pending[0]
                payer.pay_prepared()
                claims["paid"] += 1
            except AlreadyPaid:
                # A retry after an unknown outcome: the first try had been recorded.
                claims["found paid on retry"] += 1
                payer.acknowledged.append(payer.pending[0])
                payer.pending = None
            except peewee.PeeweeException as exc:  # a read (outside an operation) failed
                assert storage_problem(exc) is not None, exc  # the app says so in words
                claims["read failed"] += 1
                drop_broken_connection()  # as the app's excepthook does
                time.sleep(0.05)
            except DatabaseProblem as problem:
                claims[problem.kind] += 1
                if problem.kind == "not_recorded" and tag is not None:
                    not_recorded.append(tag)
                    claims["checked not recorded"] += _not_paid_now(tag)
                elif problem.message == outcomes.EARLIER_RECORDED and payer.pending:
                    # The payment whose answer was lost had been recorded (when it was a
                    # session or a package being scheduled, nothing is to be paid again).
                    payer.acknowledged.append(payer.pending[0])
                    payer.pending = None
                time.sleep(0.05)
        thread.join()
        deadline = time.monotonic() + 20
        while outcomes.unresolved() and time.monotonic() < deadline:
            with contextlib.suppress(Exception):
                outcomes.check_earlier(db.obj)
            time.sleep(0.2)
        found = findings()
    finally:
        thread.join()
        close_database()
    lost = found.lost(payer.acknowledged)
    report(
        "PostgreSQL killed during payment batches",
        seed=seed,
        server_kills=len(kills),
        processes_killed=sum(kills),
        batches_acknowledged=len(payer.acknowledged),
        told_not_recorded=len(not_recorded),
        lost_commits_settled=dict(outcomes.settled),
        outcomes_left_unknown=outcomes.unresolved(),
        acknowledged_lost=len(lost),
        partial_batches=len(found.partial),
        integrity_problems=len(found.problems),
    )
    assert len(kills) == KILLS and claims["paid"] > KILLS
    assert lost == [], f"seed {seed}"
    assert found.partial == [] and found.problems == [], f"seed {seed}: {found}"
    assert claims["checked not recorded"] == len(not_recorded), f"seed {seed}: {claims}"


def test_pooled_connections_of_background_reads_after_a_server_restart(cluster):
    # The background reads' connections wait in the database's pool (core/store/pool.py)
    # between two reads; a server that crashed and came back ended all of them. The next
    # reads must each work, on new connections, never on one of the dead.
    url = cluster.create_database("pool")
    open_database(url)
    try:
        clinic.add_patient("Ana")
        database = db.obj
        together = threading.Barrier(3)

        def read_together():
            process = server_process()
            together.wait(10)  # three connections at once: three in the pool after
            return process

        readers = [threading.Thread(target=in_worker, args=(read_together,)) for _ in range(3)]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join(30)
        assert database.idle_connections() == 3
        dead = in_worker(server_process)

        cluster.kill()
        cluster.start()
        for _ in range(3):
            process, names = in_worker(
                lambda: (server_process(), [p.name for p in clinic.find_patients("")])
            )
            assert names == ["Ana"] and process != dead
        assert database.idle_connections() == 1
    finally:
        close_database()


def _not_paid_now(tag: str) -> int:
    """1 when the batch the app said was not recorded has no payment (asked once the
    server answers again), 0 when it was in fact paid."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return int(payments_of(tag) == 0)
        except peewee.PeeweeException:
            drop_broken_connection()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
