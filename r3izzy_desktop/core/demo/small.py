"""The small demo clinic, built through the same operations the app uses.

`populate_small()` fills an open, empty database with a dozen patients, services,
locations, professionals, sessions across last month and next month, packages in
every status with their history, and manual payments. Some packages have a validity
(one vencido, some "vence em N dias"), some are limited to a service, and two siblings
share their family's package (R15-R17), so every alert (R22) shows. Reproducible for a
given seed and day.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from .. import agenda, clinic, clock, packages, payments
from ..store.models import Package, Session
from .names import GUARDIAN_FIRST, make_cpf, patient_name

SERVICES = (
    ("Método Bobath", Decimal("250.00"), 50),
    ("Método Therasuite", Decimal("300.00"), 60),
    ("Fisioterapia Motora", Decimal("180.00"), 50),
    ("Terapia Ocupacional", Decimal("200.00"), 50),
)
LOCATIONS = ("Sala 1", "Sala 2")
SIBLING = 7  # patient 7 is patient 1's sibling: patient 1's package is shared with them
PROFESSIONALS = (("Dra. Camila Ribeiro", "#2a9d8f"), ("Dr. Rafael Moreira", "#e76f51"))


def populate_small(seed: int = 7) -> None:
    """Fill the open, empty database with the small clinic (reproducible for a seed and
    day)."""
    _small_clinic(random.Random(seed), clock.today())


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def _small_clinic(rng: random.Random, today: date) -> None:
    clinic.set_clinic_info(
        name="Clínica Movimento Terapias Integradas",
        document="12.345.678/0001-95",
        address="Rua das Acácias, 120 — Centro, Campinas/SP",
        phone="(19) 3234-5678",
    )
    services = [clinic.add_service(n, price=p, duration_min=d) for n, p, d in SERVICES]
    locations = [clinic.add_location(n) for n in LOCATIONS]
    pros = [clinic.add_professional(n, c) for n, c in PROFESSIONALS]

    first_day = (today.replace(day=1) - timedelta(days=1)).replace(day=1)  # last month
    used_names: set[str] = set()
    patients = []
    for index in range(12):
        name = patient_name(rng)
        while name in used_names:
            name = patient_name(rng)
        if index == SIBLING:  # the brother or sister of patient 1: same family names
            name = f"{name.split()[0]} {patients[1].name.split(' ', 1)[1]}"
        used_names.add(name)
        child = index % 3 != 2
        birth = today - timedelta(
            days=rng.randint(3 * 365, 12 * 365) if child else rng.randint(25 * 365, 70 * 365)
        )
        guardian = f"{rng.choice(GUARDIAN_FIRST)} {name.split()[-1]}" if child else ""
        if index == SIBLING:
            guardian = patients[1].guardian
        with clock.frozen(_at(first_day - timedelta(days=90 - index), 9)):
            patients.append(
                clinic.add_patient(
                    name,
                    birth_date=birth,
                    phone=f"(19) 9{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                    email=f"{name.split()[0].lower()}.{name.split()[-1].lower()}@email.com".encode(
                        "ascii", "ignore"
                    ).decode()
                    if index % 2
                    else "",
                    cpf=make_cpf(rng) if index % 4 != 3 else "",
                    guardian=guardian,
                    notes="Prefere horários pela manhã." if index == 0 else "",
                )
            )

    # Each patient comes once or twice a week, from the start of last month to the end of
    # next month, with one professional, one service and one room.
    schedule: dict[int, list[Session]] = {}
    for index, patient in enumerate(patients):
        service = services[index % len(services)]
        pro = pros[index % 2]
        room = locations[(index // 2) % 2]
        weekdays = [index % 5] + ([(index + 2) % 5] if index % 3 == 0 else [])
        hour = 8 + (index * 2) % 9
        first = _at(first_day, hour, 0 if index % 2 else 30)
        with clock.frozen(_at(first_day - timedelta(days=3), 10)):
            schedule[patient.id] = agenda.schedule_weekly(
                patient,
                service,
                first,
                weekdays=weekdays,
                weeks=13,
                location=room,
                professional=pro,
            )

    for index, patient in enumerate(patients):
        family = {"sibling": patients[SIBLING], "sessions": schedule[patients[SIBLING].id]}
        _packages_for(rng, index, patient, schedule[patient.id], today, family)


def _packages_for(rng, index, patient, sessions, today, family) -> None:
    """A mix of package stories, so every status and every history line appears."""
    past = [s for s in sessions if s.starts_at.date() < today]
    price = sessions[0].price
    story = index % 6
    paid_on = past[0].starts_at.date() - timedelta(days=2) if past else today

    def create(count: int, total: Decimal, day: date, notes: str = "", **terms) -> Package:
        with clock.frozen(_at(day, 10 + index % 7, (index * 7) % 60)):
            return packages.create_package(patient, count, total, paid_on=day, notes=notes, **terms)

    def pay(pkg: Package, chosen: list[Session], accept: bool = False) -> None:
        for session in chosen:
            with clock.frozen(session.starts_at + timedelta(minutes=55)):
                packages.pay_sessions(pkg, [session], accept_price_adjustment=accept)

    if story == 0:  # finalizado, then a new active package partly used
        old = create(4, price * 4, paid_on - timedelta(days=30), method="dinheiro")
        pay(old, past[:4])
        day = past[4].starts_at.date() if len(past) > 4 else today
        total = price * 4 - Decimal("50.00")
        # R18: in 3 monthly installments, the first received on the day: the next ones
        # fall due later (overdue when the family has not paid them yet).
        new = create(
            4,
            total,
            day,
            "Desconto de fidelidade",
            installments=packages.split_installments(total, 3, day),
            method="cartao_credito",
        )
        with clock.frozen(_at(day, 17)):
            packages.receive_installment(new, 1, method="cartao_credito", received_on=day)
        pay(new, past[4:6], accept=True)  # 2 left: "acabando"
    elif story == 1 and index == 1:  # the family's package, shared with the sibling
        pkg = create(8, price * 8, paid_on, "Pacote da família", shared_with=[family["sibling"]])
        pay(pkg, past[:3])
        with clock.frozen(past[1].starts_at + timedelta(hours=3)):
            agenda.set_attendance(past[1], "falta_justificada")
        theirs = [s for s in family["sessions"] if s.starts_at.date() < today]
        pay(pkg, sorted(past[3:5] + theirs[:1], key=lambda s: s.starts_at), accept=True)
    elif story == 1:  # the sibling: a package that ran out of time (vencido)
        day = past[0].starts_at.date() - timedelta(days=1) if past else today
        pkg = create(6, price * 6, day, valid_until=day + timedelta(days=20))
        valid = [s for s in past if s.starts_at.date() <= day + timedelta(days=20)]
        pay(pkg, [s for s in valid if not payments.active_payment(s)][:2], accept=True)
    elif story == 2:  # uneven division: R$ 1.000,00 for 3 sessions, finished
        pkg = create(3, Decimal("1000.00"), paid_on)
        pay(pkg, past[:3], accept=True)
    elif story == 3:  # set inactive after a change of values (re-priced debits)
        pkg = create(6, price * 6, paid_on)
        pay(pkg, past[:2])
        with clock.frozen(_at(past[2].starts_at.date(), 18)):
            packages.edit_package(pkg, sessions=8, total=price * 7)
            packages.edit_package(pkg, status="inativo", notes="Pausa nas férias escolares")
    elif story == 4:  # a fresh package for this service, valid until soon, nothing used yet
        create(
            4,
            price * 4,
            today - timedelta(days=1),
            valid_until=today + timedelta(days=6 + index),
            services=[sessions[0].service_id],
        )
    else:  # no package: paid by hand, one falta
        for session in past[:3]:
            with clock.frozen(session.starts_at + timedelta(minutes=50)):
                payments.pay_manually(
                    [session], method=rng.choice(["pix", "dinheiro", "cartao_credito"])
                )
        if len(past) > 3:
            agenda.set_attendance(past[3], "falta")
    for session in past:
        if session.attendance == "agendada":
            agenda.set_attendance(session, "realizada")
    # Sessions no package paid were mostly paid at the desk; the last week's are the ones
    # still open, as at any clinic (Receitas has work to do, and so does the package offer
    # for next month's sessions, which stay open).
    recent = today - timedelta(days=7)
    for session in past:
        if session.attendance == "falta_justificada" or payments.active_payment(session):
            continue
        if rng.random() < (0.4 if session.starts_at.date() >= recent else 0.85):
            with clock.frozen(session.starts_at + timedelta(minutes=50)):
                payments.pay_manually(
                    [session], method=rng.choice(["pix", "pix", "dinheiro", "cartao_debito"])
                )
