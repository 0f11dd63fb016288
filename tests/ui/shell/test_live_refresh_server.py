"""On a server, the other PCs' poll never freezes the window: the read runs in a thread
of its own, so a network gone silent (a read that hangs until the keepalives give up)
leaves the event loop turning, and no second read piles up behind the first."""

from __future__ import annotations

import threading

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow, QWidget

from r3izzy_desktop.core import database as core_database
from r3izzy_desktop.core.store import changes
from r3izzy_desktop.ui.shell.live_refresh import LiveRefresh


class Page(QWidget):
    def __init__(self):
        super().__init__()
        self.refreshes = 0

    def refresh(self):
        self.refreshes += 1


def test_a_hanging_server_read_leaves_the_window_alive(qtbot, db, monkeypatch):
    window = QMainWindow()
    page = Page()
    window.setCentralWidget(page)
    qtbot.addWidget(window)
    live = LiveRefresh(window, interval_ms=30)
    baseline = changes.others()

    silent = threading.Event()
    calls = []

    def hanging_read():
        calls.append(threading.current_thread().name)
        silent.wait(30)  # the network gave no answer ...
        return changes.Stamp(baseline.total + 1, baseline.clients + 1)  # ... then did

    monkeypatch.setattr(core_database, "is_postgres", lambda: True)
    monkeypatch.setattr(changes, "others", hanging_read)
    qtbot.waitUntil(lambda: live.reader.busy and bool(calls), timeout=3000)
    turned = []
    QTimer.singleShot(0, lambda: turned.append(True))  # runs only if the loop turns
    qtbot.waitUntil(lambda: bool(turned), timeout=3000)
    qtbot.wait(200)  # several ticks: still the one read, in the reader thread
    assert calls == ["live-refresh"]
    assert page.refreshes == 0

    silent.set()
    qtbot.waitUntil(lambda: page.refreshes == 1, timeout=3000)
    live.stop()
