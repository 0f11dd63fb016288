"""Prepaid session packages: create, pay sessions, credit back (R2–R7, and the terms of
R15–R17: validity, services covered, shared packages). Changing a package (R8) is
editing.py.

Every operation is one transaction (see `transactions.operation`) that locks the package
row, re-reads what it needs, and appends the history line(s) of SPEC §4 (lines.py). The
caller's model instances are refreshed with what was written. The reads (`summary`,
`history`, `offerable_packages`, …) live in reads.py and offers.py; the package's
`__init__` gathers them all, so the whole SPEC §6 package API is `packages.<name>`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from peewee import Case

from .. import access, clock, receipt_book
from ..clinic import get_patient, operator_name, package_defaults
from ..errors import (
    NotEnoughSessions,
    PackageClosed,
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
from ..payments import normalize_method
from ..ptbr import format_brl, format_day_month_time
from ..store.models import Package, Patient, Payment, Service, Session, refresh_instance
from ..store.transactions import operation
from ..terms import ATIVO, CREDITADA, CRIADO, DEBITADA, ENCERRADO, FINALIZADO, INATIVO, PACOTE
from ..validation import a_date, money_value, optional_text, whole_number
from . import coverage, ledger, lines
from . import plans as plan_module
from .coverage import UNSET, Terms
from .lines import MAX_NOTES, MAX_SESSIONS

NUMBER_FORMAT = "%y%m%d%H%M%S"


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


def free_numbers(count: int, at: datetime | None = None) -> list[str]:
    """`count` package numbers nobody has, as R2 gives them to packages created one after
    the other from `at` (default now): each the next free second. One query, for the
    import of thousands of packages (`create_package(number=…)`)."""
    candidate = (at or clock.now()).replace(microsecond=0)
    taken = {
        number
        for (number,) in Package.select(Package.number)
        .where(Package.number >= candidate.strftime(NUMBER_FORMAT))
        .tuples()
        .iterator()
    }
    numbers: list[str] = []
    while len(numbers) < count:
        wanted = candidate.strftime(NUMBER_FORMAT)
        if wanted not in taken:
            numbers.append(wanted)
        candidate += timedelta(seconds=1)
    return numbers


# --- operations --------------------------------------------------------------------------


@operation
@access.allowed("packages.create_package")
def create_package(
    patient: Patient | int,
    sessions: int,
    total: Decimal | str,
    paid_on: date | None = None,
    notes: str = "",
    *,
    valid_until: date | None = UNSET,
    services: Sequence[Service | int] | None = None,
    shared_with: Sequence[Patient | int] | None = None,
    installments: Sequence[tuple[date, Decimal]] | None = None,
    method: str = "pix",
    pay_before_use: bool | None = None,
    number: str | None = None,
) -> Package:
    """R3: a new `ativo` package; its history starts with `criado` / "Pacote criado".

    sessions: whole 1–999; total: > 0,00 and ≤ 9.999.999,99 with at most two decimals
    (never rounded) and at least 0,01 per session; paid_on: defaults to today; notes: up
    to 2.000 characters. valid_until (R15): its last valid day; not given, the clinic's
    default (Configurações › Pacotes: "sem validade" or N months from `paid_on`); None
    given, no limit. services (R16): the services it is limited to (None or empty: every
    service). shared_with (R17): the other patients whose sessions it may pay (the owner,
    if listed, is left out). number: a free number the caller took from `free_numbers`
    (the import does, for thousands at once); default R2's, from now.
    """
    sessions_total = whole_number(
        sessions, "Número total de sessões", low=1, high=MAX_SESSIONS, field="sessions"
    )
    amount = money_value(total, "Total pago", field="total")
    lines.check_cent_per_session(amount, sessions_total)
    paid = a_date(paid_on, "Data de pagamento", default_today=True, field="paid_on")
    text = optional_text(notes, "Observações", max_length=MAX_NOTES, field="notes")
    key = normalize_method(method)
    plan = None if installments is None else plan_module.clean_plan(installments, amount)
    before_use = (
        package_defaults().pay_before_use if pay_before_use is None else bool(pay_before_use)
    )
    patient_id = get_patient(patient).id
    terms = Terms(
        owner_id=patient_id,
        valid_until=package_defaults().valid_until(paid)
        if valid_until is UNSET
        else coverage.clean_valid_until(valid_until),
        service_ids=coverage.clean_services(services),
        shared_ids=coverage.clean_shared(shared_with, patient_id),
    )
    now = clock.now()
    row = Package.create(
        number=number or _new_number(now),
        patient=patient_id,
        paid_on=paid,
        sessions_total=sessions_total,
        total=amount,
        notes=text,
        status=ATIVO,
        sessions_used=0,
        open_amount=amount,
        created_at=now,
        valid_until=terms.valid_until,
        method=key,
        pay_before_use=before_use,
        has_plan=plan is not None,
    )
    coverage.write_terms(row, None, terms)
    plan_module.write_plan(row, plan, key)
    operator = operator_name()
    lines.record(row, CRIADO, "Pacote criado", terms=terms, operator=operator)
    receipt_book.for_package(row, operator=operator)  # R21: without a plan, its total
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

    Checks, in order (R6, extended): the package is `ativo` (PackageNotActive); then each
    session, in chronological order, the first failure raised: unpaid (AlreadyPaid), the
    owner's or a sharer's, not deleted and not a justified absence (ValidationError), of a
    service the package covers (ServiceNotCovered), on or before its last valid day
    (PackageExpired); there are enough sessions left (NotEnoughSessions); a package that
    may only use what was received stays within it (NotEnoughPaid, R18); each price equals
    its debit amount (PriceMismatch, unless `accept_price_adjustment`, which sets the
    session's price to the debit amount). The debit that leaves no session turns the
    package `finalizado`; a sharer's debit names that patient after the time (R17).
    Returns the package.
    """
    row = lock_package(package)
    lines.check_version(row, expected_version)
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
    terms = coverage.terms_of(row)
    ordered = sorted(rows, key=lambda s: (s.starts_at, s.id))
    for session in ordered:
        if session.id in paid:
            check_payable(session, paid[session.id])  # AlreadyPaid, naming how
        coverage.check_session(row, terms, session)
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
    amounts = ledger.debit_schedule(row.open_amount, left, len(ordered))
    # R18: a package that may only use what was received (NotEnoughPaid), after the count,
    # before the prices.
    plan_module.check_paid_before_use(row, sum(amounts, ledger.ZERO), len(amounts))
    differences = [
        PriceDifference(s.id, s.starts_at, s.service.name, s.price, amount)
        for s, amount in zip(ordered, amounts, strict=True)
        if s.price != amount
    ]
    if differences and not accept_price_adjustment:
        listed = "\n".join(
            f"• {format_day_month_time(d.starts_at)} {d.service_name}: "
            f"{format_brl(d.price)} → {format_brl(d.debit_amount)}"
            for d in differences
        )
        raise PriceMismatch(
            "O valor da sessão é diferente do valor médio do pacote:\n"
            f"{listed}\n\nConfirme o ajuste para atualizar o valor e pagar; "
            "cancele para não pagar nada.",
            differences,
        )
    operator = operator_name()
    today = clock.today()
    _set_prices({s.id: amount for s, amount in zip(ordered, amounts, strict=True)}, ordered)
    # The debits in one INSERT, their ids back with their sessions (a session has one
    # active debit), then the history lines in one more: on a clinic's server every
    # statement is a round trip, and 20 sessions were 40 of them.
    payments = [
        Payment(
            session=session,
            package=row,
            method=PACOTE,
            amount=amount,
            paid_on=today,
            info=f"Pacote No. {row.number}",
            operator=operator,
        )
        for session, amount in zip(ordered, amounts, strict=True)
    ]
    _insert_payments(payments)
    later: list = []
    for session, amount, payment in zip(ordered, amounts, payments, strict=True):
        row.sessions_used += 1
        row.open_amount -= amount
        if row.sessions_used == row.sessions_total:
            row.status = FINALIZADO
        lines.record(
            row,
            DEBITADA,
            f"Debitada pela sessão {format_day_month_time(session.starts_at)}"
            + coverage.sharer_suffix(row.patient_id, session),
            session=session,
            payment=payment,
            amount=amount,
            operator=operator,
            later=later,
        )
    lines.write_all(later)
    row.version += 1
    row.save()
    refresh_instance(package, row)
    fresh = {s.id: s for s in ordered}
    for given in sessions:
        if isinstance(given, Session):
            refresh_instance(given, fresh[given.id])
    return row


