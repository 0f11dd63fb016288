"""R14 for R21: the receipts (recibos) against the money they stand for.

What an accountant trusts in the clinic's receipts, and what every operation that moves
money keeps (receipt_book.py) — and the schema step that gave the money received before
receipts existed its receipts (store/migrations.py, `add_receipts`: every received
installment, every manual payment still standing), so an upgraded clinic holds to it too:

- the numbers go from 1 to the counter's value, each given once, none missing; the
  counter is never behind the highest number (the next would repeat one);
- a valid (not cancelled) receipt stands for money still received: a "pacote" or
  "parcela" receipt for a received installment of its package, on the day received — a
  "pacote" one of the package's total, a "parcela" one of the installment's amount —, a
  "pagamento" one for standing manual payments (ReceiptPayment) that add up to it; a
  cancelled receipt's `replaced_by`, when set, names a receipt issued after it, of the
  same kind (that one may have been cancelled in its turn: a package changed twice);
- no money without its receipt: each received installment has exactly one valid receipt
  (and names its number, `receipt_number`), each standing manual payment is on exactly one.

Five set-based queries whatever the clinic's size, each returning only what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from peewee import JOIN, Case, fn

from .problems import Problem
from .ptbr import format_date, format_day_month_time, format_money, from_cents
from .receipt_book import COUNTER_ID, PACOTE, PAGAMENTO, PARCELA, SOURCES
from .store.binding import db
from .store.models import (
    Installment,
    Package,
    Payment,
    Receipt,
    ReceiptCounter,
    ReceiptPayment,
    Session,
)
from .text import format_count, plural_word

MISSING_SHOWN = 10  # missing or repeated numbers named in one message, then "e mais N"


def check() -> list[Problem]:
    """Every receipt inconsistency; empty when the receipts match the money."""
    return [
        *_numbering(),
        *_receipts(),
        *_payment_receipts(),
        *_installments_without_receipt(),
        *_payments_without_receipt(),
    ]


def _names(numbers: list[int]) -> str:
    shown = ", ".join(f"No. {n}" for n in numbers[:MISSING_SHOWN])
    more = len(numbers) - MISSING_SHOWN
    return f"{shown} e mais {format_count(more)}" if more > 0 else shown


def _numbering() -> list[Problem]:
    """Numbers 1..counter, each once: one aggregate (the numbers themselves are read only
    when they are not)."""
    counter = ReceiptCounter.select(ReceiptCounter.last).where(ReceiptCounter.id == COUNTER_ID)
    query = Receipt.select(
        fn.COUNT(Receipt.id),
        fn.COUNT(Receipt.number.distinct()),
        fn.MAX(Receipt.number),
        counter,
    )
    count, distinct, highest, last = db.execute(query).fetchone()
    highest, last = highest or 0, last or 0  # no receipt yet: no counter row either
    found = []
    if distinct != count:
        repeated = (
            Receipt.select(Receipt.number)
            .group_by(Receipt.number)
            .having(fn.COUNT(Receipt.id) > 1)
            .order_by(Receipt.number)
        )
        numbers = [n for (n,) in db.execute(repeated).fetchall()]
        found.append(Problem(f"recibos: número dado a mais de um recibo: {_names(numbers)}"))
    end = max(highest, last)
    if distinct != end:
        given = {n for (n,) in db.execute(Receipt.select(Receipt.number)).fetchall()}
        missing = [n for n in range(1, end + 1) if n not in given]
        if missing:
            found.append(
                Problem(
                    f"recibos: {plural_word(len(missing), 'falta', 'faltam')} na numeração "
                    f"(de 1 a {end}, sem lacunas): {_names(missing)}"
                )
            )
        strange = sorted(n for n in given if n < 1)
        if strange:
            found.append(Problem(f"recibos: número inválido: {_names(strange)}"))
    if last < highest:
        found.append(
            Problem(
                f"recibos: o contador está em {last}, atrás do maior número já emitido ({highest})"
            )
        )
    return found


@dataclass(frozen=True)
class _ReceiptRow:
    number: int
    source: str
    cents: int
    issued_on: date
    cancelled: bool
    replaced_by: int | None
    package_id: int | None
    installment_id: int | None
    installment_number: int | None
    installment_package_id: int | None
    installment_cents: int | None
    received_on: date | None
    package_number: str | None
    total_cents: int | None
    replacement_number: int | None
    replacement_source: str | None


def _receipts() -> list[Problem]:
    """Each receipt against what it names, in one query: a valid one's installment
    (received, of its package, on its day), a "parcela" one's amount, a "pacote" one's
    total; a cancelled one's replacement."""
    new = Receipt.alias("replacement")
    active = Receipt.cancelled_at.is_null()
    installment_wrong = Receipt.source.in_([PACOTE, PARCELA]) & (
        Installment.id.is_null()
        | Installment.received_on.is_null()
        | Receipt.package.is_null()
        | (Installment.package != Receipt.package)
        | (Installment.received_on != Receipt.issued_on)
        | ((Receipt.source == PARCELA) & (Installment.amount != Receipt.amount))
        | ((Receipt.source == PACOTE) & (Package.total != Receipt.amount))
    )
    replacement_wrong = Receipt.replaced_by.is_null(False) & (
        new.id.is_null() | (new.number <= Receipt.number) | (new.source != Receipt.source)
    )
    query = (
        Receipt.select(
            Receipt.number,
            Receipt.source,
            Receipt.amount,
            Receipt.issued_on,
            Receipt.cancelled_at.is_null(False),
            Receipt.replaced_by,
            Receipt.package,
            Installment.id,
            Installment.number,
            Installment.package,
            Installment.amount,
            Installment.received_on,
            Package.number,
            Package.total,
            new.number,
            new.source,
        )
        .join(Installment, JOIN.LEFT_OUTER, on=(Receipt.installment == Installment.id))
        .switch(Receipt)
        .join(Package, JOIN.LEFT_OUTER, on=(Receipt.package == Package.id))
        .switch(Receipt)
        .join(new, JOIN.LEFT_OUTER, on=(new.number == Receipt.replaced_by))
        .where(
            (
                active
                & (
                    Receipt.source.not_in(SOURCES)
                    | Receipt.replaced_by.is_null(False)
                    | installment_wrong
                )
            )
            | (~active & replacement_wrong)
        )
        .order_by(Receipt.number)
    )
    found = []
    for values in db.execute(query).fetchall():
        row = _ReceiptRow(*values)
        found += [Problem(text, receipt_number=row.number) for text in _receipt_problems(row)]
    return found


