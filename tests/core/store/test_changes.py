"""The change counter the screens poll (changes.py): moved by every committed operation, in
its transaction; the other clients' sum moves only when someone else wrote."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from r3izzy_desktop.core import clinic, clock, packages
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.errors import ValidationError
from r3izzy_desktop.core.store import changes, migrations
from r3izzy_desktop.core.store.models import ChangeCounter, SchemaVersion
from tests.helpers import pg


def test_each_committed_operation_counts_once(db, patient):
    start = changes.mine()
    packages.create_package(patient, 4, Decimal("1000.00"))
    assert changes.mine() == start + 1
    clinic.set_clinic_info(name="Clínica", phone="")  # an operation made of operations
    assert changes.mine() == start + 2


def test_a_failed_operation_or_a_read_counts_nothing(db, patient):
    package = packages.create_package(patient, 4, Decimal("1000.00"))
    start = changes.mine()
    with pytest.raises(ValidationError):
        packages.edit_package(package, sessions=0)
    packages.summary(package)
    clinic.find_patients("ana")
    assert changes.mine() == start


def test_others_move_only_when_another_client_writes(db, patient, monkeypatch):
    before = changes.others()
    packages.create_package(patient, 4, Decimal("1000.00"))
    assert changes.others() == before  # my own write

    mine = changes.client_id()
    monkeypatch.setattr(changes, "client_id", lambda: "outro-pc:1:abc")
    packages.create_package(patient, 2, Decimal("300.00"))  # "another PC"
    monkeypatch.setattr(changes, "client_id", lambda: mine)
    after = changes.others()
    assert after != before
    assert after.total == before.total + 1 and after.clients == before.clients + 1


def test_idle_clients_are_forgotten_but_not_me(db, patient, monkeypatch):
    packages.create_package(patient, 4, Decimal("1000.00"))
    ChangeCounter.create(client="velho:1:x", value=7, at=clock.now() - timedelta(days=40))
    ChangeCounter.create(client="recente:2:y", value=3, at=clock.now() - timedelta(days=2))
    assert changes.forget_idle(days=30) == 1
    clients = {row.client for row in ChangeCounter.select()}
    assert clients == {changes.client_id(), "recente:2:y"}


@pytest.fixture
def database_url(tmp_path):
    """A database on this run's backend that can be closed and opened again."""
    if pg.backend() == "postgres":
        with pg.fresh_schema() as url:
            yield url
    else:
        yield str(tmp_path / "clinica.db")


def test_schema_2_gets_the_counter_table(database_url):
    """A database from before the counter (schema 2) is upgraded by step 3."""
    database = open_database(database_url)
    clinic.add_patient("Ana")
    database.execute_sql('DROP TABLE "change_counter"')
    SchemaVersion.update(version=2).execute()
    close_database()

    database = open_database(database_url, create=False)
    try:
        assert SchemaVersion.get().version == migrations.SCHEMA_VERSION >= 4
        assert "change_counter" in database.get_tables()
        clinic.add_patient("Bruno")
        assert changes.mine() == 1
        assert [p.name for p in clinic.find_patients("")] == ["Ana", "Bruno"]
    finally:
        close_database()


def test_the_bump_is_part_of_the_operation(db, patient):
    """The counter row is written in the operation's own transaction: rolled back with it."""
    start = changes.mine()
    with pytest.raises(RuntimeError), db.atomic():
        packages.create_package(patient, 4, Decimal("1000.00"))  # joins this transaction
        changes.bump()
        raise RuntimeError("desfaz tudo")
    assert changes.mine() == start
    assert packages.list_packages(patient) == []
