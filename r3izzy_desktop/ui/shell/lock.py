"""The lock (R23): after the clinic's idle minutes, or on "Trocar usuário", every window of
the app is covered and its content hidden until a password is typed.

Nothing half-done is lost: the windows and dialogs stay open under their covers (a form
being filled keeps what was typed), and unlocking takes the covers away. While locked,
input reaches only the lock's form: clicks land on the covers and keys meant for the
widgets under them (shortcuts too) are dropped. The form sits on the window in front (an
open dialog, else the main window).

The lock asks the password of the user logged in; "Entrar com outro usuário" lets another
person take the PC: then the open dialogs are closed (their work was the other user's) and
`user_changed` tells the shell to rebuild the window for the new role. Without a login (a
database without users) nothing locks.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QFrame, QPushButton, QVBoxLayout, QWidget

from ...core import users
from ..common.login_form import LoginForm

# Input a locked app keeps from the widgets under the covers.
_BLOCKED = {
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.ShortcutOverride,
    QEvent.Type.Shortcut,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel,
}
# Input that counts as the PC being in use.
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class LockCover(QFrame):
    """An opaque cover over one window, with the lock's form when it is the front one."""

    def __init__(self, host: QWidget):
        super().__init__(host)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#lockCover { background: #f1f5f9; }")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.form_box: QFrame | None = None
        host.installEventFilter(self)
        self.setGeometry(host.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def hold(self, box: QFrame) -> None:
        self.form_box = box
        box.setParent(self)
        self.layout_.addWidget(box)
        box.show()


class SessionLock(QObject):
    """Locks `window` (and every other window of the app) after `minutes` without input."""

    locked_changed = Signal(bool)
    user_changed = Signal(object)  # another user took the PC: the window must be rebuilt

    def __init__(self, window: QWidget, minutes: int = 10, parent: QObject | None = None):
        super().__init__(parent or window)
        self.window = window
        self.covers: list[LockCover] = []
        self.form: LoginForm | None = None
        self.locked = False
        self.locked_login: str | None = None  # who was logged in when it locked
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        self._watching = False
        if users.current_user() is not None:  # without a login nothing locks: no watching
            self._watch()

    def _watch(self) -> None:
        """Follow the app's input (to restart the idle timer, and to hold it while locked)."""
        if not self._watching:
            QApplication.instance().installEventFilter(self)
            self._watching = True
        self.timer.start()

    def set_minutes(self, minutes: int) -> None:
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        if self._watching:
            self.timer.start()

    def set_interval_ms(self, ms: int) -> None:
        """For tests: lock after `ms` milliseconds without input."""
        self.timer.setInterval(ms)
        if self._watching:
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
        self._watching = False

    # -- watching the input ---------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self.locked:
            return kind in _BLOCKED and not self._inside_form(watched)
        if kind in _ACTIVITY:
            self.timer.start()
        return False

    def _inside_form(self, watched: QObject) -> bool:
        box = self.form.parentWidget() if self.form is not None else None
        node = watched
        while node is not None:
            if node is box:
                return True
            node = node.parent()
        return False

    # -- locking --------------------------------------------------------------------------
    def lock(self, *, switch_user: bool = False) -> bool:
        """Cover every window. `switch_user`: the current user logs out and the form asks
        login and password. False (nothing done) when nobody is logged in to unlock."""
        me = users.current_user()
        if self.locked or (me is None and not switch_user):
            return False
        self.locked_login = me.login if me is not None else None
        if switch_user:
            users.logout()
        self._watch()
        self.locked = True
        self.timer.stop()
        front = QApplication.activeModalWidget() or self.window
        hosts = [w for w in QApplication.topLevelWidgets() if self._covers(w)]
        if front not in hosts:
            hosts.append(front)
        for host in hosts:
            self.covers.append(LockCover(host))
        note = (
            self.tr("%1, digite a sua senha para continuar de onde parou.").replace("%1", me.name)
            if not switch_user
            else ""
        )
        self.form = LoginForm(
            unlock_login=None if switch_user else me.login,
            title=self.tr("Tela bloqueada") if not switch_user else self.tr("Trocar usuário"),
            note=note,
        )
        self.form.logged_in.connect(self._unlocked)
        box = QFrame()
        box.setObjectName("card")
        box.setMinimumWidth(340)
        box.setMaximumWidth(380)
        column = QVBoxLayout(box)
        column.setContentsMargins(20, 18, 20, 14)
        column.addWidget(self.form)
        self.other_button = QPushButton(self.tr("Entrar com outro usuário"))
        self.other_button.setObjectName("railLink")
        self.other_button.setVisible(not switch_user)
        self.other_button.clicked.connect(lambda: self.form.set_unlock(None) or self.form.focus())
        column.addWidget(self.other_button)
        self.cover_of(front).hold(box)
        self.form.focus()
        self.locked_changed.emit(True)
        return True

    def _covers(self, widget: QWidget) -> bool:
        if not widget.isVisible() or not widget.isWindow():
            return False
        if widget.windowType() in (Qt.WindowType.ToolTip, Qt.WindowType.Popup):
            return False
        return widget is self.window or isinstance(widget, QDialog)

    def cover_of(self, host: QWidget) -> LockCover:
        return next(c for c in self.covers if c.parentWidget() is host)

    def _unlocked(self, user) -> None:
        previous = self.locked_login
        for cover in self.covers:
            cover.parentWidget().removeEventFilter(cover)
            cover.hide()
            cover.deleteLater()
        self.covers = []
        self.form = None
        self.locked = False
        self.timer.start()
        self.locked_changed.emit(False)
        if previous is None or user.login != previous:
            # Another person took the PC: what was open was someone else's work.
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, QDialog) and widget.isVisible():
                    widget.reject()
            self.user_changed.emit(user)
