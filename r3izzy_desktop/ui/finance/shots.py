"""Screenshots of Gestão Financeira: the page, the Relatório de Pacotes window, its print
preview, the Saldo de créditos window, the Recibos window, and the package receipt's PDF
page (rendered with the same painter code the PDF writer uses)."""

from __future__ import annotations

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from ...core import reports
from ..common import jobs
from ..common.fit import fit_to_screen
from ..common.shots import ShotContext, shot
from ..packages.receipt import receipt_image
from .credit import open_credit_window
from .period import THIS_YEAR

RECEIPT_DPI = 110


def _settle(ctx: ShotContext, window=None) -> None:
    ctx.settle()
    jobs.wait_for_all()
    ctx.settle(6)
    for _ in range(200):  # rows or a chart that arrive in parts (a few rounds of events)
        if window is None or not window.is_loading():
            break
        jobs.wait_for_all()
        ctx.settle()


@shot("finance.png")
def finance(ctx: ShotContext) -> QWidget:
    page = ctx.show_page("finance")
    _settle(ctx, page)  # its chart is read once its cards are painted
    return ctx.window


def _open_from_page(ctx: ShotContext, opener, fit: bool = True, preset: str | None = None):
    """A window Gestão Financeira opens (`opener(page)`), once the page and then the
    window have their data; fitted to a reception PC's screen unless `fit` is False."""
    page = ctx.show_page("finance")
    _settle(ctx)
    if preset is not None:
        page.period.set_preset(preset)
        _settle(ctx)
    window = opener(page)
    if fit:
        fit_to_screen(window, (1366, 768))  # a reception PC's screen (or what there is of it)
    ctx.opened.append(window)
    _settle(ctx, window)
    return window


@shot("package_report.png")
def package_report(ctx: ShotContext) -> QWidget:
    window = _open_from_page(ctx, lambda page: page.open_report())
    # Select the package with the richest history, so the lower table shows its story.
    rows = window.model.rows()
    if rows:
        busiest = max(rows, key=lambda row: (len(reports.history_rows(row.package_id)), row.number))
        window._reselect(busiest.package_id)
    ctx.settle()
    return window


@shot("package_report_print.png")
def package_report_print(ctx: ShotContext) -> QWidget:
    window = _open_from_page(ctx, lambda page: page.open_report(), fit=False)
    dialog = window.print_report()
    ctx.opened.append(dialog)
    _settle(ctx)
    return dialog


@shot("credit_rollforward.png")
def credit_rollforward(ctx: ShotContext) -> QWidget:
    return _open_from_page(ctx, open_credit_window, preset=THIS_YEAR)


@shot("receipts.png")
def receipts_window(ctx: ShotContext) -> QWidget:
    return _open_from_page(ctx, lambda page: page.open_receipts())


def receipt_example() -> reports.PackageReceipt:
    """A child's package (guardian on the receipt), partly used, if the clinic has one."""
    rows = reports.package_report().rows
    candidates = [r for r in rows if r.status == "ativo" and r.sessions_used > 0]
    candidates = candidates or list(rows)
    receipts = [reports.package_receipt(r.package_id) for r in candidates]
    with_guardian = [r for r in receipts if r.guardian]
    return (with_guardian or receipts)[0]


@shot("receipt.png")
def receipt(ctx: ShotContext) -> QWidget:
    page = QLabel()
    page.setPixmap(QPixmap.fromImage(receipt_image(receipt_example(), RECEIPT_DPI)))
    page.resize(page.pixmap().size())
    ctx.opened.append(page)
    return page
