"""Schema version and the linear migration chain.

A new database gets the current schema and `SchemaVersion(version=SCHEMA_VERSION)`.
An older one is first copied aside (SQLite's online backup), then brought up step by
step, each step and its version bump in one transaction. A database written by a newer
version of the app is refused.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import peewee

from .. import clock
from ..errors import DatabaseProblem
from ..terms import ALTERADO, CRIADO
from .files import sqlite_backup
from .models import (
    ALL_MODELS,
    AuditEntry,
    ChangeCounter,
    CommitMark,
    Installment,
    MoneyField,
    Package,
    PackageEvent,
    PackageService,
    PackageShare,
    Patient,
    Payment,
    Professional,
    Receipt,
    ReceiptCounter,
    ReceiptPayment,
    SchemaVersion,
    Service,
    Session,
    User,
)

if TYPE_CHECKING:
    # playhouse.migrate imports the PostgreSQL extensions (and their driver): only load it
    # when a database is really upgraded, never on an ordinary start (see drivers.py).
    from playhouse.migrate import SchemaMigrator

log = logging.getLogger(__name__)

Step = Callable[["SchemaMigrator", peewee.Database], None]


def add_calendar_and_report_indexes(migrator: SchemaMigrator, database: peewee.Database) -> None:
    """1 -> 2: index one patient's sessions by date (the patient calendar) and packages by
    payment date (the report's date filter). Same names as the models' indexes."""
    from playhouse.migrate import migrate as run

    wanted = {"session": ("patient_id", "starts_at"), "package": ("paid_on",)}
    run(
        *(
            migrator.add_index(table, columns, False)
            for table, columns in wanted.items()
            # An index already there (made by hand, or by a test build) is kept as it is.
            if f"{table}_{'_'.join(columns)}"
            not in {index.name for index in database.get_indexes(table)}
        )
    )


def add_change_counter(migrator: SchemaMigrator, database: peewee.Database) -> None:
    """2 -> 3: the `change_counter` table the screens poll to see another PC's changes
    (changes.py). Kept if it is already there."""
    database.create_tables([ChangeCounter], safe=True)


# Schema 4: a month's sessions and their active payments are read straight from these
# indexes (they hold every column the calendar, Receitas and the finance summary read), so a
# busy month is read without visiting table rows scattered across the file. PostgreSQL
# leaves the notes out: a long note could pass its limit on the size of an index entry.
SESSION_RANGE_INDEX = "session_range_read"
ACTIVE_PAYMENT_INDEX = "payment_active_read"
_SESSION_RANGE_COLUMNS = (
    "starts_at",  # the range, then id: the calendar's order, with no sort
    "id",
    "deleted_at",
    "patient_id",
    "service_id",
    "location_id",
    "professional_id",
    "duration_min",
    "price",
    "attendance",
)


def create_range_read_indexes(database: peewee.Database) -> None:
    """Create the schema 4 indexes (kept when already there)."""
    columns = list(_SESSION_RANGE_COLUMNS)
    if not isinstance(database, peewee.PostgresqlDatabase):
        columns.append("notes")
    quoted = ", ".join(f'"{name}"' for name in columns)
    database.execute_sql(
        f'CREATE INDEX IF NOT EXISTS "{SESSION_RANGE_INDEX}" ON "session" ({quoted})'
    )
    database.execute_sql(
        f'CREATE INDEX IF NOT EXISTS "{ACTIVE_PAYMENT_INDEX}" ON "payment" '
        '("session_id", "voided_at", "method", "amount", "paid_on", "package_id") '
        'WHERE "voided_at" IS NULL'
    )


def add_range_read_indexes(migrator: SchemaMigrator, database: peewee.Database) -> None:
    """3 -> 4: the indexes that serve a range of sessions with their payments."""
    create_range_read_indexes(database)


# Schema 11: Gestão Financeira's figures, each read from an index over its range alone
# (reports/finance.py): the manual payments by payment date (partial, with the method and
# the amount), the package debits by session (partial, with the amount: a year of chart
# months joins tens of thousands of sessions to them), and the history lines by kind and
# instant (the period's closings, R19, without scanning every line). The partial indexes
# repeat their WHERE's columns first, so SQLite's planner prefers them to the plain
# package_id index for the same equality.
MANUAL_PAYMENT_INDEX = "payment_manual_read"
DEBIT_INDEX = "payment_debit_read"
EVENT_KIND_INDEX = "package_event_kind_at"
FINANCE_INDEXES = {
    MANUAL_PAYMENT_INDEX: (
        '"payment" ("package_id", "voided_at", "paid_on", "method", "amount") '
        'WHERE "package_id" IS NULL AND "voided_at" IS NULL'
    ),
    DEBIT_INDEX: (
        '"payment" ("session_id", "voided_at", "package_id", "amount") '
        'WHERE "package_id" IS NOT NULL AND "voided_at" IS NULL'
    ),
    EVENT_KIND_INDEX: '"package_event" ("kind", "at")',
}


def create_indexes(database: peewee.Database, indexes: dict[str, str]) -> None:
    """Create each index of `indexes` (name -> its table and columns), kept when there."""
    for name, target in indexes.items():
        database.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON {target}')


def create_finance_indexes(database: peewee.Database) -> None:
    """Create the schema 11 indexes (kept when already there)."""
    create_indexes(database, FINANCE_INDEXES)


def add_finance_indexes(migrator: SchemaMigrator, database: peewee.Database) -> None:
    """10 -> 11: the indexes Gestão Financeira reads its figures from."""
    create_finance_indexes(database)


AUDIT_GUARD = "audit_entry_append_only"


def create_audit_guard(database: peewee.Database) -> None:
    """Make the audit log append-only in the database itself (R23): a trigger refuses every
    UPDATE and DELETE of `audit_entry` (and, on PostgreSQL, TRUNCATE). Kept when there."""
    table = AuditEntry._meta.table_name
    refusal = "a auditoria so aceita novas linhas"
    if isinstance(database, peewee.PostgresqlDatabase):
        database.execute_sql(
            f'CREATE OR REPLACE FUNCTION "{AUDIT_GUARD}"() RETURNS trigger LANGUAGE plpgsql '
            f"AS $$ BEGIN RAISE EXCEPTION '{refusal}'; END $$"
        )
        database.execute_sql(f'DROP TRIGGER IF EXISTS "{AUDIT_GUARD}" ON "{table}"')
        database.execute_sql(
            f'CREATE TRIGGER "{AUDIT_GUARD}" BEFORE UPDATE OR DELETE OR TRUNCATE ON "{table}" '
            f'FOR EACH STATEMENT EXECUTE FUNCTION "{AUDIT_GUARD}"()'
        )
        return
    for event in ("UPDATE", "DELETE"):
        database.execute_sql(
            f'CREATE TRIGGER IF NOT EXISTS "{AUDIT_GUARD}_{event.lower()}" BEFORE {event} '
            f"ON \"{table}\" BEGIN SELECT RAISE(ABORT, '{refusal}'); END"
        )


def add_users_and_audit(migrator: SchemaMigrator, database: peewee.Database) -> None:
    """4 -> 5 (R23): the users and the append-only audit log, and who wrote each payment
    and history line (`user_id`, empty for what was written before). What is already there
    (a test build, a half-applied copy) is kept."""
    from playhouse.migrate import migrate as run

    database.create_tables([User, AuditEntry], safe=True)
    for model in (Payment, PackageEvent):
        table = model._meta.table_name
        if "user_id" not in {column.name for column in database.get_columns(table)}:
            run(migrator.add_column(table, "user_id", model.user))
    create_audit_guard(database)


def add_commit_marks(migrator: SchemaMigrator, database: peewee.Database) -> None:
    """5 -> 6: the `commit_mark` table, how an operation whose COMMIT answer was lost on
    the way from the server is known to have happened or not (outcomes.py). Kept if it is
    already there."""
    database.create_tables([CommitMark], safe=True)


# The columns the package terms step adds (R15-R17), by table: the package's validity,
# and on each history line the terms it leaves (so a replay rebuilds them).
PACKAGE_TERMS_COLUMNS = {
    "package": ("valid_until",),
    "package_event": ("owner_id", "valid_until", "services", "shared_with"),
}


def add_package_terms(migrator: SchemaMigrator, database: peewee.Database) -> None:
    """6 -> 7: validity, services covered and sharing (R15-R17). The package gets
    `valid_until` (none: no limit, as every package had); two tables list the services a
    package is limited to and the patients it is shared with (none: every service, nobody);
    the history lines get the terms after them. The `criado` and `alterado manualmente`
    lines already written get the terms every package had until now: its patient as the
    owner, no validity, every service, nobody. What is already there is kept."""
    from playhouse.migrate import migrate as run

    database.create_tables([PackageService, PackageShare], safe=True)
    fields = {
        ("package", "valid_until"): peewee.DateField(null=True),
        ("package_event", "owner_id"): peewee.ForeignKeyField(
            Patient, null=True, field=Patient.id, on_delete="RESTRICT"
        ),
        ("package_event", "valid_until"): peewee.DateField(null=True),
        ("package_event", "services"): peewee.TextField(null=True),
        ("package_event", "shared_with"): peewee.TextField(null=True),
    }
    present = {
        table: {column.name for column in database.get_columns(table)}
        for table in PACKAGE_TERMS_COLUMNS
    }
    run(
        *(
            migrator.add_column(table, column, field)
            for (table, column), field in fields.items()
            if column not in present[table]
        )
    )
    owner = Package.select(Package.patient).where(Package.id == PackageEvent.package)
    PackageEvent.update(owner=owner, services="", shared_with="").where(
        PackageEvent.kind.in_((CRIADO, ALTERADO)) & PackageEvent.owner.is_null()
    ).execute()


# The columns the closing amounts step adds to the history lines (R19, R20).
CLOSING_AMOUNT_COLUMNS = ("refunded", "retained", "cancelled")


def add_closing_amounts(migrator: SchemaMigrator, database: peewee.Database) -> None:
    """7 -> 8: on each history line, what an early closing (R19) did with the open amount
    before it: refunded, retained, cancelled (centavos). No package was ever closed before,
    so every line already written gets 0. What is already there is kept."""
    from playhouse.migrate import migrate as run

    present = {column.name for column in database.get_columns("package_event")}
    run(
        *(
            migrator.add_column("package_event", column, MoneyField(default=0))
            for column in CLOSING_AMOUNT_COLUMNS
            if column not in present
        )
    )


# The columns the installments step adds to the packages (R18).
INSTALLMENT_COLUMNS = ("method", "pay_before_use", "has_plan")


def add_installments(migrator: SchemaMigrator, database: peewee.Database) -> None:
    """8 -> 9 (R18): the `installment` table, and on each package its payment method, its
    "pay before use" and whether it has an installment plan. Every package until now was
    paid at once: it gets one installment, 1/1, of its total, due and received on its
    payment date, method unknown (""); no plan, paid before use off. What is already there
    (a test build, a half-applied copy) is kept."""
    from playhouse.migrate import migrate as run

    database.create_tables([Installment], safe=True)
    fields = {
        "method": peewee.CharField(max_length=20, default=""),
        "pay_before_use": peewee.BooleanField(default=False),
        "has_plan": peewee.BooleanField(default=False),
    }
    present = {column.name for column in database.get_columns("package")}
    run(
        *(
            migrator.add_column("package", column, field)
            for column, field in fields.items()
            if column not in present
        )
    )
    with_one = Installment.select(Installment.package)
    query = Package.select(
        Package.id,
        peewee.Value(1),
        Package.paid_on,
        Package.total,
        Package.paid_on,
        peewee.Value(""),
    ).where(Package.id.not_in(with_one))
    Installment.insert_from(
        query,
        [
            Installment.package,
            Installment.number,
            Installment.due_on,
            Installment.amount,
            Installment.received_on,
            Installment.method,
        ],
    ).execute()


# The columns the receipts step adds (R21), by table.
RECEIPT_COLUMNS = {"patient": ("payer_name", "payer_cpf"), "professional": ("council",)}


def _past_receipts() -> list[dict]:
    """The receipts the money already received should have had (R21), oldest first: each
    received installment (a package without a plan: its creation, its total on its payment
    date) and each manual payment call still standing (the payments of one patient written
    together: same day, method and second), numbered from 1 in date order."""
    from ..ptbr import format_brl
    from ..text import plural

    patients = {p.id: p for p in Patient.select()}

    def payer(patient: Patient) -> tuple[str, str]:
        if patient.payer_name:
            return patient.payer_name, patient.payer_cpf
        if patient.guardian:
            return patient.guardian, patient.payer_cpf
        return patient.name, patient.payer_cpf or patient.cpf

    found: list[tuple[tuple, dict]] = []
    counts = dict(
        Installment.select(Installment.package, peewee.fn.COUNT(Installment.id))
        .group_by(Installment.package)
        .tuples()
    )
    received = (
        Installment.select(Installment, Package)
        .join(Package)
        .where(Installment.received_on.is_null(False))
    )
    for installment in received:
        package = installment.package
        what = (
            f"No. {package.number} — {plural(package.sessions_total, 'sessão', 'sessões')}, "
            f"total {format_brl(package.total)}"
        )
        own = not package.has_plan and counts.get(package.id) == 1
        item = (
            f"Pacote {what}"
            if own
            else f"Parcela {installment.number}/{counts.get(package.id, 1)} do pacote {what}"
        )
        left = package.sessions_total
        found.append(
            (
                (installment.received_on, package.created_at, 0, installment.id),
                {
                    "source": "pacote" if own else "parcela",
                    "issued_on": installment.received_on,
                    "patient": package.patient_id,
                    "amount": installment.amount,
                    "method": installment.method or package.method,
                    "package": package.id,
                    "installment": installment.id,
                    "items": [item],
                    "balance": (
                        f"{'Resta' if left == 1 else 'Restam'} {left} de "
                        f"{plural(package.sessions_total, 'sessão', 'sessões')}"
                        if own
                        else ""
                    ),
                    "payments": [],
                    "created_at": package.created_at,
                },
            )
        )
    groups: dict[tuple, list] = {}
    manual = (
        Payment.select(Payment, Session)
        .join(Session)
        .where(Payment.package.is_null() & Payment.voided_at.is_null())
        .order_by(Payment.created_at, Payment.id)
    )
    for payment in manual:
        key = (
            payment.session.patient_id,
            payment.paid_on,
            payment.method,
            payment.created_at.replace(microsecond=0) if payment.created_at else None,
        )
        groups.setdefault(key, []).append(payment)
    services = {s.id: s.name for s in Service.select(Service.id, Service.name)}
    pros = {p.id: p for p in Professional.select()}
    for (patient_id, paid_on, method, _), group in groups.items():
        group.sort(key=lambda p: (p.session.starts_at, p.session_id))
        items = []
        for p in group:
            parts = [p.session.starts_at.strftime("%d/%m/%Y %H:%M")]
            if p.session.service_id in services:
                parts.append(services[p.session.service_id])
            pro = pros.get(p.session.professional_id)
            if pro is not None:
                parts.append(f"{pro.name} ({pro.council})" if pro.council else pro.name)
            parts.append(format_brl(p.amount))
            items.append(" · ".join(parts))
        first = group[0]
        found.append(
            (
                (paid_on, first.created_at, 1, first.id),
                {
                    "source": "pagamento",
                    "issued_on": paid_on,
                    "patient": patient_id,
                    "amount": sum((p.amount for p in group), Decimal("0.00")),
                    "method": method,
                    "package": None,
                    "installment": None,
                    "items": items,
                    "balance": "",
                    "payments": [p.id for p in group],
                    "created_at": first.created_at,
                },
            )
        )
    found.sort(key=lambda pair: (pair[0][0], pair[0][1] or datetime.min, *pair[0][2:]))
    rows = []
    for number, (_, values) in enumerate(found, start=1):
        patient = patients[values["patient"]]
        payer_name, payer_cpf = payer(patient)
        values.update(
            number=number,
            payer_name=payer_name,
            payer_cpf=payer_cpf or "",
            patient_name=patient.name,
            patient_cpf=patient.cpf or "",
        )
        rows.append(values)
    return rows


def add_receipts(migrator: SchemaMigrator, database: peewee.Database) -> None:
    """9 -> 10 (R21): receipts. Each patient gets a financial responsible (the guardian,
    or the patient and their CPF), each professional a council registration (empty), and
    the money already received gets its receipts, numbered from 1 in date order: every
    received installment (so a package created without a plan, on its payment date) and
    every manual payment still standing (one receipt per patient for the payments written
    together). The counter starts after them. What is already there is kept."""
    from playhouse.migrate import migrate as run

    fields = {
        ("patient", "payer_name"): peewee.CharField(max_length=200, default=""),
        ("patient", "payer_cpf"): peewee.CharField(max_length=11, default=""),
        ("professional", "council"): peewee.CharField(max_length=60, default=""),
    }
    present = {
        table: {column.name for column in database.get_columns(table)} for table in RECEIPT_COLUMNS
    }
    added = [(table, column) for (table, column) in fields if column not in present[table]]
    run(*(migrator.add_column(table, column, fields[(table, column)]) for table, column in added))
    if ("patient", "payer_name") in added:
        with_guardian = Patient.guardian != ""
        Patient.update(payer_name=Patient.guardian).where(with_guardian).execute()
        Patient.update(payer_name=Patient.name, payer_cpf=Patient.cpf).where(
            ~with_guardian
        ).execute()
    database.create_tables([Receipt, ReceiptPayment, ReceiptCounter], safe=True)
    if Receipt.select().exists():
        return
    write_past_receipts()


def write_past_receipts() -> int:
    """Give the money already received its receipts (`_past_receipts`), in batches, and
    start the counter after them; returns how many. For the schema step and for a demo
    clinic written row by row (demo/large.py)."""
    rows = _past_receipts()
    links: list[tuple[int, int]] = []  # (receipt number, payment id)
    batch = []
    for values in rows:
        for payment_id in values.pop("payments"):
            links.append((values["number"], payment_id))
        values["items"] = "\n".join(values["items"])
        batch.append({"operator": "", "user": None, **values})
        if len(batch) >= 500:
            Receipt.insert_many(batch).execute()
            batch = []
    if batch:
        Receipt.insert_many(batch).execute()
    ids = dict(Receipt.select(Receipt.number, Receipt.id).tuples())
    for start in range(0, len(links), 1000):
        ReceiptPayment.insert_many(
            [{"receipt": ids[n], "payment": p} for n, p in links[start : start + 1000]]
        ).execute()
    numbers = [
        (values["installment"], values["number"])
        for values in rows
        if values["installment"] is not None
    ]
    for installment_id, number in numbers:
        Installment.update(receipt_number=number).where(Installment.id == installment_id).execute()
    ReceiptCounter.insert(id=1, last=len(rows)).on_conflict(
        conflict_target=[ReceiptCounter.id], update={ReceiptCounter.last: len(rows)}
    ).execute()
    return len(rows)


# Schema 12 (R20): each history line's change of its package's open amount (open_change),
# and two indexes the credit roll-forward (reports/credit.py) reads it from, so the Saldo
# de créditos window reads the lines at or after its period's start alone, never the whole
# history: the changes over a range of `at` (with the package: which packages changed
# after an instant), and the period's lines of each kind with what a closing split.
CHANGE_INDEX = "package_event_change_read"
CREDIT_INDEX = "package_event_credit_read"
CREDIT_INDEXES = {
    CHANGE_INDEX: '"package_event" ("at", "open_change", "package_id")',
    CREDIT_INDEX: (
        '"package_event" ("kind", "at", "open_change", "refunded", "retained", "cancelled")'
    ),
}


def create_credit_indexes(database: peewee.Database) -> None:
    """Create the schema 12 indexes (kept when already there)."""
    create_indexes(database, CREDIT_INDEXES)


# Every history line's change of its package's open amount: its open_amount minus the one
# of the package's line before it in id order (0 before the first line). UPDATE … FROM:
# SQLite 3.33 and later (the app's is pysqlite3's, store/sqlite.py) and PostgreSQL.
_FILL_OPEN_CHANGES = (
    'UPDATE "package_event" SET "open_change" = "lines"."change" FROM ('
    'SELECT "id", "open_amount" - LAG("open_amount", 1, 0) '
    'OVER (PARTITION BY "package_id" ORDER BY "id") AS "change" FROM "package_event"'
    ') AS "lines" WHERE "package_event"."id" = "lines"."id" AND "lines"."change" <> 0'
)


def add_open_changes(migrator: SchemaMigrator, database: peewee.Database) -> None:
    """11 -> 12 (R20): on each history line the change it made to its package's open
    amount (`open_change`), filled for the lines already written in one UPDATE, and the
    indexes the credit roll-forward reads. The column is added NOT NULL DEFAULT 0 (a line
    that changed nothing keeps that 0); PostgreSQL then drops the default, as a new
    database has none; SQLite cannot without copying the whole table, so an old file
    keeps it (the app always writes the column). What is already there is kept."""
    from playhouse.migrate import migrate as run

    if "open_change" not in {column.name for column in database.get_columns("package_event")}:
        field = MoneyField(constraints=[peewee.SQL("DEFAULT 0")])
        run(migrator.alter_add_column("package_event", "open_change", field, allow_not_null=True))
        database.execute_sql(_FILL_OPEN_CHANGES)
        if isinstance(database, peewee.PostgresqlDatabase):
            run(migrator.drop_column_default("package_event", "open_change"))
    create_credit_indexes(database)


# MIGRATIONS[i] takes a database from version i + 1 to version i + 2.
MIGRATIONS: list[Step] = [
    add_calendar_and_report_indexes,
    add_change_counter,
    add_range_read_indexes,
    add_users_and_audit,
    add_commit_marks,
    add_package_terms,
    add_closing_amounts,
    add_installments,
    add_receipts,
    add_finance_indexes,
    add_open_changes,
]

SCHEMA_VERSION = 1 + len(MIGRATIONS)


def migrate(database: peewee.Database, path: str | None) -> int:
    """Create or upgrade the schema of the open `database`; returns the version it is at."""
    tables = set(database.get_tables())
    if SchemaVersion._meta.table_name not in tables:
        known = {model._meta.table_name for model in ALL_MODELS}
        if tables & known:
            raise DatabaseProblem(
                "Este banco de dados não tem versão de esquema; não foi criado pelo R3izzy.",
                "damaged",
                path,
            )
        with database.atomic():
            database.create_tables(ALL_MODELS)
            create_range_read_indexes(database)
            create_finance_indexes(database)
            create_credit_indexes(database)
            create_audit_guard(database)
            SchemaVersion.create(version=SCHEMA_VERSION)
        log.info("schema created at version %s", SCHEMA_VERSION)
        return SCHEMA_VERSION

    row = SchemaVersion.select().first()
    version = row.version if row else 0
    if version > SCHEMA_VERSION:
        raise DatabaseProblem(
            f"Este banco de dados foi gravado por uma versão mais nova do R3izzy Desktop "
            f"(esquema {version}; esta versão conhece até o {SCHEMA_VERSION}).\n\n"
            "Atualize o programa neste computador antes de abri-lo. Nada foi alterado.",
            "newer",
            path,
        )
    if version < 1:
        raise DatabaseProblem("A versão do esquema deste banco é inválida.", "damaged", path)
    if version == SCHEMA_VERSION:
        return version

    copy = None
    if path and path != ":memory:":
        copy = backup_before_migration(database, path, version)
        log.info("copied %s to %s before migrating", path, copy)
    from playhouse.migrate import SchemaMigrator

    migrator = SchemaMigrator.from_database(database)  # the backend's own
    for step_version in range(version, SCHEMA_VERSION):
        step = MIGRATIONS[step_version - 1]
        try:
            with database.atomic():
                step(migrator, database)
                SchemaVersion.update(version=step_version + 1).execute()
        except Exception as exc:
            # The step and its version bump rolled back together, so the database is still
            # a consistent `step_version` one: tell the user so, never a traceback.
            log.exception("migration %s -> %s failed", step_version, step_version + 1)
            where = f"\nUma cópia de antes da atualização está em:\n{copy}" if copy else ""
            raise DatabaseProblem(
                f"Não foi possível atualizar o banco de dados (esquema {step_version} para "
                f"{step_version + 1}): {exc}\nO banco continua na versão {step_version}.{where}",
                "migration",
                path,
            ) from exc
        log.info("migrated schema %s -> %s (%s)", step_version, step_version + 1, step.__name__)
    return SCHEMA_VERSION


def backup_before_migration(database: peewee.Database, path: str, version: int) -> Path:
    """Copy the database aside: `<file>.v<version>-<timestamp>.bak` next to it."""
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    target = Path(f"{path}.v{version}-{stamp}.bak")
    sqlite_backup(database.connection(), target)
    return target
