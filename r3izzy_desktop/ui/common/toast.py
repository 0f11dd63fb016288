"""A short confirmation after an action that changes money or the agenda ("Sessão
agendada.", "Pagamento registrado."): never a modal to dismiss (issue 15).

`notify(widget, text)` shows it in the main window's status bar (the main window is found
from `widget` up its parents, or among the application's windows, since a dialog's parent
chain may end at the dialog); without a main window (a screen tested alone) a small
non-modal toast label appears at the bottom of `widget`'s window and fades by itself.
`last_message()` is what was said last (for tests and the screen reader's log).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

SHOWN_MS = 6000

_last: list[str] = []


def _main_window(widget: QWidget | None) -> QMainWindow | None:
    current = widget
    while current is not None:
        if isinstance(current, QMainWindow):
            return current
        current = current.parentWidget()
    app = QApplication.instance()
    if app is None:
        return None
    windows = [w for w in app.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
    return windows[0] if len(windows) == 1 else None


def notify(widget: QWidget | None, text: str) -> None:
    """Tell the user briefly that `text` happened; never blocks, never needs a click."""
    _last.append(text)
    del _last[:-20]
    window = _main_window(widget)
    if window is not None:
        window.statusBar().showMessage(text, SHOWN_MS)
        return
    host = widget.window() if widget is not None else None
    if host is None or not host.isVisible():
        return
    toast = QLabel(text, host)
    toast.setObjectName("toast")
    toast.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    toast.setWordWrap(True)
    toast.setMaximumWidth(max(200, host.width() - 40))
    toast.setStyleSheet(
        "QLabel#toast { background: #2b2f36; color: white; border-radius: 6px; padding: 8px 14px; }"
    )
    toast.adjustSize()
    toast.move((host.width() - toast.width()) // 2, host.height() - toast.height() - 16)
    toast.show()
    toast.raise_()
    QTimer.singleShot(SHOWN_MS, toast.deleteLater)


def last_message() -> str:
    """The last confirmation shown ("" when none yet)."""
    return _last[-1] if _last else ""


__all__ = ["last_message", "notify"]
