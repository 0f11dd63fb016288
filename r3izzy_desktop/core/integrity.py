"""R14: recompute every package from its debits and from its history, and list what disagrees.

An `encerrado` package (R19) has nothing open and no session left, and its closing line
splits the open amount before it into refunded, retained and cancelled.

Also lists sessions paid twice, debits on deleted sessions, package debits on justified
absences, and paid sessions whose price differs from their debit. The history also
rebuilds each package's terms (R15-R17: owner, validity, services, sharing), which must
be the package's, and every debit must have paid a session of the owner or of a patient
the package was shared with at that point. The installments (R18) must add up to the
package's total, numbered 1..n, what was received never above it. The receipts (R21)
must match the money (integrity_receipts.py): numbers 1 to the counter's value, each once;
a valid receipt's installment still received or its payments still standing, of its
amount; no received installment or manual payment without exactly one valid receipt.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from peewee import JOIN, fn

from . import integrity_receipts
from .packages import ledger
from .problems import Problem
from .ptbr import format_day_month_time, format_money, from_cents
from .store.binding import db
from .store.models import (
    Installment,
    Package,
    PackageEvent,
    PackageService,
    PackageShare,
    Payment,
    Session,
)
from .terms import ATIVO, ENCERRADO, FALTA_JUSTIFICADA, FINALIZADO, INATIVO
from .text import plural

Progress = Callable[[int, int], None]


def check(progress: Progress | None = None) -> list[Problem]:
    """Every inconsistency found; an empty list when the ledger is consistent.

    `progress(done, total)` is called as packages are checked (for a progress bar).
    """
    problems: list[Problem] = []
    problems += _sessions_paid_twice()
    problems += _debits_on_bad_sessions()
    problems += _packages(progress)
    problems += integrity_receipts.check()
    return problems


def _sessions_paid_twice() -> list[Problem]:
    query = (
        Payment.select(Payment.session, fn.COUNT(Payment.id).alias("n"))
        .where(Payment.voided_at.is_null())
        .group_by(Payment.session)
        .having(fn.COUNT(Payment.id) > 1)
    )
    return [
        Problem(f"paga {row.n} vezes (só pode haver um pagamento ativo)", session_id=row.session_id)
        for row in query
    ]


def _debits_on_bad_sessions() -> list[Problem]:
    problems = []
    # Explicit aliases: Payment and Session share column names (id, created_at...).
    query = (
        Payment.select(
            Payment.session.alias("session_id"),
            Payment.amount.alias("amount"),
            Session.starts_at.alias("starts_at"),
            Session.deleted_at.alias("deleted_at"),
            Session.attendance.alias("attendance"),
            Session.price.alias("price"),
            Package.number.alias("number"),
        )
        .join(Session)
        .switch(Payment)
        .join(Package)
        .where(Payment.voided_at.is_null())
        .where(
            # Whose session a debit may pay is the history's to tell (sharing, transfers).
            Session.deleted_at.is_null(False)
            | (Session.attendance == FALTA_JUSTIFICADA)
            | (Session.price != Payment.amount)
        )
        .order_by(Payment.id)
    )
    for debit in query.dicts():
        when = format_day_month_time(debit["starts_at"])
        if debit["deleted_at"] is not None:
            text = f"débito ativo na sessão excluída de {when}"
        elif debit["attendance"] == FALTA_JUSTIFICADA:
            text = f"débito ativo na falta justificada de {when}"
        else:
            text = (
                f"a sessão de {when} vale {format_money(debit['price'])} mas foi debitada em "
                f"{format_money(debit['amount'])}"
            )
        problems.append(Problem(text, debit["number"], debit["session_id"]))
    query = (
        Payment.select(Payment.session)
        .join(Session)
        .where(
            Payment.voided_at.is_null()
            & Payment.package.is_null()
            & Session.deleted_at.is_null(False)
        )
    )
    problems += [
        Problem("pagamento manual ativo numa sessão excluída", session_id=p.session_id)
        for p in query
    ]
    return problems


CHUNK = 500  # packages checked together: memory stays small whatever the clinic's size


def _packages(progress: Progress | None) -> list[Problem]:
    """Every package against its active debits and its history, a chunk of packages at a
    time (three range queries per chunk). A clinic's whole ledger is never held at once:
    that took hundreds of megabytes, and collecting them paused the app's window."""
    total = Package.select().count()
    problems: list[Problem] = []
    done = 0
    last = 0
    while True:
        chunk = list(Package.select().where(Package.id > last).order_by(Package.id).limit(CHUNK))
        if not chunk:
            break
        low, high = chunk[0].id, chunk[-1].id
        debits = _debits(low, high)
        history = _history(low, high)
        terms = _terms(low, high)
        plans = _installments(low, high)
        for package in chunk:
            problems += _check_package(
                package,
                debits.get(package.id, {}),
                history.get(package.id, []),
                terms.get(package.id, _NO_TERMS),
            )
            problems += [
                Problem(text, package.number)
                for text in _installment_problems(package, plans.get(package.id, []))
            ]
        done += len(chunk)
        last = high
        if progress:
            progress(done, total)
        time.sleep(0)  # let the app's window have the interpreter between two chunks
    return problems


