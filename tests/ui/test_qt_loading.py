"""PySide's question "does this module use PySide6?", asked of every module imported after
Qt, answered from the file's bytes (ui/qt_loading.py) exactly as PySide answers it."""

from __future__ import annotations

import importlib
import sys
import types

import r3izzy_desktop.ui  # noqa: F401 - installs the cheaper check
from r3izzy_desktop.ui import qt_loading


def _check():
    return sys.modules["shibokensupport.feature"]._mod_uses_pyside


def test_loading_the_screens_installs_the_cheaper_check():
    check = _check()
    assert getattr(check, qt_loading._MARK, False)
    assert qt_loading.install() is True  # once: installing again keeps it
    assert _check() is check


def test_it_answers_as_pyside_does():
    check = _check()
    original = check.__wrapped__
    for name in (
        "r3izzy_desktop.ui.shell.app",  # imports PySide6
        "r3izzy_desktop.ui.qt_loading",  # names "PySide6" in its text only
        "r3izzy_desktop.core.packages",  # plain Python
        "json",
        "sys",  # built in: no file
    ):
        module = importlib.import_module(name)
        assert check(module) is original(module), name
    assert check(importlib.import_module("r3izzy_desktop.ui.shell.app")) is True
    assert check(importlib.import_module("r3izzy_desktop.core.packages")) is False


def test_a_module_whose_file_is_gone_gets_pyside_own_answer(tmp_path):
    gone = types.ModuleType("r3izzy_gone")
    gone.__file__ = str(tmp_path / "gone.py")
    assert _check()(gone) is False


def test_a_module_without_a_source_file_is_left_to_pyside(tmp_path):
    frozen = types.ModuleType("r3izzy_frozen")
    frozen.__file__ = str(tmp_path / "frozen.pyc")
    (tmp_path / "frozen.pyc").write_bytes(b"PySide6")  # bytes a source check must not read
    assert _check()(frozen) is False
