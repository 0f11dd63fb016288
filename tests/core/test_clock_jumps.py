"""The PC's clock set back a day or forward a year (`core.clock.frozen`): package numbers
stay unique and R2-shaped (numbers "from the future" already taken are skipped, never
repeated), histories keep the order things happened in (and replay), package offers keep
R10's order, and the backup rotation never deletes a copy because the clock is wrong.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, backup, clock, integrity, packages
from r3izzy_desktop.core.backup import AT_CLOSE, AT_START
from r3izzy_desktop.core.database import close_database, open_database
from tests.helpers import pg

NOW = datetime(2026, 3, 10, 14, 30, 0)
BACK_A_DAY = NOW - timedelta(days=1)
AHEAD_A_YEAR = NOW.replace(year=2027)
R2 = re.compile(r"^\d{12}$")


def number_at(at: datetime) -> str:
    return at.strftime("%y%m%d%H%M%S")


def test_package_numbers_stay_unique_when_the_clock_jumps(patient):
    made = []
    with clock.frozen(NOW):
        made += [packages.create_package(patient, 2, Decimal("200.00")) for _ in range(3)]
    with clock.frozen(AHEAD_A_YEAR):
        made.append(packages.create_package(patient, 2, Decimal("200.00")))
    with clock.frozen(BACK_A_DAY):  # the numbers of "today" are in this clock's future
        made += [packages.create_package(patient, 2, Decimal("200.00")) for _ in range(2)]
    with clock.frozen(NOW):  # back at the first second: its numbers are taken
        made.append(packages.create_package(patient, 2, Decimal("200.00")))
    numbers = [p.number for p in made]
    assert numbers == [
        number_at(NOW),
        number_at(NOW + timedelta(seconds=1)),
        number_at(NOW + timedelta(seconds=2)),
        number_at(AHEAD_A_YEAR),
        number_at(BACK_A_DAY),
        number_at(BACK_A_DAY + timedelta(seconds=1)),
        number_at(NOW + timedelta(seconds=3)),  # the next free second after NOW's
    ]
    assert len(set(numbers)) == len(numbers) and all(R2.match(n) for n in numbers)


def test_history_keeps_the_order_of_events_when_the_clock_goes_back(patient, service):
    with clock.frozen(NOW):
        package = packages.create_package(patient, 3, Decimal("300.00"))
        first = agenda.schedule(patient, service, datetime(2026, 3, 12, 9), price=Decimal("100.00"))
    with clock.frozen(BACK_A_DAY):  # paid "before" it was created, by the clock
        packages.pay_sessions(package, [first])
    with clock.frozen(AHEAD_A_YEAR):
        packages.refund_session(first)
    with clock.frozen(BACK_A_DAY - timedelta(hours=1)):
        packages.pay_sessions(package, [first])
    kinds = [line.kind for line in packages.history(package)]
    assert kinds == ["criado", "sessão debitada", "sessão creditada", "sessão debitada"]
    ats = [line.at for line in packages.history(package)]
    assert ats == [NOW, BACK_A_DAY, AHEAD_A_YEAR, BACK_A_DAY - timedelta(hours=1)]
    summary = packages.summary(package)
    assert (summary.sessions_used, summary.open_amount) == (1, Decimal("200.00"))
    assert integrity.check() == []  # the replay follows the lines, not their clock


def test_offers_keep_the_oldest_payment_first_whatever_the_clock(patient):
    with clock.frozen(NOW):
        newer = packages.create_package(patient, 2, Decimal("200.00"))
    with clock.frozen(BACK_A_DAY):
        older = packages.create_package(patient, 2, Decimal("200.00"))  # paid "yesterday"
    with clock.frozen(AHEAD_A_YEAR):
        later = packages.create_package(patient, 2, Decimal("200.00"))
    assert older.paid_on == BACK_A_DAY.date() and later.paid_on == AHEAD_A_YEAR.date()
    with clock.frozen(NOW):
        offered = [p.id for p in packages.offerable_packages(patient)]
    assert offered == [older.id, newer.id, later.id]


@pytest.fixture
def clinic_file(tmp_path, monkeypatch):
    if pg.backend() == "postgres":
        pytest.skip("backups are of SQLite files")
    monkeypatch.setenv("R3IZZY_DATA_DIR", str(tmp_path / "dados"))
    path = tmp_path / "r3izzy.db"
    open_database(str(path))
    yield path
    close_database()


def days_of(folder_backups) -> list[date]:
    return sorted({b.made_at.date() for b in folder_backups})


def test_rotation_with_the_clock_set_back_a_year_keeps_every_copy(clinic_file):
    for day in range(20):  # twenty real days, one backup each
        backup.automatic_backup(AT_CLOSE, now=NOW - timedelta(days=day))
    with clock.frozen(NOW):
        backup.rotate()
    kept_before = backup.list_backups()
    assert 14 < len(days_of(kept_before)) < 20  # 14 daily, then one a week: some went
    a_year_ago = NOW.replace(year=2025)
    with clock.frozen(a_year_ago):  # the battery of the PC's clock died
        made = backup.automatic_backup(AT_START)
        assert made.exists()  # the copy just made is not rotated away
        after = backup.list_backups()
    assert {b.path for b in kept_before} <= {b.path for b in after}  # none deleted
    with clock.frozen(NOW):  # the clock is right again: the normal rule resumes
        backup.rotate()
        listed = backup.list_backups()
    assert listed[0].made_at == NOW  # the newest copy is the newest, not the misdated one
    assert len(days_of(listed)) <= 14 + 8


def test_rotation_with_the_clock_set_forward_a_year_spares_the_real_days(clinic_file):
    for day in range(14):
        backup.automatic_backup(AT_CLOSE, now=NOW - timedelta(days=day))
    with clock.frozen(AHEAD_A_YEAR):
        future = backup.automatic_backup(AT_START)
    with clock.frozen(NOW + timedelta(days=1)):  # the clock fixed, the next day
        backup.automatic_backup(AT_CLOSE)
        kept = backup.list_backups()
    assert future in {b.path for b in kept}  # never deleted for being "in the future"
    real_days = [d for d in days_of(kept) if d <= (NOW + timedelta(days=1)).date()]
    assert len(real_days) == 14 + 1  # 14 daily, the one older day now in the weekly window
    assert backup.daily_backup_due(today=(NOW + timedelta(days=2)).date())
