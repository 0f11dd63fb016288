"""What every operation on a package writes or checks the same way: the history line
(R9) with the figures after it, the stale-screen check, and the minimum of R$ 0,01 per
session. The operations call `lines.record` through the module, so a test can make it
fail halfway and see that nothing stays written.
"""

from __future__ import annotations

from decimal import Decimal

from .. import clock
from ..errors import StaleData, ValidationError
from ..ptbr import CENT, format_money
from ..store.models import Package, PackageEvent, Payment, Session
from ..text import plural
from . import ledger
from .coverage import Terms

MAX_SESSIONS = 999
MAX_NOTES = 2000


def check_version(row: Package, expected_version: int | None) -> None:
    if expected_version is not None and row.version != expected_version:
        raise StaleData(
            f"O pacote No. {row.number} foi alterado em outro computador enquanto esta tela "
            "estava aberta. Nada foi feito: confira os números atualizados e tente novamente."
        )


def record(
    row: Package,
    kind: str,
    note: str,
    *,
    session: Session | None = None,
    payment: Payment | None = None,
    amount: Decimal = ledger.ZERO,
    terms: Terms | None = None,
    split: ledger.ClosingSplit | None = None,
    operator: str,
    later: list[PackageEvent] | None = None,
) -> PackageEvent:
    """Append one history line with the package's figures after it; `terms` on the lines
    that set them (criado, alterado manualmente), so a replay rebuilds them too; `split`
    on an `encerrado` line (R19): what it refunded, retained and cancelled; and how much
    it changed the open amount since the package's line before (R20's `open_change`, from
    what the row remembers: `Package.take_open_change`, no query).

    With `later` (a list) the line is not written now but added to it, for `write_all` to
    insert with the others in one statement (an operation writing many lines: on a server
    every statement is a round trip)."""
    event = PackageEvent(
        package=row,
        kind=kind,
        at=clock.now(),
        status=row.status,
        note=note,
        sessions_left=ledger.sessions_left(row.status, row.sessions_total, row.sessions_used),
        open_amount=row.open_amount,
        open_change=row.take_open_change(),
        price_per_session=ledger.price_per_session(row.total, row.sessions_total),
        sessions_total=row.sessions_total,
        total=row.total,
        package_date=row.paid_on,
        amount=amount,
        session=session,
        payment=payment,
        operator=operator,
        **(terms.event_fields() if terms is not None else {}),
        **(
            {"refunded": split.refunded, "retained": split.retained, "cancelled": split.cancelled}
            if split is not None
            else {}
        ),
    )
    if later is None:
        event.save(force_insert=True)
    else:
        later.append(event)
    return event


WRITE_CHUNK = 500  # rows per INSERT: under every backend's limit of parameters


def write_all(events: list[PackageEvent]) -> None:
    """Insert the lines `record(..., later=...)` gathered, in their order, in as few
    statements as the backend allows (their ids are not read back: nothing needs them)."""
    for start in range(0, len(events), WRITE_CHUNK):
        chunk = events[start : start + WRITE_CHUNK]
        PackageEvent.insert_many([dict(e.__data__) for e in chunk]).execute()


def check_cent_per_session(total: Decimal, sessions_total: int) -> None:
    """At least R$ 0,01 per session. Below that R5 debits some sessions 0,00 and the open
    amount reaches 0,00 while sessions are still left, which R4/R5 rule out (open amount
    0,00 exactly when no session is left)."""
    if total < CENT * sessions_total:
        raise ValidationError(
            f"Total pago: pelo menos R$ 0,01 por sessão (R$ "
            f"{format_money(CENT * sessions_total)} para "
            f"{plural(sessions_total, 'sessão', 'sessões')}).",
            "total",
        )
