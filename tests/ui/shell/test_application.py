"""The QApplication's configuration (shell/app.py create_application)."""

from PySide6.QtWidgets import QApplication

from r3izzy_desktop.ui.shell.app import create_application, load_stylesheet


def test_configuring_again_repolishes_nothing(qapp, monkeypatch):
    # Setting the stylesheet or the font re-polishes every widget alive: done again with
    # the same values (the tests configure the app before each one), it cost seconds.
    app = create_application()
    assert app is QApplication.instance()
    assert app.styleSheet() == load_stylesheet() != ""
    assert app.font().pointSizeF() >= 10.5
    calls = []
    monkeypatch.setattr(app, "setStyleSheet", lambda sheet: calls.append("sheet"))
    monkeypatch.setattr(app, "setFont", lambda font: calls.append("font"))
    create_application()
    assert calls == []


def test_a_changed_stylesheet_is_set_again(qapp):
    app = create_application()
    app.setStyleSheet("")
    create_application()
    assert app.styleSheet() == load_stylesheet()
