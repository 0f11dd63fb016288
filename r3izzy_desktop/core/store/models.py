"""The concepts of SPEC §2 as peewee models.

Money columns are integer centavos read and written as `Decimal` (MoneyField).
Sessions are soft-deleted. A payment is either a package debit (`package` set) or a
manual payment; at most one active (not voided) payment per session, enforced by a
partial unique index (R11).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    FieldAccessor,
    ForeignKeyField,
    IntegerField,
    Model,
    ModelIndex,
    TextField,
    fn,
)

from .. import clock
from ..errors import NotFound
from ..ptbr import from_cents, to_cents
from ..terms import AGENDADA, ATIVO, ENCERRADO
from . import actor
from .binding import db

# Name of the partial unique index that enforces R11 (one active payment per session).
ONE_ACTIVE_PAYMENT_INDEX = "payment_one_active_per_session"


class MoneyField(BigIntegerField):
    """Money as integer centavos in the database, `Decimal` in Python (R1)."""

    def db_value(self, value):
        if value is None:
            return None
        if isinstance(value, float | bool | str):
            # R1: a float never reaches a money column (nor text, nor True counted as 1).
            raise TypeError(f"money must be Decimal, not {type(value).__name__}")
        if isinstance(value, int | Decimal):
            return to_cents(value)
        return value  # an SQL expression

    def python_value(self, value):
        if value is None:
            return None
        return from_cents(value)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class SchemaVersion(BaseModel):
    """One row: the schema version this database is at."""

    version = IntegerField()


class Setting(BaseModel):
    """Clinic data and preferences as key/value text."""

    key = CharField(primary_key=True, max_length=100)
    value = TextField(default="")


class User(BaseModel):
    """A person who logs in (R23): name, login, role, active.

    The password is kept only as an argon2id hash (`password_hash`), which no function of
    the core returns: `core.users` reads it only to verify a login and hands out rows
    without it. `failed_logins` and `locked_until` slow down guessing (shared by every PC).
    Users are never deleted (history lines and audit entries point at them): deactivated.
    """

    name = CharField(max_length=200)
    login = CharField(max_length=60, unique=True)  # lower case
    password_hash = CharField(max_length=255)
    role = CharField(max_length=20)
    active = BooleanField(default=True)
    failed_logins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    last_login_at = DateTimeField(null=True)
    created_at = DateTimeField(default=clock.now)

    class Meta:
        table_name = "app_user"  # "user" is a reserved word on PostgreSQL


class Patient(BaseModel):
    name = CharField(max_length=200)
    # Name, phone and CPF folded to lower case without accents, for searching.
    search_text = CharField(max_length=400, default="", index=True)
    birth_date = DateField(null=True)
    phone = CharField(max_length=40, default="")
    email = CharField(max_length=200, default="")
    cpf = CharField(max_length=11, default="")  # digits only
    guardian = CharField(max_length=200, default="")  # responsável
    notes = TextField(default="")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=clock.now)
    # R21 (schema 10): the financial responsible whose name and CPF (digits) go on the
    # receipts and the annual statement; by default the guardian, or the patient.
    payer_name = CharField(max_length=200, default="")
    payer_cpf = CharField(max_length=11, default="")


class Service(BaseModel):
    name = CharField(max_length=120)
    price = MoneyField(default=0)
    duration_min = IntegerField(default=50)
    active = BooleanField(default=True)


class Location(BaseModel):
    name = CharField(max_length=120)
    active = BooleanField(default=True)


class Professional(BaseModel):
    name = CharField(max_length=200)
    color = CharField(max_length=9, default="#2a9d8f")
    active = BooleanField(default=True)
    # R21 (schema 10): the council registration a receipt names, "CREFITO-3 12345-F".
    council = CharField(max_length=60, default="")


class Session(BaseModel):
    """One appointment (sessão / agendamento). Soft-deleted: `deleted_at` set."""

    patient = ForeignKeyField(Patient, backref="sessions", on_delete="RESTRICT")
    service = ForeignKeyField(Service, backref="sessions", on_delete="RESTRICT")
    location = ForeignKeyField(Location, null=True, backref="sessions", on_delete="SET NULL")
    professional = ForeignKeyField(
        Professional, null=True, backref="sessions", on_delete="SET NULL"
    )
    starts_at = DateTimeField(index=True)
    duration_min = IntegerField(default=50)
    price = MoneyField()
    attendance = CharField(max_length=20, default=AGENDADA)
    notes = TextField(default="")
    created_at = DateTimeField(default=clock.now)
    deleted_at = DateTimeField(null=True)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    class Meta:
        # The patient calendar and the patient page read one patient's sessions by date
        # (schema 2; migrations.py adds it to older databases).
        indexes = ((("patient", "starts_at"), False),)


# A Package row read from the database until its open amount arrives (see Package).
_BEING_READ = object()
_ZERO = Decimal("0.00")


class _OpenAmountAccessor(FieldAccessor):
    """Package.open_amount's accessor: the first value a row read from the database gets
    is the one it was read with, which the row keeps as its last line's open amount."""

    def __set__(self, instance, value):
        if instance.__dict__.get("_line_open") is _BEING_READ:
            instance.__dict__["_line_open"] = value
        super().__set__(instance, value)


