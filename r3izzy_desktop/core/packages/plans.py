"""R18: a package's installments (parcelas) and what it still owes.

Without a plan a package's total is one installment, 1/1, received on its payment date
with its payment method; an R8 change of the total or of the payment date takes that
installment along (received = total, as before installments existed). With a plan
(`create_package(installments=[(due_on, amount), …])`) each installment is received later,
once (`receive_installment`), and can be voided (`void_installment`: unreceived again).
`split_installments` proposes a plan the way R5 splits debits. An R8 change of the total
re-plans what is not received yet (`follow_total_change`). `check_paid_before_use` is R6's
`NotEnoughPaid` check for a package that may only use what was already received.

Every operation here locks the package, writes its history line (`parcela recebida`,
`parcela estornada`: the sessions and the open amount stay as they were) and is one
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from peewee import Case, fn

from .. import access, audit, clock, receipt_book
from ..clinic import operator_name
from ..errors import NotEnoughPaid, NotFound, PackageNotActive, ValidationError
from ..paying import lock_package
from ..payments import normalize_method
from ..ptbr import CENT, format_brl, format_date, from_cents
from ..store import actor
from ..store.models import Installment, Package, package_id_of, refresh_instance
from ..store.transactions import operation
from ..terms import ENCERRADO, PARCELA_ESTORNADA, PARCELA_RECEBIDA, method_label
from ..text import plural
from ..validation import a_date, money_value, whole_number
from . import ledger, lines

MAX_INSTALLMENTS = 60
ZERO = ledger.ZERO


@dataclass(frozen=True)
class InstallmentRow:
    """One installment as the screens and reports read it. `count` is how many the
    package has (the "n" of "2/n"); `overdue`: not received and due before today."""

    id: int
    package_id: int
    number: int
    count: int
    due_on: date
    amount: Decimal
    received_on: date | None
    method: str  # a key of terms.MANUAL_METHODS; "" while unreceived, or unknown
    receipt_number: int | None
    overdue: bool

    @property
    def received(self) -> bool:
        return self.received_on is not None

    @property
    def label(self) -> str:
        """ "2/3"."""
        return f"{self.number}/{self.count}"

    @property
    def method_label(self) -> str:
        return method_label(self.method) if self.method else ""


@dataclass(frozen=True)
class InstallmentFigures:
    """A package's installments added up (R18): how many, how many received, `received`
    (their amounts), `owed` (the amounts not received), `overdue` (not received and due
    before today) and how many are overdue."""

    count: int = 0
    received_count: int = 0
    received: Decimal = ZERO
    owed: Decimal = ZERO
    overdue: Decimal = ZERO
    overdue_count: int = 0


# --- proposing and checking a plan -------------------------------------------------------


def split_installments(
    total: Decimal | str, count: int, first_due: date | None = None
) -> list[tuple[date, Decimal]]:
    """R18: `count` monthly installments of `total`, split the way R5 splits debits
    (1.000,00 in 3: 333,33 + 333,34 + 333,33), the first due on `first_due` (default
    today), the others on the same day of each following month (the month's last day when
    it is shorter). ValidationError for a count outside 1–60, a bad total, or less than
    R$ 0,01 per installment."""
    amount = money_value(total, "Total pago", field="total")
    n = whole_number(count, "Número de parcelas", low=1, high=MAX_INSTALLMENTS, field="count")
    first = a_date(first_due, "Vencimento da 1ª parcela", default_today=True, field="due_on")
    if amount < CENT * n:
        raise ValidationError(
            f"Não dá para dividir {format_brl(amount)} em {n} parcelas: cada parcela precisa "
            "de pelo menos R$ 0,01.",
            "count",
        )
    amounts = ledger.debit_schedule(amount, n, n)
    return [(clock.months_after(first, i), part) for i, part in enumerate(amounts)]


def _pair(item: Any) -> tuple[Any, Any]:
    if isinstance(item, tuple | list) and len(item) == 2:
        return item[0], item[1]
    if hasattr(item, "due_on") and hasattr(item, "amount"):
        return item.due_on, item.amount
    raise ValidationError("Parcelas: cada parcela tem um vencimento e um valor.", "installments")


def clean_plan(installments: Iterable[Any], total: Decimal) -> list[tuple[date, Decimal]]:
    """The plan as given, checked: 1–60 installments, each a due date and an amount above
    zero (two decimals at most), adding up exactly to `total`. ValidationError otherwise
    (field "installments")."""
    items = list(installments)
    if not items:
        raise ValidationError("Informe ao menos uma parcela.", "installments")
    if len(items) > MAX_INSTALLMENTS:
        raise ValidationError(f"No máximo {MAX_INSTALLMENTS} parcelas por pacote.", "installments")
    plan = []
    for n, item in enumerate(items, start=1):
        due, amount = _pair(item)
        plan.append(
            (
                a_date(due, f"Vencimento da parcela {n}", field="installments"),
                money_value(amount, f"Valor da parcela {n}", field="installments"),
            )
        )
    added = sum((amount for _, amount in plan), ZERO)
    if added != total:
        difference = total - added
        more = "faltam" if difference > 0 else "sobram"
        raise ValidationError(
            f"As parcelas somam {format_brl(added)} e o total pago é {format_brl(total)} "
            f"({more} {format_brl(abs(difference))}). Ajuste os valores para que a soma "
            "seja igual ao total.",
            "installments",
        )
    return plan


def plan_problem(installments: Iterable[Any], total: Any) -> str | None:
    """Why the plan would be refused for `total` (the message `clean_plan` raises), None
    when it adds up. For a form that checks as the user types."""
    try:
        amount = money_value(total, "Total pago", field="total")
        clean_plan(installments, amount)
    except ValidationError as exc:
        return exc.message
    return None


def rebalance_installments(
    total: Decimal, amounts: Sequence[Decimal], edited: int
) -> list[Decimal]:
    """The plan's amounts after the user typed installment `edited` (0-based): it and the
    ones before stay, the ones after share what is left of `total` by R5's split, so the
    sum stays the total. Unchanged when nothing can be shared (it was the last one, or what
    is left is below R$ 0,01 each): then `plan_problem` says what is wrong."""
    kept = list(amounts[: edited + 1])
    rest = len(amounts) - len(kept)
    left = total - sum(kept, ZERO)
    if rest <= 0 or left < CENT * rest:
        return list(amounts)
    return kept + ledger.debit_schedule(left, rest, rest)


def write_plan(row: Package, plan: Sequence[tuple[date, Decimal]] | None, method: str) -> None:
    """The installments of a package just created: the plan (none received), or without
    one the single installment 1/1 of its total, received on its payment date."""
    if plan is None:
        Installment.create(
            package=row,
            number=1,
            due_on=row.paid_on,
            amount=row.total,
            received_on=row.paid_on,
            method=method,
        )
        return
    Installment.insert_many(
        [
            {"package": row.id, "number": n, "due_on": due, "amount": amount}
            for n, (due, amount) in enumerate(plan, start=1)
        ]
    ).execute()


# --- reading ------------------------------------------------------------------------------


def installments(package: Package | int | str) -> list[InstallmentRow]:
    """The package's installments, by number (R18)."""
    package_id = package_id_of(package)
    rows = list(
        Installment.select().where(Installment.package == package_id).order_by(Installment.number)
    )
    today = clock.today()
    return [
        InstallmentRow(
            id=row.id,
            package_id=package_id,
            number=row.number,
            count=len(rows),
            due_on=row.due_on,
            amount=row.amount,
            received_on=row.received_on,
            method=row.method,
            receipt_number=row.receipt_number,
            overdue=row.received_on is None and row.due_on < today,
        )
        for row in rows
    ]


