"""The workbooks printed as a clinic prints them: opened in LibreOffice Calc (headless) and
printed to PDF, then the PDF read back (pypdf: pages and their size; pdftotext: what each
page says).

What must hold: A4 landscape pages; every sheet one page wide (each page shows the
table's first and last columns: a table cut in width would put its right half on pages
of their own); the header row on every page; the title, export time and "página N de M"
on every page; every package printed exactly once, in order; and as many pages as the
rows need — the expected count is computed from the rows a full page holds, never
written down. LibreOffice and poppler-utils come from Debian (tests/helpers/printouts.py;
CI requires them)."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader

from r3izzy_desktop.core import clinic, clock, packages, reports
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.demo import populate_large
from r3izzy_desktop.core.reports import export
from tests.helpers import pg
from tests.helpers.printouts import pages_text, workbook_pdf

from .workbooks import WORKBOOKS

AT = datetime(2025, 7, 3, 14, 30)
STAMP = "Exportado em 03/07/2025 14:30"
A4_LANDSCAPE_PT = (841.89, 595.28)
NUMBER = re.compile(r"\b\d{12}\b")  # a package number (R2)
HEADER_FIRST, HEADER_LAST = "Paciente", "Observações"  # the report table's first and last


def assert_a4_landscape(pdf) -> int:
    """Every page A4 landscape; returns the number of pages."""
    reader = PdfReader(pdf)
    for page in reader.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4_LANDSCAPE_PT, abs=1.5), size
    return len(reader.pages)


def a4_orientations(pdf) -> list[bool]:
    """Every page A4; for each page, True when it is landscape."""
    orientations = []
    for page in PdfReader(pdf).pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        landscape = size[0] > size[1]
        expected = A4_LANDSCAPE_PT if landscape else A4_LANDSCAPE_PT[::-1]
        assert size == pytest.approx(expected, abs=1.5), size
        orientations.append(landscape)
    return orientations


def assert_pages_framed(texts: list[str], title: str) -> None:
    """The page header (title, export time) and footer ("página N de M") on every page."""
    for number, text in enumerate(texts, start=1):
        assert title in text and STAMP in text, text[:300]
        assert f"página {number} de {len(texts)}" in text


def assert_report_paginated(pdf, numbers: list[str], title: str) -> list[list[str]]:
    """The report's pages: framed, one page wide with the header on each, every package
    once and in order, and the page count the rows need. Returns the numbers by page."""
    count = assert_a4_landscape(pdf)
    texts = pages_text(pdf)
    assert len(texts) == count
    assert_pages_framed(texts, title)
    for text in texts:
        assert HEADER_FIRST in text and HEADER_LAST in text and "Sessões Restantes" in text
    by_page = [NUMBER.findall(text) for text in texts]
    assert [number for page in by_page for number in page] == numbers
    assert "Total" in texts[-1] and f"{len(numbers)} pacote" in texts[-1]
    if count > 1:
        # Page 1 holds fewer rows (the title and filters come first); the pages between
        # the first and the last are full; the totals row is one more row.
        full = len(by_page[1])
        assert full >= 30, full  # scaled to the page's width, not to one page in all
        assert len(by_page[0]) < full
        assert all(len(page) == full for page in by_page[1:-1])
        rows_after_first = len(numbers) + 1 - len(by_page[0])
        assert count == 1 + math.ceil(rows_after_first / full)
    return by_page


def report_numbers(**filters) -> list[str]:
    return [row.number for row in reports.package_report(**filters).rows]


def test_a_one_package_report_prints_on_one_page(tmp_path, patient):
    with clock.frozen(datetime(2025, 7, 1, 9, 0)):
        packages.create_package(patient, 5, Decimal("1000.00"), paid_on=date(2025, 7, 1))
    with clock.frozen(AT):
        path = export.package_report_xlsx(tmp_path / "um.xlsx", include_history=False)
    pdf = workbook_pdf(path)
    assert_report_paginated(pdf, report_numbers(), "Relatório de Pacotes")
    (page,) = pages_text(pdf)
    assert "Data de pagamento:" in page and "página 1 de 1" in page
    assert "Ana Souza" in page


@pytest.mark.parametrize("write", WORKBOOKS, ids=lambda w: w.__name__)
def test_every_workbook_prints_each_small_sheet_on_one_page(tmp_path, patient, write):
    with clock.frozen(datetime(2025, 7, 1, 9, 0)):
        packages.create_package(patient, 5, Decimal("1000.00"), paid_on=date(2025, 7, 1))
    with clock.frozen(AT):
        path, sheets = write(tmp_path, patient)
    pdf = workbook_pdf(path)
    assert a4_orientations(pdf) == [sheet.landscape for sheet in sheets]
    texts = pages_text(pdf)
    for text, sheet in zip(texts, sheets, strict=True):
        assert sheet.title in text and STAMP in text
    # A sheet's title is not another's: "— Histórico" pages say so.
    assert [text.count("— Histórico") for text in texts] == [
        int(sheet.title.endswith("— Histórico")) for sheet in sheets
    ]
    for number, text in enumerate(texts, start=1):
        assert f"página {number} de {len(texts)}" in text


def test_a_report_of_some_pages_repeats_its_header_one_page_wide(tmp_path, db):
    populate_large(seed=3, patients=40, sessions=2500, packages=250)
    with clock.frozen(AT):
        path = export.package_report_xlsx(tmp_path / "varias.xlsx", include_history=False)
    by_page = assert_report_paginated(workbook_pdf(path), report_numbers(), "Relatório de Pacotes")
    assert len(by_page) >= 3


def test_a_patient_named_with_an_ampersand_is_printed_as_typed(tmp_path, db):
    person = clinic.add_patient("Ana & Bia Souza")
    packages.create_package(person, 2, Decimal("100.00"))
    with clock.frozen(AT):
        path = export.patient_packages_xlsx(person, tmp_path / "amp.xlsx")
    texts = pages_text(workbook_pdf(path))
    assert "Pacotes de Ana & Bia Souza" in texts[0]


@pytest.mark.slow
# LibreOffice may take its whole conversion limit (printouts.CONVERT_TIMEOUT_S) on a
# loaded machine: the guard against a hang sits above it, never the test's own limit.
@pytest.mark.timeout(600)
@pytest.mark.skipif(
    pg.backend() == "postgres",
    reason="how a workbook prints does not depend on the database: run by the SQLite run",
)
def test_the_large_demo_full_report_prints_every_row_one_page_wide(tmp_path):
    """The large demo (`demo --size large`: seed 7, 3,000 patients, about 25,000
    packages), built in memory; its full report as the benchmark defines it (the
    "Pacotes" sheet, no history sheet)."""
    open_database(":memory:")
    try:
        populate_large(seed=7)
        numbers = report_numbers()
        assert len(numbers) > 20_000
        with clock.frozen(AT):
            path = export.package_report_xlsx(tmp_path / "grande.xlsx", include_history=False)
    finally:
        close_database()
    by_page = assert_report_paginated(workbook_pdf(path), numbers, "Relatório de Pacotes")
    assert len(by_page) > 300
