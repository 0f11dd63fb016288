"""Keyboard (issue 15, item 10): a visible focus on every kind of button, and the safe
choice as the default of every confirmation, so Enter never deletes, voids or refunds."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton

from r3izzy_desktop.ui.common import messages


def render(button):
    return button.grab().toImage()


@pytest.mark.parametrize(
    "kind", [None, ("primary", True), ("danger", True), ("flat", True), ("compact", True)]
)
def test_a_focused_button_looks_different(qtbot, kind):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    row = QHBoxLayout(dialog)
    button = QPushButton("Criar pacote")
    other = QPushButton("← Voltar")
    if kind:
        button.setProperty(*kind)
    row.addWidget(other)
    row.addWidget(button)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    other.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(other.hasFocus)
    plain = render(button)
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus)
    button.style().unpolish(button)
    button.style().polish(button)
    focused = render(button)
    assert plain != focused


def test_a_destructive_confirmation_defaults_to_cancel(qtbot):
    box, yes, no = messages.confirm_box(
        None, "Excluir sessão", "Excluir?", confirm_text="Excluir", destructive=True
    )
    qtbot.addWidget(box)
    assert box.defaultButton() is no
    assert yes.property("danger") is True and not yes.autoDefault()
    box, yes, _no = messages.confirm_box(None, "Salvar", "Salvar?")
    qtbot.addWidget(box)
    assert box.defaultButton() is yes  # a safe action: Enter confirms, as before


def test_a_choice_with_a_destructive_option_defaults_to_the_safe_one(qtbot):
    box, buttons, _cancel = messages.choose_box(
        None,
        "Falta justificada",
        "Estornar?",
        ["Estornar pagamento", "Manter pagamento"],
        default=1,
        destructive=(0,),
    )
    qtbot.addWidget(box)
    assert box.defaultButton() is buttons[1]
    assert buttons[0].property("danger") is True


def test_the_session_detail_destructive_buttons_are_never_default(qtbot, make_session):
    from r3izzy_desktop.ui.agenda.session_detail import SessionDetailDialog

    session = make_session(1, 10)
    dialog = SessionDetailDialog(None, session.id)
    qtbot.addWidget(dialog)
    dialog.show()
    for button in (dialog.delete_button, dialog.refund_button, dialog.void_button):
        assert not button.autoDefault() and not button.isDefault(), button.text()
    dialog.delete_button.setFocus()
    assert not dialog.delete_button.isDefault()