def _set_prices(prices: dict[int, Decimal], sessions: list[Session]) -> None:
    """The accepted price adjustments (R6): each session whose price differs gets its
    debit amount, all in one UPDATE."""
    changed = [s for s in sessions if s.price != prices[s.id]]
    if not changed:
        return
    for session in changed:
        session.price = prices[session.id]
    price = Case(Session.id, [(s.id, Session.price.db_value(s.price)) for s in changed])
    Session.update(price=price).where(Session.id.in_([s.id for s in changed])).execute()


def _insert_payments(payments: list[Payment]) -> None:
    """Insert the new debits, in chunks of one statement each, and give each its id."""
    for start in range(0, len(payments), lines.WRITE_CHUNK):
        chunk = payments[start : start + lines.WRITE_CHUNK]
        by_session = {p.session_id: p for p in chunk}
        ids = (
            Payment.insert_many([dict(p.__data__) for p in chunk])
            .returning(Payment.id, Payment.session)
            .tuples()
            .execute()
        )
        for payment_id, session_id in ids:
            by_session[session_id].id = payment_id
        if any(p.id is None for p in chunk):  # pragma: no cover - the database's promise
            raise RuntimeError("a new debit came back without its id")


def credit_back(
    payment: Payment, session: Session, package: Package, *, reason: str, operator: str
) -> Package:
    """R7 inside a running transaction: void a package debit and give its amount back.

    `payment` is the session's active debit and `package` its package, as
    `lock_session_and_package` returned them (locked). A `finalizado` package is reopened
    (`ativo`); an `inativo` one stays `inativo`. A session that is not the owner's is
    named after the time (R17). Returns the package. An `encerrado` package (R19) takes
    nothing back: PackageClosed, before anything is written.
    """
    if payment.voided_at is not None:
        raise StaleData("Este pagamento já foi estornado (talvez em outro computador).")
    if package.status == ENCERRADO:
        raise PackageClosed(
            f"A sessão de {format_day_month_time(session.starts_at)} foi paga pelo pacote "
            f"No. {package.number}, que está encerrado: a sessão não pode voltar para o "
            "pacote (nem ser excluída, marcada como falta justificada ou removida das "
            "sessões pagas). Nada foi alterado.",
            session.id,
        )
    mark_voided(payment, reason)
    package.sessions_used -= 1
    package.open_amount += payment.amount
    if package.status == FINALIZADO:
        package.status = ATIVO
    package.version += 1
    package.save()
    lines.record(
        package,
        CREDITADA,
        f"Creditada pela sessão {format_day_month_time(session.starts_at)}"
        + coverage.sharer_suffix(package.patient_id, session),
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
    lines.check_version(package, expected_version)
    credit_back(payment, row, package, reason="reembolso", operator=operator_name())
    refresh_instance(session, row)
    return package
