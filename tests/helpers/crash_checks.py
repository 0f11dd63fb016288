"""Checking crash images (power_cut.py) of the app's database: does each open, pass
both integrity checks, hold every acknowledged batch and no partial one."""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.errors import DomainError
from r3izzy_desktop.core.store.sqlite import sqlite3
from tests.helpers.batches import findings
from tests.helpers.power_cut import Moment, Recorder, crash_images

PER_MOMENT = 2


def crash_seed() -> int:
    """A fresh random seed, or R3IZZY_CRASH_SEED's to replay a run a report printed."""
    given = os.environ.get("R3IZZY_CRASH_SEED")
    return int(given) if given else int.from_bytes(os.urandom(4), "big")


@dataclass
class Tally:
    images: int = 0
    lost: int = 0  # acknowledged batches missing, summed over images
    images_losing: int = 0
    partial: int = 0
    integrity_failures: int = 0
    torn_writes: int = 0  # page writes that reached the disk in part, over all images
    first_failure: str = ""

    def fail(self, why: str) -> None:
        self.integrity_failures += 1
        self.first_failure = self.first_failure or why


def pick_moments(recorder: Recorder, count: int, seed: int) -> list[Moment]:
    """Half right before a sync (the most writes in flight), half anywhere."""
    rng = random.Random(seed)
    moments = recorder.moments()
    events = recorder.events
    before_sync = [m for m in moments if m.index < len(events) and events[m.index].kind == "sync"]
    chosen = rng.sample(before_sync, min(len(before_sync), count // 2))
    chosen += rng.sample(moments, min(len(moments), count - len(chosen)))
    return chosen


def check(image: Path, acknowledged: list[str], tally: Tally, name: str = "r3izzy.db") -> None:
    tally.images += 1
    path = image / name
    if not path.exists():
        tally.fail("the database file is gone")
        return
    try:
        # As the app finds it at its next start: it opens the database itself first (a
        # plain connection would recover the WAL and hide what the app's checks see).
        database = open_database(str(path), create=False)
        try:
            result = database.execute_sql("PRAGMA integrity_check").fetchall()
            found = findings()
        finally:
            close_database()
    except (sqlite3.Error, DomainError) as exc:
        tally.fail(f"does not open: {exc}")
        return
    if result != [("ok",)]:
        tally.fail(f"integrity_check: {result[:3]}")
        return
    if found.problems:
        tally.fail(f"integrity.check: {found.problems[:3]}")
    lost = found.lost(acknowledged)
    tally.lost += len(lost)
    tally.images_losing += bool(lost)
    tally.partial += len(found.partial)


def scratch(tmp_path: Path) -> Path:
    """Where the images go: memory when the machine has it (fsync costs nothing there;
    the images are checked, not kept)."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return Path(tempfile.mkdtemp(prefix="r3izzy-imagens-", dir=shm))
    return tmp_path / "imagens"


def crash_and_check(recorder: Recorder, folder: Path, images: int, seed: int) -> Tally:
    tally = Tally()
    moments = pick_moments(recorder, images // PER_MOMENT, seed)
    try:
        for moment, image, stats in crash_images(recorder, moments, PER_MOMENT, folder, seed):
            check(image, moment.marks, tally)
            tally.torn_writes = stats.torn_writes
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return tally
