"""The settings file at each start: written when the database in use changed (a first
start, another database), never rewritten when it is the same as at the last start (a
reception PC's disk, scanned by its antivirus at each write)."""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings

from r3izzy_desktop.ui.common import profiles


def settings_file() -> os.stat_result:
    settings = QSettings()
    settings.sync()
    return os.stat(settings.fileName())


def test_the_same_database_as_last_time_writes_nothing(tmp_path):
    path = str(tmp_path / "clinica.db")
    profiles.remember_url(path)
    profiles.move_plain_passwords()
    before = settings_file()
    profiles.move_plain_passwords()
    profiles.remember_url(path)
    after = settings_file()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino,
        before.st_mtime_ns,
        before.st_size,
    )
    assert profiles.remembered_url() == path and profiles.known_urls() == [path]


def test_another_database_is_remembered_and_the_first_kept(tmp_path):
    first, second = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    profiles.remember_url(first)
    profiles.remember_url(second)
    assert profiles.remembered_url() == second
    assert profiles.known_urls() == [first, second]
    profiles.remember_url(first)
    assert profiles.remembered_url() == first
    assert profiles.known_urls() == [first, second]
