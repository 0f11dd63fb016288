"""Dialogs shared by the Backups tab and the start-up problem flow: choosing files,
choosing one of the automatic backups, and confirming a restore.

Every function that opens a dialog is a seam tests patch (called through the module):
`choose_backup_target`, `choose_backup_source`, `choose_database_file`,
`ChooseBackupDialog.ask`; the confirmation goes through `messages.confirm`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.backup import BackupFile, BackupInfo
from ...core.ptbr import format_datetime
from ...core.text import plural
from ..common import messages
from ..common.fit import fit_to_screen
from ..common.table_model import RIGHT, ROW_ROLE, Column, RowTableModel, make_table
from ..common.widgets import label

DATABASE_FILTER = "Banco de dados do R3izzy (*.db *.sqlite *.bak);;Todos os arquivos (*)"


def format_size(size: int) -> str:
    """`1,2 MB`, in the pt-BR way."""
    return QLocale().formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeSIFormat)


def backup_columns() -> list[Column[BackupFile]]:
    return [
        Column("Feito em", lambda b: format_datetime(b.made_at), sort_key=lambda b: b.made_at),
        Column("Quando", lambda b: b.reason_label),
        Column("Tamanho", lambda b: format_size(b.size), RIGHT, sort_key=lambda b: b.size),
    ]


def backup_table(parent: QWidget | None = None) -> tuple[QTableView, RowTableModel[BackupFile]]:
    """A read-only table of automatic backups, whole rows selected, one at a time."""
    model: RowTableModel[BackupFile] = RowTableModel(backup_columns(), parent=parent)
    view = make_table(model, view=QTableView(parent))
    header = view.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
    return view, model


def selected_backup(view: QTableView) -> BackupFile | None:
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    return rows[0].data(ROW_ROLE) if rows else None


def choose_backup_target(parent: QWidget | None, suggested: Path) -> Path | None:
    """Where to write a backup (a save dialog); None when cancelled."""
    name, _filter = QFileDialog.getSaveFileName(
        parent, "Salvar backup como", str(suggested), DATABASE_FILTER
    )
    return Path(name) if name else None


def choose_backup_source(parent: QWidget | None, folder: Path) -> Path | None:
    """A backup file to restore (an open dialog); None when cancelled."""
    name, _filter = QFileDialog.getOpenFileName(
        parent, "Escolher o backup a restaurar", str(folder), DATABASE_FILTER
    )
    return Path(name) if name else None


def choose_database_file(parent: QWidget | None, folder: Path) -> Path | None:
    """An existing database to open instead; None when cancelled."""
    name, _filter = QFileDialog.getOpenFileName(
        parent, "Abrir banco de dados", str(folder), DATABASE_FILTER
    )
    return Path(name) if name else None


def confirm_restore(parent: QWidget | None, info: BackupInfo, made_at: str | None) -> bool:
    """Ask before replacing the database with a validated backup."""
    when = f" de {made_at}" if made_at else ""
    return messages.confirm(
        parent,
        "Restaurar backup",
        f"Restaurar o backup{when}?\n\n"
        f"Arquivo: {info.path}\n"
        f"Ele tem {plural(info.patients, 'paciente', 'pacientes')}, "
        f"{plural(info.packages, 'pacote', 'pacotes')} e "
        f"{plural(info.sessions, 'sessão', 'sessões')}.\n\n"
        "Os dados atuais serão substituídos pelos do backup. Antes disso, uma cópia do "
        "banco atual é guardada na pasta de backups.",
        confirm_text="Restaurar",
        destructive=True,
    )


class ChooseBackupDialog(QDialog):
    """The automatic backups, newest first, or another file. Enter restores the selected
    one, Esc cancels."""

    def __init__(self, backups: list[BackupFile], folder: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.chosen: Path | None = None
        self._folder = folder
        self.setWindowTitle(self.tr("Restaurar backup"))
        fit_to_screen(self, (620, 420))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(label(self.tr("Escolha o backup a restaurar"), "dialogTitle"))
        layout.addWidget(
            label(
                self.tr("Backups automáticos em %1").replace("%1", str(folder))
                if backups
                else self.tr("Nenhum backup automático encontrado em %1.").replace(
                    "%1", str(folder)
                ),
                "muted",
                wrap=True,
            )
        )
        self.view, self.model = backup_table(self)
        self.model.set_rows(backups)
        self.view.doubleClicked.connect(lambda _index: self._restore_selected())
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        other = QPushButton(self.tr("Outro arquivo…"))
        other.clicked.connect(self._choose_other)
        row.addWidget(other)
        row.addStretch(1)
        cancel = QPushButton(self.tr("Cancelar"))
        cancel.clicked.connect(self.reject)
        row.addWidget(cancel)
        self.restore_button = QPushButton(self.tr("Restaurar"))
        self.restore_button.setProperty("primary", True)
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self._restore_selected)
        row.addWidget(self.restore_button)
        layout.addLayout(row)
        if backups:
            self.view.selectRow(0)
            self.view.setFocus()
        self.restore_button.setEnabled(bool(backups))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)

    def _restore_selected(self) -> None:
        chosen = selected_backup(self.view)
        if chosen is not None:
            self.chosen = chosen.path
            self.accept()

    def _choose_other(self) -> None:
        path = choose_backup_source(self, self._folder)
        if path is not None:
            self.chosen = path
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, backups: list[BackupFile], folder: Path) -> Path | None:
        dialog = cls(backups, folder, parent)
        dialog.exec()
        return dialog.chosen


def restored_text(result) -> str:
    """What a finished restore says: where the data came from and what was kept."""
    text = f"O banco de dados foi restaurado a partir de:\n{result.info.path}"
    if result.safety_copy:
        text += f"\n\nO banco anterior foi guardado em:\n{result.safety_copy}"
    if result.set_aside:
        text += f"\n\nO arquivo danificado foi guardado como:\n{result.set_aside}"
    return text
