"""The start-up floor: a bare PySide6 process that shows an empty QMainWindow.

Measured exactly as the app is (see `r3izzy_desktop/ui/shell/idle_exit.py`): once the window
has been painted and the event loop is about to wait for events, print the idle mark
and quit. Nothing but PySide6 is imported.
"""

import sys

from PySide6.QtCore import QAbstractEventDispatcher, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

IDLE_MARK = "r3izzy: idle"


class ExitWhenIdle(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.painted = False
        self.done = False
        window.installEventFilter(self)
        QAbstractEventDispatcher.instance().aboutToBlock.connect(self.about_to_block)

    def eventFilter(self, watched, event):
        if watched is self.window and event.type() == QEvent.Type.Paint:
            self.painted = True
        return False

    def about_to_block(self):
        if self.painted and not self.done:
            self.done = True
            print(IDLE_MARK, flush=True)
            QTimer.singleShot(0, QApplication.quit)


def show_until_idle(app: QApplication, window: QMainWindow) -> int:
    """Show `window` at the app's size, print the idle mark once it is painted and idle,
    quit; the exit code."""
    window.resize(1280, 800)
    window.show()
    _probe = ExitWhenIdle(window)
    return app.exec()


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("floor")
    return show_until_idle(app, window)


if __name__ == "__main__":
    sys.exit(main())