class OpenAmountField(MoneyField):
    accessor_class = _OpenAmountAccessor


class Package(BaseModel):
    """A prepaid package of sessions.

    `sessions_used` and `open_amount` are kept by the ledger operations in the same
    transaction as the debits they sum; the integrity check recomputes them (R14).
    `version` grows with every change, so a screen can tell its figures are stale.

    A row also knows the open amount its last history line left (R20's `open_change`,
    `take_open_change`), with no query: a row read from the database was read with it
    (its last line carries the package's figures); a new row has no line yet (0). peewee
    builds a row it reads with `__no_default__` and then sets its columns, so the first
    open amount such a row gets is the one read.
    """

    number = CharField(max_length=12, unique=True)
    patient = ForeignKeyField(Patient, backref="packages", on_delete="RESTRICT")
    paid_on = DateField(index=True)  # the report's date filter (schema 2)
    sessions_total = IntegerField()
    total = MoneyField()
    notes = TextField(default="")
    status = CharField(max_length=12, default=ATIVO, index=True)
    sessions_used = IntegerField(default=0)
    open_amount = OpenAmountField()
    version = IntegerField(default=1)
    created_at = DateTimeField(default=clock.now)
    # R15: the last day a session may fall on to be paid from it; None = no limit.
    valid_until = DateField(null=True)
    # R18 (schema 9): how it is paid (a key of terms.MANUAL_METHODS; "" unknown, for the
    # packages created before), whether it may only use what was already received, and
    # whether it was sold with an installment plan. Without a plan its one installment,
    # 1/1, was received on its payment date and follows its total and payment date (R8).
    method = CharField(max_length=20, default="")
    pay_before_use = BooleanField(default=False)
    has_plan = BooleanField(default=False)

    @property
    def sessions_left(self) -> int:
        """R4; 0 once `encerrado` (R19: the sessions not used are given up)."""
        if self.status == ENCERRADO:
            return 0
        return self.sessions_total - self.sessions_used

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.__dict__["_line_open"] = _BEING_READ if kwargs.get("__no_default__") else _ZERO
        super().__init__(*args, **kwargs)

    def take_open_change(self) -> Decimal:
        """The change of the open amount since the row's last history line (as read, or
        as the last `take_open_change` left it), which is then measured from now on: for
        the history line being written (lines.record)."""
        previous = self.__dict__.get("_line_open")
        if previous is _BEING_READ or previous is None or self.open_amount is None:
            raise RuntimeError(f"package {self.id} was read without its open amount")
        self.__dict__["_line_open"] = self.open_amount
        return self.open_amount - previous


class Installment(BaseModel):
    """R18: one part (parcela) of a package's total, numbered 1..n. Received once
    (`received_on` and `method` set), voided back to unreceived. The amounts of a package's
    installments add up to its total. `receipt_number` is R21's, None until it lands."""

    package = ForeignKeyField(Package, backref="installments", on_delete="RESTRICT")
    number = IntegerField()
    due_on = DateField()
    amount = MoneyField()
    received_on = DateField(null=True, index=True)  # Gestão Financeira counts by it
    method = CharField(max_length=20, default="")  # "" while unreceived (or unknown)
    receipt_number = IntegerField(null=True)
    # Who received it (R23): the user logged in; None in a database without users.
    user = ForeignKeyField(
        User, null=True, backref="installments", on_delete="RESTRICT", default=actor.user_id
    )

    @property
    def received(self) -> bool:
        return self.received_on is not None

    class Meta:
        indexes = ((("package", "number"), True),)


class PackageService(BaseModel):
    """R16: one service a package is limited to. A package with no row covers every
    service."""

    package = ForeignKeyField(Package, backref="service_links", on_delete="RESTRICT")
    service = ForeignKeyField(Service, backref="package_links", on_delete="RESTRICT")

    class Meta:
        indexes = ((("package", "service"), True),)


class PackageShare(BaseModel):
    """R17: a patient (not the owner) whose sessions the package may pay, e.g. a sibling.
    Indexed by patient too: a patient's list and offers read the packages shared with them."""

    package = ForeignKeyField(Package, backref="shares", on_delete="RESTRICT")
    patient = ForeignKeyField(Patient, backref="shared_packages", on_delete="RESTRICT", index=True)

    class Meta:
        indexes = ((("package", "patient"), True),)


