"""Core tests: no Qt. Each test gets a fresh, empty database.

`R3IZZY_TEST_BACKEND=postgres` runs them on PostgreSQL (a fresh schema per test on the
local server, see tests/helpers/pg.py); the default is SQLite in memory. Modules about SQLite
files by nature (pragmas, file backups and restores, the crash test, start-up with a bad
file) are marked `sqlite_only` and are skipped, with that reason, in the PostgreSQL run:
they run in the SQLite run, which CI runs too.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from r3izzy_desktop.core import agenda, clinic, packages
from r3izzy_desktop.core.database import close_database, open_database
from tests.helpers import pg

# Modules whose subject is the SQLite file itself.
SQLITE_ONLY_MODULES = {
    "store/test_database.py": "URLs, pragmas and locks of SQLite files",
    "store/test_migration.py": "schema-1 SQLite files copied aside and upgraded",
    "backup/test_backup.py": "backups and restores of SQLite files",
    "store/test_startup_cli.py": "damaged, locked and read-only SQLite files",
    "store/test_crash.py": "a process killed while writing a SQLite file",
    "backup/test_open_handles.py": "SQLite files renamed and replaced while open",
    "store/test_power_cut.py": "power cuts under a SQLite file (the test VFS)",
    "store/test_power_cut_files.py": "power cuts while SQLite backups are written and restored",
    "store/test_disk_full.py": "a full disk under a SQLite file",
    "store/test_io_errors.py": "I/O errors under a SQLite file (the test VFS)",
    "store/test_sqlite_engine.py": "the SQLite library the app runs on",
    "store/test_torn_header.py": "a SQLite file torn by a power cut, with its WAL",
    "importing/test_import_cli_backup.py": "the backup before an import, of a SQLite file",
}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        where = item.path.relative_to(here).as_posix() if item.path.is_relative_to(here) else ""
        reason = SQLITE_ONLY_MODULES.get(where)
        if reason is None:
            continue
        item.add_marker(pytest.mark.sqlite_only)
        if pg.backend() == "postgres":
            item.add_marker(
                pytest.mark.skip(reason=f"SQLite by nature ({reason}): run by the SQLite run")
            )


@pytest.fixture
def db():
    """A fresh database, bound to the models for the duration of the test: SQLite in
    memory, or a new schema on PostgreSQL when R3IZZY_TEST_BACKEND=postgres."""
    with pg.database_for_test() as url:
        database = open_database(url)
        yield database
        close_database()


@pytest.fixture
def patient(db):
    return clinic.add_patient("Ana Souza")


@pytest.fixture
def service(db):
    return clinic.add_service("Método Bobath", price=Decimal("250.00"), duration_min=50)


@pytest.fixture
def make_session(patient, service):
    """make_session(day, hour, minute=0, **kw) -> a session of `patient` in April 2025."""

    def make(day: int, hour: int, minute: int = 0, *, month: int = 4, **kwargs):
        who = kwargs.pop("patient", patient)
        return agenda.schedule(who, service, datetime(2025, month, day, hour, minute), **kwargs)

    return make


PAID_ON = date(2025, 5, 2)


@pytest.fixture
def other_patient(db):
    return clinic.add_patient("Bruno Lima")


@pytest.fixture
def make_package(patient):
    """make_package(sessions=4, total="1000.00", paid_on=PAID_ON, **kw) -> a new package."""

    def make(sessions=4, total="1000.00", paid_on=PAID_ON, *, who=None, **kwargs):
        return packages.create_package(
            who or patient, sessions=sessions, total=Decimal(total), paid_on=paid_on, **kwargs
        )

    return make