def _receipt_problems(row: _ReceiptRow) -> list[str]:
    if row.cancelled:
        if row.replacement_number is None:
            return [f"cancelado e substituído pelo No. {row.replaced_by}, que não existe"]
        if row.replacement_number <= row.number:
            return [f"cancelado e substituído pelo No. {row.replaced_by}, emitido antes dele"]
        return [f"cancelado e substituído pelo No. {row.replaced_by}, que é de outro tipo"]
    found = []
    if row.source not in SOURCES:
        found.append(f"origem desconhecida: “{row.source}”")
    if row.replaced_by is not None:
        found.append(f"válido, mas marcado como substituído pelo No. {row.replaced_by}")
    if row.source not in (PACOTE, PARCELA):
        return found
    if row.package_id is None:
        return [*found, "válido, mas não está ligado a nenhum pacote"]
    if row.installment_id is None:
        return [
            *found,
            f"válido, mas não está ligado a nenhuma parcela do pacote No. {row.package_number}",
        ]
    if row.installment_package_id != row.package_id:
        return [
            *found,
            f"é do pacote No. {row.package_number}, mas a parcela que ele recebe é de outro pacote",
        ]
    parcel = f"a parcela {row.installment_number} do pacote No. {row.package_number}"
    amount = from_cents(row.cents)
    if row.received_on is None:
        found.append(f"válido, mas {parcel} não consta como recebida: deveria estar cancelado")
    if row.source == PARCELA and int(row.installment_cents) != int(row.cents):
        found.append(
            f"vale {format_money(amount)}, mas {parcel} é de "
            f"{format_money(from_cents(row.installment_cents))}"
        )
    if row.received_on is not None and _day(row.received_on) != _day(row.issued_on):
        found.append(
            f"emitido em {format_date(_day(row.issued_on))}, mas {parcel} foi recebida em "
            f"{format_date(_day(row.received_on))}"
        )
    if row.source == PACOTE and int(row.total_cents) != int(row.cents):
        found.append(
            f"vale {format_money(amount)}, mas o pacote No. {row.package_number} tem valor "
            f"total de {format_money(from_cents(row.total_cents))}"
        )
    return found


