"""The PostgreSQL password in the system's credential store (`keyring`: the Windows
Credential Manager, the macOS Keychain, the Secret Service on Linux), never in the app's
plain settings.

A server's URL is remembered without its password (`without_password`); the password is
kept in the store under the URL it belongs to ("postgresql://user@host:port/db"). On a
system with no store (`store_available()` False: a Linux PC without the Secret Service)
nothing is stored: the screens say so, and the password is asked at each start.
Nothing here logs a password.
"""

from __future__ import annotations

import logging
import os
import sys
from urllib.parse import quote, unquote, urlsplit, urlunsplit

log = logging.getLogger(__name__)

SERVICE = "R3izzy Desktop"
# Windows' store, named through keyring's own setting: left to choose, keyring imports and
# weighs every backend it knows (its plugins' entry points, the Secret Service, KWallet…)
# at its first use, most of 100 ms of a server start. A backend someone configured in that
# variable is kept.
WINDOWS_STORE = "keyring.backends.Windows.WinVaultKeyring"


def _is_server(url: str | None) -> bool:
    return bool(url) and url.startswith(("postgresql://", "postgres://"))


def split_password(url: str) -> tuple[str, str]:
    """(the URL without its password, the password or "") — anything but a PostgreSQL URL
    comes back as it is."""
    if not _is_server(url):
        return url, ""
    parts = urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return url, ""
    user, _colon, secret = userinfo.partition(":")
    return urlunsplit(parts._replace(netloc=f"{user}@{hostport}")), unquote(secret)


def without_password(url: str) -> str:
    return split_password(url)[0]


def has_password(url: str) -> bool:
    return bool(split_password(url)[1])


def with_password(url: str, password: str) -> str:
    """`url` with `password` in it (replacing one that was there)."""
    bare = without_password(url)
    if not _is_server(bare) or not password:
        return bare
    parts = urlsplit(bare)
    user, at, hostport = parts.netloc.rpartition("@")
    if not at:
        return bare
    netloc = f"{user}:{quote(password, safe='')}@{hostport}"
    return urlunsplit(parts._replace(netloc=netloc))


def _keyring():
    if sys.platform == "win32":
        os.environ.setdefault("PYTHON_KEYRING_BACKEND", WINDOWS_STORE)
    import keyring  # loaded only for a server database: a SQLite start never pays for it

    return keyring


def store_available() -> bool:
    """Whether this system has a credential store the app can use."""
    try:
        backend = _keyring().get_keyring()
    except Exception:  # pragma: no cover - a broken installation of keyring
        log.warning("the credential store could not be reached", exc_info=True)
        return False
    from keyring.backends import fail

    return not isinstance(backend, fail.Keyring) and getattr(backend, "priority", 1) > 0


def save_password(url: str) -> bool:
    """Keep the password of `url` in the store; True when it is kept there (False: no
    store, or no password to keep)."""
    bare, password = split_password(url)
    if not password or not store_available():
        return False
    try:
        _keyring().set_password(SERVICE, bare, password)
    except Exception as exc:
        log.warning("the credential store refused the password: %s", type(exc).__name__)
        return False
    return True


def stored_password(url: str) -> str | None:
    """The password kept for `url` (with or without one in it), or None."""
    if not _is_server(url) or not store_available():
        return None
    try:
        return _keyring().get_password(SERVICE, without_password(url))
    except Exception as exc:
        log.warning("the credential store could not be read: %s", type(exc).__name__)
        return None


def forget_password(url: str) -> None:
    if not _is_server(url) or not store_available():
        return
    try:
        _keyring().delete_password(SERVICE, without_password(url))
    except Exception:  # nothing kept for it: nothing to forget
        return


def completed(url: str) -> str:
    """`url` with its stored password when it has none in it (else as it is)."""
    if not _is_server(url) or has_password(url):
        return url
    password = stored_password(url)
    return with_password(url, password) if password else url