FIGURE_COLUMNS = ("count", "received_count", "received", "owed", "overdue", "overdue_count")


def figures_query(package_ids: Any, today: date | None = None):
    """The grouped query of the installments' figures of `package_ids` (a list or a
    subquery of ids): the package id, then FIGURE_COLUMNS (amounts in centavos), one row per
    package that has installments. Read alone (`figures_of`) or joined to the packages'
    own read (reads.py), so that the figures cost no statement of their own."""
    day = today or clock.today()
    received = Installment.received_on.is_null(False)
    late = Installment.received_on.is_null() & (Installment.due_on < day)
    columns = (
        fn.COUNT(Installment.id),
        fn.SUM(Case(None, [(received, 1)], 0)),
        fn.SUM(Case(None, [(received, Installment.amount)], 0)),
        fn.SUM(Case(None, [(received, 0)], Installment.amount)),
        fn.SUM(Case(None, [(late, Installment.amount)], 0)),
        fn.SUM(Case(None, [(late, 1)], 0)),
    )
    return (
        Installment.select(
            Installment.package.alias("package_id"),
            *(column.alias(name) for column, name in zip(columns, FIGURE_COLUMNS, strict=True)),
        )
        .where(Installment.package.in_(package_ids))
        .group_by(Installment.package)
    )


def figures_from(
    count: Any, got: Any, got_cents: Any, owed_cents: Any, late_cents: Any, late_count: Any
) -> InstallmentFigures:
    """InstallmentFigures from the values of `figures_query` (None: no installment)."""
    money = from_cents_or_zero
    return InstallmentFigures(
        count=int(count or 0),
        received_count=int(got or 0),
        received=money(got_cents),
        owed=money(owed_cents),
        overdue=money(late_cents),
        overdue_count=int(late_count or 0),
    )


