"""R19: closing a package early — the preview's figures worked out by hand, the closing's
history line and split to the centavo, the package final afterwards (PackageClosed for a
credit back of its sessions, no payment, only its notes editable), and `encerrado` known by
the reads, the offers, the report, the finance summary and the integrity check. Runs on
SQLite and PostgreSQL (the `db` fixture)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, clinic, clock, integrity, packages, reports
from r3izzy_desktop.core.errors import PackageClosed, PackageNotActive, ValidationError
from r3izzy_desktop.core.packages import ledger
from r3izzy_desktop.core.reports.finance import finance_summary
from r3izzy_desktop.core.reports.package_report import package_report
from r3izzy_desktop.core.store.models import Package, PackageEvent
from tests.helpers.snapshot import db_snapshot

D = Decimal
NOW = datetime(2025, 6, 10, 15, 0)


@pytest.fixture
def two_used(patient, make_session, make_package):
    """4 sessions for 1.000,00 (paid 02/05/2025), two of them debited at 250,00; the
    service's list price is 250,00, raised to 300,00 after the debits."""
    pkg = make_package(sessions=4, total="1000.00")
    first, second = make_session(1, 10), make_session(2, 10)
    packages.pay_sessions(pkg, [first, second])
    clinic.update_service(first.service_id, price=D("300.00"))
    return pkg, first, second


def last_line(pkg) -> PackageEvent:
    return (
        PackageEvent.select()
        .where(PackageEvent.package == pkg.id)
        .order_by(PackageEvent.id.desc())
        .first()
    )


def test_the_preview_tells_both_proposals(two_used):
    pkg, _, _ = two_used
    preview = packages.closing_preview(pkg)
    assert (preview.debited, preview.received, preview.owed) == (D("500.00"), D("1000.00"), 0)
    assert preview.refundable == preview.pro_rata_refund == D("500.00")
    # Two sessions at the service's current price: 1.000,00 − 2 × 300,00.
    assert (preview.list_price_used, preview.list_price_refund) == (D("600.00"), D("400.00"))
    assert preview.closable


def test_the_list_price_counts_only_the_sessions_used_now(two_used):
    pkg, _, second = two_used
    packages.refund_session(second)
    preview = packages.closing_preview(pkg)
    assert (preview.debited, preview.refundable) == (D("250.00"), D("750.00"))
    assert (preview.list_price_used, preview.list_price_refund) == (D("300.00"), D("700.00"))


def test_a_list_price_above_what_was_received_proposes_nothing(two_used):
    pkg, first, _ = two_used
    clinic.update_service(first.service_id, price=D("600.00"))
    assert packages.closing_preview(pkg).list_price_refund == 0


def test_the_preview_writes_nothing(two_used):
    before = db_snapshot()
    packages.closing_preview(two_used[0])
    assert db_snapshot() == before


def test_closing_refunds_retains_and_ends_the_package(two_used):
    pkg, _, _ = two_used
    with clock.frozen(NOW):
        packages.close_package(pkg, refund=D("300.00"), method="pix", reason="mudança de cidade")
    line = last_line(pkg)
    assert line.kind == "encerrado"
    assert line.note == (
        "Pacote encerrado: devolvido R$ 300,00 (Pix), retido R$ 200,00. Motivo: mudança de cidade"
    )
    assert (line.status, line.sessions_left, line.open_amount, line.at) == (
        "encerrado",
        0,
        0,
        NOW,
    )
    assert (line.refunded, line.retained, line.cancelled) == (D("300.00"), D("200.00"), 0)
    after = packages.summary(pkg)
    assert (after.status, after.sessions_left, after.open_amount) == ("encerrado", 0, 0)
    # What was bought and used stays.
    assert (after.sessions_total, after.sessions_used, after.total) == (4, 2, D("1000.00"))
    assert (after.refunded, after.retained) == (D("300.00"), D("200.00"))
    assert pkg.status == "encerrado"  # the caller's instance follows
    assert integrity.check() == []


def test_nothing_given_back_names_no_method(two_used):
    pkg, _, _ = two_used
    packages.close_package(pkg, refund=D("0"))
    assert last_line(pkg).note == (
        "Pacote encerrado: devolvido R$ 0,00, retido R$ 500,00. Motivo: não informado"
    )
    assert packages.summary(pkg).retained == D("500.00")


def test_the_whole_open_amount_back_retains_nothing(two_used):
    pkg, _, _ = two_used
    packages.close_package(pkg, refund="500,00", method="Dinheiro", reason="alta")
    line = last_line(pkg)
    assert line.note == (
        "Pacote encerrado: devolvido R$ 500,00 (Dinheiro), retido R$ 0,00. Motivo: alta"
    )
    assert (line.refunded, line.retained, line.cancelled) == (D("500.00"), 0, 0)


def test_an_inactive_package_closes_and_an_untouched_one_too(make_package):
    paused = make_package(sessions=3, total="900.00")
    packages.edit_package(paused, status="inativo")
    packages.close_package(paused, refund=D("900.00"), method="transferencia")
    assert packages.summary(paused).status == "encerrado"
    assert integrity.check() == []


