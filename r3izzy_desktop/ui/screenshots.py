"""`python -m r3izzy_desktop screenshots OUTDIR`: every screen and dialog, rendered
offscreen over a fresh demo clinic, saved as PNG.

A small registry: each area keeps its own shots in its own module, listed in
`SHOT_MODULES`, with the `@shot("name.png")` decorator. A shot function receives a
`ShotContext` (the app, the main window, demo-data helpers) and returns the widget to
grab: a page of the main window (return the window) or a dialog (shown, never exec()'d).

    from r3izzy_desktop.ui.screenshots import ShotContext, shot

    @shot("agenda.png")
    def agenda(ctx: ShotContext):
        ctx.show_page("agenda")
        return ctx.window
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QDialog, QWidget

log = logging.getLogger(__name__)

# Modules whose import registers shots; add yours here.
SHOT_MODULES: list[str] = [
    "r3izzy_desktop.ui.patients.shots",
    "r3izzy_desktop.ui.packages.shots",
    "r3izzy_desktop.ui.settings.shots",
    "r3izzy_desktop.ui.finance.shots",
    "r3izzy_desktop.ui.agenda.shots",
]

WINDOW_SIZE = (1280, 800)

ShotFunction = Callable[["ShotContext"], QWidget]
_SHOTS: dict[str, ShotFunction] = {}


def shot(name: str) -> Callable[[ShotFunction], ShotFunction]:
    """Register a shot saved as `name` (e.g. "patients.png")."""

    def register(function: ShotFunction) -> ShotFunction:
        _SHOTS[name] = function
        return function

    return register


def registered() -> dict[str, ShotFunction]:
    for module in SHOT_MODULES:
        importlib.import_module(module)
    return dict(_SHOTS)


@dataclass
class ShotContext:
    app: QApplication
    window: QWidget  # the MainWindow
    outdir: Path
    opened: list[QWidget] = field(default_factory=list)

    def settle(self, rounds: int = 3) -> None:
        """Let Qt lay out and paint what was just shown."""
        for _ in range(rounds):
            self.app.processEvents()

    def show_page(self, key: str) -> QWidget:
        page = self.window.show_page(key)
        self.settle()
        return page

    def dialog(self, dialog: QDialog) -> QDialog:
        """Show a dialog without exec() (nothing blocks); it is closed after the grab."""
        dialog.show()
        self.opened.append(dialog)
        self.settle()
        # The offscreen screen is 800x600, so Qt caps a window's width at two thirds of it;
        # give the dialog the size it would take on a real screen.
        hint = dialog.sizeHint()
        width = max(dialog.width(), hint.width())
        layout = dialog.layout()
        height = hint.height()
        if layout is not None and layout.hasHeightForWidth():
            height = layout.totalHeightForWidth(width)
        dialog.resize(width, max(dialog.height(), height))
        self.settle()
        return dialog

    def close_opened(self) -> None:
        for widget in self.opened:
            widget.hide()
            widget.deleteLater()
        self.opened.clear()
        self.settle()


def run(outdir: str | Path, names: Iterable[str] | None = None) -> list[Path]:
    """Render the shots (all, or those in `names`) into `outdir` over a fresh demo clinic.

    Renders offscreen (unless QT_QPA_PLATFORM says otherwise before Qt starts); touches
    neither the user's database nor the saved window geometry.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if sys.platform == "win32":  # offscreen, Qt on Windows reads fonts only from here
        os.environ.setdefault("QT_QPA_FONTDIR", os.path.join(os.environ["WINDIR"], "Fonts"))
    from PySide6.QtCore import QSettings

    from .app import create_application, demo_database
    from .main_window import MainWindow

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
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
    qInstallMessageHandler(previous_handler)
    return written


def _quiet_offscreen(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Drop the offscreen platform's notice about window size hints; log the rest."""
    if "propagateSizeHints" in message:
        return
    level = logging.WARNING if kind != QtMsgType.QtDebugMsg else logging.DEBUG
    log.log(level, "Qt: %s", message)


def _remove_settings_folder(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
