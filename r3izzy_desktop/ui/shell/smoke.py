"""`r3izzy-desktop --smoke`: prove that an installed or packaged app works, in seconds.

Offscreen, in a temporary folder (the user's data, settings and log are never touched):
the bundled resources and Qt plugins load, a database is created and filled with the demo
clinic, the main window opens every page, the Sobre and start-up dialogs build, the
Relatório de Pacotes prints to PDF (Qt's print support), a backup is written and
validated, and the integrity check finds nothing. Exit code 0 when all of it worked;
otherwise 1, with what failed on stderr. Nothing here may wait for a person:
any message box is a failure, and a watchdog ends a run that hangs.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

WATCHDOG_S = 120


class SmokeFailure(Exception):
    pass


def run_smoke() -> int:
    """Run the smoke test; returns the process exit code."""
    folder = Path(tempfile.mkdtemp(prefix="r3izzy-smoke-"))
    # Before Qt starts: no display needed, nothing written outside `folder`.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if sys.platform == "win32":  # offscreen, Qt on Windows reads fonts only from here
        os.environ.setdefault("QT_QPA_FONTDIR", os.path.join(os.environ["WINDIR"], "Fonts"))
    os.environ["R3IZZY_DATA_DIR"] = str(folder / "dados")
    os.environ.pop("R3IZZY_DB", None)
    started = time.monotonic()
    try:
        _checks(folder)
    except Exception as exc:
        print(f"SMOKE FAILED: {exc}", file=sys.stderr)
        traceback.print_exc()
        return 1
    finally:
        from ...core.database import close_database

        close_database()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"smoke OK ({time.monotonic() - started:.1f} s)", flush=True)
    return 0


def step(text: str) -> None:
    print(f"  - {text}", flush=True)


_errors: list[str] = []


def _refuse_dialogs() -> None:
    """Any message box, or any exception escaping a Qt slot, means something went wrong."""
    from ..common import messages

    def refuse(*args, **kwargs):
        _errors.append(f"unexpected dialog: {args[1:3]}")
        raise SmokeFailure(_errors[-1])

    def hook(kind, value, tb):
        _errors.append("".join(traceback.format_exception(kind, value, tb)))

    sys.excepthook = hook

    for name in ("confirm", "choose", "inform", "show_error", "show_domain_error"):
        setattr(messages, name, refuse)
    messages.show_unexpected = refuse


def _quiet_qt() -> None:
    """Qt's warnings go to the log, not the console (offscreen prints harmless ones)."""
    import logging

    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    log = logging.getLogger("qt")

    def handler(kind, _context, text: str) -> None:
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            print(f"Qt: {text}", file=sys.stderr)
        log.info("Qt: %s", text)

    qInstallMessageHandler(handler)


def _watchdog(app) -> None:
    from PySide6.QtCore import QTimer

    def hung() -> None:
        print(f"SMOKE FAILED: still running after {WATCHDOG_S} s", file=sys.stderr)
        os._exit(3)

    timer = QTimer(app)
    timer.setSingleShot(True)
    timer.timeout.connect(hung)
    timer.start(WATCHDOG_S * 1000)


