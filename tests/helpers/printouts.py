"""Printouts as a user gets them: a workbook printed to PDF by LibreOffice Calc (headless),
a PDF's pages as text (poppler's pdftotext) or as PNG images (pdftoppm).

The tools are Debian packages (`libreoffice-calc`, `poppler-utils`, and
`fonts-crosextra-carlito`, metric-compatible with Calibri, the workbooks' font), which
.ci/run installs. Without them a test needing them is skipped, saying what to install;
with `R3IZZY_REQUIRE_LIBREOFFICE=1` (CI) it fails instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

REQUIRE_ENV = "R3IZZY_REQUIRE_LIBREOFFICE"
CONVERT_TIMEOUT_S = 300
_PROFILE: Path | None = None


def _tool(names: tuple[str, ...], package: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"{names[0]} not found: install the Debian package {package}"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{message} ({REQUIRE_ENV}=1)")
    pytest.skip(message)


def soffice() -> str:
    return _tool(("soffice", "libreoffice"), "libreoffice-calc")


def _profile() -> Path:
    """A LibreOffice profile of this test run: never the user's, started once."""
    global _PROFILE
    if _PROFILE is None:
        _PROFILE = Path(tempfile.mkdtemp(prefix="r3izzy-lo-profile-"))
    return _PROFILE


def workbook_pdf(workbook: Path) -> Path:
    """Print `workbook` to PDF with LibreOffice Calc, every sheet, as its page setup says;
    returns the PDF (beside the workbook)."""
    program = soffice()
    out = workbook.parent
    completed = subprocess.run(
        [
            program,
            f"-env:UserInstallation={_profile().as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=CONVERT_TIMEOUT_S,
        check=False,
    )
    pdf = out / f"{workbook.stem}.pdf"
    if completed.returncode != 0 or not pdf.exists():
        raise AssertionError(
            f"LibreOffice did not print {workbook.name}: {completed.stdout} {completed.stderr}"
        )
    return pdf


def pages_text(pdf: Path) -> list[str]:
    """The text of each page of `pdf`, in reading order (pdftotext; pypdf would take
    minutes over the hundreds of pages of a whole clinic)."""
    program = _tool(("pdftotext",), "poppler-utils")
    completed = subprocess.run(
        [program, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    pages = completed.stdout.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # the form feed after the last page
    return pages


def page_images(pdf: Path, prefix: Path, *, dpi: int = 80, first: int = 1, last: int = 1):
    """Pages `first`..`last` of `pdf` as PNG files `prefix-N.png`; returns their paths."""
    program = _tool(("pdftoppm",), "poppler-utils")
    subprocess.run(
        [program, "-r", str(dpi), "-f", str(first), "-l", str(last), "-png", str(pdf), str(prefix)],
        check=True,
    )
    return sorted(prefix.parent.glob(f"{prefix.name}-*.png"))
