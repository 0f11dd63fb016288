"""`python -m r3izzy_desktop screenshots OUTDIR`: every screen and dialog of the patients
and packages area, written as PNG over a fresh demo clinic."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel

from r3izzy_desktop import cli
from r3izzy_desktop.core.database import close_database
from r3izzy_desktop.ui.common import shots
from r3izzy_desktop.ui.shell import screenshots

OURS = [
    "patients.png",
    "patient_page.png",
    "package_list.png",
    "package_form.png",
    "package_history.png",
    "pay_sessions.png",
    "price_adjustment.png",
    "not_enough_sessions.png",
    "paid_sessions.png",
    "settings.png",
    # Package terms (R15-R17) and the package defaults.
    "package_list_shared.png",
    "package_form_terms.png",
    "package_transfer.png",
    "settings_packages.png",
]


@pytest.fixture
def demo_clinic_closed_after():
    yield
    close_database()


def test_registry_collects_shots_from_the_listed_modules(monkeypatch):
    assert set(OURS) <= set(screenshots.registered())
    monkeypatch.setattr(shots, "_SHOTS", {})

    @shots.shot("mine.png")
    def mine(ctx):
        return QLabel("x")

    assert screenshots.registered()["mine.png"] is mine


def test_screenshots_command_writes_every_file(qtbot, tmp_path, capsys, demo_clinic_closed_after):
    assert cli.main(["screenshots", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.split()
    for name in OURS:
        path = tmp_path / name
        assert str(path) in printed
        image = QImage(str(path))
        assert not image.isNull(), name
        assert image.width() >= 400 and image.height() >= 150, name
    window_shots = [
        QImage(str(tmp_path / n)).size().toTuple() for n in ("patients.png", "settings.png")
    ]
    assert window_shots == [screenshots.WINDOW_SIZE] * 2
    assert not (tmp_path / ".qsettings").exists()


def test_one_shot_by_name(qtbot, tmp_path, demo_clinic_closed_after):
    written = screenshots.run(tmp_path, names=["package_form.png"])
    assert written == [tmp_path / "package_form.png"]
    assert not QImage(str(written[0])).isNull()
