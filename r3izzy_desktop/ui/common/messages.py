"""The narrow seam through which the screens ask and tell the user things.

Every message box goes through these functions, called as `messages.confirm(...)` (the
module attribute, never imported by name), so tests replace them and no test ever
blocks on a modal dialog.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from ...core.errors import DomainError

log = logging.getLogger(__name__)


def tr(text: str) -> str:
    return QCoreApplication.translate("messages", text)


def _box(parent: QWidget | None, icon, title: str, text: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    confirm_text: str | None = None,
    cancel_text: str | None = None,
    destructive: bool = False,
) -> bool:
    """Ask yes/no; Esc cancels. Enter confirms, except when the action is `destructive`
    (Remover, Excluir, Estornar…): then the safe choice, Cancelar, is the default and the
    destructive button must be clicked (or reached with Tab). True when confirmed."""
    box, yes, _no = confirm_box(
        parent,
        title,
        text,
        confirm_text=confirm_text,
        cancel_text=cancel_text,
        destructive=destructive,
    )
    box.exec()
    return box.clickedButton() is yes


def confirm_box(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    confirm_text: str | None = None,
    cancel_text: str | None = None,
    destructive: bool = False,
) -> tuple[QMessageBox, QPushButton, QPushButton]:
    """The box `confirm` shows (built apart so tests check its default button)."""
    box = _box(
        parent, QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question, title, text
    )
    yes = box.addButton(confirm_text or tr("Confirmar"), QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(cancel_text or tr("Cancelar"), QMessageBox.ButtonRole.RejectRole)
    if destructive:
        mark_danger(yes)
    box.setDefaultButton(no if destructive else yes)
    box.setEscapeButton(no)
    return box, yes, no


def mark_danger(button: QPushButton) -> None:
    """A destructive button: red (style: [danger="true"]) and never the default, so Enter
    never deletes, voids or refunds."""
    button.setProperty("danger", True)
    button.setAutoDefault(False)
    button.setDefault(False)


def choose(
    parent: QWidget | None,
    title: str,
    text: str,
    options: list[str],
    *,
    cancel_text: str | None = None,
    default: int = 0,
    destructive: tuple[int, ...] = (),
) -> int | None:
    """Offer several buttons; returns the index chosen, None when cancelled (Esc). Enter
    picks `default`; the `destructive` options are red and never the default."""
    box, buttons, _cancel = choose_box(
        parent,
        title,
        text,
        options,
        cancel_text=cancel_text,
        default=default,
        destructive=destructive,
    )
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else None


def choose_box(
    parent: QWidget | None,
    title: str,
    text: str,
    options: list[str],
    *,
    cancel_text: str | None = None,
    default: int = 0,
    destructive: tuple[int, ...] = (),
) -> tuple[QMessageBox, list[QPushButton], QPushButton]:
    """The box `choose` shows (built apart so tests check its default button)."""
    box = _box(parent, QMessageBox.Icon.Question, title, text)
    buttons = [box.addButton(option, QMessageBox.ButtonRole.AcceptRole) for option in options]
    cancel = box.addButton(cancel_text or tr("Cancelar"), QMessageBox.ButtonRole.RejectRole)
    for index in destructive:
        mark_danger(buttons[index])
    box.setDefaultButton(cancel if default in destructive else buttons[default])
    box.setEscapeButton(cancel)
    return box, buttons, cancel


def inform(parent: QWidget | None, title: str, text: str) -> None:
    box = _box(parent, QMessageBox.Icon.Information, title, text)
    box.addButton(tr("OK"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


OPEN_FILE, OPEN_FOLDER = "file", "folder"


def file_saved_box(
    parent: QWidget | None, title: str, text: str
) -> tuple[QMessageBox, dict[QPushButton, str]]:
    """The box `file_saved` shows: "Abrir arquivo", "Abrir pasta" and "Fechar" (the default,
    and Esc), built apart so tests check its buttons."""
    box = _box(parent, QMessageBox.Icon.Information, title, text)
    opened = box.addButton(tr("Abrir arquivo"), QMessageBox.ButtonRole.ActionRole)
    folder = box.addButton(tr("Abrir pasta"), QMessageBox.ButtonRole.ActionRole)
    close = box.addButton(tr("Fechar"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(close)
    box.setEscapeButton(close)
    return box, {opened: OPEN_FILE, folder: OPEN_FOLDER}


def file_saved(parent: QWidget | None, title: str, text: str, path: Path | str) -> None:
    """Tell that a file (an export, a PDF) was saved at `path` and offer to open it or the
    folder holding it, with the system's program for it."""
    box, actions = file_saved_box(parent, title, text)
    box.exec()
    action = actions.get(box.clickedButton())
    if action is not None:
        open_saved(parent, Path(path), action)


def open_saved(parent: QWidget | None, path: Path, action: str) -> bool:
    """Open `path` (OPEN_FILE) or its folder (OPEN_FOLDER) with the system's program; a
    clear message when the system has none or the file is gone."""
    target = path if action == OPEN_FILE else path.parent
    if target.exists() and QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
        return True
    what = tr("o arquivo") if action == OPEN_FILE else tr("a pasta")
    show_error(parent, tr("Não foi possível abrir {0}:\n{1}").format(what, target))
    return False


def show_error(parent: QWidget | None, text: str, title: str | None = None) -> None:
    """A failure the user can act on (a DomainError's message, as it is)."""
    box = _box(parent, QMessageBox.Icon.Warning, title or tr("Não foi possível concluir"), text)
    box.addButton(tr("OK"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def show_domain_error(parent: QWidget | None, error: DomainError, title: str | None = None) -> None:
    log.info("shown to the user: %s: %s", type(error).__name__, error)
    show_error(parent, str(error), title)


def show_unexpected(parent: QWidget | None, log_path: str | None) -> None:
    """A bug: a friendly message; the details went to the log file."""
    where = f"\n\nOs detalhes foram gravados em:\n{log_path}" if log_path else ""
    box = _box(
        parent,
        QMessageBox.Icon.Critical,
        tr("Algo deu errado"),
        tr(
            "Ocorreu um erro inesperado. Nada do que já estava salvo foi perdido; "
            "a última ação pode não ter sido concluída."
        )
        + where,
    )
    box.addButton(tr("OK"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def show_failure(parent: QWidget | None, error: BaseException) -> None:
    """A background job's failure: a DomainError's message as it is; anything else is a
    bug (the job logged it): the unexpected-error dialog with the log file's path."""
    if isinstance(error, DomainError):
        show_domain_error(parent, error)
        return
    from ...logs import log_file

    show_unexpected(parent, str(log_file()))