def figures_of(
    package_ids: Iterable[int], today: date | None = None
) -> dict[int, InstallmentFigures]:
    """{package id: its InstallmentFigures} for these packages, in one grouped query."""
    ids = list(package_ids)
    if not ids:
        return {}
    return {
        package_id: figures_from(*values)
        for package_id, *values in figures_query(ids, today).tuples()
    }


def from_cents_or_zero(cents: Any) -> Decimal:
    return from_cents(int(cents or 0))


def received_total(package_id: int) -> Decimal:
    """What the package has received: the sum of its received installments."""
    cents = (
        Installment.select(fn.SUM(Installment.amount))
        .where((Installment.package == package_id) & Installment.received_on.is_null(False))
        .scalar()
    )
    return from_cents_or_zero(cents)


# --- R6: pay before use --------------------------------------------------------------------


def check_paid_before_use(row: Package, debits: Decimal, count: int) -> None:
    """R18 in R6 (after the count, before the prices): a package that may only use what
    was received refuses debits (`debits`, the sum of `count` new ones) that would take its
    debited total (total − open amount) above what it received. NotEnoughPaid, saying how
    much is still owed; nothing paid."""
    if not row.pay_before_use:
        return
    received = received_total(row.id)
    debited = row.total - row.open_amount
    after = debited + debits
    if after <= received:
        return
    owed = row.total - received
    raise NotEnoughPaid(
        f"O pacote No. {row.number} só pode usar o que já foi pago: recebido "
        f"{format_brl(received)}, já usado {format_brl(debited)}, e "
        f"{plural(count, 'sessão', 'sessões')} a pagar {'soma' if count == 1 else 'somam'} "
        f"{format_brl(debits)}. Ainda falta receber "
        f"{format_brl(owed)} deste pacote: receba a próxima parcela antes de pagar "
        f"{'esta sessão' if count == 1 else 'estas sessões'}. Nada foi pago.",
        received=received,
        debited=after,
        owed=owed,
    )


# --- R8: a change of the total -----------------------------------------------------------


def check_total_change(row: Package, new_total: Decimal) -> None:
    """R8 with R18: the total of a package with a plan may not go below what was received
    (ValidationError, field "total"). Without a plan its one installment follows the total
    (`follow_change`), so nothing to check."""
    if not row.has_plan:
        return
    received = received_total(row.id)
    if new_total < received:
        raise ValidationError(
            f"Este pacote já recebeu {format_brl(received)}: o valor total não pode ser menor "
            f"que isso. Para reduzir mais, estorne antes uma parcela recebida.",
            "total",
        )


def follow_change(row: Package, old_total: Decimal, old_paid_on: date) -> None:
    """After an R8 change (inside its transaction; `row` holds the new figures): a package
    without a plan keeps its one installment equal to the total, due and received on the
    payment date. With a plan, a new total re-splits what is left after the received
    installments over the unreceived ones by R5, due dates kept (the last ones removed
    when too little is left for them all, all of them when nothing is left); when every
    installment was received and the total grew, one new installment for the difference,
    due today. The numbers stay 1..n."""
    if not row.has_plan:
        if (row.total, row.paid_on) == (old_total, old_paid_on):
            return
        Installment.update(amount=row.total, due_on=row.paid_on, received_on=row.paid_on).where(
            Installment.package == row.id
        ).execute()
        return
    if row.total == old_total:
        return
    rows = list(
        Installment.select().where(Installment.package == row.id).order_by(Installment.number)
    )
    received = sum((i.amount for i in rows if i.received_on is not None), ZERO)
    unreceived = [i for i in rows if i.received_on is None]
    left = row.total - received
    if not unreceived:
        if left > 0:
            Installment.create(
                package=row,
                number=len(rows) + 1,
                due_on=clock.today(),
                amount=left,
            )
        return
    keep = min(len(unreceived), int(left / CENT))
    amounts = ledger.debit_schedule(left, keep, keep) if keep else []
    for installment, amount in zip(unreceived, amounts, strict=False):
        if installment.amount != amount:
            installment.amount = amount
            installment.save(only=[Installment.amount])
    dropped = [i.id for i in unreceived[keep:]]
    if dropped:
        Installment.delete().where(Installment.id.in_(dropped)).execute()
        _renumber(row.id)


