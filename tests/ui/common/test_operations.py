"""`run_op`: a core operation run from a screen in one line. A refusal (DomainError) is
shown in its own words and nothing else happens; success hands the result on."""

from __future__ import annotations

from decimal import Decimal

import pytest

from r3izzy_desktop.core import clinic, packages
from r3izzy_desktop.core.errors import ValidationError
from r3izzy_desktop.ui.common.operations import run_op


def test_success_gives_the_value_and_calls_done(db, dialogs):
    seen = []
    result = run_op(None, lambda: clinic.add_patient("Ana Souza"), done=seen.append)
    assert result and result.ok and result.error is None
    assert result.value.name == "Ana Souza"
    assert seen == [result.value]
    assert dialogs.told == []


def test_a_refusal_is_shown_as_it_is_and_done_is_not_called(db, dialogs):
    patient = clinic.add_patient("Ana Souza")
    seen = []
    result = run_op(
        None,
        lambda: packages.create_package(patient, sessions=0, total=Decimal("100.00")),
        title="Não foi possível criar",
        done=seen.append,
    )
    assert not result and isinstance(result.error, ValidationError)
    assert result.value is None and seen == []
    assert dialogs.told == [("Não foi possível criar", str(result.error))]
    assert packages.list_packages(patient) == []


def test_failed_replaces_the_message(db, dialogs):
    handled = []
    result = run_op(None, lambda: clinic.get_patient(999), failed=handled.append)
    assert not result and handled == [result.error]
    assert dialogs.told == []


def test_a_bug_is_not_hidden(db):
    def broken():
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        run_op(None, broken)
