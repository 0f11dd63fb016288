"""Reading a spreadsheet a clinic brings (R24): `.xlsx` (openpyxl, read-only) or `.csv`
(`;` or `,`, UTF-8 or Windows-1252, detected), into plain rows of cell values.

Everything about a file that is not a table we can read ends in `ImportRefused` with a
message in Portuguese, before anything is written: not a spreadsheet (or an old `.xls`),
a file over MAX_FILE_BYTES, a zip bomb (what the `.xlsx` would unpack to is read from
its directory first; Python's zip reader never gives more than that), formulas in the
table, merged cells in the table, no sheet with data, too many rows. What kind of file
it is comes from its first bytes, not its name (a `.csv` renamed from `.xlsx` is read as
what it is).

Numbers of an `.xlsx` come from openpyxl as int or float: a float is turned into text by
`repr` at once (the shortest text of the stored number, which is what the file held) and
goes on from there as text, so no float ever reaches a money value (cells.py).
"""

from __future__ import annotations

import csv
import io
import logging
import math
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DomainError

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024  # 10,000 rows are about 1 MB in either format
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # what an .xlsx may unpack to, all parts together
MAX_ZIP_MEMBERS = 2000
MAX_ROWS = 50_000
HEADER_SEARCH_ROWS = 10  # a title or a blank line may stand above the header

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc)

Progress = Callable[[int, int], None]


class ImportRefused(DomainError):
    """The file cannot be imported as it is; nothing was written."""


@dataclass(frozen=True)
class RawSheet:
    """A table as read: each non-empty row as (its row number in the file, its values)."""

    file_name: str
    sheet_name: str  # "" for a CSV
    rows: list[tuple[int, list[Any]]]
    formula_cells: dict[int, dict[int, str]]  # row number -> column index -> "C5"
    merged: list[tuple[int, int, int, int, str]]  # (min_row, min_col, max_row, max_col, ref)


class NumberText(str):
    """The text of a number cell that is not whole (`repr` of openpyxl's float): its
    decimal mark is a point, never a thousands mark."""


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def read_table(path: Path | str, progress: Progress | None = None) -> RawSheet:
    """The first sheet with data of `path`, as rows. Raises ImportRefused (see the module)."""
    path = Path(path)
    if not path.exists():
        raise ImportRefused(f"O arquivo não foi encontrado:\n{path}")
    if not path.is_file():
        raise ImportRefused(f"Isto não é um arquivo:\n{path}")
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            head = file.read(8)
    except OSError as exc:
        raise ImportRefused(f"Não foi possível abrir o arquivo:\n{path}\n\n{exc}") from exc
    if size > MAX_FILE_BYTES:
        raise ImportRefused(
            f"O arquivo tem {_size_text(size)}; o limite é {_size_text(MAX_FILE_BYTES)}. "
            "Divida a planilha em partes menores (ou apague as colunas que não são "
            "importadas) e importe uma parte de cada vez. Nada foi gravado."
        )
    if size == 0:
        raise ImportRefused("O arquivo está vazio. Nada foi gravado.")
    if head.startswith(OLE_MAGIC):
        raise ImportRefused(
            "Este é um arquivo do Excel antigo (.xls). Abra-o no Excel ou no LibreOffice e "
            "salve como “Pasta de Trabalho do Excel (.xlsx)” ou como CSV; depois importe "
            "esse arquivo. Nada foi gravado."
        )
    if head.startswith(ZIP_MAGIC):
        return _read_xlsx(path, progress)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".ods", ".zip"):
        raise ImportRefused(_NOT_A_SPREADSHEET.format(name=path.name))
    return _read_csv(path, progress)


_NOT_A_SPREADSHEET = (
    "“{name}” não é uma planilha que o programa saiba ler. Use uma planilha do Excel "
    "(.xlsx) ou um arquivo CSV (separado por ponto e vírgula ou vírgula). Nada foi gravado."
)


# --- .xlsx --------------------------------------------------------------------------------


