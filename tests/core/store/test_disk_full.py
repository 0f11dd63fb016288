"""A full disk under the database: payments until it fills, each refused with a clear
Portuguese message (nothing written), nothing acknowledged lost, the database intact,
the app still reading, and paying again once space is freed.

Two disks: a real one, a 4 MB tmpfs the test mounts (the kernel says ENOSPC; needs the
right to mount, which root has here and CI has), and the test VFS's `FullDisk`, which
refuses the writes that would pass its capacity with SQLITE_FULL — where mounting is not
allowed it is the closest honest substitute: the same error reaches the same code, but no
kernel decides it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from r3izzy_desktop.core import packages
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.errors import DatabaseProblem
from r3izzy_desktop.core.store.sqlite import sqlite3
from tests.helpers.batches import Payer, findings, make_clinic
from tests.helpers.figures import report
from tests.helpers.vfs import FileLayer, FullDisk

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

DISK = 4 * 1024 * 1024
ROOM = 1200 * 1024  # left free by the filler file: a few batches fit, then the disk is full
ATTEMPTS_WHEN_FULL = 12


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs mounted on a folder of the test, unmounted afterwards."""
    if not sys.platform.startswith("linux"):
        pytest.skip("a tmpfs is mounted on Linux only; test_full_disk_simulated covers the same")
    folder = tmp_path / "disco"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK},mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not allowed here ({mounted.stderr.strip()}); "
                    "test_full_disk_simulated covers the same with the test VFS")  # fmt: skip
    try:
        yield folder
    finally:
        close_database()
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave: int) -> Path:
    """A filler file that leaves `leave` bytes free on the file system of `folder`."""
    filler = folder / "enchimento.bin"
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    with filler.open("wb") as out:
        out.write(b"\0" * max(0, free - leave))
    return filler


def pay_until_full(path: Path, free_space) -> dict[str, int]:
    """Pay until the disk is full, go on trying, read, free space, pay again; returns
    the figures. `free_space()` frees the disk."""
    payer = Payer()
    refusals = 0
    messages = set()
    while refusals < ATTEMPTS_WHEN_FULL:
        try:
            payer.pay_one()
        except DatabaseProblem as problem:
            assert problem.kind == "full", problem.message
            refusals += 1
            messages.add(problem.message)
        assert len(payer.acknowledged) < 400, "the disk never filled"
    paid_before_full = len(payer.acknowledged)
    assert paid_before_full > 0
    assert messages == {
        "Não há espaço livre no disco onde fica o banco de dados. Nada foi gravado.\n\n"
        "Libere espaço (apague arquivos que não são mais necessários, esvazie a lixeira) "
        "e tente novamente."
    }
    # Still reading, with every acknowledged batch there and nothing half-paid.
    found = findings()
    assert set(payer.acknowledged) <= found.paid_batches
    assert found.partial == [] and found.problems == []
    assert packages.offerable_packages(payer_patient())
    free_space()
    for _ in range(3):
        payer.pay_one()  # working again, in the same session
    close_database()
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    open_database(str(path), create=False)
    found = findings()
    assert set(payer.acknowledged) <= found.paid_batches
    assert found.partial == [] and found.problems == []
    return {
        "batches_before_full": paid_before_full,
        "disk_full_refusals": refusals,
        "batches_after_freeing": 3,
        "acknowledged_lost": len(set(payer.acknowledged) - found.paid_batches),
    }


def payer_patient():
    from r3izzy_desktop.core import clinic

    return clinic.find_patients("")[0]


def test_full_disk_tmpfs(small_disk):
    path = small_disk / "r3izzy.db"
    open_database(str(path))
    make_clinic()
    filler = fill(small_disk, ROOM)
    figures = pay_until_full(path, filler.unlink)
    close_database()
    report("disk full, 4 MB tmpfs", **figures)


def test_full_disk_simulated(tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("a tmpfs is mounted on Linux only; test_full_disk_simulated covers the same")
    folder = tmp_path / "disco"
    folder.mkdir()
    path = folder / "r3izzy.db"
    open_database(str(path))
    make_clinic()
    close_database()
    disk = FullDisk(str(folder), os.path.getsize(path) + ROOM)
    with FileLayer(str(folder), faults=disk):
        open_database(str(path), create=False)

        def free_space() -> None:
            disk.capacity += 8 * 1024 * 1024

        figures = pay_until_full(path, free_space)
        close_database()
    report("disk full, test VFS (SQLITE_FULL)", **figures, writes_refused=disk.refused)
