"""`migrate-to`: a SQLite clinic copied into PostgreSQL with ids and history intact."""

import subprocess
import sys

import pytest

from r3izzy_desktop.core import demo, integrity, packages
from r3izzy_desktop.core.database import close_database, current_database, open_database
from r3izzy_desktop.core.errors import DatabaseProblem, ValidationError
from r3izzy_desktop.core.store import transfer
from r3izzy_desktop.core.store.models import ALL_MODELS, Package, Patient
from r3izzy_desktop.core.store.sqlite import sqlite3
from tests.helpers.pg import fresh_database

pytestmark = pytest.mark.postgres


def _dump() -> dict[str, list[tuple]]:
    """Every row of every table, as Python values, ordered by primary key."""
    rows = {}
    for model in ALL_MODELS:
        rows[model._meta.table_name] = list(
            model.select().order_by(model._meta.primary_key).tuples()
        )
    return rows


@pytest.fixture
def clinic_file(tmp_path):
    path = tmp_path / "clinica.db"
    open_database(str(path))
    demo.populate("small", seed=11)
    close_database()
    return str(path)


def test_copy_keeps_every_row_and_id(clinic_file):
    open_database(clinic_file)
    before = _dump()
    close_database()
    with fresh_database() as url:
        result = transfer.copy_to(clinic_file, url, check=integrity.check)
        assert result.target_problems == [] and result.source_problems == []
        assert result.counts["package_event"] == len(before["package_event"])
        assert _dump() == before
        # New rows continue after the copied ids (sequences moved on).
        newcomer = Patient.create(name="Depois da migração")
        assert newcomer.id == max(p[0] for p in before["patient"]) + 1
        first = Package.select().order_by(Package.id).first()
        assert packages.history(first)[0].note == "Pacote criado"
        # The server's planner was told the tables' sizes (and their visibility map set).
        db = current_database()
        never = db.execute_sql(
            "SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NULL "
            "OR last_analyze IS NULL"
        ).fetchall()
        assert never == []


def test_refuses_a_target_that_is_not_empty(clinic_file):
    with fresh_database() as url:
        transfer.copy_to(clinic_file, url, check=integrity.check)
        with pytest.raises(ValidationError, match="não está vazio"):
            transfer.copy_to(clinic_file, url, check=integrity.check)


def test_refuses_a_source_that_is_not_a_file(tmp_path):
    with fresh_database() as url, pytest.raises(ValidationError):
        transfer.copy_to(str(tmp_path / "nao-existe.db"), url, check=integrity.check)


def test_command_line(clinic_file):
    with fresh_database() as url:
        done = subprocess.run(
            [sys.executable, "-m", "r3izzy_desktop", "migrate-to", url, "--db", clinic_file],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert "OK" in done.stdout and "package_event" in done.stdout


@pytest.fixture
def clinic_file_the_server_refuses(clinic_file):
    """A clinic whose SQLite file holds text in an integer column: SQLite keeps it, the
    integrity check does not look at it, PostgreSQL refuses it in the middle of the copy."""
    with sqlite3.connect(clinic_file) as con:
        con.execute("UPDATE session SET duration_min = 'cinquenta' WHERE id = 5")
    con.close()
    return clinic_file


def test_a_database_error_while_copying_is_a_database_problem(clinic_file_the_server_refuses):
    with fresh_database() as url:
        with pytest.raises(DatabaseProblem, match="destino continua vazio") as caught:
            transfer.copy_to(clinic_file_the_server_refuses, url, check=integrity.check)
        assert caught.value.kind == "transfer"
        assert current_database() is None  # closed, not left half-open
        open_database(url)
        assert Patient.select().count() == 0  # the copy is one transaction: rolled back
        close_database()


def test_the_command_line_reports_a_failed_copy_without_a_traceback(
    clinic_file_the_server_refuses,
):
    with fresh_database() as url:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "r3izzy_desktop",
                "migrate-to",
                url,
                "--db",
                clinic_file_the_server_refuses,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 2, done.stderr
    assert "Erro: A cópia foi interrompida" in done.stderr
    assert "Traceback" not in done.stderr
