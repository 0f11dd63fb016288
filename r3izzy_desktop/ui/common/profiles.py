"""Which database this PC uses: the one in use now, the one to open at the next start,
and every one opened before (kept in the app's settings, QSettings).

Its own module, as Anki keeps its profiles apart from the main window: the shell
(start-up) and the Configurações tabs (a restore, another server) both ask it, and
neither reaches into the other. A database opened before is only ever opened again,
never created: a missing file is then reported instead of silently replaced by an empty
one.

A server's password is never written to the settings (R23): URLs are remembered without
it, and the password goes to the system's credential store (core/credentials.py). Where
there is none, the password typed is kept for this run only and asked again at the next
start (`needs_typed_password`). A plain password an older version left in the settings is
moved out on the first start (`move_plain_passwords`).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from ...core import credentials
from ...core.database import ENV_DB, default_database_url, sqlite_path_of

SETTINGS_LAST_URL = "database/last_url"
SETTINGS_KNOWN_URLS = "database/known_urls"
SETTINGS_ASK_PASSWORD = "database/ask_password"  # servers whose password is typed each start

_in_use: str | None = None
_typed: dict[str, str] = {}  # server URL (no password) -> the password typed in this run


def normalized_url(url: str) -> str:
    """A file path made absolute (so it is remembered the same way from any folder)."""
    path = sqlite_path_of(url)
    if path is None or path == ":memory:" or url.startswith("sqlite:"):
        return url
    return str(Path(path).expanduser().resolve())


def known_urls() -> list[str]:
    value = QSettings().value(SETTINGS_KNOWN_URLS, [])
    if isinstance(value, str):  # an INI list of one comes back as a plain string
        return [value] if value else []
    return [str(v) for v in value or []]


def remembered_url() -> str | None:
    value = QSettings().value(SETTINGS_LAST_URL)
    return str(value) if value else None


def _asked() -> list[str]:
    value = QSettings().value(SETTINGS_ASK_PASSWORD, [])
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value or []]


def _keep_password(url: str) -> str:
    """Put the password of `url` in the credential store (or, with no store, in memory for
    this run, asked again at the next start); returns the URL without it."""
    bare, password = credentials.split_password(url)
    if not password:
        return bare
    asked = [u for u in _asked() if u != bare]
    if credentials.save_password(url):
        _typed.pop(bare, None)
    else:
        _typed[bare] = password
        asked.append(bare)
    QSettings().setValue(SETTINGS_ASK_PASSWORD, asked)
    return bare


def remember_url(url: str) -> None:
    """This database opened fine: open it next time, and never create it again. A server's
    password goes to the credential store, never into the settings."""
    url = _keep_password(url)
    known = known_urls()
    if remembered_url() == url and url in known:
        return  # as at the last start: the settings file is not written again
    settings = QSettings()
    settings.setValue(SETTINGS_LAST_URL, url)
    if url not in known:
        settings.setValue(SETTINGS_KNOWN_URLS, [*known, url][-20:])
    settings.sync()


def is_known(url: str) -> bool:
    """This database was opened before on this PC (its password aside)."""
    return credentials.without_password(url) in known_urls()


def completed(url: str) -> str:
    """`url` with its password: the one in it, else the stored one, else one typed in this
    run (when there is no credential store)."""
    if credentials.has_password(url):
        return url
    found = credentials.completed(url)
    if credentials.has_password(found):
        return found
    typed = _typed.get(credentials.without_password(url))
    return credentials.with_password(url, typed) if typed else url


def needs_typed_password(url: str) -> bool:
    """A server whose password must be typed now: it had one, and there is no store."""
    if credentials.has_password(url):
        return False
    return credentials.without_password(url) in _asked()


def move_plain_passwords() -> int:
    """Move the passwords an older version kept in the settings into the credential store
    (with no store: out of the settings; they are asked at the next start). Returns how
    many were moved. Run on every start; once they are moved, it finds none."""
    settings = QSettings()
    last = remembered_url()
    found = {
        credentials.without_password(u)
        for u in [last or "", *known_urls()]
        if credentials.has_password(u)
    }
    if last and credentials.has_password(last):
        settings.setValue(SETTINGS_LAST_URL, _keep_password(last))
    known = known_urls()
    cleaned: list[str] = []
    for url in known:
        bare = _keep_password(url) if credentials.has_password(url) else url
        if bare not in cleaned:
            cleaned.append(bare)
    if cleaned != known:
        settings.setValue(SETTINGS_KNOWN_URLS, cleaned)
    if found or cleaned != known:  # nothing to move (every start but the first): no write
        settings.sync()
    return len(found)


def database_to_open(explicit: str | None) -> tuple[str, bool]:
    """(url, create): `--db`, else R3IZZY_DB, else the one used last, else the default
    file, with its password (`completed`). Only a database never opened before may be
    created."""
    url = normalized_url(
        explicit or os.environ.get(ENV_DB) or remembered_url() or default_database_url()
    )
    return completed(url), not is_known(url)


def set_in_use(url: str | None) -> None:
    """The database the app works on now, with its password (the shell sets it when it
    opens one; a switch in Configurações when it changes)."""
    global _in_use
    _in_use = url


def in_use() -> str | None:
    """The URL set by `set_in_use` (None before the app opened a database)."""
    return _in_use
