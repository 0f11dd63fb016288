"""The package report (manual 2.1) and the package history rows, against hand-computed
scenarios: uneven division, every status, filters and totals."""

from datetime import date
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, clinic, packages, reports
from r3izzy_desktop.core.errors import NotFound, ValidationError
from r3izzy_desktop.core.store.binding import db

D = Decimal


@pytest.fixture
def scenario(patient, make_session):
    """Four packages, figures worked out by hand:

    P1 Ana      3 sessions for 1.000,00 paid 02/05/2025, 2 debited (333,33 + 333,34):
                ativo, open 333,33, 333,33 per session, 2 used, 1 left.
    P2 Ana      4 for 1.000,00 paid 10/05/2025, all 4 debited: finalizado, open 0,00.
    P3 Bruno    4 for 1.000,00 paid 01/06/2025, 2 debited, set inativo: open 500,00.
    P4 Álvaro   5 for 1.000,00 paid 15/06/2025, nothing used: ativo, 200,00 per session.
    """
    bruno = clinic.add_patient("Bruno Lima", cpf="529.982.247-25")
    alvaro = clinic.add_patient("Álvaro Mendes")
    p1 = packages.create_package(patient, 3, D("1000.00"), paid_on=date(2025, 5, 2))
    packages.pay_sessions(
        p1, [make_session(1, 10), make_session(2, 10)], accept_price_adjustment=True
    )
    p2 = packages.create_package(patient, 4, D("1000.00"), paid_on=date(2025, 5, 10))
    packages.pay_sessions(p2, [make_session(d, 9) for d in (7, 8, 9, 10)])
    p3 = packages.create_package(bruno, 4, D("1000.00"), paid_on=date(2025, 6, 1))
    packages.pay_sessions(p3, [make_session(d, 11, patient=bruno) for d in (3, 4)])
    packages.edit_package(p3, status="inativo")
    p4 = packages.create_package(alvaro, 5, D("1000.00"), paid_on=date(2025, 6, 15))
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "bruno": bruno, "alvaro": alvaro}


def figures(row):
    return (
        row.status,
        row.total,
        row.open_amount,
        row.price_per_session,
        row.sessions_total,
        row.sessions_used,
        row.sessions_left,
    )


def test_report_rows_match_the_hand_computed_figures(scenario):
    report = reports.package_report()
    by_number = {row.number: row for row in report.rows}
    assert figures(by_number[scenario["p1"].number]) == (
        "ativo", D("1000.00"), D("333.33"), D("333.33"), 3, 2, 1
    )  # fmt: skip
    assert figures(by_number[scenario["p2"].number]) == (
        "finalizado", D("1000.00"), D("0.00"), D("250.00"), 4, 4, 0
    )  # fmt: skip
    assert figures(by_number[scenario["p3"].number]) == (
        "inativo", D("1000.00"), D("500.00"), D("250.00"), 4, 2, 2
    )  # fmt: skip
    assert figures(by_number[scenario["p4"].number]) == (
        "ativo", D("1000.00"), D("1000.00"), D("200.00"), 5, 0, 5
    )  # fmt: skip
    p1 = by_number[scenario["p1"].number]
    assert (p1.patient_name, p1.paid_on) == ("Ana Souza", date(2025, 5, 2))
    assert all(isinstance(row.total, Decimal) for row in report.rows)


def test_rows_are_ordered_by_patient_ignoring_accents_then_payment_date(scenario):
    report = reports.package_report()
    assert [row.number for row in report.rows] == [
        scenario["p4"].number,  # Álvaro sorts with the A's, before Ana
        scenario["p1"].number,
        scenario["p2"].number,
        scenario["p3"].number,
    ]


def test_totals(scenario):
    totals = reports.package_report().totals
    assert totals == reports.PackageReportTotals(
        packages=4,
        total=D("4000.00"),
        open_amount=D("1833.33"),
        sessions_total=16,
        sessions_used=8,
        sessions_left=8,
    )


