"""The floors the app's report and export are measured against, written by hand.

- The report floor: one SQL statement over the same database, read with the bare
  `sqlite3` module, that gives every figure of `reports.package_report()` (each package's
  row in the report's order, and the totals, summed by window functions in the same
  statement), and two more for the services and the sharing of the packages that have
  them (R16, R17; joined to the rows in Python, as the app does). The benchmark checks
  that both give the same figures before timing them. On PostgreSQL the same statements
  run through bare psycopg.
- The export floor: bare openpyxl in write-only mode writing exactly the cells the app's
  export writes for the full report (see `FULL_REPORT`): the same values, types, number
  formats and styles, from the floor's own query. The benchmark reads both files back and
  compares every cell of the sheet.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from r3izzy_desktop.core.store.sqlite import sqlite3

FULL_REPORT = (
    'The "full report" is the package report over every package (no filter) as the '
    'report window\'s "Exportar Excel" writes it: the sheet "Pacotes" with the title, the '
    "export time, the filters, the bold frozen header with its autofilter, one row per "
    'package and the totals row. The "Histórico" sheet is NOT included (the window\'s '
    '"Incluir o histórico na planilha" unchecked).'
)

REPORT_SQL = """
SELECT k.id, p.name, k.number, k.paid_on, k.status, k.total, k.open_amount,
       (2 * k.total + k.sessions_total) / (2 * k.sessions_total) AS price_per_session,
       k.sessions_total, k.sessions_used, {left} AS left,
       k.notes, k.valid_until,
       count(*) OVER () AS packages, sum(k.total) OVER () AS all_total,
       sum(k.open_amount) OVER () AS all_open, sum(k.sessions_total) OVER () AS all_sessions,
       sum(k.sessions_used) OVER () AS all_used, sum({left}) OVER () AS all_left
