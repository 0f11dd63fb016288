"""Users tests: a cheap argon2id hasher (the real one takes a few tenths of a second per
hash, by design), and helpers to log in as each role."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type

from r3izzy_desktop.core import users
from r3izzy_desktop.core.users import passwords

PASSWORD = "senha-boa"


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch):
    monkeypatch.setattr(
        passwords,
        "HASHER",
        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID),
    )
    monkeypatch.setattr(passwords, "_DUMMY", None)
    yield
    users.logout()


@pytest.fixture
def staff(db):
    """An administrator (the first user), a receptionist and a financeiro; nobody logged in.
    Returns {role: login}."""
    users.add_user("Ana Admin", login="ana", password=PASSWORD, role="administrador")
    users.login("ana", PASSWORD)
    users.add_user("Rita Recepção", login="rita", password=PASSWORD, role="recepção")
    users.add_user("Fábio Financeiro", login="fabio", password=PASSWORD, role="financeiro")
    users.logout()
    return {"administrador": "ana", "recepção": "rita", "financeiro": "fabio"}


@pytest.fixture
def as_role(staff):
    """as_role(role): log in as that role's user."""

    def log_in(role: str):
        users.logout()
        return users.login(staff[role], PASSWORD)

    return log_in
