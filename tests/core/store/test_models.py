"""The schema: money as integer centavos (R1), indexes, soft delete, one active payment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from peewee import ForeignKeyField

from r3izzy_desktop.core import agenda, clinic, packages
from r3izzy_desktop.core.database import is_postgres
from r3izzy_desktop.core.store import models
from r3izzy_desktop.core.store.binding import db
from r3izzy_desktop.core.store.models import ONE_ACTIVE_PAYMENT_INDEX, MoneyField, Payment

D = Decimal


def money_fields():
    for model in models.ALL_MODELS:
        for field in model._meta.sorted_fields:
            if isinstance(field, MoneyField):
                yield model, field


def test_money_columns_are_integers(db):
    found = list(money_fields())
    assert len(found) >= 8
    for model, field in found:
        columns = {c.name: c.data_type.upper() for c in db.get_columns(model._meta.table_name)}
        assert columns[field.column_name] in ("BIGINT", "INTEGER"), (model, field)
    for model in models.ALL_MODELS:
        for column in db.get_columns(model._meta.table_name):
            assert column.data_type.upper() not in ("REAL", "FLOAT", "DOUBLE", "DECIMAL", "NUMERIC")


def test_money_is_stored_as_centavos_and_read_as_decimal(patient, make_package):
    pkg = make_package(sessions=3, total="1000.50")
    # The column's type as the engine reports it: SQLite's typeof, PostgreSQL's pg_typeof.
    kind, param = ("pg_typeof(total)::text", "%s") if is_postgres() else ("typeof(total)", "?")
    stored = db.execute_sql(
        f"SELECT total, {kind}, open_amount FROM package WHERE id = {param}", (pkg.id,)
    ).fetchone()
    assert stored == (100050, "bigint" if is_postgres() else "integer", 100050)
    assert packages.get_package(pkg.id).total == D("1000.50")
    assert type(packages.get_package(pkg.id).total) is Decimal


@pytest.mark.parametrize("value", [1.5, True, "10,00"])
def test_a_money_field_refuses_floats_booleans_and_text(value):
    with pytest.raises(TypeError):
        MoneyField().db_value(value)


def test_a_money_field_refuses_a_fraction_of_a_centavo():
    with pytest.raises(ValueError):
        MoneyField().db_value(D("0.001"))
    assert MoneyField().db_value(D("12.30")) == 1230
    assert MoneyField().db_value(7) == 700
    assert MoneyField().db_value(None) is None


def test_a_float_payment_never_reaches_the_database(patient, make_session):
    session = make_session(1, 10)
    with pytest.raises(TypeError), db.atomic():
        Payment.create(session=session, method="pix", amount=250.0, paid_on=date(2025, 4, 1))
    assert Payment.select().count() == 0


def indexed_columns(table: str) -> set[tuple[str, ...]]:
    return {tuple(index.columns) for index in db.get_indexes(table)}


def test_every_foreign_key_and_the_session_start_are_indexed(db):
    for model in models.ALL_MODELS:
        table = model._meta.table_name
        indexed = indexed_columns(table)
        for field in model._meta.sorted_fields:
            if isinstance(field, ForeignKeyField):
                assert any(cols[0] == field.column_name for cols in indexed), (table, field.name)
    assert any(cols[0] == "starts_at" for cols in indexed_columns("session"))


def test_one_active_payment_per_session_is_a_partial_unique_index(db):
    [index] = [i for i in db.get_indexes("payment") if i.name == ONE_ACTIVE_PAYMENT_INDEX]
    assert index.unique
    assert index.columns == ["session_id"]
    assert "voided_at" in index.sql and "IS NULL" in index.sql.upper()


def test_sessions_are_soft_deleted(db):
    assert "deleted_at" in {c.name for c in db.get_columns("session")}


def test_an_operation_leaves_the_callers_instance_as_saved(patient, make_session):
    """The caller's instance gets what was written and no field stays dirty (a later
    save() would otherwise write again what the screen had typed)."""
    session = make_session(1, 10)
    session.notes = "rascunho da tela"
    agenda.update_session(session, notes="anotado")
    assert session.notes == "anotado" and not session.is_dirty()
    patient.phone = "123"
    clinic.update_patient(patient, guardian="Marta Souza")
    assert patient.guardian == "Marta Souza" and patient.phone == ""
    assert not patient.is_dirty()
