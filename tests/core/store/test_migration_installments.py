"""Schema step "installments" (R18) from a database of the version before it, built here from
today's schema with the step undone, on SQLite and on PostgreSQL: every package, paid at once
until now, gets one installment 1/1 of its total received on its payment date (method
unknown), no plan, pay before use off; the history stays as it was and the clinic stays
consistent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import peewee
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator
from playhouse.migrate import migrate as run

from r3izzy_desktop.core import demo, integrity, packages
from r3izzy_desktop.core.reports import finance
from r3izzy_desktop.core.store import migrations
from r3izzy_desktop.core.store.models import Installment, SchemaVersion

STEP = migrations.MIGRATIONS.index(migrations.add_installments)
VERSION_BEFORE = STEP + 1  # MIGRATIONS[i] takes version i + 1 to i + 2


def package_columns(database) -> set[str]:
    return {column.name for column in database.get_columns("package")}


def migrator_of(database):
    if isinstance(database, peewee.PostgresqlDatabase):
        return PostgresqlMigrator(database)
    return SqliteMigrator(database)


def undo_the_step(database) -> None:
    """Bring a current database back to the version before the step, its data kept."""
    from tests.core.store import test_migration_receipts as later

    later.undo_the_step(database)  # the receipts (R21) refer to the installments
    migrator = migrator_of(database)
    with database.atomic():
        database.drop_tables([Installment])
        # Plain DROP COLUMN (SQLite 3.35+): rebuilding `package` would trip its foreign keys.
        run(*(migrator.drop_column("package", c) for c in migrations.INSTALLMENT_COLUMNS))
        SchemaVersion.update(version=VERSION_BEFORE).execute()


def packages_rows(database):
    return database.execute_sql(
        'SELECT id, number, total, paid_on, open_amount, status FROM "package" ORDER BY id'
    ).fetchall()


def history_rows(database):
    return database.execute_sql(
        'SELECT id, kind, note, open_amount, sessions_left FROM "package_event" ORDER BY id'
    ).fetchall()


def test_the_step_upgrades_an_older_database(db):
    demo.populate("small", seed=3)
    before = packages_rows(db)
    history = history_rows(db)
    assert before
    undo_the_step(db)
    assert "installment" not in db.get_tables()
    assert not set(migrations.INSTALLMENT_COLUMNS) & package_columns(db)

    assert migrations.migrate(db, None) == migrations.SCHEMA_VERSION
    assert SchemaVersion.get().version == migrations.SCHEMA_VERSION
    assert set(migrations.INSTALLMENT_COLUMNS) <= package_columns(db)
    assert packages_rows(db) == before
    assert history_rows(db) == history
    for package_id, *_ in before:
        s = packages.summary(package_id)
        assert (s.method, s.pay_before_use, s.has_plan) == ("", False, False)
        assert [
            (i.number, i.due_on, i.amount, i.received_on, i.method)
            for i in packages.installments(package_id)
        ] == [(1, s.paid_on, s.total, s.paid_on, "")]
        assert (s.received, s.owed, s.overdue) == (s.total, Decimal("0.00"), Decimal("0.00"))
    assert Installment.select().count() == len(before)
    # Gestão Financeira counts each package's total on its payment date, as before.
    after = finance.finance_summary(date(2000, 1, 1), date(2100, 1, 1))
    assert after.package_received == after.credit_sold
    assert after.package_owed == Decimal("0.00")
    assert integrity.check() == []


def test_the_step_keeps_what_is_already_there(db):
    """Run on a database that has the table and columns already: nothing changes."""
    demo.populate("small", seed=4)
    before = db.execute_sql('SELECT * FROM "installment" ORDER BY id').fetchall()
    packages_before = db.execute_sql('SELECT * FROM "package" ORDER BY id').fetchall()
    with db.atomic():
        migrations.add_installments(migrator_of(db), db)
    assert db.execute_sql('SELECT * FROM "installment" ORDER BY id').fetchall() == before
    assert db.execute_sql('SELECT * FROM "package" ORDER BY id').fetchall() == packages_before
