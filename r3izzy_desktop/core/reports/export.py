"""Excel export of packages (manual 2: "Exportar os pacotes deste cliente em formato Excel";
manual 2.1: the general package report), with openpyxl in write-only mode.

What a spreadsheet user gets: real types (money as numbers in an `R$` currency format,
dates as dates shown dd/mm/aaaa, counts as integers), a bold frozen header, an
autofilter over the table, sensible column widths, and a totals row. Text somebody
typed (names, observations) is always stored as text: one that starts with `=`, `+`,
`-`, `@`, a tab or a carriage return gets Excel's quote prefix and can never become a
formula; characters Excel refuses (control characters) are removed.

Every sheet prints well as written (page_setup.py): A4, landscape when the table is
wide, one page wide, the header row on every page, the title and export time in the page
header, "página N de M" in the footer.

A new workbook gets all of this by construction: `_new_workbook()`, then one
`SheetWriter(workbook, sheet_name, columns, heading, page_title=…, exported_at=…)` per
table (the page setup is written by the writer, before the first row: `landscape=None`
decides from the columns' widths; True/False forces it), `append` each row, `finish`
(optionally with a totals row), then `_save(workbook, target_path(path))`; on an error
before saving, `_discard(workbook)`. A sheet not written by SheetWriter calls
`page_setup.apply_page_setup` before its first row.

Rows stream from the database to the file (write-only mode), so tens of thousands of
packages stay fast and small in memory. The file appears only when complete: it is
written beside the target under a temporary name and moved into place at the end, so
a failure or a cancel never leaves a half-written workbook behind.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .. import access, audit, clock, reports
from ..clinic import get_patient
from ..errors import DomainError
from ..packages import ledger
from ..ptbr import format_datetime
from ..store.models import Patient
from ..text import fold
from .package_report import PackageReportTotals
from .page_setup import PageSetup, apply_page_setup
from .report_query import ReportFilters

MONEY_FORMAT = '"R$" #,##0.00'
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
FONT_NAME = "Calibri"  # openpyxl's default font of a workbook
MAX_CELL_TEXT = 32767  # Excel's limit for one cell
PROGRESS_EVERY = 500  # rows between two progress reports

# Text starting with one of these could be read as a formula by a spreadsheet. (A carriage
# return is stored as a line break, so a leading line break counts as well.)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

Progress = Callable[[int, int], None]
"""progress(done, total): called now and then while exporting; raising ExportCancelled
inside it stops the export and nothing is written."""


class ExportFailed(DomainError):
    """The file could not be written (folder missing, no permission, file open in Excel)."""


# --- cells -------------------------------------------------------------------------------

TEXT, MONEY, DATE, DATETIME, INTEGER = "text", "money", "date", "datetime", "integer"
_NUMBER_FORMATS = {MONEY: MONEY_FORMAT, DATE: DATE_FORMAT, DATETIME: DATETIME_FORMAT}


@dataclass(frozen=True)
class Column:
    title: str
    kind: str
    width: float
    value: Callable[[Any], Any]


def clean_text(value: Any) -> str:
    """Text as a cell can hold it: Excel-illegal control characters removed, a lone carriage
    return turned into a line break, no more than Excel's 32.767 characters."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text[:MAX_CELL_TEXT]


def needs_quote_prefix(value: str) -> bool:
    """True for text a spreadsheet could take for a formula (see FORMULA_STARTS)."""
    return value.startswith(FORMULA_STARTS)


class _Styles:
    """The few cell styles of a workbook, created once per sheet writer."""

    # Named like the workbook's default font: a font without a name prints in the
    # spreadsheet program's fallback (a serif in LibreOffice), wider than the columns.
    bold = Font(name=FONT_NAME, size=11, bold=True)
    title = Font(name=FONT_NAME, size=14, bold=True)
    muted = Font(name=FONT_NAME, size=11, color="64748B")
    # A long header wraps onto two lines rather than being cut by the next column.
    header_alignment = Alignment(wrap_text=True, vertical="center")
    header_fill = PatternFill("solid", fgColor="E6F4F4")
    header_border = Border(bottom=Side(style="thin", color="0F8B8D"))
    totals_border = Border(top=Side(style="thin", color="475569"))


def text_cell(sheet, value: Any, *, font: Font | None = None):
    """A cell that holds `value` as text, never as a formula."""
    text = clean_text(value)
    if not needs_quote_prefix(text) and font is None:
        return text
    cell = WriteOnlyCell(sheet, value=None)
    cell.value = text
    cell.data_type = "s"  # openpyxl would take "=…" for a formula
    if needs_quote_prefix(text):
        cell.quotePrefix = True  # Excel shows it as typed and keeps it text when edited
    if font is not None:
        cell.font = font
    return cell