class _Cents:
    """Centavos from a raw row -> Decimal, remembered (a ledger repeats the same amounts)."""

    def __init__(self) -> None:
        self.known: dict[int, Decimal] = {}

    def __call__(self, cents: int) -> Decimal:
        value = self.known.get(cents)
        if value is None:
            value = self.known[cents] = from_cents(cents)
        return value


_money = _Cents()


def _moment(value) -> datetime | None:
    """A DATETIME column as SQLite (text) or PostgreSQL (datetime) gives it."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def _debits(low: int, high: int) -> dict[int, dict[int, Decimal]]:
    """{package id: {session id: amount}} of the active debits of packages low..high."""
    query = Payment.select(Payment.package, Payment.session, Payment.amount).where(
        Payment.package.between(low, high)
        & Payment.package.is_null(False)
        & Payment.voided_at.is_null()
    )
    debits: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for package_id, session_id, cents in db.execute(query).fetchall():
        debits[package_id][session_id] = _money(cents)
    return debits


_NO_TERMS: tuple[frozenset[int], frozenset[int]] = (frozenset(), frozenset())


def _terms(low: int, high: int) -> dict[int, tuple[frozenset[int], frozenset[int]]]:
    """{package id: (its services, its sharers)} for the packages low..high that have any."""
    found: dict[int, tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    services = PackageService.select(PackageService.package, PackageService.service).where(
        PackageService.package.between(low, high)
    )
    for package_id, service_id in db.execute(services).fetchall():
        found[package_id][0].add(service_id)
    shares = PackageShare.select(PackageShare.package, PackageShare.patient).where(
        PackageShare.package.between(low, high)
    )
    for package_id, patient_id in db.execute(shares).fetchall():
        found[package_id][1].add(patient_id)
    return {key: (frozenset(a), frozenset(b)) for key, (a, b) in found.items()}


def _installments(low: int, high: int) -> dict[int, list[tuple[int, Decimal, date | None]]]:
    """{package id: [(number, amount, received_on), …] by number} for packages low..high."""
    query = (
        Installment.select(
            Installment.package, Installment.number, Installment.amount, Installment.received_on
        )
        .where(Installment.package.between(low, high))
        .order_by(Installment.package, Installment.number)
    )
    found: dict[int, list[tuple[int, Decimal, date | None]]] = defaultdict(list)
    for package_id, number, cents, received_on in db.execute(query).fetchall():
        found[package_id].append((number, _money(cents), _day(received_on)))
    return found


# R19: an early closing cancels what was not received, so a closed package's installments
# may add up to less than its total.
_CLOSED = "encerrado"


def _installment_problems(
    package: Package, plan: list[tuple[int, Decimal, date | None]]
) -> list[str]:
    """R18: the installments are numbered 1..n, each above zero, adding up to the total,
    what was received never above it; without a plan, one installment 1/1 of the total
    received on the payment date."""
    closed = package.status == _CLOSED  # its unreceived installments were cancelled
    if not plan and not closed:
        return ["não tem parcelas (o pagamento do pacote não está registrado)"]
    found = []
    numbers = [number for number, _, _ in plan]
    if closed:  # the received ones keep their numbers ("2/3"), in order
        if numbers != sorted(set(numbers)) or any(n < 1 for n in numbers):
            found.append("as parcelas recebidas não estão numeradas em ordem")
        if any(day is None for _, _, day in plan):
            found.append("encerrado com parcela ainda a receber")
    elif numbers != list(range(1, len(plan) + 1)):
        found.append("as parcelas não estão numeradas de 1 a n")
    if any(amount <= 0 for _, amount, _ in plan):
        found.append("há parcela sem valor")
    added = sum((amount for _, amount, _ in plan), ledger.ZERO)
    received = sum((amount for _, amount, day in plan if day is not None), ledger.ZERO)
    if closed:
        if added > package.total:
            found.append(f"as parcelas somam {format_money(added)}, mais que o valor total")
    elif added != package.total:
        found.append(
            f"as parcelas somam {format_money(added)}, o valor total é "
            f"{format_money(package.total)}"
        )
    if received > package.total:
        found.append(f"recebeu {format_money(received)}, mais que o valor total")
    if (
        not package.has_plan
        and not closed
        and (len(plan) != 1 or plan[0][2] != package.paid_on or plan[0][1] != package.total)
    ):
        found.append("pago à vista, mas a parcela 1/1 não é o total recebido na data de pagamento")
    return found


def _day(value) -> date | None:
    """A DATE column as SQLite (text) or PostgreSQL (date) gives it."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _history(low: int, high: int) -> dict[int, list[ledger.EventRecord]]:
    """{package id: its history lines, oldest first} for packages low..high (raw rows
    converted here: peewee's per-value conversion was most of the check's time)."""
    query = (
        PackageEvent.select(
            PackageEvent.package,
            PackageEvent.kind,
            PackageEvent.status,
            PackageEvent.sessions_left,
            PackageEvent.open_amount,
            PackageEvent.price_per_session,
            PackageEvent.sessions_total,
            PackageEvent.total,
            PackageEvent.amount,
            PackageEvent.session,
            Session.starts_at,
            PackageEvent.note,
            Session.patient,
            PackageEvent.owner,
            PackageEvent.valid_until,
            PackageEvent.services,
            PackageEvent.shared_with,
            PackageEvent.refunded,
            PackageEvent.retained,
            PackageEvent.cancelled,
            PackageEvent.open_change,
        )
        .join(Session, JOIN.LEFT_OUTER, on=(PackageEvent.session == Session.id))
        .where(PackageEvent.package.between(low, high))
        .order_by(PackageEvent.package, PackageEvent.id)
    )
    money = _money
    history: dict[int, list[ledger.EventRecord]] = defaultdict(list)
    for (
        package_id,
        kind,
        status,
        left,
        open_amount,
        price,
        sessions_total,
        total,
        amount,
        session_id,
        start,
        note,
        session_patient,
        owner,
        valid_until,
        services,
        shared_with,
        refunded,
        retained,
        cancelled,
        open_change,
    ) in db.execute(query).fetchall():
        history[package_id].append(
            ledger.EventRecord(
                kind=kind,
                status=status,
                sessions_left=left,
                open_amount=money(open_amount),
                price_per_session=money(price),
                sessions_total=sessions_total,
                total=money(total),
                amount=money(amount),
                session_id=session_id,
                session_start=_moment(start),
                note=note,
                session_patient_id=session_patient,
                owner_id=owner,
                valid_until=_day(valid_until),
                services=ledger.parse_ids(services),
                shared_with=ledger.parse_ids(shared_with),
                refunded=money(refunded),
                retained=money(retained),
                cancelled=money(cancelled),
                open_change=money(open_change),
            )
        )
    return history


