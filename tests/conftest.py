"""Test setup shared by every suite: headless Qt, and no file outside temporary folders."""

import os
import sys
import tempfile

# Before anything imports Qt: render offscreen, never on a real display.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
if sys.platform == "win32":
    # Offscreen on Windows, Qt reads fonts only from QT_QPA_FONTDIR (without it the receipt
    # PDF has no text). Set here: Wine drops the QT_* variables the host passes it.
    os.environ.setdefault("QT_QPA_FONTDIR", os.path.join(os.environ["WINDIR"], "Fonts"))
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


def pytest_terminal_summary(terminalreporter):
    from tests.helpers.figures import lines

    found = lines()
    if found:
        terminalreporter.section("Reliability figures")
        for line in found:
            terminalreporter.write_line(line)
