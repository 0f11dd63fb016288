"""Users in tests (R23): a cheap argon2id hasher (the real one takes tenths of a second per
hash, by design) and the clinic's three users."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type

from r3izzy_desktop.core import users
from r3izzy_desktop.core.users import passwords

PASSWORD = "senha-boa"
STAFF = {"administrador": "ana", "recepção": "rita", "financeiro": "fabio"}
NAMES = {"ana": "Ana Admin", "rita": "Rita Recepção", "fabio": "Fábio Financeiro"}


@pytest.fixture
def cheap_hasher(monkeypatch):
    monkeypatch.setattr(
        passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)
    )
    monkeypatch.setattr(passwords, "_DUMMY", None)
    yield
    users.logout()


def add_staff() -> dict[str, str]:
    """The administrator (first), a receptionist and a financeiro; nobody logged in after."""
    users.add_user(NAMES["ana"], login="ana", password=PASSWORD, role="administrador")
    users.login("ana", PASSWORD)
    users.add_user(NAMES["rita"], login="rita", password=PASSWORD, role="recepção")
    users.add_user(NAMES["fabio"], login="fabio", password=PASSWORD, role="financeiro")
    users.logout()
    return dict(STAFF)


def log_in_as(role: str):
    users.logout()
    return users.login(STAFF[role], PASSWORD)
