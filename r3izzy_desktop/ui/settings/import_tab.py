"""Configurações › Importar (R24): bringing a clinic in from a spreadsheet.

Choose what (Pacientes or Pacotes) and the file; the preview lists every row with what
will happen (errors in red, the counts at the top); fix the file and "Recarregar";
"Importar" only when something can be imported (a backup is made first, then all or
nothing). Reading a big file and importing it run off the UI thread with progress. The
model spreadsheets are written by the core (SheetWriter, A4). The file dialog is the seam
`choose_file` (tests patch it); messages go through `messages`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import importing, users
from ..common import exports, messages
from ..common.jobs import Job
from ..common.operations import run_op
from ..common.table_model import RIGHT, Column, RowTableModel, make_table
from ..common.widgets import FormField, label

SHEET_FILTER = "Planilhas (*.xlsx *.csv);;Todos os arquivos (*)"
ERROR_COLOR = "#b42318"
SKIP_COLOR = "#64748b"


def choose_file(parent: QWidget | None, folder: Path) -> Path | None:
    """The spreadsheet to import (an open dialog); None when cancelled."""
    name, _filter = QFileDialog.getOpenFileName(
        parent, "Escolher a planilha a importar", str(folder), SHEET_FILTER
    )
    return Path(name) if name else None


def _color(row: importing.PreviewRow) -> str | None:
    if row.action == importing.ERROR:
        return ERROR_COLOR
    if row.action == importing.SKIP:
        return SKIP_COLOR
    return None


def preview_columns() -> list[Column[importing.PreviewRow]]:
    return [
        Column("Linha", lambda r: str(r.line), RIGHT, sort_key=lambda r: r.line, color=_color),
        Column("Situação", lambda r: r.action_label, color=_color),
        Column("Paciente", lambda r: r.name or "—", color=_color),
        Column(
            "O que acontece",
            lambda r: r.summary if r.action == importing.CREATE else r.message,
            color=_color,
            tooltip=lambda r: r.summary or r.message,
        ),
    ]


NARROWEST_KIND = 120  # px, the Importar chooser on a narrow screen


class ImportTab(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.path: Path | None = None
        self.found: importing.Preview | None = None
        self.task: Job | None = None
        self._reload_when_done = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 18, 12, 18)
        outer.setSpacing(12)
        outer.addWidget(
            label(
                self.tr(
                    "Traga os pacientes e os pacotes em aberto de uma planilha (.xlsx ou "
                    ".csv). Nada é gravado até você clicar em Importar; antes, o programa "
                    "faz um backup do banco."
                ),
                "muted",
                wrap=True,
            )
        )
        row = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Pacientes"), importing.PATIENTS)
        self.kind.addItem(self.tr("Pacotes em aberto"), importing.PACKAGES)
        # As wide as "Pacotes em aberto" when there is room, narrower on a 1024×600 screen
        # (with Windows' fonts its row made every Configurações tab 1 px too wide); the
        # list that opens shows each choice whole.
        self.kind.setMinimumWidth(NARROWEST_KIND)
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        row.addWidget(FormField(self.tr("Importar"), self.kind))
        self.choose_button = QPushButton(self.tr("Escolher planilha…"))
        self.choose_button.clicked.connect(self.choose)
        row.addWidget(self.choose_button)
        self.reload_button = QPushButton(self.tr("Recarregar"))
        self.reload_button.setToolTip(self.tr("Ler o arquivo de novo, depois de corrigi-lo"))
        self.reload_button.clicked.connect(self.reload)
        row.addWidget(self.reload_button)
        self.model_button = QPushButton(self.tr("Baixar planilha modelo"))
        self.model_button.clicked.connect(self.write_model)
        row.addWidget(self.model_button)
        row.addStretch(1)
        outer.addLayout(row)
        self.file_label = label(self.tr("Nenhuma planilha escolhida."), "muted", wrap=True)
        outer.addWidget(self.file_label)
        self.counts = label("", "sectionTitle", wrap=True)
        outer.addWidget(self.counts)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        outer.addWidget(self.progress)
        self.model: RowTableModel[importing.PreviewRow] = RowTableModel(preview_columns())
        self.table = make_table(self.model, "importPreview")
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((70, 150, 240)):
            self.table.setColumnWidth(column, width)
        outer.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Cancelar"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        buttons.addWidget(self.cancel_button)
        self.import_button = QPushButton(self.tr("Importar"))
        self.import_button.setProperty("primary", True)
        self.import_button.clicked.connect(self.start_import)
        buttons.addWidget(self.import_button)
        outer.addLayout(buttons)
        self._update_buttons()

    # -- state -----------------------------------------------------------------------------
    def busy(self) -> bool:
        return self.task is not None and self.task.is_running()

    def _update_buttons(self) -> None:
        busy = self.busy()
        allowed = users.can("importing.import_preview")
        can = self.found is not None and self.found.can_import
        self.import_button.setEnabled(can and allowed and not busy)
        self.import_button.setToolTip(
            "" if allowed else self.tr("Só administradores importam planilhas.")
        )
        self.reload_button.setEnabled(self.path is not None and not busy)
        for widget in (self.choose_button, self.kind, self.model_button):
            widget.setEnabled(not busy)
        self.cancel_button.setVisible(busy)
        self.progress.setVisible(busy)

    def refresh(self) -> None:
        self._update_buttons()

    # -- choosing and previewing ------------------------------------------------------------
    def choose(self) -> None:
        folder = self.path.parent if self.path else exports.start_folder()
        chosen = choose_file(self, folder)
        if chosen is None:
            return
        self.path = chosen
        self.reload()

    def reload(self) -> None:
        if self.path is None or self.busy():
            return
        kind, path = self.kind.currentData(), self.path
        self.file_label.setText(str(path))
        self.found = None
        self.model.set_rows([])
        self.counts.setText(self.tr("Lendo a planilha…"))
        self._run(lambda progress: importing.preview(kind, path, progress), self._previewed)

    def _previewed(self, found: importing.Preview) -> None:
        self.found = found
        self.model.set_rows(found.rows)
        self.counts.setText(importing.counts_text(found))
        self._update_buttons()

    # -- importing ------------------------------------------------------------------------
    def start_import(self) -> None:
        found = self.found
        if found is None or not found.can_import or self.busy():
            return
        what = importing.KIND_LABELS[found.kind]
        text = self.tr("Importar %1 %2 de %3? Antes, o programa faz um backup do banco.")
        text = text.replace("%1", str(found.to_create)).replace("%2", what)
        text = text.replace("%3", found.path.name)
        if found.errors:
            text += self.tr("\n\n%1 linha(s) com erro ficarão de fora.").replace(
                "%1", str(found.errors)
            )
        if not messages.confirm(self, self.tr("Importar planilha"), text, confirm_text="Importar"):
            return
        self._run(lambda progress: importing.import_preview(found, progress), self._imported)

    def _imported(self, result: importing.ImportResult) -> None:
        text = f"{importing.created_text(result.kind, result.created)} de {result.file_name}."
        if result.backup:
            text += f"\n\nBackup do banco antes da importação:\n{result.backup}"
        elif result.backup_note:
            text += f"\n\nSem backup automático ({result.backup_note})."
        messages.inform(self, self.tr("Importação concluída"), text)
        self._reload_when_done = True  # the file again, against the clinic as it is now

    # -- the background work --------------------------------------------------------------
    def _run(self, work, done) -> None:
        self.task = Job(work, name="importação")
        self.task.progressed.connect(self._progressed)
        self.task.succeeded.connect(done)
        self.task.failed.connect(self._failed)
        self.task.cancelled.connect(self._cancelled)
        self.task.ended.connect(self._ended)
        self.progress.setRange(0, 0)
        self.task.start()
        self._update_buttons()

    def _ended(self) -> None:
        self._update_buttons()
        if self._reload_when_done:
            self._reload_when_done = False
            self.reload()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _failed(self, error: BaseException) -> None:
        self.counts.setText(self.tr("A planilha não pôde ser importada."))
        messages.show_failure(self, error)

    def _cancelled(self) -> None:
        self.counts.setText(self.tr("Cancelado: nada foi gravado."))

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    # -- the model spreadsheet ------------------------------------------------------------
    def write_model(self) -> None:
        kind = self.kind.currentData()
        target = exports.ask_save_path(self, importing.model_file_name(kind))
        if target is None:
            return
        written = run_op(self, lambda: importing.write_model(kind, target))
        if written:
            messages.inform(
                self,
                self.tr("Planilha modelo"),
                self.tr("A planilha modelo foi gravada em:\n%1").replace("%1", str(written.value)),
            )
