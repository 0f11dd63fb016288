"""Scrolling (ui/common/fit.py): its content in an unfilled viewport, as before it made its
viewport itself (so that PySide6 is never handed a widget Qt made, at start-up)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from r3izzy_desktop.ui.common.fit import Scrolling


def test_the_content_sits_in_an_unfilled_viewport(qtbot):
    content = QLabel("conteúdo")
    area = Scrolling(content)
    qtbot.addWidget(area)
    viewport = area.viewport()
    assert viewport.objectName() == "qt_scrollarea_viewport"
    assert not viewport.autoFillBackground()
    assert not content.autoFillBackground()
    assert content.parentWidget() is viewport
    assert area.widget() is content
    area.resize(200, 100)
    area.show()
    qtbot.waitExposed(area)
    assert content.isVisible()
