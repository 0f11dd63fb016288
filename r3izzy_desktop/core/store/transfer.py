"""Moving a clinic from its SQLite file to a PostgreSQL server (`migrate-to`).

Every row is copied with its id, so history lines keep pointing at their sessions and
payments; the target must be empty; both sides pass the integrity check before the copy
is declared done. The source file is only read. The check is the caller's
(`integrity.check`, which lives above the storage layer), handed in as `check`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import peewee

from ..errors import DatabaseProblem, ValidationError
from .binding import db, is_postgres
from .connection import close_database, open_database
from .models import ALL_MODELS, SchemaVersion
from .sqlite import sqlite3
from .urls import sqlite_path_of

CHUNK = 2000

Progress = Callable[[str, int, int], None]  # (table, rows copied, rows in table)
Stage = Callable[[str], None]  # a step starts: "Conferindo a origem", "Copiando"...
Check = Callable[[], Sequence[object]]  # the open database's inconsistencies (R14)


@dataclass(frozen=True)
class TransferResult:
    counts: dict[str, int]
    source_problems: list[object]
    target_problems: list[object]


def copy_to(
    source_url: str,
    target_url: str,
    *,
    check: Check,
    progress: Progress | None = None,
    stage: Stage | None = None,
) -> TransferResult:
    """Copy the SQLite database at `source_url` into the (empty) database at `target_url`.

    `check()` lists the open database's inconsistencies (`integrity.check`); it runs on
    the source before the copy and on the target after it. The target's schema is created
    by `open_database`. Raises ValidationError when the
    source is not a SQLite file, the target is not empty, or either side has
    inconsistencies before the copy; DatabaseProblem when either database fails on the
    way (the copy is one transaction on the target: when it fails, nothing is written).
    Leaves the target database bound on success, no database on failure.
    `stage(text)` is told when each step starts (checking the source, opening the
    target, copying, checking the target); `progress` follows the rows copied.
    """
    path = sqlite_path_of(source_url)
    if path is None or path == ":memory:" or not Path(path).is_file():
        raise ValidationError("A origem precisa ser um arquivo SQLite do R3izzy que exista.")
    try:
        return _transfer(path, source_url, target_url, check, progress, stage)
    except (sqlite3.Error, peewee.PeeweeException) as exc:
        close_database()
        raise DatabaseProblem(
            f"A migração foi interrompida por um erro do banco de dados:\n{exc}", "transfer"
        ) from exc
    except BaseException:
        close_database()
        raise


def _transfer(
    path: str,
    source_url: str,
    target_url: str,
    check: Check,
    progress: Progress | None,
    stage: Stage | None,
) -> TransferResult:
    step = stage or (lambda _text: None)
    step("Conferindo a origem")
    open_database(source_url, create=False)  # migrates the source to this version if needed
    source_problems = list(check())
    if source_problems:
        close_database()
        raise ValidationError(
            f"A origem tem {len(source_problems)} inconsistência(s); resolva antes de migrar "
            "(r3izzy-desktop check)."
        )
    version = SchemaVersion.select().first().version
    close_database()

    step("Abrindo o destino")
    open_database(target_url)
    tables = [m for m in ALL_MODELS if m is not SchemaVersion]
    filled = [m._meta.table_name for m in tables if m.select().limit(1).exists()]
    if filled:
        raise ValidationError(
            "O banco de destino não está vazio (tabelas com dados: "
            f"{', '.join(filled)}). Use um banco novo para migrar."
        )
    if SchemaVersion.select().first().version != version:
        raise ValidationError("Origem e destino estão em versões de esquema diferentes.")
    step("Copiando")
    try:
        counts = _copy_rows(path, tables, progress)
    except (sqlite3.Error, peewee.PeeweeException) as exc:
        raise DatabaseProblem(
            "A cópia foi interrompida por um erro do banco de dados e desfeita: o destino "
            f"continua vazio.\n\n{exc}",
            "transfer",
        ) from exc
    # The server has just received the whole clinic: its planner knows nothing of the
    # tables' sizes yet (autovacuum gets to them later, or never where it is off), and
    # without the visibility map no index is read alone. Gestão Financeira's year of debits
    # joined to their sessions took seconds on such a copy instead of a tenth of a second.
    step("Preparando o destino")
    tables_list = ", ".join(f'"{model._meta.table_name}"' for model in ALL_MODELS)
    if is_postgres():
        db.execute_sql(f"VACUUM (ANALYZE) {tables_list}")
    step("Conferindo o destino")
    target_problems = list(check())
    return TransferResult(counts, source_problems, target_problems)


def _copy_rows(path: str, tables, progress: Progress | None) -> dict[str, int]:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    counts: dict[str, int] = {}
    try:
        with db.atomic():
            for model in tables:
                fields = model._meta.sorted_fields
                columns = [f.column_name for f in fields]
                table = model._meta.table_name
                total = source.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                cursor = source.execute(
                    f"SELECT {', '.join(chr(34) + c + chr(34) for c in columns)} "
                    f'FROM "{table}" ORDER BY 1'
                )
                insert = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
                    table,
                    ", ".join(f'"{c}"' for c in columns),
                    ", ".join([db.obj.param] * len(columns)),
                )
                done = 0
                while rows := cursor.fetchmany(CHUNK):
                    # Each value through its field: SQLite's 0/1 become booleans, text
                    # dates become dates, centavos stay integers.
                    converted = [
                        tuple(
                            None if v is None else f.db_value(f.python_value(v))
                            for f, v in zip(fields, row, strict=True)
                        )
                        for row in rows
                    ]
                    with peewee.__exception_wrapper__:  # the driver's errors as peewee's
                        db.cursor().executemany(insert, converted)
                    done += len(rows)
                    if progress:
                        progress(table, done, total)
                counts[table] = done
            if is_postgres():
                for model in tables:
                    if model._meta.primary_key.column_name != "id":
                        continue
                    table = model._meta.table_name
                    db.execute_sql(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                        f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
                    )
    finally:
        source.close()
    return counts
