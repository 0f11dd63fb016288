"""R22: the package alerts (acabando, vencendo, vencido) and the WhatsApp message of each."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest

from r3izzy_desktop.core import agenda, clinic, clock, packages
from r3izzy_desktop.core.errors import ValidationError
from r3izzy_desktop.core.text import brazil_phone

D = Decimal
TODAY = date(2026, 4, 1)


@pytest.fixture
def w(db):
    clinic.set_clinic_info(name="Clínica Passo a Passo")
    return {
        "ana": clinic.add_patient("Ana Souza", phone="(11) 98765-4321"),
        "pedro": clinic.add_patient("Pedro Souza", phone="11 3333-4444", guardian="Cláudia Souza"),
        "bruno": clinic.add_patient("Bruno Lima"),
        "bobath": clinic.add_service("Método Bobath", price=D("100.00")),
    }


def make(owner, sessions=4, **terms):
    return packages.create_package(owner, sessions, D("400.00"), paid_on=date(2026, 1, 10), **terms)


def use(pkg, owner, service, count):
    sessions = [
        agenda.schedule(owner, service, datetime(2026, 2, day, 10, 0))
        for day in range(1, count + 1)
    ]
    packages.pay_sessions(pkg, sessions, accept_price_adjustment=True)


def kinds(today=TODAY):
    return [(a.kind, a.package_id) for a in packages.alerts(today=today)]


def test_each_kind_and_its_boundaries(w):
    ana, bobath = w["ana"], w["bobath"]
    two_left = make(ana)
    use(two_left, ana, bobath, 2)
    three_left = make(ana)
    use(three_left, ana, bobath, 1)
    due_today = make(ana, valid_until=TODAY)
    due_last_warning_day = make(ana, valid_until=date(2026, 4, 16))  # today + 15
    due_later = make(ana, valid_until=date(2026, 4, 17))
    expired = make(ana, valid_until=date(2026, 3, 31))
    inactive = make(ana, valid_until=date(2026, 3, 1))
    packages.edit_package(inactive, status="inativo")
    used_up = make(ana, sessions=1, valid_until=date(2026, 3, 1))
    use(used_up, ana, bobath, 1)
    found = kinds()
    assert found == [
        ("vencido", expired.id),
        ("vencendo", due_today.id),
        ("vencendo", due_last_warning_day.id),
        ("acabando", two_left.id),
    ]
    assert three_left.id not in {p for _, p in found}
    assert due_later.id not in {p for _, p in found}
    with clock.frozen(datetime(2026, 4, 2, 8, 0)):  # today is the default
        assert ("vencido", due_today.id) in kinds(today=None)
        assert packages.alert_count() == len(packages.alerts()) == 5
    assert packages.alert_count(today=TODAY) == len(found)


def test_one_package_may_be_acabando_and_vencendo(w):
    pkg = make(w["ana"], sessions=1, valid_until=date(2026, 4, 5))
    assert kinds() == [("vencendo", pkg.id), ("acabando", pkg.id)]


def test_the_rows_tell_who_to_call(w):
    pkg = make(w["pedro"], valid_until=date(2026, 4, 5), shared_with=[w["ana"]])
    [alert] = packages.alerts(today=TODAY)
    assert dataclasses.is_dataclass(alert)
    with pytest.raises(dataclasses.FrozenInstanceError):
        alert.kind = "x"
    assert (alert.kind, alert.package_id, alert.patient_id, alert.patient_name, alert.phone) == (
        "vencendo",
        pkg.id,
        w["pedro"].id,  # the owner, once, even for a shared package
        "Pedro Souza",
        "(11) 3333-4444",
    )
    assert (
        alert.text == f"O pacote de Pedro Souza (No. {pkg.number}) vence em 4 dias, em 05/04/2026"
    )
    assert alert.contact_name == "Cláudia Souza"


def test_the_texts(w):
    one = make(w["ana"], sessions=1)
    gone = make(w["ana"], valid_until=date(2026, 3, 20))
    tomorrow = make(w["ana"], valid_until=date(2026, 4, 2))
    texts = {(a.kind, a.package_id): a.text for a in packages.alerts(today=TODAY)}
    assert texts[("acabando", one.id)] == (
        f"O pacote de Ana Souza (No. {one.number}) tem só 1 sessão restante"
    )
    assert texts[("vencido", gone.id)] == (
        f"O pacote de Ana Souza (No. {gone.number}) venceu em 20/03/2026 e ainda tem 4 sessões"
    )
    assert texts[("vencendo", tomorrow.id)].endswith("vence amanhã, em 02/04/2026")


def test_the_clinics_threshold_and_warning_days(w):
    ana, bobath = w["ana"], w["bobath"]
    three_left = make(ana)
    use(three_left, ana, bobath, 1)
    in_twenty_days = make(ana, valid_until=date(2026, 4, 21))
    assert kinds() == []
    clinic.set_package_defaults(ending_threshold=3, warning_days=30)
    assert kinds() == [("vencendo", in_twenty_days.id), ("acabando", three_left.id)]
    clinic.set_package_defaults(ending_threshold=0, warning_days=0)
    assert kinds() == []


def test_the_whatsapp_link(w):
    pkg = make(w["ana"], sessions=1)
    [alert] = packages.alerts(today=TODAY)
    link = packages.whatsapp_link(alert)
    assert link.startswith("https://wa.me/5511987654321?text=")
    text = parse_qs(urlparse(link).query)["text"][0]
    assert text == (
        f"Olá, Ana Souza! Aqui é da Clínica Passo a Passo. O pacote de Ana Souza (No. "
        f"{pkg.number}) tem só 1 sessão restante. Quer renovar ou agendar? É só responder "
        "esta mensagem."
    )
    assert " " not in link and "%20" in link  # URL-encoded


def test_the_template_is_the_clinics(w):
    pkg = make(w["pedro"], valid_until=date(2026, 4, 3))
    clinic.set_package_defaults(
        message_template="Oi {nome}, o pacote {pacote} de {paciente} vale até {validade} "
        "({sessoes} sessões). {clinica}"
    )
    [alert] = packages.alerts(today=TODAY)
    assert packages.alert_message(alert) == (
        f"Oi Cláudia Souza, o pacote {pkg.number} de Pedro Souza vale até 03/04/2026 "
        "(4 sessões). Clínica Passo a Passo"
    )
    assert packages.whatsapp_link(alert).startswith("https://wa.me/551133334444?text=Oi%20")


def test_no_phone_or_a_bad_one_is_said_so(w):
    make(w["bruno"], sessions=1)
    [alert] = packages.alerts(today=TODAY)
    with pytest.raises(ValidationError) as caught:
        packages.whatsapp_link(alert)
    assert "Bruno Lima não tem telefone" in caught.value.message
    bad = dataclasses.replace(alert, phone="1234-5678")
    with pytest.raises(ValidationError) as caught:
        packages.whatsapp_link(bad)
    assert "1234-5678" in caught.value.message and "DDD" in caught.value.message


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("(11) 98765-4321", "11987654321"),
        ("+55 (11) 98765-4321", "11987654321"),
        ("5511987654321", "11987654321"),
        ("011 98765-4321", "11987654321"),
        ("(16) 3610-2020", "1636102020"),
        ("(11) 8765-4321", "1187654321"),
        ("(11) 88765-4321", None),  # 11 digits: a mobile starts with 9
        ("(10) 98765-4321", None),  # no DDD has a 0
        ("98765-4321", None),  # no DDD
        ("", None),
        (None, None),
    ],
)
def test_brazilian_phones(typed, number):
    assert brazil_phone(typed) == number