def _renumber(package_id: int) -> None:
    """Number the package's installments 1..n again, in their order (after some were
    removed). Ascending, so each new number is free when it is taken."""
    rows = (
        Installment.select(Installment.id, Installment.number)
        .where(Installment.package == package_id)
        .order_by(Installment.number)
    )
    for n, row in enumerate(list(rows), start=1):
        if row.number != n:
            Installment.update(number=n).where(Installment.id == row.id).execute()


# --- operations ---------------------------------------------------------------------------


def _installment(row: Package, number: Any) -> tuple[Installment, int]:
    """The package's installment `number` and how many it has; NotFound when none."""
    count = Installment.select().where(Installment.package == row.id).count()
    n = whole_number(number, "Parcela", low=1, high=max(count, 1), field="number")
    found = Installment.get_or_none((Installment.package == row.id) & (Installment.number == n))
    if found is None:
        raise NotFound(f"O pacote No. {row.number} não tem a parcela {n}.")
    return found, count


def _refuse_closed(row: Package) -> None:
    """R19: a closed package's installments are final (the unreceived ones were cancelled,
    the received ones are what its closing gave back or kept)."""
    if row.status == ENCERRADO:
        raise PackageNotActive(
            f"O pacote No. {row.number} está encerrado: suas parcelas não podem mais ser "
            "recebidas nem estornadas. Nada foi alterado."
        )


@operation
@access.allowed("packages.receive_installment")
def receive_installment(
    package: Package | int | str,
    number: int,
    *,
    method: str = "pix",
    received_on: date | None = None,
    expected_version: int | None = None,
) -> Installment:
    """R18: receive the package's installment `number` (1..n), once, with `method` (R12's
    list) on `received_on` (default today). Writes `parcela recebida` ("Parcela 2/3
    recebida: R$ 333,34 (Pix)"); the sessions and the open amount stay as they were.
    ValidationError when it was already received (nothing changed), NotFound for a number
    the package does not have. Returns the installment."""
    row = lock_package(package)
    lines.check_version(row, expected_version)
    _refuse_closed(row)
    installment, count = _installment(row, number)
    key = normalize_method(method)
    day = a_date(received_on, "Data do recebimento", default_today=True, field="received_on")
    if installment.received_on is not None:
        how = f" ({method_label(installment.method)})" if installment.method else ""
        raise ValidationError(
            f"A parcela {installment.number}/{count} do pacote No. {row.number} já foi "
            f"recebida em {format_date(installment.received_on)}{how}. Nada foi alterado.",
            "number",
        )
    installment.received_on = day
    installment.method = key
    installment.user = actor.user_id()
    installment.save(only=[Installment.received_on, Installment.method, Installment.user])
    row.version += 1
    row.save(only=[Package.version])
    operator = operator_name()
    lines.record(
        row,
        PARCELA_RECEBIDA,
        f"Parcela {installment.number}/{count} recebida: {format_brl(installment.amount)} "
        f"({method_label(key)})",
        amount=installment.amount,
        operator=operator,
    )
    receipt_book.for_installment(row, installment, count, operator=operator)  # R21
    refresh_instance(package, row)
    return installment


@operation
@access.allowed("packages.void_installment")
def void_installment(
    package: Package | int | str, number: int, *, expected_version: int | None = None
) -> Installment:
    """R18: void (estornar) the package's received installment `number`: unreceived again,
    what the package owes grows by its amount. Writes `parcela estornada` ("Parcela 2/3
    estornada"); the sessions and the open amount stay as they were. A package without a
    plan whose installment is voided has a plan from then on (its 1/1 installment to be
    received). ValidationError when it is not received. Returns the installment."""
    row = lock_package(package)
    lines.check_version(row, expected_version)
    _refuse_closed(row)
    installment, count = _installment(row, number)
    if installment.received_on is None:
        raise ValidationError(
            f"A parcela {installment.number}/{count} do pacote No. {row.number} não foi "
            "recebida; não há o que estornar.",
            "number",
        )
    what = (
        f"Parcela {installment.number}/{count} do pacote No. {row.number} "
        f"(paciente #{row.patient_id}): {format_brl(installment.amount)} recebida em "
        f"{format_date(installment.received_on)}"
    )
    receipt_book.installment_voided(installment)  # R21: its receipt cancelled, kept
    installment.received_on = None
    installment.method = ""
    installment.save(only=[Installment.received_on, Installment.method])
    row.has_plan = True
    row.version += 1
    row.save(only=[Package.version, Package.has_plan])
    lines.record(
        row,
        PARCELA_ESTORNADA,
        f"Parcela {installment.number}/{count} estornada",
        amount=installment.amount,
        operator=operator_name(),
    )
    audit.record(audit.VOID, what)
    refresh_instance(package, row)
    return installment
