"""Which database this PC uses: the one in use now, the one to open at the next start,
and every one opened before (kept in the app's settings, QSettings).

Its own module, as Anki keeps its profiles apart from the main window: the shell
(start-up) and the Configurações tabs (a restore, another server) both ask it, and
neither reaches into the other. A database opened before is only ever opened again,
never created: a missing file is then reported instead of silently replaced by an empty
one.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from ...core.database import ENV_DB, default_database_url, sqlite_path_of

SETTINGS_LAST_URL = "database/last_url"
SETTINGS_KNOWN_URLS = "database/known_urls"

_in_use: str | None = None


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


def remember_url(url: str) -> None:
    """This database opened fine: open it next time, and never create it again."""
    settings = QSettings()
    settings.setValue(SETTINGS_LAST_URL, url)
    known = known_urls()
    if url not in known:
        settings.setValue(SETTINGS_KNOWN_URLS, [*known, url][-20:])
    settings.sync()


def database_to_open(explicit: str | None) -> tuple[str, bool]:
    """(url, create): `--db`, else R3IZZY_DB, else the one used last, else the default
    file. Only a database never opened before may be created."""
    url = normalized_url(
        explicit or os.environ.get(ENV_DB) or remembered_url() or default_database_url()
    )
    return url, url not in known_urls()


def set_in_use(url: str | None) -> None:
    """The database the app works on now, with its password (the shell sets it when it
    opens one; a switch in Configurações when it changes)."""
    global _in_use
    _in_use = url


def in_use() -> str | None:
    """The URL set by `set_in_use` (None before the app opened a database)."""
    return _in_use