def typed_cell(sheet, kind: str, value: Any, *, font: Font | None = None):
    """A cell of the column's kind: money (Decimal, written as a number, never through a
    float), date, date-time, integer, or text."""
    if kind == TEXT:
        return text_cell(sheet, value, font=font)
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    if kind in _NUMBER_FORMATS:
        cell.number_format = _NUMBER_FORMATS[kind]
    if font is not None:
        cell.font = font
    return cell


class SheetWriter:
    """One table on one write-only sheet: optional lines above it (title, filters), a bold
    frozen header with an autofilter, the rows, and an optional bold totals row; and the
    sheet's page setup (page_setup.py), always.

    `page_title` heads every printed page (default: the heading's first line, else the
    sheet's name), beside "Exportado em …" of `exported_at` (default: now); `landscape`
    None decides from the columns' widths."""

    def __init__(
        self,
        workbook: Workbook,
        title: str,
        columns: Sequence[Column],
        heading: Sequence[Sequence[Any]] = (),
        *,
        page_title: str | None = None,
        exported_at: datetime | None = None,
        landscape: bool | None = None,
    ):
        self.sheet = workbook.create_sheet(title)
        self.columns = list(columns)
        self.last_column = get_column_letter(len(self.columns))
        # Widths, the frozen pane and the page setup are written before the rows, so they
        # come first.
        for index, column in enumerate(self.columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = column.width
        self.header_row = len(heading) + (2 if heading else 1)
        self.sheet.freeze_panes = f"A{self.header_row + 1}"
        if page_title is None:
            first = heading[0][0] if heading and heading[0] else None
            page_title = first if isinstance(first, str) else title
        apply_page_setup(
            self.sheet,
            PageSetup(page_title, exported_text(exported_at), landscape),
            widths=[column.width for column in self.columns],
            header_row=self.header_row,
        )
        for position, line in enumerate(heading):
            font = _Styles.title if position == 0 else None
            self.sheet.append([self._heading_cell(value, font) for value in line])
        if heading:
            self.sheet.append([])
        header = []
        for column in self.columns:
            cell = WriteOnlyCell(self.sheet, value=None)
            cell.value = clean_text(column.title)
            cell.data_type = "s"
            cell.font = _Styles.bold
            cell.fill = _Styles.header_fill
            cell.border = _Styles.header_border
            cell.alignment = _Styles.header_alignment
            header.append(cell)
        self.sheet.append(header)
        self.rows = 0
        # One styled cell per column, reused row after row: the write-only sheet writes a
        # row out as soon as it is appended, and creating and styling a cell for every
        # value would double the time of a big export.
        self._formats = [_NUMBER_FORMATS.get(column.kind) for column in self.columns]
        self._cells = [
            self._styled(number_format) if number_format else None
            for number_format in self._formats
        ]

    def _heading_cell(self, value: Any, font: Font | None):
        if isinstance(value, str) or value is None:
            return text_cell(self.sheet, value, font=font)
        return value

    def _styled(self, number_format: str | None):
        cell = WriteOnlyCell(self.sheet, value=None)
        if number_format:
            cell.number_format = number_format
        return cell

    def append(self, item: Any) -> None:
        row: list[Any] = []
        for column, cell in zip(self.columns, self._cells, strict=True):
            value = column.value(item)
            if value is None:
                row.append(None)
            elif cell is not None:
                cell.value = value
                row.append(cell)
            elif column.kind == TEXT:
                text = clean_text(value)
                if needs_quote_prefix(text):
                    # Rare: a fresh cell, since one row may hold two such texts.
                    row.append(text_cell(self.sheet, text))
                else:
                    row.append(text)
            else:
                row.append(value)
        self.sheet.append(row)
        self.rows += 1

    def finish(self, totals: Sequence[Any] | None = None) -> None:
        """Set the autofilter over header and rows; then the totals row, outside the filter
        so sorting never moves it."""
        last_row = self.header_row + self.rows
        self.sheet.auto_filter.ref = f"A{self.header_row}:{self.last_column}{last_row}"
        if totals is not None:
            cells = []
            for column, value in zip(self.columns, totals, strict=True):
                cell = typed_cell(self.sheet, column.kind, value, font=_Styles.bold)
                if isinstance(cell, Cell):
                    cell.border = _Styles.totals_border
                cells.append(cell)
            self.sheet.append(cells)


# --- the columns -------------------------------------------------------------------------

PACKAGE_COLUMNS: tuple[Column, ...] = (
    Column("Paciente", TEXT, 32, lambda r: r.patient_name),
    Column("No.", TEXT, 15, lambda r: r.number),
    Column("Data Pgto.", DATE, 12, lambda r: r.paid_on),
    Column("Status", TEXT, 11, lambda r: r.status),
    Column("Valor Total", MONEY, 15, lambda r: r.total),
    Column("Saldo Atual", MONEY, 15, lambda r: r.open_amount),
    Column("Preço por Sessão", MONEY, 17, lambda r: r.price_per_session),
    Column("Total de Sessões", INTEGER, 16, lambda r: r.sessions_total),
    Column("Sessões Usadas", INTEGER, 15, lambda r: r.sessions_used),
    Column("Sessões Restantes", INTEGER, 17, lambda r: r.sessions_left),
    Column("Observações", TEXT, 40, lambda r: r.notes),
    # R15-R17: the last valid day (a date, or "sem validade"), the services covered and
    # the patients the package is shared with (under its owner, in "Paciente").
    Column("Validade", DATE, 13, lambda r: r.valid_until or ledger.NO_VALIDITY),
    Column("Serviços", TEXT, 30, lambda r: ledger.names_label(r.services, ledger.ALL_SERVICES)),
    Column("Compartilhado com", TEXT, 30, lambda r: "; ".join(r.shared_with)),
)

HISTORY_COLUMNS: tuple[Column, ...] = (
    Column("No. Pacote", TEXT, 15, lambda h: h.package_number),
    Column("Paciente", TEXT, 32, lambda h: h.patient_name),
    Column("Tipo", TEXT, 20, lambda h: h.kind),
    Column("Data", DATETIME, 17, lambda h: h.at),
    Column("Data Pacote", DATE, 12, lambda h: h.package_date),
    Column("Status", TEXT, 11, lambda h: h.status),
    Column("Observação", TEXT, 46, lambda h: h.note),
    Column("Saldo de Sessões", INTEGER, 16, lambda h: h.sessions_left),
    Column("Saldo R$", MONEY, 15, lambda h: h.open_amount),
    Column("Valor Médio", MONEY, 15, lambda h: h.price_per_session),
)


def totals_line(totals: PackageReportTotals) -> list[Any]:
    """The totals row under the package table, column by column."""
    word = "pacote" if totals.packages == 1 else "pacotes"
    return [
        "Total",
        f"{totals.packages} {word}",
        None,
        None,
        totals.total,
        totals.open_amount,
        None,
        totals.sessions_total,
        totals.sessions_used,
        totals.sessions_left,
        None,
        None,
        None,
        None,
    ]


# --- writing a workbook ------------------------------------------------------------------


class _Counter:
    """Counts rows written and reports progress now and then."""

    def __init__(self, total: int, progress: Progress | None):
        self.total = max(total, 1)
        self.done = 0
        self.progress = progress
        self._report()

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)

    def step(self) -> None:
        self.done += 1
        if self.done % PROGRESS_EVERY == 0:
            self._report()

    def end(self) -> None:
        self.done = self.total
        self._report()


