"""Schema step "finance indexes" (schema 11) from a database of the version before it, built
here from today's schema with the step undone, on SQLite and on PostgreSQL: the indexes
Gestão Financeira reads its figures from are added, the data kept, and a new database has
them too. On SQLite the summary's statement reads the manual payments, the debits and the
closings from them (the plan says so); before, it visited every manual payment's row once
per chart month and scanned the whole history for the period's closings.
"""

from __future__ import annotations

from datetime import date, datetime

from r3izzy_desktop.core import clock, demo, integrity, reports
from r3izzy_desktop.core.database import is_postgres
from r3izzy_desktop.core.reports import finance
from r3izzy_desktop.core.store import migrations
from r3izzy_desktop.core.store.models import SchemaVersion

STEP = migrations.MIGRATIONS.index(migrations.add_finance_indexes)
VERSION_BEFORE = STEP + 1  # MIGRATIONS[i] takes version i + 1 to i + 2
TABLES = ("payment", "package_event")


def index_names(database) -> set[str]:
    return {index.name for table in TABLES for index in database.get_indexes(table)}


def undo_the_step(database) -> None:
    """Bring a current database back to the version before the step, its data kept."""
    with database.atomic():
        for name in migrations.FINANCE_INDEXES:
            database.execute_sql(f'DROP INDEX "{name}"')
        SchemaVersion.update(version=VERSION_BEFORE).execute()


def summary_plan(database) -> str:
    with clock.frozen(datetime(2026, 1, 15, 9)):
        query, _read = finance.summary_query(date(2026, 1, 1), date(2026, 1, 31))
    sql, params = query.sql()
    return " | ".join(row[3] for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))


def test_a_new_database_has_the_finance_indexes(db):
    assert set(migrations.FINANCE_INDEXES) <= index_names(db)
    assert SchemaVersion.get().version == migrations.SCHEMA_VERSION > VERSION_BEFORE


def test_the_step_upgrades_an_older_database(db):
    demo.populate("small", seed=5)
    with clock.frozen(datetime(2026, 1, 15, 9)):
        figures = reports.finance_summary(date(2025, 1, 1), date(2026, 1, 31))
    undo_the_step(db)
    assert not set(migrations.FINANCE_INDEXES) & index_names(db)
    if not is_postgres():
        old_plan = summary_plan(db)
        assert not any(name in old_plan for name in migrations.FINANCE_INDEXES), old_plan

    assert migrations.migrate(db, None) == migrations.SCHEMA_VERSION
    assert SchemaVersion.get().version == migrations.SCHEMA_VERSION
    assert set(migrations.FINANCE_INDEXES) <= index_names(db)
    with clock.frozen(datetime(2026, 1, 15, 9)):
        assert reports.finance_summary(date(2025, 1, 1), date(2026, 1, 31)) == figures
    assert integrity.check() == []
    if is_postgres():
        return  # the planner's choice depends on the server's statistics
    plan = summary_plan(db)
    for name in migrations.FINANCE_INDEXES:
        if name == migrations.EVENT_KIND_INDEX:
            # Schema 12's credit index starts with the same (kind, at) and holds what a
            # closing split too: the period's closings are read from it.
            name = migrations.CREDIT_INDEX
        assert f"INDEX {name} " in plan, plan


def test_the_step_keeps_what_is_already_there(db):
    """Run on a database that has the indexes already: nothing changes."""
    before = index_names(db)
    with db.atomic():
        migrations.add_finance_indexes(None, db)
    assert index_names(db) == before
