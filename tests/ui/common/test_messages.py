"""The messages seam: a background job's failure is told as a DomainError's message, or as
the unexpected-error dialog pointing to the log file."""

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
