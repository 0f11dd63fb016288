"""How many statements the screens' reads send to the database, counted with a hook on
peewee's cursor: on a clinic's server each one is a round trip over the network, so a
read that grows a statement per row (N+1) or reads the same thing twice is a screen that
gets slower with every millisecond of Wi-Fi. Counts, never times: each read is done over
few rows and over many, and must send the same statements.

The counts are those of the SQLite run (the default); on PostgreSQL they are the same.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, clinic, packages, reports
from r3izzy_desktop.core.agenda import rows as session_rows
from r3izzy_desktop.core.database import is_postgres
from tests.helpers.statements import counting


@pytest.fixture
def statements(monkeypatch):
    """`with statements() as sent:` … `len(sent)`: the statements sent meanwhile (queries,
    BEGIN, COMMIT: everything peewee executes, from any cursor it hands out)."""
    return counting(monkeypatch)


@pytest.fixture
def clinic_world(db):
    """Patients, services, places and professionals, and a way to add sessions and
    packages with every term (services, sharing) to one patient."""
    services = [clinic.add_service(f"Serviço {i}", price=Decimal("100.00")) for i in range(3)]
    locations = [clinic.add_location(f"Sala {i}") for i in range(2)]
    people = [clinic.add_professional(f"Profissional {i}") for i in range(3)]
    patients = [clinic.add_patient(f"Paciente {i}") for i in range(6)]
    owner = patients[0]

    def sessions(count: int, month: int = 4):
        made = []
        for i in range(count):
            made.append(
                agenda.schedule(
                    patients[i % len(patients)],
                    services[i % len(services)],
                    datetime(2025, month, 1 + i % 28, 8 + i % 10),
                    location=locations[i % 2] if i % 3 else None,
                    professional=people[i % 3] if i % 4 else None,
                )
            )
        return made

    def package_set(count: int):
        for i in range(count):
            packages.create_package(
                owner,
                10,
                Decimal("1000.00"),
                paid_on=date(2025, 3, 1) + timedelta(days=i),
                services=[services[i % 3]] if i % 2 else None,
                shared_with=[patients[1 + i % 3]] if i % 3 else None,
            )

    def in_installments(count: int, first_due: date = date(2024, 1, 1), **terms):
        """`count` packages of R$ 900,00 in 3 installments from `first_due`, one per
        patient in turn (2 sessions unless `terms` say otherwise); returns them."""
        made = []
        for i in range(count):
            total = Decimal("900.00")
            made.append(
                packages.create_package(
                    patients[i % len(patients)],
                    **{"sessions": 2, "total": total, **terms},
                    installments=packages.split_installments(total, 3, first_due),
                )
            )
        return made

    return {
        "owner": owner,
        "patients": patients,
        "sessions": sessions,
        "packages": package_set,
        "in_installments": in_installments,
    }


def test_a_month_of_sessions_is_one_statement_with_every_name(clinic_world, statements):
    """The calendar's and Receitas' rows: one statement, the names joined in (the four
    lookups per read they replaced were four round trips)."""
    counts = []
    for count in (3, 40):
        clinic_world["sessions"](count, month=4 if count == 3 else 5)
        month = date(2025, 4, 1) if count == 3 else date(2025, 5, 1)
        with statements() as sent:
            rows = session_rows.sessions_between(month, month + timedelta(days=30))
        assert len(rows) == count and all(r.patient_name and r.service_name for r in rows)
        counts.append(len(sent))
    assert counts == [1, 1]


def test_the_month_grid_is_one_statement_whatever_the_month(clinic_world, statements):
    """Every day's counts come as window columns of the sessions shown."""
    counts = []
    for count, month in ((3, 4), (60, 5)):
        clinic_world["sessions"](count, month=month)
        with statements() as sent:
            grid = session_rows.first_of_each_day(
                date(2025, month, 1), date(2025, month, 28), per_day=2
            )
        assert grid.total == count
        counts.append(len(sent))
    assert counts == [1, 1]


