"""Start the desktop app: QApplication in pt-BR, the stylesheet, the database, the window.

The start-up never makes things worse: a database opened before is opened with
`create=False` (a missing one is reported, never silently replaced by an empty one);
any problem opening it gets a dialog with what can be done (startup.py); the first start
of the day backs the database up and the integrity check runs off the UI thread after the
window shows; closing the app backs it up again.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import tempfile
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import (
    QLocale,
    QObject,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from ... import APP_NAME, __version__
from ...core.errors import DomainError
from ...resources import resource_path
from ..common import profiles
from . import instance_lock, qt_pt_br

log = logging.getLogger(__name__)

ORGANIZATION = "R3izzy"
CHECKS_DELAY_S = 1.0  # the start-up backup and integrity check wait this after the window


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, configured once: names, pt-BR locale and Qt's own pt-BR
    translations, the app icon, the stylesheet."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    QLocale.setDefault(QLocale(QLocale.Language.Portuguese, QLocale.Country.Brazil))
    if not getattr(app, "_r3izzy_translator", None):
        app._r3izzy_translator = qt_pt_br.install(app)  # type: ignore[attr-defined]
    app.setWindowIcon(app_icon())
    # Set again only when different: each set re-polishes every widget alive (a second
    # call, as the tests make before each one, would cost as much as the first).
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 10.5))
    if font != app.font():
        app.setFont(font)
    sheet = load_stylesheet()
    if sheet != app.styleSheet():
        app.setStyleSheet(sheet)
    return app


def app_icon() -> QIcon:
    """The app icon: the SVG, with the PNG rendering as a fallback for every size."""
    icon = QIcon(str(resource_path("icons", "app.png")))
    icon.addFile(str(resource_path("icons", "app.svg")))
    return icon


_ICON_URL = re.compile(r"url\(icons:([^)]+)\)")  # style.qss names its images so


def load_stylesheet() -> str:
    """style.qss, its images (`url(icons:name.svg)`) given as the icons folder's full
    path, quoted (an installation under "Program Files" has spaces in it)."""
    try:
        sheet = resource_path("style.qss").read_text(encoding="utf-8")
    except OSError:
        log.warning("stylesheet not found at %s", resource_path("style.qss"))
        return ""
    folder = resource_path("icons").as_posix()
    return _ICON_URL.sub(lambda found: f'url("{folder}/{found[1]}")', sheet)


# --- errors and logs ---------------------------------------------------------------------


def install_excepthook(parent_getter=lambda: None) -> None:
    """An unexpected exception is logged with its traceback and shown as a friendly dialog;
    a DomainError that escaped a screen is shown as its message. Exceptions in other
    threads and Qt's own warnings go to the log too."""

    def hook(kind, value, tb):
        from ..common import messages  # the message boxes load when one is first shown

        if isinstance(value, DomainError):
            messages.show_domain_error(parent_getter(), value)
            return
        from ...core.database import drop_broken_connection, storage_problem

        problem = storage_problem(value)
        if problem is not None:  # a read on a failing disk or a lost server: not "a bug"
            log.warning("storage problem: %s", value, exc_info=(kind, value, tb))
            drop_broken_connection()  # the next read connects again
            messages.show_domain_error(parent_getter(), problem)
            return
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        from ...logs import log_file

        try:
            path = str(log_file())
        except OSError:
            path = None
        messages.show_unexpected(parent_getter(), path)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        log.error(
            "unexpected error in thread %s:\n%s",
            getattr(args.thread, "name", "?"),
            "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)),
        )

    def qt_messages(kind: QtMsgType, _context, text: str) -> None:
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            log.error("Qt: %s", text)
        elif kind == QtMsgType.QtWarningMsg:
            log.warning("Qt: %s", text)

    sys.excepthook = hook
    threading.excepthook = thread_hook
    qInstallMessageHandler(qt_messages)


# --- which database ----------------------------------------------------------------------


