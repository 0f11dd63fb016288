"""Schema step "package terms" (R15-R17) from a database of the version before it, built
here from today's schema with the step undone, on SQLite and on PostgreSQL: the columns
and tables appear, every history line that sets terms gets the terms every package had
(its patient as owner, no validity, every service, nobody), and the clinic stays
consistent."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import peewee
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator
from playhouse.migrate import migrate as run

from r3izzy_desktop.core import agenda, clinic, demo, integrity, packages
from r3izzy_desktop.core.store import migrations
from r3izzy_desktop.core.store.models import (
    Package,
    PackageEvent,
    PackageService,
    PackageShare,
    SchemaVersion,
)

STEP = migrations.MIGRATIONS.index(migrations.add_package_terms)
VERSION_BEFORE = STEP + 1  # MIGRATIONS[i] takes version i + 1 to i + 2


def columns(database, table):
    return {column.name for column in database.get_columns(table)}


def undo_the_step(database) -> None:
    """Bring a current database back to the version before the step, its data kept."""
    postgres = isinstance(database, peewee.PostgresqlDatabase)
    migrator = PostgresqlMigrator(database) if postgres else SqliteMigrator(database)
    with database.atomic():
        database.drop_tables([PackageService, PackageShare])
        drops = [migrator.drop_column("package", "valid_until")]
        for column in migrations.PACKAGE_TERMS_COLUMNS["package_event"]:
            if postgres:
                drops.append(migrator.drop_column("package_event", column))
            else:
                # SQLite cannot drop a column a foreign key names; the legacy way rebuilds.
                drops.append(migrator.drop_column("package_event", column, legacy=True))
        run(*drops)
        SchemaVersion.update(version=VERSION_BEFORE).execute()


def a_clinic_of_before() -> None:
    """What a database of the version before could hold: packages with debits, a credit,
    manual changes and every status, and none of the terms (they did not exist)."""
    ana, bruno = clinic.add_patient("Ana Souza"), clinic.add_patient("Bruno Lima")
    bobath = clinic.add_service("Método Bobath", price=Decimal("250.00"))
    sessions = [agenda.schedule(ana, bobath, datetime(2025, 4, day, 10)) for day in (1, 2, 3, 4)]
    pkg = packages.create_package(ana, 4, Decimal("1000.00"))
    packages.pay_sessions(pkg, sessions[:3])
    packages.refund_session(sessions[1])
    packages.edit_package(pkg, sessions=5, total=Decimal("1200.00"), notes="renovado")
    done = packages.create_package(bruno, 1, Decimal("250.00"))
    packages.pay_sessions(
        done,
        [agenda.schedule(bruno, bobath, datetime(2025, 4, 5, 10))],
        accept_price_adjustment=True,
    )
    paused = packages.create_package(bruno, 2, Decimal("500.00"))
    packages.edit_package(paused, status="inativo")


def test_the_step_upgrades_an_older_database(db):
    a_clinic_of_before()
    events_before = db.execute_sql(
        'SELECT id, kind, note, open_amount FROM "package_event" ORDER BY id'
    ).fetchall()
    undo_the_step(db)
    assert "valid_until" not in columns(db, "package")
    assert not {"owner_id", "services"} & columns(db, "package_event")
    assert "package_share" not in db.get_tables()

    assert migrations.migrate(db, None) == migrations.SCHEMA_VERSION
    assert SchemaVersion.get().version == migrations.SCHEMA_VERSION
    assert "valid_until" in columns(db, "package")
    assert set(migrations.PACKAGE_TERMS_COLUMNS["package_event"]) <= columns(db, "package_event")
    assert {"package_service", "package_share"} <= set(db.get_tables())
    assert (
        db.execute_sql(
            'SELECT id, kind, note, open_amount FROM "package_event" ORDER BY id'
        ).fetchall()
        == events_before
    )
    setting = PackageEvent.select().where(PackageEvent.kind.in_(("criado", "alterado manualmente")))
    assert setting.count() > 0
    for event in setting:
        assert (event.owner_id, event.valid_until, event.services, event.shared_with) == (
            event.package.patient_id,
            None,
            "",
            "",
        )
    others = PackageEvent.select().where(PackageEvent.kind == "sessão debitada")
    assert all(event.owner_id is None for event in others)
    assert integrity.check() == []
    # The upgraded database takes the new terms at once.
    pkg = Package.select().where(Package.status == "ativo").first()
    packages.edit_package(pkg, services=[1], shared_with=[])
    assert integrity.check() == []


def test_the_step_keeps_what_is_already_there(db):
    """Run on a database that has the columns and rows already: nothing changes."""
    demo.populate("small", seed=4)
    before = db.execute_sql('SELECT * FROM "package_event" ORDER BY id').fetchall()
    with db.atomic():
        migrations.add_package_terms(
            PostgresqlMigrator(db)
            if isinstance(db, peewee.PostgresqlDatabase)
            else SqliteMigrator(db),
            db,
        )
    assert db.execute_sql('SELECT * FROM "package_event" ORDER BY id').fetchall() == before
