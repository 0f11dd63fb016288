"""R23 logins: users, passwords as argon2id hashes that never leave the users table, the
lockout after wrong passwords (on the core's clock), who is recorded."""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, audit, clinic, clock, packages, payments, users
from r3izzy_desktop.core.errors import NotAllowed, ValidationError
from r3izzy_desktop.core.store.models import PackageEvent, Payment, User
from tests.helpers.snapshot import db_snapshot

from .conftest import PASSWORD


def test_a_database_without_users_works_as_before(db):
    assert not users.login_required() and users.current_user() is None
    patient = clinic.add_patient("Ana Souza")
    package = packages.create_package(patient, sessions=2, total="500.00")
    event = PackageEvent.get(PackageEvent.package == package.id)
    assert event.user_id is None and event.operator == clinic.operator_name()
    assert audit.entries() == []  # no users, no log


def test_the_first_user_must_be_an_administrator(db):
    before = db_snapshot()
    with pytest.raises(ValidationError, match="primeiro usuário precisa ser um administrador"):
        users.add_user("Rita", login="rita", password=PASSWORD, role="recepção")
    assert db_snapshot() == before
    admin = users.add_user("Ana", login="Ana", password=PASSWORD, role="Administrador")
    assert (admin.login, admin.role, admin.active) == ("ana", "administrador", True)
    assert users.login_required() and users.current_user() is None


def test_after_the_first_administrator_nothing_runs_until_a_login(db):
    patient = clinic.add_patient("Ana Souza")
    users.add_user("Ana", login="ana", password=PASSWORD, role="administrador")
    before = db_snapshot()
    with pytest.raises(NotAllowed):
        packages.create_package(patient, sessions=2, total="500.00")
    assert db_snapshot() == before
    me = users.login("ana", PASSWORD)
    assert users.current_user() == me
    package = packages.create_package(patient, sessions=2, total="500.00")
    users.logout()
    assert users.current_user() is None
    with pytest.raises(NotAllowed):
        packages.edit_package(package, sessions=3)


def test_a_wrong_password_is_refused_and_recorded(staff):
    before = User.get(User.login == "rita").failed_logins
    with pytest.raises(NotAllowed, match="Login ou senha incorretos"):
        users.login("rita", "errada")
    with pytest.raises(NotAllowed, match="Login ou senha incorretos"):
        users.login("ninguem", "errada")
    assert users.current_user() is None
    assert User.get(User.login == "rita").failed_logins == before + 1
    users.login("ana", PASSWORD)
    failed = audit.entries(action=audit.LOGIN_FAILED)
    assert [e.detail for e in failed] == [
        "Login “ninguem”: usuário desconhecido",
        "Login “rita”: senha errada (1ª seguida)",
    ]
    assert audit.entries(action=audit.LOGIN)[0].user_name == "Ana Admin"


def test_logins_are_case_blind_and_a_deactivated_user_cannot_log_in(staff):
    assert users.login(" RITA ", PASSWORD).login == "rita"
    users.login("ana", PASSWORD)
    [rita] = [u for u in users.list_users() if u.login == "rita"]
    users.update_user(rita, active=False)
    users.logout()
    with pytest.raises(NotAllowed):
        users.login("rita", PASSWORD)


def test_five_wrong_passwords_make_the_login_wait_longer_each_time(staff):
    start = datetime(2026, 3, 2, 9, 0, 0)
    with clock.frozen(start):
        for _ in range(4):
            with pytest.raises(NotAllowed, match="incorretos"):
                users.login("rita", "errada")
        with pytest.raises(NotAllowed, match="aguarde 30 segundos"):
            users.login("rita", "errada")
        with pytest.raises(NotAllowed, match="aguarde"):  # even the right one waits
            users.login("rita", PASSWORD)
    with clock.frozen(start + timedelta(seconds=31)), pytest.raises(NotAllowed, match="60"):
        users.login("rita", "errada")  # the 6th: twice as long
    with clock.frozen(start + timedelta(seconds=31 + 61)):
        assert users.login("rita", PASSWORD).login == "rita"
        assert User.get(User.login == "rita").failed_logins == 0
    assert [users.wait_after(n).total_seconds() for n in (4, 5, 6, 7, 12, 20)] == [
        0,
        30,
        60,
        120,
        900,
        900,
    ]


