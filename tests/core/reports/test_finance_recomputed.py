"""The finance summary (Gestão Financeira) against a straightforward recomputation: every
row read one by one and summed in Python, over a clinic with fourteen months of
everything (manual payments of every method and one unknown, voided ones, justified
absences, deleted and free sessions, packages at once and in installments, received,
voided and overdue installments, debits and credits back, inativo, finalizado and
encerrado packages with refunds). Whatever shape the SQL takes (one statement now), the
figures must be these, for a month, several months, a day and a period that ends
mid-month."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, clinic, clock, packages, payments, reports
from r3izzy_desktop.core.reports.finance import (
    MONTHS_IN_CHART,
    PACKAGE_SALES_LABEL,
    FinanceSummary,
    MethodAmount,
    MonthFigures,
    add_months,
    month_start,
)
from r3izzy_desktop.core.store.models import (
    Installment,
    Package,
    PackageEvent,
    Payment,
    Session,
)
from r3izzy_desktop.core.terms import (
    ATIVO,
    ENCERRADO,
    FINALIZADO,
    INATIVO,
    MANUAL_METHODS,
    PACOTE,
    method_label,
)

D = Decimal
TODAY = datetime(2026, 3, 10, 12)
ZERO = D("0.00")


@pytest.fixture
def busy_clinic(db):
    """Fourteen months, January 2025 to February 2026, and the next month scheduled."""
    rng = random.Random(22)
    people = [clinic.add_patient(f"Paciente {i}") for i in range(5)]
    services = [
        clinic.add_service("Fonoaudiologia", price=D("150.00")),
        clinic.add_service("Psicologia", price=D("220.00")),
    ]
    first = date(2025, 1, 1)
    for index in range(15):
        month = add_months(first, index)
        with clock.frozen(datetime.combine(month, datetime.min.time()) + timedelta(hours=9)):
            _a_month(rng, month, people, services, index)
    # A method the app no longer offers, as an import or an older version could leave.
    stray = agenda.schedule(people[0], services[0], datetime(2026, 2, 3, 15))
    Payment.create(session=stray, method="cheque", amount=D("150.00"), paid_on=date(2026, 2, 3))


def _a_month(rng, month: date, people, services, index: int) -> None:
    sessions = []
    for n in range(8):
        day = datetime.combine(month, datetime.min.time()) + timedelta(
            days=rng.randrange(27), hours=8 + n
        )
        sessions.append(agenda.schedule(rng.choice(people), rng.choice(services), day))
    # The last day's last hour and the first hour: the period's edges.
    sessions.append(
        agenda.schedule(people[1], services[0], datetime.combine(month, datetime.min.time()))
    )
    last = add_months(month, 1) - timedelta(days=1)
    sessions.append(
        agenda.schedule(people[2], services[1], datetime(last.year, last.month, last.day, 23, 30))
    )
    rng.shuffle(sessions)
    free = datetime.combine(month, datetime.min.time()) + timedelta(days=3, hours=10)
    agenda.schedule(people[3], services[0], free, price=D("0.00"))  # never open
    manual, rest = sessions[:4], sessions[4:]
    for session, method in zip(manual, rng.sample(MANUAL_METHODS, 4), strict=True):
        payments.pay_manually([session], method, paid_on=month + timedelta(days=rng.randrange(28)))
    if index % 2:
        payments.void_payment(manual[0])
    agenda.set_attendance(rest[0], "falta_justificada")
    agenda.delete_session(rest[1])
    owner = people[index % len(people)]
    at_once = packages.create_package(owner, 3, D("450.00"), paid_on=month + timedelta(days=2))
    paid = [s for s in rest[2:] if s.patient_id == owner.id][:2]
    if paid:
        packages.pay_sessions(at_once, paid, accept_price_adjustment=True)
        if index % 3 == 1:
            packages.refund_session(paid[0])
    planned = packages.create_package(
        people[(index + 1) % len(people)],
        4,
        D("1000.00"),
        paid_on=month + timedelta(days=5),
        installments=packages.split_installments(D("1000.00"), 3, month + timedelta(days=5)),
    )
    if index % 2 == 0:
        packages.receive_installment(
            planned, 1, method="pix", received_on=month + timedelta(days=6)
        )
    if index % 4 == 0:
        packages.receive_installment(
            planned, 2, method="dinheiro", received_on=month + timedelta(days=20)
        )
        packages.void_installment(planned, 2)
    if index % 5 == 2:
        packages.edit_package(at_once, status="inativo")
    late_in_month = datetime.combine(month, datetime.min.time()) + timedelta(days=25, hours=16)
    with clock.frozen(late_in_month):  # closed after they were paid
        if index % 5 == 3:
            packages.close_package(planned, refund=D("0.00"))
        if index % 5 == 4 and not paid:
            packages.close_package(at_once, refund=D("100.00"), method="pix")
    if index % 6 == 5:
        small = packages.create_package(owner, 1, D("150.00"), paid_on=month)
        used = agenda.schedule(
            owner,
            services[0],
            datetime.combine(month, datetime.min.time()) + timedelta(days=9, hours=7),
        )
        packages.pay_sessions(small, [used])  # finalizado: all used


def recomputed(start: date, end: date, today: date) -> FinanceSummary:
    """The figures of finance.py's module doc, row by row."""
    after = datetime.combine(end + timedelta(days=1), datetime.min.time())
    begin = datetime.combine(start, datetime.min.time())
    every_package = list(Package.select())
    statuses = {p.id: p.status for p in every_package}
    sessions = {s.id: s for s in Session.select()}
    active = [p for p in Payment.select() if p.voided_at is None]
    by_method: dict[str, list] = defaultdict(lambda: [ZERO, 0])
    for payment in active:
        if payment.package_id is None and start <= payment.paid_on <= end:
            by_method[payment.method][0] += payment.amount
            by_method[payment.method][1] += 1
    received = [
        MethodAmount(m, method_label(m), by_method[m][0], by_method[m][1])
        for m in (*MANUAL_METHODS, *sorted(set(by_method) - set(MANUAL_METHODS)))
        if m in by_method
    ]
    installments = list(Installment.select())
    got = [i for i in installments if i.received_on and start <= i.received_on <= end]
    if got:
        received.append(
            MethodAmount(PACOTE, PACKAGE_SALES_LABEL, sum(i.amount for i in got), len(got))
        )
    owing = [
        i for i in installments if i.received_on is None and statuses[i.package_id] != ENCERRADO
    ]
    late = [i for i in owing if i.due_on < today]
    paid_sessions = {p.session_id for p in active}
    open_sessions = [
        s
        for s in sessions.values()
        if begin <= s.starts_at < after
        and s.deleted_at is None
        and s.attendance != "falta_justificada"
        and s.price > 0
        and s.id not in paid_sessions
    ]
    open_packages = [p for p in every_package if p.status not in (FINALIZADO, ENCERRADO)]
    sold = [p for p in every_package if start <= p.paid_on <= end]
    debits = [p for p in active if p.package_id is not None]
    consumed = [p for p in debits if begin <= sessions[p.session_id].starts_at < after]
    closings = [
        e
        for e in PackageEvent.select().where(PackageEvent.kind == ENCERRADO)
        if begin <= e.at < after
    ]
    first = add_months(month_start(end), -(MONTHS_IN_CHART - 1))
    months = []
    for index in range(MONTHS_IN_CHART):
        low, high = add_months(first, index), add_months(first, index + 1)
        low_at = datetime.combine(low, datetime.min.time())
        high_at = datetime.combine(high, datetime.min.time())
        manual = sum(
            (p.amount for p in active if p.package_id is None and low <= p.paid_on < high), ZERO
        )
        parts = sum(
            (i.amount for i in installments if i.received_on and low <= i.received_on < high),
            ZERO,
        )
        used = sum(
            (p.amount for p in debits if low_at <= sessions[p.session_id].starts_at < high_at),
            ZERO,
        )
        sold_then = sum((p.total for p in every_package if low <= p.paid_on < high), ZERO)
        months.append(MonthFigures(low, manual + parts, sold_then, used))
    return FinanceSummary(
        start=start,
        end=end,
        received_by_method=tuple(received),
        received_total=sum((r.amount for r in received), ZERO),
        open_receivables=sum((s.price for s in open_sessions), ZERO),
        open_sessions=len(open_sessions),
        package_credit_open=sum((p.open_amount for p in open_packages), ZERO),
        package_sessions_open=sum(p.sessions_total - p.sessions_used for p in open_packages),
        packages_open=len(open_packages),
        credit_sold=sum((p.total for p in sold), ZERO),
        packages_sold=len(sold),
        credit_consumed=sum((p.amount for p in consumed), ZERO),
        sessions_consumed=len(consumed),
        months=tuple(months),
        package_received=sum((i.amount for i in got), ZERO),
        installments_received=len(got),
        package_owed=sum((i.amount for i in owing), ZERO),
        packages_owing=len({i.package_id for i in owing}),
        package_overdue=sum((i.amount for i in late), ZERO),
        packages_overdue=len({i.package_id for i in late}),
        refunds=sum((e.refunded for e in closings), ZERO),
        refunds_count=sum(1 for e in closings if e.refunded > 0),
    )


