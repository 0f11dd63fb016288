"""R15 validity, R16 services covered, R17 shared and transferred packages, and the R8
note of their changes (R8, extended), through the SPEC §6 names."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, clinic, clock, integrity, packages
from r3izzy_desktop.core.errors import (
    NotFound,
    PackageExpired,
    ServiceNotCovered,
    ValidationError,
)
from tests.helpers.snapshot import db_snapshot

D = Decimal


def notes_of(pkg):
    return [line.note for line in packages.history(pkg) if line.kind == "alterado manualmente"]


@pytest.fixture
def family(db):
    """Ana Souza owns the packages; Pedro and Maria Souza are her children (in that order)."""
    return {
        "ana": clinic.add_patient("Ana Souza", phone="(11) 98765-4321"),
        "pedro": clinic.add_patient("Pedro Souza"),
        "maria": clinic.add_patient("Maria Souza"),
    }


@pytest.fixture
def services(db):
    # Therasuite first: the note sorts by name, not by creation.
    return {
        "therasuite": clinic.add_service("Método Therasuite", price=D("250.00")),
        "bobath": clinic.add_service("Método Bobath", price=D("250.00")),
    }


def session(who, service, day, hour=10, month=4, year=2026):
    return agenda.schedule(who, service, datetime(year, month, day, hour, 0))


def package(owner, **terms):
    return packages.create_package(
        owner, sessions=4, total=D("1000.00"), paid_on=date(2026, 3, 1), **terms
    )


# --- R15 validity ------------------------------------------------------------------------


def test_validity_is_kept_and_summarised(family):
    pkg = package(family["ana"], valid_until=date(2026, 6, 30))
    assert pkg.valid_until == date(2026, 6, 30)
    with clock.frozen(datetime(2026, 6, 20, 9, 0)):
        figures = packages.summary(pkg)
    assert (figures.valid_until, figures.expired, figures.days_to_expiry) == (
        date(2026, 6, 30),
        False,
        10,
    )
    assert figures.expires_within(15) and not figures.expires_within(9)


def test_a_new_clinic_sells_packages_without_validity(family):
    assert clinic.package_defaults().validity_months is None
    assert package(family["ana"]).valid_until is None


def test_the_clinics_default_is_months_from_the_payment_date(family):
    clinic.set_package_defaults(validity_months=3)
    pkg = packages.create_package(family["ana"], 4, D("1000.00"), paid_on=date(2025, 11, 30))
    assert pkg.valid_until == date(2026, 2, 28)  # the month's last day when it is shorter
    explicit_none = packages.create_package(
        family["ana"], 4, D("1000.00"), paid_on=date(2025, 11, 30), valid_until=None
    )
    assert explicit_none.valid_until is None  # None given: no limit


def test_a_session_after_the_last_day_is_refused_naming_the_date(family, services):
    pkg = package(family["ana"], valid_until=date(2026, 4, 30))
    late = session(family["ana"], services["bobath"], 1, month=5)
    before = db_snapshot()
    with pytest.raises(PackageExpired) as caught:
        packages.pay_sessions(pkg, [late])
    assert "30/04/2026" in caught.value.message
    assert caught.value.valid_until == date(2026, 4, 30)
    assert caught.value.session_id == late.id
    assert db_snapshot() == before


def test_a_session_on_the_last_day_is_paid_even_after_it(family, services):
    pkg = package(family["ana"], valid_until=date(2026, 4, 30))
    last_day = session(family["ana"], services["bobath"], 30, hour=18)
    with clock.frozen(datetime(2026, 5, 20, 9, 0)):
        assert packages.summary(pkg).expired
        packages.pay_sessions(pkg, [last_day])
        assert packages.summary(pkg).sessions_left == 3
        packages.refund_session(last_day)  # crediting back works as before (R7)
    assert packages.summary(pkg).sessions_left == 4
    assert integrity.check() == []


def test_vencido_is_a_badge_never_a_status(family, services):
    pkg = package(family["ana"], valid_until=date(2026, 3, 31))
    with clock.frozen(datetime(2026, 4, 1, 8, 0)):
        figures = packages.summary(pkg)
        assert (figures.status, figures.expired, figures.days_to_expiry) == ("ativo", True, -1)
        packages.edit_package(pkg, status="inativo")
        assert not packages.summary(pkg).expired  # only an ativo package is vencido
    assert [line.status for line in packages.history(pkg)] == ["ativo", "inativo"]


def test_a_used_up_package_is_not_vencido(family, services):
    pkg = packages.create_package(
        family["ana"], 1, D("250.00"), paid_on=date(2026, 3, 1), valid_until=date(2026, 3, 31)
    )
    packages.pay_sessions(pkg, [session(family["ana"], services["bobath"], 2, month=3)])
    with clock.frozen(datetime(2026, 5, 1, 8, 0)):
        assert not packages.summary(pkg).expired


@pytest.mark.parametrize(
    ("valid_until", "note"),
    [
        (date(2026, 12, 31), "Pacote alterado: validade: 31/12/2026,"),
        ("31/12/2026", "Pacote alterado: validade: 31/12/2026,"),
        (None, "Pacote alterado: validade: sem validade,"),
    ],
)
def test_extending_or_removing_the_validity_is_an_r8_change(family, valid_until, note):
    pkg = package(family["ana"], valid_until=date(2026, 6, 30))
    packages.edit_package(pkg, valid_until=valid_until)
    assert notes_of(pkg) == [note]
    assert integrity.check() == []


def test_an_edit_that_does_not_name_the_validity_keeps_it(family):
    pkg = package(family["ana"], valid_until=date(2026, 6, 30))
    packages.edit_package(pkg, notes="renovado")
    assert packages.summary(pkg).valid_until == date(2026, 6, 30)
    packages.edit_package(pkg, valid_until=date(2026, 6, 30))  # the same: no line
    assert notes_of(pkg) == ["Pacote alterado: observações: renovado,"]


def test_a_bad_validity_is_refused(family):
    with pytest.raises(ValidationError) as caught:
        package(family["ana"], valid_until="31/02/2026")
    assert caught.value.field == "valid_until"


# --- R16 services ------------------------------------------------------------------------


def test_a_session_of_another_service_is_not_covered(family, services):
    pkg = package(family["ana"], services=[services["bobath"]])
    other = session(family["ana"], services["therasuite"], 2)
    before = db_snapshot()
    with pytest.raises(ServiceNotCovered) as caught:
        packages.pay_sessions(pkg, [other])
    assert isinstance(caught.value, ValidationError)
    assert "Método Bobath" in caught.value.message
    assert caught.value.services == ("Método Bobath",)
    assert db_snapshot() == before
    packages.pay_sessions(pkg, [session(family["ana"], services["bobath"], 3)])
    assert packages.summary(pkg).services == ("Método Bobath",)
    assert packages.summary(pkg).service_ids == (services["bobath"].id,)


def test_no_services_means_every_service(family, services):
    pkg = package(family["ana"], services=[])
    packages.pay_sessions(
        pkg,
        [
            session(family["ana"], services["bobath"], 2),
            session(family["ana"], services["therasuite"], 3),
        ],
        accept_price_adjustment=True,
    )
    assert packages.summary(pkg).services == ()


def test_changing_the_services_is_an_r8_change_and_debits_stay(family, services):
    pkg = package(family["ana"])
    paid = session(family["ana"], services["therasuite"], 2)
    packages.pay_sessions(pkg, [paid])
    packages.edit_package(pkg, services=[services["therasuite"], services["bobath"]])
    packages.edit_package(pkg, services=[services["bobath"]])
    packages.edit_package(pkg, services=[])
    assert notes_of(pkg) == [
        "Pacote alterado: serviços: Método Bobath; Método Therasuite,",
        "Pacote alterado: serviços: Método Bobath,",
        "Pacote alterado: serviços: todos,",
    ]
    assert [s.session_id for s in packages.paid_sessions(pkg)] == [paid.id]
    assert integrity.check() == []


def test_an_unknown_service_is_refused(family):
    with pytest.raises(NotFound):
        package(family["ana"], services=[424242])


# --- R17 shared packages -----------------------------------------------------------------


def test_a_shared_package_pays_a_siblings_session_naming_them(family, services):
    pkg = package(family["ana"], shared_with=[family["pedro"]])
    own = session(family["ana"], services["bobath"], 1)
    his = session(family["pedro"], services["bobath"], 2)
    packages.pay_sessions(pkg, [his, own])
    debits = [line.note for line in packages.history(pkg) if line.kind == "sessão debitada"]
    assert debits == [
        "Debitada pela sessão 01/04 10:00",
        "Debitada pela sessão 02/04 10:00 (Pedro Souza)",
    ]
    paid = {row.session_id: row.patient_name for row in packages.paid_sessions(pkg)}
    assert paid == {own.id: "Ana Souza", his.id: "Pedro Souza"}
    assert integrity.check() == []


@pytest.mark.parametrize("how", ["refund", "delete", "justified"])
def test_a_siblings_credit_names_them(family, services, how):
    pkg = package(family["ana"], shared_with=[family["pedro"]])
    his = session(family["pedro"], services["bobath"], 2)
    packages.pay_sessions(pkg, [his])
    if how == "refund":
        packages.refund_session(his)
    elif how == "delete":
        agenda.delete_session(his)
    else:
        agenda.set_attendance(his, "falta_justificada")
    assert packages.history(pkg)[-1].note == "Creditada pela sessão 02/04 10:00 (Pedro Souza)"
    assert integrity.check() == []


def test_a_package_not_shared_refuses_a_siblings_session(family, services):
    pkg = package(family["ana"], shared_with=[family["pedro"]])
    hers = session(family["maria"], services["bobath"], 2)
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        packages.pay_sessions(pkg, [hers])
    assert not isinstance(caught.value, ServiceNotCovered)
    assert "Maria Souza" in caught.value.message
    assert db_snapshot() == before


def test_a_shared_package_is_in_each_sharers_list_once_in_its_owners(family):
    pkg = package(family["ana"], shared_with=[family["maria"], family["pedro"]])
    for who in ("ana", "pedro", "maria"):
        [row] = packages.list_packages(family[who])
        assert (row.id, row.patient_id, row.patient_name) == (pkg.id, family["ana"].id, "Ana Souza")
    row = packages.summary(pkg)
    assert row.shared_with == ("Pedro Souza", "Maria Souza")  # in the order registered
    assert row.shared_with_ids == (family["pedro"].id, family["maria"].id)
    assert row.is_shared_with(family["maria"].id) and not row.is_shared_with(family["ana"].id)
    assert packages.list_packages(family["pedro"], include_shared=False) == []
    totals = packages.active_totals(family["pedro"])
    assert (totals.packages, totals.shared, totals.sessions_left) == (1, 1, 4)


def test_changing_the_sharing_is_an_r8_change(family, services):
    pkg = package(family["ana"])
    packages.edit_package(pkg, shared_with=[family["maria"], family["pedro"]])
    packages.edit_package(pkg, shared_with=[family["pedro"]])
    packages.edit_package(pkg, shared_with=[])
    assert notes_of(pkg) == [
        "Pacote alterado: compartilhado com: Pedro Souza; Maria Souza,",
        "Pacote alterado: compartilhado com: Pedro Souza,",
        "Pacote alterado: compartilhado com: ninguém,",
    ]
    assert integrity.check() == []


def test_unsharing_leaves_the_siblings_debits_where_they_are(family, services):
    pkg = package(family["ana"], shared_with=[family["pedro"]])
    his = session(family["pedro"], services["bobath"], 2)
    packages.pay_sessions(pkg, [his])
    packages.edit_package(pkg, shared_with=None)
    assert [s.session_id for s in packages.paid_sessions(pkg)] == [his.id]
    assert integrity.check() == []
    with pytest.raises(ValidationError):
        packages.pay_sessions(pkg, [session(family["pedro"], services["bobath"], 3)])


def test_the_owner_listed_in_compartilhado_com_is_left_out(family):
    pkg = package(family["ana"], shared_with=[family["ana"], family["pedro"]])
    assert packages.summary(pkg).shared_with == ("Pedro Souza",)
    with pytest.raises(NotFound):
        package(family["ana"], shared_with=[424242])


# --- R17 transfers -----------------------------------------------------------------------


def test_a_transfer_changes_the_owner_and_leaves_the_debits(family, services):
    pkg = package(family["ana"])
    hers = session(family["ana"], services["bobath"], 1)
    packages.pay_sessions(pkg, [hers])
    packages.edit_package(pkg, patient=family["pedro"])
    assert notes_of(pkg) == ["Pacote alterado: paciente: Pedro Souza,"]
    figures = packages.summary(pkg)
    assert (figures.patient_id, figures.patient_name) == (family["pedro"].id, "Pedro Souza")
    assert [s.session_id for s in packages.paid_sessions(pkg)] == [hers.id]
    assert integrity.check() == []
    packages.pay_sessions(pkg, [session(family["pedro"], services["bobath"], 2)])
    with pytest.raises(ValidationError):
        packages.pay_sessions(pkg, [session(family["ana"], services["bobath"], 3)])
    packages.refund_session(hers)  # Ana is no longer the owner: her name is written
    assert packages.history(pkg)[-1].note == "Creditada pela sessão 01/04 10:00 (Ana Souza)"
    assert integrity.check() == []


def test_a_transfer_to_a_sharer_takes_them_off_the_sharing(family):
    pkg = package(family["ana"], shared_with=[family["pedro"], family["maria"]])
    packages.edit_package(pkg, patient=family["pedro"])
    assert notes_of(pkg) == [
        "Pacote alterado: paciente: Pedro Souza, compartilhado com: Maria Souza,"
    ]


def test_the_specs_example_transfers_and_shares_with_the_other(family, services):
    """SPEC §6: edit_package(pkg, valid_until=None, services=[], shared_with=[p2, p3],
    patient=p2): p2 owns it, shared with p3 (the owner needs no share)."""
    pkg = package(family["ana"], valid_until=date(2026, 6, 30), services=[services["bobath"]])
    packages.edit_package(
        pkg,
        valid_until=None,
        services=[],
        shared_with=[family["pedro"], family["maria"]],
        patient=family["pedro"],
    )
    figures = packages.summary(pkg)
    assert (figures.patient_name, figures.shared_with) == ("Pedro Souza", ("Maria Souza",))
    assert notes_of(pkg) == [
        "Pacote alterado: paciente: Pedro Souza, validade: sem validade, serviços: todos, "
        "compartilhado com: Maria Souza,"
    ]
    assert integrity.check() == []


def test_every_field_in_the_notes_order(family, services):
    pkg = package(family["ana"], valid_until=date(2026, 6, 30))
    packages.edit_package(
        pkg,
        notes="família",
        shared_with=[family["maria"]],
        services=[services["bobath"]],
        valid_until=date(2026, 12, 31),
        paid_on=date(2026, 3, 2),
        total=D("1200.00"),
        sessions=6,
        status="inativo",
        patient=family["pedro"],
    )
    assert notes_of(pkg) == [
        "Pacote alterado: paciente: Pedro Souza, status: inativo, sessões: 6, valor total: "
        "1.200,00, data de pagamento: 02/03/2026, validade: 31/12/2026, serviços: Método "
        "Bobath, compartilhado com: Maria Souza, observações: família,"
    ]
    assert integrity.check() == []


def test_an_unknown_new_owner_changes_nothing(family):
    pkg = package(family["ana"])
    before = db_snapshot()
    with pytest.raises(NotFound):
        packages.edit_package(pkg, patient=424242)
    assert db_snapshot() == before