def test_a_patients_packages_are_one_statement_however_many(clinic_world, statements):
    """The package list and the patient page: the packages with their owner's name, their
    services and sharing with the names, their installments' figures (R18) and what a
    closed one gave back (R19), all in one statement (it was three to four: on a clinic's
    server each is a round trip); never one per card, whatever terms the packages have."""
    owner, patients = clinic_world["owner"], clinic_world["patients"]
    services = [s.id for s in clinic.list_services()]
    counts = []
    for count in (1, 9):
        clinic_world["packages"](count)
        with statements() as sent:
            found = packages.list_packages(owner)
        assert any(s.services for s in found) or count == 1
        counts.append(len(sent))
    # Two services and two sharers on one package, installments on another, one closed.
    wide = packages.create_package(
        owner, 4, Decimal("400.00"), services=services[:2], shared_with=patients[1:3]
    )
    planned = packages.create_package(
        owner,
        3,
        Decimal("900.00"),
        installments=packages.split_installments(Decimal("900.00"), 3, date(2024, 1, 1)),
    )
    closed = packages.create_package(owner, 5, Decimal("500.00"))
    packages.close_package(closed, refund=Decimal("100.00"), method="pix")
    with statements() as sent:
        found = packages.list_packages(owner)
    counts.append(len(sent))
    assert counts == [1, 1, 1]
    by_id = {s.id: s for s in found}
    assert len(found) == 13 and len(by_id) == 13  # each package once, terms or not
    assert by_id[wide.id].services == ("Serviço 0", "Serviço 1")
    assert by_id[wide.id].shared_with == ("Paciente 1", "Paciente 2")
    assert by_id[wide.id].shared_with_ids == tuple(p.id for p in patients[1:3])
    assert by_id[planned.id].installments_count == 3
    assert by_id[planned.id].overdue_count == 3 and by_id[planned.id].owed == Decimal("900.00")
    assert by_id[closed.id].refunded == Decimal("100.00")
    assert by_id[closed.id].retained == Decimal("400.00")
    assert [s.id for s in found] == [
        s.id for s in sorted(found, key=lambda s: (s.paid_on, s.id), reverse=True)
    ]
    for package_id in (wide.id, planned.id, closed.id):
        with statements() as sent:
            one = packages.summary(package_id)
        assert one == by_id[package_id] and len(sent) == 1


def test_the_patient_page_reads_its_active_packages_once(clinic_world, statements):
    owner = clinic_world["owner"]
    clinic_world["packages"](4)
    active = packages.list_packages(owner, status="ativo")
    with statements() as sent:
        totals = packages.active_totals(owner, active)
    assert len(sent) == 0
    assert totals == packages.active_totals(owner)


def test_the_report_window_opens_on_one_statement(clinic_world, statements):
    """The first rows with the totals and their terms in one statement, which is its own
    snapshot (it was BEGIN, the rows with the totals, their terms, COMMIT); the same rows
    as the start of the whole report, terms included, for few packages and many."""
    owner, patients = clinic_world["owner"], clinic_world["patients"]
    services = [s.id for s in clinic.list_services()]
    counts = []
    for count in (2, 12):
        clinic_world["packages"](count)
        packages.create_package(
            owner, 4, Decimal("400.00"), services=services[:2], shared_with=patients[1:3]
        )
        with statements() as sent:
            report = reports.package_report_preview(limit=5)
        whole = reports.package_report()
        assert report.totals == whole.totals and report.rows == whole.rows[:5]
        assert report.totals.packages == len(packages.list_packages(owner))
        counts.append(len(sent))
    assert counts == [1, 1]
    with statements() as sent:
        report = reports.package_report_preview(limit=100)
    assert len(sent) == 1 and report.rows == reports.package_report().rows
    assert any(len(r.services) == 2 and len(r.shared_with) == 2 for r in report.rows)
    with statements() as sent:
        nothing = reports.package_report_preview(limit=5, status="encerrado")
    assert len(sent) == 1 and nothing.rows == () and nothing.totals.packages == 0


def test_paying_sessions_sends_the_same_statements_for_2_as_for_8(clinic_world, statements):
    """pay_sessions writes the debits in one INSERT and their history lines in another:
    paying 20 sessions was 40 statements of them."""
    owner = clinic_world["owner"]
    service = clinic.add_service("Avulso", price=Decimal("100.00"))
    counts = []
    for count, day in ((2, 1), (8, 10)):
        made = [
            agenda.schedule(owner, service, datetime(2025, 6, day + i, 9)) for i in range(count)
        ]
        package = packages.create_package(owner, count, Decimal(100 * count))
        with statements() as sent:
            packages.pay_sessions(package, made)
        assert packages.summary(package.id).sessions_used == count
        assert [len(packages.paid_sessions(package.id))] == [count]
        counts.append(len(sent))
    assert counts[0] == counts[1]


def test_the_selected_packages_history_is_one_statement(clinic_world, statements):
    """The report window's history of its selected row: one statement, no snapshot."""
    clinic_world["packages"](3)
    package = packages.list_packages(clinic_world["owner"])[0]
    with statements() as sent:
        lines = reports.history_rows(package.id)
    assert lines and len(sent) == 1


