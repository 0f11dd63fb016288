"""R21 through the SPEC §6 names: a receipt for every money receipt, numbered in sequence
and never reused; cancelled (kept, with its number) when the money is voided; the year's
list and the annual statement per payer, net of refunds, against hand-computed sums."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, clinic, packages, payments, receipts
from r3izzy_desktop.core.errors import ValidationError
from r3izzy_desktop.core.store.models import Installment, Receipt
from tests.helpers.snapshot import db_snapshot

from .conftest import CHILD_CPF, MOTHER_CPF, OTHER_CPF, day, give_back

D = Decimal


def numbers(year: int = 2026) -> list[tuple[int, str, Decimal, bool]]:
    return [(r.number, r.patient_name, r.amount, r.cancelled) for r in receipts.for_year(year)]


def session(family, who: str, when: datetime):
    return agenda.schedule(family[who], family["svc"], when, professional=family["pro"])


# --- the financial responsible --------------------------------------------------------------


def test_the_payer_defaults_to_the_guardian_or_the_patient(db):
    alone = clinic.add_patient("Bruno Lima", cpf="390.533.447-05")
    child = clinic.add_patient("Pedro Souza", guardian="Ana Souza")
    typed = clinic.add_patient("Lia", guardian="Ana", payer_name="Carlos", payer_cpf=MOTHER_CPF)
    assert (alone.payer_name, alone.payer_cpf) == ("Bruno Lima", "39053344705")
    assert (child.payer_name, child.payer_cpf) == ("Ana Souza", "")  # its CPF typed apart
    assert (typed.payer_name, typed.payer_cpf) == ("Carlos", MOTHER_CPF)
    # A guardian typed later becomes the payer; one typed by hand stays.
    clinic.update_patient(alone, guardian="Marta Lima")
    assert (alone.payer_name, alone.payer_cpf) == ("Marta Lima", "")
    clinic.update_patient(typed, guardian="Outra")
    assert typed.payer_name == "Carlos"


@pytest.mark.parametrize("cpf", ["529.982.247-24", "111.111.111-11", "1234", "00000000000"])
def test_a_wrong_payer_cpf_is_refused_and_nothing_changes(db, cpf):
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        clinic.add_patient("Pedro", guardian="Ana", payer_cpf=cpf)
    assert caught.value.field == "payer_cpf"
    assert db_snapshot() == before


@pytest.mark.parametrize("cpf", ["529.982.247-25", "111.444.777-35", "39053344705"])
def test_published_valid_cpfs_are_taken_as_digits(db, cpf):
    p = clinic.add_patient("Pedro", guardian="Ana", payer_cpf=cpf)
    assert p.payer_cpf == "".join(c for c in cpf if c.isdigit())


def test_the_professional_council_and_the_clinic_city(db):
    pro = clinic.add_professional("Dra. Luíza", council="  CREFITO-3   12345-F ")
    assert pro.council == "CREFITO-3 12345-F"
    clinic.update_professional(pro, council="CRFa 2-1234")
    assert clinic.list_professionals()[0].council == "CRFa 2-1234"
    info = clinic.set_clinic_info(
        name="Clínica", document="11.444.777/0001-61", address="Rua A, 10", city="Campinas - SP"
    )
    assert (info.document, info.city) == ("11.444.777/0001-61", "Campinas - SP")
    with pytest.raises(ValidationError):
        clinic.set_clinic_info(name="Clínica", document="11.444.777/0001-62")


# --- one receipt per money receipt ----------------------------------------------------------


def test_a_package_without_a_plan_gets_its_receipt_when_created(family):
    pkg = packages.create_package(
        family["pedro"], sessions=5, total=D("1000.00"), paid_on=day(3, 2), method="pix"
    )
    [r] = receipts.for_year(2026)
    assert (r.number, r.issued_on, r.amount, r.method, r.cancelled) == (
        1,
        day(3, 2),
        D("1000.00"),
        "pix",
        False,
    )
    assert (r.payer_name, r.payer_cpf) == ("Ana Souza", MOTHER_CPF)
    assert (r.patient_name, r.patient_cpf) == ("Pedro Souza", "")
    assert r.package_number == pkg.number
    assert r.balance == "Restam 5 de 5 sessões"
    assert packages.installments(pkg)[0].receipt_number == 1


def test_with_a_plan_each_installment_received_gets_one(family):
    plan = packages.split_installments(D("1000.00"), 3, day(3, 1))
    pkg = packages.create_package(
        family["maria"], sessions=4, total=D("1000.00"), paid_on=day(3, 1), installments=plan
    )
    assert receipts.for_year(2026) == []
    packages.receive_installment(pkg, 2, method="dinheiro", received_on=day(4, 3))
    packages.receive_installment(pkg, 1, method="pix", received_on=day(3, 1))
    assert numbers() == [
        (1, "Maria Souza", D("333.34"), False),
        (2, "Maria Souza", D("333.33"), False),
    ]
    [first, second, third] = packages.installments(pkg)
    assert (first.receipt_number, second.receipt_number, third.receipt_number) == (2, 1, None)
    r = receipts.for_installment(pkg, 2)
    assert (r.number, r.method, r.patient_cpf, r.issued_on) == (1, "dinheiro", CHILD_CPF, day(4, 3))
    assert r.items == (f"Parcela 2/3 do pacote No. {pkg.number} — 4 sessões, total R$ 1.000,00",)


def test_a_voided_installment_cancels_its_receipt_which_keeps_its_number(family):
    plan = packages.split_installments(D("600.00"), 2, day(3, 1))
    pkg = packages.create_package(family["pedro"], 2, D("600.00"), day(3, 1), installments=plan)
    packages.receive_installment(pkg, 1, method="pix", received_on=day(3, 1))
    packages.void_installment(pkg, 1)
    assert numbers() == [(1, "Pedro Souza", D("300.00"), True)]
    assert packages.installments(pkg)[0].receipt_number is None
    assert receipts.for_installment(pkg, 1) is None
    packages.receive_installment(pkg, 1, method="pix", received_on=day(3, 5))
    # A new number: never the cancelled one's.
    assert numbers() == [
        (1, "Pedro Souza", D("300.00"), True),
        (2, "Pedro Souza", D("300.00"), False),
    ]
    assert packages.installments(pkg)[0].receipt_number == 2
    assert receipts.get_receipt(1).cancelled


def test_each_manual_payment_call_gets_one_receipt_per_patient(family):
    a = session(family, "pedro", datetime(2026, 3, 2, 10))
    b = session(family, "pedro", datetime(2026, 3, 3, 10))
    c = session(family, "bruno", datetime(2026, 3, 3, 11))
    payments.pay_manually([b, c, a], method="cartao_debito", paid_on=day(3, 3))
    rows = receipts.for_year(2026)
    assert [(r.number, r.patient_name, r.amount, r.payer_name) for r in rows] == [
        (1, "Pedro Souza", D("500.00"), "Ana Souza"),
        (2, "Bruno Lima", D("250.00"), "Bruno Lima"),
    ]
    pedro = rows[0]
    assert pedro.items == (
        "02/03/2026 10:00 · Método Bobath · Dra. Luíza Reis (CREFITO-3 12345-F) · R$ 250,00",
        "03/03/2026 10:00 · Método Bobath · Dra. Luíza Reis (CREFITO-3 12345-F) · R$ 250,00",
    )
    assert rows[1].payer_cpf == OTHER_CPF and rows[1].patient_is_payer


def test_voiding_one_session_of_a_receipt_cancels_it_and_issues_one_for_the_rest(family):
    a = session(family, "pedro", datetime(2026, 3, 2, 10))
    b = session(family, "pedro", datetime(2026, 3, 3, 10))
    payments.pay_manually([a, b], method="pix", paid_on=day(3, 3))
    payments.void_payment(a)
    assert numbers() == [
        (1, "Pedro Souza", D("500.00"), True),
        (2, "Pedro Souza", D("250.00"), False),
    ]
    old, new = receipts.for_year(2026)
    assert old.replaced_by == 2
    assert new.items == (
        "03/03/2026 10:00 · Método Bobath · Dra. Luíza Reis (CREFITO-3 12345-F) · R$ 250,00",
    )
    assert [r.number for r in receipts.for_session(b)] == [2]
    assert receipts.for_session(a) == []
    # Deleting the last session voids its payment: that receipt is cancelled, none issued.
    agenda.delete_session(b)
    assert numbers() == [
        (1, "Pedro Souza", D("500.00"), True),
        (2, "Pedro Souza", D("250.00"), True),
    ]


def test_a_justified_absence_that_voids_the_payment_cancels_the_receipt(family):
    a = session(family, "bruno", datetime(2026, 3, 2, 10))
    payments.pay_manually([a], method="pix", paid_on=day(3, 2))
    agenda.set_attendance(a, "falta_justificada", void_manual_payment=True)
    assert numbers() == [(1, "Bruno Lima", D("250.00"), True)]


def test_a_package_debit_issues_no_receipt(family):
    pkg = packages.create_package(family["pedro"], 4, D("1000.00"), day(3, 1))
    s = session(family, "pedro", datetime(2026, 3, 2, 10))
    packages.pay_sessions(pkg, [s])
    packages.refund_session(s)
    assert numbers() == [(1, "Pedro Souza", D("1000.00"), False)]
    assert [r.number for r in receipts.for_package(pkg)] == [1]


def test_a_change_of_the_total_replaces_the_receipt_of_a_package_without_a_plan(family):
    pkg = packages.create_package(family["pedro"], 4, D("1000.00"), day(3, 1))
    packages.edit_package(pkg, total=D("1200.00"))
    assert numbers() == [
        (1, "Pedro Souza", D("1000.00"), True),
        (2, "Pedro Souza", D("1200.00"), False),
    ]
    assert receipts.get_receipt(1).replaced_by == 2
    packages.edit_package(pkg, notes="só a observação")
    assert len(receipts.for_year(2026)) == 2


def test_numbers_are_sequential_and_never_reused(family):
    pkg = packages.create_package(family["pedro"], 4, D("1000.00"), day(1, 10))
    s = session(family, "bruno", datetime(2026, 2, 1, 10))
    payments.pay_manually([s], method="pix", paid_on=day(2, 1))
    payments.void_payment(s)
    payments.pay_manually([s], method="pix", paid_on=day(2, 2))
    plan = packages.split_installments(D("500.00"), 2, day(3, 1))
    other = packages.create_package(family["ana"], 2, D("500.00"), day(3, 1), installments=plan)
    packages.receive_installment(other, 2, method="pix", received_on=day(3, 1))
    assert [r.number for r in receipts.for_year(2026)] == [1, 2, 3, 4]
    assert Receipt.select().count() == 4
    assert pkg.number == receipts.get_receipt(1).package_number


def test_the_payer_of_a_receipt_is_the_one_of_its_day(family):
    """A receipt says what it said when issued: a later change of the payer leaves it."""
    packages.create_package(family["pedro"], 4, D("1000.00"), day(3, 1))
    clinic.update_patient(family["pedro"], payer_name="Carlos Souza", payer_cpf=OTHER_CPF)
    packages.create_package(family["pedro"], 4, D("800.00"), day(3, 2))
    assert [(r.payer_name, r.payer_cpf) for r in receipts.for_year(2026)] == [
        ("Ana Souza", MOTHER_CPF),
        ("Carlos Souza", OTHER_CPF),
    ]


def test_errors_issue_no_receipt(family):
    plan = packages.split_installments(D("600.00"), 2, day(3, 1))
    pkg = packages.create_package(family["pedro"], 2, D("600.00"), day(3, 1), installments=plan)
    packages.receive_installment(pkg, 1, method="pix", received_on=day(3, 1))
    before = db_snapshot()
    with pytest.raises(ValidationError):
        packages.receive_installment(pkg, 1, method="pix")  # already received
    with pytest.raises(ValidationError):
        payments.pay_manually([], method="pix")
    assert db_snapshot() == before
    assert [r.number for r in receipts.for_year(2026)] == [1]


# --- the year's receipts and the annual statement -----------------------------------------


def build_family_year(family) -> dict[str, object]:
    """A year of the family, with what the statement must say worked out by hand below."""
    pedro, maria = family["pedro"], family["maria"]
    # 2025: not in 2026's statement.
    packages.create_package(pedro, 4, D("999.00"), date(2025, 12, 31))
    # Pedro: a package paid at once (1.000,00) and four sessions paid by hand, one voided.
    big = packages.create_package(pedro, 5, D("1000.00"), day(1, 1), method="pix")
    s = [session(family, "pedro", datetime(2026, 2, d, 10)) for d in (2, 3, 4, 5)]
    payments.pay_manually(s[:3], method="pix", paid_on=day(2, 5))  # 750,00
    payments.void_payment(s[1])  # -> 500,00 left on a new receipt
    payments.pay_manually([s[3]], method="dinheiro", paid_on=day(2, 6))  # 250,00
    # Maria: 1.200,00 in 3 installments, two received in 2026, one in 2027; then a closing
    # in 2026 that refunds 150,00 of her package.
    plan = packages.split_installments(D("1200.00"), 3, day(6, 1))
    m = packages.create_package(maria, 6, D("1200.00"), day(6, 1), installments=plan)
    packages.receive_installment(m, 1, method="pix", received_on=day(6, 1))  # 400,00
    packages.receive_installment(m, 2, method="pix", received_on=day(7, 1))  # 400,00
    # A received and voided installment counts for nothing.
    packages.receive_installment(m, 3, method="pix", received_on=day(8, 1))
    packages.void_installment(m, 3)
    give_back(m, D("150.00"), datetime(2026, 9, 1, 10))
    # Bruno pays for himself: another payer.
    packages.create_package(family["bruno"], 2, D("300.00"), day(5, 5))
    # A refund of Pedro's package in 2027 does not change 2026.
    give_back(big, D("100.00"), datetime(2027, 1, 10, 10))
    return {"big": big, "maria": m}


def test_the_annual_statement_of_a_family_against_hand_computed_sums(family):
    build_family_year(family)
    st = receipts.annual_statement(2026, payer_cpf=MOTHER_CPF)
    by_name = {line.patient_name: line for line in st.lines}
    # Pedro: 1.000,00 + 500,00 + 250,00; Maria: 400,00 + 400,00 − 150,00.
    assert by_name["Pedro Souza"].amount == D("1750.00")
    assert (by_name["Maria Souza"].received, by_name["Maria Souza"].refunded) == (
        D("800.00"),
        D("150.00"),
    )
    assert by_name["Maria Souza"].amount == D("650.00")
    assert by_name["Maria Souza"].patient_cpf == CHILD_CPF
    assert [line.patient_name for line in st.lines] == ["Maria Souza", "Pedro Souza"]
    assert st.total == D("2400.00")
    assert (st.payer_name, st.payer_cpf) == ("Ana Souza", MOTHER_CPF)
    # The same CPF written with dots and dash.
    assert receipts.annual_statement(2026, payer_cpf="529.982.247-25").total == D("2400.00")
    # Other years and other payers.
    assert receipts.annual_statement(2025, payer_cpf=MOTHER_CPF).total == D("999.00")
    later = receipts.annual_statement(2027, payer_cpf=MOTHER_CPF)
    assert [(line.patient_name, line.amount) for line in later.lines] == [
        ("Pedro Souza", D("-100.00"))
    ]
    assert receipts.annual_statement(2026, payer_cpf=OTHER_CPF).total == D("300.00")
    assert [(p.name, p.cpf, p.total) for p in receipts.payers(2026)] == [
        ("Ana Souza", MOTHER_CPF, D("2400.00")),
        ("Bruno Lima", OTHER_CPF, D("300.00")),
    ]


def test_the_years_receipts_for_the_accountant(family):
    build_family_year(family)
    rows = receipts.for_year(2026)
    assert [r.number for r in rows] == sorted(r.number for r in rows)
    valid = sum((r.amount for r in rows if not r.cancelled), D("0.00"))
    assert valid == D("2400.00") + D("150.00") + D("300.00")  # refunds are not receipts
    cancelled = [(r.amount, r.source) for r in rows if r.cancelled]
    assert sorted(cancelled) == [(D("400.00"), "parcela"), (D("750.00"), "pagamento")]
    assert {r.issued_on.year for r in rows} == {2026}
    assert [r.number for r in receipts.for_year(2025)] == [1]
    assert [r.patient_name for r in receipts.search(2026, "bruno")] == ["Bruno Lima"]
    assert {r.patient_name for r in receipts.search(2026, "529.982")} == {
        "Pedro Souza",
        "Maria Souza",
    }
    assert all(r.payer_name == "Ana Souza" for r in receipts.search(2026, "ana"))


def test_the_years_summary_and_first_receipts_in_one_statement_each(family):
    """What the Recibos window reads at once for a busy year: the summary (one aggregate)
    equals the one of every receipt, and the first ones are those of the whole list."""
    build_family_year(family)
    for year in (2025, 2026, 2027):
        every = receipts.for_year(year)
        assert receipts.year_totals(year) == receipts.totals_of(every)
        assert receipts.first_of_year(year, 2) == every[:2]
    totals = receipts.year_totals(2026)
    assert totals.valid_total == D("2850.00") and totals.cancelled == 2
    assert totals.count == totals.valid_count + 2
    assert receipts.year_totals(2027) == receipts.ReceiptTotals(0, 0, D("0.00"), 0)
    with pytest.raises(ValidationError):
        receipts.year_totals(0)


def test_a_payer_with_nothing_in_the_year_and_a_wrong_cpf(family):
    st = receipts.annual_statement(2026, payer_cpf=OTHER_CPF)
    assert (st.total, st.lines) == (D("0.00"), ())
    with pytest.raises(ValidationError):
        receipts.annual_statement(2026, payer_cpf="529.982.247-24")


def test_a_payer_without_cpf_is_found_by_name(db):
    child = clinic.add_patient("Pedro Souza", guardian="Ana Souza")
    packages.create_package(child, 4, D("1000.00"), day(3, 1))
    st = receipts.annual_statement(2026, payer_name="ana souza")
    assert (st.payer_name, st.total) == ("Ana Souza", D("1000.00"))


def test_the_document_of_a_receipt(family):
    clinic.set_clinic_info(
        name="Clínica Movimento", document="11222333000181", address="Rua A, 10", city="Campinas"
    )
    packages.create_package(family["pedro"], 5, D("1000.00"), day(3, 2), method="pix")
    doc = receipts.document(1)
    assert doc.clinic.city == "Campinas" and doc.clinic_document_label == "CNPJ"
    assert doc.amount_in_words == "mil reais"
    assert doc.city_date == "Campinas, 2 de março de 2026"
    assert "Ana Souza (CPF 529.982.247-25)" in doc.statement
    assert "pelos atendimentos de Pedro Souza" in doc.statement
    statement = receipts.statement_document(2026, MOTHER_CPF, issued_on=day(3, 10))
    assert "R$ 1.000,00 (mil reais)" in statement.text
    assert statement.city_date == "Campinas, 10 de março de 2026"


def test_the_installment_keeps_its_receipt_number_in_the_model(family):
    plan = packages.split_installments(D("600.00"), 2, day(3, 1))
    pkg = packages.create_package(family["pedro"], 2, D("600.00"), day(3, 1), installments=plan)
    packages.receive_installment(pkg, 2, method="pix", received_on=day(3, 1))
    assert Installment.get(Installment.number == 2).receipt_number == 1


def test_a_payer_cpf_typed_later_completes_the_receipts_without_one(db):
    """A clinic upgrading, or a guardian's CPF asked for in March: the statement by CPF
    finds the receipts issued before it was typed; another payer's stay as they were."""
    child = clinic.add_patient("Pedro Souza", guardian="Ana Souza")
    packages.create_package(child, 4, D("1000.00"), day(3, 1))
    clinic.update_patient(child, payer_name="Carlos Souza")
    packages.create_package(child, 1, D("100.00"), day(3, 2))
    clinic.update_patient(child, payer_name="Ana Souza")
    assert receipts.annual_statement(2026, payer_cpf=MOTHER_CPF).total == D("0.00")
    clinic.update_patient(child, payer_cpf=MOTHER_CPF)
    st = receipts.annual_statement(2026, payer_cpf=MOTHER_CPF)
    assert (st.payer_name, st.total) == ("Ana Souza", D("1000.00"))
    assert [(r.payer_name, r.payer_cpf) for r in receipts.for_year(2026)] == [
        ("Ana Souza", MOTHER_CPF),
        ("Carlos Souza", ""),
    ]
