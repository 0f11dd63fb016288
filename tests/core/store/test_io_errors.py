"""I/O errors injected at the k-th file operation of a short working session (open the
database, pay two batches, read, close), for every k: once, and from then on until the
disk comes back. Each failure reaches the user as a Portuguese message; afterwards the
database is intact, holds every acknowledged batch and no partial one, and the app pays
again.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from pathlib import Path

import peewee
import pytest

from r3izzy_desktop.core import packages
from r3izzy_desktop.core.database import close_database, open_database, storage_problem
from r3izzy_desktop.core.errors import DomainError
from r3izzy_desktop.core.store.binding import db
from r3izzy_desktop.core.store.sqlite import sqlite3
from tests.helpers.batches import Payer, findings, make_clinic
from tests.helpers.figures import report
from tests.helpers.vfs import FailAt, FileLayer

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]


def told_in_portuguese(exc: BaseException) -> bool:
    """What the user sees: a DomainError's message, or — for a read outside an operation —
    the one the app's excepthook shows (core.database.storage_problem)."""
    return isinstance(exc, DomainError) or (
        isinstance(exc, peewee.DatabaseError) and storage_problem(exc) is not None
    )


def session(path: Path, payer: Payer, errors: list[BaseException]) -> None:
    """Open, pay two batches, read, close: each step on its own, as the app would go on
    after an error the user was shown."""

    def step(action) -> None:
        try:
            action()
        except Exception as exc:
            errors.append(exc)

    step(lambda: open_database(str(path), create=False))
    if db.obj is None:
        return
    step(payer.pay_one)
    step(payer.pay_one)
    step(lambda: packages.offerable_packages(payer_patient()))
    step(close_database)


def payer_patient():
    from r3izzy_desktop.core import clinic

    return clinic.find_patients("")[0]


def run_once(base: Path, folder: Path, k: int, persistent: bool) -> tuple[FailAt, list, Payer]:
    if folder.exists():
        shutil.rmtree(folder)
    # copyfile, not copytree's default copy2: on Windows copy2 calls CopyFile2, which
    # Wine 8 does not implement (the suite would stop in Wine's debugger).
    shutil.copytree(base, folder, copy_function=shutil.copyfile)
    path = folder / "r3izzy.db"
    faults = FailAt(k, persistent)
    payer = Payer(start=Payer().start.replace(year=2026))
    errors: list[BaseException] = []
    with FileLayer(str(folder), faults=faults):
        session(path, payer, errors)
        faults.healed = True  # the disk is back
        if db.obj is None:
            open_database(str(path), create=False)
        payer.pay_one()  # the app pays again
        close_database()
    return faults, errors, payer


def verify(path: Path, payer: Payer) -> list[str]:
    with sqlite3.connect(path) as con:
        result = con.execute("PRAGMA integrity_check").fetchall()
    if result != [("ok",)]:
        return [f"integrity_check: {result[:3]}"]
    open_database(str(path), create=False)
    try:
        found = findings()
    finally:
        close_database()
    lost = set(payer.acknowledged) - found.paid_batches
    return found.problems + [f"partial {t}" for t in found.partial] + [f"lost {t}" for t in lost]


@pytest.mark.timeout(600)  # ~400 file operations, each run twice: 40 s alone, over 120 s at load 5
def test_an_io_error_at_every_file_operation(tmp_path):
    base = tmp_path / "base"
    base.mkdir()
    open_database(str(base / "r3izzy.db"))
    make_clinic()
    Payer(start=Payer().start.replace(year=2024)).pay_one()
    close_database()
    scratch = Path(tempfile.mkdtemp(prefix="r3izzy-falhas-", dir=_memory_or(tmp_path)))
    counting, errors, _ = run_once(base, scratch / "run", 0, False)
    assert errors == []
    operations = counting.count
    failures: list[str] = []
    kinds: Counter[str] = Counter()
    told = 0
    for persistent in (False, True):
        for k in range(1, operations + 1):
            faults, errors, payer = run_once(base, scratch / "run", k, persistent)
            kinds.update(faults.failed[:1])
            for exc in errors:
                if told_in_portuguese(exc):
                    told += 1
                else:
                    failures.append(f"k={k} persistent={persistent}: {exc!r}")
            failures += [
                f"k={k} persistent={persistent}: {p}"
                for p in verify(scratch / "run" / "r3izzy.db", payer)
            ]
    shutil.rmtree(scratch, ignore_errors=True)
    report(
        "I/O errors at the k-th file operation",
        file_operations=operations,
        runs=2 * operations,
        errors_told_in_portuguese=told,
        failed_operations=dict(kinds),
        failures=len(failures),
    )
    assert failures == [], "\n".join(failures[:20])


def _memory_or(tmp_path: Path) -> str:
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() else str(tmp_path)