def _write_table(writer: SheetWriter, rows: Iterable[Any], counter: _Counter) -> None:
    for row in rows:
        writer.append(row)
        counter.step()


def target_path(path: str | Path) -> Path:
    """The file an export writes: `path`, with ".xlsx" added when missing. Raises
    ExportFailed when its folder does not exist or cannot be written (before any work)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    folder = path.parent
    if not folder.is_dir():
        raise ExportFailed(f"A pasta não existe:\n{folder}\n\nEscolha outra pasta.")
    if not os.access(folder, os.W_OK):
        raise ExportFailed(f"Sem permissão para gravar na pasta:\n{folder}\n\nEscolha outra pasta.")
    return path


def _save(workbook: Workbook, path: Path) -> Path:
    """Save beside the target under a temporary name, then move it into place."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        workbook.save(temporary)
        os.replace(temporary, path)
    except PermissionError as exc:
        raise ExportFailed(
            f"Sem permissão para gravar o arquivo:\n{path}\n\nSe ele estiver aberto no Excel, "
            "feche-o e tente de novo; ou escolha outra pasta."
        ) from exc
    except OSError as exc:
        raise ExportFailed(f"Não foi possível gravar o arquivo:\n{path}\n\n{exc}") from exc
    finally:
        _discard(workbook)
        if temporary.exists():
            temporary.unlink(missing_ok=True)
    return path


def _discard(workbook: Workbook) -> None:
    """Remove the temporary files of an unsaved write-only workbook now (openpyxl would
    only remove them when the program exits): finish each sheet's stream, then delete it."""
    for sheet in workbook.worksheets:
        writer = getattr(sheet, "_writer", None)
        if writer is None:
            continue
        with contextlib.suppress(Exception):  # best effort: the export failed already
            if not sheet.closed:
                sheet.close()
            writer.cleanup()


def _new_workbook() -> Workbook:
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "R3izzy Desktop"
    return workbook


