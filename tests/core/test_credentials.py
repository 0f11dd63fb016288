"""The server password in the credential store (a fake one in memory: tests/conftest.py),
and what happens on a system without one."""

from __future__ import annotations

import sys

import keyring
import pytest
from keyring.backends import fail

from r3izzy_desktop.core import credentials

URL = "postgresql://clinica:s%40gr%3Ddo@192.168.0.10:5432/r3izzy?connect_timeout=5"
BARE = "postgresql://clinica@192.168.0.10:5432/r3izzy?connect_timeout=5"


def test_the_password_comes_out_of_the_url_and_back():
    assert credentials.split_password(URL) == (BARE, "s@gr=do")
    assert credentials.with_password(BARE, "s@gr=do") == URL
    assert credentials.with_password(URL, "outra").startswith("postgresql://clinica:outra@")
    assert credentials.split_password("/pasta/clinica.db") == ("/pasta/clinica.db", "")
    assert credentials.split_password("postgresql://clinica@srv/r3izzy")[1] == ""


def test_the_store_keeps_it_under_the_url_without_it(memory_keyring):
    assert credentials.store_available()
    assert credentials.save_password(URL)
    assert memory_keyring.kept == {(credentials.SERVICE, BARE): "s@gr=do"}
    assert credentials.stored_password(BARE) == "s@gr=do"
    assert credentials.completed(BARE) == URL
    credentials.forget_password(URL)
    assert credentials.stored_password(BARE) is None and credentials.completed(BARE) == BARE


def test_without_a_store_nothing_is_kept():
    keyring.set_keyring(fail.Keyring())
    assert not credentials.store_available()
    assert not credentials.save_password(URL)
    assert credentials.stored_password(BARE) is None
    assert credentials.completed(BARE) == BARE


def test_on_windows_the_store_is_named_not_searched_for(monkeypatch):
    """keyring, left to choose, imports and weighs every backend it knows at its first use
    (most of 100 ms of a start on a server); on Windows the app names the Credential
    Manager through keyring's own setting, and keeps one someone configured there."""
    monkeypatch.setattr(credentials.sys, "platform", "win32")
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    credentials._keyring()
    assert credentials.os.environ["PYTHON_KEYRING_BACKEND"] == credentials.WINDOWS_STORE
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    credentials._keyring()
    assert credentials.os.environ["PYTHON_KEYRING_BACKEND"] == "keyring.backends.null.Keyring"


@pytest.mark.skipif(sys.platform != "win32", reason="the Credential Manager is Windows'")
def test_the_windows_store_is_found_without_weighing_every_backend(monkeypatch):
    from keyring import backend, core
    from keyring.backends.Windows import WinVaultKeyring

    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(core, "_keyring_backend", None)  # as at a fresh start
    monkeypatch.setattr(backend, "get_all_keyring", lambda: pytest.fail("searched"))
    assert credentials.store_available()
    assert isinstance(keyring.get_keyring(), WinVaultKeyring)
