"""Configurações › Backups: a backup now into a chosen file, the automatic backups, and
restoring one. Copies and restores run off the UI thread; the screen says what it is doing.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from ...core import backup, clock
from ...core.database import is_postgres
from ...core.errors import DomainError
from ...core.ptbr import format_datetime
from ..common import messages
from ..common.jobs import Job
from ..common.widgets import Card, is_connected, label
from . import backup_dialogs

log = logging.getLogger(__name__)


class BackupsSection(QWidget):
    """The Backups tab. `refresh()` re-reads the list of automatic backups."""

    # The data under every page was replaced (a restore): (this tab's title, "").
    data_replaced = Signal(str, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.task: Job | None = None
        self._restoring: Path | None = None
        self._made_at: str | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 18, 18, 18)
        outer.setSpacing(16)

        now_card = Card()
        now_card.body.addWidget(label(self.tr("Backup agora"), "sectionTitle"))
        now_card.body.addWidget(
            label(
                self.tr(
                    "Grava uma cópia completa do banco de dados num arquivo que você escolher "
                    "— num pendrive ou na nuvem, por exemplo. Pode ser feito com o programa "
                    "em uso."
                ),
                "muted",
                wrap=True,
            )
        )
        row = QHBoxLayout()
        self.backup_button = QPushButton(self.tr("Fazer backup agora"))
        self.backup_button.setProperty("primary", True)
        self.backup_button.clicked.connect(self.backup_now)
        row.addWidget(self.backup_button)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy, no percentage
        self.progress.setMaximumWidth(180)
        self.progress.setVisible(False)
        row.addWidget(self.progress)
        self.status = label("", "muted", wrap=True)
        row.addWidget(self.status, 1)
        now_card.body.addLayout(row)
        outer.addWidget(now_card)

        auto_card = Card()
        auto_card.body.addWidget(label(self.tr("Backups automáticos"), "sectionTitle"))
        self.auto_text = label("", "muted", wrap=True)
        self.auto_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        auto_card.body.addWidget(self.auto_text)
        self.view, self.model = backup_dialogs.backup_table(self)
        self.view.setMinimumHeight(220)
        self.view.doubleClicked.connect(lambda _index: self.restore_selected())
        auto_card.body.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.restore_file_button = QPushButton(self.tr("Restaurar de um arquivo…"))
        self.restore_file_button.clicked.connect(self.restore_from_file)
        buttons.addWidget(self.restore_file_button)
        self.restore_button = QPushButton(self.tr("Restaurar backup"))
        messages.mark_danger(self.restore_button)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.addWidget(self.restore_button)
        auto_card.body.addLayout(buttons)
        outer.addWidget(auto_card, 1)

        self.server_note = label(self.tr(backup.POSTGRES_HINT), wrap=True)
        self.server_note.setVisible(False)
        outer.addWidget(self.server_note)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.refresh()

    # -- state ----------------------------------------------------------------------------
    def refresh(self) -> None:
        server = is_postgres()
        self.server_note.setVisible(server)
        if server:
            self.model.set_rows([])
            self.auto_text.setText(self.tr("Num servidor PostgreSQL o backup é feito no servidor."))
        else:
            try:
                rows = backup.list_backups()
                folder = str(backup.backups_dir())
            except DomainError as exc:
                rows, folder = [], str(exc)
            self.model.set_rows(rows)
            self.auto_text.setText(
                self.tr(
                    "Feitos ao abrir o programa pela primeira vez no dia e ao fechá-lo. "
                    "Ficam guardados os dos últimos %1 dias e um por semana das %2 semanas "
                    "anteriores, na pasta:\n%3"
                )
                .replace("%1", str(backup.KEEP_DAILY))
                .replace("%2", str(backup.KEEP_WEEKLY))
                .replace("%3", folder)
            )
        self._update_buttons()

    def busy(self) -> bool:
        return self.task is not None and self.task.is_running()

    def _update_buttons(self) -> None:
        usable = not is_postgres() and not self.busy()
        self.backup_button.setEnabled(usable)
        self.restore_file_button.setEnabled(usable)
        self.restore_button.setEnabled(
            usable and backup_dialogs.selected_backup(self.view) is not None
        )

    def _start(self, text: str, work, done, failed) -> None:
        self.status.setText(text)
        self.progress.setVisible(True)
        # A job, not a thread of this tab: closing the window or the app meanwhile never
        # destroys a backup or a restore halfway (the app waits for it when quitting).
        self.task = Job(lambda _progress: work(), "backup")
        self.task.succeeded.connect(done)
        self.task.failed.connect(failed)
        self.task.ended.connect(self._finished)
        self._update_buttons()
        self.task.start()

    def _finished(self) -> None:
        self.progress.setVisible(False)
        self._update_buttons()

    # -- backup now -----------------------------------------------------------------------
    def backup_now(self) -> None:
        suggested = Path.home() / f"r3izzy-backup-{clock.now():%Y-%m-%d_%H%M}.db"
        target = backup_dialogs.choose_backup_target(self, suggested)
        if target is None:
            return
        if not target.suffix:
            target = target.with_suffix(".db")
        self._start(
            self.tr("Fazendo o backup…"),
            lambda: backup.backup_now(target),
            self._backup_done,
            self._backup_failed,
        )

    def _backup_done(self, path) -> None:
        self.status.setText(self.tr("Backup gravado em %1").replace("%1", str(path)))
        messages.inform(
            self,
            self.tr("Backup feito"),
            self.tr("O backup foi gravado em:\n%1").replace("%1", str(path)),
        )

    def _backup_failed(self, error) -> None:
        self.status.setText("")
        self._show_error(error, self.tr("Não foi possível fazer o backup"))

    # -- restore --------------------------------------------------------------------------
    def restore_selected(self) -> None:
        chosen = backup_dialogs.selected_backup(self.view)
        if chosen is not None and not self.busy():
            self._check_then_restore(chosen.path, format_datetime(chosen.made_at))

    def restore_from_file(self) -> None:
        path = backup_dialogs.choose_backup_source(self, backup.backups_dir())
        if path is not None:
            self._check_then_restore(path, None)

    def _check_then_restore(self, path: Path, made_at: str | None) -> None:
        self._restoring = path
        self._made_at = made_at
        self._start(
            self.tr("Conferindo o backup…"),
            lambda: backup.validate(path),
            self._checked,
            self._restore_failed,
        )

    def _checked(self, info) -> None:
        self.status.setText("")
        if not backup_dialogs.confirm_restore(self, info, self._made_at):
            return
        path = self._restoring
        self._start(
            self.tr("Restaurando o backup…"),
            lambda: backup.restore(path),
            self._restored,
            self._restore_failed,
        )

    def _restored(self, result) -> None:
        self.status.setText("")
        messages.inform(self, self.tr("Backup restaurado"), backup_dialogs.restored_text(result))
        if is_connected(self, self.data_replaced):
            self.data_replaced.emit("Backups", "")  # the shell rebuilds every page on it
        else:
            self.refresh()

    def _restore_failed(self, error) -> None:
        self.status.setText("")
        self._show_error(error, self.tr("Não foi possível restaurar"))

    def _show_error(self, error, title: str) -> None:
        if isinstance(error, DomainError):
            messages.show_domain_error(self, error, title)
        else:
            messages.show_error(self, f"Erro inesperado: {error}", title)
