"""Schema 4: the indexes that serve a range of sessions with their payments (the Agenda's
month, Receitas, the finance summary). A database of schema 3 gets them on opening; a new
database has them; and the calendar's query reads the sessions and payments from them
alone (SQLite's plan says COVERING INDEX)."""

from __future__ import annotations

from datetime import datetime

from peewee import JOIN

from r3izzy_desktop.core.database import close_database, is_postgres, open_database
from r3izzy_desktop.core.store import migrations
from r3izzy_desktop.core.store.binding import db
from r3izzy_desktop.core.store.models import Package, Payment, SchemaVersion, Session
from tests.helpers import pg


def index_names(table: str) -> set[str]:
    return {index.name for index in db.get_indexes(table)}


def calendar_query():
    """The shape of session_rows.sessions_between's statement."""
    return (
        Session.select(
            Session.id,
            Session.starts_at,
            Session.price,
            Session.attendance,
            Session.notes,
            Session.patient,
            Payment.method,
            Payment.amount,
            Payment.package,
            Package.number,
        )
        .join(
            Payment,
            JOIN.LEFT_OUTER,
            on=((Payment.session == Session.id) & Payment.voided_at.is_null()),
        )
        .join(Package, JOIN.LEFT_OUTER, on=(Payment.package == Package.id))
        .where(
            (Session.starts_at >= datetime(2025, 4, 1))
            & (Session.starts_at < datetime(2025, 5, 1))
            & Session.deleted_at.is_null()
        )
        .order_by(Session.starts_at, Session.id)
    )


def test_a_new_database_has_the_range_indexes_and_the_calendar_uses_them(db):
    assert migrations.SESSION_RANGE_INDEX in index_names("session")
    assert migrations.ACTIVE_PAYMENT_INDEX in index_names("payment")
    if is_postgres():
        return  # the planner's choice depends on the server's statistics
    sql, params = calendar_query().sql()
    plan = " | ".join(row[3] for row in db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    assert f"COVERING INDEX {migrations.SESSION_RANGE_INDEX}" in plan, plan
    assert f"COVERING INDEX {migrations.ACTIVE_PAYMENT_INDEX}" in plan, plan


def test_a_schema_3_database_gets_them_on_opening(tmp_path):
    with pg.database_for_test() as memory_or_server:
        url = str(tmp_path / "clinica.db") if memory_or_server == ":memory:" else memory_or_server
        database = open_database(url)
        database.execute_sql(f'DROP INDEX "{migrations.SESSION_RANGE_INDEX}"')
        database.execute_sql(f'DROP INDEX "{migrations.ACTIVE_PAYMENT_INDEX}"')
        SchemaVersion.update(version=3).execute()
        assert migrations.SESSION_RANGE_INDEX not in index_names("session")
        close_database()
        open_database(url, create=False)
        try:
            assert SchemaVersion.get().version == migrations.SCHEMA_VERSION >= 4
            assert migrations.SESSION_RANGE_INDEX in index_names("session")
            assert migrations.ACTIVE_PAYMENT_INDEX in index_names("payment")
        finally:
            close_database()


def test_a_database_file_keeps_more_of_itself_in_memory(tmp_path):
    """The screens read the same indexes again and again: 32 MB of page cache per
    connection instead of SQLite's 2 MB."""
    database = open_database(str(tmp_path / "clinica.db"))
    try:
        (size,) = database.execute_sql("PRAGMA cache_size").fetchone()
        assert size == -32_000
    finally:
        close_database()