@pytest.fixture
def in_installments(patient, make_session, make_package):
    """R18: 4 sessions for 1.000,00 in two installments (600,00 + 400,00), the first
    received; two sessions debited at 250,00; the service's list price raised to 300,00."""
    pkg = make_package(
        sessions=4,
        total="1000.00",
        installments=[(date(2025, 5, 2), D("600.00")), (date(2025, 6, 2), D("400.00"))],
    )
    packages.receive_installment(pkg, 1, method="pix", received_on=date(2025, 5, 2))
    first, second = make_session(1, 10), make_session(2, 10)
    packages.pay_sessions(pkg, [first, second])
    clinic.update_service(first.service_id, price=D("300.00"))
    return pkg


def test_what_was_never_received_is_cancelled(in_installments):
    """With installments (R18) part of the total may not have been received: the refund
    is limited to received − debited, the rest of the open amount is cancelled, and so is
    the installment not received (nothing is owed after closing)."""
    pkg = in_installments
    preview = packages.closing_preview(pkg)
    assert (preview.received, preview.refundable, preview.owed, preview.list_price_refund) == (
        D("600.00"),
        D("100.00"),
        D("400.00"),
        D("0"),
    )
    with pytest.raises(ValidationError):
        packages.close_package(pkg, refund=D("100.01"), method="pix")
    packages.close_package(pkg, refund=D("40.00"), method="pix")
    line = last_line(pkg)
    assert (line.refunded, line.retained, line.cancelled) == (D("40.00"), D("60.00"), D("400"))
    assert line.refunded + line.retained + line.cancelled == D("500.00")
    after = packages.summary(pkg)
    assert (after.received, after.owed, after.overdue) == (D("600.00"), 0, 0)
    assert [(i.number, i.amount) for i in packages.installments(pkg)] == [(1, D("600.00"))]
    with pytest.raises(PackageNotActive):
        packages.void_installment(pkg, 1)
    assert integrity.check() == []


def test_more_used_than_received_refunds_nothing_and_cancels_the_rest(
    patient, make_session, make_package
):
    pkg = make_package(
        sessions=4,
        total="1000.00",
        installments=[(date(2025, 5, 2), D("400.00")), (date(2025, 6, 2), D("600.00"))],
    )
    packages.receive_installment(pkg, 1, method="pix", received_on=date(2025, 5, 2))
    packages.pay_sessions(pkg, [make_session(1, 10), make_session(2, 10)])
    assert packages.closing_preview(pkg).refundable == 0
    with pytest.raises(ValidationError):
        packages.close_package(pkg, refund=D("0.01"), method="pix")
    packages.close_package(pkg, refund=D("0"))
    line = last_line(pkg)
    assert (line.refunded, line.retained, line.cancelled) == (0, 0, D("500.00"))
    assert packages.summary(pkg).owed == 0
    assert integrity.check() == []


def test_a_plan_with_nothing_received_closes_with_everything_cancelled(make_package):
    pkg = make_package(sessions=2, total="500.00", installments=[(date(2025, 6, 1), D("500.00"))])
    packages.close_package(pkg, refund=D("0"))
    line = last_line(pkg)
    assert (line.refunded, line.retained, line.cancelled) == (0, 0, D("500.00"))
    assert packages.installments(pkg) == []
    assert integrity.check() == []


def test_a_finalizado_or_encerrado_package_cannot_close(make_package, make_session):
    done = make_package(sessions=1, total="250.00")
    packages.pay_sessions(done, [make_session(1, 10)])
    assert not packages.closing_preview(done).closable
    with pytest.raises(PackageNotActive, match="finalizado"):
        packages.close_package(done, refund=D("0"))
    closed = make_package(sessions=2, total="500.00")
    packages.close_package(closed, refund=D("0"))
    with pytest.raises(PackageNotActive, match="já está encerrado"):
        packages.close_package(closed, refund=D("0"))


def test_a_closed_package_keeps_its_sessions_paid(two_used):
    pkg, first, second = two_used
    packages.close_package(pkg, refund=D("0"))
    before = db_snapshot()
    calls = (
        lambda: packages.refund_session(first),
        lambda: agenda.delete_session(first),
        lambda: agenda.set_attendance(second, "falta_justificada"),
    )
    for call in calls:
        with pytest.raises(PackageClosed, match="encerrado"):
            call()
        assert db_snapshot() == before
    # A plain absence keeps the debit anyway (R7): allowed.
    agenda.set_attendance(second, "falta")