def _check_package(
    package: Package,
    debits: dict[int, Decimal],
    events,
    terms: tuple[frozenset[int], frozenset[int]] = _NO_TERMS,
) -> list[Problem]:
    found: list[str] = []
    used = len(debits)
    closed = package.status == ENCERRADO  # R19: nothing open, no session left
    open_amount = ledger.ZERO if closed else package.total - sum(debits.values(), ledger.ZERO)
    left = ledger.sessions_left(package.status, package.sessions_total, package.sessions_used)
    if package.sessions_used != used:
        found.append(
            f"registra {plural(package.sessions_used, 'sessão usada', 'sessões usadas')}, "
            f"os débitos somam {used}"
        )
    if package.open_amount != open_amount:
        found.append(
            f"registra {format_money(package.open_amount)} em aberto, os débitos dão "
            f"{format_money(open_amount)}"
        )
    if not 0 <= package.sessions_used <= package.sessions_total:
        found.append("sessões usadas fora do intervalo do pacote")
    if package.open_amount < 0:
        found.append("valor em aberto negativo")
    if closed and package.sessions_used >= package.sessions_total:
        found.append("encerrado sem ter sessões restantes")
    if (not closed and (left == 0) != (package.status == FINALIZADO)) or package.status not in (
        ATIVO,
        INATIVO,
        FINALIZADO,
        ENCERRADO,
    ):
        found.append(
            f"status {package.status} não condiz com "
            f"{plural(left, 'sessão restante', 'sessões restantes')}"
        )
    if left == 0 and package.open_amount != 0:
        found.append("sem sessões restantes mas com valor em aberto")
    replayed = ledger.replay(events)
    found += [f"histórico: {text}" for text in replayed.problems]
    found += _open_change_problems(events)
    figures = replayed.figures
    if figures is None:
        found.append("histórico vazio")
    else:
        if (figures.sessions_total, figures.total) != (package.sessions_total, package.total):
            found.append("o histórico não reproduz o total de sessões e o valor total")
        if figures.sessions_used != package.sessions_used:
            found.append("o histórico não reproduz as sessões usadas")
        if figures.open_amount != package.open_amount:
            found.append(
                f"o histórico dá {format_money(figures.open_amount)} em aberto, o pacote "
                f"registra {format_money(package.open_amount)}"
            )
        if figures.status != package.status:
            found.append(f"o histórico termina em {figures.status}, o pacote está {package.status}")
        if replayed.debits != debits:
            found.append("os débitos do histórico não são os débitos ativos do pacote")
        found += _terms_problems(package, figures, terms)
    problems = [Problem(text, package.number) for text in found]
    for session_id, start in replayed.foreign_debits:
        when = format_day_month_time(start) if start else "?"
        problems.append(
            Problem(
                f"debita a sessão de {when}, que é de outro paciente", package.number, session_id
            )
        )
    return problems


