"""Manual payments ("Pular" -> pagamento one-click, R12) and reading how a session was paid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from . import access, audit, receipt_book
from .clinic import operator_name
from .errors import NotFound, ValidationError
from .paying import (
    active_payment,
    active_payments,
    check_payable,
    describe_payment,
    fetch_sessions,
    lock_sessions,
    mark_voided,
)
from .ptbr import format_brl, format_date, format_day_month_time
from .store.models import Package, Payment, Session
from .store.transactions import operation
from .terms import MANUAL_METHODS, PACOTE, method_label
from .text import fold, plural
from .validation import a_date, optional_text


def normalize_method(method: str) -> str:
    """The stored key of a manual method, from the key or its label ("Cartão de crédito")."""
    key = fold(method or "").strip().replace(" de ", " ").replace(" ", "_").replace("-", "_")
    aliases = {
        "cartao_credito": "cartao_credito",
        "credito": "cartao_credito",
        "cartao_debito": "cartao_debito",
        "debito": "cartao_debito",
    }
    key = aliases.get(key, key)
    if key not in MANUAL_METHODS:
        raise ValidationError(
            "Forma de pagamento inválida: use Dinheiro, Pix, Cartão de crédito, "
            "Cartão de débito, Transferência ou Outro.",
            "method",
        )
    return key


@operation
@access.allowed("payments.pay_manually")
def pay_manually(
    sessions: Sequence[Session | int],
    method: str = "pix",
    paid_on: date | None = None,
    info: str = "",
) -> list[Payment]:
    """R12: pay each session with `method` on `paid_on` (default today) at its price.

    Touches no package. All or nothing: a deleted or already paid session, or one with
    no price, fails the whole call.
    """
    key = normalize_method(method)
    day = a_date(paid_on, "Data do pagamento", default_today=True, field="paid_on")
    text = optional_text(info, "Informações", max_length=500, field="info")
    if not sessions:
        raise ValidationError("Selecione ao menos uma sessão para pagar.")
    lock_sessions(s.id if isinstance(s, Session) else s for s in sessions)
    rows = fetch_sessions(sessions)
    paid = active_payments(row.id for row in rows)
    operator = operator_name()
    created = []
    for row in rows:
        check_payable(row, paid.get(row.id))
        if row.price <= 0:
            raise ValidationError(
                f"A sessão de {format_day_month_time(row.starts_at)} está sem valor; informe "
                "o valor antes de registrar o pagamento."
            )
        created.append(
            Payment.create(
                session=row,
                package=None,
                method=key,
                amount=row.price,
                paid_on=day,
                info=text,
                operator=operator,
            )
        )
    # R21: one receipt per patient for the sessions this call pays.
    receipt_book.for_manual_payments(created, {row.id: row for row in rows}, operator=operator)
    return created


@operation
@access.allowed("payments.void_payment")
def void_payment(session: Session | int, reason: str = "estorno") -> Payment:
    """R12: void (estornar) the session's manual payment; the session is open again.

    A package debit is not voided here: it is credited back with
    `packages.refund_session` so the package gets its session back.
    """
    session_id = session.id if isinstance(session, Session) else session
    lock_sessions([session_id])
    row = Session.get_or_none(Session.id == session_id)
    if row is None:
        raise NotFound("Sessão não encontrada.")
    payment = active_payment(row)
    when = format_day_month_time(row.starts_at)
    if payment is None:
        raise ValidationError(f"A sessão de {when} não tem pagamento para estornar.")
    if payment.package_id is not None:
        raise ValidationError(
            f"A sessão de {when} foi paga com um pacote. Para devolvê-la ao pacote, "
            "remova-a em Sessões pagas (reembolso)."
        )
    mark_voided(payment, optional_text(reason, "Motivo", max_length=200) or "estorno")
    audit.record(
        audit.VOID,
        f"Sessão #{row.id} de {when}: {describe_payment(payment)}, {format_brl(payment.amount)}",
    )
    return payment


@dataclass(frozen=True)
class PaymentInfo:
    """What the "Registrar Pgto." shortcut shows about a session's payment."""

    paid: bool
    kind: str | None  # "pacote", "manual" or None
    text: str
    package_id: int | None = None
    package_number: str | None = None


def payment_info(session: Session | int) -> PaymentInfo:
    """The payment state in words: the package that paid it (number and balance, e.g.
    "Pacote No. 250618170510 — 3 de 5 sessões restantes") or the manual payment."""
    payment = active_payment(session)
    if payment is None:
        return PaymentInfo(False, None, "Em aberto")
    if payment.package_id is not None:
        package = Package.get_by_id(payment.package_id)
        left = package.sessions_left
        return PaymentInfo(
            True,
            PACOTE,
            f"Pacote No. {package.number} — {format_brl(payment.amount)} debitado; "
            f"saldo {left} de {plural(package.sessions_total, 'sessão', 'sessões')}, "
            f"{format_brl(package.open_amount)} em aberto",
            package.id,
            package.number,
        )
    return PaymentInfo(
        True,
        "manual",
        f"{method_label(payment.method)} — {format_brl(payment.amount)} em "
        f"{format_date(payment.paid_on)}" + (f" ({payment.info})" if payment.info else ""),
    )