def _checks(folder: Path) -> None:
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication

    from ...logs import setup_logging
    from ...resources import resource_path, resources_dir

    print(f"R3izzy Desktop smoke test (frozen: {getattr(sys, 'frozen', False)})", flush=True)
    log_path = setup_logging()
    step(f"log file {log_path}")

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    from .app import app_icon, create_application

    app = create_application()
    _quiet_qt()
    _watchdog(app)
    _refuse_dialogs()
    step(f"Qt platform {QApplication.platformName()}, resources in {resources_dir()}")

    for part in (("style.qss",), ("icons", "app.svg"), ("icons", "app.png")):
        if not resource_path(*part).is_file():
            raise SmokeFailure(f"resource missing: {resource_path(*part)}")
    if not app.styleSheet():
        raise SmokeFailure("stylesheet not loaded")
    if app_icon().pixmap(64, 64).isNull():
        raise SmokeFailure("app icon does not render")
    from ..common.widgets import icon

    if icon("patients").pixmap(32, 32).isNull():
        raise SmokeFailure("SVG icons do not render (Qt's SVG plugin is missing)")
    cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    if cancel != "Cancelar":
        raise SmokeFailure(f"Qt's pt_BR translation not loaded (Cancel -> {cancel!r})")
    step("stylesheet, icons (SVG) and Qt's pt_BR translation")

    from ...core import backup, demo, integrity
    from ...core.database import open_database, sqlite_description, sqlite_is_fixed

    # The bundled SQLite, not the system's or Python's: older ones have the WAL-reset bug.
    if not sqlite_is_fixed():
        raise SmokeFailure(f"{sqlite_description()} is older than 3.51.3 (pysqlite3 missing?)")
    database = folder / "smoke.db"
    open_database(str(database))
    step(sqlite_description())
    counts = demo.populate("small")
    step(f"database created: {', '.join(f'{v} {k}' for k, v in counts.items())}")

    # argon2 (and its compiled binding) is imported only at a login, never at start-up:
    # the bundle must still carry it.
    from ...core.users import passwords

    if not passwords.verify(passwords.hash_password("smoke-senha"), "smoke-senha"):
        raise SmokeFailure("password hashing (argon2) does not work")
    step("password hashing (argon2id)")

    from .main_window import MainWindow, default_pages

    window = MainWindow()
    window.show()
    app.processEvents()
    for spec in default_pages():
        page = window.page(spec.key)
        window.show_page(spec.key)
        app.processEvents()
        if not page.isVisible():
            raise SmokeFailure(f"page {spec.key} is not shown")
        if window.grab().isNull():
            raise SmokeFailure(f"page {spec.key} does not render")
        _fail_on_errors(f"page {spec.key}")
        tabs = getattr(page, "tab_widget", None)  # Configurações: every tab too
        for index in range(tabs.count() if tabs is not None else 0):
            tabs.setCurrentIndex(index)
            app.processEvents()
            _fail_on_errors(f"page {spec.key}, tab {tabs.tabText(index)}")
        step(f"page {spec.title}" + (f" ({tabs.count()} abas)" if tabs is not None else ""))

    from ...core.errors import DatabaseProblem
    from .about import AboutDialog
    from .startup import DatabaseProblemDialog

    for dialog in (
        AboutDialog(window),
        DatabaseProblemDialog(DatabaseProblem("teste", "damaged", str(database)), window),
    ):
        dialog.show()
        app.processEvents()
        dialog.grab()
        dialog.close()
    _fail_on_errors("dialogs")
    step("Sobre and start-up dialogs")

    from PySide6.QtPrintSupport import QPrinter

    from ...core import reports
    from ..common.print_preview import save_table_pdf
    from ..common.table_print import lay_out, page_layout
    from ..finance.report_window import report_print_table

    report = reports.package_report()
    printed = lay_out(report_print_table(report, list(report.rows)), page_layout())
    pdf = save_table_pdf(printed, folder / "relatorio.pdf")
    if not pdf.read_bytes().startswith(b"%PDF"):
        raise SmokeFailure("the Relatório de Pacotes could not be printed to PDF")
    QPrinter(QPrinter.PrinterMode.HighResolution)  # Qt's print support loads in the bundle
    step(f"Relatório de Pacotes printed to PDF ({printed.page_count} page(s)), QtPrintSupport")

    copy = backup.backup_now(folder / "smoke-backup.db")
    info = backup.validate(copy)
    step(f"backup written and validated ({info.packages} pacotes)")

    problems = integrity.check()
    if problems:
        raise SmokeFailure(f"integrity check: {[str(p) for p in problems]}")
    step("integrity check: OK")

    window.close()
    app.processEvents()
    _fail_on_errors("closing")


def _fail_on_errors(where: str) -> None:
    if _errors:
        raise SmokeFailure(f"{where}: {_errors[0]}")
