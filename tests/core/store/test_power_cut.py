"""Power cuts in the middle of payment batches, simulated at the file level (see
tests/helpers/power_cut.py): thousands of crash images, each what the disk could hold if
the power went at that moment. Every image opens, passes `PRAGMA integrity_check` and the
app's integrity check, holds every batch acknowledged before the cut and no partial batch.

The app runs as it always does — `open_database` (WAL, synchronous FULL), its schema, its
operations — on its own SQLite, with the test VFS under it. The control runs the same
with synchronous=NORMAL, which does not sync the WAL at each commit: it must lose
acknowledged batches, or the test could not tell a durable commit from a lucky one.

`R3IZZY_CRASH_IMAGES` sets how many images the main test checks (default 2000).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.store.binding import db
from tests.helpers.batches import Payer, make_clinic
from tests.helpers.crash_checks import PER_MOMENT, crash_and_check, crash_seed, scratch
from tests.helpers.figures import report
from tests.helpers.power_cut import Recorder
from tests.helpers.vfs import FileLayer

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

IMAGES = int(os.environ.get("R3IZZY_CRASH_IMAGES", "2000"))


def record_batches(folder: Path, batches: int, *, synchronous: str = "FULL") -> Recorder:
    """A clinic in `folder`, then `batches` payment batches recorded by the test VFS; the
    app closes and opens the database now and then (a checkpoint, the WAL deleted and
    created again), as a reception PC does through the day."""
    path = str(folder / "r3izzy.db")
    open_database(path)
    make_clinic()
    close_database()
    recorder = Recorder(folder)
    payer = Payer()
    with FileLayer(str(folder), recorder):

        def reopen() -> None:
            close_database()
            open_database(path, create=False)
            if synchronous != "FULL":
                db.execute_sql(f"PRAGMA synchronous = {synchronous}")

        reopen()
        for number in range(batches):
            if number and number % 15 == 0:
                reopen()
            recorder.mark(payer.pay_one())
        close_database()
    return recorder


def test_power_cuts_during_payment_batches_lose_nothing_acknowledged(tmp_path):
    seed = crash_seed()
    clinic = tmp_path / "clinica"
    clinic.mkdir()
    recorder = record_batches(clinic, 60)
    syncs = sum(1 for e in recorder.events if e.kind == "sync")
    tally = crash_and_check(recorder, scratch(tmp_path), IMAGES, seed)
    report(
        "power cut, payments (synchronous FULL)",
        seed=seed,
        batches=60,
        file_operations=len(recorder.events),
        syncs=syncs,
        crash_images=tally.images,
        torn_writes=tally.torn_writes,
        acknowledged_lost=tally.lost,
        partial_batches=tally.partial,
        integrity_failures=tally.integrity_failures,
    )
    assert tally.images >= IMAGES - PER_MOMENT
    assert tally.integrity_failures == 0, f"seed {seed}: {tally.first_failure}"
    assert tally.partial == 0, f"seed {seed}"
    assert tally.lost == 0, f"seed {seed}: {tally.images_losing} images lost batches"


def test_control_synchronous_normal_loses_acknowledged_batches(tmp_path):
    """The same check must catch a setting that is not durable."""
    seed = crash_seed()
    clinic = tmp_path / "clinica"
    clinic.mkdir()
    recorder = record_batches(clinic, 20, synchronous="NORMAL")
    tally = crash_and_check(recorder, scratch(tmp_path), 300, seed)
    report(
        "power cut, control (synchronous NORMAL)",
        seed=seed,
        crash_images=tally.images,
        images_losing_batches=tally.images_losing,
        acknowledged_lost=tally.lost,
        partial_batches=tally.partial,
        integrity_failures=tally.integrity_failures,
    )
    assert tally.lost > 0, f"seed {seed}: NORMAL lost nothing: the crash model is too kind"
    # Not durable, but still consistent: WAL frames are checksummed.
    assert tally.integrity_failures == 0, f"seed {seed}: {tally.first_failure}"
    assert tally.partial == 0
