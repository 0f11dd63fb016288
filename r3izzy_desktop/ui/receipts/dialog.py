"""The preview of a receipt or a Declaração anual, with "Salvar PDF…", "Imprimir…" and
"Fechar", and the ways the screens open it: a receipt by number, the receipts of a
session's payment (session detail, Receitas), of a package (its card) and of an
installment just received.

Seams for tests: `exports.ask_save_path` (where to save), `ask_printer` (the print dialog)
and `choose_receipt` (which of several receipts to show).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core import receipts
from ...core.ptbr import format_brl, format_date
from ..common import exports, messages
from ..common.fit import fit_to_screen
from ..common.operations import run_op
from ..common.widgets import label
from .documents import PDF_FILTER, Printable, receipt_printable, statement_printable


def tr(text: str) -> str:
    return QCoreApplication.translate("receipts", text)


def ask_printer(parent: QWidget | None, title: str):
    """The print dialog; the configured QPrinter, or None when cancelled. Tests replace it."""
    from PySide6.QtGui import QPageSize
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


class DocumentDialog(QDialog):
    """The preview of one document, to save as PDF or print."""

    def __init__(self, printable: Printable, parent: QWidget | None = None, *, note: str = ""):
        super().__init__(parent)
        self.printable = printable
        self.saved_path: Path | None = None
        self.setWindowTitle(printable.title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(label(printable.title, "sectionTitle"))
        if note:
            layout.addWidget(label(note, "fieldError", wrap=True))
        self.preview = QLabel()
        self.preview.setObjectName("receiptPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.preview.setPixmap(QPixmap.fromImage(printable.image()))
        self.preview.setAccessibleName(tr("Prévia do documento"))
        scroll = QScrollArea()
        scroll.setObjectName("receiptScroll")
        scroll.setWidget(self.preview)
        scroll.setWidgetResizable(True)
        # Fits 1024×600 and grows with the window: the page scrolls inside.
        scroll.setMinimumSize(QSize(560, 300))
        layout.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton(tr("Fechar"))
        self.print_button = QPushButton(tr("Imprimir…"))
        self.save_button = QPushButton(tr("Salvar PDF…"))
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        for button in (self.close_button, self.print_button, self.save_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_document)
        self.close_button.clicked.connect(self.close)
        fit_to_screen(self, (860, 680))  # within the screen (1024×600 too)

    def save_pdf(self) -> Path | None:
        path = exports.ask_save_path(self, self.printable.file_name, file_filter=PDF_FILTER)
        if path is None:
            return None
        saved = run_op(self, lambda: self.printable.save_pdf(path))
        if not saved:
            return None
        self.saved_path = saved.value
        messages.inform(self, tr("Documento salvo"), tr("Salvo em:\n{0}").format(path))
        return self.saved_path

    def print_document(self) -> bool:
        printer = ask_printer(self, tr("Imprimir — {0}").format(self.printable.title))
        if printer is None:
            return False
        self.printable.paint(printer)
        return True


def _clinic_note() -> str:
    from ...core import clinic

    info = clinic.clinic_info()
    if info.name and info.document and info.city:
        return ""
    return tr(
        "Os dados da clínica (nome, CNPJ/CPF, endereço e cidade) vêm de Configurações › "
        "Dados da clínica; preencha-os para o documento sair completo."
    )


def show(parent: QWidget | None, printable: Printable) -> DocumentDialog:
    dialog = DocumentDialog(printable, parent, note=_clinic_note())
    dialog.show()
    dialog.raise_()
    return dialog


def open_receipt(parent: QWidget | None, number: int) -> DocumentDialog | None:
    """Show the receipt numbered `number` (non-blocking)."""
    read = run_op(parent, lambda: receipt_printable(number))
    if not read:
        return None
    return show(parent, read.value)


def open_statement(
    parent: QWidget | None, year: int, payer_cpf: str | None, payer_name: str | None
) -> DocumentDialog | None:
    """Show a payer's Declaração anual of `year` (non-blocking)."""
    read = run_op(parent, lambda: statement_printable(year, payer_cpf, payer_name))
    if not read:
        return None
    return show(parent, read.value)


def receipt_choice_text(row: receipts.ReceiptRow) -> str:
    """ "No. 12 — 03/07/2026 — R$ 250,00 (Pix)"."""
    how = f" ({row.method_label})" if row.method_label else ""
    mark = tr(" — cancelado") if row.cancelled else ""
    return f"No. {row.number} — {format_date(row.issued_on)} — {format_brl(row.amount)}{how}{mark}"


def choose_receipt(
    parent: QWidget | None, rows: Sequence[receipts.ReceiptRow]
) -> receipts.ReceiptRow | None:
    """Which receipt to show when there are several (a package's creation and
    installments). The last by default; None when cancelled. Tests replace it."""
    texts = [receipt_choice_text(row) for row in rows]
    chosen, ok = QInputDialog.getItem(
        parent, tr("Recibos"), tr("Qual recibo?"), texts, len(texts) - 1, False
    )
    if not ok:
        return None
    return rows[texts.index(chosen)]


def _open_one_of(parent: QWidget | None, rows: Sequence[receipts.ReceiptRow], none: str):
    if not rows:
        messages.inform(parent, tr("Recibo"), none)
        return None
    row = rows[0] if len(rows) == 1 else choose_receipt(parent, rows)
    if row is None:
        return None
    return open_receipt(parent, row.number)


def open_session_receipt(parent: QWidget | None, session_id: int) -> DocumentDialog | None:
    """The receipt of a session's payment: its manual payment's, or its package's (a
    choice when the package has several)."""
    read = run_op(parent, lambda: receipts.for_session(session_id))
    if not read:
        return None
    return _open_one_of(
        parent,
        read.value,
        tr(
            "Esta sessão não tem recibo: ela não está paga, ou o pacote que a pagou ainda "
            "não recebeu nenhuma parcela."
        ),
    )


def open_package_receipt(parent: QWidget | None, package_id: int) -> DocumentDialog | None:
    """The receipts of a package (its creation, its installments): one, or a choice."""
    read = run_op(parent, lambda: [r for r in receipts.for_package(package_id)])
    if not read:
        return None
    rows = [r for r in read.value if not r.cancelled] or read.value
    return _open_one_of(
        parent, rows, tr("Este pacote ainda não tem recibo: nenhuma parcela foi recebida.")
    )


def open_installment_receipt(
    parent: QWidget | None, package_id: int, number: int
) -> DocumentDialog | None:
    """The receipt of an installment just received."""
    read = run_op(parent, lambda: receipts.for_installment(package_id, number))
    if not read:
        return None
    rows = [read.value] if read.value is not None else []
    return _open_one_of(parent, rows, tr("Esta parcela não tem recibo (não foi recebida)."))
