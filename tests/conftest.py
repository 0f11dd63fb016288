"""Test setup shared by every suite: headless Qt, and no file outside temporary folders."""

import os
import tempfile

# Before anything imports Qt: render offscreen, never on a real display.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Logs, backups and default databases go to a throwaway folder, never the user's.
os.environ.setdefault("R3IZZY_DATA_DIR", tempfile.mkdtemp(prefix="r3izzy-tests-"))
os.environ.pop("R3IZZY_DB", None)


def pytest_terminal_summary(terminalreporter):
    from tests.helpers.figures import lines

    found = lines()
    if found:
        terminalreporter.section("Reliability figures")
        for line in found:
            terminalreporter.write_line(line)
