"""Sobre o R3izzy Desktop: the version, where the data lives, the database in use (never
its password) and the log file — what support asks for first."""

from __future__ import annotations

import platform
import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ... import APP_NAME, __version__
from ...core.database import (
    current_url,
    data_dir,
    describe_url,
    is_postgres,
    sqlite_description,
    sqlite_is_fixed,
)
from ..common.fit import fit_to_screen
from ..common.widgets import Card, icon, label


def about_facts() -> list[tuple[str, str]]:
    """(label, value) lines shown in the dialog, in order."""
    from ...core.backup import backups_dir
    from ...logs import log_file

    url = current_url()
    database = describe_url(url) if url else "nenhum banco aberto"
    kind = "PostgreSQL (servidor)" if is_postgres() else "SQLite (arquivo)"
    facts = [
        ("Versão", __version__),
        ("Pasta de dados", str(data_dir())),
        ("Banco de dados em uso", database),
        ("Tipo de banco", kind if url else "—"),
        ("Arquivo de registro (log)", str(log_file())),
        ("SQLite", sqlite_text()),
    ]
    if url and not is_postgres():
        facts.append(("Backups automáticos", str(backups_dir())))
    return facts


def sqlite_text() -> str:
    """The SQLite the program runs on, flagged when it has the WAL-reset bug."""
    text = sqlite_description().removeprefix("SQLite ")
    if not sqlite_is_fixed():
        text += " — versão antiga, sujeita a corromper o banco: reinstale o programa"
    return text


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sobre o R3izzy Desktop"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 18)
        layout.setSpacing(14)

        top = QHBoxLayout()
        top.setSpacing(14)
        mark = QLabel()
        mark.setPixmap(icon("app").pixmap(56, 56))
        top.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(label(APP_NAME, "dialogTitle"))
        titles.addWidget(
            label(self.tr("Gestão de pacotes de sessões para clínicas de terapia."), "muted")
        )
        top.addLayout(titles, 1)
        layout.addLayout(top)

        card = Card()
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(8)
        self.values: dict[str, QLabel] = {}
        for row, (name, value) in enumerate(about_facts()):
            grid.addWidget(label(self.tr(name), "fieldLabel"), row, 0, Qt.AlignmentFlag.AlignTop)
            shown = label(value, wrap=True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(shown, row, 1)
            self.values[name] = shown
        grid.setColumnStretch(1, 1)
        card.body.addLayout(grid)
        layout.addWidget(card)
        layout.addWidget(
            label(
                f"Python {platform.python_version()} · PySide6 {pyside_version} · "
                f"{platform.system()} {platform.release()}"
                + (" · executável" if getattr(sys, "frozen", False) else ""),
                "muted",
            )
        )

        buttons = QHBoxLayout()
        open_folder = QPushButton(self.tr("Abrir pasta de dados"))
        open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_dir())))
        )
        buttons.addWidget(open_folder)
        buttons.addStretch(1)
        close = QPushButton(self.tr("Fechar"))
        close.setProperty("primary", True)
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        close.setFocus()
        fit_to_screen(self)  # within the screen (1024×600 too)

    @classmethod
    def tell(cls, parent: QWidget | None) -> None:
        """Show the dialog (modal; Enter or Esc closes it). Tests patch this."""
        cls(parent).exec()
