"""Backups of the SQLite database: automatic (first start of the day, closing) and on
demand. No Qt.

Every copy goes through SQLite's online backup API (`database.sqlite_backup`), never a
raw copy of a live file, so a backup taken while the app writes is still consistent.
Automatic backups live in `<data folder>/backups/` as `<name>-<yyyy-mm-dd_HHMMSS>-<why>.db`
and are rotated: the newest of each of the last 14 days that have one, then the newest of
each of the 8 weeks before those. Copies taken before a restore are kept apart (the last
10), so restoring twice never rotates away the database the first restore replaced.

A PostgreSQL database is backed up on the server (pg_dump); these functions say so with a
BackupError instead of trying. Validating and restoring a backup: restoring.py.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .. import access, audit, clock
from ..errors import DomainError
from ..store.binding import current_url
from ..store.connection import is_locked_error
from ..store.files import sqlite_backup
from ..store.sqlite import sqlite3
from ..store.urls import data_dir, default_database_url, sqlite_path_of

log = logging.getLogger(__name__)

BACKUP_DIR_NAME = "backups"
AT_START = "inicio"  # the first start of the day
AT_CLOSE = "fechamento"
BEFORE_RESTORE = "antes-de-restaurar"
BEFORE_IMPORT = "antes-de-importar"  # R24: the database as it was before an import
ROTATED = (AT_START, AT_CLOSE)
KEEP_DAILY = 14
KEEP_WEEKLY = 8
KEEP_BEFORE_RESTORE = 10

_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<day>\d{4}-\d{2}-\d{2})_(?P<time>\d{6})-(?P<reason>[a-z-]+)\.db$"
)

POSTGRES_HINT = (
    "Os backups do programa são para bancos SQLite (um computador só). Este computador usa "
    "um servidor PostgreSQL: o backup é feito no servidor, com o pg_dump — por exemplo "
    "`pg_dump -Fc -f r3izzy.dump NOME_DO_BANCO` — e restaurado com o pg_restore."
)


class BackupError(DomainError):
    """A backup or restore that could not be done; nothing was changed."""


@dataclass(frozen=True)
class BackupFile:
    """One automatic backup in the backups folder."""

    path: Path
    made_at: datetime
    reason: str  # AT_START, AT_CLOSE, BEFORE_RESTORE or BEFORE_IMPORT
    size: int
    written_ns: int = 0  # the file's modification time: orders two backups of one second

    @property
    def reason_label(self) -> str:
        return {
            AT_START: "início do dia",
            AT_CLOSE: "ao fechar",
            BEFORE_RESTORE: "antes de restaurar",
            BEFORE_IMPORT: "antes de importar",
        }.get(self.reason, self.reason)


@dataclass(frozen=True)
class BackupInfo:
    """What a validated backup file holds."""

    path: Path
    schema_version: int
    patients: int
    packages: int
    sessions: int


@dataclass(frozen=True)
class RestoreResult:
    info: BackupInfo
    database: Path  # the database now holding the backup's data
    safety_copy: Path | None  # the previous database, backed up first
    set_aside: Path | None  # a damaged previous file, renamed instead


# --- where -------------------------------------------------------------------------------


def backups_dir() -> Path:
    """`<data folder>/backups` (created on demand)."""
    folder = data_dir() / BACKUP_DIR_NAME
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def database_file(url: str | None = None) -> Path:
    """The SQLite file of `url` (default: the open database, else the default one).

    Raises BackupError for a PostgreSQL or an in-memory database.
    """
    url = url or current_url() or default_database_url()
    path = sqlite_path_of(url)
    if path is None:
        raise BackupError(POSTGRES_HINT)
    if path == ":memory:":
        raise BackupError("Este banco de dados é temporário (em memória); não há o que copiar.")
    return Path(path).resolve()


def file_stamp(at: datetime) -> str:
    """`at` as it goes into a file name: 2025-05-02_143000."""
    return at.strftime("%Y-%m-%d_%H%M%S")


# --- making backups ----------------------------------------------------------------------


def copy_database(source: Path | str, target: Path) -> None:
    """Online-backup `source` into `target`; a failure leaves no partial file behind."""
    try:
        sqlite_backup(str(source), target)
    except sqlite3.Error as exc:
        _discard(Path(f"{target}.partial"))
        if is_locked_error(exc):
            raise BackupError(
                "O banco de dados está bloqueado por outro programa; o backup não foi feito. "
                "Tente novamente em instantes."
            ) from exc
        raise BackupError(f"Não foi possível copiar o banco de dados:\n{source}\n\n{exc}") from exc
    except OSError as exc:
        _discard(Path(f"{target}.partial"))
        raise BackupError(f"Não foi possível gravar o backup em:\n{target}\n\n{exc}") from exc


def _discard(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        log.warning("could not remove %s", path, exc_info=True)


@access.allowed("backup.backup_now")
def backup_now(target: Path | str, url: str | None = None) -> Path:
    """Copy the database (the open one, or `url`) into the file `target`, replacing it.

    Safe while the app is writing: the copy is one consistent moment of the database.
    Administrators only once the clinic has users; written to the audit log. Raises
    BackupError (PostgreSQL, a missing database, a locked one, a folder that cannot be
    written).
    """
    made = _copy_now(target, url)
    _audit(f"Backup gravado em {made}", url)
    return made


def _audit(detail: str, url: str | None) -> None:
    """Write `detail` to the audit log of the open database, when the copy was of it."""
    try:
        if current_url() is not None and database_file(url) == database_file():
            audit.record(audit.BACKUP, detail)
    except DomainError as exc:  # the copy is made: a log that cannot be written is said so
        log.warning("backup not written to the audit log: %s", exc)


def _copy_now(target: Path | str, url: str | None = None) -> Path:
    source = database_file(url)
    target = Path(target).resolve()
    if not source.exists():
        raise BackupError(f"O banco de dados não foi encontrado:\n{source}")
    if target == source:
        raise BackupError("Escolha um arquivo diferente do próprio banco de dados.")
    copy_database(source, target)
    log.info("backup of %s written to %s", source, target)
    return target


def list_backups(url: str | None = None, folder: Path | None = None) -> list[BackupFile]:
    """The automatic backups of the database (by its file name), newest first."""
    folder = folder or backups_dir()
    stem = database_file(url).stem
    found = []
    for path in folder.glob(f"{stem}-*.db"):
        match = _NAME.match(path.name)
        if not match or match["stem"] != stem:
            continue
        try:
            made_at = datetime.strptime(f"{match['day']}_{match['time']}", "%Y-%m-%d_%H%M%S")
            stat = path.stat()
        except (ValueError, OSError):
            continue
        found.append(BackupFile(path, made_at, match["reason"], stat.st_size, stat.st_mtime_ns))
    found.sort(key=_newest, reverse=True)
    return found


def _newest(backup: BackupFile) -> tuple[datetime, int]:
    return backup.made_at, backup.written_ns


def automatic_backup(reason: str, url: str | None = None, *, now: datetime | None = None) -> Path:
    """Back up into the backups folder (`reason`: AT_START, AT_CLOSE, BEFORE_RESTORE,
    BEFORE_IMPORT), then
    rotate the folder. Returns the new file. The app's own safety copies: whoever is logged
    in (or nobody, at the login window) — not a user's action, so not guarded."""
    at = now or clock.now()
    source = database_file(url)
    target = backups_dir() / f"{source.stem}-{file_stamp(at)}-{reason}.db"
    _copy_now(target, str(source))
    _audit(f"Backup automático ({reason}) gravado em {target}", str(source))
    rotate(url=str(source))
    return target


