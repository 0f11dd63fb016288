"""Bringing a clinic in (R24): patients and open packages from a spreadsheet.

    found = importing.preview(importing.PATIENTS, "pacientes.xlsx")   # reads, writes nothing
    for row in found.rows: row.line, row.action_label, row.name, row.summary, row.message
    result = importing.import_preview(found)       # a backup first, then all or nothing

`preview` reads the file (reading.py: .xlsx or .csv, every malformed file refused in
words), finds the header (columns.py), reads each row with the app's own pt-BR parsers
and rules (patient_rows.py, package_rows.py) and says, row by row, what will happen.
`import_preview` backs the database up (SQLite; a server is backed up on the server),
then creates the rows of the preview that can be created, in one transaction (one
`@operation`, administrators only, in the audit log): it checks them again against the
clinic as it is at that moment (a patient added since on another PC is not duplicated),
and anything failing rolls everything back. Rows with an error are left out: the screen
says so before, the command line imports nothing unless told to (cli.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from .. import access, audit, backup
from ..errors import DomainError
from ..packages import free_numbers
from ..store.transactions import operation
from ..text import plural
from ..text import plural_word as text_plural_word
from . import columns, package_rows, patient_rows
from .columns import KIND_LABELS, KINDS, PACKAGES, PATIENTS
from .reading import MAX_FILE_BYTES, MAX_ROWS, ImportRefused, read_table
from .rows import ACTION_LABELS, CREATE, ERROR, SKIP, ImportResult, Preview, PreviewRow
from .template import model_file_name, write_model

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
PROGRESS_EVERY = 250

__all__ = [
    "ACTION_LABELS",
    "CREATE",
    "ERROR",
    "KINDS",
    "KIND_LABELS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "PACKAGES",
    "PATIENTS",
    "SKIP",
    "ImportRefused",
    "ImportResult",
    "Preview",
    "PreviewRow",
    "counts_text",
    "import_preview",
    "model_file_name",
    "preview",
    "preview_lines",
    "write_model",
]


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ImportRefused(f"Tipo de importação desconhecido: {kind} (pacientes ou pacotes).")


def preview(kind: str, path: Path | str, progress: Progress | None = None) -> Preview:
    """Every data row of the file with what importing it would do. Writes nothing.
    Raises ImportRefused for a file that cannot be read as a table of `kind`."""
    _check_kind(kind)
    path = Path(path)
    sheet = read_table(path, progress)
    header = columns.find_header(kind, sheet)
    columns.check_table(sheet, header)
    data = sheet.rows[header.position + 1 :]
    if not data:
        raise ImportRefused(
            f"A planilha “{sheet.file_name}” só tem o cabeçalho: nenhuma linha para importar. "
            "Nada foi gravado."
        )
    if len(data) > MAX_ROWS:
        raise ImportRefused(
            f"A planilha tem {len(data)} linhas; o limite é {MAX_ROWS} de cada vez. "
            "Divida-a em partes menores. Nada foi gravado."
        )
    parsed = []
    for done, (line, values) in enumerate(data, start=1):
        if kind == PATIENTS:
            parsed.append(patient_rows.parse(line, values, header))
        else:
            parsed.append(package_rows.parse(line, values, header, sheet.file_name))
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, len(data))
    planned = _plan(kind, parsed)
    if progress is not None:
        progress(len(data), len(data))
    return Preview(
        kind=kind,
        path=path,
        sheet_name=sheet.sheet_name,
        header_line=header.row_number,
        columns=header.titles,
        rows=tuple(planned),
        parsed=tuple(parsed),
    )


def _plan(kind: str, parsed) -> list[PreviewRow]:
    return patient_rows.plan(parsed) if kind == PATIENTS else package_rows.plan(parsed)


@access.allowed("importing.import_preview")
def import_preview(found: Preview, progress: Progress | None = None) -> ImportResult:
    """Import what `found` said it would: a backup of the database first, then every
    row that can be created, all in one transaction (under this guard). Raises NotAllowed
    (before the backup) unless the user may import, ImportRefused when nothing is left to import,
    and whatever stopped the transaction (nothing written then); ExportCancelled from
    `progress` cancels it, nothing written."""
    if not found.can_import:
        raise ImportRefused("Não há nenhuma linha para importar nesta planilha.")
    copy, note = _backup_first()
    return _write(found, progress, copy, note)


def _backup_first() -> tuple[Path | None, str]:
    try:
        backup.database_file()
    except backup.BackupError:
        return None, "banco num servidor ou temporário: faça o backup no servidor"
    try:
        return backup.automatic_backup(backup.BEFORE_IMPORT), ""
    except DomainError as exc:
        raise ImportRefused(
            f"O backup antes da importação não pôde ser feito, e nada foi importado: {exc}"
        ) from exc


@operation
@access.allowed("importing.import_preview")
def _write(found: Preview, progress: Progress | None, copy: Path | None, note: str) -> ImportResult:
    planned = _plan(found.kind, found.parsed)  # the clinic as it is now
    creating = [row for row in planned if row.action == CREATE]
    if not creating:
        raise ImportRefused(
            "Tudo o que a planilha traz já está no programa (talvez importado em outro "
            "computador). Nada foi gravado."
        )
    numbers = []
    if found.kind == PACKAGES:
        numbers = free_numbers(len(creating))
    for done, row in enumerate(creating, start=1):
        try:
            if found.kind == PATIENTS:
                patient_rows.create(row)
            else:
                package_rows.create(row, numbers[done - 1])
        except DomainError as error:
            raise ImportRefused(f"Linha {row.line}: {error} Nada foi importado.") from error
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, len(creating))
    errors = sum(1 for row in planned if row.action == ERROR)
    skipped = sum(1 for row in planned if row.action == SKIP)
    what = KIND_LABELS[found.kind]
    audit.record(
        audit.IMPORT,
        f"Importação de {what} de {found.path.name}: "
        f"{plural(len(creating), 'importado', 'importados')}, "
        f"{plural(skipped, 'ignorado', 'ignorados')}, {errors} com erro"
        + (f"; backup antes: {copy.name}" if copy else ""),
    )
    if progress is not None:
        progress(len(creating), len(creating))
    return ImportResult(found.kind, found.path.name, len(creating), skipped, errors, copy, note)


def preview_lines(found: Preview) -> list[str]:
    """The preview as text, a line per row, then the counts (the command line prints it)."""
    lines = [
        f"{found.path.name}"
        + (f" (aba “{found.sheet_name}”)" if found.sheet_name else "")
        + f": cabeçalho na linha {found.header_line}; colunas: "
        + ", ".join(found.columns.values())
    ]
    for row in found.rows:
        text = row.summary if row.action == CREATE else row.message
        lines.append(f"Linha {row.line}: {row.action_label} — {row.name or '(sem nome)'}: {text}")
    lines.append(counts_text(found))
    return lines


SINGULAR_LABELS = {PATIENTS: "paciente", PACKAGES: "pacote"}


def created_text(kind: str, count: int) -> str:
    """ "1 paciente importado", "3 pacotes importados"."""
    what = plural(count, SINGULAR_LABELS[kind], KIND_LABELS[kind])
    return f"{what} {text_plural_word(count, 'importado', 'importados')}"


def counts_text(found: Preview) -> str:
    """ "1 paciente a importar, 2 ignorados, 0 com erro." (plurals agree with the counts)."""
    what = plural(found.to_create, SINGULAR_LABELS[found.kind], KIND_LABELS[found.kind])
    skipped = plural(found.skipped, "ignorado", "ignorados")
    return f"{what} a importar, {skipped}, {found.errors} com erro."
