"""Validating a backup and restoring it (the work behind `backup.validate` and
`backup.restore`). No Qt.

Restoring never makes things worse: the backup is checked on a copy next to the database,
the current database is backed up first (or, when it is damaged beyond reading, renamed
aside), and the switch is one SQLite transaction through the backup API — a crash in the
middle leaves the old database — or, with no usable database, an atomic rename.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path

from .. import access, audit, clock
from ..errors import DomainError
from ..store.binding import current_url
from ..store.connection import close_every_connection, is_locked_error, open_database
from ..store.files import (
    BUSY_TIMEOUT_S,
    SQLITE_HEADER,
    has_recovery_log,
    sync_folder,
)
from ..store.migrations import SCHEMA_VERSION
from ..store.sqlite import sqlite3
from ..store.urls import sqlite_path_of
from .copies import (
    BEFORE_RESTORE,
    BackupError,
    BackupInfo,
    RestoreResult,
    automatic_backup,
    copy_database,
    database_file,
    file_stamp,
)

log = logging.getLogger(__name__)

# Why a restore stopped when another program holds the database.
_IN_USE = (
    "O banco de dados está em uso por outro programa (outra cópia do R3izzy?). "
    "Feche-o e tente restaurar de novo. Nada foi alterado."
)

# Tables a backup must have to be ours (besides schema_version).
_REQUIRED_TABLES = ("patient", "session", "package", "payment", "package_event")


def _not_a_backup(path: Path, why: str) -> BackupError:
    return BackupError(f"Este arquivo não é um backup válido do R3izzy Desktop:\n{path}\n\n{why}")


def validate(file: Path | str, staging: Path | None = None) -> BackupInfo:
    """Check that `file` is a sound backup of ours: an SQLite file, `integrity_check` ok,
    our schema_version table at a version this program knows. The check runs on a copy
    (`staging`, or a temporary file removed afterwards); the file itself is only read.
    Raises BackupError saying what is wrong."""
    path = Path(file).resolve()
    if not path.is_file():
        raise BackupError(f"O arquivo não foi encontrado:\n{path}")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise BackupError(f"Não foi possível ler o arquivo:\n{path}\n\n{exc}") from exc
    if header != SQLITE_HEADER:
        raise _not_a_backup(path, "Ele não é um banco de dados SQLite.")
    own_staging = staging is None
    if staging is None:
        handle, name = tempfile.mkstemp(prefix="r3izzy-verificando-", suffix=".db")
        os.close(handle)
        staging = Path(name)
    copy = staging
    try:
        try:
            copy_database(path, copy)
        except BackupError as exc:
            raise _not_a_backup(path, "Ele está danificado e não pôde ser lido.") from exc
        return _inspect(path, copy, SCHEMA_VERSION)
    finally:
        if own_staging:
            copy.unlink(missing_ok=True)


def _inspect(path: Path, copy: Path, known_version: int) -> BackupInfo:
    con = sqlite3.connect(copy)
    try:
        try:
            result = [row[0] for row in con.execute("PRAGMA integrity_check").fetchall()]
            tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as exc:
            raise _not_a_backup(path, "Ele está danificado.") from exc
        if result != ["ok"]:
            log.warning("backup %s fails integrity_check: %s", path, result[:5])
            raise _not_a_backup(path, "Ele está danificado (falhou na verificação do SQLite).")
        if "schema_version" not in tables or not set(_REQUIRED_TABLES) <= tables:
            raise _not_a_backup(path, "Ele não tem as tabelas do R3izzy Desktop.")
        row = con.execute("SELECT version FROM schema_version").fetchone()
        version = row[0] if row else None
        if not isinstance(version, int) or version < 1:
            raise _not_a_backup(path, "A versão do esquema dele é inválida.")
        if version > known_version:
            raise BackupError(
                f"Este backup foi feito por uma versão mais nova do R3izzy Desktop "
                f"(esquema {version}; esta versão conhece até o {known_version}).\n"
                f"{path}\n\nAtualize o programa antes de restaurá-lo."
            )

        def count(table: str) -> int:
            return con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]

        return BackupInfo(path, version, count("patient"), count("package"), count("session"))
    finally:
        con.close()


def _usable(path: Path) -> bool:
    """The file is an SQLite database SQLite can read; False when it is damaged.

    Raises BackupError when it is locked by another program: a locked database is
    perfectly good and must never be taken for a damaged one and set aside.
    """
    try:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER and not has_recovery_log(path):
                return False
        con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
        try:
            return con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            con.close()
    except sqlite3.OperationalError as exc:
        if is_locked_error(exc):
            raise BackupError(_IN_USE) from exc
        return False
    except (OSError, sqlite3.DatabaseError):
        return False


@access.allowed("backup.restore")
def restore(file: Path | str, url: str | None = None) -> RestoreResult:
    """Replace the database (the open one, or `url`) with the backup `file`, safely.

    1. The backup is validated on a copy next to the database (see `validate`).
    2. The current database is backed up first (BEFORE_RESTORE); if it is missing or
       damaged beyond reading, it is renamed aside (`.danificado-<date>`) instead.
    3. The connection is closed and the copy is written into the database file with the
       backup API (one transaction: a crash leaves the old database) — or, when there was
       no usable database, renamed into place.
    4. The database is reopened with `open_database` (which migrates an older backup).
       The login goes on when the restored database has the same login, active (with its
       role there); the restore is written to the restored database's audit log (the log
       of before stays in the safety copy).
    Raises BackupError when anything fails before step 3; the database is then unchanged.
    Administrators only, once the clinic has users.
    """
    live = database_file(url)
    if Path(file).resolve() == live:
        raise BackupError("Este arquivo é o próprio banco de dados em uso.")
    staging = live.with_name(f"{live.name}.restaurando")
    is_open = _is_open(live)
    safety, aside = None, None
    try:
        info = validate(file, staging)
        if live.exists() and _usable(live):
            safety = automatic_backup(BEFORE_RESTORE, str(live))
            if is_open:
                close_every_connection()
            _write_into(staging, live)
        else:
            if is_open:
                close_every_connection()
            try:
                aside = _set_aside(live)
                try:
                    _replace(staging, live)
                    sync_folder(live.parent)  # the new name survives a power cut
                except (OSError, BackupError):
                    if aside is not None:  # the damaged file goes back where it was
                        _move_parts(aside, live)
                        aside = None
                    raise
            except OSError as exc:
                raise BackupError(
                    f"Não foi possível gravar o banco de dados restaurado:\n{live}\n\n{exc}"
                ) from exc
    except BaseException:
        if is_open and current_url() is None:
            _reopen(live)  # back to where we were
        raise
    finally:
        staging.unlink(missing_ok=True)
    log.info("restored %s into %s (safety copy %s, set aside %s)", file, live, safety, aside)
    if is_open:
        open_database(str(live), create=False)
        access.carry_over()
        audit.record(
            audit.RESTORE,
            f"Backup restaurado: {Path(file).resolve()} (o banco anterior: {safety or aside})",
        )
    return RestoreResult(info, live, safety, aside)


def _reopen(live: Path) -> None:
    try:
        open_database(str(live), create=False)
    except DomainError:
        log.exception("could not reopen %s after a failed restore", live)


def _is_open(live: Path) -> bool:
    url = current_url()
    path = sqlite_path_of(url) if url else None
    return path not in (None, ":memory:") and Path(path).resolve() == live


def _write_into(staging: Path, live: Path) -> None:
    src = sqlite3.connect(staging)
    try:
        dst = sqlite3.connect(live, timeout=BUSY_TIMEOUT_S)
        try:
            page_size = dst.execute("PRAGMA page_size").fetchone()[0]
            if src.execute("PRAGMA page_size").fetchone()[0] != page_size:
                # A WAL database cannot change its page size through the backup API.
                src.execute(f"PRAGMA page_size = {int(page_size)}")
                src.execute("VACUUM")
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        if is_locked_error(exc):
            raise BackupError(_IN_USE) from exc
        raise BackupError(f"Não foi possível restaurar o backup:\n{exc}") from exc
    finally:
        src.close()


def _set_aside(live: Path) -> Path | None:
    """Rename a damaged database and its WAL files out of the way (None: nothing there).

    The WAL files go even without the database: a stale `-wal` next to the restored file
    would be replayed into it. The folder is synced before the restored file takes the
    name, so a power cut cannot leave the old WAL beside the new database."""
    stamp = file_stamp(clock.now())
    aside = live.with_name(f"{live.name}.danificado-{stamp}")
    if not _move_parts(live, aside):
        return None
    sync_folder(live.parent)
    return aside if Path(aside).exists() else None


def _move_parts(source: Path, target: Path) -> bool:
    """Rename a database file and its -wal and -shm files: all of them, or none. True when
    there was anything to rename."""
    moved: list[tuple[Path, Path]] = []
    try:
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{source}{suffix}")
            if part.exists():
                _replace(part, Path(f"{target}{suffix}"))
                moved.append((part, Path(f"{target}{suffix}")))
    except (OSError, BackupError):
        for part, renamed in reversed(moved):
            os.replace(renamed, part)
        raise
    return bool(moved)


# Windows refuses to rename a file any handle holds open, and an antivirus or the search
# indexer may hold one for a moment after a file was closed: try again for a while.
REPLACE_ATTEMPTS = 10
REPLACE_PAUSE_S = 0.2


def _replace(source: Path, target: Path) -> None:
    """os.replace, tried again while Windows says the file is in use; then BackupError."""
    for attempt in range(1, REPLACE_ATTEMPTS + 1):
        try:
            os.replace(source, target)
            return
        except PermissionError as exc:
            if attempt == REPLACE_ATTEMPTS:
                raise BackupError(_IN_USE) from exc
            log.info("%s is in use (%s); trying again", source, exc)
            time.sleep(REPLACE_PAUSE_S)
