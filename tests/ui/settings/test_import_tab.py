"""Configurações › Importar (R24): choose a file, the preview (errors in red, counts at the
top), reload after fixing the file, Importar only when something can be imported, the
import off the UI thread, the model spreadsheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from r3izzy_desktop.core import clinic
from r3izzy_desktop.core.store.models import Patient
from r3izzy_desktop.ui.common import exports
from r3izzy_desktop.ui.settings import import_tab
from r3izzy_desktop.ui.settings.import_tab import ERROR_COLOR, ImportTab

HEADER = "Nome;CPF;Data de nascimento\n"
GOOD = HEADER + "Ana Souza;529.982.247-25;03/07/2015\nBruno Lima;;15/01/1990\n"
BAD = GOOD + "Carla;111;\n"


@pytest.fixture(autouse=True)
def data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("R3IZZY_DATA_DIR", str(tmp_path / "dados"))


@pytest.fixture
def tab(qtbot, db):
    widget = ImportTab()
    qtbot.addWidget(widget)
    widget.resize(1100, 640)
    widget.show()
    yield widget
    if widget.task is not None:
        widget.task.wait()


def idle(qtbot, tab):
    qtbot.waitUntil(lambda: not tab.busy(), timeout=20_000)
    qtbot.wait(20)


def choose(monkeypatch, qtbot, tab, path: Path):
    monkeypatch.setattr(import_tab, "choose_file", lambda parent, folder: path)
    qtbot.mouseClick(tab.choose_button, Qt.MouseButton.LeftButton)
    idle(qtbot, tab)


def test_preview_with_errors_in_red_then_fix_and_import(
    qtbot, tab, tmp_path, monkeypatch, dialogs, qtmodeltester
):
    sheet = tmp_path / "pacientes.csv"
    sheet.write_text(BAD, encoding="utf-8")
    assert not tab.import_button.isEnabled()
    choose(monkeypatch, qtbot, tab, sheet)
    assert tab.model.rowCount() == 3
    qtmodeltester.check(tab.model)
    assert tab.counts.text() == "2 pacientes a importar, 0 ignorados, 1 com erro."
    error = tab.model.index(2, 3)
    assert "CPF inválido" in error.data()
    assert error.data(Qt.ItemDataRole.ForegroundRole).color() == QColor(ERROR_COLOR)
    assert tab.import_button.isEnabled()

    sheet.write_text(GOOD, encoding="utf-8")  # fixed in the spreadsheet program
    qtbot.mouseClick(tab.reload_button, Qt.MouseButton.LeftButton)
    idle(qtbot, tab)
    assert tab.counts.text() == "2 pacientes a importar, 0 ignorados, 0 com erro."

    dialogs.answers.append(True)
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    idle(qtbot, tab)
    assert Patient.select().count() == 2
    assert dialogs.told[0][0] == "Importação concluída"
    assert "antes-de-importar" in dialogs.told[0][1]
    # reloaded: everything is there now, nothing left to import
    assert tab.counts.text() == "0 pacientes a importar, 2 ignorados, 0 com erro."
    assert not tab.import_button.isEnabled()


def test_cancelled_confirmation_writes_nothing(qtbot, tab, tmp_path, monkeypatch, dialogs):
    sheet = tmp_path / "p.csv"
    sheet.write_text(GOOD, encoding="utf-8")
    choose(monkeypatch, qtbot, tab, sheet)
    dialogs.answers.append(False)
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    idle(qtbot, tab)
    assert Patient.select().count() == 0


def test_a_bad_file_is_told_in_words(qtbot, tab, tmp_path, monkeypatch, dialogs):
    clinic.add_patient("Ana Souza")
    sheet = tmp_path / "foto.xlsx"
    sheet.write_bytes(b"\x89PNG nada")
    choose(monkeypatch, qtbot, tab, sheet)
    assert dialogs.told and "não é uma planilha" in dialogs.told[0][1]
    assert tab.model.rowCount() == 0 and not tab.import_button.isEnabled()


def test_packages_preview_and_the_model_spreadsheet(qtbot, tab, tmp_path, monkeypatch, dialogs):
    clinic.add_patient("Ana Souza", cpf="52998224725")
    tab.kind.setCurrentIndex(1)
    target = tmp_path / "modelo.xlsx"
    monkeypatch.setattr(exports, "ask_save_path", lambda parent, name, **kw: target)
    qtbot.mouseClick(tab.model_button, Qt.MouseButton.LeftButton)
    assert target.exists() and dialogs.told[-1][0] == "Planilha modelo"
    choose(monkeypatch, qtbot, tab, target)
    assert tab.counts.text() == "2 pacotes a importar, 0 ignorados, 0 com erro."
    tab.grab().save(str(tmp_path / "importar.png"))
