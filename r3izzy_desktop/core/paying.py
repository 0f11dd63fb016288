"""What every way of paying a session shares: package debits (packages/) and manual
payments (payments.py) both read the sessions and their active payments, check that a
session can be paid, lock the rows they check in one order, and void a payment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from . import clock, receipt_book
from .errors import AlreadyPaid, NotFound, ValidationError
from .ptbr import format_date, format_day_month_time
from .store.binding import is_postgres
from .store.models import Package, Payment, Service, Session, package_id_of
from .store.transactions import for_update
from .terms import method_label


def fetch_sessions(sessions: Sequence[Session | int]) -> list[Session]:
    """The sessions (with their service), in the order given; ValidationError when one is
    given twice, NotFound when one does not exist."""
    ids = [s.id if isinstance(s, Session) else s for s in sessions]
    if len(set(ids)) != len(ids):
        raise ValidationError("A mesma sessão foi selecionada mais de uma vez.")
    rows = {
        row.id: row
        for row in Session.select(Session, Service).join(Service).where(Session.id.in_(ids))
    }
    missing = [i for i in ids if i not in rows]
    if missing:
        raise NotFound("Sessão não encontrada (talvez excluída em outro computador).")
    return [rows[i] for i in ids]


def active_payments(session_ids: Iterable[int]) -> dict[int, Payment]:
    """{session id: its active payment} for those of the sessions that are paid."""
    query = Payment.select().where(
        Payment.session.in_(list(session_ids)) & Payment.voided_at.is_null()
    )
    return {payment.session_id: payment for payment in query}


def check_payable(session: Session, payment: Payment | None) -> None:
    """What every way of paying requires of a session: not paid yet (AlreadyPaid, naming
    how it was paid) and not deleted (ValidationError). `payment` is its active one."""
    when = format_day_month_time(session.starts_at)
    if payment is not None:
        raise AlreadyPaid(
            f"A sessão de {when} já está paga ({describe_payment(payment)}).", session.id
        )
    if session.deleted_at is not None:
        raise ValidationError(f"A sessão de {when} foi excluída e não pode ser paga.")


def describe_payment(payment: Payment) -> str:
    """How a session was paid, in words: "pacote No. 250618170510" or "Pix em 03/07/2025"."""
    if payment.package_id is not None:
        number = Package.select(Package.number).where(Package.id == payment.package_id).scalar()
        return f"pacote No. {number}"
    return f"{method_label(payment.method)} em {format_date(payment.paid_on)}"


def active_payment(session: Session | int) -> Payment | None:
    session_id = session.id if isinstance(session, Session) else session
    return Payment.get_or_none((Payment.session == session_id) & Payment.voided_at.is_null())


def mark_voided(payment: Payment, reason: str) -> None:
    """Void `payment` now for `reason`, inside a running operation; the row stays (R12).

    Only the payment: a package debit is voided through `packages.credit_back`, which
    also gives the package its session back."""
    payment.voided_at = clock.now()
    payment.void_reason = reason
    payment.save(only=[Payment.voided_at, Payment.void_reason])
    # R21: a manual payment's receipt is cancelled (and reissued for what it still covers).
    receipt_book.payment_voided(payment, reason)


# --- locks, in one order: the package first, then its sessions by id ---------------------


def lock_package(package: Package | int | str) -> Package:
    row = for_update(Package.select().where(Package.id == package_id_of(package))).first()
    if row is None:
        raise NotFound("Pacote não encontrado.")
    return row


def lock_sessions(session_ids: Iterable[int]) -> None:
    """Lock these sessions' rows (`SELECT … FOR UPDATE`, in id order) until the operation
    ends, so what it checks about them (paid? deleted? a justified absence?) stays true
    until it commits. Every operation locks in one order: the package first, then its
    sessions by id, so two PCs never wait on each other in a circle (a deadlock the server
    would still break; the operation is then retried). On SQLite the IMMEDIATE
    transaction already holds the only write lock: nothing to do."""
    ids = sorted({int(i) for i in session_ids})
    if ids and is_postgres():
        query = Session.select(Session.id).where(Session.id.in_(ids)).order_by(Session.id)
        list(for_update(query).tuples())


def lock_session_and_package(session: Session | int) -> tuple[Payment | None, Package | None]:
    """Lock the package whose active debit pays `session` (if any), then the session, and
    return the session's active payment and that package as they are under those locks
    (the package is None when no package pays the session). Both stay as read until the
    operation ends: pass them on (`credit_back`) instead of reading them again."""
    session_id = session.id if isinstance(session, Session) else session
    seen = active_payments([session_id]).get(session_id)
    while True:
        package = None
        if seen is not None and seen.package_id is not None:
            package = lock_package(seen.package_id)
        lock_sessions([session_id])
        # Nobody can pay or credit the session while we hold it: this read is final.
        now = active_payments([session_id]).get(session_id)
        if (now and now.id) == (seen and seen.id):
            return now, package
        seen = now  # another PC changed it before we held it: lock its package too
