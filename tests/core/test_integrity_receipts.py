"""R14 for R21: the integrity check knows the receipts. A clinic with receipts of every
source, cancelled and replaced ones (a replacement cancelled in its turn) included,
reports nothing; each kind of damage done with raw SQL is found, in words, and only it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, integrity, integrity_receipts, packages, payments
from r3izzy_desktop.core.store.binding import db
from r3izzy_desktop.core.store.models import Installment, Receipt
from tests.helpers.statements import counting

D = Decimal


def sql(statement: str, *params) -> None:
    # "?" is SQLite's placeholder; the same statements run on PostgreSQL with its own.
    db.execute_sql(statement.replace("?", db.obj.param), params)


def messages() -> list[str]:
    return [str(problem) for problem in integrity.check()]


def last_number() -> int:
    return Receipt.select().order_by(Receipt.number.desc()).get().number


def installment_id(package, number: int) -> int:
    return Installment.get((Installment.package == package.id) & (Installment.number == number)).id


@pytest.fixture
def receipt_clinic(patient, service):
    """Receipts of every source, numbered as the operations run (the comments):
    a package without a plan changed twice (1 and 2 cancelled, each replaced by the next,
    3 valid), a plan of three installments received (4, 5, 6) and the third voided (6
    cancelled), a closed package whose voided installment was cancelled with it (8
    cancelled, its installment gone), a manual payment of two sessions with one voided (9
    cancelled, replaced by 10), one voided alone (11 cancelled), one standing (12), and a
    package debit (no receipt)."""
    once = packages.create_package(patient, 4, D("1000.00"), date(2025, 3, 1))  # 1
    packages.edit_package(once, total=D("1200.00"))  # 2 replaces 1
    packages.edit_package(once, paid_on=date(2025, 3, 2))  # 3 replaces 2
    plan = packages.create_package(
        patient,
        3,
        D("900.00"),
        date(2025, 3, 1),
        installments=packages.split_installments(D("900.00"), 3, date(2025, 3, 1)),
    )
    for number in (1, 2, 3):  # 4, 5, 6
        packages.receive_installment(plan, number, method="pix", received_on=date(2025, 3, 1))
    packages.void_installment(plan, 3)  # 6 cancelled
    closed = packages.create_package(
        patient,
        2,
        D("600.00"),
        date(2025, 3, 1),
        installments=packages.split_installments(D("600.00"), 2, date(2025, 3, 1)),
    )
    packages.receive_installment(closed, 1, method="pix", received_on=date(2025, 3, 1))  # 7
    packages.receive_installment(closed, 2, method="pix", received_on=date(2025, 3, 1))  # 8
    packages.void_installment(closed, 2)  # 8 cancelled
    packages.close_package(closed, refund=D("0.00"), closed_on=date(2025, 3, 3))
    s = [agenda.schedule(patient, service, datetime(2025, 4, day, 10)) for day in range(1, 6)]
    payments.pay_manually(s[0:2], method="pix", paid_on=date(2025, 4, 2))  # 9
    payments.void_payment(s[0])  # 9 cancelled, 10 for s[1]
    payments.pay_manually([s[2]], method="dinheiro", paid_on=date(2025, 4, 3))  # 11
    payments.void_payment(s[2])  # 11 cancelled
    payments.pay_manually([s[3]], method="pix", paid_on=date(2025, 4, 4))  # 12
    packages.pay_sessions(once, [s[4]], accept_price_adjustment=True)
    return {"once": once, "plan": plan, "closed": closed, "sessions": s}


def test_a_sound_clinic_with_every_kind_of_receipt_has_no_problems(receipt_clinic):
    rows = {r.number: r for r in Receipt.select()}
    assert sorted(rows) == list(range(1, 13))
    assert {r.source for r in rows.values()} == {"pacote", "parcela", "pagamento"}
    cancelled = {n for n, r in rows.items() if r.cancelled_at is not None}
    assert cancelled == {1, 2, 6, 8, 9, 11}
    # A replacement cancelled in its turn, and a cancelled receipt whose installment is gone.
    assert (rows[1].replaced_by, rows[2].replaced_by, rows[9].replaced_by) == (2, 3, 10)
    assert rows[8].installment_id is None
    assert integrity.check() == []


def test_an_empty_clinic_has_no_counter_and_no_problems(db):
    assert integrity_receipts.check() == []


# --- numbering -------------------------------------------------------------------------------


def test_a_number_missing_in_the_middle(receipt_clinic):
    sql("UPDATE receipt SET number = 13 WHERE number = 11")
    sql("UPDATE receipt_counter SET last = 13")
    assert messages() == ["recibos: falta na numeração (de 1 a 13, sem lacunas): No. 11"]


def test_the_counter_ahead_of_the_receipts(receipt_clinic):
    sql("UPDATE receipt_counter SET last = last + 2")
    assert messages() == ["recibos: faltam na numeração (de 1 a 14, sem lacunas): No. 13, No. 14"]


def test_many_numbers_missing_are_named_ten_at_most(receipt_clinic):
    sql("UPDATE receipt_counter SET last = 27")
    assert messages() == [
        "recibos: faltam na numeração (de 1 a 27, sem lacunas): No. 13, No. 14, No. 15, "
        "No. 16, No. 17, No. 18, No. 19, No. 20, No. 21, No. 22 e mais 5"
    ]


def test_the_counter_behind_the_highest_number(receipt_clinic):
    sql("UPDATE receipt_counter SET last = 10")
    assert messages() == ["recibos: o contador está em 10, atrás do maior número já emitido (12)"]


def test_a_number_given_twice(receipt_clinic):
    sql('DROP INDEX "receipt_number"')
    sql(
        "INSERT INTO receipt (number, issued_on, source, payer_name, payer_cpf, patient_id, "
        "patient_name, patient_cpf, amount, method, package_id, installment_id, items, "
        "balance, created_at, cancelled_at, cancel_reason, replaced_by, operator, user_id) "
        "SELECT number, issued_on, source, payer_name, payer_cpf, patient_id, patient_name, "
        "patient_cpf, amount, method, package_id, installment_id, items, balance, created_at, "
        "cancelled_at, cancel_reason, replaced_by, operator, user_id FROM receipt "
        "WHERE number = 11"
    )
    assert messages() == ["recibos: número dado a mais de um recibo: No. 11"]


# --- a receipt against its money ---------------------------------------------------------


def test_a_valid_receipt_of_a_voided_installment(receipt_clinic):
    sql("UPDATE receipt SET cancelled_at = NULL WHERE number = 6")
    number = receipt_clinic["plan"].number
    assert messages() == [
        f"Recibo No. 6: válido, mas a parcela 3 do pacote No. {number} não consta como "
        "recebida: deveria estar cancelado"
    ]


def test_a_valid_receipt_whose_installment_is_gone(receipt_clinic):
    sql("UPDATE receipt SET cancelled_at = NULL WHERE number = 8")
    number = receipt_clinic["closed"].number
    assert messages() == [
        f"Recibo No. 8: válido, mas não está ligado a nenhuma parcela do pacote No. {number}"
    ]


def test_a_valid_installment_receipt_without_a_package(receipt_clinic):
    sql("UPDATE receipt SET package_id = NULL WHERE number = 4")
    assert messages() == ["Recibo No. 4: válido, mas não está ligado a nenhum pacote"]


def test_a_receipt_of_another_packages_installment(receipt_clinic):
    plan, closed = receipt_clinic["plan"], receipt_clinic["closed"]
    sql("UPDATE receipt SET installment_id = ? WHERE number = 4", installment_id(closed, 1))
    assert messages() == [
        f"Recibo No. 4: é do pacote No. {plan.number}, mas a parcela que ele recebe é de "
        "outro pacote",
        f"Pacote No. {plan.number}: a parcela 1, recebida em 01/03/2025, não tem recibo válido",
        f"Pacote No. {closed.number}: a parcela 1 tem 2 recibos válidos (do No. 4 ao No. 7)",
    ]


def test_an_installment_receipt_amount_tampered(receipt_clinic):
    sql("UPDATE receipt SET amount = amount + 1 WHERE number = 4")
    number = receipt_clinic["plan"].number
    assert messages() == [
        f"Recibo No. 4: vale 300,01, mas a parcela 1 do pacote No. {number} é de 300,00"
    ]


def test_a_package_receipt_amount_tampered(receipt_clinic):
    sql("UPDATE receipt SET amount = amount + 1 WHERE number = 3")
    number = receipt_clinic["once"].number
    assert messages() == [
        f"Recibo No. 3: vale 1.200,01, mas o pacote No. {number} tem valor total de 1.200,00"
    ]


def test_an_installment_receipt_dated_another_day(receipt_clinic):
    sql("UPDATE receipt SET issued_on = ? WHERE number = 4", date(2025, 3, 2))
    number = receipt_clinic["plan"].number
    assert messages() == [
        f"Recibo No. 4: emitido em 02/03/2025, mas a parcela 1 do pacote No. {number} foi "
        "recebida em 01/03/2025"
    ]


def test_a_payment_receipt_amount_tampered(receipt_clinic):
    sql("UPDATE receipt SET amount = amount + 1 WHERE number = 12")
    assert messages() == [
        "Recibo No. 12: vale 250,01, mas os pagamentos que ele cobre somam 250,00"
    ]


def test_a_valid_receipt_of_a_voided_payment(receipt_clinic):
    sql("UPDATE receipt SET cancelled_at = NULL WHERE number = 11")
    assert messages() == [
        "Recibo No. 11: válido, mas cobre um pagamento estornado: deveria estar cancelado "
        "(ou substituído pelos que continuam pagos)"
    ]


def test_a_payment_receipt_covering_a_package_debit(receipt_clinic):
    debit = receipt_clinic["sessions"][4].payments[0]
    assert debit.package_id == receipt_clinic["once"].id
    receipt_id = Receipt.get(Receipt.number == 12).id
    sql("INSERT INTO receipt_payment (receipt_id, payment_id) VALUES (?, ?)", receipt_id, debit.id)
    assert messages() == [
        "Recibo No. 12: cobre um débito de pacote (só pagamentos manuais têm recibo)"
    ]


def test_a_payment_receipt_covering_nothing(receipt_clinic):
    session = receipt_clinic["sessions"][3]
    receipt_id = Receipt.get(Receipt.number == 12).id
    sql("DELETE FROM receipt_payment WHERE receipt_id = ?", receipt_id)
    assert messages() == [
        "Recibo No. 12: válido, mas não cobre nenhum pagamento",
        f"Sessão {session.id}: pagamento manual da sessão de 04/04 10:00 (250,00) sem recibo "
        "válido",
    ]


@pytest.mark.parametrize(
    ("number", "replaced_by", "words"),
    [
        (1, 99, "cancelado e substituído pelo No. 99, que não existe"),
        (2, 1, "cancelado e substituído pelo No. 1, emitido antes dele"),
        (6, 12, "cancelado e substituído pelo No. 12, que é de outro tipo"),
    ],
)
def test_a_replacement_tampered(receipt_clinic, number, replaced_by, words):
    sql("UPDATE receipt SET replaced_by = ? WHERE number = ?", replaced_by, number)
    assert messages() == [f"Recibo No. {number}: {words}"]


def test_a_valid_receipt_marked_replaced(receipt_clinic):
    sql("UPDATE receipt SET replaced_by = 3 WHERE number = 12")
    assert messages() == ["Recibo No. 12: válido, mas marcado como substituído pelo No. 3"]


def test_a_receipt_of_an_unknown_source(receipt_clinic):
    sql("UPDATE receipt SET source = 'doação' WHERE number = 12")
    assert messages() == ["Recibo No. 12: origem desconhecida: “doação”"]


# --- money without its receipt -----------------------------------------------------------


def test_a_received_installment_without_a_valid_receipt(receipt_clinic):
    sql("UPDATE receipt SET cancelled_at = ? WHERE number = 4", datetime(2025, 3, 5, 9))
    number = receipt_clinic["plan"].number
    assert messages() == [
        f"Pacote No. {number}: a parcela 1, recebida em 01/03/2025, não tem recibo válido"
    ]


def test_a_package_without_a_plan_whose_receipt_was_cancelled(receipt_clinic):
    sql("UPDATE receipt SET cancelled_at = ? WHERE number = 3", datetime(2025, 3, 5, 9))
    number = receipt_clinic["once"].number
    assert messages() == [
        f"Pacote No. {number}: a parcela 1, recebida em 02/03/2025, não tem recibo válido"
    ]


def test_an_installment_on_two_valid_receipts(receipt_clinic):
    plan = receipt_clinic["plan"]
    sql("UPDATE receipt SET installment_id = ? WHERE number = 5", installment_id(plan, 1))
    assert messages() == [
        f"Pacote No. {plan.number}: a parcela 1 tem 2 recibos válidos (do No. 4 ao No. 5)",
        f"Pacote No. {plan.number}: a parcela 2, recebida em 01/03/2025, não tem recibo válido",
    ]


@pytest.mark.parametrize(
    ("installment", "named", "words"),
    [
        (1, 99, "a parcela 1 indica o recibo No. 99, mas o seu recibo válido é o No. 4"),
        (1, None, "a parcela 1 não indica o seu recibo (No. 4)"),
        (3, 6, "a parcela 3 não foi recebida, mas indica o recibo No. 6"),
    ],
)
def test_an_installments_receipt_number_tampered(receipt_clinic, installment, named, words):
    plan = receipt_clinic["plan"]
    sql(
        "UPDATE installment SET receipt_number = ? WHERE id = ?",
        named,
        installment_id(plan, installment),
    )
    assert messages() == [f"Pacote No. {plan.number}: {words}"]


def test_a_manual_payment_without_a_valid_receipt(receipt_clinic):
    session = receipt_clinic["sessions"][3]
    sql("UPDATE receipt SET cancelled_at = ? WHERE number = 12", datetime(2025, 4, 5, 9))
    [problem] = integrity.check()
    assert str(problem) == (
        f"Sessão {session.id}: pagamento manual da sessão de 04/04 10:00 (250,00) sem recibo válido"
    )
    assert problem.session_id == session.id


def test_a_manual_payment_on_two_valid_receipts(receipt_clinic):
    session = receipt_clinic["sessions"][1]  # on 10, and on 9 before it was replaced
    sql("UPDATE receipt SET cancelled_at = NULL, replaced_by = NULL WHERE number = 9")
    assert messages() == [
        "Recibo No. 9: válido, mas cobre um pagamento estornado: deveria estar cancelado "
        "(ou substituído pelos que continuam pagos)",
        f"Sessão {session.id}: pagamento manual da sessão de 02/04 10:00 (250,00) em 2 "
        "recibos válidos (do No. 9 ao No. 10)",
    ]


# --- cost ------------------------------------------------------------------------------------


def test_the_receipts_are_checked_in_five_statements_whatever_their_number(
    receipt_clinic, monkeypatch, patient, service
):
    """Set-based: never a statement per receipt, installment or payment."""
    statements = counting(monkeypatch)
    with statements() as few:
        assert integrity_receipts.check() == []
    more = [agenda.schedule(patient, service, datetime(2025, 5, day, 10)) for day in range(1, 9)]
    for session in more:
        payments.pay_manually([session], method="pix", paid_on=date(2025, 5, 10))
    for _ in range(3):
        packages.create_package(patient, 2, D("500.00"), date(2025, 5, 1))
    with statements() as many:
        assert integrity_receipts.check() == []
    assert len(few) == len(many) == 5