class Payment(BaseModel):
    """How one session was paid: a package debit (`package` set) or a manual payment.

    Voiding (a package credit-back or an estorno) sets `voided_at`; the row stays.
    """

    session = ForeignKeyField(Session, backref="payments", on_delete="RESTRICT")
    package = ForeignKeyField(Package, null=True, backref="debits", on_delete="RESTRICT")
    method = CharField(max_length=20)
    amount = MoneyField()
    paid_on = DateField()
    info = TextField(default="")
    operator = CharField(max_length=200, default="")
    created_at = DateTimeField(default=clock.now)
    voided_at = DateTimeField(null=True)
    void_reason = CharField(max_length=200, default="")
    # Who registered it (R23): the user logged in; None in a database without users.
    # Last, as schema 5 added it to older databases.
    user = ForeignKeyField(
        User, null=True, backref="payments", on_delete="RESTRICT", default=actor.user_id
    )


Payment.add_index(
    ModelIndex(
        Payment,
        (Payment.session,),
        unique=True,
        where=Payment.voided_at.is_null(),
        name=ONE_ACTIVE_PAYMENT_INDEX,
    )
)
Payment.add_index(Payment.paid_on)


def refresh_instance(target: Any, fresh: Model) -> None:
    """Give the caller's instance `target` what an operation wrote (`fresh`'s fields), as
    saved: no field left dirty. Nothing to do for an id, None, or `fresh` itself."""
    if target is not None and target is not fresh and hasattr(target, "__data__"):
        target.__data__.update(fresh.__data__)
        target._dirty.clear()
        if "_line_open" in fresh.__dict__:  # a Package: its last line's open amount too
            target.__dict__["_line_open"] = fresh.__dict__["_line_open"]


def get_row(model, value, message: str):
    """The `model` row given as instance or id; NotFound(`message`) when there is none."""
    row_id = value.id if isinstance(value, model) else value
    row = model.get_or_none(model.id == row_id)
    if row is None:
        raise NotFound(message)
    return row


def package_id_of(package: Package | int | str) -> int:
    """The id of a package given as instance, id or number (NotFound for an unknown
    number; an id is taken as it is)."""
    if isinstance(package, Package):
        return package.id
    if isinstance(package, int) and not isinstance(package, bool):
        return package
    if isinstance(package, str):
        found = Package.get_or_none(Package.number == package.strip())
        if found is None:
            raise NotFound(f"Pacote No. {package} não encontrado.")
        return found.id
    raise NotFound("Pacote não encontrado.")


def session_is_paid():
    """SQL condition: the session of the outer query has an active payment."""
    return fn.EXISTS(
        Payment.select(Payment.id).where(
            (Payment.session == Session.id) & Payment.voided_at.is_null()
        )
    )


class PackageEvent(BaseModel):
    """One line of a package's history (R9): append-only.

    Besides the figures after the event it keeps what a replay needs: the amount a
    debit or credit moved and the package's totals after a manual change.
    """

    package = ForeignKeyField(Package, backref="events", on_delete="RESTRICT")
    kind = CharField(max_length=24)
    at = DateTimeField(default=clock.now)
    status = CharField(max_length=12)
    note = TextField()
    sessions_left = IntegerField()
    open_amount = MoneyField()
    price_per_session = MoneyField()
    sessions_total = IntegerField()
    total = MoneyField()
    package_date = DateField()
    amount = MoneyField(default=0)
    session = ForeignKeyField(Session, null=True, backref="package_events", on_delete="RESTRICT")
    payment = ForeignKeyField(Payment, null=True, backref="events", on_delete="RESTRICT")
    operator = CharField(max_length=200, default="")
    # The package's terms after a `criado` or `alterado manualmente` line (None on the other
    # kinds, which never change them), so a replay rebuilds them too (R15-R17): the owner,
    # the validity, the services covered and the patients it is shared with, as sorted ids
    # separated by commas ("" = every service / nobody).
    owner = ForeignKeyField(Patient, null=True, backref="owned_events", on_delete="RESTRICT")
    valid_until = DateField(null=True)
    services = TextField(null=True)
    shared_with = TextField(null=True)
    # What an `encerrado` line (R19) did with the open amount before it, in three parts
    # that add up to it: given back, kept by the clinic, never received (0 on every other
    # kind). The credit roll-forward (R20) sums them as its closing movements.
    refunded = MoneyField(default=0)
    retained = MoneyField(default=0)
    cancelled = MoneyField(default=0)
    # R20 (schema 12): how much the line changed its package's open amount, its
    # open_amount minus the one of the package's line before it (id order; 0 before the
    # first). The credit roll-forward sums it over a range of `at`. No default: a line
    # written without it is refused.
    open_change = MoneyField()
    # Who did it (R9, R23): the user logged in; None in a database without users.
    user = ForeignKeyField(
        User, null=True, backref="package_events", on_delete="RESTRICT", default=actor.user_id
    )