def test_status_filter_and_its_totals(scenario):
    report = reports.package_report(status="ativo")
    assert {row.number for row in report.rows} == {scenario["p1"].number, scenario["p4"].number}
    assert (report.totals.packages, report.totals.open_amount) == (2, D("1333.33"))
    assert [r.number for r in reports.package_report(status="inativo").rows] == [
        scenario["p3"].number
    ]
    assert reports.package_report(status="finalizado").totals.total == D("1000.00")


def test_payment_date_range_includes_both_ends(scenario):
    report = reports.package_report(paid_from=date(2025, 5, 2), paid_to=date(2025, 6, 1))
    assert {row.number for row in report.rows} == {
        scenario["p1"].number,
        scenario["p2"].number,
        scenario["p3"].number,
    }
    assert reports.package_report(paid_from=date(2025, 6, 2)).totals.packages == 1
    assert reports.package_report(paid_to=date(2025, 5, 1)).rows == ()
    empty = reports.package_report(paid_to=date(2025, 5, 1)).totals
    assert (empty.packages, empty.total, empty.sessions_left) == (0, D("0.00"), 0)


def test_patient_filter_by_words_without_accents_by_cpf_and_by_id(scenario, patient):
    assert {r.patient_name for r in reports.package_report(patient="alvaro").rows} == {
        "Álvaro Mendes"
    }
    assert {r.patient_name for r in reports.package_report(patient="ANA sou").rows} == {"Ana Souza"}
    assert [r.patient_name for r in reports.package_report(patient="529.982").rows] == [
        "Bruno Lima"
    ]
    by_id = reports.package_report(patient=patient.id)
    assert by_id.totals.packages == 2
    assert by_id.filters.patient_label == "Ana Souza"
    assert reports.package_report(patient="ninguém").rows == ()


def test_filters_combine(scenario):
    report = reports.package_report(status="ativo", patient="ana", paid_to=date(2025, 5, 31))
    assert [r.number for r in report.rows] == [scenario["p1"].number]


def test_bad_filters_are_refused(db):
    with pytest.raises(ValidationError):
        reports.package_report(status="pago")
    with pytest.raises(ValidationError):
        reports.package_report(paid_from=date(2025, 6, 1), paid_to=date(2025, 5, 1))
    with pytest.raises(NotFound):
        reports.package_report(patient=999)


def test_filters_in_words(scenario, patient):
    filters = reports.package_report(
        paid_from=date(2025, 5, 1), paid_to=date(2025, 5, 31), status="ativo", patient=patient
    ).filters
    assert filters.describe() == [
        ("Data de pagamento", "01/05/2025 a 31/05/2025"),
        ("Status", "ativo"),
        ("Paciente", "Ana Souza"),
    ]
    assert reports.ReportFilters().describe() == [
        ("Data de pagamento", "todas"),
        ("Status", "todos"),
        ("Paciente", "todos"),
    ]


HAND_WRITTEN_LEDGER = """
    SELECT p.id, p.sessions_total, p.total,
           COUNT(pay.id) AS used,
           p.total - COALESCE(SUM(pay.amount), 0) AS open_cents
      FROM package p
      LEFT JOIN payment pay ON pay.package_id = p.id AND pay.voided_at IS NULL
     GROUP BY p.id, p.sessions_total, p.total
"""


def test_report_figures_equal_an_aggregate_over_the_payments(scenario, make_session):
    # Refunds and a re-pricing edit on top, so the stored columns had work to do.
    s = make_session(20, 10, patient=scenario["alvaro"])
    packages.pay_sessions(scenario["p4"], [s], accept_price_adjustment=True)
    agenda.set_attendance(s, "falta_justificada")  # credited back
    packages.edit_package(scenario["p1"], sessions=4, total=D("1100.00"))
    from_payments = {
        pid: (used, D(open_cents) / 100, count - used)
        for pid, count, _total, used, open_cents in db.execute_sql(HAND_WRITTEN_LEDGER)
    }
    report = reports.package_report()
    assert len(from_payments) == len(report.rows) == 4
    for row in report.rows:
        assert (row.sessions_used, row.open_amount, row.sessions_left) == from_payments[
            row.package_id
        ]
    assert report.totals.open_amount == sum(v[1] for v in from_payments.values())


