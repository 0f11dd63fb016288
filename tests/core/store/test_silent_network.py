"""A network that goes silent while the app pays (no answer, no refusal: a Wi-Fi gone, a
server PC switched off), in a network namespace of the test's own with a private
PostgreSQL cluster (tests/helpers/silent_network.py):

- the app tells the user within 30 s (TCP keepalives and tcp_user_timeout on its
  connection), in Portuguese, and does not claim a payment it cannot confirm;
- the row locks its dead connection held are freed by the server
  (idle_in_transaction_session_timeout), so another PC can pay from the package;
- once the network is back, the lost commit is settled and the payment made once.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from r3izzy_desktop.core.store.connection import DETECTION_S, IDLE_IN_TRANSACTION_MS
from tests.helpers import pg
from tests.helpers.figures import report

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        pg.backend() == "postgres", reason="starts its own cluster: run by the SQLite run"
    ),
]

ROOT = Path(__file__).resolve().parents[3]


def test_a_silent_network_is_told_within_30_s_and_frees_the_locks():
    pytest.importorskip("psycopg")
    if shutil.which("unshare") is None or shutil.which("tc") is None:
        pytest.skip("needs unshare and tc (util-linux, iproute2) for a private network")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"no private network namespace allowed here: {probe.stderr.strip()}")
    done = subprocess.run(
        ["unshare", "-n", sys.executable, "-m", "tests.helpers.silent_network"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    report(
        "silent network (PostgreSQL)",
        detected_after_s=round(result["told_after_s"], 1),
        locks_freed_after_s=round(result["other_pc"]["after_silence_s"], 1),
        outcome=result["outcome"],
        retry=result["retry"],
    )
    # Told within the limit, in words, without claiming the payment.
    assert result["told_after_s"] < 30
    assert result["told_after_s"] < DETECTION_S + 5
    assert result["outcome"] in ("connection", "not_recorded")
    assert "conexão com o servidor" in result["message"]
    # The server ended the silent connection's transaction: the other PC got the lock.
    assert result["other_pc"]["after_silence_s"] < IDLE_IN_TRANSACTION_MS / 1000 + 10
    # Back on the network: settled as not recorded, paid once by the retry.
    assert result["retry"] == "paid"
    assert result["paid_batches"] == [result["tag"]]
    assert result["partial"] == [] and result["problems"] == []
    assert result["unresolved"] == 0
