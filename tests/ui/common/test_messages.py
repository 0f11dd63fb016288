"""The messages seam: a background job's failure is told as a DomainError's message, or as
the unexpected-error dialog pointing to the log file."""

from pathlib import Path

from r3izzy_desktop.core.errors import NotFound
from r3izzy_desktop.ui.common import messages


def test_a_domain_error_is_told_as_it_is(dialogs):
    messages.show_failure(None, NotFound("Pacote não encontrado."))
    assert dialogs.told == [("", "Pacote não encontrado.")]


def test_a_bug_shows_the_unexpected_error_with_the_log_file(monkeypatch, dialogs):
    paths = []
    monkeypatch.setattr(messages, "show_unexpected", lambda parent, path: paths.append(path))
    messages.show_failure(None, ZeroDivisionError("um erro de programação"))
    assert len(paths) == 1 and paths[0].endswith("r3izzy.log")
    assert dialogs.told == []


def test_a_saved_file_offers_to_open_it_or_its_folder(qtbot, tmp_path, monkeypatch, dialogs):
    """Issue 15: "Abrir arquivo" / "Abrir pasta" after an export or a saved PDF; "Fechar"
    the default, so Enter only closes."""
    box, actions = messages.file_saved_box(None, "Exportar", "Planilha salva.")
    qtbot.addWidget(box)
    labels = {button.text(): action for button, action in actions.items()}
    assert labels == {"Abrir arquivo": messages.OPEN_FILE, "Abrir pasta": messages.OPEN_FOLDER}
    assert box.defaultButton().text() == "Fechar" and box.escapeButton() is box.defaultButton()

    saved = tmp_path / "pacotes.xlsx"
    saved.write_bytes(b"x")
    urls = []
    monkeypatch.setattr(messages.QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    assert messages.open_saved(None, saved, messages.OPEN_FILE)
    assert messages.open_saved(None, saved, messages.OPEN_FOLDER)
    assert [Path(url.toLocalFile()) for url in urls] == [saved, tmp_path]


def test_a_saved_file_that_is_gone_is_told_not_opened(tmp_path, monkeypatch, dialogs):
    urls = []
    monkeypatch.setattr(messages.QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    assert not messages.open_saved(None, tmp_path / "sumiu.pdf", messages.OPEN_FILE)
    assert urls == []
    assert dialogs.told == [("", f"Não foi possível abrir o arquivo:\n{tmp_path / 'sumiu.pdf'}")]
