"""Qt's standard dialogs in Portuguese, in the app and under the tests (issue 15, item 12:
the save dialog of Exportar showed "Look in:" and "Files of type:")."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QCalendarWidget,
    QFileDialog,
    QLabel,
    QMessageBox,
    QToolButton,
    QWidget,
)

# English words of Qt's dialogs; none may show once pt_BR is installed.
ENGLISH = re.compile(
    r"\b(Look|Files|File|Save|Open|Cancel|Name|Size|Type|Date|Modified|Back|Forward|"
    r"Parent|Directory|Folder|Detail|View|Today|Yes|No|Close|Computer)\b"
)


def shown_texts(widget: QWidget) -> list[str]:
    texts = []
    for child in widget.findChildren(QWidget):
        if not child.isVisibleTo(widget):
            continue
        if isinstance(child, QLabel | QAbstractButton):
            texts.append(child.text().replace("&", ""))
        if child.toolTip():
            texts.append(child.toolTip())
    return [t for t in texts if t]


@pytest.mark.parametrize(
    "mode", [QFileDialog.AcceptMode.AcceptSave, QFileDialog.AcceptMode.AcceptOpen]
)
def test_the_file_dialogs_speak_portuguese(qtbot, tmp_path, mode):
    dialog = QFileDialog(None, "Salvar como", str(tmp_path), "Planilha do Excel (*.xlsx)")
    dialog.setAcceptMode(mode)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own, as on Linux
    qtbot.addWidget(dialog)
    dialog.show()
    texts = shown_texts(dialog)
    assert "Procurar em:" in texts
    assert "Arquivos do tipo:" in texts
    assert [t for t in texts if ENGLISH.search(t)] == []


def test_message_box_buttons_and_the_calendar_speak_portuguese(qtbot):
    box = QMessageBox(QMessageBox.Icon.Question, "Título", "Texto")
    box.setStandardButtons(
        QMessageBox.StandardButton.Yes
        | QMessageBox.StandardButton.No
        | QMessageBox.StandardButton.Cancel
    )
    qtbot.addWidget(box)
    box.show()
    assert [t for t in shown_texts(box) if ENGLISH.search(t)] == []
    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    calendar.show()
    tips = [b.toolTip() for b in calendar.findChildren(QToolButton) if b.toolTip()]
    assert [t for t in tips if ENGLISH.search(t)] == []


def test_the_apps_own_strings_pass_through_untouched():
    from PySide6.QtCore import QCoreApplication

    assert QCoreApplication.translate("messages", "Confirmar") == "Confirmar"
    assert QCoreApplication.translate("QFileDialog", "&Save") == "&Salvar"
