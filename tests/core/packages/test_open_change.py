"""R20: each history line stores its change of the package's open amount (`open_change`),
measured from what the Package row remembers of its last line, with no query: a row read
from the database (alone or joined) starts from the open amount it was read with, a new
one from 0, and several lines of one package in one operation each take their own step."""

from __future__ import annotations

from decimal import Decimal

import pytest

from r3izzy_desktop.core import packages
from r3izzy_desktop.core.store.models import Package, PackageEvent, Payment, refresh_instance

D = Decimal


def changes(package) -> list[tuple[str, Decimal, Decimal]]:
    return [
        (line.kind, line.open_amount, line.open_change)
        for line in PackageEvent.select()
        .where(PackageEvent.package == package.id)
        .order_by(PackageEvent.id)
    ]


def test_every_operation_stores_its_change(make_package, make_session):
    pkg = make_package(sessions=3, total="900.00")
    sessions = [make_session(day, 10) for day in (1, 2, 3)]
    packages.pay_sessions(pkg, sessions[:2], accept_price_adjustment=True)  # two lines, one go
    packages.refund_session(sessions[1])
    packages.edit_package(pkg, total=D("1200.00"))  # R8: 400,00 a session, 1 used
    packages.edit_package(pkg, notes="só a nota")
    packages.close_package(pkg, refund=D("0"))
    assert changes(pkg) == [
        ("criado", D("900.00"), D("900.00")),
        ("sessão debitada", D("600.00"), D("-300.00")),
        ("sessão debitada", D("300.00"), D("-300.00")),
        ("sessão creditada", D("600.00"), D("300.00")),
        ("alterado manualmente", D("800.00"), D("200.00")),
        ("alterado manualmente", D("800.00"), D("0.00")),
        ("encerrado", D("0.00"), D("-800.00")),
    ]


def test_a_row_read_alone_or_joined_starts_from_what_it_was_read_with(make_package):
    pkg = make_package(sessions=4, total="1000.00")
    alone = Package.get_by_id(pkg.id)
    joined = (
        PackageEvent.select(PackageEvent, Package)
        .join(Package)
        .where(PackageEvent.package == pkg.id)
        .get()
        .package
    )
    for row in (alone, joined):
        row.open_amount -= D("250.00")
        assert row.take_open_change() == D("-250.00")
        assert row.take_open_change() == D("0.00")  # the next line starts from there


def test_a_new_row_starts_from_nothing(patient):
    row = Package(open_amount=D("300.00"))
    assert row.take_open_change() == D("300.00")


def test_a_row_read_without_its_open_amount_writes_no_line(make_package):
    pkg = make_package()
    row = Package.select(Package.id, Package.number).where(Package.id == pkg.id).get()
    with pytest.raises(RuntimeError, match="without its open amount"):
        row.take_open_change()


def test_the_callers_instance_follows_the_row_written(make_package, make_session):
    """An operation hands its row's figures back to the caller's instance, what it
    remembers of the last line too."""
    pkg = make_package(sessions=2, total="500.00")
    packages.pay_sessions(pkg, [make_session(1, 10)], accept_price_adjustment=True)
    assert pkg.open_amount == D("250.00")
    assert pkg.take_open_change() == D("0.00")
    fresh = Package.get_by_id(pkg.id)
    fresh.open_amount = D("100.00")
    fresh.take_open_change()
    refresh_instance(pkg, fresh)
    assert pkg.take_open_change() == D("0.00")
    assert Payment.select().count() == 1