def test_an_administrator_reset_unlocks(staff):
    with clock.frozen(datetime(2026, 3, 2, 9, 0)):
        for _ in range(5):
            with pytest.raises(NotAllowed):
                users.login("rita", "errada")
        users.login("ana", PASSWORD)
        [rita] = [u for u in users.list_users() if u.login == "rita"]
        users.reset_password(rita, "nova-senha")
        users.logout()
        assert users.login("rita", "nova-senha").role == "recepção"


def test_the_last_administrator_stays_one(staff):
    users.login("ana", PASSWORD)
    [ana] = [u for u in users.list_users() if u.login == "ana"]
    before = db_snapshot()
    with pytest.raises(ValidationError, match="único administrador"):
        users.update_user(ana, role="recepção")
    with pytest.raises(ValidationError, match="único administrador"):
        users.update_user(ana, active=False)
    assert db_snapshot() == before


def test_logins_and_passwords_are_checked(staff):
    users.login("ana", PASSWORD)
    for bad in ({"login": "a b"}, {"login": "x"}, {"password": "123"}, {"role": "chefe"}):
        values = {"login": "nova", "password": PASSWORD, "role": "recepção", **bad}
        with pytest.raises(ValidationError):
            users.add_user("Nova", **values)
    with pytest.raises(ValidationError, match="Já existe"):
        users.add_user("Outra Ana", login="ANA", password=PASSWORD, role="recepção")


def test_the_user_is_recorded_on_history_payments_and_audit(as_role):
    as_role("administrador")
    patient = clinic.add_patient("Ana Souza")
    service = clinic.add_service("Método Bobath", price=Decimal("250.00"))
    me = as_role("recepção")
    session = agenda.schedule(patient, service, datetime(2025, 4, 1, 10))
    other = agenda.schedule(patient, service, datetime(2025, 4, 2, 10))
    package = packages.create_package(patient, sessions=4, total="1000.00")
    packages.pay_sessions(package, [session])
    payments.pay_manually([other], method="pix")
    for event in PackageEvent.select().where(PackageEvent.package == package.id):
        assert (event.user_id, event.operator) == (me.id, "Rita Recepção")
    for payment in Payment.select():
        assert (payment.user_id, payment.operator) == (me.id, "Rita Recepção")
    boss = as_role("administrador")
    packages.edit_package(package, notes="combinado")
    [change] = audit.entries(action=audit.PACKAGE_CHANGE)
    assert (change.user_id, change.user_name) == (boss.id, "Ana Admin")
    assert change.detail == (
        f"Pacote No. {package.number} (paciente #{patient.id}): "
        "Pacote alterado: observações: combinado,"
    )


def test_the_hash_never_leaves_the_users_table(staff, caplog, tmp_path):
    """No row, no log line, no export holds the hash or the password."""
    from r3izzy_desktop.core.reports import data_sheets

    caplog.set_level(logging.DEBUG)
    me = users.login("ana", PASSWORD)
    stored = User.get(User.login == "ana").password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    rows = [me, users.current_user(), *users.list_users()]
    for row in rows:
        values = dataclasses.asdict(row)
        assert "password_hash" not in values and "password" not in values
        assert stored not in repr(row) and PASSWORD not in repr(row)
    users.reset_password(rows[-1], "outra-senha")
    with pytest.raises(NotAllowed):
        users.login("rita", PASSWORD)
    users.login("ana", PASSWORD)
    patient = clinic.add_patient("Ana Souza")
    workbook = data_sheets.audit_xlsx(tmp_path / "a.xlsx")
    data = data_sheets.patient_data_xlsx(patient, tmp_path / "p.xlsx")
    texts = [caplog.text, *(str(e) for e in audit.entries())]
    for path in (workbook, data):
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        texts += [str(c) for s in book.worksheets for r in s.iter_rows(values_only=True) for c in r]
    for secret in (PASSWORD, "outra-senha", stored, "$argon2"):
        assert not any(secret in text for text in texts), secret


def test_change_own_password(staff):
    users.login("rita", PASSWORD)
    with pytest.raises(NotAllowed, match="senha atual"):
        users.change_own_password("errada", "nova-senha")
    users.change_own_password(PASSWORD, "nova-senha")
    users.logout()
    assert users.login("rita", "nova-senha").login == "rita"


def test_unlock_takes_the_same_users_password(staff):
    with pytest.raises(NotAllowed):
        users.unlock(PASSWORD)  # nobody logged in
    users.login("rita", PASSWORD)
    with pytest.raises(NotAllowed):
        users.unlock("errada")
    assert users.unlock(PASSWORD).login == "rita"
