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


def test_the_stylesheet_names_its_images_by_their_full_path():
    """No search path to register (QDir) before the first paint: every `url(...)` of the
    loaded sheet is a quoted full path to a file that exists (spaces allowed)."""
    import re
    from pathlib import Path

    sheet = load_stylesheet()
    urls = re.findall(r"url\(([^)]*)\)", sheet)
    assert urls and "icons:" not in sheet
    for url in urls:
        assert url.startswith('"') and url.endswith('"'), url
        assert Path(url.strip('"')).is_file(), url
