"""Power cuts while a backup is written and while a restore puts a backup in place (see
tests/helpers/power_cut.py; the app's renames and folder syncs are recorded too).

A backup the app said it made is there after any cut, complete and valid; a half-written
one never carries a backup's name. A restore that returned survives the cut; one cut
midway leaves the old database (or, when the old one was damaged and already set
aside, no database and the set-aside copy), never a mix of the two.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from r3izzy_desktop.core import backup
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.errors import DomainError
from tests.helpers.batches import Payer, findings, make_clinic
from tests.helpers.crash_checks import Tally, check, crash_seed, pick_moments, scratch
from tests.helpers.figures import report
from tests.helpers.power_cut import Recorder, crash_images
from tests.helpers.vfs import FileLayer

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

IMAGES = int(os.environ.get("R3IZZY_CRASH_IMAGES_FILES", "300"))


def contents(path: Path) -> set[str] | None:
    """The batches a database file holds, None when it does not open as a sound one."""
    try:
        open_database(str(path), create=False)
        try:
            found = findings()
        finally:
            close_database()
    except DomainError:
        return None
    return None if found.problems or found.partial else found.paid_batches


def test_power_cuts_while_backups_are_written(tmp_path, monkeypatch):
    seed = crash_seed()
    clinic = tmp_path / "clinica"
    (clinic / "copias").mkdir(parents=True)
    path = str(clinic / "r3izzy.db")
    open_database(path)
    make_clinic()
    close_database()
    recorder = Recorder(clinic)
    payer = Payer()
    recorder.patch_os(monkeypatch)
    held: dict[str, list[str]] = {}  # backup -> batches acknowledged before it began
    with FileLayer(str(clinic), recorder):
        open_database(path, create=False)
        for number in range(12):
            recorder.mark(payer.pay_one())
            if number % 3 == 2:
                name = f"copia-{number}.db"
                held[name] = list(payer.acknowledged)
                backup.backup_now(clinic / "copias" / name)
                recorder.mark(f"backup {name}")
        close_database()
    monkeypatch.undo()

    tally, backups_checked, half_written = Tally(), 0, 0
    moments = pick_moments(recorder, IMAGES // 2, seed)
    for moment, image, _ in crash_images(recorder, moments, 2, scratch(tmp_path), seed):
        batches = [m for m in moment.marks if not m.startswith("backup ")]
        check(image, batches, tally)
        done = {m.removeprefix("backup ") for m in moment.marks if m.startswith("backup ")}
        for copy in sorted((image / "copias").glob("*")):
            if not copy.name.endswith(".db"):  # `.partial` and its journal: never listed
                half_written += 1  # nor offered as a backup (list_backups wants `.db`)
                continue
            backups_checked += 1
            try:
                backup.validate(copy)
            except backup.BackupError as exc:
                tally.fail(f"{copy.name} carries a backup's name but is not one: {exc}")
                continue
            held_batches = contents(copy)
            if held_batches is None or not set(held[copy.name]) <= held_batches:
                tally.fail(f"{copy.name} misses batches it was made after")
        for name in done:
            if not (image / "copias" / name).exists():
                tally.fail(f"the acknowledged backup {name} is gone")
    report(
        "power cut, backups being written",
        seed=seed,
        crash_images=tally.images,
        backups_checked=backups_checked,
        half_written_copies_ignored=half_written,
        acknowledged_lost=tally.lost,
        partial_batches=tally.partial,
        integrity_failures=tally.integrity_failures,
    )
    assert tally.integrity_failures == 0, f"seed {seed}: {tally.first_failure}"
    assert tally.lost == tally.partial == 0, f"seed {seed}"
    assert backups_checked and half_written  # the cuts did land inside and after backups


def clinic_with_batches(path: Path, batches: int) -> list[str]:
    open_database(str(path))
    make_clinic()
    payer = Payer()
    for _ in range(batches):
        payer.pay_one()
    close_database()
    return payer.acknowledged


@pytest.mark.parametrize("old", ["danificado", "bom"])
def test_power_cuts_while_a_backup_is_restored(tmp_path, monkeypatch, old):
    """`danificado`: the database is damaged, so it is renamed aside and the backup renamed
    into place; `bom`: a sound database is overwritten through the backup API."""
    seed = crash_seed()
    clinic = tmp_path / "clinica"
    clinic.mkdir()
    monkeypatch.setenv("R3IZZY_DATA_DIR", str(clinic / "dados"))
    (clinic / "dados" / "backups").mkdir(parents=True)
    saved = clinic / "copia.db"
    in_backup = set(clinic_with_batches(saved, 4))
    live = clinic / "r3izzy.db"
    if old == "danificado":
        live.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
        before = None
    else:
        before = set(clinic_with_batches(live, 2))
    damaged = live.read_bytes()
    recorder = Recorder(clinic)
    recorder.patch_os(monkeypatch)
    payer = Payer(start=Payer().start.replace(year=2026))
    with FileLayer(str(clinic), recorder):
        backup.restore(saved, url=str(live))
        recorder.mark("restaurado")
        open_database(str(live), create=False)
        recorder.mark(payer.pay_one())
        close_database()
    monkeypatch.undo()

    tally, interrupted = Tally(), 0
    moments = pick_moments(recorder, IMAGES // 2, seed)
    for moment, image, _ in crash_images(recorder, moments, 2, scratch(tmp_path), seed):
        tally.images += 1
        restored = "restaurado" in moment.marks
        file = image / "r3izzy.db"
        if not restored and (not file.exists() or file.read_bytes() == damaged):
            # Cut before the restore took effect: the old state, or (damaged database
            # already set aside) no database and the set-aside copy.
            interrupted += 1
            if not file.exists() and not list(image.glob("r3izzy.db.danificado-*")):
                tally.fail("the damaged database vanished without its set-aside copy")
            continue
        held = contents(file) if file.exists() else None
        acknowledged = set(moment.marks) - {"restaurado"}
        if held is not None and held >= in_backup | acknowledged:
            continue
        if not restored and held is not None and before is not None and held == before:
            interrupted += 1
            continue
        tally.fail(f"restored={restored}: the database holds {held}")
    report(
        f"power cut, restore ({old})",
        seed=seed,
        crash_images=tally.images,
        cut_before_it_took_effect=interrupted,
        integrity_failures=tally.integrity_failures,
    )
    assert tally.integrity_failures == 0, f"seed {seed}: {tally.first_failure}"
    assert 0 < interrupted < tally.images
