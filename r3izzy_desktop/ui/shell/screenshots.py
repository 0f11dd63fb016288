"""`python -m r3izzy_desktop screenshots OUTDIR`: every screen and dialog, rendered
offscreen over a fresh demo clinic, saved as PNG.

Each area keeps its own shots in its own module, listed in `SHOT_MODULES`, with the
`@shot("name.png")` decorator of common/shots.py. A shot function receives a
`ShotContext` (the app, the main window, demo-data helpers) and returns the widget to
grab: a page of the main window (return the window) or a dialog (shown, never exec()'d).
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from ..common.shots import ShotContext, ShotFunction, registered_shots

log = logging.getLogger(__name__)

# Modules whose import registers shots; add yours here.
SHOT_MODULES: list[str] = [
    "r3izzy_desktop.ui.patients.shots",
    "r3izzy_desktop.ui.packages.shots",
    "r3izzy_desktop.ui.settings.shots",
    "r3izzy_desktop.ui.finance.shots",
    "r3izzy_desktop.ui.agenda.shots",
    "r3izzy_desktop.ui.shell.shots",
]

# A reception PC's screen (the most common): the window fills it, dialogs fit in it.
WINDOW_SIZE = (1366, 768)


def registered() -> dict[str, ShotFunction]:
    for module in SHOT_MODULES:
        importlib.import_module(module)
    return registered_shots()


def run(outdir: str | Path, names: Iterable[str] | None = None) -> list[Path]:
    """Render the shots (all, or those in `names`) into `outdir` over a fresh demo clinic.

    Renders offscreen (unless QT_QPA_PLATFORM says otherwise before Qt starts); touches
    neither the user's database nor the saved window geometry.
    """
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    _offscreen_screen(out, *WINDOW_SIZE)
    if sys.platform == "win32":  # offscreen, Qt on Windows reads fonts only from here
        os.environ.setdefault("QT_QPA_FONTDIR", os.path.join(os.environ["WINDIR"], "Fonts"))
    from PySide6.QtCore import QSettings

    from .app import create_application, demo_database
    from .main_window import MainWindow

    app = create_application()
    previous_handler = qInstallMessageHandler(_quiet_offscreen)
    # Window geometry and other preferences go to a throwaway place, not the user's.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(out / ".qsettings")
    )
    demo_database()
    window = MainWindow(subtitle="demonstração")
    window.resize(*WINDOW_SIZE)
    window.show()
    context = ShotContext(app=app, window=window, outdir=out)
    context.settle()
    shots = registered()
    wanted = list(names) if names is not None else list(shots)
    written = []
    for name in wanted:
        widget = shots[name](context)
        context.settle()
        path = out / name
        if not widget.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        written.append(path)
        log.info("screenshot %s", path)
        context.close_opened()
    window.hide()
    window.deleteLater()
    context.settle()
    _remove_settings_folder(out / ".qsettings")
    (out / ".screen.json").unlink(missing_ok=True)
    qInstallMessageHandler(previous_handler)
    return written


def _offscreen_screen(folder: Path, width: int, height: int) -> None:
    """Before Qt starts: render offscreen on a screen of width×height (Qt's offscreen
    screen is 800×600 otherwise, and dialogs fit in the screen they open on)."""
    from PySide6.QtWidgets import QApplication

    platform = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    if platform != "offscreen" or QApplication.instance() is not None:
        return
    config = folder / ".screen.json"
    screen = {"name": "shots", "x": 0, "y": 0, "width": width, "height": height}
    screen.update(logicalDpi=96, logicalBaseDpi=96, dpr=1)
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def _quiet_offscreen(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Drop the offscreen platform's notice about window size hints; log the rest."""
    if "propagateSizeHints" in message:
        return
    level = logging.WARNING if kind != QtMsgType.QtDebugMsg else logging.DEBUG
    log.log(level, "Qt: %s", message)


def _remove_settings_folder(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