def _open_change_problems(events) -> list[str]:
    """Each history line's change of the open amount (R20's `open_change`, what the credit
    roll-forward sums) must be its open amount minus the line before's (0 before the
    first)."""
    found = []
    previous = ledger.ZERO
    for number, event in enumerate(events, start=1):
        expected = event.open_amount - previous
        if event.open_change is not None and event.open_change != expected:
            found.append(
                f"histórico: a linha {number} ({event.kind}) registra variação de "
                f"{format_money(event.open_change)} no valor em aberto, mas ele foi de "
                f"{format_money(previous)} para {format_money(event.open_amount)} "
                f"({format_money(expected)})"
            )
        previous = event.open_amount
    return found


def _terms_problems(
    package: Package, figures: ledger.Figures, terms: tuple[frozenset[int], frozenset[int]]
) -> list[str]:
    """The package's terms (R15-R17) against those its history rebuilt."""
    services, shared = terms
    found = []
    if package.patient_id in shared:
        found.append("está compartilhado com o próprio dono")
    if figures.owner_id is None:
        return [*found, "o histórico não registra o dono nem as condições do pacote"]
    if figures.owner_id != package.patient_id:
        found.append("o histórico não reproduz o dono (paciente) do pacote")
    if figures.valid_until != package.valid_until:
        found.append("o histórico não reproduz a validade")
    if figures.services != services:
        found.append("o histórico não reproduz os serviços cobertos")
    if figures.shared_with != shared:
        found.append("o histórico não reproduz com quem o pacote é compartilhado")
    return found
