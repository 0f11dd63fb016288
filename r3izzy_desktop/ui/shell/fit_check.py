"""The real-window check: `python -m r3izzy_desktop.ui.shell.fit_check OUTDIR` opens the app
over a fresh demo clinic on the display it is given (a real X window: tests/ui/
test_real_window.py runs it under Xvfb at 1366×768 and 1024×600), opens every page, every
Configurações tab and every dialog of the screenshots (`ui.shell.screenshots`), and for
each one checks that

- every window, and every widget that shows, lies inside the screen's available area;
- no label's text (and no button's, check box's) is cut: a label without word wrap is as
  wide and as tall as its text, a wrapped one as tall as its lines at its width (a label
  that may elide says so with the `fit.MAY_ELIDE` property and a tooltip);
- no two fields, labels or buttons side by side in a layout overlap.

It saves what the screen shows (the whole screen, so a window cut by its edge shows cut)
as OUTDIR/<name>.png, prints one JSON line per problem found and exits 1 when there is
one (0 otherwise). First start: no saved window geometry, the main window sizes itself.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt, qInstallMessageHandler
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTextEdit,
    QWidget,
)

from ..common import fit
from ..common.fit import FRAME_ALLOWANCE, MAY_ELIDE

TEXT_WIDGETS = (QLabel, QPushButton, QCheckBox, QRadioButton)
FIELDS = (*TEXT_WIDGETS, QLineEdit, QComboBox, QPlainTextEdit, QTextEdit)
# From this window width on (a 1024-wide screen), no page scrolls sideways.
SIDEWAYS_FROM = 960
TASK_BAR = 40  # px at the bottom of a Windows screen
SLACK = 1  # rounding of fractional font metrics
_DIRECT = Qt.FindChildOption.FindDirectChildrenOnly


def describe(widget: QWidget) -> str:
    kind = type(widget).__name__
    text = getattr(widget, "text", None)
    words = text() if callable(text) else ""
    name = widget.objectName() or widget.accessibleName()
    return f"{kind}" + (f" {name!r}" if name else "") + (f" {words[:60]!r}" if words else "")


def shown_rect(widget: QWidget) -> QRect:
    """The part of `widget` that shows, in global coordinates: its rectangle cut by each
    ancestor's (a scroll area's viewport hides what is scrolled away)."""
    rect = QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())
    parent = widget.parentWidget()
    while parent is not None:
        rect = rect.intersected(QRect(parent.mapToGlobal(parent.rect().topLeft()), parent.size()))
        if parent.isWindow():
            break
        parent = parent.parentWidget()
    return rect


def _inside_item_view(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


def clipped_text(widget: QWidget) -> str | None:
    """Why the text of `widget` does not all show, or None."""
    if widget.property(MAY_ELIDE):
        return None
    if isinstance(widget, QLabel):
        if not widget.text() or (widget.pixmap() is not None and not widget.pixmap().isNull()):
            return None
        if widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + SLACK:
                return f"wrapped text needs {needed} px of height, has {widget.height()}"
            return None
    elif isinstance(widget, QPushButton | QCheckBox | QRadioButton):
        if not widget.text():
            return None
    else:
        return None
    hint = widget.sizeHint() if isinstance(widget, QLabel) else widget.minimumSizeHint()
    if hint.width() > widget.width() + SLACK:
        return f"text needs {hint.width()} px of width, has {widget.width()}"
    if hint.height() > widget.height() + SLACK:
        return f"text needs {hint.height()} px of height, has {widget.height()}"
    return None


def problems_in(window: QWidget, where: str) -> list[dict]:
    """What does not fit in `window` (a visible top-level window)."""
    area = fit.available_geometry(window)
    found: list[dict] = []

    def problem(what: str, widget: QWidget, detail: str) -> None:
        found.append(
            {"where": where, "problem": what, "widget": describe(widget), "detail": detail}
        )

    frame = window.frameGeometry()
    if frame == window.geometry():  # no frame here (Xvfb): the one a real system adds
        extra = FRAME_ALLOWANCE
        frame = QRect(frame.topLeft(), frame.size() + extra)
    if not area.contains(frame):
        needs = window.minimumSizeHint().expandedTo(window.minimumSize())
        problem(
            "window outside the screen",
            window,
            f"{frame.getRect()} not in {area.getRect()}"
            f" (it needs {needs.width()}×{needs.height()})",
        )
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window:
            continue
        shown = shown_rect(widget)
        if shown.isEmpty():
            continue
        if isinstance(widget, FIELDS) and not area.contains(shown):
            problem("outside the screen", widget, f"{shown.getRect()} not in {area.getRect()}")
        if isinstance(widget, TEXT_WIDGETS) and not _inside_item_view(widget):
            why = clipped_text(widget)
            if why:
                problem("text cut", widget, why)
    for scroll in window.findChildren(QScrollArea):
        bar = scroll.horizontalScrollBar()
        resizable = scroll.widgetResizable() and scroll.widget() is not None
        if (
            resizable
            and scroll.isVisible()
            and bar.maximum() > 0
            and window.width() >= SIDEWAYS_FROM
        ):
            content = scroll.widget()
            problem(
                "scrolls sideways",
                content,
                f"needs {content.minimumSizeHint().width()} px of width, has "
                f"{scroll.viewport().width()}",
            )
    found.extend(_overlaps(window, where))
    return found


def _overlaps(window: QWidget, where: str) -> list[dict]:
    found = []
    for parent in [window, *window.findChildren(QWidget)]:
        if parent.layout() is None or not parent.isVisible() or _inside_item_view(parent):
            continue
        children = [
            c
            for c in parent.findChildren(QWidget, options=_DIRECT)
            if c.isVisible() and not c.isWindow() and isinstance(c, FIELDS)
        ]
        for i, first in enumerate(children):
            for second in children[i + 1 :]:
                both = first.geometry().intersected(second.geometry())
                if both.width() > 2 and both.height() > 2:
                    found.append(
                        {
                            "where": where,
                            "problem": "overlap",
                            "widget": describe(first),
                            "detail": f"overlaps {describe(second)} by {both.getRect()}",
                        }
                    )
    return found


def check_windows(app: QApplication, where: str) -> list[dict]:
    found = []
    for widget in app.topLevelWidgets():
        if widget.isVisible() and widget.isWindow() and widget.windowType() not in _POPUPS:
            found.extend(problems_in(widget, where))
    return found


_POPUPS = (Qt.WindowType.Popup, Qt.WindowType.ToolTip)


def save_screen(app: QApplication, path: Path) -> None:
    screen = app.primaryScreen()
    image = screen.grabWindow(0)
    if image.isNull() or not image.save(str(path)):
        raise OSError(f"could not write {path}")


def _reception_pc_screen() -> None:
    """Xvfb has no task bar and no window frames: the available area is made what it is
    on a reception PC (the screen less a task bar), and each window's room there less its
    title bar (fit.FRAME_ALLOWANCE), as fit_to_screen reckons before a window shows."""
    from ..common import fit

    real = fit.available_geometry

    def available(widget: QWidget | None = None) -> QRect:
        area = real(widget)
        screen = QApplication.primaryScreen()
        if screen is not None and area == screen.geometry():
            area = area.adjusted(0, 0, 0, -TASK_BAR)
        return area

    fit.available_geometry = available
    measured = fit.frame_allowance

    def frame_allowance(window: QWidget) -> QSize:
        size = measured(window)
        return size if size.width() or size.height() else QSize(FRAME_ALLOWANCE)

    fit.frame_allowance = frame_allowance


def _no_message_boxes(problems: list[dict]) -> None:
    """Nothing here may wait for a person: a message box is a problem (and answers no)."""
    from ..common import messages

    def refuse(*args, **kwargs):
        texts = [str(a) for a in args[1:3]]
        problems.append({"where": "?", "problem": "message box", "widget": "", "detail": texts})

    for name in ("confirm", "choose", "inform", "show_error", "show_domain_error"):
        setattr(messages, name, refuse)
    messages.show_unexpected = refuse


def run(outdir: str | Path, names: list[str] | None = None) -> list[dict]:
    from PySide6.QtCore import QSettings

    from ..common import jobs
    from ..common.shots import ShotContext
    from .app import create_application, demo_database
    from .main_window import MainWindow, default_pages
    from .screenshots import _quiet_offscreen, registered

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    app = create_application()
    qInstallMessageHandler(_quiet_offscreen)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(out / ".qsettings")
    )
    problems: list[dict] = []
    _no_message_boxes(problems)
    _reception_pc_screen()
    demo_database()
    window = MainWindow(subtitle="demonstração")  # first start: it sizes itself
    window.show()
    context = ShotContext(app=app, window=window, outdir=out)
    context.settle(6)

    def look(name: str) -> None:
        jobs.wait_for_all()
        context.settle(6)
        problems.extend(check_windows(app, name))
        save_screen(app, out / name)

    if names is None:
        for spec in default_pages():
            if not window.offers(spec.key):
                continue
            page = context.show_page(spec.key)
            look(f"page-{spec.key}.png")
            tabs = getattr(page, "tab_widget", None)
            for index in range(tabs.count() if tabs is not None else 0):
                tabs.setCurrentIndex(index)
                look(f"page-{spec.key}-tab{index + 1}.png")
    shots = registered()
    for name in names if names is not None else list(shots):
        shots[name](context)
        look(name)
        context.close_opened()
    window.hide()
    context.settle()
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("uso: python -m r3izzy_desktop.ui.shell.fit_check PASTA [TELA.png ...]")
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    problems = run(args[0], args[1:] or None)
    for item in problems:
        print(json.dumps(item, ensure_ascii=False), flush=True)
    print(f"fit_check: {len(problems)} problem(s)", flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # no teardown of Qt objects at exit (nothing more to check)
