"""SQLite files: telling one apart from anything else, and copying a live one safely."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ..errors import DatabaseProblem

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
    if header and header != SQLITE_HEADER:
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
    os.replace(tmp, target)
