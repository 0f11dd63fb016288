"""The large demo generator at a small scale: consistent ledger, requested shape."""

from datetime import date

from r3izzy_desktop.core import clock, integrity, packages, reports
from r3izzy_desktop.core.demo import populate_large
from r3izzy_desktop.core.store.models import Package, PackageEvent, Patient, Payment, Session


def test_generated_clinic_passes_the_integrity_check(db):
    counts = populate_large(seed=3, patients=40, sessions=2500, packages=250)
    assert counts["pacientes"] == Patient.select().count() == 40
    assert counts["sessões"] == Session.select().count() == 2500
    assert Package.select().count() == counts["pacotes"] > 150
    assert PackageEvent.select().count() == counts["linhas de histórico"]
    assert integrity.check() == []
    # R20: from the first line to today the credit closes at the open amounts, closings
    # included.
    roll = reports.credit_rollforward(date(2000, 1, 1), clock.today())
    open_now = sum((p.open_amount for p in Package.select()), 0)
    assert roll.closing == open_now and roll.refunded_count > 0


def test_generated_clinic_has_the_benchmark_cases_and_every_kind_of_payment(db):
    populate_large(seed=5, patients=30, sessions=2000, packages=200)
    assert Package.select().where(Package.patient == 1).count() == 40
    longest = max(len(packages.history(p.id)) for p in Package.select().where(Package.patient == 2))
    assert longest >= 450
    methods = {m for (m,) in Payment.select(Payment.method).distinct().tuples()}
    assert {"pacote", "pix", "dinheiro"} <= methods
    statuses = {s for (s,) in Package.select(Package.status).distinct().tuples()}
    assert statuses == {"ativo", "inativo", "finalizado", "encerrado"}
    # R19: some closings gave money back, each line's three parts add up (the integrity
    # check proves them against the open amount before).
    closings = list(PackageEvent.select().where(PackageEvent.kind == "encerrado"))
    assert any(line.refunded > 0 for line in closings)
    assert all(line.note.startswith("Pacote encerrado: devolvido R$ ") for line in closings)


def test_same_seed_same_clinic(db, tmp_path):
    first = populate_large(seed=9, patients=20, sessions=800, packages=80)
    numbers = [n for (n,) in Package.select(Package.number).order_by(Package.id).tuples()]
    from r3izzy_desktop.core.database import open_database

    open_database(str(tmp_path / "again.db"))
    second = populate_large(seed=9, patients=20, sessions=800, packages=80)
    again = [n for (n,) in Package.select(Package.number).order_by(Package.id).tuples()]
    assert first == second and numbers == again


def test_generated_clinic_has_installment_plans_some_overdue(db):
    """R18: most packages paid at once, some in installments, received on their way, a few
    still owed past their due day (what Gestão Financeira and the alerts show)."""
    from r3izzy_desktop.core.reports import finance
    from r3izzy_desktop.core.store.models import Installment

    populate_large(seed=3, patients=40, sessions=2500, packages=250)
    planned = Package.select().where(Package.has_plan == True).count()  # noqa: E712
    assert 0 < planned < Package.select().count() / 2
    received_lines = PackageEvent.select().where(PackageEvent.kind == "parcela recebida")
    assert received_lines.count() > 0
    assert received_lines.count() == (
        Installment.select()
        .join(Package)
        .where((Package.has_plan == True) & Installment.received_on.is_null(False))  # noqa: E712
        .count()
    )
    owed = finance.owed_by_packages(finance.clock.today())
    assert owed[2] > 0 and owed[3] > 0  # something overdue
    assert any(a.kind == "parcela atrasada" for a in packages.alerts())
    assert integrity.check() == []
