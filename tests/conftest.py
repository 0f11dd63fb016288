"""Test setup shared by every suite: headless Qt, and no file outside temporary folders."""

import os
import tempfile

# Before anything imports Qt: render offscreen, never on a real display.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Logs, backups and default databases go to a throwaway folder, never the user's.
os.environ.setdefault("R3IZZY_DATA_DIR", tempfile.mkdtemp(prefix="r3izzy-tests-"))
os.environ.pop("R3IZZY_DB", None)


# No test reaches the system's credential store: an empty one in memory for each test.
import keyring
import pytest

from tests.helpers.fake_keyring import MemoryKeyring


@pytest.fixture(autouse=True)
def memory_keyring():
    previous = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(previous)