def test_history_of_one_package(scenario):
    lines = reports.history_rows(scenario["p1"])
    assert [(h.kind, h.sessions_left, h.open_amount) for h in lines] == [
        ("criado", 3, D("1000.00")),
        ("sessão debitada", 2, D("666.67")),
        ("sessão debitada", 1, D("333.33")),
    ]
    assert {h.package_number for h in lines} == {scenario["p1"].number}
    assert {h.patient_name for h in lines} == {"Ana Souza"}
    assert {h.price_per_session for h in lines} == {D("333.33")}
    assert {h.package_date for h in lines} == {date(2025, 5, 2)}
    assert [h.note for h in lines][1] == "Debitada pela sessão 01/04 10:00"
    assert [h.amount for h in lines] == [D("0.00"), D("333.33"), D("333.34")]
    # The same lines as the core's own package history.
    own = packages.history(scenario["p1"])
    assert [(h.kind, h.at, h.note) for h in lines] == [(h.kind, h.at, h.note) for h in own]


def test_history_of_all_packages_follows_the_report_order(scenario):
    lines = reports.history_rows()
    assert len(lines) == 3 + 5 + 4 + 1  # p1, p2, p3 (2 debits and the change), p4
    numbers = []
    for line in lines:
        if not numbers or numbers[-1] != line.package_number:
            numbers.append(line.package_number)
    assert numbers == [row.number for row in reports.package_report().rows]
    p3_lines = [h for h in lines if h.package_number == scenario["p3"].number]
    assert p3_lines[-1].kind == "alterado manualmente"
    assert p3_lines[-1].note == "Pacote alterado: status: inativo,"
    assert p3_lines[-1].status == "inativo"


def test_history_with_filters(scenario):
    lines = reports.history_rows(status="finalizado")
    assert {h.package_number for h in lines} == {scenario["p2"].number}
    assert lines[-1].status == "finalizado"


def test_history_of_unknown_package(db):
    with pytest.raises(NotFound):
        reports.history_rows(12345)


def count_queries(monkeypatch, database):
    """Count the SQL statements the database runs from now on."""
    executed = []
    original = database.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        executed.append(sql)
        return original(sql, params, *args, **kwargs)

    monkeypatch.setattr(database, "execute_sql", counting)
    return executed


def test_a_clinic_report_is_a_fixed_number_of_queries(db, monkeypatch):
    from r3izzy_desktop.core.demo import populate_large

    populate_large(seed=3, patients=30, sessions=1500, packages=150)
    executed = count_queries(monkeypatch, db)
    report = reports.package_report()
    assert len(report.rows) > 100
    # The rows, the totals, the services and the sharing (R16, R17): no query per package.
    assert len(executed) == 4
    executed.clear()
    lines = reports.history_rows()
    assert len(lines) > len(report.rows) and len(executed) == 1
    executed.clear()
    reports.finance_summary(date(2025, 1, 1), date(2025, 12, 31))
    assert len(executed) <= 9  # 8, and R19's Devoluções
    # And every stored figure agrees with the debits themselves.
    monkeypatch.undo()
    from_payments = {
        pid: (used, D(open_cents) / 100)
        for pid, _count, _total, used, open_cents in db.execute_sql(HAND_WRITTEN_LEDGER)
    }
    assert {r.package_id: (r.sessions_used, r.open_amount) for r in report.rows} == from_payments
    assert report.totals.total == sum((r.total for r in report.rows), D("0.00"))
