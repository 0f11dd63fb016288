"""The PostgreSQL driver loads only for a PostgreSQL database (core/drivers.py): a clinic on
SQLite does not pay its import at every start, and a server database still works.

Each check runs in a fresh interpreter, since this test process may have loaded the
driver already."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from tests.helpers import pg


def run_python(code: str, tmp_path) -> str:
    env = {**os.environ, "R3IZZY_DATA_DIR": str(tmp_path / "dados")}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_a_sqlite_database_opens_without_the_postgres_driver(tmp_path):
    out = run_python(
        f"""
        import sys
        from r3izzy_desktop.core import clinic, reports
        from r3izzy_desktop.core.database import open_database

        open_database({str(tmp_path / "x.db")!r})
        clinic.add_patient("Ana Souza")
        reports.package_report()
        loaded = [m for m in ("psycopg", "psycopg2", "playhouse.postgres_ext") if m in sys.modules]
        print(loaded)
        """,
        tmp_path,
    )
    assert out == "[]"


def test_upgrading_a_sqlite_schema_still_works_without_the_driver_loaded_first(tmp_path):
    """The schema upgrade imports the migrator (and with it the PostgreSQL extensions)
    only when it runs; a fresh database is created without it."""
    out = run_python(
        f"""
        import sys
        from r3izzy_desktop.core.database import open_database
        from r3izzy_desktop.core.store.migrations import SCHEMA_VERSION
        from r3izzy_desktop.core.store.models import SchemaVersion

        open_database({str(tmp_path / "y.db")!r})
        print(SchemaVersion.get().version == SCHEMA_VERSION, "playhouse.migrate" in sys.modules)
        """,
        tmp_path,
    )
    assert out == "True False"


@pytest.mark.postgres
def test_a_postgres_database_opens_after_the_driver_was_held_back(tmp_path):
    pg.require_server()
    with pg.fresh_database() as url:
        out = run_python(
            f"""
            import sys
            from r3izzy_desktop.core import clinic
            from r3izzy_desktop.core.database import current_database, open_database

            assert "psycopg" not in sys.modules
            open_database({url!r})
            with current_database().atomic():
                clinic.add_patient("Ana Souza")
            print([p.name for p in clinic.find_patients("ana")], "psycopg" in sys.modules)
            """,
            tmp_path,
        )
    assert out == "['Ana Souza'] True"
