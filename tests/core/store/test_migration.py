"""A database of schema version 1 (built here) is upgraded on open: copied aside first,
brought to the current version, indexes added, data and consistency intact."""

from __future__ import annotations

from pathlib import Path

import pytest

from r3izzy_desktop.core import demo, integrity
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.store import migrations
from r3izzy_desktop.core.store.models import ALL_MODELS, SchemaVersion
from r3izzy_desktop.core.store.sqlite import sqlite3

V2_INDEXES = {"session_patient_id_starts_at", "package_paid_on"}


def indexes(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as con:
        return dict(
            con.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            ).fetchall()
        )


def table_rows(path: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(path)
    try:
        return {
            model._meta.table_name: con.execute(
                f'SELECT * FROM "{model._meta.table_name}" ORDER BY 1'
            ).fetchall()
            for model in ALL_MODELS
            if model is not SchemaVersion
        }
    finally:
        con.close()


def build_version_1(path: Path) -> None:
    """Schema 1 is today's models without the two indexes that step 2 adds; filled
    with the demo clinic through the API."""
    database = open_database(str(path), migrate=False)
    with database.atomic():
        database.create_tables(ALL_MODELS)
        for name in V2_INDEXES:
            database.execute_sql(f'DROP INDEX "{name}"')
        SchemaVersion.create(version=1)
    demo.populate("small", seed=3)
    close_database()


def test_schema_1_database_is_copied_then_upgraded(tmp_path):
    path = tmp_path / "clinica.db"
    build_version_1(path)
    assert V2_INDEXES.isdisjoint(indexes(path))
    before = table_rows(path)
    assert before["package"] and before["payment"] and before["package_event"]

    open_database(str(path), create=False)
    try:
        assert SchemaVersion.get().version == migrations.SCHEMA_VERSION >= 4
        assert integrity.check() == []
    finally:
        close_database()

    copies = list(tmp_path.glob("clinica.db.v1-*.bak"))
    assert len(copies) == 1
    assert V2_INDEXES.isdisjoint(indexes(copies[0]))  # the copy is the old database
    assert table_rows(copies[0]) == before

    assert set(indexes(path)) >= V2_INDEXES
    assert table_rows(path) == before
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_upgraded_schema_matches_a_new_database(tmp_path):
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    build_version_1(old)
    open_database(str(old))
    close_database()
    open_database(str(new))
    close_database()
    assert indexes(old) == indexes(new)


def test_the_index_serves_the_patient_calendar(tmp_path):
    path = tmp_path / "clinica.db"
    build_version_1(path)
    database = open_database(str(path))
    try:
        plan = database.execute_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM session WHERE patient_id = 1 "
            "AND starts_at >= '2025-01-01' AND starts_at < '2025-02-01'"
        ).fetchall()
    finally:
        close_database()
    assert any("session_patient_id_starts_at" in str(row) for row in plan)


@pytest.mark.parametrize("version", [0, -3])
def test_invalid_version_is_refused_untouched(tmp_path, version):
    from r3izzy_desktop.core.errors import DatabaseProblem

    path = tmp_path / "clinica.db"
    build_version_1(path)
    with sqlite3.connect(path) as con:
        con.execute("UPDATE schema_version SET version = ?", (version,))
    with pytest.raises(DatabaseProblem) as caught:
        open_database(str(path), create=False)
    assert caught.value.kind == "damaged"
    assert not list(tmp_path.glob("*.bak"))
