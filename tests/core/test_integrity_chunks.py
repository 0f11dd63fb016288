"""The integrity check reads the ledger a chunk of packages at a time (a big clinic's
ledger is never held at once): packages on each side of a chunk's edge are checked with
their own debits and history, progress is told per chunk, and the outcome is the same as
in one chunk."""

from __future__ import annotations

from decimal import Decimal

from r3izzy_desktop.core import integrity, packages
from r3izzy_desktop.core.store.binding import db


def test_chunks_give_the_same_findings_as_one(patient, make_session, monkeypatch):
    made = [packages.create_package(patient, 3, Decimal("300.00")) for _ in range(5)]
    sessions = [make_session(day, 10) for day in range(1, 11)]
    for number, package in enumerate(made):
        packages.pay_sessions(
            package, sessions[2 * number : 2 * number + 2], accept_price_adjustment=True
        )
    packages.refund_session(sessions[5])  # a credit in the third package
    # Tamper with the fourth package only (the second chunk when chunks hold 2 or 3).
    db.execute_sql(f"UPDATE package SET open_amount = open_amount + 1 WHERE id = {made[3].id}")
    whole = [str(p) for p in integrity.check()]
    assert whole and all(made[3].number in text for text in whole)

    told: list[tuple[int, int]] = []
    for size in (1, 2, 3):
        monkeypatch.setattr(integrity, "CHUNK", size)
        told.clear()
        found = [str(p) for p in integrity.check(lambda done, total: told.append((done, total)))]
        assert found == whole, size
        assert told[-1] == (5, 5) and len(told) == -(-5 // size)
