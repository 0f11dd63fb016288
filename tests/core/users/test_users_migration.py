"""Schema step `add_users_and_audit` (R23) from an older database the test builds: the
current schema with the step undone, filled through the API; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import peewee
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

from r3izzy_desktop.core import agenda, clinic, integrity, packages, users
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.store import migrations
from r3izzy_desktop.core.store.models import AuditEntry, PackageEvent, Payment, SchemaVersion
from tests.helpers import pg
from tests.helpers.snapshot import db_snapshot

from .conftest import PASSWORD

STEP = migrations.MIGRATIONS.index(migrations.add_users_and_audit)
BEFORE = STEP + 1  # the version a database has before the step


def build_older(url: str) -> dict:
    """A clinic at the version before users: returns its rows (as stored) to compare."""
    database = open_database(url)
    patient = clinic.add_patient("Ana Souza")
    service = clinic.add_service("Método Bobath", price=Decimal("250.00"))
    session = agenda.schedule(patient, service, datetime(2025, 4, 1, 10))
    package = packages.create_package(patient, sessions=4, total="1000.00")
    packages.pay_sessions(package, [session])
    # The later steps first: their tables refer to the users (installments R18, receipts R21).
    from tests.core.store import test_migration_installments as later

    later.undo_the_step(database)
    postgres = isinstance(database, peewee.PostgresqlDatabase)
    migrator = PostgresqlMigrator(database) if postgres else SqliteMigrator(database)
    if not postgres:
        database.execute_sql("PRAGMA foreign_keys = OFF")  # the rebuilt tables are referenced
    with database.atomic():
        if postgres:
            database.execute_sql(f'DROP TRIGGER "{migrations.AUDIT_GUARD}" ON "audit_entry"')
        # SQLite cannot drop a column a foreign key names: peewee rebuilds the table then.
        options = {} if postgres else {"legacy": True}
        migrate(
            migrator.drop_column("payment", "user_id", **options),
            migrator.drop_column("package_event", "user_id", **options),
        )
        database.execute_sql('DROP TABLE "audit_entry"')
        database.execute_sql('DROP TABLE "app_user"')
        SchemaVersion.update(version=BEFORE).execute()
    rows = {
        table: database.execute_sql(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
        for table in ("patient", "package", "payment", "package_event", "session")
    }
    close_database()
    return rows


def test_an_older_database_gets_users_and_the_audit_log(tmp_path):
    with pg.database_for_test() as server_or_memory:
        url = str(tmp_path / "clinica.db") if server_or_memory == ":memory:" else server_or_memory
        before = build_older(url)
        database = open_database(url, create=False)
        try:
            assert SchemaVersion.get().version == migrations.SCHEMA_VERSION
            assert {"app_user", "audit_entry"} <= set(database.get_tables())
            for model in (Payment, PackageEvent):
                columns = [c.name for c in database.get_columns(model._meta.table_name)]
                assert columns[-1] == "user_id"  # added last, with no value for the old rows
            after = db_snapshot()
            for table, rows in before.items():
                # Later steps add columns at the end of some tables (the payer, R21): the
                # old columns keep their values.
                width = len(rows[0]) if rows else 0
                assert [
                    row[:-1] if table in ("payment", "package_event") else row[:width]
                    for row in after[table]
                ] == rows
                if table in ("payment", "package_event"):
                    assert {row[-1] for row in after[table]} == {None}
            assert integrity.check() == []
            # Users work, and the log is append-only there too.
            users.add_user("Ana", login="ana", password=PASSWORD, role="administrador")
            users.login("ana", PASSWORD)
            assert AuditEntry.select().count() == 2
            try:
                with database.atomic():
                    AuditEntry.delete().execute()
                raise AssertionError("the audit log accepted a DELETE")
            except peewee.DatabaseError:
                pass
            assert AuditEntry.select().count() == 2
        finally:
            users.logout()
            close_database()
