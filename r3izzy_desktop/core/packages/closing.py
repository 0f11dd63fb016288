"""R19: closing a package early (encerramento) — what it would give back, before anything
changes (`closing_preview`), and the closing itself (`close_package`).

The open amount before closing is split in three parts that add up to it (ledger.
closing_split): `refunded` (the money given back, 0 to `refundable`), `retained`
(refundable − refund, kept by the clinic) and `cancelled` (the credit that was never
received). The package ends `encerrado`, final, with no session left and nothing open; its
`sessions_total`, `total` and `sessions_used` keep what was bought and used.

What was received is R18's: the installments received (a package paid at once received
its whole total on its payment date). Closing cancels the installments not received: they
are removed, the received ones keep their numbers, and `owed` is 0 after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from peewee import fn

from .. import access, audit
from ..clinic import operator_name
from ..errors import PackageNotActive, ValidationError
from ..paying import lock_package
from ..payments import normalize_method
from ..ptbr import format_brl, format_date, from_cents
from ..store.models import Installment, Package, Payment, Service, Session, refresh_instance
from ..store.transactions import operation
from ..terms import ATIVO, ENCERRADO, FINALIZADO, INATIVO, MANUAL_METHODS, method_label
from ..validation import a_date, money_value, optional_text
from . import ledger, lines, plans
from .reads import get_package

MAX_REASON = 500
NO_REASON = "não informado"


@dataclass(frozen=True)
class ClosingPreview:
    """What closing the package now would mean (R19). Money as Decimal:

    debited = total − open amount; received (R18: the installments received; the whole
    total without installments); owed = total − received; refundable = max(0, received −
    debited); pro_rata_refund = refundable; list_price_refund = max(0, received −
    list_price_used), list_price_used being the current prices of the services of the
    sessions used (the package's active debits). `closable` tells whether
    `close_package` would accept the package (ativo or inativo with sessions left)."""

    package_id: int
    number: str
    status: str
    total: Decimal
    sessions_total: int
    sessions_used: int
    sessions_left: int
    open_amount: Decimal
    debited: Decimal
    received: Decimal
    owed: Decimal
    refundable: Decimal
    pro_rata_refund: Decimal
    list_price_refund: Decimal
    list_price_used: Decimal
    closable: bool

    def split(self, refund: Decimal) -> ledger.ClosingSplit:
        """What closing with `refund` (0 to `refundable`) would refund, retain and cancel:
        the figures a screen shows while the amount is typed."""
        return ledger.closing_split(self.open_amount, self.received, self.debited, refund)


def _received(row: Package) -> Decimal:
    """What the clinic has received for the package (R18): its installments received."""
    return plans.received_total(row.id)


def _cancel_unreceived_installments(row: Package) -> None:
    """R19: the installments not received are cancelled (`owed` is 0 after closing); what
    they were is the closing line's `cancelled` part, with the credit never received."""
    Installment.delete().where(
        (Installment.package == row.id) & Installment.received_on.is_null()
    ).execute()


def _list_price_used(package_id: int) -> Decimal:
    """The current price of the service of each session the package pays now (its active
    debits), summed: one query."""
    cents = (
        Payment.select(fn.SUM(Service.price).coerce(False))
        .join(Session)
        .join(Service)
        .where((Payment.package == package_id) & Payment.voided_at.is_null())
        .scalar()
    )
    return from_cents(int(cents or 0))


def _closable(row: Package) -> bool:
    return row.status in (ATIVO, INATIVO) and row.sessions_left > 0


def _preview(row: Package) -> ClosingPreview:
    debited = row.total - row.open_amount
    received = _received(row)
    refundable = ledger.refundable(received, debited)
    list_price_used = _list_price_used(row.id)
    return ClosingPreview(
        package_id=row.id,
        number=row.number,
        status=row.status,
        total=row.total,
        sessions_total=row.sessions_total,
        sessions_used=row.sessions_used,
        sessions_left=row.sessions_left,
        open_amount=row.open_amount,
        debited=debited,
        received=received,
        owed=row.total - received,
        refundable=refundable,
        pro_rata_refund=refundable,
        list_price_refund=max(ledger.ZERO, received - list_price_used),
        list_price_used=list_price_used,
        closable=_closable(row),
    )


def closing_preview(package: Package | int | str) -> ClosingPreview:
    """R19: the figures of closing `package` now (see ClosingPreview); writes nothing.
    Works for any status (an `encerrado` or `finalizado` one is not `closable`)."""
    return _preview(get_package(package))


def closing_note(refund: Decimal, method: str | None, retained: Decimal, reason: str) -> str:
    """SPEC §4: "Pacote encerrado: devolvido R$ 300,00 (Pix), retido R$ 100,00. Motivo:
    mudança de cidade". Nothing given back names no method; no reason: "não informado"."""
    given = format_brl(refund) + (f" ({method_label(method)})" if refund > 0 and method else "")
    return (
        f"Pacote encerrado: devolvido {given}, retido {format_brl(retained)}. "
        f"Motivo: {reason or NO_REASON}"
    )


def _not_closable(row: Package) -> PackageNotActive:
    if row.status == ENCERRADO:
        why = "já está encerrado"
    elif row.status == FINALIZADO or row.sessions_left <= 0:
        why = "está finalizado: todas as sessões foram usadas e não há o que encerrar"
    else:
        why = f"está {row.status}"
    return PackageNotActive(
        f"O pacote No. {row.number} {why}. Só um pacote ativo ou inativo com sessões "
        "restantes pode ser encerrado. Nada foi alterado."
    )


def _clean_refund(value: Decimal | str | int, refundable: Decimal) -> Decimal:
    if value is None:
        raise ValidationError("Informe o valor a devolver (pode ser R$ 0,00).", "refund")
    refund = money_value(value, "Valor a devolver", allow_zero=True, field="refund")
    if refund > refundable:
        raise ValidationError(
            f"Valor a devolver: no máximo {format_brl(refundable)} (o que foi recebido e "
            "ainda não foi usado). Nada foi alterado.",
            "refund",
        )
    return refund


def _clean_method(method: str | None, refund: Decimal) -> str | None:
    if method in (None, "") and refund == 0:
        return None
    if method in (None, ""):
        raise ValidationError("Informe a forma de devolução (Pix, dinheiro…).", "method")
    try:
        key = normalize_method(method)  # the key or its label, as R12's payments take it
    except ValidationError:
        raise ValidationError(
            "Forma de devolução inválida: use "
            + ", ".join(method_label(m) for m in MANUAL_METHODS)
            + ".",
            "method",
        ) from None
    return key if refund > 0 else None


@operation
@access.allowed("packages.close_package")
def close_package(
    package: Package | int | str,
    refund: Decimal | str | int | None = None,
    method: str | None = None,
    reason: str = "",
    closed_on: date | None = None,
    *,
    expected_version: int | None = None,
) -> Package:
    """R19: end an `ativo` or `inativo` package with sessions left, giving back `refund`
    (0 to the preview's `refundable`) by `method` (R12's list; required when refund > 0)
    for `reason` (optional text, up to 500 characters) on `closed_on` (the day the money
    goes back, default today; not before the payment date; it goes to the audit log, while
    the history line is placed by when it is written, its `at`).

    The package becomes `encerrado` with no session left and an open amount of 0; its
    unreceived installments are cancelled; one `encerrado` line records the refund, the
    retained and the cancelled amounts (refunded + retained + cancelled = the open amount
    before). Raises PackageNotActive for any other package, ValidationError for a refund,
    method, reason or date out of range, StaleData for an `expected_version` that is not
    the package's; nothing changed then. Returns the package.
    """
    row = lock_package(package)
    lines.check_version(row, expected_version)
    if not _closable(row):
        raise _not_closable(row)
    preview = _preview(row)
    amount = _clean_refund(refund, preview.refundable)
    how = _clean_method(method, amount)
    why = optional_text(reason, "Motivo", max_length=MAX_REASON, field="reason")
    day = a_date(closed_on, "Data do encerramento", default_today=True, field="closed_on")
    if day < row.paid_on:
        raise ValidationError(
            f"Data do encerramento: não pode ser antes do pagamento do pacote "
            f"({format_date(row.paid_on)}).",
            "closed_on",
        )
    split = ledger.closing_split(row.open_amount, preview.received, preview.debited, amount)
    _cancel_unreceived_installments(row)
    row.status = ENCERRADO
    row.open_amount = ledger.ZERO
    row.version += 1
    row.save()
    note = closing_note(split.refunded, how, split.retained, why)
    lines.record(row, ENCERRADO, note, amount=split.refunded, split=split, operator=operator_name())
    audit.record(
        audit.PACKAGE_CLOSE,
        f"Pacote No. {row.number} (paciente #{row.patient_id}) em {format_date(day)}: {note}",
    )
    refresh_instance(package, row)
    return row
