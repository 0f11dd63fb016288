"""Prepaid session packages: create, pay sessions, credit back, change (R2–R10).

Every operation is one transaction (see `transactions.operation`) that locks the package
row, re-reads what it needs, and appends the history line(s) of SPEC §4. The caller's
model instances are refreshed with what was written. The reads (`summary`, `history`,
`offerable_packages`, …) live in reads.py; the package's `__init__` gathers both, so
the whole SPEC §6 package API is `packages.<name>`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from .. import access, audit, clock
from ..clinic import get_patient, operator_name
from ..errors import (
    NotEnoughSessions,
    PackageNotActive,
    PriceDifference,
    PriceMismatch,
    StaleData,
    ValidationError,
)
from ..paying import (
    active_payments,
    check_payable,
    describe_payment,
    fetch_sessions,
    lock_package,
    lock_session_and_package,
    lock_sessions,
    mark_voided,
)
from ..ptbr import CENT, format_brl, format_day_month_time, format_money
from ..store.models import Package, PackageEvent, Patient, Payment, Session, refresh_instance
from ..store.transactions import operation
from ..terms import (
    ALTERADO,
    ATIVO,
    CREDITADA,
    CRIADO,
    DEBITADA,
    FALTA_JUSTIFICADA,
    FINALIZADO,
    INATIVO,
    PACOTE,
)
from ..validation import a_date, money_value, optional_text, whole_number
from . import ledger

MAX_SESSIONS = 999
MAX_NOTES = 2000
NUMBER_FORMAT = "%y%m%d%H%M%S"


# --- writing helpers ---------------------------------------------------------------------


def _check_version(row: Package, expected_version: int | None) -> None:
    if expected_version is not None and row.version != expected_version:
        raise StaleData(
            f"O pacote No. {row.number} foi alterado em outro computador enquanto esta tela "
            "estava aberta. Nada foi feito: confira os números atualizados e tente novamente."
        )


def _record(
    row: Package,
    kind: str,
    note: str,
    *,
    session: Session | None = None,
    payment: Payment | None = None,
    amount: Decimal = ledger.ZERO,
    operator: str,
) -> PackageEvent:
    return PackageEvent.create(
        package=row,
        kind=kind,
        at=clock.now(),
        status=row.status,
        note=note,
        sessions_left=row.sessions_total - row.sessions_used,
        open_amount=row.open_amount,
        price_per_session=ledger.price_per_session(row.total, row.sessions_total),
        sessions_total=row.sessions_total,
        total=row.total,
        package_date=row.paid_on,
        amount=amount,
        session=session,
        payment=payment,
        operator=operator,
    )


def _new_number(at: datetime) -> str:
    """R2: yyMMddHHmmss of `at`; on a collision, the next free second."""
    candidate = at.replace(microsecond=0)
    taken = (
        Package.select(Package.number)
        .where(Package.number >= candidate.strftime(NUMBER_FORMAT))
        .order_by(Package.number)
        .tuples()
    )
    for (number,) in taken.iterator():
        wanted = candidate.strftime(NUMBER_FORMAT)
        if number == wanted:
            candidate += timedelta(seconds=1)
        elif number > wanted:
            break
    return candidate.strftime(NUMBER_FORMAT)


def _check_cent_per_session(total: Decimal, sessions_total: int) -> None:
    """At least R$ 0,01 per session. Below that R5 debits some sessions 0,00 and the open
    amount reaches 0,00 while sessions are still left, which R4/R5 rule out (open amount
    0,00 exactly when no session is left)."""
    if total < CENT * sessions_total:
        raise ValidationError(
            f"Total pago: pelo menos R$ 0,01 por sessão (R$ "
            f"{format_money(CENT * sessions_total)} para {sessions_total} sessões).",
            "total",
        )


def _clean_status(status: Any) -> str | None:
    if status is None:
        return None
    if status == FINALIZADO:
        raise ValidationError(
            "O status “finalizado” não pode ser escolhido: o pacote é finalizado "
            "quando não tem mais sessões restantes.",
            "status",
        )
    if status not in (ATIVO, INATIVO):
        raise ValidationError("Status inválido: use ativo ou inativo.", "status")
    return status


# --- operations --------------------------------------------------------------------------


@operation
@access.allowed("packages.create_package")
def create_package(
    patient: Patient | int,
    sessions: int,
    total: Decimal | str,
    paid_on: date | None = None,
    notes: str = "",
) -> Package:
    """R3: a new `ativo` package; its history starts with `criado` / "Pacote criado".

    sessions: whole 1–999; total: > 0,00 and ≤ 9.999.999,99 with at most two decimals
    (never rounded) and at least 0,01 per session; paid_on: defaults to today; notes: up
    to 2.000 characters.
    """
    sessions_total = whole_number(
        sessions, "Número total de sessões", low=1, high=MAX_SESSIONS, field="sessions"
    )
    amount = money_value(total, "Total pago", field="total")
    _check_cent_per_session(amount, sessions_total)
    paid = a_date(paid_on, "Data de pagamento", default_today=True, field="paid_on")
    text = optional_text(notes, "Observações", max_length=MAX_NOTES, field="notes")
    patient_id = get_patient(patient).id
    now = clock.now()
    row = Package.create(
        number=_new_number(now),
        patient=patient_id,
        paid_on=paid,
        sessions_total=sessions_total,
        total=amount,
        notes=text,
        status=ATIVO,
        sessions_used=0,
        open_amount=amount,
        created_at=now,
    )
    _record(row, CRIADO, "Pacote criado", operator=operator_name())
    return row


@operation
@access.allowed("packages.pay_sessions")
def pay_sessions(
    package: Package | int | str,
    sessions: Sequence[Session | int],
    accept_price_adjustment: bool = False,
    *,
    expected_version: int | None = None,
) -> Package:
    """R6: pay `sessions` by debiting `package`, all or nothing, in chronological order.

    Checks, in order: the package is `ativo` (PackageNotActive); each session is
    unpaid (AlreadyPaid), of the package's patient, not deleted and not a justified
    absence (ValidationError); there are enough sessions left (NotEnoughSessions); each
    price equals its debit amount (PriceMismatch, unless `accept_price_adjustment`, which
    sets the session's price to the debit amount). The debit that leaves no session
    turns the package `finalizado`. Returns the package.
    """
    row = lock_package(package)
    _check_version(row, expected_version)
    if row.status != ATIVO:
        raise PackageNotActive(
            f"O pacote No. {row.number} está {row.status}; só um pacote ativo pode pagar "
            "sessões." + (" Altere o status para ativo em Editar." if row.status == INATIVO else "")
        )
    if not sessions:
        raise ValidationError("Selecione ao menos uma sessão para pagar.")
    lock_sessions(s.id if isinstance(s, Session) else s for s in sessions)
    rows = fetch_sessions(sessions)
    paid = active_payments(s.id for s in rows)
    for session in rows:
        check_payable(session, paid.get(session.id))
        when = format_day_month_time(session.starts_at)
        if session.patient_id != row.patient_id:
            raise ValidationError(
                f"A sessão de {when} é de outro paciente; um pacote só paga sessões do "
                "próprio paciente."
            )
        if session.attendance == FALTA_JUSTIFICADA:
            raise ValidationError(
                f"A sessão de {when} é uma falta justificada e não pode ser paga com o pacote."
            )
    left = row.sessions_total - row.sessions_used
    if len(rows) > left:
        raise NotEnoughSessions(
            f"O pacote No. {row.number} tem {left} "
            f"{'sessão restante' if left == 1 else 'sessões restantes'} e foram selecionadas "
            f"{len(rows)}. Ajuste o pacote (Editar: número de sessões e valor total) antes de "
            "pagar estas sessões. Nada foi pago.",
            requested=len(rows),
            available=left,
        )
    ordered = sorted(rows, key=lambda s: (s.starts_at, s.id))
    amounts = ledger.debit_schedule(row.open_amount, left, len(ordered))
    differences = [
        PriceDifference(s.id, s.starts_at, s.service.name, s.price, amount)
        for s, amount in zip(ordered, amounts, strict=True)
        if s.price != amount
    ]
    if differences and not accept_price_adjustment:
        lines = "\n".join(
            f"• {format_day_month_time(d.starts_at)} {d.service_name}: "
            f"{format_brl(d.price)} → {format_brl(d.debit_amount)}"
            for d in differences
        )
        raise PriceMismatch(
            "O valor da sessão é diferente do valor médio do pacote:\n"
            f"{lines}\n\nConfirme o ajuste para atualizar o valor e pagar; "
            "cancele para não pagar nada.",
            differences,
        )
    operator = operator_name()
    today = clock.today()
    for session, amount in zip(ordered, amounts, strict=True):
        if session.price != amount:
            session.price = amount
            session.save(only=[Session.price])
        payment = Payment.create(
            session=session,
            package=row,
            method=PACOTE,
            amount=amount,
            paid_on=today,
            info=f"Pacote No. {row.number}",
            operator=operator,
        )
        row.sessions_used += 1
        row.open_amount -= amount
        if row.sessions_used == row.sessions_total:
            row.status = FINALIZADO
        _record(
            row,
            DEBITADA,
            f"Debitada pela sessão {format_day_month_time(session.starts_at)}",
            session=session,
            payment=payment,
            amount=amount,
            operator=operator,
        )
    row.version += 1
    row.save()
    refresh_instance(package, row)
    fresh = {s.id: s for s in ordered}
    for given in sessions:
        if isinstance(given, Session):
            refresh_instance(given, fresh[given.id])
    return row


def credit_back(
    payment: Payment, session: Session, package: Package, *, reason: str, operator: str
) -> Package:
    """R7 inside a running transaction: void a package debit and give its amount back.

    `payment` is the session's active debit and `package` its package, as
    `lock_session_and_package` returned them (locked). A `finalizado` package is reopened
    (`ativo`); an `inativo` one stays `inativo`. Returns the package.
    """
    if payment.voided_at is not None:
        raise StaleData("Este pagamento já foi estornado (talvez em outro computador).")
    mark_voided(payment, reason)
    package.sessions_used -= 1
    package.open_amount += payment.amount
    if package.status == FINALIZADO:
        package.status = ATIVO
    package.version += 1
    package.save()
    _record(
        package,
        CREDITADA,
        f"Creditada pela sessão {format_day_month_time(session.starts_at)}",
        session=session,
        payment=payment,
        amount=payment.amount,
        operator=operator,
    )
    return package


@operation
@access.allowed("packages.refund_session")
def refund_session(session: Session | int, *, expected_version: int | None = None) -> Package:
    """R7: remove a paid session from its package; the debited amount goes back.

    Raises ValidationError when no package pays the session. Returns the package.
    """
    payment, package = lock_session_and_package(session)
    row = fetch_sessions([session])[0]
    when = format_day_month_time(row.starts_at)
    if payment is None:
        raise ValidationError(f"A sessão de {when} não está paga; não há o que reembolsar.")
    if payment.package_id is None:
        raise ValidationError(
            f"A sessão de {when} foi paga manualmente ({describe_payment(payment)}), não com "
            "um pacote. Para desfazer, estorne o pagamento."
        )
    _check_version(package, expected_version)
    credit_back(payment, row, package, reason="reembolso", operator=operator_name())
    refresh_instance(session, row)
    return package


@operation
@access.allowed("packages.edit_package")
def edit_package(
    package: Package | int | str,
    *,
    sessions: int | None = None,
    total: Decimal | str | None = None,
    paid_on: date | None = None,
    status: str | None = None,
    notes: str | None = None,
    expected_version: int | None = None,
) -> Package:
    """R8: change sessions, total, payment date, status (ativo/inativo) and notes.

    Sessions may not go below those already used. When sessions or total change, the
    active debits are re-priced by R5 under the new figures in chronological order of
    their sessions (ties by debit order), and each paid session's price follows. The
    status becomes `finalizado` when no session is left, else the one asked for, else
    the current one (a finalizado package with sessions again becomes ativo). Appends
    `alterado manualmente` listing the changed fields; no change, no line.
    """
    row = lock_package(package)
    _check_version(row, expected_version)
    new_sessions = row.sessions_total
    if sessions is not None:
        new_sessions = whole_number(
            sessions, "Número total de sessões", low=1, high=MAX_SESSIONS, field="sessions"
        )
        if new_sessions < row.sessions_used:
            raise ValidationError(
                f"Este pacote já tem {row.sessions_used} "
                f"{'sessão usada' if row.sessions_used == 1 else 'sessões usadas'}: o número "
                f"total de sessões não pode ser menor que {row.sessions_used}. Para reduzir "
                "mais, remova antes sessões pagas.",
                "sessions",
            )
    new_total = row.total if total is None else money_value(total, "Total pago", field="total")
    new_paid_on = (
        row.paid_on if paid_on is None else a_date(paid_on, "Data de pagamento", field="paid_on")
    )
    new_notes = (
        row.notes
        if notes is None
        else optional_text(notes, "Observações", max_length=MAX_NOTES, field="notes")
    )
    if (new_sessions, new_total) != (row.sessions_total, row.total):
        _check_cent_per_session(new_total, new_sessions)
    asked = _clean_status(status)
    new_status = ledger.status_after_change(asked, row.status, new_sessions - row.sessions_used)

    note = ledger.change_note(
        status=(row.status, new_status),
        sessions=(row.sessions_total, new_sessions),
        total=(row.total, new_total),
        paid_on=(row.paid_on, new_paid_on),
        notes=(row.notes, new_notes),
    )
    if note is None:
        refresh_instance(package, row)
        return row

    reprice = (new_sessions, new_total) != (row.sessions_total, row.total)
    row.sessions_total = new_sessions
    row.total = new_total
    row.paid_on = new_paid_on
    row.notes = new_notes
    row.status = new_status
    if reprice:
        row.open_amount = _reprice_debits(row)
    row.version += 1
    row.save()
    _record(row, ALTERADO, note, operator=operator_name())
    audit.record(
        audit.PACKAGE_CHANGE, f"Pacote No. {row.number} (paciente #{row.patient_id}): {note}"
    )
    refresh_instance(package, row)
    return row


def _reprice_debits(row: Package) -> Decimal:
    """Re-price the package's active debits by R5 under its (new) figures; returns the open
    amount. Each paid session's price follows its new debit amount."""
    debits = list(
        Payment.select(Payment, Session)
        .join(Session)
        .where((Payment.package == row.id) & Payment.voided_at.is_null())
        .order_by(Session.starts_at, Payment.id)
    )
    amounts = ledger.debit_schedule(row.total, row.sessions_total, len(debits))
    for payment, amount in zip(debits, amounts, strict=True):
        if payment.amount != amount:
            payment.amount = amount
            payment.save(only=[Payment.amount])
        if payment.session.price != amount:
            payment.session.price = amount
            payment.session.save(only=[Session.price])
    return row.total - sum(amounts, ledger.ZERO)
