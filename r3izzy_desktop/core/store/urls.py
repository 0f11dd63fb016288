"""Where the database is: the data folder, the default file, and reading a URL."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

APP_DIR_NAME = "R3izzy Desktop"
DEFAULT_DB_NAME = "r3izzy.db"
ENV_DB = "R3IZZY_DB"


def data_dir() -> Path:
    """The platform's user data folder for the app (created on demand)."""
    override = os.environ.get("R3IZZY_DATA_DIR")
    if override:
        path = Path(override)
    else:
        import platformdirs  # only when the folder is really needed: a faster start

        path = Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url() -> str:
    """`R3IZZY_DB` when set, else `r3izzy.db` in the user data folder."""
    return os.environ.get(ENV_DB) or str(data_dir() / DEFAULT_DB_NAME)


def sqlite_path_of(url: str) -> str | None:
    """The SQLite file a URL points to, ":memory:" for memory, None for a server database."""
    if url.startswith(("postgres://", "postgresql://")):
        return None
    if url.startswith("sqlite:"):
        # sqlite:///relative.db -> "relative.db"; sqlite:////abs/file.db -> "/abs/file.db"
        path = unquote(url[len("sqlite:") :].split("?", 1)[0])
        path = path[3:] if path.startswith("///") else path.lstrip("/")
        return path or ":memory:"
    return url


def describe_url(url: str) -> str:
    """The URL without its password, for the screen and the log."""
    parsed = urlparse(url)
    if parsed.password:
        netloc = parsed.netloc.replace(f":{parsed.password}@", ":***@")
        return parsed._replace(netloc=netloc).geturl()
    return url