def demo_database() -> str:
    """A fresh temporary database filled with the small demo clinic."""
    from ...core import demo
    from ...core.database import open_database

    folder = Path(tempfile.mkdtemp(prefix="r3izzy-demo-"))
    path = folder / "demo.db"
    open_database(str(path))
    demo.populate("small")
    return str(path)


# --- the running app ---------------------------------------------------------------------


class AppSession(QObject):
    """The open database and its main window: the checks after start-up, the backups,
    and a fresh window after a restore replaced the data under the old one."""

    def __init__(self, url: str, *, demo: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self.url = url
        self.demo = demo
        self.window = None
        self.checks_job = None  # the start-up checks (jobs.Job) once they began
        self.checks: list = []  # the integrity checks' processes (stopped when closing)
        self.notice = None
        self._closing = False

    @property
    def backs_up(self) -> bool:
        from ...core.database import sqlite_path_of

        path = sqlite_path_of(self.url)
        return not self.demo and path is not None and path != ":memory:"

    def open_window(self):
        from .main_window import MainWindow

        self.window = MainWindow(subtitle="demonstração" if self.demo else "")
        self.window.data_replaced.connect(self.reopen)
        self.window.user_changed.connect(lambda _user: self.replace_window())
        self.window.show()
        self.start_checks()
        return self.window

    def replace_window(self) -> None:
        """After a restore: the pages hold data that no longer exists; build them anew."""
        old = self.window
        self.open_window()  # first, so closing the old one is never "the last window"
        if old is not None:
            old.close()
            old.deleteLater()

    def reopen(self, settings_tab: str, url: str = "") -> None:
        """The data under the window changed (a restore, or `url` now the database in
        use): a new window on it, back on the Configurações tab the user was on."""
        if url and url != self.url:
            instance_lock.release(self.url)
            instance_lock.acquire(url)  # logged when another copy has it open too
        if url:
            self.url = url
            profiles.set_in_use(url)
        if not log_in_if_needed(self.window):
            QApplication.instance().quit()
            return
        self.replace_window()
        settings = self.window.show_page("settings")
        show_tab = getattr(settings, "show_tab", None)
        if callable(show_tab):
            show_tab(settings_tab)

    def start_checks(self) -> None:
        """CHECKS_DELAY_S after the window shows (its first paint and the user's first
        clicks do not share the disk and the processor with them), off the UI thread: the
        day's first backup, forgetting PCs idle for a month (see core/store/changes.py), then
        the integrity check, in a process of its own so the window never waits for it
        (check_process.py). Never on an in-memory database, which no other connection or
        process can see."""
        if self.url != ":memory:":
            QTimer.singleShot(int(CHECKS_DELAY_S * 1000), self, self._run_checks)

    def _run_checks(self) -> None:
        from ..common.jobs import Job
        from .check_process import CheckProcess, CheckStopped

        if self._closing or self.checks_running():
            return
        backs_up, url = self.backs_up, self.url
        check = CheckProcess(url)
        self.checks.append(check)

        def work(_progress):
            from ...core import backup
            from ...core.database import changes

            made, failure, problems = None, None, None
            if backs_up:
                try:
                    made = backup.backup_at_start(url)
                except DomainError as exc:
                    failure = str(exc)
            try:  # bookkeeping of the other PCs' poll (changes.py): never in the way
                changes.forget_idle()
            except Exception as exc:
                log.info("could not forget idle clients: %s", exc)
            with contextlib.suppress(CheckStopped):  # the app is closing: no report
                problems = check.run()
            return made, failure, problems

        self.checks_job = Job(work, "verificações do início")
        self.checks_job.succeeded.connect(self._checks_done)
        self.checks_job.failed.connect(self._checks_failed)
        self.checks_job.start()

    def checks_running(self) -> bool:
        return self.checks_job is not None and self.checks_job.is_running()

    def checks_finished(self) -> bool:
        """The start-up checks ran and ended (tests wait for this)."""
        return self.checks_job is not None and not self.checks_job.is_running()

    def _checks_done(self, result) -> None:
        from .startup import IntegrityNotice

        made, failure, problems = result
        if made:
            log.info("backup of the day: %s", made)
        window = self.window
        if window is None:
            return
        if failure:
            log.warning("automatic backup failed: %s", failure)
            window.statusBar().showMessage(f"O backup automático não foi feito: {failure}")
        if problems:
            log.warning("integrity check: %d problem(s)", len(problems))
            self.notice = IntegrityNotice(problems, window)
            window.statusBar().addPermanentWidget(self.notice)

    def _checks_failed(self, error) -> None:
        log.error("start-up checks failed: %s", error)
        if self.window is not None:
            self.window.statusBar().showMessage(f"A verificação dos pacotes falhou: {error}")

    def finish_checks(self) -> None:
        """No check begins from now on; wait for the one running, if any."""
        self._closing = True
        if self.checks_job is not None:
            self.checks_job.wait()

    def closing(self) -> None:
        """The app is quitting: stop the integrity check (it only reads), let the rest of
        the background work finish, then back up."""
        from ...core import backup

        for check in self.checks:
            check.stop()
        self.finish_checks()
        if not self.backs_up:
            return
        try:
            made = backup.backup_at_close(self.url)
            log.info("closing backup: %s", made)
        except DomainError as exc:
            log.warning("closing backup failed: %s", exc)


def ask_server_password(url: str) -> str:
    """`url` with the server's password typed now, where this PC has no credential store
    to keep it (asked at each start); as it is otherwise or when the person cancels."""
    if not profiles.needs_typed_password(url):
        return url
    from ...core import credentials
    from ...core.database import describe_url
    from ..common.server_password import ServerPasswordDialog

    typed = ServerPasswordDialog.ask(None, describe_url(url))
    return credentials.with_password(url, typed) if typed else url


def log_in_if_needed(parent=None) -> bool:
    """The login window when the open database has users and nobody is logged in on it
    (R23). False when the person chose Sair."""
    from ...core import users

    if not users.login_required() or users.current_user() is not None:
        return True
    from .login import LoginDialog  # only for a database with users

    return LoginDialog.ask(parent) is not None


def current_session() -> AppSession | None:
    app = QApplication.instance()
    return getattr(app, "_r3izzy_session", None) if app else None


def start(db_url: str | None = None, demo: bool = False) -> AppSession | None:
    """Everything before the event loop: the database (asking the user what to do while it
    cannot be opened), then the window. None when the user chose to quit."""
    from ...core.database import sqlite_description
    from .startup import open_with_recovery

    app = create_application()
    log.info(
        "%s %s starting (frozen: %s, %s)",
        APP_NAME,
        __version__,
        getattr(sys, "frozen", False),
        sqlite_description(),
    )
    install_excepthook(lambda: current_session().window if current_session() else None)
    if demo:
        url = demo_database()
    else:
        moved = profiles.move_plain_passwords()
        if moved:
            log.info("%d server password(s) moved out of the plain settings", moved)
        wanted, create = profiles.database_to_open(db_url)
        wanted = ask_server_password(wanted)
        url = open_with_recovery(wanted, create=create)
        if url is None:
            log.info("the user quit at start-up")
            return None
        profiles.remember_url(profiles.normalized_url(url))
        if not instance_lock.acquire(url):  # one running copy per database file
            from ..common import messages  # not before the first paint

            messages.show_error(None, instance_lock.already_open_text(url), APP_NAME)
            return None
    if not log_in_if_needed():
        log.info("the user quit at the login window")
        return None
    profiles.set_in_use(url)
    session = AppSession(url, demo=demo)
    app._r3izzy_session = session  # type: ignore[attr-defined]
    app.aboutToQuit.connect(session.closing)
    app.aboutToQuit.connect(instance_lock.release_all)  # after the closing backup
    session.open_window()
    return session


def run(db_url: str | None = None, demo: bool = False) -> int:
    """Open the app; returns the process exit code (1 when the user quit at start-up)."""
    session = start(db_url, demo)
    if session is None:
        return 1
    from . import idle_exit

    idle_exit.install(session.window)  # R3IZZY_EXIT_WHEN_IDLE: the start-up benchmark
    return QApplication.instance().exec()