def _payment_receipts() -> list[Problem]:
    """Each valid "pagamento" receipt against the payments it covers (ReceiptPayment): at
    least one, none voided, none a package debit, the manual ones adding up to its amount.
    One grouped query."""
    voided = fn.SUM(Case(None, [(Payment.voided_at.is_null(False), 1)], 0))
    debits = fn.SUM(Case(None, [(Payment.package.is_null(False), 1)], 0))
    # What it was issued for: its manual payments, a voided one included (told apart).
    covered = fn.SUM(Case(None, [(Payment.package.is_null(), Payment.amount)], 0))
    links = fn.COUNT(ReceiptPayment.id)
    query = (
        Receipt.select(Receipt.number, Receipt.amount, links, voided, debits, covered)
        .join(ReceiptPayment, JOIN.LEFT_OUTER, on=(ReceiptPayment.receipt == Receipt.id))
        .join(Payment, JOIN.LEFT_OUTER, on=(ReceiptPayment.payment == Payment.id))
        .where(Receipt.cancelled_at.is_null() & (Receipt.source == PAGAMENTO))
        .group_by(Receipt.id, Receipt.number, Receipt.amount)
        .having((links == 0) | (voided > 0) | (debits > 0) | (covered != Receipt.amount))
        .order_by(Receipt.number)
    )
    found = []
    for number, cents, count, voided_count, debit_count, covered_cents in db.execute(
        query
    ).fetchall():
        if not count:
            found.append(Problem("válido, mas não cobre nenhum pagamento", receipt_number=number))
            continue
        if voided_count:
            found.append(
                Problem(
                    "válido, mas cobre "
                    + (
                        "um pagamento estornado"
                        if voided_count == 1
                        else f"{voided_count} pagamentos estornados"
                    )
                    + ": deveria estar cancelado (ou substituído pelos que continuam pagos)",
                    receipt_number=number,
                )
            )
        if debit_count:
            found.append(
                Problem(
                    "cobre um débito de pacote (só pagamentos manuais têm recibo)",
                    receipt_number=number,
                )
            )
        if int(covered_cents or 0) != int(cents):
            found.append(
                Problem(
                    f"vale {format_money(from_cents(cents))}, mas os pagamentos que ele cobre "
                    f"somam {format_money(from_cents(int(covered_cents or 0)))}",
                    receipt_number=number,
                )
            )
    return found


def _installments_without_receipt() -> list[Problem]:
    """Each received installment on exactly one valid receipt, whose number it names; an
    unreceived one names none. One grouped query."""
    valid = fn.COUNT(Receipt.id)
    highest = fn.MAX(Receipt.number)
    lowest = fn.MIN(Receipt.number)
    received = Installment.received_on.is_null(False)
    query = (
        Installment.select(
            Package.number,
            Installment.number,
            Installment.received_on,
            Installment.receipt_number,
            valid,
            lowest,
            highest,
        )
        .join(Package, on=(Installment.package == Package.id))
        .switch(Installment)
        .join(
            Receipt,
            JOIN.LEFT_OUTER,
            on=(Receipt.installment == Installment.id) & Receipt.cancelled_at.is_null(),
        )
        .where(received | Installment.receipt_number.is_null(False))
        .group_by(Installment.id, Package.id)
        .having(
            (
                received
                & (
                    (valid != 1)
                    | Installment.receipt_number.is_null()
                    | (highest != Installment.receipt_number)
                )
            )
            | (~received & Installment.receipt_number.is_null(False))
        )
        .order_by(Package.id, Installment.number)
    )
    found = []
    for package, number, received_on, named, count, first, last in db.execute(query).fetchall():
        parcel = f"a parcela {number}"
        if received_on is None:
            text = f"{parcel} não foi recebida, mas indica o recibo No. {named}"
        elif count == 0:
            text = f"{parcel}, recebida em {format_date(_day(received_on))}, não tem recibo válido"
        elif count > 1:
            text = f"{parcel} tem {count} recibos válidos (do No. {first} ao No. {last})"
        elif named is None:
            text = f"{parcel} não indica o seu recibo (No. {last})"
        else:
            text = f"{parcel} indica o recibo No. {named}, mas o seu recibo válido é o No. {last}"
        found.append(Problem(text, package_number=package))
    return found


def _payments_without_receipt() -> list[Problem]:
    """Each standing manual payment on exactly one valid receipt. One grouped query."""
    valid = fn.COUNT(Receipt.id)
    query = (
        Payment.select(
            Payment.session,
            Session.starts_at,
            Payment.amount,
            valid,
            fn.MIN(Receipt.number),
            fn.MAX(Receipt.number),
        )
        .join(Session, on=(Payment.session == Session.id))
        .switch(Payment)
        .join(ReceiptPayment, JOIN.LEFT_OUTER, on=(ReceiptPayment.payment == Payment.id))
        .join(
            Receipt,
            JOIN.LEFT_OUTER,
            on=(ReceiptPayment.receipt == Receipt.id) & Receipt.cancelled_at.is_null(),
        )
        .where(Payment.package.is_null() & Payment.voided_at.is_null())
        .group_by(Payment.id, Session.id)
        .having(valid != 1)
        .order_by(Payment.id)
    )
    found = []
    for session_id, starts_at, cents, count, first, last in db.execute(query).fetchall():
        what = (
            f"pagamento manual da sessão de {format_day_month_time(_moment(starts_at))} "
            f"({format_money(from_cents(cents))})"
        )
        if count == 0:
            text = f"{what} sem recibo válido"
        else:
            text = f"{what} em {count} recibos válidos (do No. {first} ao No. {last})"
        found.append(Problem(text, session_id=session_id))
    return found


def _day(value) -> date | None:
    """A DATE column as SQLite (text) or PostgreSQL (date) gives it."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _moment(value) -> datetime:
    """A DATETIME column as SQLite (text) or PostgreSQL (datetime) gives it."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
