"""One of the processes test_concurrency.py runs side by side on one database (another PC).

Run as `python -m tests.helpers.concurrency_worker URL SEED STEPS OUT_JSON` from the
repository root. It opens the database, prints "pronto", waits for a line on its standard
input (so every worker starts at once), then does STEPS random operations on the same few
packages and sessions as the others: pay, refund, edit, justified absence, attendance,
delete, schedule, manual payment, void. It writes to OUT_JSON how many of each succeeded
and, for the ones that move a package, how many debits, credits and changes they made.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

OPERATIONS = (
    "pay",
    "pay",
    "pay",
    "pay",
    "refund",
    "refund",
    "edit",
    "excuse",
    "attend",
    "delete",
    "schedule",
    "manual",
    "void",
)
PRICE = Decimal("100.00")


def setup(url: str, *, packages_count: int = 3, sessions_count: int = 20) -> None:
    """The clinic the workers share: one patient, one service, a few packages, sessions."""
    from r3izzy_desktop.core import agenda, clinic, packages
    from r3izzy_desktop.core.database import close_database, open_database

    open_database(url)
    patient = clinic.add_patient("Ana Concorrente")
    service = clinic.add_service("Método Bobath", price=PRICE)
    for _ in range(packages_count):
        packages.create_package(patient, 8, Decimal("1000.00"))
    first = datetime(2025, 4, 1, 8)
    for i in range(sessions_count):
        agenda.schedule(patient, service, first + timedelta(hours=i))
    close_database()


def main(url: str, seed: int, steps: int, out: str) -> None:
    from peewee import JOIN

    from r3izzy_desktop.core import agenda, packages, paying, payments
    from r3izzy_desktop.core.database import open_database
    from r3izzy_desktop.core.errors import DomainError
    from r3izzy_desktop.core.store.models import Package, PackageEvent, Patient, Payment, Service
    from r3izzy_desktop.core.store.models import Session as SessionRow
    from r3izzy_desktop.core.store.transactions import operation
    from r3izzy_desktop.core.terms import CREDITADA

    open_database(url, create=False)
    rng = random.Random(seed)
    package_ids = [p for (p,) in Package.select(Package.id).tuples()]
    patient_id = Patient.select(Patient.id).scalar()
    service_id = Service.select(Service.id).scalar()

    def live_sessions() -> dict[str, list[int]]:
        """Live sessions by how they are paid now ("open", "pacote", "manual"): what the
        screen would show. Another process may change it before the operation runs."""
        query = (
            SessionRow.select(SessionRow.id, Payment.package, Payment.id)
            .join(
                Payment,
                JOIN.LEFT_OUTER,
                on=(Payment.session == SessionRow.id) & Payment.voided_at.is_null(),
            )
            .where(SessionRow.deleted_at.is_null())
            .tuples()
        )
        found: dict[str, list[int]] = {"all": [], "open": [], "pacote": [], "manual": []}
        for session_id, package_id, payment_id in query:
            found["all"].append(session_id)
            kind = "open" if payment_id is None else "manual" if package_id is None else "pacote"
            found[kind].append(session_id)
        return found

    def pick(found: dict[str, list[int]], kind: str, k: int = 1) -> list[int]:
        """Mostly sessions of the kind the operation wants, sometimes any (to be refused)."""
        pool = found[kind] if found[kind] and rng.random() < 0.85 else found["all"]
        return rng.sample(pool, k=min(k, len(pool)))

    def credit_lines(session_id: int) -> int:
        return (
            PackageEvent.select()
            .where((PackageEvent.session == session_id) & (PackageEvent.kind == CREDITADA))
            .count()
        )

    @operation
    def credits_made(action, session_id: int) -> int:
        """Run `action` on the session and count the credit lines it wrote: the count
        before is read under the locks the action takes too, in the same transaction."""
        paying.lock_session_and_package(session_id)
        before = credit_lines(session_id)
        action(session_id)
        return credit_lines(session_id) - before

    def step(name: str, number: int) -> Counter:
        live = live_sessions()
        if name == "pay":
            chosen = pick(live, "open", rng.choice((1, 1, 2)))
            packages.pay_sessions(rng.choice(package_ids), chosen, accept_price_adjustment=True)
            return Counter(debits=len(chosen))
        if name == "refund":
            packages.refund_session(pick(live, "pacote")[0])
            return Counter(credits=1)
        if name == "edit":
            figures = packages.summary(rng.choice(package_ids))
            sessions = max(1, figures.sessions_used + rng.randint(0, 6))
            total = Decimal(rng.choice(("100.00", "123.45", "90.10"))) * sessions
            packages.edit_package(
                figures.id,
                sessions=sessions,
                total=total,
                status="inativo" if rng.random() < 0.1 else "ativo",
                notes=f"alterado por {seed}-{number}",  # always a change: one line
                expected_version=figures.version if rng.random() < 0.5 else None,
            )
            return Counter(changes=1)
        if name == "excuse":
            made = credits_made(
                lambda s: agenda.set_attendance(s, "falta_justificada"), pick(live, "pacote")[0]
            )
            return Counter(credits=made)
        if name == "attend":
            chosen = pick(live, "all")[0]
            agenda.set_attendance(chosen, rng.choice(("agendada", "realizada", "falta")))
            return Counter()
        if name == "delete":
            if len(live["all"]) <= 12:
                name = "schedule"
            else:
                return Counter(credits=credits_made(agenda.delete_session, pick(live, "pacote")[0]))
        if name == "schedule":
            start = datetime(2025, 5, 1, 8) + timedelta(minutes=rng.randrange(0, 60 * 24 * 30))
            agenda.schedule(patient_id, service_id, start)
            return Counter()
        if name == "manual":
            payments.pay_manually(pick(live, "open"), "pix")
            return Counter(manual=1)
        if name == "void":
            payments.void_payment(pick(live, "manual")[0])
            return Counter(voids=1)
        raise AssertionError(name)

    print("pronto", flush=True)
    sys.stdin.readline()
    tally: Counter = Counter()
    for number in range(steps):
        name = rng.choice(OPERATIONS)
        try:
            made = step(name, number)
        except DomainError as error:
            tally[f"recusada {name}: {type(error).__name__}"] += 1
        else:
            tally[f"ok {name}"] += 1
            tally.update(made)
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(dict(tally), handle, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
