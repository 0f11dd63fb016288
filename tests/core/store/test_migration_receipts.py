"""Schema step "receipts" (R21) from a database of the version before it, built here from
today's schema with the step undone, on SQLite and on PostgreSQL: every patient gets a
financial responsible (the guardian, or the patient and their CPF), every professional an
empty council registration, and the money already received its receipts, numbered from 1
in date order — so a clinic upgrading can print last year's statement."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import peewee
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator
from playhouse.migrate import migrate as run

from r3izzy_desktop.core import agenda, clinic, clock, demo, integrity, packages, payments, receipts
from r3izzy_desktop.core.store import migrations
from r3izzy_desktop.core.store.models import (
    Installment,
    Payment,
    Receipt,
    ReceiptCounter,
    ReceiptPayment,
    SchemaVersion,
)

STEP = migrations.MIGRATIONS.index(migrations.add_receipts)
VERSION_BEFORE = STEP + 1  # MIGRATIONS[i] takes version i + 1 to i + 2
D = Decimal


def migrator_of(database):
    if isinstance(database, peewee.PostgresqlDatabase):
        return PostgresqlMigrator(database)
    return SqliteMigrator(database)


def columns(database, table: str) -> set[str]:
    return {column.name for column in database.get_columns(table)}


def undo_the_step(database) -> None:
    """Bring a current database back to the version before the step, its data kept."""
    migrator = migrator_of(database)
    with database.atomic():
        database.drop_tables([ReceiptPayment, Receipt, ReceiptCounter])
        Installment.update(receipt_number=None).execute()
        run(
            *(
                migrator.drop_column(table, column)
                for table, names in migrations.RECEIPT_COLUMNS.items()
                for column in names
            )
        )
        SchemaVersion.update(version=VERSION_BEFORE).execute()


def test_the_step_numbers_past_receipts_in_date_order(db):
    with clock.frozen(datetime(2026, 1, 20, 9, 0)):
        ana = clinic.add_patient("Ana Souza", cpf="52998224725")
        pedro = clinic.add_patient("Pedro Souza", guardian="Ana Souza")
        pro = clinic.add_professional("Dra. Luíza")
        svc = clinic.add_service("Método Bobath", price=D("250.00"))
        # Written in one order, dated in another.
        late = packages.create_package(pedro, 4, D("1000.00"), date(2025, 11, 5))
        early = packages.create_package(ana, 2, D("500.00"), date(2025, 3, 1))
        s1 = agenda.schedule(pedro, svc, datetime(2025, 6, 1, 10), professional=pro)
        s2 = agenda.schedule(pedro, svc, datetime(2025, 6, 2, 10), professional=pro)
        s3 = agenda.schedule(ana, svc, datetime(2025, 6, 3, 10))
        payments.pay_manually([s1, s2, s3], method="pix", paid_on=date(2025, 6, 3))
        voided = agenda.schedule(ana, svc, datetime(2025, 7, 1, 10))
        payments.pay_manually([voided], method="pix", paid_on=date(2025, 7, 1))
        payments.void_payment(voided)
        plan = packages.split_installments(D("900.00"), 3, date(2025, 8, 1))
        parts = packages.create_package(ana, 3, D("900.00"), date(2025, 8, 1), installments=plan)
        packages.receive_installment(parts, 1, method="dinheiro", received_on=date(2025, 8, 1))
    undo_the_step(db)
    assert "receipt" not in db.get_tables()
    assert "payer_name" not in columns(db, "patient")
    assert "council" not in columns(db, "professional")

    assert migrations.migrate(db, None) == migrations.SCHEMA_VERSION
    assert SchemaVersion.get().version == migrations.SCHEMA_VERSION
    rows = receipts.for_year(2025)
    assert [(r.number, r.issued_on, r.patient_name, r.amount, r.source) for r in rows] == [
        (1, date(2025, 3, 1), "Ana Souza", D("500.00"), "pacote"),
        (2, date(2025, 6, 3), "Pedro Souza", D("500.00"), "pagamento"),
        (3, date(2025, 6, 3), "Ana Souza", D("250.00"), "pagamento"),
        (4, date(2025, 8, 1), "Ana Souza", D("300.00"), "parcela"),
        (5, date(2025, 11, 5), "Pedro Souza", D("1000.00"), "pacote"),
    ]
    assert not any(r.cancelled for r in rows)  # a voided payment got none
    assert [(r.payer_name, r.payer_cpf) for r in rows] == [
        ("Ana Souza", "52998224725"),
        ("Ana Souza", ""),
        ("Ana Souza", "52998224725"),
        ("Ana Souza", "52998224725"),
        ("Ana Souza", ""),
    ]
    assert rows[1].items[0].startswith("01/06/2025 10:00 · Método Bobath · Dra. Luíza")
    assert [i.receipt_number for i in packages.installments(early)] == [1]
    assert [i.receipt_number for i in packages.installments(late)] == [5]
    assert [i.receipt_number for i in packages.installments(parts)] == [4, None, None]
    assert receipts.annual_statement(2025, payer_cpf="52998224725").total == D("1050.00")
    # The patients' payers, the professionals' council.
    assert (clinic.get_patient(pedro.id).payer_name, clinic.get_patient(pedro.id).payer_cpf) == (
        "Ana Souza",
        "",
    )
    assert clinic.get_patient(ana.id).payer_cpf == "52998224725"
    assert clinic.list_professionals()[0].council == ""
    # The numbering goes on after them; voiding a migrated payment cancels its receipt.
    packages.create_package(ana, 1, D("100.00"), date(2025, 12, 1))
    assert receipts.for_year(2025)[-1].number == 6
    payments.void_payment(s1)
    two = receipts.get_receipt(2)
    assert two.cancelled and two.replaced_by == 7
    assert receipts.get_receipt(7).amount == D("250.00")
    assert integrity.check() == []


def test_the_step_upgrades_a_demo_clinic(db):
    demo.populate("small", seed=5)
    undo_the_step(db)
    assert migrations.migrate(db, None) == migrations.SCHEMA_VERSION
    all_rows = list(Receipt.select().order_by(Receipt.number))
    assert [r.number for r in all_rows] == list(range(1, len(all_rows) + 1))
    assert [r.issued_on for r in all_rows] == sorted(r.issued_on for r in all_rows)
    assert ReceiptCounter.get_by_id(1).last == len(all_rows)
    # Every received installment and every standing manual payment has one receipt.
    received = Installment.select().where(Installment.received_on.is_null(False))
    assert all(i.receipt_number is not None for i in received)
    manual = Payment.select().where(Payment.package.is_null() & Payment.voided_at.is_null())
    linked = {link.payment_id for link in ReceiptPayment.select()}
    assert {p.id for p in manual} == linked
    total_received = sum((i.amount for i in received), D("0.00")) + sum(
        (p.amount for p in manual), D("0.00")
    )
    assert sum((r.amount for r in all_rows), D("0.00")) == total_received
    assert integrity.check() == []


def test_the_step_keeps_what_is_already_there(db):
    demo.populate("small", seed=4)
    before = db.execute_sql('SELECT * FROM "receipt" ORDER BY id').fetchall()
    with db.atomic():
        migrations.add_receipts(migrator_of(db), db)
    assert db.execute_sql('SELECT * FROM "receipt" ORDER BY id').fetchall() == before