def test_a_closed_package_pays_nothing_and_changes_only_its_notes(two_used, make_session):
    pkg, _, _ = two_used
    packages.close_package(pkg, refund=D("0"))
    with pytest.raises(PackageNotActive, match="encerrado"):
        packages.pay_sessions(pkg, [make_session(3, 10)])
    with pytest.raises(ValidationError, match="só as observações"):
        packages.edit_package(pkg, sessions=6)
    # A form sends every field: those unchanged are no change.
    packages.edit_package(pkg, notes="devolvido por Pix", sessions=4, total=D("1000.00"))
    line = last_line(pkg)
    assert (line.kind, line.note, line.status) == (
        "alterado manualmente",
        "Pacote alterado: observações: devolvido por Pix,",
        "encerrado",
    )
    assert integrity.check() == []


def test_closed_packages_are_never_offered_and_are_listed(patient, two_used):
    pkg, _, _ = two_used
    packages.close_package(pkg, refund=D("0"))
    assert packages.offerable_packages(patient) == []
    assert [s.id for s in packages.list_packages(patient, status="encerrado")] == [pkg.id]


def test_the_report_shows_no_session_left_for_a_closed_package(two_used, make_package):
    pkg, _, _ = two_used
    make_package(sessions=2, total="500.00")
    packages.close_package(pkg, refund=D("100.00"), method="pix")
    report = package_report(status="encerrado")
    assert [
        (r.package_id, r.status, r.sessions_used, r.sessions_left, r.open_amount)
        for r in report.rows
    ] == [(pkg.id, "encerrado", 2, 0, 0)]
    totals = package_report().totals
    assert (totals.sessions_total, totals.sessions_used, totals.sessions_left) == (6, 2, 2)


def test_refunds_in_the_period_are_devolucoes(two_used, make_package):
    pkg, _, _ = two_used
    other = make_package(sessions=2, total="500.00")
    third = make_package(sessions=2, total="400.00")
    with clock.frozen(datetime(2025, 6, 30, 23, 59)):
        packages.close_package(pkg, refund=D("300.00"), method="pix")
    with clock.frozen(datetime(2025, 7, 1, 0, 0)):
        packages.close_package(other, refund=D("125.50"), method="pix")
        packages.close_package(third, refund=D("0"))
    june = finance_summary(date(2025, 6, 1), date(2025, 6, 30))
    july = finance_summary(date(2025, 7, 1), date(2025, 7, 31))
    assert (june.refunds, june.refunds_count) == (D("300.00"), 1)
    assert (july.refunds, july.refunds_count) == (D("125.50"), 1)
    # Nothing open is left in the closed packages.
    assert (july.package_credit_open, july.package_sessions_open, july.packages_open) == (0, 0, 0)


def test_the_roll_forward_closes_at_the_open_amounts(two_used, make_package):
    pkg, _, _ = two_used
    other = make_package(sessions=2, total="500.00")
    packages.close_package(pkg, refund=D("300.00"), method="pix")
    roll = reports.credit_rollforward(date(2025, 1, 1), clock.today())
    assert (roll.refunded, roll.retained, roll.cancelled) == (D("-300.00"), D("-200.00"), 0)
    assert (roll.refunded_count, roll.retained_count, roll.cancelled_count) == (1, 1, 1)
    assert roll.closing == packages.summary(other).open_amount == D("500.00")


def test_the_replay_catches_a_closing_that_does_not_add_up():
    def line(kind, status, left, open_amount, **kw):
        return ledger.EventRecord(
            kind=kind,
            status=status,
            sessions_left=left,
            open_amount=D(open_amount),
            price_per_session=D("250.00"),
            sessions_total=4,
            total=D("1000.00"),
            **kw,
        )

    created = line("criado", "ativo", 4, "1000.00")
    good = line("encerrado", "encerrado", 0, "0", refunded=D("600"), retained=D("400"))
    assert ledger.replay([created, good]).problems == []
    short = line("encerrado", "encerrado", 0, "0", refunded=D("600"))
    assert ledger.replay([created, short]).problems
    debit_after = line("sessão debitada", "encerrado", 0, "0", amount=D("250"), session_id=1)
    assert ledger.replay([created, good, debit_after]).problems


def test_the_excel_report_shows_the_closed_package(two_used, tmp_path):
    import openpyxl

    from r3izzy_desktop.core.reports import export

    pkg, _, _ = two_used
    packages.close_package(pkg, refund=D("300.00"), method="pix")
    path = export.package_report_xlsx(tmp_path / "rel.xlsx", status="encerrado")
    sheet = openpyxl.load_workbook(path)["Pacotes"]
    header = [cell.value for cell in sheet[7]]
    row = dict(zip(header, [cell.value for cell in sheet[8]], strict=True))
    assert (row["Status"], row["Sessões Usadas"], row["Sessões Restantes"]) == ("encerrado", 2, 0)
    assert D(str(row["Saldo Atual"])) == 0
    assert [cell.value for cell in sheet[4]][:2] == ["Status:", "encerrado"]


def test_integrity_catches_a_closed_package_that_still_owes(two_used):
    pkg, _, _ = two_used
    packages.close_package(pkg, refund=D("0"))
    Package.update(open_amount=D("500.00")).where(Package.id == pkg.id).execute()
    assert any("em aberto" in str(problem) for problem in integrity.check())
