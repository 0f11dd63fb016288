"""What a screenshot is (`@shot("name.png")` and the `ShotContext` it receives): each
area keeps its own shots in its own `shots.py`; the shell's screenshots.py renders them.

    from r3izzy_desktop.ui.common.shots import ShotContext, shot

    @shot("agenda.png")
    def agenda(ctx: ShotContext):
        ctx.show_page("agenda")
        return ctx.window
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from .fit import fit_to_screen

ShotFunction = Callable[["ShotContext"], QWidget]
_SHOTS: dict[str, ShotFunction] = {}


def shot(name: str) -> Callable[[ShotFunction], ShotFunction]:
    """Register a shot saved as `name` (e.g. "patients.png")."""

    def register(function: ShotFunction) -> ShotFunction:
        _SHOTS[name] = function
        return function

    return register


def registered_shots() -> dict[str, ShotFunction]:
    """The shots registered so far (by the modules imported)."""
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
        # The size it would take on its own, inside the screen (the real-window check and
        # the README's shots are on a 1366×768 screen).
        hint = dialog.sizeHint()
        width = max(dialog.width(), hint.width())
        layout = dialog.layout()
        height = hint.height()
        if layout is not None and layout.hasHeightForWidth():
            height = layout.totalHeightForWidth(width)
        fit_to_screen(dialog, (width, max(dialog.height(), height)))
        self.settle()
        return dialog

    def close_opened(self) -> None:
        for widget in self.opened:
            widget.hide()
            widget.deleteLater()
        self.opened.clear()
        self.settle()