FROM package k JOIN patient p ON p.id = k.patient_id
ORDER BY p.search_text, p.id, k.paid_on, k.id
""".format(
    # R19: an encerrado package has no session left (the ones not used were given up).
    left="CASE WHEN k.status = 'encerrado' THEN 0 ELSE k.sessions_total - k.sessions_used END"
)
# price_per_session: total ÷ sessions half-up to the centavo, in integer centavos (R4).
SERVICES_SQL = """
SELECT ps.package_id, s.name FROM package_service ps JOIN service s ON s.id = ps.service_id
"""
SHARES_SQL = """
SELECT sh.package_id, p.name FROM package_share sh JOIN patient p ON p.id = sh.patient_id
ORDER BY sh.package_id, p.id
"""
TOTALS = slice(13, 19)  # the window sums of REPORT_SQL


def connect(url: str) -> sqlite3.Connection:
    """The floor's own connection: bare sqlite3 (read-only) on a file, bare psycopg
    (autocommit: no transaction statements) on a PostgreSQL URL. Both have `execute`
    returning a cursor that iterates, `fetchall` and `fetchmany`."""
    if url.startswith(("postgresql://", "postgres://")):
        import psycopg

        return psycopg.connect(url, autocommit=True)
    return sqlite3.connect(f"file:{url}?mode=ro", uri=True)


def terms_floor(connection: sqlite3.Connection) -> tuple[dict, dict]:
    """{package id: its services' names, sorted}, {package id: its sharers' names}."""
    services: dict[int, list[str]] = {}
    for package_id, name in connection.execute(SERVICES_SQL):
        services.setdefault(package_id, []).append(name)
    shared: dict[int, list[str]] = {}
    for package_id, name in connection.execute(SHARES_SQL):
        shared.setdefault(package_id, []).append(name)
    return {k: tuple(sorted(v)) for k, v in services.items()}, {
        k: tuple(v) for k, v in shared.items()
    }


def report_floor(connection: sqlite3.Connection) -> tuple[list[tuple], tuple[dict, dict]]:
    """The floor itself: the statements, every row fetched."""
    return connection.execute(REPORT_SQL).fetchall(), terms_floor(connection)


def floor_figures(floor) -> tuple[list[tuple], tuple]:
    """(per package: id, patient, number, paid_on, status, centavos and counts, validity,
    services, sharers; totals)."""
    rows, (services, shared) = floor
    packages = [
        (
            pid,
            name,
            number,
            str(paid_on)[:10],
            status,
            total,
            open_,
            price,
            count,
            used,
            left,
            str(valid_until)[:10] if valid_until else None,
            services.get(pid, ()),
            shared.get(pid, ()),
        )
        for (
            pid,
            name,
            number,
            paid_on,
            status,
            total,
            open_,
            price,
            count,
            used,
            left,
            _notes,
            valid_until,
            *_,
        ) in rows
    ]
    totals = tuple(rows[0][TOTALS]) if rows else (0,) * 6
    return packages, totals


def app_figures(report) -> tuple[list[tuple], tuple]:
    """The same figures from `reports.package_report()`."""

    def cents(value: Decimal) -> int:
        return int(value * 100)

    packages = [
        (
            r.package_id,
            r.patient_name,
            r.number,
            r.paid_on.isoformat(),
            r.status,
            cents(r.total),
            cents(r.open_amount),
            cents(r.price_per_session),
            r.sessions_total,
            r.sessions_used,
            r.sessions_left,
            r.valid_until.isoformat() if r.valid_until else None,
            r.services,
            r.shared_with,
        )
        for r in report.rows
    ]
    t = report.totals
    totals = (
        t.packages,
        cents(t.total),
        cents(t.open_amount),
        t.sessions_total,
        t.sessions_used,
        t.sessions_left,
    )
    return packages, totals


# --- the export floor ---------------------------------------------------------------------

MONEY = '"R$" #,##0.00'
DATE = "dd/mm/yyyy"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
TITLES = (
    ("Paciente", 32),
    ("No.", 15),
    ("Data Pgto.", 12),
    ("Status", 11),
    ("Valor Total", 15),
    ("Saldo Atual", 15),
    ("Preço por Sessão", 17),
    ("Total de Sessões", 16),
    ("Sessões Usadas", 15),
    ("Sessões Restantes", 17),
    ("Observações", 40),
    ("Validade", 13),
    ("Serviços", 30),
    ("Compartilhado com", 30),
)


def _text(sheet, value: str):
    text = ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    text = text[:32767]
    if not text.startswith(FORMULA_STARTS):
        return text
    cell = WriteOnlyCell(sheet, value=None)
    cell.value = text
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _money(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def _rows(connection: sqlite3.Connection) -> Iterator[tuple]:
    cursor = connection.execute(REPORT_SQL)
    while batch := cursor.fetchmany(2000):
        yield from batch


def export_floor(connection: sqlite3.Connection, path: Path, heading: list[list]) -> dict:
    """Write the full report's sheet with bare openpyxl (write-only); returns the totals."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "R3izzy Desktop"
    sheet = workbook.create_sheet("Pacotes")
    for index, (_title, width) in enumerate(TITLES, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header_row = len(heading) + 2
    sheet.freeze_panes = f"A{header_row + 1}"
    # The page setup the app writes (A4 landscape, one page wide, header row on each page).
    sheet.page_setup.paperSize, sheet.page_setup.orientation = 9, "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PageMargins(0.4, 0.4, 0.75, 0.7, 0.3, 0.3)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.oddHeader.left.text, sheet.oddHeader.left.size = f"&B{heading[0][0]}", 10
    sheet.oddHeader.right.text, sheet.oddHeader.right.size = heading[1][0], 9
    sheet.oddFooter.center.text, sheet.oddFooter.center.size = "página &P de &N", 9
    for position, line in enumerate(heading):
        cells = []
        for value in line:
            if position == 0:
                cell = WriteOnlyCell(sheet, value=None)
                cell.value = value
                cell.data_type = "s"
                cell.font = Font(name="Calibri", bold=True, size=14)
                cells.append(cell)
            else:
                cells.append(_text(sheet, value) if isinstance(value, str) else value)
        sheet.append(cells)
    sheet.append([])
    bold, fill = Font(name="Calibri", size=11, bold=True), PatternFill("solid", fgColor="E6F4F4")
    wrap = Alignment(wrap_text=True, vertical="center")
    border = Border(bottom=Side(style="thin", color="0F8B8D"))
    header = []
    for title, _width in TITLES:
        cell = WriteOnlyCell(sheet, value=None)
        cell.value = title
        cell.data_type = "s"
        cell.font, cell.fill, cell.border, cell.alignment = bold, fill, border, wrap
        header.append(cell)
    sheet.append(header)
    money = [WriteOnlyCell(sheet, value=None) for _ in range(3)]
    for cell in money:
        cell.number_format = MONEY
    day = WriteOnlyCell(sheet, value=None)
    day.number_format = DATE
    last_day = WriteOnlyCell(sheet, value=None)
    last_day.number_format = DATE
    services, shared = terms_floor(connection)
    count = 0
    totals = None
    for (
        pid,
        name,
        number,
        paid_on,
        status,
        total,
        open_,
        price,
        sessions,
        used,
        left,
        notes,
        valid_until,
        *sums,
    ) in _rows(connection):
        money[0].value, money[1].value, money[2].value = _money(total), _money(open_), _money(price)
        day.value = date.fromisoformat(str(paid_on)[:10])
        last_day.value = (
            date.fromisoformat(str(valid_until)[:10]) if valid_until else "sem validade"
        )
        sheet.append(
            [
                _text(sheet, name),
                _text(sheet, number),
                day,
                _text(sheet, status),
                money[0],
                money[1],
                money[2],
                sessions,
                used,
                left,
                _text(sheet, notes),
                last_day,
                _text(sheet, "; ".join(services.get(pid, ())) or "todos"),
                _text(sheet, "; ".join(shared.get(pid, ()))),
            ]
        )
        count += 1
        totals = sums
    sheet.auto_filter.ref = f"A{header_row}:N{header_row + count}"
    packages, all_total, all_open, all_sessions, all_used, all_left = totals or (0,) * 6
    top = Border(top=Side(style="thin", color="475569"))
    line = []
    # As the app: a text column's empty total is an empty bold cell, a number's is none.
    for value, kind in (
        ("Total", "text"),
        (f"{packages} {'pacote' if packages == 1 else 'pacotes'}", "text"),
        (None, None),
        ("", "text"),
        (_money(all_total), "money"),
        (_money(all_open), "money"),
        (None, None),
        (all_sessions, "int"),
        (all_used, "int"),
        (all_left, "int"),
        ("", "text"),
        (None, None),
        ("", "text"),
        ("", "text"),
    ):
        if value is None:
            line.append(None)
            continue
        cell = WriteOnlyCell(sheet, value=None)
        cell.value = value
        if kind == "text":
            cell.data_type = "s"
        if kind == "money":
            cell.number_format = MONEY
        cell.font = bold
        cell.border = top
        line.append(cell)
    sheet.append(line)
    workbook.save(path)
    return {"packages": packages}


def sheet_cells(path: Path, sheet: str = "Pacotes") -> list[tuple]:
    """Every cell of a sheet: (value, number format, bold) row by row, read back."""
    workbook = load_workbook(path, read_only=True)
    try:
        rows = []
        for row in workbook[sheet].iter_rows():
            rows.append(
                tuple(
                    (cell.value, cell.number_format, bool(cell.font and cell.font.b))
                    for cell in row
                    if getattr(cell, "value", None) is not None
                )
            )
        return rows
    finally:
        workbook.close()