def _export(
    path: Path,
    heading: list[list[Any]],
    filters: ReportFilters,
    progress: Progress | None,
    *,
    exported_at: datetime,
    include_history: bool = True,
) -> Path:
    """The sheets of an export: "Pacotes" (the filtered packages and totals) and
    "Histórico" (every history line of those packages, with its package number); the
    heading's first line is the title of the printed pages.

    Everything is read in one read transaction, so the totals and the history agree with
    the rows even while another PC writes."""
    path = target_path(path)
    with reports.read_snapshot():
        count = reports.count_packages(filters)
        if include_history:
            count += reports.count_history(filters)
        counter = _Counter(count, progress)
        workbook = _new_workbook()
        try:
            title = heading[0][0]
            packages = SheetWriter(
                workbook, "Pacotes", PACKAGE_COLUMNS, heading, exported_at=exported_at
            )
            _write_table(packages, reports.iter_report_rows(filters), counter)
            packages.finish(totals_line(reports.report_totals(filters)))
            if include_history:
                history = SheetWriter(
                    workbook,
                    "Histórico",
                    HISTORY_COLUMNS,
                    page_title=f"{title} — Histórico",
                    exported_at=exported_at,
                )
                _write_table(history, reports.iter_history_rows(filters=filters), counter)
                history.finish()
        except BaseException:
            _discard(workbook)
            raise
    saved = _save(workbook, path)
    counter.end()
    return saved


def exported_text(at: datetime | None = None) -> str:
    """ "Exportado em 03/07/2025 14:30" (default: now)."""
    return f"Exportado em {format_datetime(at or clock.now())}"


@access.allowed("export.patient_packages_xlsx")
def patient_packages_xlsx(
    patient: Patient | int, path: str | Path, *, progress: Progress | None = None
) -> Path:
    """Every package of one patient to `path` (.xlsx), as the patient's list shows them:
    their own and those shared with them (R17, "Paciente" is the owner). Sheet "Pacotes"
    (one row per package, the report's columns, a totals row) and sheet "Histórico" (every
    history line with its package number). Returns the file written. Raises NotFound for
    an unknown patient, ExportFailed when the file cannot be written, ExportCancelled
    from `progress`."""
    row = get_patient(patient)
    filters = reports.make_filters(patient=row.id, include_shared=True)
    at = clock.now()
    heading = [[f"Pacotes de {row.name}"], [exported_text(at)]]
    saved = _export(Path(path), heading, filters, progress, exported_at=at)
    audit.record(audit.EXPORT, f"Pacotes do paciente #{row.id}: {saved.name}")
    return saved


@access.allowed("export.package_report_xlsx")
def package_report_xlsx(
    path: str | Path,
    *,
    progress: Progress | None = None,
    paid_from: date | None = None,
    paid_to: date | None = None,
    status: str | None = None,
    patient: Patient | int | str | None = None,
    expired: bool = False,
    include_history: bool = True,
) -> Path:
    """The package report (manual 2.1) to `path` (.xlsx): the filters written above the
    table, the packages with a totals row, and a "Histórico" sheet with the history lines
    of those packages (unless `include_history` is False: the history of every package of
    a clinic is ten times the rows and most of the time). Filters as in
    `reports.package_report` (`expired`: only the vencido packages). Returns the file
    written."""
    filters = reports.make_filters(
        paid_from=paid_from, paid_to=paid_to, status=status, patient=patient, expired=expired
    )
    at = clock.now()
    heading: list[list[Any]] = [["Relatório de Pacotes"], [exported_text(at)]]
    heading += [[f"{name}:", value] for name, value in filters.describe()]
    saved = _export(
        Path(path), heading, filters, progress, exported_at=at, include_history=include_history
    )
    audit.record(audit.EXPORT, f"Relatório de Pacotes: {saved.name}")
    return saved


_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """ "Ana Souza" -> "ana-souza": lower case, no accents, words joined by hyphens."""
    return _SLUG.sub("-", fold(text)).strip("-") or "paciente"


def patient_export_name(patient_name: str, today: date | None = None) -> str:
    """The suggested file name: `pacotes-ana-souza-2025-07-03.xlsx`."""
    day = today or clock.today()
    return f"pacotes-{slug(patient_name)}-{day.isoformat()}.xlsx"


def report_export_name(today: date | None = None) -> str:
    """`relatorio-de-pacotes-2025-07-03.xlsx`."""
    day = today or clock.today()
    return f"relatorio-de-pacotes-{day.isoformat()}.xlsx"


# For the other workbooks of reports/ (data_sheets.py): one way to start and save a file.
new_workbook = _new_workbook
save_workbook = _save
discard_workbook = _discard


def generated_line(at: datetime | None = None) -> list[Any]:
    """The heading row under a workbook's title: ["Exportado em …"]."""
    return [exported_text(at)]
