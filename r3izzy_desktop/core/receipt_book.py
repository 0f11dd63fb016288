"""R21: writing receipts (recibos) inside the operations that move money.

Every money receipt gets one: a package created without a plan (its total), each
installment received, each manual payment call (one receipt per patient for the sessions
it pays). Voiding the money cancels its receipt (kept, with its number); voiding one
session of a receipt that covers several cancels it and issues a new one for the sessions
still paid. Numbers are sequential for the clinic and never reused: `next_number` takes
them from the one ReceiptCounter row under a row lock (SELECT … FOR UPDATE on PostgreSQL;
on SQLite the operation's IMMEDIATE transaction already holds the only write lock), so two
PCs receiving at once never get the same number; the unique index on the number is the
last guard.

Low in the core, beside paying.py: the operations of packages/ and payments.py call it
inside their own transaction; it imports no domain above the storage layer. What a receipt
says is written once, when issued (payer, patient, items, balance): a receipt is a document
given to someone, and later changes of names or prices never rewrite it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from peewee import fn

from . import clock
from .ptbr import format_brl, format_date
from .store.models import (
    Installment,
    Package,
    Patient,
    Payment,
    Professional,
    Receipt,
    ReceiptCounter,
    ReceiptPayment,
    Service,
    Session,
)
from .store.transactions import for_update
from .terms import method_label
from .text import plural

# Where a receipt's money came from.
PACOTE = "pacote"  # a package created without a plan: its total
PARCELA = "parcela"  # an installment received
PAGAMENTO = "pagamento"  # a manual payment call (one patient's sessions)
SOURCES = (PACOTE, PARCELA, PAGAMENTO)
SOURCE_LABELS = {PACOTE: "Pacote", PARCELA: "Parcela", PAGAMENTO: "Sessões"}

COUNTER_ID = 1


# --- who pays ------------------------------------------------------------------------------


def payer_of(patient: Patient) -> tuple[str, str]:
    """(name, CPF digits) of the patient's financial responsible (R21): the one set on the
    patient; else the guardian (CPF typed apart); else the patient and their CPF."""
    if patient.payer_name:
        return patient.payer_name, patient.payer_cpf or ""
    if patient.guardian:
        return patient.guardian, patient.payer_cpf or ""
    return patient.name, patient.payer_cpf or patient.cpf or ""


# --- numbers ------------------------------------------------------------------------------


def next_number() -> int:
    """The next receipt number, taken for good (inside the caller's transaction): the
    counter row locked, raised by one. Never below a number already given."""
    ReceiptCounter.insert(id=COUNTER_ID, last=0).on_conflict_ignore().execute()
    row = for_update(ReceiptCounter.select().where(ReceiptCounter.id == COUNTER_ID)).get()
    highest = Receipt.select(fn.MAX(Receipt.number)).scalar() or 0
    number = max(row.last, highest) + 1
    ReceiptCounter.update(last=number).where(ReceiptCounter.id == COUNTER_ID).execute()
    return number


# --- what it says -------------------------------------------------------------------------


def balance_text(package: Package) -> str:
    """ "Restam 3 de 5 sessões" (the package's balance as it is now)."""
    left = package.sessions_total - package.sessions_used
    verb = "Resta" if left == 1 else "Restam"
    return f"{verb} {left} de {plural(package.sessions_total, 'sessão', 'sessões')}"


def package_item(package: Package, prefix: str = "Pacote") -> str:
    """ "Pacote No. 250618170510 — 5 sessões, total R$ 1.000,00"."""
    return (
        f"{prefix} No. {package.number} — "
        f"{plural(package.sessions_total, 'sessão', 'sessões')}, "
        f"total {format_brl(package.total)}"
    )


def installment_item(package: Package, installment: Installment, count: int) -> str:
    """ "Parcela 2/4 do pacote No. 250618170510 — 5 sessões, total R$ 1.000,00"."""
    return package_item(package, f"Parcela {installment.number}/{count} do pacote")


def session_items(sessions: Sequence[Session], amounts: Sequence[Decimal]) -> list[str]:
    """One line per session paid: "03/07/2025 10:00 · Método Bobath · Dra. Luíza
    (CREFITO-3 12345-F) · R$ 250,00" (its services and professionals read in two queries)."""
    services = dict(
        Service.select(Service.id, Service.name)
        .where(Service.id.in_({s.service_id for s in sessions}))
        .tuples()
    )
    pro_ids = {s.professional_id for s in sessions if s.professional_id is not None}
    pros = (
        {
            pid: (f"{name} ({council})" if council else name)
            for pid, name, council in Professional.select(
                Professional.id, Professional.name, Professional.council
            )
            .where(Professional.id.in_(pro_ids))
            .tuples()
        }
        if pro_ids
        else {}
    )
    lines = []
    for session, amount in zip(sessions, amounts, strict=True):
        parts = [session.starts_at.strftime("%d/%m/%Y %H:%M")]
        if session.service_id in services:
            parts.append(services[session.service_id])
        if session.professional_id in pros:
            parts.append(pros[session.professional_id])
        parts.append(format_brl(amount))
        lines.append(" · ".join(parts))
    return lines


# --- issuing ------------------------------------------------------------------------------


def issue(
    *,
    source: str,
    patient: Patient | int,
    amount: Decimal,
    method: str,
    issued_on: date,
    items: Sequence[str],
    balance: str = "",
    package: Package | None = None,
    installment: Installment | None = None,
    payments: Iterable[Payment] = (),
    operator: str = "",
) -> Receipt:
    """Write one receipt with the next number (inside the caller's transaction)."""
    who = patient if isinstance(patient, Patient) else Patient.get_by_id(patient)
    payer_name, payer_cpf = payer_of(who)
    receipt = Receipt.create(
        number=next_number(),
        issued_on=issued_on,
        source=source,
        payer_name=payer_name,
        payer_cpf=payer_cpf,
        patient=who.id,
        patient_name=who.name,
        patient_cpf=who.cpf or "",
        amount=amount,
        method=method or "",
        package=package.id if package is not None else None,
        installment=installment.id if installment is not None else None,
        items="\n".join(items),
        balance=balance,
        created_at=clock.now(),
        operator=operator,
    )
    links = [{"receipt": receipt.id, "payment": p.id} for p in payments]
    if links:
        ReceiptPayment.insert_many(links).execute()
    if installment is not None:
        Installment.update(receipt_number=receipt.number).where(
            Installment.id == installment.id
        ).execute()
        installment.receipt_number = receipt.number
    return receipt


def for_package(package: Package, *, operator: str = "") -> Receipt | None:
    """The receipt of a package created without a plan: its total, on its payment date,
    tied to its one installment (1/1). None when it has a plan (each installment gets its
    own when received)."""
    if package.has_plan:
        return None
    installment = (
        Installment.select()
        .where((Installment.package == package.id) & (Installment.number == 1))
        .first()
    )
    return issue(
        source=PACOTE,
        patient=package.patient_id,
        amount=package.total,
        method=package.method,
        issued_on=package.paid_on,
        items=[package_item(package)],
        balance=balance_text(package),
        package=package,
        installment=installment,
        operator=operator,
    )


def for_installment(
    package: Package, installment: Installment, count: int, *, operator: str = ""
) -> Receipt:
    """The receipt of an installment just received (its amount, date and method)."""
    return issue(
        source=PARCELA,
        patient=package.patient_id,
        amount=installment.amount,
        method=installment.method,
        issued_on=installment.received_on,
        items=[installment_item(package, installment, count)],
        balance=balance_text(package),
        package=package,
        installment=installment,
        operator=operator,
    )


def for_manual_payments(
    payments: Sequence[Payment], sessions: dict[int, Session], *, operator: str = ""
) -> list[Receipt]:
    """The receipts of one `pay_manually` call: one per patient, for the sessions it pays
    (in the order paid)."""
    by_patient: dict[int, list[Payment]] = {}
    for payment in payments:
        by_patient.setdefault(sessions[payment.session_id].patient_id, []).append(payment)
    return [
        _for_payments(patient_id, group, sessions, operator=operator)
        for patient_id, group in by_patient.items()
    ]


def _for_payments(
    patient_id: int, group: Sequence[Payment], sessions: dict[int, Session], *, operator: str
) -> Receipt:
    ordered = sorted(group, key=lambda p: (sessions[p.session_id].starts_at, p.session_id))
    total = sum((p.amount for p in ordered), Decimal("0.00"))
    return issue(
        source=PAGAMENTO,
        patient=patient_id,
        amount=total,
        method=ordered[0].method,
        issued_on=ordered[0].paid_on,
        items=session_items([sessions[p.session_id] for p in ordered], [p.amount for p in ordered]),
        payments=ordered,
        operator=operator,
    )


# --- cancelling ---------------------------------------------------------------------------


def cancel(receipt: Receipt, reason: str, replaced_by: int | None = None) -> None:
    """Cancel a receipt (its money voided): kept, with its number, shown CANCELADO."""
    Receipt.update(
        cancelled_at=clock.now(), cancel_reason=reason[:200], replaced_by=replaced_by
    ).where((Receipt.id == receipt.id) & Receipt.cancelled_at.is_null()).execute()
    receipt.cancelled_at = receipt.cancelled_at or clock.now()


def _live_of_installment(installment: Installment) -> list[Receipt]:
    return list(
        Receipt.select().where(
            (Receipt.installment == installment.id) & Receipt.cancelled_at.is_null()
        )
    )


def installment_voided(installment: Installment, reason: str = "parcela estornada") -> None:
    """An installment voided (unreceived again): its receipt is cancelled."""
    for receipt in _live_of_installment(installment):
        cancel(receipt, reason)
    Installment.update(receipt_number=None).where(Installment.id == installment.id).execute()
    installment.receipt_number = None


def package_changed(package: Package, *, operator: str = "") -> Receipt | None:
    """After an R8 change of a package without a plan whose total or payment date changed
    (its one installment followed): the receipt of the old figures is cancelled and one
    of the new issued. Returns the new receipt (None when nothing had to change)."""
    if package.has_plan:
        return None
    installment = (
        Installment.select()
        .where((Installment.package == package.id) & (Installment.number == 1))
        .first()
    )
    if installment is None or installment.received_on is None:
        return None
    live = _live_of_installment(installment)
    if live and all(
        (r.amount, r.issued_on) == (installment.amount, installment.received_on) for r in live
    ):
        return None
    new = issue(
        source=PACOTE,
        patient=package.patient_id,
        amount=installment.amount,
        method=package.method,
        issued_on=installment.received_on,
        items=[package_item(package)],
        balance=balance_text(package),
        package=package,
        installment=installment,
        operator=operator,
    )
    for receipt in live:
        cancel(receipt, "pacote alterado", replaced_by=new.number)
    return new


def payment_voided(payment: Payment, reason: str) -> Receipt | None:
    """A manual payment voided (inside the operation that voids it, after `voided_at` is
    set): its receipt is cancelled, and when it covered other sessions still paid a new
    receipt is issued for them (returned)."""
    if payment.package_id is not None:
        return None
    receipts = list(
        Receipt.select()
        .join(ReceiptPayment, on=ReceiptPayment.receipt == Receipt.id)
        .where((ReceiptPayment.payment == payment.id) & Receipt.cancelled_at.is_null())
    )
    new = None
    for receipt in receipts:
        still = list(
            Payment.select()
            .join(ReceiptPayment, on=ReceiptPayment.payment == Payment.id)
            .where((ReceiptPayment.receipt == receipt.id) & Payment.voided_at.is_null())
        )
        if still:
            ids = [p.session_id for p in still]
            sessions = {s.id: s for s in Session.select().where(Session.id.in_(ids))}
            new = _for_payments(receipt.patient_id, still, sessions, operator=receipt.operator)
        cancel(
            receipt,
            f"sessão estornada ({reason})" if reason else "sessão estornada",
            replaced_by=new.number if new is not None else None,
        )
    return new


def describe(receipt: Receipt) -> str:
    """ "Recibo No. 12 de 03/07/2025: R$ 250,00 (Pix)", for messages and the audit log."""
    how = f" ({method_label(receipt.method)})" if receipt.method else ""
    return (
        f"Recibo No. {receipt.number} de {format_date(receipt.issued_on)}: "
        f"{format_brl(receipt.amount)}{how}"
    )
