"""Every failing operation leaves every table exactly as it was (one transaction, all or
nothing), and fails with a DomainError whose message is Portuguese, never another exception."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, clinic, packages, payments
from r3izzy_desktop.core.errors import DomainError
from r3izzy_desktop.core.packages import lines
from tests.helpers.snapshot import db_snapshot

D = Decimal


@pytest.fixture
def world(patient, other_patient, service, make_session, make_package):
    """A small clinic in every state a failing call could meet."""
    w = {
        "patient": patient,
        "other": other_patient,
        "service": service,
        "pkg": make_package(sessions=4, total="1000.00"),
        "small": make_package(sessions=1, total="250.00"),
        "inactive": make_package(sessions=4, total="1000.00"),
        "done": make_package(sessions=1, total="250.00"),
    }
    packages.edit_package(w["inactive"], status="inativo")
    w["open"] = make_session(1, 10)
    w["open2"] = make_session(2, 10)
    w["open3"] = make_session(3, 10)
    w["debited"] = make_session(4, 10)
    packages.pay_sessions(w["pkg"], [w["debited"]])
    w["done_session"] = make_session(5, 10)
    packages.pay_sessions(w["done"], [w["done_session"]])
    w["manual"] = make_session(6, 10)
    payments.pay_manually([w["manual"]], method="pix")
    w["deleted"] = make_session(7, 10)
    agenda.delete_session(w["deleted"])
    w["excused"] = make_session(8, 10)
    agenda.set_attendance(w["excused"], "falta_justificada")
    w["foreign"] = make_session(9, 10, patient=other_patient)
    w["odd_price"] = make_session(10, 10, price=D("99.00"))
    # Terms (R15-R17): valid until 20/04, Método Bobath only, shared with Bruno Lima.
    w["other_service"] = clinic.add_service("Método Therasuite", price=D("250.00"))
    w["third"] = clinic.add_patient("Carla Dias")
    w["limited"] = make_package(
        sessions=4,
        total="1000.00",
        valid_until=date(2025, 4, 20),
        services=[service],
        shared_with=[other_patient],
    )
    w["late"] = make_session(21, 10)
    w["uncovered"] = agenda.schedule(patient, w["other_service"], datetime(2025, 4, 11, 10))
    w["thirds"] = make_session(12, 10, patient=w["third"])
    # R18: 1.000,00 in 3 installments, the first received, only what was paid may be used.
    w["plan"] = make_package(
        sessions=4,
        total="1000.00",
        installments=packages.split_installments(D("1000.00"), 3, date(2025, 4, 1)),
        pay_before_use=True,
    )
    packages.receive_installment(w["plan"], 1, method="pix")
    # R19: a package closed early, with one session it paid.
    w["closed"] = make_package(sessions=4, total="1000.00")
    w["closed_paid"] = make_session(13, 10)
    packages.pay_sessions(w["closed"], [w["closed_paid"]])
    packages.close_package(w["closed"], refund=D("200.00"), method="pix", reason="mudança")
    return w


FAILING_CALLS = {
    # packages.create_package
    "create: zero sessions": lambda w: packages.create_package(w["patient"], 0, D("10")),
    "create: 1000 sessions": lambda w: packages.create_package(w["patient"], 1000, D("10")),
    "create: zero total": lambda w: packages.create_package(w["patient"], 2, D("0")),
    "create: three decimals": lambda w: packages.create_package(w["patient"], 2, D("1.001")),
    "create: float": lambda w: packages.create_package(w["patient"], 2, 10.0),
    "create: too much": lambda w: packages.create_package(w["patient"], 2, D("10000000")),
    "create: long notes": lambda w: packages.create_package(
        w["patient"], 2, D("10"), notes="x" * 2001
    ),
    "create: no patient": lambda w: packages.create_package(424242, 2, D("10")),
    # packages.pay_sessions
    "pay: inativo": lambda w: packages.pay_sessions(w["inactive"], [w["open"]]),
    "pay: finalizado": lambda w: packages.pay_sessions(w["done"], [w["open"]]),
    "pay: already debited": lambda w: packages.pay_sessions(w["pkg"], [w["open"], w["debited"]]),
    "pay: already manual": lambda w: packages.pay_sessions(w["pkg"], [w["manual"]]),
    "pay: deleted": lambda w: packages.pay_sessions(w["pkg"], [w["open"], w["deleted"]]),
    "pay: excused": lambda w: packages.pay_sessions(w["pkg"], [w["excused"]]),
    "pay: other patient": lambda w: packages.pay_sessions(w["pkg"], [w["foreign"]]),
    "pay: not enough": lambda w: packages.pay_sessions(
        w["small"], [w["open"], w["open2"]], accept_price_adjustment=True
    ),
    "pay: price mismatch": lambda w: packages.pay_sessions(w["pkg"], [w["open"], w["odd_price"]]),
    "pay: twice the same": lambda w: packages.pay_sessions(w["pkg"], [w["open"], w["open"]]),
    "pay: nothing": lambda w: packages.pay_sessions(w["pkg"], []),
    "pay: unknown session": lambda w: packages.pay_sessions(w["pkg"], [w["open"], 424242]),
    "pay: unknown package": lambda w: packages.pay_sessions(424242, [w["open"]]),
    "pay: stale": lambda w: packages.pay_sessions(w["pkg"], [w["open"]], expected_version=0),
    "pay: after the validity": lambda w: packages.pay_sessions(w["limited"], [w["late"]]),
    "pay: service not covered": lambda w: packages.pay_sessions(
        w["limited"], [w["foreign"], w["uncovered"]], accept_price_adjustment=True
    ),
    "pay: not shared with": lambda w: packages.pay_sessions(
        w["limited"], [w["foreign"], w["thirds"]], accept_price_adjustment=True
    ),
    "create: unknown service": lambda w: packages.create_package(
        w["patient"], 2, D("10"), services=[424242]
    ),
    "create: unknown sharer": lambda w: packages.create_package(
        w["patient"], 2, D("10"), shared_with=[424242]
    ),
    "create: bad validity": lambda w: packages.create_package(
        w["patient"], 2, D("10"), valid_until="31/13/2025"
    ),
    # R18: installments, pay before use
    "create: plan below the total": lambda w: packages.create_package(
        w["patient"], 2, D("100"), installments=[(date(2025, 4, 1), D("99.99"))]
    ),
    "create: plan with a zero": lambda w: packages.create_package(
        w["patient"],
        2,
        D("100"),
        installments=[(date(2025, 4, 1), D("100")), (date(2025, 5, 1), D("0"))],
    ),
    "create: bad method": lambda w: packages.create_package(
        w["patient"], 2, D("100"), method="cheque"
    ),
    "pay: not enough paid": lambda w: packages.pay_sessions(
        w["plan"], [w["open"], w["open2"]], accept_price_adjustment=True
    ),
    "receive: twice": lambda w: packages.receive_installment(w["plan"], 1, method="pix"),
    "receive: no such number": lambda w: packages.receive_installment(w["plan"], 4),
    "receive: bad method": lambda w: packages.receive_installment(w["plan"], 2, method="x"),
    "receive: bad date": lambda w: packages.receive_installment(
        w["plan"], 2, received_on="31/02/2025"
    ),
    "receive: stale": lambda w: packages.receive_installment(w["plan"], 2, expected_version=0),
    "receive: unknown package": lambda w: packages.receive_installment(424242, 1),
    "void installment: not received": lambda w: packages.void_installment(w["plan"], 2),
    "void installment: no such number": lambda w: packages.void_installment(w["plan"], 9),
    "edit: total below what was received": lambda w: packages.edit_package(
        w["plan"], total=D("300.00"), notes="menos"
    ),
    "defaults: pay before use with a bad template": lambda w: clinic.set_package_defaults(
        pay_before_use=True, message_template="{x}"
    ),
    # packages.refund_session
    "refund: unpaid": lambda w: packages.refund_session(w["open"]),
    "refund: manual": lambda w: packages.refund_session(w["manual"]),
    "refund: deleted": lambda w: packages.refund_session(w["deleted"]),
    "refund: stale": lambda w: packages.refund_session(w["debited"], expected_version=0),
    # packages.edit_package
    "edit: below used": lambda w: packages.edit_package(w["pkg"], sessions=0, notes="x"),
    "edit: finalizado": lambda w: packages.edit_package(w["pkg"], status="finalizado"),
    "edit: bad status": lambda w: packages.edit_package(w["pkg"], status="ATIVO"),
    "edit: zero total": lambda w: packages.edit_package(w["pkg"], total="0,00", sessions=9),
    "edit: three decimals": lambda w: packages.edit_package(w["pkg"], total=D("5.555")),
    "edit: bad date": lambda w: packages.edit_package(w["pkg"], paid_on="32/01/2025"),
    "edit: stale": lambda w: packages.edit_package(w["pkg"], notes="y", expected_version=0),
    "edit: unknown sharer": lambda w: packages.edit_package(
        w["limited"], valid_until=None, shared_with=[w["other"], 424242]
    ),
    "edit: unknown new owner": lambda w: packages.edit_package(
        w["limited"], services=None, patient=424242
    ),
    "edit: unknown service": lambda w: packages.edit_package(w["limited"], services=[424242]),
    "edit: bad validity": lambda w: packages.edit_package(w["limited"], valid_until="x"),
    # packages.close_package (R19) and what a closed package refuses
    "close: encerrado": lambda w: packages.close_package(w["closed"], refund=D("0")),
    "close: finalizado": lambda w: packages.close_package(w["done"], refund=D("0")),
    "close: above refundable": lambda w: packages.close_package(
        w["pkg"], refund=D("750.01"), method="pix"
    ),
    "close: negative refund": lambda w: packages.close_package(w["pkg"], refund=D("-1.00")),
    "close: three decimals": lambda w: packages.close_package(
        w["pkg"], refund=D("1.001"), method="pix"
    ),
    "close: float refund": lambda w: packages.close_package(w["pkg"], refund=1.0, method="pix"),
    "close: no refund given": lambda w: packages.close_package(w["pkg"], method="pix"),
    "close: refund without method": lambda w: packages.close_package(w["pkg"], refund=D("10")),
    "close: bad method": lambda w: packages.close_package(
        w["pkg"], refund=D("10"), method="bitcoin"
    ),
    "close: long reason": lambda w: packages.close_package(
        w["pkg"], refund=D("0"), reason="x" * 501
    ),
    "close: before the payment": lambda w: packages.close_package(
        w["pkg"], refund=D("0"), closed_on=date(2025, 5, 1)
    ),
    "close: stale": lambda w: packages.close_package(w["pkg"], refund=D("0"), expected_version=0),
    "close: unknown package": lambda w: packages.close_package(424242, refund=D("0")),
    "closed: pay": lambda w: packages.pay_sessions(w["closed"], [w["open"]]),
    "closed: refund its session": lambda w: packages.refund_session(w["closed_paid"]),
    "closed: delete its session": lambda w: agenda.delete_session(w["closed_paid"]),
    "closed: justified absence": lambda w: agenda.set_attendance(
        w["closed_paid"], "falta_justificada"
    ),
    "closed: edit the sessions": lambda w: packages.edit_package(w["closed"], sessions=5),
    "closed: edit the total and notes": lambda w: packages.edit_package(
        w["closed"], total=D("900.00"), notes="z"
    ),
    "closed: reactivate": lambda w: packages.edit_package(w["closed"], status="ativo"),
    "closed: share": lambda w: packages.edit_package(w["closed"], shared_with=[w["other"]]),
    "edit: ask for encerrado": lambda w: packages.edit_package(w["pkg"], status="encerrado"),
    # agenda
    "attendance: unknown": lambda w: agenda.set_attendance(w["open"], "sumiu"),
    "attendance: deleted": lambda w: agenda.set_attendance(w["deleted"], "falta_justificada"),
    "delete: deleted": lambda w: agenda.delete_session(w["deleted"]),
    "delete: unknown": lambda w: agenda.delete_session(424242),
    "schedule: no start": lambda w: agenda.schedule(w["patient"], w["service"], None),
    "schedule: negative price": lambda w: agenda.schedule(
        w["patient"], w["service"], datetime(2025, 4, 1, 10), price=D("-1")
    ),
    "schedule: unknown service": lambda w: agenda.schedule(
        w["patient"], 424242, datetime(2025, 4, 1, 10)
    ),
    "update: price of a paid session": lambda w: agenda.update_session(
        w["debited"], price=D("1.00")
    ),
    # payments
    "manual: already paid (after writing one)": lambda w: payments.pay_manually(
        [w["open"], w["open2"], w["manual"]], method="pix"
    ),
    "manual: deleted (after writing one)": lambda w: payments.pay_manually(
        [w["open"], w["deleted"]], method="pix"
    ),
    "manual: bad method": lambda w: payments.pay_manually([w["open"]], method="bitcoin"),
    "void: package debit": lambda w: payments.void_payment(w["debited"]),
    "void: unpaid": lambda w: payments.void_payment(w["open"]),
    # clinic
    "patient: no name": lambda w: clinic.add_patient("   "),
    "service: float price": lambda w: clinic.add_service("Fono", price=80.0),
    "defaults: unknown field in the template": lambda w: clinic.set_package_defaults(
        validity_months=6, message_template="{preço}"
    ),
    "defaults: too many months": lambda w: clinic.set_package_defaults(
        warning_days=5, validity_months=500
    ),
}


@pytest.mark.parametrize("name", FAILING_CALLS)
def test_a_failing_call_changes_nothing(world, name):
    before = db_snapshot()
    with pytest.raises(DomainError) as caught:
        FAILING_CALLS[name](world)
    assert caught.value.message.strip()
    assert "Traceback" not in caught.value.message
    assert db_snapshot() == before


def test_a_failure_after_some_debits_were_written_undoes_them(world, monkeypatch):
    """pay_sessions writes debit after debit; a failure on the second must undo the first."""
    real_record = lines.record
    written = []

    def failing_record(row, kind, note, **kwargs):
        written.append(kind)
        if len(written) == 2:
            raise DomainError("falha simulada no meio da operação")
        return real_record(row, kind, note, **kwargs)

    monkeypatch.setattr(lines, "record", failing_record)
    before = db_snapshot()
    with pytest.raises(DomainError):
        packages.pay_sessions(
            world["pkg"], [world["open"], world["open2"]], accept_price_adjustment=True
        )
    assert written == ["sessão debitada", "sessão debitada"]
    assert db_snapshot() == before


def test_a_failure_after_the_credit_undoes_the_delete(world, monkeypatch):
    """delete_session credits the debit, then marks the session: all or nothing."""
    real_record = lines.record

    def failing_record(row, kind, note, **kwargs):
        real_record(row, kind, note, **kwargs)
        raise DomainError("falha simulada depois do crédito")

    monkeypatch.setattr(lines, "record", failing_record)
    before = db_snapshot()
    with pytest.raises(DomainError):
        agenda.delete_session(world["debited"])
    assert db_snapshot() == before


def test_a_failure_in_an_edit_undoes_the_repricing(world, monkeypatch):
    def failing_record(*args, **kwargs):
        raise DomainError("falha simulada ao gravar o histórico")

    monkeypatch.setattr(lines, "record", failing_record)
    before = db_snapshot()
    with pytest.raises(DomainError):
        packages.edit_package(world["pkg"], total=D("1200.00"), paid_on=date(2025, 1, 1))
    assert db_snapshot() == before


def test_a_failure_when_writing_the_line_undoes_the_receipt(world, monkeypatch):
    def failing_record(*args, **kwargs):
        raise DomainError("falha simulada ao gravar o histórico")

    monkeypatch.setattr(lines, "record", failing_record)
    before = db_snapshot()
    with pytest.raises(DomainError):
        packages.receive_installment(world["plan"], 2, method="pix")
    with pytest.raises(DomainError):
        packages.void_installment(world["plan"], 1)
    with pytest.raises(DomainError):
        packages.edit_package(world["plan"], total=D("1500.00"))
    assert db_snapshot() == before


def test_a_failure_after_the_receipt_is_written_undoes_it_and_its_number(world, monkeypatch):
    """R21: the receipt, its number and the money it records go together or not at all;
    the number is not used up by a failed operation."""
    from r3izzy_desktop.core import receipt_book, receipts

    real_issue = receipt_book.issue

    def failing_issue(**kwargs):
        real_issue(**kwargs)
        raise DomainError("falha simulada depois do recibo")

    monkeypatch.setattr(receipt_book, "issue", failing_issue)
    before = db_snapshot()
    with pytest.raises(DomainError):
        packages.create_package(world["patient"], 2, D("500.00"))
    with pytest.raises(DomainError):
        packages.receive_installment(world["plan"], 2, method="pix")
    with pytest.raises(DomainError):
        payments.pay_manually([world["open"], world["foreign"]], method="pix")
    assert db_snapshot() == before
    monkeypatch.setattr(receipt_book, "issue", real_issue)
    last = max(n for y in receipts.years() for n in (r.number for r in receipts.for_year(y)))
    created = packages.create_package(world["patient"], 2, D("500.00"))
    assert [r.number for r in receipts.for_package(created)] == [last + 1]


def test_a_failure_after_cancelling_a_receipt_undoes_the_void(world, monkeypatch):
    from r3izzy_desktop.core import receipt_book

    real_cancel = receipt_book.cancel

    def failing_cancel(*args, **kwargs):
        real_cancel(*args, **kwargs)
        raise DomainError("falha simulada depois de cancelar o recibo")

    monkeypatch.setattr(receipt_book, "cancel", failing_cancel)
    before = db_snapshot()
    with pytest.raises(DomainError):
        payments.void_payment(world["manual"])
    with pytest.raises(DomainError):
        packages.void_installment(world["plan"], 1)
    assert db_snapshot() == before


def test_a_failure_while_writing_the_closing_undoes_it(world, monkeypatch):
    def failing_record(*args, **kwargs):
        raise DomainError("falha simulada ao gravar o encerramento")

    monkeypatch.setattr(lines, "record", failing_record)
    before = db_snapshot()
    with pytest.raises(DomainError):
        packages.close_package(world["pkg"], refund=D("100.00"), method="pix")
    with pytest.raises(DomainError):
        packages.close_package(world["plan"], refund=D("0.00"))
    assert db_snapshot() == before


def test_the_world_is_consistent(world):
    from r3izzy_desktop.core import integrity

    assert integrity.check() == []