def _check_zip(path: Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportRefused(_NOT_A_SPREADSHEET.format(name=path.name)) from exc
    if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        archive.close()
        raise ImportRefused(
            f"“{path.name}” se expandiria para um tamanho muito maior que o de uma planilha "
            "(pode ser um arquivo malicioso). O programa não o abriu. Nada foi gravado."
        )
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        archive.close()
        raise ImportRefused(_NOT_A_SPREADSHEET.format(name=path.name))
    return archive


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.decode():
        number = number * 26 + ord(char) - 64
    return number


def _merged_cells(archive: zipfile.ZipFile, member: str) -> list[tuple[int, int, int, int, str]]:
    """The merged ranges of a sheet (read-only mode does not read them): its XML scanned
    in chunks (the zip's own limits bound what is read)."""
    found = []
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            for match in _MERGE.finditer(data):
                c1, r1, c2, r2 = match.groups()
                c2, r2 = c2 or c1, r2 or r1
                ref = f"{c1.decode()}{r1.decode()}" + (
                    f":{c2.decode()}{r2.decode()}" if (c2, r2) != (c1, r1) else ""
                )
                item = (int(r1), _column_number(c1), int(r2), _column_number(c2), ref)
                if item not in found:
                    found.append(item)
            tail = data[-200:]
    return found


def _cell_text(value: Any) -> Any:
    """A cell's value as the rest of the import takes it: text, int, a date or datetime,
    bool, or None; a float as its shortest text (see the module)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
        return NumberText(repr(value))
    return value


def _read_xlsx(path: Path, progress: Progress | None) -> RawSheet:
    from openpyxl import load_workbook

    archive = _check_zip(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of styles it does not know
            workbook = load_workbook(path, read_only=True, data_only=False)
    except ImportRefused:
        raise
    except Exception as exc:  # a damaged workbook: whatever openpyxl raises, said in words
        archive.close()
        log.info("an .xlsx could not be read: %s", exc, exc_info=True)
        raise ImportRefused(
            f"Não foi possível ler a planilha “{path.name}”: o arquivo parece danificado. "
            "Abra-o no Excel ou no LibreOffice, salve de novo como .xlsx e tente outra vez. "
            "Nada foi gravado."
        ) from exc
    try:
        for sheet in workbook.worksheets:
            rows, formulas = _sheet_rows(sheet, progress)
            if rows:
                member = getattr(sheet, "_worksheet_path", None)
                merged = _merged_cells(archive, member) if member else []
                return RawSheet(path.name, sheet.title, rows, formulas, merged)
    except ImportRefused:
        raise
    except Exception as exc:
        log.info("an .xlsx could not be read: %s", exc, exc_info=True)
        raise ImportRefused(
            f"Não foi possível ler a planilha “{path.name}”: o arquivo parece danificado. "
            "Nada foi gravado."
        ) from exc
    finally:
        workbook.close()
        archive.close()
    raise ImportRefused(
        f"A planilha “{path.name}” está vazia: nenhuma aba tem dados. Nada foi gravado."
    )


def _sheet_rows(sheet, progress: Progress | None):
    rows: list[tuple[int, list[Any]]] = []
    formulas: dict[int, dict[int, str]] = {}
    expected = sheet.max_row or 0
    for cells in sheet.iter_rows():
        values = []
        number = None
        for index, cell in enumerate(cells):
            if getattr(cell, "row", None) is not None:
                number = cell.row
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f":
                formulas.setdefault(cell.row, {})[index] = cell.coordinate
            values.append(_cell_text(value))
        if number is None or not any(v not in (None, "") for v in values):
            continue
        rows.append((number, values))
        if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise _too_many_rows()
        if progress is not None and len(rows) % 1000 == 0:
            progress(len(rows), max(expected, len(rows)))
    return rows, formulas


def _too_many_rows() -> ImportRefused:
    return ImportRefused(
        f"A planilha tem mais de {MAX_ROWS:,} linhas".replace(",", ".")
        + "; divida-a em partes menores e importe uma de cada vez. Nada foi gravado."
    )


# --- .csv ---------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without its BOM) when the bytes are valid UTF-8, else Windows-1252
    (what Excel writes on a Brazilian PC), else Latin-1 (the bytes Windows-1252 leaves
    unused)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def delimiter_of(text: str) -> str:
    """`;`, `,` or a tab: the one found most often, outside quotes, in the first line
    that has any of them (`;` when tied, as Excel writes it in Brazil)."""
    for line in text.splitlines()[:HEADER_SEARCH_ROWS]:
        counts = {mark: 0 for mark in (";", ",", "\t")}
        quoted = False
        for char in line:
            if char == '"':
                quoted = not quoted
            elif not quoted and char in counts:
                counts[char] += 1
        best = max(counts, key=lambda mark: (counts[mark], mark == ";"))
        if counts[best]:
            return best
    return ";"


def _read_csv(path: Path, progress: Progress | None) -> RawSheet:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRefused(f"Não foi possível ler o arquivo:\n{path}\n\n{exc}") from exc
    if b"\x00" in data[:65536] or _looks_binary(data[:65536]):
        raise ImportRefused(_NOT_A_SPREADSHEET.format(name=path.name))
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, values in enumerate(reader, start=1):
            if not any(value.strip() for value in values):
                continue
            rows.append((number, values))
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise _too_many_rows()
            if progress is not None and number % 1000 == 0:
                progress(number, number)
    except csv.Error as exc:
        raise ImportRefused(
            f"O arquivo CSV “{path.name}” está malformado perto da linha {reader.line_num} "
            f"({exc}). Nada foi gravado."
        ) from exc
    if not rows:
        raise ImportRefused(f"O arquivo “{path.name}” está vazio. Nada foi gravado.")
    return RawSheet(path.name, "", rows, {}, [])


def _looks_binary(data: bytes) -> bool:
    """Control bytes other than tab, line breaks and form feed: not text."""
    controls = sum(1 for byte in data if byte < 9 or (13 < byte < 32 and byte != 27))
    return controls > max(8, len(data) // 100)