class Receipt(BaseModel):
    """R21: a numbered record of money received (recibo). `number` is sequential for the
    clinic and never reused (receipt_book.py takes it from ReceiptCounter under a lock).
    What it says is written once, when issued: payer, patient, amount, method, the items
    paid (`items`, one line each) and a package's balance after it. A voided payment or
    installment cancels it (`cancelled_at` set): the row and its number stay.

    `source`: "pacote" (a package created without a plan: its total), "parcela" (an
    installment received) or "pagamento" (a manual payment call, one patient's sessions).
    """

    number = IntegerField(unique=True)
    issued_on = DateField(index=True)
    source = CharField(max_length=12)
    payer_name = CharField(max_length=200, default="")
    payer_cpf = CharField(max_length=11, default="")  # digits, "" unknown
    patient = ForeignKeyField(Patient, backref="receipts", on_delete="RESTRICT")
    patient_name = CharField(max_length=200, default="")
    patient_cpf = CharField(max_length=11, default="")
    amount = MoneyField()
    method = CharField(max_length=20, default="")
    package = ForeignKeyField(Package, null=True, backref="receipts", on_delete="RESTRICT")
    installment = ForeignKeyField(Installment, null=True, backref="receipts", on_delete="SET NULL")
    items = TextField(default="")
    balance = CharField(max_length=200, default="")
    created_at = DateTimeField(default=clock.now)
    cancelled_at = DateTimeField(null=True)
    cancel_reason = CharField(max_length=200, default="")
    replaced_by = IntegerField(null=True)  # the number issued in its place, if any
    operator = CharField(max_length=200, default="")
    user = ForeignKeyField(
        User, null=True, backref="receipts", on_delete="RESTRICT", default=actor.user_id
    )

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


class ReceiptPayment(BaseModel):
    """R21: the manual payments a `pagamento` receipt covers (one call, one patient)."""

    receipt = ForeignKeyField(Receipt, backref="payment_links", on_delete="RESTRICT")
    payment = ForeignKeyField(Payment, backref="receipt_links", on_delete="RESTRICT", index=True)

    class Meta:
        indexes = ((("receipt", "payment"), True),)


class ReceiptCounter(BaseModel):
    """R21: one row (id 1), the last receipt number given. Taken under a row lock
    (SELECT … FOR UPDATE on PostgreSQL; SQLite's write lock), so two PCs never get the
    same number, and never lowered, so a number is never given twice."""

    last = IntegerField(default=0)


class ChangeCounter(BaseModel):
    """How many write operations each running app (`client`) has committed (schema 3).

    Every operation adds one to its own client's row in its own transaction, so the sum
    over the other clients moves exactly when another PC committed a change (changes.py).
    One row per client: PCs never wait on each other's counter.
    """

    client = CharField(primary_key=True, max_length=80)
    value = BigIntegerField(default=0)
    at = DateTimeField(default=clock.now)


class AuditEntry(BaseModel):
    """One line of the audit log (R23): who, when, what. Append-only: the code only ever
    inserts, and the database refuses an UPDATE or DELETE (a trigger, migrations.py).

    `user` is the user logged in (None without users, or for a failed login of an unknown
    login); `user_name` keeps the name as it was (or the PC's operator name without users).
    Details name patients by number, never by name, so anonymizing one leaves nothing here.
    """

    at = DateTimeField(default=clock.now, index=True)
    user = ForeignKeyField(
        User, null=True, backref="audit_entries", on_delete="RESTRICT", default=actor.user_id
    )
    user_name = CharField(max_length=200, default="")
    workstation = CharField(max_length=120, default="")
    action = CharField(max_length=40, index=True)
    detail = TextField(default="")


class CommitMark(BaseModel):
    """One row per operation committed on a PostgreSQL server (schema 6): a random key
    written in the operation's own transaction, so that after a COMMIT whose answer was
    lost the app can ask whether it happened (outcomes.py). Kept two days."""

    key = CharField(primary_key=True, max_length=32)
    at = DateTimeField(default=clock.now)


ALL_MODELS = (
    SchemaVersion,
    Setting,
    User,
    Patient,
    Service,
    Location,
    Professional,
    Session,
    Package,
    PackageService,
    PackageShare,
    Payment,
    PackageEvent,
    Installment,
    Receipt,
    ReceiptPayment,
    ReceiptCounter,
    ChangeCounter,
    AuditEntry,
    CommitMark,
)