def daily_backup_due(url: str | None = None, *, today: date | None = None) -> bool:
    """True when the database has no automatic backup from today yet."""
    today = today or clock.today()
    return not any(b.made_at.date() == today and b.reason in ROTATED for b in list_backups(url))


def backup_at_start(url: str | None = None, *, now: datetime | None = None) -> Path | None:
    """The first start of each day backs the database up; later starts do nothing."""
    at = now or clock.now()
    if not daily_backup_due(url, today=at.date()):
        return None
    return automatic_backup(AT_START, url, now=at)


def backup_at_close(url: str | None = None, *, now: datetime | None = None) -> Path:
    return automatic_backup(AT_CLOSE, url, now=now)


def backups_to_remove(
    backups: list[BackupFile],
    keep_daily: int = KEEP_DAILY,
    keep_weekly: int = KEEP_WEEKLY,
    *,
    now: datetime | None = None,
) -> list[BackupFile]:
    """The rotation rule, without touching files: of the rotated backups keep the newest of
    each of the last `keep_daily` days that have one, then the newest of each of the
    `keep_weekly` weeks before those; of the copies taken before a restore keep the last
    KEEP_BEFORE_RESTORE, and as many of those taken before an import.

    Backups dated after `now` (default: the clock) are kept and counted in no window: the
    PC's clock is wrong one way or the other (set back, or it was set forward when they
    were made), and a wrong clock must never make the rotation delete a newer copy, nor
    the one just made."""
    now = now or clock.now()
    future = {b.path for b in backups if b.made_at > now}
    backups = [b for b in backups if b.path not in future]
    rotated = sorted((b for b in backups if b.reason in ROTATED), key=_newest, reverse=True)
    keep: set[Path] = set()
    days: list[date] = []
    for backup in rotated:
        day = backup.made_at.date()
        if day in days:
            continue
        if len(days) == keep_daily:
            break
        days.append(day)
        keep.add(backup.path)
    oldest_daily = days[-1] if days else None
    weeks: list[tuple[int, int]] = []
    for backup in rotated:
        day = backup.made_at.date()
        if oldest_daily is not None and day >= oldest_daily:
            continue
        week = day.isocalendar()[:2]
        if week in weeks:
            continue
        if len(weeks) == keep_weekly:
            break
        weeks.append(week)
        keep.add(backup.path)
    before_restore = sorted(
        (b for b in backups if b.reason == BEFORE_RESTORE), key=_newest, reverse=True
    )
    keep.update(b.path for b in before_restore[:KEEP_BEFORE_RESTORE])
    before_import = sorted(
        (b for b in backups if b.reason == BEFORE_IMPORT), key=_newest, reverse=True
    )
    keep.update(b.path for b in before_import[:KEEP_BEFORE_RESTORE])
    return [b for b in backups if b.path not in keep]


def rotate(url: str | None = None, folder: Path | None = None) -> list[Path]:
    """Delete the automatic backups the rotation rule no longer keeps; returns them."""
    removed = []
    for backup in backups_to_remove(list_backups(url, folder)):
        try:
            backup.path.unlink()
            removed.append(backup.path)
        except OSError:
            log.warning("could not remove old backup %s", backup.path, exc_info=True)
    if removed:
        log.info("rotation removed %d old backup(s)", len(removed))
    return removed
