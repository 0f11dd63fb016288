"""The page setup of every workbook the app writes, read back from the file: A4, the
orientation, one page wide, the header row repeated (print titles), the title and export
time in the page header and "página N de M" in the footer.

A new workbook of the app joins tests/core/reports/workbooks.py: this module and the
LibreOffice printouts (test_workbook_printing.py) then check it too."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from openpyxl import Workbook

from r3izzy_desktop.core import clinic, clock, packages
from r3izzy_desktop.core.reports import export, page_setup
from r3izzy_desktop.core.reports.export import INTEGER, TEXT, Column, SheetWriter

from .workbooks import WORKBOOKS

AT = datetime(2025, 7, 3, 14, 30)
STAMP = "Exportado em 03/07/2025 14:30"


@pytest.fixture
def ana(patient):
    with clock.frozen(datetime(2025, 7, 1, 9, 0)):
        packages.create_package(patient, 5, Decimal("1000.00"), paid_on=date(2025, 7, 1))
    return patient


@pytest.mark.parametrize("write", WORKBOOKS, ids=lambda w: w.__name__)
def test_every_sheet_prints_a4_one_page_wide_with_its_header_on_every_page(tmp_path, ana, write):
    with clock.frozen(AT):
        path, sheets = write(tmp_path, ana)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [sheet.name for sheet in sheets]
    for name, title, header_row, first_header, landscape in sheets:
        sheet = book[name]
        setup = sheet.page_setup
        assert setup.paperSize == 9  # A4
        assert setup.orientation == ("landscape" if landscape else "portrait")
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == f"${header_row}:${header_row}"
        assert sheet.cell(header_row, 1).value == first_header
        assert sheet.oddHeader.left.text == f"&B{title}"
        assert sheet.oddHeader.right.text == STAMP
        assert sheet.oddFooter.center.text == "página &P de &N"
        assert sheet.page_margins.left < 0.75  # narrower than the default
    # The header row of each sheet is a print title of that sheet, in the workbook's names.
    with zipfile.ZipFile(path) as archive:
        workbook_xml = archive.read("xl/workbook.xml").decode()
    for index, (name, _title, row, *_) in enumerate(sheets):
        assert (
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">'
            f"'{name}'!${row}:${row}</definedName>"
        ) in workbook_xml


def test_the_page_header_says_the_same_time_as_the_heading(tmp_path, ana):
    with clock.frozen(AT):
        path = export.patient_packages_xlsx(ana, tmp_path / "a.xlsx")
    sheet = openpyxl.load_workbook(path)["Pacotes"]
    assert sheet["A2"].value == STAMP == sheet.oddHeader.right.text


def write_sheet(path, columns, **kwargs):
    workbook = Workbook(write_only=True)
    writer = SheetWriter(workbook, "Folha", columns, [["Título"]], exported_at=AT, **kwargs)
    writer.append({"a": "x"})
    writer.finish()
    workbook.save(path)
    return openpyxl.load_workbook(path)["Folha"]


NARROW = [Column("A", TEXT, 30, lambda r: r["a"]), Column("B", INTEGER, 12, lambda r: 1)]
WIDE = [*NARROW, Column("C", TEXT, 60, lambda r: "")]


def test_orientation_follows_the_table_width_unless_asked(tmp_path):
    assert write_sheet(tmp_path / "n.xlsx", NARROW).page_setup.orientation == "portrait"
    assert write_sheet(tmp_path / "w.xlsx", WIDE).page_setup.orientation == "landscape"
    forced = write_sheet(tmp_path / "f.xlsx", NARROW, landscape=True)
    assert forced.page_setup.orientation == "landscape"
    assert write_sheet(tmp_path / "p.xlsx", WIDE, landscape=False).page_setup.orientation == (
        "portrait"
    )


def test_a_sheet_without_a_page_title_is_titled_by_its_heading(tmp_path):
    sheet = write_sheet(tmp_path / "t.xlsx", NARROW)
    assert sheet.oddHeader.left.text == "&BTítulo"
    assert sheet.print_title_rows == "$3:$3"  # title, a blank line, the header
    workbook = Workbook(write_only=True)
    SheetWriter(workbook, "Sem título", NARROW).finish()
    workbook.save(tmp_path / "u.xlsx")
    bare = openpyxl.load_workbook(tmp_path / "u.xlsx")["Sem título"]
    assert bare.oddHeader.left.text == "&BSem título"
    assert bare.print_title_rows == "$1:$1"


def test_an_ampersand_in_a_name_is_printed_not_read_as_a_code(tmp_path, db):
    person = clinic.add_patient("Ana & Bia Souza")
    with clock.frozen(AT):
        path = export.patient_packages_xlsx(person, tmp_path / "amp.xlsx")
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    # "&&" is a literal "&" in SpreadsheetML's header codes (XML-escaped in the file).
    assert "&amp;BPacotes de Ana &amp;&amp; Bia Souza&amp;R" in sheet_xml


def test_header_text_is_flat_escaped_and_short_enough_for_excel():
    assert page_setup.header_text("Ana\n& Bia") == "Ana && Bia"
    assert page_setup.header_text("A\x00n\x01a\x1b") == "Ana"
    long = page_setup.header_text("&" * 300)
    assert len(long) <= page_setup.TITLE_MAX and long.endswith("…")
    assert long.count("&") % 2 == 0  # never half an escape
    assert page_setup.header_text("x" * 500) == "x" * (page_setup.TITLE_MAX - 1) + "…"
