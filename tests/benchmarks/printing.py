"""Printing the Relatório de Pacotes of a whole clinic, timed in the app's own window.

    python tests/benchmarks/printing.py --db large.db [--runs 3] [--json result.json]

On the large demo (about 25,000 packages, every one in the report): the report window
is opened and loaded; then, each run, "Imprimir" until the preview has laid every page
out and shows the first, and "Salvar PDF…" until the PDF of every page is written (the
save dialog answered with a scratch file); `open_ms` is from the click until the preview
window is shown and painted, before its pages are laid out. While each runs, a 10 ms timer in the UI
thread records the longest the window went without handling events: that is how long
the window froze. Medians of the runs; the database is only read.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

TIMEOUT_S = 600.0


class Stalls:
    """The longest gap between two ticks of a 10 ms timer in the UI thread."""

    def __init__(self):
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.longest = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def start(self) -> None:
        self.last, self.longest = time.perf_counter(), 0.0
        self.timer.start()

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return self.longest


def wait(app: QApplication, done) -> None:
    deadline = time.perf_counter() + TIMEOUT_S
    while not done():
        if time.perf_counter() > deadline:
            raise SystemExit("timed out")
        app.processEvents()
        time.sleep(0.001)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    os.environ["R3IZZY_DATA_DIR"] = tempfile.mkdtemp(prefix="r3izzy-print-bench-")

    from r3izzy_desktop.core.database import open_database
    from r3izzy_desktop.ui.common import exports, messages
    from r3izzy_desktop.ui.finance.report_window import PackageReportWindow
    from r3izzy_desktop.ui.shell.app import create_application

    app = QApplication.instance() or QApplication([])
    create_application()
    open_database(str(args.db))
    messages.inform = lambda *a, **k: None
    scratch = Path(tempfile.mkdtemp(prefix="r3izzy-print-pdf-"))
    exports.ask_save_path = lambda *a, **k: scratch / "relatorio.pdf"
    window = PackageReportWindow()
    window.show()
    window.load()
    wait(app, lambda: window.report is not None and not window.is_loading())
    rows = len(window.model.rows())
    stalls = Stalls()
    names = ("open_ms", "preview_s", "preview_stall_ms", "pdf_s", "pdf_stall_ms")
    figures: dict[str, list[float]] = {name: [] for name in names}
    pages = 0
    for run in range(args.runs):
        stalls.start()
        started = time.perf_counter()
        dialog = window.print_report()
        app.processEvents()  # the preview window shown and painted, its job not yet started
        open_ms = (time.perf_counter() - started) * 1000
        wait(app, lambda d=dialog: d.is_ready() and d.view.current_page() == 0)
        app.processEvents()  # the first page painted
        preview_s = time.perf_counter() - started
        preview_stall = stalls.stop()
        pages = dialog.print_layout.page_count
        stalls.start()
        started = time.perf_counter()
        dialog.save_pdf()
        wait(app, lambda d=dialog: not d.is_busy())
        pdf_s = time.perf_counter() - started
        pdf_stall = stalls.stop()
        if dialog.saved_path is None:
            raise SystemExit("the PDF was not written")
        print(
            f"run {run + 1}: {rows} rows, {pages} pages; preview {preview_s:.2f} s "
            f"(its window shown in {open_ms:.0f} ms; longest stall {preview_stall * 1000:.0f} "
            f"ms); PDF {pdf_s:.2f} s "
            f"(longest stall {pdf_stall * 1000:.0f} ms), "
            f"{dialog.saved_path.stat().st_size / 1e6:.1f} MB"
        )
        figures["open_ms"].append(open_ms)
        figures["preview_s"].append(preview_s)
        figures["preview_stall_ms"].append(preview_stall * 1000)
        figures["pdf_s"].append(pdf_s)
        figures["pdf_stall_ms"].append(pdf_stall * 1000)
        dialog.close()
        app.processEvents()
    result = {"rows": rows, "pages": pages}
    result.update({name: round(statistics.median(values), 2) for name, values in figures.items()})
    print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
