"""Start the desktop app: QApplication in pt-BR, the stylesheet, the database, the window."""

from __future__ import annotations

import logging
import sys
import tempfile
import traceback
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from .. import APP_NAME, __version__
from ..core.errors import DomainError
from ..resources import resource_path
from . import messages

log = logging.getLogger(__name__)

ORGANIZATION = "R3izzy"


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
        translator = QTranslator(app)
        for folder in (
            str(resource_path("translations")),
            QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
        ):
            if translator.load("qtbase_pt_BR", folder):
                app.installTranslator(translator)
                break
        app._r3izzy_translator = translator  # type: ignore[attr-defined]
    app.setWindowIcon(QIcon(str(resource_path("icons", "app.svg"))))
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 10.5))
    app.setFont(font)
    app.setStyleSheet(load_stylesheet())
    return app


def load_stylesheet() -> str:
    try:
        return resource_path("style.qss").read_text(encoding="utf-8")
    except OSError:
        log.warning("stylesheet not found at %s", resource_path("style.qss"))
        return ""


def install_excepthook(parent_getter=lambda: None) -> None:
    """An unexpected exception is logged with its traceback and shown as a friendly dialog;
    a DomainError that escaped a screen is shown as its message."""

    def hook(kind, value, tb):
        if isinstance(value, DomainError):
            messages.show_domain_error(parent_getter(), value)
            return
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        from ..logs import log_file

        try:
            path = str(log_file())
        except OSError:
            path = None
        messages.show_unexpected(parent_getter(), path)

    sys.excepthook = hook


def demo_database() -> str:
    """A fresh temporary database filled with the small demo clinic."""
    from ..core import demo
    from ..core.database import open_database

    folder = Path(tempfile.mkdtemp(prefix="r3izzy-demo-"))
    path = folder / "demo.db"
    open_database(str(path))
    demo.populate("small")
    return str(path)


def run(db_url: str | None = None, demo: bool = False) -> int:
    """Open the app; returns the process exit code."""
    from ..core.database import open_database
    from .main_window import MainWindow

    app = create_application()
    window_ref: list[QWidget] = []
    install_excepthook(lambda: window_ref[0] if window_ref else None)
    try:
        if demo:
            demo_database()
        else:
            open_database(db_url)
    except DomainError as exc:
        messages.show_error(None, str(exc), "Não foi possível abrir o banco de dados")
        return 1
    window = MainWindow(subtitle="demonstração" if demo else "")
    window_ref.append(window)
    window.show()
    return app.exec()
