"""The credit roll-forward read from the stored changes (schema 12) gives, on every period,
the figures of its first formulation, kept here: each line's change computed as
`open_amount - LAG(open_amount)` over every line of its package, the credit vencido from
each package's last line before the end. Random clinics written through the operations at
random instants (a few on midnight), with debits, credits back, repricings, validity
changes, closings and installments; periods in the past (lines after their end), around
today and later, single days and several years. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from peewee import SQL, Case, fn

from r3izzy_desktop.core import agenda, clinic, clock, packages, reports
from r3izzy_desktop.core.errors import DomainError
from r3izzy_desktop.core.reports import credit
from r3izzy_desktop.core.store.models import Package, PackageEvent
from r3izzy_desktop.core.terms import ALTERADO, ATIVO, CRIADO, ENCERRADO

D = Decimal
FIRST = datetime(2025, 1, 6, 9)
TODAY = datetime(2026, 7, 10, 18)


# --- the first formulation (LAG over every line), as it was --------------------------


def _lag_changes(*columns):
    previous = fn.LAG(PackageEvent.open_amount, 1, 0).over(
        partition_by=[PackageEvent.package], order_by=[PackageEvent.id]
    )
    return PackageEvent.select(
        PackageEvent.kind.alias("kind"),
        (PackageEvent.open_amount - previous).alias("delta"),
        *columns,
    )


def _lag_rollforward_query(start: date, end: date):
    low, high = credit._instant(start), credit._instant(end + timedelta(days=1))
    phase = Case(None, [(PackageEvent.at < low, 0), (PackageEvent.at < high, 1)], 2)
    lines = _lag_changes(
        phase.alias("phase"),
        PackageEvent.refunded.alias("refunded"),
        PackageEvent.retained.alias("retained"),
        PackageEvent.cancelled.alias("cancelled"),
    ).alias("lines")
    inside = lines.c.phase == 1
    columns = [
        credit._sum_if(lines.c.phase == 0, lines.c.delta),
        credit._sum_if(lines.c.phase < 2, lines.c.delta),
    ]
    for name, kind in credit.MOVEMENTS:
        where = inside & (lines.c.kind == kind)
        value = 0 - getattr(lines.c, name) if kind == ENCERRADO else lines.c.delta
        columns += [credit._sum_if(where, value), credit._count_if(where)]
    return PackageEvent.select(*columns).from_(lines)


def _lag_expired_query(end: date):
    high = credit._instant(end + timedelta(days=1))
    terms = Case(None, [(PackageEvent.kind.in_((CRIADO, ALTERADO)), PackageEvent.id)], None)
    last = (
        PackageEvent.select(
            PackageEvent.package.alias("package_id"),
            fn.MAX(PackageEvent.id).alias("last_id"),
            fn.MAX(terms).alias("terms_id"),
        )
        .where(PackageEvent.at < high)
        .group_by(PackageEvent.package)
        .alias("last")
    )
    state = PackageEvent.alias("state")
    terms_line = PackageEvent.alias("terms_line")
    return (
        state.select(fn.SUM(state.open_amount).coerce(False), fn.COUNT(state.id))
        .from_(last)
        .join(state, on=(state.id == last.c.last_id))
        .join(terms_line, on=(terms_line.id == last.c.terms_id))
        .where(
            (state.status == ATIVO)
            & (state.sessions_left > 0)
            & terms_line.valid_until.is_null(False)
            & (terms_line.valid_until < end)
        )
    )


def lag_rollforward(start: date, end: date) -> credit.CreditRollforward:
    opening, closing, *moved = _lag_rollforward_query(start, end).tuples().get()
    cents, count = _lag_expired_query(end).tuples().get()
    figures = {}
    for index, (name, _kind) in enumerate(credit.MOVEMENTS):
        figures[name] = credit._money(moved[2 * index])
        figures[f"{name}_count"] = int(moved[2 * index + 1] or 0)
    return credit.CreditRollforward(
        start=start,
        end=end,
        opening=credit._money(opening),
        closing=credit._money(closing),
        expired_credit=credit._money(cents),
        expired_count=int(count or 0),
        **figures,
    )


def _lag_bucket(edges: list[date], low: int, high: int):
    if low == high:
        return SQL(str(low))
    middle = (low + high) // 2
    return Case(
        None,
        [(PackageEvent.at < credit._instant(edges[middle]), _lag_bucket(edges, low, middle))],
        _lag_bucket(edges, middle + 1, high),
    )


def lag_by_month(start: date, end: date) -> tuple[credit.MonthCredit, ...]:
    months = credit.month_edges(start, end)
    edges = [min(edge, end + timedelta(days=1)) for edge in [*months[1:], end + timedelta(1)]]
    inner = _lag_changes(_lag_bucket(edges, 0, len(edges)).alias("bucket")).alias("lines")
    query = (
        PackageEvent.select(
            inner.c.bucket, fn.SUM(fn.SUM(inner.c.delta)).over(order_by=[inner.c.bucket])
        )
        .from_(inner)
        .where(inner.c.bucket < len(edges))
        .group_by(inner.c.bucket)
        .order_by(inner.c.bucket)
    )
    credit_at = {int(bucket): cents for bucket, cents in query.tuples()}
    figures, cents = [], 0
    for index, month in enumerate(months):
        cents = credit_at.get(index, cents)
        figures.append(credit.MonthCredit(month, credit._money(cents)))
    return tuple(figures)


# --- a random clinic -------------------------------------------------------------------


def random_clinic(rng: random.Random) -> list[datetime]:
    """About 150 operations from FIRST to TODAY, each at its own instant (returned)."""
    patients = [clinic.add_patient(f"Paciente {i}") for i in range(4)]
    service = clinic.add_service("Fisioterapia", price=D("100.00"))
    unpaid: dict[int, list] = {p.id: [] for p in patients}
    paid: dict[int, list] = {}  # package id -> its paid sessions
    made: list[Package] = []
    instants = []
    at = FIRST
    slot = 0
    while at < TODAY - timedelta(days=3):
        at += timedelta(hours=rng.choice((5, 20, 30, 60, 200)))
        if rng.random() < 0.1:
            at = datetime.combine(at.date(), time(0, 0))  # exactly midnight
        instants.append(at)
        with clock.frozen(at):
            try:
                slot += 1
                choice = rng.random()
                patient = rng.choice(patients)
                if choice < 0.12 or not made:
                    sessions = rng.randint(2, 8)
                    terms = {}
                    if rng.random() < 0.6:
                        terms["valid_until"] = at.date() + timedelta(days=rng.randint(5, 120))
                    if rng.random() < 0.3:
                        terms["installments"] = packages.split_installments(
                            D(sessions * 100), rng.randint(2, 3), at.date()
                        )
                    made.append(
                        packages.create_package(patient, sessions, D(sessions * 100), **terms)
                    )
                elif choice < 0.2:
                    starts = datetime.combine(at.date(), time(7)) + timedelta(minutes=slot)
                    unpaid[patient.id].append(agenda.schedule(patient, service, starts))
                elif choice < 0.55:
                    package = rng.choice(made)
                    owner = Package.get_by_id(package.id).patient_id
                    waiting = unpaid[owner][: rng.randint(1, 3)]
                    if not waiting:
                        starts = datetime.combine(at.date(), time(7)) + timedelta(minutes=slot)
                        waiting = [agenda.schedule(owner, service, starts)]
                        unpaid[owner].extend(waiting)
                    packages.pay_sessions(package, waiting, accept_price_adjustment=True)
                    for session in waiting:
                        unpaid[owner].remove(session)
                    paid.setdefault(package.id, []).extend(waiting)
                elif choice < 0.68:
                    package_id = rng.choice(list(paid) or [0])
                    if paid.get(package_id):
                        session = paid[package_id].pop(rng.randrange(len(paid[package_id])))
                        packages.refund_session(session)
                        unpaid[Package.get_by_id(package_id).patient_id].append(session)
                elif choice < 0.8:
                    package = Package.get_by_id(rng.choice(made).id)
                    change = rng.choice(("total", "sessions", "validity", "no limit", "notes"))
                    if change == "total":
                        packages.edit_package(package, total=package.total + rng.choice((-50, 70)))
                    elif change == "sessions":
                        packages.edit_package(package, sessions=package.sessions_total + 1)
                    elif change == "validity":
                        day = at.date() + timedelta(days=rng.randint(-40, 60))
                        packages.edit_package(package, valid_until=day)
                    elif change == "no limit":
                        packages.edit_package(package, valid_until=None)
                    else:
                        packages.edit_package(package, notes=f"nota {slot}")
                elif choice < 0.87:
                    package = rng.choice(made)
                    preview = packages.closing_preview(package)
                    refund = rng.choice((D("0"), preview.refundable))
                    packages.close_package(package, refund=refund, method="pix")
                elif choice < 0.95:
                    packages.receive_installment(rng.choice(made), rng.randint(1, 3))
                else:
                    packages.void_installment(rng.choice(made), rng.randint(1, 3))
            except DomainError:
                pass
    return instants


def random_periods(rng: random.Random, instants: list[datetime]) -> list[tuple[date, date]]:
    days = [moment.date() for moment in instants]
    periods = [
        (FIRST.date(), TODAY.date()),
        (date(2020, 1, 1), date(2030, 12, 31)),  # before anything to years ahead
        (date(1900, 1, 1), date(2030, 12, 31)),  # more months than a VALUES row each
        (date(2024, 1, 1), date(2024, 12, 31)),  # nothing yet
        (TODAY.date().replace(day=1), TODAY.date()),
        (TODAY.date() + timedelta(days=1), TODAY.date() + timedelta(days=40)),
    ]
    for _ in range(30):
        start = rng.choice(days) - timedelta(days=rng.choice((0, 0, 1, 15)))
        end = start + timedelta(days=rng.choice((0, 1, 13, 31, 45, 120, 400)))
        periods.append((start, end))
    return periods


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_stored_changes_give_the_figures_of_lag(db, seed):
    rng = random.Random(seed)
    instants = random_clinic(rng)
    kinds = {kind for (kind,) in PackageEvent.select(PackageEvent.kind).distinct().tuples()}
    assert {"criado", "sessão debitada", "sessão creditada", "encerrado"} <= kinds, kinds
    assert "alterado manualmente" in kinds and "parcela recebida" in kinds, kinds
    assert len(credit.month_edges(date(1900, 1, 1), date(2030, 12, 31))) > (
        credit.MAX_VALUES_MONTHS
    )
    seen_expired = seen_changed_after = 0
    for start, end in random_periods(rng, instants):
        expected = lag_rollforward(start, end)
        months = lag_by_month(start, end)
        assert reports.credit_rollforward(start, end) == expected, (start, end)
        assert reports.credit_by_month(start, end) == months, (start, end)
        assert reports.credit_figures(start, end) == (expected, months), (start, end)
        seen_expired += expected.expired_count > 0
        seen_changed_after += any(moment.date() > end for moment in instants)
    # The periods did meet packages vencido at their end, and lines after it.
    assert seen_expired and seen_changed_after


def test_a_package_vencido_at_the_end_and_changed_after_it(db):
    """Vencido at the end of January as its last line before it left it (its validity
    then), though extended and then used up since: the later lines do not count."""
    ana = clinic.add_patient("Ana Souza")
    service = clinic.add_service("Fisioterapia", price=D("100.00"))
    with clock.frozen(datetime(2026, 1, 5, 10)):
        package = packages.create_package(ana, 2, D("200.00"), valid_until=date(2026, 1, 20))
    with clock.frozen(datetime(2026, 2, 3, 10)):
        packages.edit_package(package, valid_until=date(2026, 6, 30))
        sessions = [agenda.schedule(ana, service, datetime(2026, 2, day, 9)) for day in (4, 5)]
        packages.pay_sessions(package, sessions)
    january = reports.credit_rollforward(date(2026, 1, 1), date(2026, 1, 31))
    assert (january.expired_credit, january.expired_count) == (D("200.00"), 1)
    assert january == lag_rollforward(date(2026, 1, 1), date(2026, 1, 31))
    february = reports.credit_rollforward(date(2026, 2, 1), date(2026, 2, 28))
    assert (february.expired_credit, february.expired_count, february.closing) == (0, 0, 0)
    assert february == lag_rollforward(date(2026, 2, 1), date(2026, 2, 28))
