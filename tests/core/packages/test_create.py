"""R2 package number, R3 creation and its bounds, R4 figures of a new package."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import clock, packages
from r3izzy_desktop.core.errors import NotFound, ValidationError
from r3izzy_desktop.core.packages import operations
from r3izzy_desktop.core.store.models import Package
from tests.helpers.snapshot import db_snapshot

PAID_ON = date(2025, 5, 2)


def create(patient, sessions=5, total=Decimal("1000.00"), **kwargs):
    kwargs.setdefault("paid_on", PAID_ON)
    return packages.create_package(patient, sessions=sessions, total=total, **kwargs)


# --- R2 number ---------------------------------------------------------------------------


def test_number_is_the_creation_time_yymmddhhmmss(patient):
    with clock.frozen(datetime(2025, 6, 18, 17, 5, 10)):
        pkg = create(patient)
    assert pkg.number == "250618170510"
    assert packages.summary(pkg).number == "250618170510"


def test_collisions_take_the_next_free_second(patient):
    with clock.frozen(datetime(2025, 6, 18, 17, 5, 10)):
        numbers = [create(patient).number for _ in range(3)]
    assert numbers == ["250618170510", "250618170511", "250618170512"]
    # A later package created in the second already taken by the third one moves on too.
    with clock.frozen(datetime(2025, 6, 18, 17, 5, 12)):
        assert create(patient).number == "250618170513"
    # A free second is used as it is.
    with clock.frozen(datetime(2025, 6, 18, 17, 5, 20)):
        assert create(patient).number == "250618170520"


def test_collision_skips_a_gap_only_when_taken(patient):
    with clock.frozen(datetime(2025, 6, 18, 17, 5, 11)):
        create(patient)  # ...511 is taken, ...510 is free
    with clock.frozen(datetime(2025, 6, 18, 17, 5, 10)):
        assert create(patient).number == "250618170510"
        assert create(patient).number == "250618170512"


def test_numbers_are_unique_across_patients(patient, other_patient):
    with clock.frozen(datetime(2025, 1, 2, 3, 4, 5)):
        a = create(patient)
        b = create(other_patient)
    assert (a.number, b.number) == ("250102030405", "250102030406")
    assert Package.select().count() == 2


# --- R3 creation -------------------------------------------------------------------------


def test_new_package_figures_status_and_history(patient):
    with clock.frozen(datetime(2025, 5, 2, 9, 30)):
        pkg = create(patient, sessions=4, total=Decimal("1000.00"), notes="Pago em Pix")
    figures = packages.summary(pkg)
    assert figures.status == "ativo"
    assert figures.total == Decimal("1000.00")
    assert figures.open_amount == Decimal("1000.00")
    assert figures.price_per_session == Decimal("250.00")
    assert (figures.sessions_total, figures.sessions_used, figures.sessions_left) == (4, 0, 4)
    assert figures.paid_on == PAID_ON
    assert figures.notes == "Pago em Pix"
    assert figures.patient_name == "Ana Souza"
    [line] = packages.history(pkg)
    assert (line.kind, line.note, line.status) == ("criado", "Pacote criado", "ativo")
    assert (line.sessions_left, line.open_amount, line.price_per_session) == (
        4,
        Decimal("1000.00"),
        Decimal("250.00"),
    )
    assert line.at == datetime(2025, 5, 2, 9, 30)
    assert line.package_date == PAID_ON
    assert line.operator  # who did it (R9)


def test_money_comes_back_as_decimal(patient):
    pkg = create(patient, sessions=3, total=Decimal("1000.00"))
    figures = packages.summary(pkg)
    for value in (figures.total, figures.open_amount, figures.price_per_session):
        assert type(value) is Decimal
    assert figures.price_per_session == Decimal("333.33")  # R4: to the centavo, half-up


def test_price_per_session_rounds_half_up(patient):
    pkg = create(patient, sessions=8, total=Decimal("0.20"))  # 0,025 -> 0,03
    assert packages.summary(pkg).price_per_session == Decimal("0.03")


def test_paid_on_defaults_to_today(patient):
    with clock.frozen(datetime(2025, 3, 9, 14, 0)):
        pkg = packages.create_package(patient, sessions=2, total=Decimal("100.00"))
    assert pkg.paid_on == date(2025, 3, 9)


def test_paid_on_accepts_typed_text(patient):
    pkg = create(patient, paid_on="03/07/2025")
    assert packages.summary(pkg).paid_on == date(2025, 7, 3)


@pytest.mark.parametrize("sessions", [1, 999, "5", " 12 ", Decimal("7")])
def test_sessions_accepted(patient, sessions):
    pkg = create(patient, sessions=sessions)
    assert packages.summary(pkg).sessions_total == int(str(sessions).strip())


@pytest.mark.parametrize(
    "sessions",
    [
        0,
        1000,
        -1,
        True,
        False,
        2.0,
        "2,5",
        "",
        None,
        Decimal("2.5"),
        Decimal("Infinity"),
        Decimal("sNaN"),
        "²",
        "٥",
        "cinco",
    ],
)
def test_sessions_refused(patient, sessions):
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        create(patient, sessions=sessions)
    assert caught.value.field == "sessions"
    assert "sessões" in caught.value.message
    assert db_snapshot() == before


@pytest.mark.parametrize(
    ("total", "stored"),
    [
        (Decimal("0.01"), "0.01"),
        (Decimal("9999999.99"), "9999999.99"),
        ("1.000,00", "1000.00"),
        ("R$ 1.500,50", "1500.50"),
        (250, "250.00"),
        (Decimal("10.000"), "10.00"),  # a trailing zero is not a third decimal
    ],
)
def test_total_accepted(patient, total, stored):
    pkg = create(patient, sessions=1, total=total)
    assert packages.summary(pkg).total == Decimal(stored)
    assert packages.summary(pkg).open_amount == Decimal(stored)


@pytest.mark.parametrize(
    ("total", "words"),
    [
        (Decimal("0.00"), "maior que zero"),
        (Decimal("0"), "maior que zero"),
        ("0,00", "maior que zero"),
        (Decimal("10000000.00"), "no máximo"),
        ("10.000.000,00", "no máximo"),
        (Decimal("100.005"), "duas casas"),
        (Decimal("0.001"), "duas casas"),
        ("100,005", "duas casas"),
        (Decimal("-10.00"), "negativo"),
        ("-10,00", "negativo"),
        (100.0, "inválido"),  # a float never enters a money path
        (True, "inválido"),
        (None, "inválido"),
        (Decimal("NaN"), "inválido"),
        (Decimal("Infinity"), "inválido"),
        ("abc", "inválido"),
    ],
)
def test_total_refused_never_rounded(patient, total, words):
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        create(patient, total=total)
    assert caught.value.field == "total"
    assert words in caught.value.message
    assert db_snapshot() == before


def test_at_least_one_centavo_per_session(patient):
    """Below R$ 0,01 a session, R5 would debit 0,00 and the open amount would reach 0,00
    with sessions left; such a package is refused (the total must cover 0,01 each)."""
    pkg = create(patient, sessions=5, total=Decimal("0.05"))
    assert packages.summary(pkg).price_per_session == Decimal("0.01")
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        create(patient, sessions=5, total=Decimal("0.04"))
    assert caught.value.field == "total"
    assert caught.value.message == (
        "Total pago: pelo menos R$ 0,01 por sessão (R$ 0,05 para 5 sessões)."
    )
    assert db_snapshot() == before


def test_notes_up_to_2000_characters(patient):
    pkg = create(patient, notes="x" * 2000)
    assert len(packages.summary(pkg).notes) == 2000
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        create(patient, notes="x" * 2001)
    assert caught.value.field == "notes"
    assert "2000" in caught.value.message
    assert db_snapshot() == before


def test_notes_are_optional_and_trimmed(patient):
    assert create(patient).notes == ""
    assert create(patient, notes="  pago em Pix \n").notes == "pago em Pix"


@pytest.mark.parametrize("paid_on", [12, "amanhã", "31/02/2025"])
def test_bad_payment_date_refused(patient, paid_on):
    with pytest.raises(ValidationError) as caught:
        create(patient, paid_on=paid_on)
    assert caught.value.field == "paid_on"


def test_unknown_patient_refused(db):
    before = db_snapshot()
    with pytest.raises(NotFound):
        packages.create_package(9999, sessions=2, total=Decimal("10.00"), paid_on=PAID_ON)
    assert db_snapshot() == before


def test_a_patient_may_have_any_number_of_packages(patient):
    for _ in range(5):
        create(patient)
    assert len(packages.list_packages(patient)) == 5


def test_a_number_taken_meanwhile_by_another_pc_is_retried(patient, monkeypatch):
    """Two PCs numbering in the same second: the unique column refuses the second, and
    the operation runs again and takes the next free second."""
    with clock.frozen(datetime(2025, 6, 18, 17, 5, 10)):
        first = create(patient)
        real_new_number = operations._new_number
        calls = []

        def stale_number(at):
            calls.append(at)
            # The first attempt did not see the other PC's package yet.
            return first.number if len(calls) == 1 else real_new_number(at)

        monkeypatch.setattr(operations, "_new_number", stale_number)
        second = create(patient)
    assert len(calls) == 2
    assert second.number == "250618170511"
    assert [line.kind for line in packages.history(second)] == ["criado"]
    assert Package.select().count() == 2


def test_history_records_who_did_it(patient, make_session):
    from r3izzy_desktop.core import clinic

    clinic.set_setting("operator_name", "Recepção — Maria")
    pkg = create(patient, sessions=2, total=Decimal("500.00"))
    packages.pay_sessions(pkg, [make_session(1, 10)])
    assert {line.operator for line in packages.history(pkg)} == {"Recepção — Maria"}