PERIODS = [
    (date(2026, 2, 1), date(2026, 2, 28)),  # the last full month (and the stray cheque)
    (date(2025, 3, 1), date(2025, 9, 30)),  # seven months
    (date(2025, 6, 15), date(2025, 6, 15)),  # a day
    (date(2025, 11, 10), date(2026, 1, 20)),  # across a year, ending mid-month
    (date(2026, 3, 1), date(2026, 3, 31)),  # this month, partly scheduled
    (date(2024, 1, 1), date(2024, 1, 31)),  # before anything
]


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_the_summary_is_the_recomputed_one(busy_clinic, start, end):
    with clock.frozen(TODAY):
        summary = reports.finance_summary(start, end)
        expected = recomputed(start, end, TODAY.date())
    assert summary == expected


def test_the_clinic_has_every_case(busy_clinic):
    """The fixture really has what the comparison is about (a figure always 0 would be
    compared to nothing)."""
    with clock.frozen(TODAY):
        whole = recomputed(date(2025, 1, 1), date(2026, 3, 31), TODAY.date())
    methods = {r.method for r in whole.received_by_method}
    assert methods >= {*MANUAL_METHODS[:3], "cheque", PACOTE}
    assert whole.refunds > 0 and whole.refunds_count >= 1
    assert whole.package_overdue > 0 and whole.package_owed > whole.package_overdue
    assert whole.open_sessions > 0 and whole.sessions_consumed > 0
    assert {p.status for p in Package.select()} >= {ATIVO, INATIVO, FINALIZADO, ENCERRADO}
    voided = Payment.select().where(Payment.voided_at.is_null(False)).count()
    credited = PackageEvent.select().where(PackageEvent.kind == "sessão creditada").count()
    assert voided and credited
