"""`users.window_start`: what a new main window asks (its pages' permissions, the
first-run question, the lock minutes, whether any patient is registered) in one
statement, answering exactly as the questions asked one by one."""

from __future__ import annotations

import pytest

from r3izzy_desktop.core import clinic, users
from tests.helpers.statements import counting

from .conftest import PASSWORD

ASKED = ("view.finance", "view.settings")


def one_by_one() -> users.WindowStart:
    return users.WindowStart(
        allowed=users.can_each(*ASKED),
        first_run_question=users.first_run_question(),
        lock_minutes=users.lock_minutes(),
        has_patients=clinic.has_patients(),
    )


def test_a_new_database_asks_the_first_run_question(db, monkeypatch):
    with counting(monkeypatch)() as sent:
        start = users.window_start(*ASKED)
    assert len(sent) == 1
    assert start == one_by_one()
    assert start.first_run_question and not start.has_patients
    assert start.allowed == {"view.finance": True, "view.settings": True}
    assert start.lock_minutes == users.DEFAULT_LOCK_MINUTES


@pytest.mark.parametrize(
    "stored, minutes", [("7", 7), ("0", 10), ("241", 10), ("dez", 10), ("240", 240)]
)
def test_the_lock_minutes_as_lock_minutes_reads_them(db, stored, minutes):
    clinic.set_setting(users.LOCK_MINUTES_KEY, stored)
    assert users.window_start().lock_minutes == minutes == users.lock_minutes()


def test_usar_sem_login_or_a_patient_ends_the_first_run_question(db):
    clinic.set_setting(users.LOGIN_MODE_KEY, users.NO_LOGIN)
    assert users.window_start(*ASKED) == one_by_one()
    assert not users.window_start().first_run_question
    clinic.set_setting(users.LOGIN_MODE_KEY, "")
    assert users.window_start().first_run_question
    clinic.add_patient("Ana Souza")
    start = users.window_start(*ASKED)
    assert start == one_by_one()
    assert start.has_patients and not start.first_run_question


@pytest.mark.parametrize("role", ["administrador", "recepção", "financeiro"])
def test_with_users_the_role_decides(as_role, role):
    as_role(role)
    start = users.window_start(*ASKED)
    assert start == one_by_one()
    assert not start.first_run_question
    assert start.allowed == {name: users.can(name) for name in ASKED}


def test_with_users_and_nobody_logged_in_nothing_is_offered(staff):
    users.logout()
    start = users.window_start(*ASKED)
    assert start.allowed == {"view.finance": False, "view.settings": False}
    assert start == one_by_one()
    users.login(staff["administrador"], PASSWORD)
    assert users.window_start(*ASKED).allowed == {"view.finance": True, "view.settings": True}
