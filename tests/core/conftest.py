"""Core tests: no Qt. Each test gets a fresh, empty database."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from r3izzy_desktop.core import agenda, clinic, packages
from r3izzy_desktop.core.database import close_database, open_database


@pytest.fixture
def db():
    """A fresh in-memory database, bound to the models for the duration of the test."""
    database = open_database(":memory:")
    yield database
    close_database()


@pytest.fixture
def patient(db):
    return clinic.add_patient("Ana Souza")


@pytest.fixture
def service(db):
    return clinic.add_service("Método Bobath", price=Decimal("250.00"), duration_min=50)


@pytest.fixture
def make_session(patient, service):
    """make_session(day, hour, minute=0, **kw) -> a session of `patient` in April 2025."""

    def make(day: int, hour: int, minute: int = 0, *, month: int = 4, **kwargs):
        who = kwargs.pop("patient", patient)
        return agenda.schedule(who, service, datetime(2025, month, day, hour, minute), **kwargs)

    return make


PAID_ON = date(2025, 5, 2)


@pytest.fixture
def other_patient(db):
    return clinic.add_patient("Bruno Lima")


@pytest.fixture
def make_package(patient):
    """make_package(sessions=4, total="1000.00", paid_on=PAID_ON, **kw) -> a new package."""

    def make(sessions=4, total="1000.00", paid_on=PAID_ON, *, who=None, **kwargs):
        return packages.create_package(
            who or patient, sessions=sessions, total=Decimal(total), paid_on=paid_on, **kwargs
        )

    return make
