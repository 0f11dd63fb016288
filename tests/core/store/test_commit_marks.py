"""The commit marks (schema step `add_commit_marks`): an older database gets the table;
on a server each operation writes its mark in its own transaction, so the mark is there
exactly when the operation committed (outcomes.py)."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

import pytest

from r3izzy_desktop.core import clinic, packages
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.errors import ValidationError
from r3izzy_desktop.core.store import migrations, outcomes
from r3izzy_desktop.core.store.binding import db, is_postgres
from r3izzy_desktop.core.store.models import CommitMark, SchemaVersion
from tests.helpers import pg


@contextmanager
def database_url(tmp_path):
    if pg.backend() == "postgres":
        with pg.fresh_schema() as url:
            yield url
    else:
        yield str(tmp_path / "clinica.db")


def test_an_older_database_gets_the_commit_marks(tmp_path):
    with database_url(tmp_path) as url:
        database = open_database(url)
        clinic.add_patient("Ana")
        # The schema as it was before this step: no table, the version before.
        database.execute_sql(f'DROP TABLE "{CommitMark._meta.table_name}"')
        older = migrations.MIGRATIONS.index(migrations.add_commit_marks) + 1
        SchemaVersion.update(version=older).execute()
        close_database()

        open_database(url, create=False)
        try:
            assert CommitMark._meta.table_name in db.get_tables()
            assert SchemaVersion.get().version == migrations.SCHEMA_VERSION
            assert [p.name for p in clinic.find_patients("")] == ["Ana"]
        finally:
            close_database()


@pytest.mark.skipif(pg.backend() != "postgres", reason="marks are written on a server only")
def test_each_operation_on_a_server_marks_its_own_transaction(db):
    assert is_postgres()
    ana = clinic.add_patient("Ana")
    assert CommitMark.select().count() == 1
    with pytest.raises(ValidationError):
        packages.create_package(ana, 0, Decimal("100.00"))  # refused: rolled back, no mark
    assert CommitMark.select().count() == 1
    package = packages.create_package(ana, 2, Decimal("100.00"))
    keys = {m.key for m in CommitMark.select()}
    assert len(keys) == 2 and package.id
    attempt = outcomes.Attempt("test", key=next(iter(keys)))
    assert outcomes.resolve(db, attempt) == "committed"
    attempt = outcomes.Attempt("test", key="0" * 32, pid=-1)
    assert outcomes.resolve(db, attempt) == "aborted"  # no mark, and no such process


def test_no_marks_on_sqlite(tmp_path):
    if pg.backend() == "postgres":
        pytest.skip("the SQLite side")
    open_database(str(tmp_path / "c.db"))
    try:
        clinic.add_patient("Ana")
        assert CommitMark.select().count() == 0
    finally:
        close_database()
