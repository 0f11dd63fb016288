"""Schema step "open changes" (schema 12, R20) from a database of the version before it,
built here from today's schema with the step undone, on SQLite and on PostgreSQL: every
history line gets its change of its package's open amount, the one `LAG` gives over the
package's lines in id order, the credit roll-forward's indexes are added, the figures and
the data kept; a new database has them too, and refuses a line written without its change.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import peewee
import pytest
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run

from r3izzy_desktop.core import clock, demo, integrity, packages, reports
from r3izzy_desktop.core.database import is_postgres
from r3izzy_desktop.core.store import migrations
from r3izzy_desktop.core.store.models import Package, PackageEvent, SchemaVersion

STEP = migrations.MIGRATIONS.index(migrations.add_open_changes)
VERSION_BEFORE = STEP + 1  # MIGRATIONS[i] takes version i + 1 to i + 2

LAG_CHANGES = (
    'SELECT "id", "open_amount" - LAG("open_amount", 1, 0) '
    'OVER (PARTITION BY "package_id" ORDER BY "id") FROM "package_event" ORDER BY "id"'
)


def columns(database) -> set[str]:
    return {column.name for column in database.get_columns("package_event")}


def index_names(database) -> set[str]:
    return {index.name for index in database.get_indexes("package_event")}


def undo_the_step(database) -> None:
    """Bring a current database back to the version before the step, its data kept."""
    legacy = {} if isinstance(database, peewee.PostgresqlDatabase) else {"legacy": True}
    with database.atomic():
        for name in migrations.CREDIT_INDEXES:
            database.execute_sql(f'DROP INDEX "{name}"')
        migrator = SchemaMigrator.from_database(database)
        run(migrator.drop_column("package_event", "open_change", **legacy))
        SchemaVersion.update(version=VERSION_BEFORE).execute()


def history_rows(database):
    return database.execute_sql(
        'SELECT id, package_id, kind, at, open_amount, refunded FROM "package_event" ORDER BY id'
    ).fetchall()


def stored_changes(database) -> list[tuple[int, int]]:
    return database.execute_sql(
        'SELECT "id", "open_change" FROM "package_event" ORDER BY "id"'
    ).fetchall()


def lag_changes(database) -> list[tuple[int, int]]:
    return [(line, int(change)) for line, change in database.execute_sql(LAG_CHANGES)]


def a_clinic_with_every_kind_of_line() -> None:
    """The small demo clinic (debits, credits back, changes, installments), one package
    of it closed and another repriced."""
    demo.populate("small", seed=5)
    open_ones = [p for p in Package.select().order_by(Package.id) if p.status == "ativo"]
    packages.close_package(open_ones[0], refund=Decimal("0"))
    packages.edit_package(open_ones[1], total=open_ones[1].total + Decimal("10.00"))


def periods() -> list[tuple[date, date]]:
    today = clock.today()
    return [
        (today - timedelta(days=400), today),
        (today.replace(day=1), today),
        (today - timedelta(days=200), today - timedelta(days=120)),
    ]


def figures():
    return [reports.credit_figures(start, end) for start, end in periods()]


def test_a_new_database_has_the_changes_and_their_indexes(db):
    assert "open_change" in columns(db)
    assert set(migrations.CREDIT_INDEXES) <= index_names(db)
    assert SchemaVersion.get().version == migrations.SCHEMA_VERSION == VERSION_BEFORE + 1


def test_a_new_database_refuses_a_line_without_its_change(db, make_package):
    package = make_package(sessions=2, total="200.00")
    line = PackageEvent.get(PackageEvent.package == package.id)
    values = {
        field.name: getattr(line, field.name)
        for field in PackageEvent._meta.sorted_fields
        if field.name not in ("id", "open_change")
    }
    with pytest.raises(peewee.IntegrityError), db.atomic():
        PackageEvent.insert(**values).execute()


def test_the_step_upgrades_an_older_database(db):
    a_clinic_with_every_kind_of_line()
    before, shown = history_rows(db), figures()
    written = stored_changes(db)
    assert written == lag_changes(db)  # what the app wrote is LAG's
    assert any(change < 0 for _line, change in written)
    assert any(change > 0 for _line, change in written)
    undo_the_step(db)
    assert "open_change" not in columns(db)
    assert not set(migrations.CREDIT_INDEXES) & index_names(db)

    assert migrations.migrate(db, None) == migrations.SCHEMA_VERSION
    assert SchemaVersion.get().version == migrations.SCHEMA_VERSION
    assert set(migrations.CREDIT_INDEXES) <= index_names(db)
    assert history_rows(db) == before
    assert stored_changes(db) == lag_changes(db) == written
    assert figures() == shown
    assert integrity.check() == []
    if is_postgres():
        # As in a new database: no default, a line must bring its change.
        default = db.execute_sql(
            "SELECT column_default FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = 'package_event' "
            "AND column_name = 'open_change'"
        ).fetchone()
        assert default == (None,)


def test_the_step_keeps_what_is_already_there(db):
    """Run on a database that has the column and the indexes already: nothing changes."""
    a_clinic_with_every_kind_of_line()
    before = db.execute_sql('SELECT * FROM "package_event" ORDER BY id').fetchall()
    indexes = index_names(db)
    with db.atomic():
        migrations.add_open_changes(SchemaMigrator.from_database(db), db)
    assert db.execute_sql('SELECT * FROM "package_event" ORDER BY id').fetchall() == before
    assert index_names(db) == indexes


def test_the_roll_forward_reads_the_period_from_its_indexes(db):
    """On SQLite (PostgreSQL's planner goes by the server's statistics) the window's one
    statement reads the period's lines from the two indexes, never the whole history."""
    if is_postgres():
        return
    from r3izzy_desktop.core.reports import credit

    a_clinic_with_every_kind_of_line()
    start, end = periods()[2]
    parts = credit._rollforward_parts(start, end)
    _months, by_month = credit._months_query(start, end)
    for query in (*parts, by_month):
        sql, params = query.sql()
        steps = [row[3] for row in db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
        scans = [
            step
            for step in steps
            if step.startswith("SCAN ")
            and step not in ("SCAN CONSTANT ROW", "SCAN kinds")
            and not step.endswith("VALUES CLAUSE")
        ]
        # The packages' own sums scan the package table (t1), nothing else is scanned.
        assert scans == (["SCAN t1"] if query is parts[0] else []), steps
        assert any(
            f"INDEX {name} " in step for step in steps for name in migrations.CREDIT_INDEXES
        ), steps
