"""A network that goes silent in the middle of a payment: run by test_silent_network.py as
`unshare --net python -m tests.helpers.silent_network`, in a network namespace of its own
(nothing of the machine's network is touched; only its own loopback exists there).

In it: a private PostgreSQL cluster, a loopback proxy between the app and it, and the app
paying a batch. When the app's COMMIT reaches the proxy, the proxy keeps it and the
namespace's loopback starts dropping every packet (a `tbf` queue no packet fits), as a
Wi-Fi gone or a server PC switched off would: no answer, no refusal. Measured: how long
the app takes to tell the user (keepalives / tcp_user_timeout), how long another PC,
coming in through the server's Unix socket, waits for the package's row lock
(idle_in_transaction_session_timeout), and what happens once the network is back.
Prints one JSON object.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import psycopg

from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.errors import DatabaseProblem
from r3izzy_desktop.core.store import outcomes
from tests.helpers.batches import Payer, findings, make_clinic
from tests.helpers.private_pg import Cluster, Proxy

BLACKHOLE = ["tc", "qdisc", "add", "dev", "lo", "root", "tbf", "rate", "8bit", "burst", "10",
             "limit", "10"]  # fmt: skip
RESTORE = ["tc", "qdisc", "del", "dev", "lo", "root"]


def main() -> dict:
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    cluster = Cluster().init()
    proxy = Proxy(cluster.port)
    result: dict = {}
    try:
        url = cluster.create_database("clinica")
        open_database(url.replace(f":{cluster.port}/", f":{proxy.port}/"))
        make_clinic()
        payer = Payer()
        payer.prepare()
        tag, package_id, _ = payer.pending
        silent_at: list[float] = []

        def go_silent() -> None:
            subprocess.run(BLACKHOLE, check=True)
            silent_at.append(time.monotonic())

        proxy.on_commit(go_silent)
        other_pc: dict = {}
        started = threading.Event()

        def other_pc_pays() -> None:
            """Another PC takes the package's row lock, through the Unix socket."""
            started.wait()
            with psycopg.connect(cluster.socket_url("clinica"), autocommit=False) as con:
                begun = time.monotonic()
                con.execute(
                    'SELECT id FROM "package" WHERE id = %s FOR UPDATE', (package_id,)
                ).fetchone()
                other_pc["waited_s"] = time.monotonic() - begun
                other_pc["after_silence_s"] = time.monotonic() - silent_at[0]
                con.rollback()

        thread = threading.Thread(target=other_pc_pays)
        thread.start()
        # Once the batch is being paid (its row locks taken), the other PC asks for them.
        proxy.on_first(b"FOR UPDATE", started.set)
        began = time.monotonic()
        try:
            payer.pay_prepared()
            result["outcome"] = "returned"
        except DatabaseProblem as problem:
            result["outcome"] = problem.kind
            result["message"] = problem.message
        result["told_after_s"] = time.monotonic() - silent_at[0] if silent_at else None
        result["operation_s"] = time.monotonic() - began
        thread.join(timeout=60)
        result["other_pc"] = other_pc
        subprocess.run(RESTORE, check=True)  # the network is back
        # The next operation first settles the lost one, then the user pays again.
        try:
            payer.pay_prepared()
            result["retry"] = "paid"
        except DatabaseProblem as problem:
            result["retry"] = problem.message
        found = findings()
        result["paid_batches"] = sorted(found.paid_batches)
        result["tag"] = tag
        result["partial"] = found.partial
        result["problems"] = found.problems
        result["unresolved"] = outcomes.unresolved()
    finally:
        close_database()
        proxy.close()
        cluster.stop()
    return result


if __name__ == "__main__":
    print(json.dumps(main()), flush=True)
    sys.exit(0)
