"""Configurações › Backups: a backup now into a chosen file, the list of automatic
backups, and restoring one (checked, confirmed, the current database backed up first)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from r3izzy_desktop.core import backup, clinic
from r3izzy_desktop.core.backup import BEFORE_RESTORE
from r3izzy_desktop.ui.settings import backup_dialogs
from r3izzy_desktop.ui.settings import backup_tab as settings_backup
from r3izzy_desktop.ui.settings.backup_tab import BackupsSection


@pytest.fixture(autouse=True)
def data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("R3IZZY_DATA_DIR", str(tmp_path / "dados"))


@pytest.fixture
def section(qtbot, db):
    widget = BackupsSection()
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    if widget.task is not None:
        widget.task.wait()


def wait_idle(qtbot, section) -> None:
    qtbot.waitUntil(lambda: not section.busy() and not section.progress.isVisible(), timeout=10_000)


def test_backup_now_into_a_chosen_file(qtbot, section, tmp_path, monkeypatch, dialogs, patient):
    target = tmp_path / "pendrive" / "copia"
    asked = []
    monkeypatch.setattr(
        backup_dialogs,
        "choose_backup_target",
        lambda parent, suggested: asked.append(suggested) or target,
    )
    qtbot.mouseClick(section.backup_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, section)

    written = target.with_suffix(".db")
    assert backup.validate(written).patients == 1
    assert asked[0].name.startswith("r3izzy-backup-")
    assert dialogs.told == [("Backup feito", f"O backup foi gravado em:\n{written}")]
    assert str(written) in section.status.text()


def test_cancelled_file_choice_does_nothing(qtbot, section, monkeypatch, dialogs):
    monkeypatch.setattr(backup_dialogs, "choose_backup_target", lambda *a: None)
    qtbot.mouseClick(section.backup_button, Qt.MouseButton.LeftButton)
    assert section.task is None and dialogs.told == []


def test_failed_backup_is_told_in_words(qtbot, section, tmp_path, monkeypatch, dialogs):
    blocker = tmp_path / "arquivo"
    blocker.write_text("x")
    monkeypatch.setattr(
        backup_dialogs, "choose_backup_target", lambda *a: blocker / "dentro" / "b.db"
    )
    qtbot.mouseClick(section.backup_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, section)
    assert dialogs.told[0][0] == "Não foi possível fazer o backup"
    assert "Não foi possível" in dialogs.told[0][1]


def test_lists_automatic_backups_newest_first(qtbot, section, qtmodeltester, db):
    backup.automatic_backup(backup.AT_START, now=datetime(2025, 6, 2, 8, 0))
    backup.automatic_backup(backup.AT_CLOSE, now=datetime(2025, 6, 3, 18, 30))
    section.refresh()
    qtmodeltester.check(section.model)
    model = section.model
    shown = [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    assert [row[:2] for row in shown] == [
        ["03/06/2025 18:30", "ao fechar"],
        ["02/06/2025 08:00", "início do dia"],
    ]
    assert shown[0][2].endswith("kB") or shown[0][2].endswith("MB")
    assert model.index(0, 2).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert str(backup.backups_dir()) in section.auto_text.text()
    assert not section.restore_button.isEnabled()  # nothing selected yet


def test_restore_selected_backup(qtbot, section, dialogs, patient):
    backup.automatic_backup(backup.AT_START, now=datetime(2025, 6, 2, 8, 0))
    clinic.add_patient("Bruno Depois")
    section.refresh()
    section.view.selectRow(0)
    assert section.restore_button.isEnabled()
    dialogs.answers = [True]
    qtbot.mouseClick(section.restore_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, section)

    title, text = dialogs.asked[0]
    assert title == "Restaurar backup" and "02/06/2025 08:00" in text
    assert "Ele tem 1 paciente," in text
    # The restore's message comes once its job finished (later on a slow or busy machine).
    qtbot.waitUntil(lambda: bool(dialogs.told), timeout=30000)
    assert dialogs.told[0][0] == "Backup restaurado"
    assert [p.name for p in clinic.find_patients("")] == ["Ana Souza"]
    assert any(b.reason == BEFORE_RESTORE for b in backup.list_backups())


def test_declined_restore_keeps_the_data(qtbot, section, dialogs, patient):
    backup.automatic_backup(backup.AT_START, now=datetime(2025, 6, 2, 8, 0))
    clinic.add_patient("Bruno Depois")
    section.refresh()
    section.view.selectRow(0)
    dialogs.answers = [False]
    qtbot.mouseClick(section.restore_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, section)
    assert len(clinic.find_patients("")) == 2
    assert dialogs.told == []


def test_restore_from_a_bad_file_is_refused(qtbot, section, tmp_path, monkeypatch, dialogs):
    bad = tmp_path / "fotos.db"
    bad.write_bytes(b"\x89PNG not a database")
    monkeypatch.setattr(backup_dialogs, "choose_backup_source", lambda *a: bad)
    qtbot.mouseClick(section.restore_file_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, section)
    assert dialogs.told[0][0] == "Não foi possível restaurar"
    assert "não é um backup válido" in dialogs.told[0][1]


def test_server_database_says_backups_are_on_the_server(qtbot, db, monkeypatch):
    monkeypatch.setattr(settings_backup, "is_postgres", lambda: True)
    widget = BackupsSection()
    qtbot.addWidget(widget)
    assert not widget.server_note.isHidden() and "pg_dump" in widget.server_note.text()
    assert not widget.backup_button.isEnabled()
    assert not widget.restore_file_button.isEnabled()


def test_backups_is_a_tab_of_configuracoes(qtbot, db):
    page_module = pytest.importorskip("r3izzy_desktop.ui.settings.page")
    page = page_module.SettingsPage()
    qtbot.addWidget(page)
    assert isinstance(page.tab("Backups"), BackupsSection)


def test_choose_backup_dialog(qtbot, db):
    made = backup.automatic_backup(backup.AT_START, now=datetime(2025, 6, 2, 8, 0))
    dialog = backup_dialogs.ChooseBackupDialog(backup.list_backups(), backup.backups_dir())
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.chosen == Path(made)


def test_closing_the_tab_during_a_backup_never_cuts_it_short(
    qtbot, db, tmp_path, monkeypatch, dialogs, patient
):
    """The backup belongs to no widget: the tab (or the window) going away meanwhile
    leaves it to finish (a thread owned by the tab would be destroyed mid-copy)."""
    import threading

    from r3izzy_desktop.ui.common import jobs

    target = tmp_path / "copia.db"
    release = threading.Event()
    real_backup_now = backup.backup_now

    def slow_backup_now(path, *args, **kwargs):
        release.wait(10)
        return real_backup_now(path, *args, **kwargs)

    monkeypatch.setattr(backup, "backup_now", slow_backup_now)
    monkeypatch.setattr(backup_dialogs, "choose_backup_target", lambda *a: target)
    widget = BackupsSection()
    widget.show()
    qtbot.mouseClick(widget.backup_button, Qt.MouseButton.LeftButton)
    assert widget.busy()
    widget.close()
    widget.deleteLater()
    qtbot.wait(50)  # the tab is gone (deferred delete ran) while the copy waits
    release.set()
    assert jobs.wait_for_all(10)
    assert backup.validate(target).patients == 1
