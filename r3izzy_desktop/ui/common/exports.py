"""Exporting to Excel from the app: a patient's packages (the package list's "Exportar",
manual 2) and the package report ("Exportar Excel", manual 2.1).

Each export asks where to save (`ask_save_path`, the seam tests patch) with a suggested
name like `pacotes-ana-souza-2025-07-03.xlsx`, then writes the file off the UI thread
(`jobs.Job`) while a progress indicator with "Cancelar" shows; the window stays
responsive. The workbook appears only when complete (core/reports/export.py), so cancelling,
closing the window or quitting never leaves a damaged file.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QStandardPaths, Qt, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from ...core import clinic
from ...core.reports import export
from . import messages
from .jobs import Job
from .operations import run_op

log = logging.getLogger(__name__)

LAST_FOLDER_KEY = "exports/last_folder"
EXCEL_FILTER = "Planilha do Excel (*.xlsx)"


def tr(text: str) -> str:
    return QCoreApplication.translate("exports", text)


# --- the save dialog seam -----------------------------------------------------------------


def start_folder() -> Path:
    """Where the save dialog opens: the last folder used, else Documentos, else home."""
    saved = QSettings().value(LAST_FOLDER_KEY)
    if isinstance(saved, str) and saved and Path(saved).is_dir():
        return Path(saved)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def remember_folder(path: Path) -> None:
    QSettings().setValue(LAST_FOLDER_KEY, str(path.parent))


def ask_save_path(
    parent: QWidget | None, default_name: str, *, file_filter: str = EXCEL_FILTER
) -> Path | None:
    """The native save dialog; the chosen path (with the filter's suffix added when the
    user left it out), or None when cancelled. Tests replace this function."""
    chosen, _ = QFileDialog.getSaveFileName(
        parent, tr("Salvar como"), str(start_folder() / default_name), file_filter
    )
    if not chosen:
        return None
    path = Path(chosen)
    suffix = ".pdf" if "*.pdf" in file_filter else ".xlsx"
    if path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
    remember_folder(path)
    return path


# --- running an export ----------------------------------------------------------------------

_UNOWNED: set[ExportRun] = set()


class ExportRun(QObject):
    """One export: its job, a progress dialog for callers without a place of their own to
    show progress, and the final message. Emits `finished(path or None)` in the UI thread."""

    finished = Signal(object)

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        write: Any,
        *,
        done_text: str,
        progress_dialog: bool = True,
    ):
        super().__init__(parent)
        self._parent = parent
        self._title = title
        self._done_text = done_text
        self.path: Path | None = None
        self.job = Job(write, name=title)
        self.job.succeeded.connect(self._succeeded)
        self.job.failed.connect(self._failed)
        self.job.cancelled.connect(self._cancelled)
        self.dialog: QProgressDialog | None = None
        if progress_dialog:
            self.dialog = QProgressDialog(title, tr("Cancelar"), 0, 100, parent)
            self.dialog.setWindowTitle(title)
            self.dialog.setWindowModality(Qt.WindowModality.NonModal)
            self.dialog.setMinimumDuration(400)  # a quick export shows no dialog at all
            self.dialog.setAutoClose(False)
            self.dialog.setAutoReset(False)
            self.dialog.setValue(0)
            self.dialog.canceled.connect(self.job.cancel)
            self.job.progressed.connect(self._progressed)

    def start(self) -> ExportRun:
        if self._parent is None:  # nothing owns it: keep it until it finished
            _UNOWNED.add(self)
            self.finished.connect(lambda _path: _UNOWNED.discard(self))
        self.job.start()
        return self

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        if self.dialog is not None:
            self.dialog.setMaximum(max(total, 1))
            self.dialog.setValue(min(done, total))

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.job.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    @Slot(object)
    def _succeeded(self, path: Path) -> None:
        self._close_dialog()
        self.path = Path(path)
        messages.file_saved(self._parent, self._title, f"{self._done_text}\n{path}", path)
        self.finished.emit(self.path)

    @Slot(object)
    def _failed(self, error: Exception) -> None:
        self._close_dialog()
        messages.show_failure(self._parent, error)
        self.finished.emit(None)

    @Slot()
    def _cancelled(self) -> None:
        self._close_dialog()
        self.finished.emit(None)


def export_patient_packages(parent: QWidget | None, patient_id: int) -> None:
    """Manual 2, "Exportar os pacotes deste cliente em formato Excel": every package of the
    patient and its history, to a file the user chooses."""
    read = run_op(parent, lambda: clinic.get_patient(patient_id))
    if not read:
        return
    patient = read.value
    path = ask_save_path(parent, export.patient_export_name(patient.name))
    if path is None:
        return

    def write(progress):
        return export.patient_packages_xlsx(patient_id, path, progress=progress)

    ExportRun(
        parent,
        tr("Exportar pacotes"),
        write,
        done_text=tr("Os pacotes de {0} foram exportados para:").format(patient.name),
    ).start()


def export_package_report(
    parent: QWidget | None,
    *,
    paid_from: date | None = None,
    paid_to: date | None = None,
    status: str | None = None,
    patient: int | str | None = None,
    expired: bool = False,
    include_history: bool = True,
    progress_dialog: bool = True,
) -> ExportRun | None:
    """The package report with these filters to a file the user chooses; None when the
    user cancelled the save dialog. The report window shows the progress itself
    (`progress_dialog=False`) and listens to the returned run."""
    path = ask_save_path(parent, export.report_export_name())
    if path is None:
        return None

    def write(progress):
        return export.package_report_xlsx(
            path,
            progress=progress,
            paid_from=paid_from,
            paid_to=paid_to,
            status=status,
            patient=patient,
            expired=expired,
            include_history=include_history,
        )

    return ExportRun(
        parent,
        tr("Exportar relatório de pacotes"),
        write,
        done_text=tr("O relatório de pacotes foi exportado para:"),
        progress_dialog=progress_dialog,
    ).start()


def export_patient_data(parent: QWidget | None, patient_id: int) -> None:
    """LGPD, "Exportar dados do paciente": everything the clinic holds about the patient
    (the patient, sessions, packages, history, payments) in one workbook."""
    from ...core.reports import data_sheets

    path = ask_save_path(parent, data_sheets.patient_data_name(patient_id))
    if path is None:
        return
    ExportRun(
        parent,
        tr("Exportar dados do paciente"),
        lambda _progress: data_sheets.patient_data_xlsx(patient_id, path),
        done_text=tr("Os dados do paciente foram exportados para:"),
    ).start()


def export_audit(parent: QWidget | None, **filters: Any) -> None:
    """Configurações › Auditoria's "Exportar": the filtered log in one workbook."""
    from ...core.reports import data_sheets

    path = ask_save_path(parent, data_sheets.audit_export_name())
    if path is None:
        return
    ExportRun(
        parent,
        tr("Exportar auditoria"),
        lambda _progress: data_sheets.audit_xlsx(path, **filters),
        done_text=tr("A auditoria foi exportada para:"),
    ).start()