def test_the_receipts_window_opens_on_two_statements_however_many(clinic_world, statements):
    """The Recibos window's first read: the year's summary (one aggregate) and its first
    receipts with their packages' numbers (one join), for 2 receipts as for 8."""
    from r3izzy_desktop.core import receipts

    counts = []
    for count in (2, 8):
        clinic_world["packages"](count // 2)  # each package without a plan: one receipt
        with statements() as sent:
            totals = receipts.year_totals(2025)
            first = receipts.first_of_year(2025, 100)
            every = receipts.for_year(2025)
        assert totals.count == len(first) == len(every) and all(r.package_number for r in every)
        counts.append(len(sent))
    assert counts == [3, 3]


def test_logging_in_is_one_transaction_without_a_second_read(db, statements):
    """R23's login: BEGIN, the user locked, its counters and the audit line (with the
    change counter), COMMIT; the user logged in is the row just checked, never read again."""
    from r3izzy_desktop.core import access, users

    users.add_user("Ana", login="ana", password="Senha-forte-2026", role=access.ADMINISTRADOR)
    with statements() as sent:
        assert users.login("ana", "Senha-forte-2026").name == "Ana"
    assert users.current_user().login == "ana"
    reads = [sql for sql in sent.sent if sql.startswith('SELECT "t1"."id", "t1"."name"')]
    assert len(reads) == 1 and sent.sent[-1] == "COMMIT"
    # BEGIN, the user, its counters, the audit line, the change counter, COMMIT (and on
    # PostgreSQL the commit's mark, transactions.py).
    assert len(sent) == (7 if is_postgres() else 6)


def test_the_package_alerts_are_two_statements_however_many(clinic_world, statements):
    """The package alerts (R22): the settings, then one statement for the ativo packages'
    alerts and, UNION ALL, the late installments grouped by package with the names joined
    in (it was three: the late ones apart, and before that a lookup by ids); never one per
    package."""
    patients = clinic_world["patients"]
    counts = []
    for count in (1, 5):
        clinic_world["in_installments"](count)
        with statements() as sent:
            found = packages.alerts()
        late = [a for a in found if a.kind == "parcela atrasada"]
        assert len(late) == len(packages.list_packages(patients[0])) or count == 5
        assert all(a.patient_name for a in late)
        counts.append(len(sent))
    assert counts == [2, 2]


def test_the_alerts_count_is_two_statements_however_many(clinic_world, statements):
    """The count beside Gestão Financeira (R22, polled after each page change): the
    settings, then the three counts (ending, with a validity, late installments) in one
    SELECT of scalar subqueries (it was three statements of them, four in all)."""
    counts = []
    for count in (1, 5):
        clinic_world["in_installments"](
            count, paid_on=date(2024, 1, 1), valid_until=date(2024, 6, 30)
        )
        with statements() as sent:
            counted = packages.alert_count()
        assert counted == len(packages.alerts())
        counts.append(len(sent))
    assert counts == [2, 2]


def test_the_finance_summary_is_one_statement_however_many(clinic_world, statements):
    """Gestão Financeira's figures (the period's, what packages owe, the twelve months of
    the chart, the manual payments by method): one statement, for few rows as for many
    (it was nine, each a round trip on a clinic's server)."""
    counts = []
    for count in (1, 6):
        clinic_world["sessions"](count, month=4 if count == 1 else 5)
        for package in clinic_world["in_installments"](
            count, date(2025, 4, 1), paid_on=date(2025, 4, 1)
        ):
            packages.receive_installment(package, 1, method="pix", received_on=date(2025, 4, 2))
        with statements() as sent:
            summary = reports.finance_summary(date(2025, 4, 1), date(2025, 5, 31))
        assert summary.packages_sold == summary.installments_received == (1 if count == 1 else 7)
        counts.append(len(sent))
    assert counts == [1, 1]


def test_the_finance_page_is_one_snapshot_of_four_statements(clinic_world, statements):
    """What Gestão Financeira reads when it opens: BEGIN, its figures with the package
    settings, its alerts, COMMIT, for few packages and alerts as for many (it was twelve
    statements, in two background reads of a connection each); then, after the paint, its
    chart's months: one statement."""
    from r3izzy_desktop.core import clinic as settings

    settings.set_package_defaults(warning_days=20, ending_threshold=1)
    counts = []
    for count in (1, 5):
        clinic_world["in_installments"](count, sessions=1, paid_on=date(2024, 1, 1))
        with statements() as sent:
            page = reports.finance_overview(date(2024, 1, 1), date(2024, 1, 31))
        full = reports.finance_summary(date(2024, 1, 1), date(2024, 1, 31))
        assert page.summary == dataclasses.replace(full, months=())
        with statements() as chart:
            assert reports.monthly_figures(date(2024, 1, 31)) == full.months
        assert len(chart) == 1
        assert list(page.alerts) == packages.alerts()
        assert {a.kind for a in page.alerts} == {"acabando", "parcela atrasada"}
        counts.append(len(sent))
    assert counts == [4, 4]


def test_the_credit_window_is_one_statement_however_many(clinic_world, statements):
    """The Saldo de créditos window (R20): the roll-forward, the credit vencido and the
    months in one statement (it was three, in a transaction: five), plus, in a database
    without users, the guard's question whether it has any (R23)."""
    counts = []
    for count in (1, 6):
        clinic_world["packages"](count)
        with statements() as sent:
            roll, months = reports.credit_figures(date(2025, 1, 1), date.today())
        assert roll.sold_count == len(packages.list_packages(clinic_world["owner"]))
        assert months[-1].credit == roll.closing > 0
        counts.append(len(sent))
    assert counts == [2, 2]
