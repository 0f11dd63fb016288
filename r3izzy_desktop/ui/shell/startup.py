"""What the user sees when the database cannot be opened at start-up, and the notice of
inconsistencies found by the integrity check run after the window shows.

`DatabaseProblemDialog.ask(parent, problem)` says what happened in plain Portuguese and
returns what the user chose: RETRY, OPEN_OTHER, RESTORE or QUIT. Tests patch `ask`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import DatabaseProblem, DomainError
from ...core.ptbr import format_datetime
from ..common.fit import fit_to_screen
from ..common.operations import run_op
from ..common.widgets import Card, icon, label, repolish

log = logging.getLogger(__name__)

RETRY = "retry"
OPEN_OTHER = "open_other"
RESTORE = "restore"
QUIT = "quit"

# kind -> (headline, what can be done). The core's message says what and where.
_KINDS: dict[str, tuple[str, str]] = {
    "locked": (
        "O banco de dados está em uso por outro programa",
        "Feche a outra cópia do R3izzy Desktop (ou o programa que está usando o arquivo) "
        "e clique em “Tentar novamente”.",
    ),
    "readonly": (
        "O banco de dados não pode ser gravado",
        "Confira se o arquivo e a pasta permitem gravação (e se o pendrive ou a unidade de "
        "rede não está protegido) e clique em “Tentar novamente”. Também é possível abrir "
        "outro arquivo.",
    ),
    "damaged": (
        "O banco de dados está danificado",
        "Restaure o backup mais recente. O arquivo danificado é guardado à parte, com outro "
        "nome: nada é apagado.",
    ),
    "missing": (
        "O banco de dados não foi encontrado",
        "Se ele fica num pendrive ou numa unidade de rede, conecte-a e clique em “Tentar "
        "novamente”. Se o arquivo mudou de lugar, use “Abrir outro arquivo…”; se ele se "
        "perdeu, restaure um backup.",
    ),
    "newer": (
        "O banco de dados é de uma versão mais nova do programa",
        "Atualize o R3izzy Desktop neste computador para a mesma versão usada nos outros "
        "e abra o programa de novo.",
    ),
    "connection": (
        "Não foi possível conectar ao banco de dados",
        "Confira a rede e se o servidor está ligado, e clique em “Tentar novamente”.",
    ),
    "migration": (
        "Não foi possível atualizar o banco de dados",
        "O banco continua como estava. Tente novamente; se o problema continuar, restaure "
        "um backup ou procure o suporte.",
    ),
}
_UNKNOWN = ("Não foi possível abrir o banco de dados", "Tente novamente ou abra outro arquivo.")


def headline(problem: DatabaseProblem) -> str:
    return _KINDS.get(problem.kind, _UNKNOWN)[0]


def advice(problem: DatabaseProblem) -> str:
    return _KINDS.get(problem.kind, _UNKNOWN)[1]


def can_restore(problem: DatabaseProblem) -> bool:
    """Backups are for SQLite files: a server database (no path) is restored on the server."""
    return problem.path is not None and problem.kind != "connection"


class DatabaseProblemDialog(QDialog):
    """Says what happened to the database and offers what can be done. Enter retries,
    Esc quits. Nothing in it changes the database; the caller acts on the choice."""

    def __init__(self, problem: DatabaseProblem, parent: QWidget | None = None):
        super().__init__(parent)
        self.choice = QUIT
        self.setWindowTitle(self.tr("R3izzy Desktop — banco de dados"))
        self.setMinimumWidth(720)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 18)
        layout.setSpacing(14)

        top = QHBoxLayout()
        top.setSpacing(14)
        mark = QLabel()
        mark.setPixmap(icon("app").pixmap(48, 48))
        mark.setAlignment(Qt.AlignmentFlag.AlignTop)
        top.addWidget(mark)
        self.headline = label(self.tr(headline(problem)), "dialogTitle", wrap=True)
        top.addWidget(self.headline, 1)
        layout.addLayout(top)

        card = Card()
        self.details = label(str(problem), wrap=True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        card.body.addWidget(self.details)
        layout.addWidget(card)

        layout.addWidget(label(self.tr("O que fazer"), "sectionTitle"))
        self.advice = label(self.tr(advice(problem)), wrap=True)
        layout.addWidget(self.advice)
        layout.addWidget(
            label(self.tr("Nada foi alterado no banco de dados. Nada foi apagado."), "muted")
        )

        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.buttons: dict[str, QPushButton] = {}
        for choice, text in (
            (RETRY, self.tr("Tentar novamente")),
            (OPEN_OTHER, self.tr("Abrir outro arquivo…")),
            (RESTORE, self.tr("Restaurar backup…")),
        ):
            button = QPushButton(text)
            button.setMinimumWidth(button.sizeHint().width())
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
            self.buttons[choice] = button
            buttons.addWidget(button)
        self.buttons[RESTORE].setVisible(can_restore(problem))
        buttons.addStretch(1)
        quit_button = QPushButton(self.tr("Sair"))
        quit_button.clicked.connect(self.reject)
        self.buttons[QUIT] = quit_button
        buttons.addWidget(quit_button)
        layout.addLayout(buttons)

        primary = RESTORE if problem.kind == "damaged" and can_restore(problem) else RETRY
        self.buttons[primary].setProperty("primary", True)
        repolish(self.buttons[primary])
        self.buttons[primary].setDefault(True)
        self.buttons[primary].setFocus()
        fit_to_screen(self)  # within the screen (1024×600 too)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def reject(self) -> None:
        self.choice = QUIT
        super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, problem: DatabaseProblem) -> str:
        """RETRY, OPEN_OTHER, RESTORE or QUIT (also when the window is closed)."""
        dialog = cls(problem, parent)
        dialog.exec()
        return dialog.choice


class IntegrityNotice(QPushButton):
    """A discreet button in the status bar: "N inconsistências encontradas". Clicking it
    shows the list in a window that does not block the app."""

    def __init__(self, problems: list, parent: QWidget | None = None):
        super().__init__(parent)
        self.problems = [str(p) for p in problems]
        count = len(self.problems)
        self.setText(
            self.tr("⚠ 1 inconsistência encontrada — ver")
            if count == 1
            else self.tr("⚠ %n inconsistências encontradas — ver").replace("%n", str(count))
        )
        self.setProperty("danger", True)
        self.setToolTip(self.tr("A verificação dos pacotes encontrou dados que não batem."))
        self.dialog: IntegrityReportDialog | None = None
        self.clicked.connect(self.show_report)

    def show_report(self) -> None:
        if self.dialog is None:
            self.dialog = IntegrityReportDialog(self.problems, self.window())
        self.dialog.show()
        self.dialog.raise_()


class IntegrityReportDialog(QDialog):
    """The inconsistencies, one per line; non-modal (the app keeps working)."""

    def __init__(self, problems: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Verificação dos pacotes"))
        self.setModal(False)
        fit_to_screen(self, (640, 380))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(label(self.tr("Inconsistências encontradas"), "sectionTitle"))
        layout.addWidget(
            label(
                self.tr(
                    "Os números destes pacotes ou sessões não batem com os débitos e o "
                    "histórico. Confira cada um; o comando “r3izzy-desktop check” repete a "
                    "verificação."
                ),
                "muted",
                wrap=True,
            )
        )
        self.list = QListWidget()
        self.list.addItems(problems)
        layout.addWidget(self.list, 1)
        close = QPushButton(self.tr("Fechar"))
        close.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)


# --- opening the database at start-up ----------------------------------------------------


def open_with_recovery(url: str, *, create: bool, parent: QWidget | None = None) -> str | None:
    """Open the database at `url`; while it cannot be opened, say why and do what the user
    chooses (try again, open another file, restore a backup). Returns the URL that was
    opened, or None when the user chose to quit. Never creates a database in place of one
    that is missing (`create` is False for a database opened before)."""
    from ...core.database import open_database, sqlite_path_of

    while True:
        try:
            open_database(url, create=create)
            return url
        except DatabaseProblem as exc:
            problem = exc
        except DomainError as exc:
            problem = DatabaseProblem(str(exc), "connection", sqlite_path_of(url))
        except Exception as exc:  # a bug: logged with its traceback, told in plain words
            log.exception("unexpected error opening %s", url)
            problem = DatabaseProblem(
                f"Erro inesperado ao abrir o banco de dados:\n{sqlite_path_of(url) or url}\n\n"
                f"{exc}",
                "unknown",
                sqlite_path_of(url),
            )
        log.warning("database problem (%s): %s", problem.kind, problem)
        choice = DatabaseProblemDialog.ask(parent, problem)
        log.info("user chose %s", choice)
        if choice == QUIT:
            return None
        if choice == OPEN_OTHER:
            folder = Path(problem.path).parent if problem.path else Path.home()
            from ..settings import backup_dialogs  # only when it is needed: not at every start

            chosen = backup_dialogs.choose_database_file(parent, folder)
            if chosen is not None:
                url, create = str(chosen.resolve()), False
        elif choice == RESTORE:
            restore_from_backup(parent, url)


def restore_from_backup(parent: QWidget | None, url: str | None = None) -> bool:
    """Let the user pick a backup (the automatic ones, or any file), check it, confirm, and
    restore it into the database at `url` (default: the open one). True when restored.
    Runs in the calling thread: at start-up there is no window to keep responsive."""
    from ...core import backup
    from ..settings import backup_dialogs  # only when a dialog is needed: not at start-up

    try:
        backups = backup.list_backups(url)
    except DomainError:
        backups = []
    chosen = backup_dialogs.ChooseBackupDialog.ask(parent, backups, backup.backups_dir())
    if chosen is None:
        return False
    made_at = next((b.made_at for b in backups if b.path == chosen), None)
    checked = _waiting(
        parent, lambda: backup.validate(chosen), "Este backup não pode ser restaurado"
    )
    if not checked or not backup_dialogs.confirm_restore(
        parent, checked.value, format_datetime(made_at) if made_at else None
    ):
        return False
    restored = _waiting(parent, lambda: backup.restore(chosen, url), "Não foi possível restaurar")
    if not restored:
        return False
    from ..common import messages  # not before the first paint (test_startup_speed.py)

    messages.inform(parent, "Backup restaurado", backup_dialogs.restored_text(restored.value))
    return True


def _waiting(parent: QWidget | None, operation, title: str):
    """`run_op` under the wait cursor: at start-up there is no window to keep responsive."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return run_op(parent, operation, title=title)
    finally:
        QApplication.restoreOverrideCursor()
