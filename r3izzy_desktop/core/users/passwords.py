"""Passwords as argon2id hashes (argon2-cffi): slow and salted, so a copied database does
not give the passwords away. Nothing here logs or returns a password.

`HASHER` uses argon2-cffi's defaults (RFC 9106's low-memory profile: 3 passes over 64 MiB,
4 lanes; a few tenths of a second). A login with a hash made under other parameters is
re-hashed (`needs_rehash`). Tests may swap in a cheaper hasher (still argon2id).

argon2 is imported at the first password checked or set (`_hasher`), not with the module:
the start-up asks whether the database has users, never a hash, and on a database
without users no password is ever checked.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ..errors import ValidationError

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_LENGTH = 4
MAX_LENGTH = 200

HASHER: PasswordHasher | None = None  # argon2id with its defaults, made by `_hasher`

# Verified against when the login does not exist, so an unknown login takes as long as a
# wrong password (the time does not tell which logins exist).
_DUMMY: str | None = None


class _NoHashes(logging.Filter):
    """Keeps any hash out of the log: peewee logs each query with its parameters at DEBUG
    level (the app logs INFO, but a debugging session may turn DEBUG on)."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = repr(record.args) if record.args else str(record.msg)
        return "$argon2" not in text


logging.getLogger("peewee").addFilter(_NoHashes())


def check_new(password: str) -> str:
    """A new password as given, or ValidationError (it is never stripped or changed)."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise ValidationError(
            f"A senha precisa ter pelo menos {MIN_LENGTH} caracteres.", "password"
        )
    if len(password) > MAX_LENGTH:
        raise ValidationError(f"A senha pode ter até {MAX_LENGTH} caracteres.", "password")
    return password


def _hasher() -> PasswordHasher:
    """HASHER, made (and argon2 imported) at the first use."""
    global HASHER
    if HASHER is None:
        from argon2 import PasswordHasher, Type

        HASHER = PasswordHasher(type=Type.ID)
    return HASHER


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify(stored_hash: str, password: str) -> bool:
    """Whether `password` matches `stored_hash` (False for a damaged hash, never raises)."""
    hasher = _hasher()
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return hasher.verify(stored_hash, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def verify_nothing(password: str) -> None:
    """Spend the time of a verification, for a login that does not exist."""
    global _DUMMY
    if _DUMMY is None:
        _DUMMY = hash_password("r3izzy-no-such-user")
    verify(_DUMMY, password)


def needs_rehash(stored_hash: str) -> bool:
    hasher = _hasher()
    from argon2.exceptions import InvalidHashError

    try:
        return hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True
