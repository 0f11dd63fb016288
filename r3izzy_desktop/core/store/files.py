"""SQLite files: telling one apart from anything else, and copying a live one safely."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import DatabaseProblem
from .sqlite import sqlite3

BUSY_TIMEOUT_S = 15.0
SQLITE_HEADER = b"SQLite format 3\x00"


def check_sqlite_file(file: Path) -> None:
    """Raise DatabaseProblem when `file` (which exists) is a folder, not an SQLite file,
    unreadable, or read-only for the app (which writes in it and in its folder)."""
    if file.is_dir():
        raise DatabaseProblem(f"O caminho é uma pasta, não um banco de dados:\n{file}", "damaged")
    try:
        with file.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except PermissionError as exc:
        raise DatabaseProblem(
            f"Sem permissão para ler o banco de dados:\n{file}", "readonly", str(file)
        ) from exc
    if header and header != SQLITE_HEADER and not has_recovery_log(file):
        raise DatabaseProblem(
            f"Este arquivo não é um banco de dados do R3izzy (ou está danificado):\n{file}",
            "damaged",
            str(file),
        )
    if not os.access(file, os.W_OK) or not os.access(file.parent, os.W_OK):
        raise DatabaseProblem(
            f"O banco de dados está somente leitura:\n{file}\n\n"
            "O programa precisa gravar nele e na pasta onde ele está.",
            "readonly",
            str(file),
        )


def has_recovery_log(file: Path) -> bool:
    """A non-empty `-wal` or `-journal` file lies next to `file`. Then a first page that
    does not look like SQLite's may be one a power cut tore while it was being written:
    a checkpoint copying it back from the WAL, or a transaction in rollback-journal mode
    (a restored backup's first open switching it to WAL) whose journal still holds the
    page as it was. SQLite puts it right when it opens the database; only SQLite can tell
    that from real damage."""
    for suffix in ("-wal", "-journal"):
        try:
            if file.with_name(file.name + suffix).stat().st_size > 0:
                return True
        except OSError:
            pass
    return False


def sqlite_backup(source: str | sqlite3.Connection, target: str | Path) -> None:
    """Copy a live SQLite database with the online backup API (never a raw file copy)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    own = isinstance(source, str)
    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_S) if own else source
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        if own:
            src.close()
    replace_durably(tmp, target)


def replace_durably(source: str | Path, target: str | Path) -> None:
    """Rename `source` over `target` and make the new name survive a power cut.

    SQLite syncs what it writes, but a rename is the folder's business: until the folder
    is synced, a power cut can bring the old name back (a backup the user was told was
    made would be gone). Windows has no folder sync; NTFS journals the rename itself.
    """
    os.replace(source, target)
    sync_folder(Path(target).parent)


def sync_folder(folder: str | Path) -> None:
    """fsync a folder, so the names created, renamed or deleted in it are on the disk."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
