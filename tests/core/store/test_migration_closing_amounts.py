"""Schema step "closing amounts" (R19, R20) from a database of the version before it, built
here from today's schema with the step undone, on SQLite and on PostgreSQL: the history
lines gain what a closing refunded, retained and cancelled, 0 on every line already
written (no package was ever closed before), and the clinic stays consistent."""

from __future__ import annotations

import peewee
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator
from playhouse.migrate import migrate as run

from r3izzy_desktop.core import demo, integrity
from r3izzy_desktop.core.store import migrations
from r3izzy_desktop.core.store.models import PackageEvent, SchemaVersion

STEP = migrations.MIGRATIONS.index(migrations.add_closing_amounts)
VERSION_BEFORE = STEP + 1  # MIGRATIONS[i] takes version i + 1 to i + 2


def columns(database) -> set[str]:
    return {column.name for column in database.get_columns("package_event")}


def migrator_of(database):
    if isinstance(database, peewee.PostgresqlDatabase):
        return PostgresqlMigrator(database)
    return SqliteMigrator(database)


def undo_the_step(database) -> None:
    """Bring a current database back to the version before the step, its data kept."""
    migrator = migrator_of(database)
    legacy = {} if isinstance(database, peewee.PostgresqlDatabase) else {"legacy": True}
    with database.atomic():
        run(
            *(
                migrator.drop_column("package_event", column, **legacy)
                for column in migrations.CLOSING_AMOUNT_COLUMNS
            )
        )
        SchemaVersion.update(version=VERSION_BEFORE).execute()


def history_rows(database):
    return database.execute_sql(
        'SELECT id, kind, note, open_amount, sessions_left FROM "package_event" ORDER BY id'
    ).fetchall()


def test_the_step_upgrades_an_older_database(db):
    demo.populate("small", seed=3)
    before = history_rows(db)
    assert before
    undo_the_step(db)
    assert not set(migrations.CLOSING_AMOUNT_COLUMNS) & columns(db)

    assert migrations.migrate(db, None) == migrations.SCHEMA_VERSION
    assert SchemaVersion.get().version == migrations.SCHEMA_VERSION
    assert set(migrations.CLOSING_AMOUNT_COLUMNS) <= columns(db)
    assert history_rows(db) == before
    sums = db.execute_sql(
        'SELECT COUNT(*), SUM(refunded), SUM(retained), SUM(cancelled) FROM "package_event"'
    ).fetchone()
    assert sums == (len(before), 0, 0, 0)
    assert {(e.refunded, e.retained, e.cancelled) for e in PackageEvent.select()} == {(0, 0, 0)}
    assert integrity.check() == []


def test_the_step_keeps_what_is_already_there(db):
    """Run on a database that has the columns already: nothing changes."""
    demo.populate("small", seed=4)
    before = db.execute_sql('SELECT * FROM "package_event" ORDER BY id').fetchall()
    with db.atomic():
        migrations.add_closing_amounts(migrator_of(db), db)
    assert db.execute_sql('SELECT * FROM "package_event" ORDER BY id').fetchall() == before
