"""The receipt (Recibo) of a package payment: preview, save as PDF, print.

The receipt is one HTML page laid out by a QTextDocument and painted by `paint_receipt`
on any paint device: Qt's PDF writer (QPdfWriter), a printer (QPrinter), or an image
(the preview, and the screenshot of the PDF's first page). So the PDF, the printout and
what the screen shows are the same drawing. What it says comes from the core
(`reports.package_receipt`): the clinic's name, CNPJ/CPF and address from
Configurações; patient and guardian; package number, payment date, the amount in
figures and in words; the sessions and the current balance ("3 de 5 sessões restantes").

Seams for tests: `exports.ask_save_path` (where to save the PDF) and `ask_printer` (the
print dialog).
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QPixmap,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core import reports
from ...core.ptbr import format_brl, format_date
from ...core.reports import PackageReceipt, export
from ..common import exports, messages
from ..common.fit import fit_to_screen
from ..common.operations import run_op
from ..common.widgets import label

MARGIN_MM = 20.0
PDF_DPI = 300
PREVIEW_DPI = 96
A4_MM = (210.0, 297.0)
PDF_FILTER = "Documento PDF (*.pdf)"


def tr(text: str) -> str:
    return QCoreApplication.translate("receipt", text)


# --- the page -------------------------------------------------------------------------------


def _e(text: str) -> str:
    return html.escape(text or "")


def receipt_html(receipt: PackageReceipt) -> str:
    """The receipt as the HTML subset QTextDocument lays out."""
    clinic = receipt.clinic
    clinic_name = _e(clinic.name) or tr("(nome da clínica — preencha em Configurações)")
    clinic_lines = []
    if clinic.document:
        clinic_lines.append(f"{receipt.clinic_document_label} {_e(clinic.document)}")
    if clinic.address:
        clinic_lines.append(_e(clinic.address))
    if clinic.phone:
        clinic_lines.append(_e(clinic.phone))
    amount = format_brl(receipt.total)
    words = _e(receipt.total_in_words)
    sessions_word = tr("sessão") if receipt.sessions_total == 1 else tr("sessões")
    if receipt.guardian:
        payer = tr("{0}, responsável por {1},").format(
            f"<b>{_e(receipt.guardian)}</b>", f"<b>{_e(receipt.patient_name)}</b>"
        )
    else:
        payer = f"<b>{_e(receipt.patient_name)}</b>"
    how = f" ({_e(receipt.method_label)})" if receipt.method_label else ""
    # What the receipt is for: the money received (in installments, what came in so far).
    headline = format_brl(receipt.received) if receipt.has_plan else amount
    if receipt.has_plan:
        # R18: in installments, what came in so far, never the whole total.
        statement = tr(
            "Recebemos de {payer} a importância de <b>{amount}</b> ({words}), referente a "
            "{parts} do pacote No. {number} de {count} {sessions}, no valor total de "
            "{total}."
        ).format(
            payer=payer,
            amount=format_brl(receipt.received),
            words=_e(receipt.received_in_words) or tr("zero real"),
            parts=_e(receipt.installments_text.split(" · ")[0]),
            number=_e(receipt.number),
            count=receipt.sessions_total,
            sessions=sessions_word,
            total=amount,
        )
    else:
        statement = tr(
            "Recebemos de {payer} a importância de <b>{amount}</b> ({words}), referente ao "
            "pacote No. {number} de {count} {sessions}, pago em {day}{how}."
        ).format(
            payer=payer,
            amount=amount,
            words=words,
            number=_e(receipt.number),
            count=receipt.sessions_total,
            sessions=sessions_word,
            day=format_date(receipt.paid_on),
            how=how,
        )
    patient = _e(receipt.patient_name)
    if receipt.patient_cpf:
        patient += f" &nbsp;·&nbsp; CPF {_e(receipt.patient_cpf)}"
    rows = [
        (tr("Paciente"), patient),
        (tr("Responsável"), _e(receipt.guardian) or "—"),
        (tr("Pacote"), f"No. {_e(receipt.number)}"),
        (tr("Data do pagamento"), format_date(receipt.paid_on)),
        (tr("Forma de pagamento"), _e(receipt.method_label) or "—"),
        (tr("Valor total") if receipt.has_plan else tr("Valor pago"), f"<b>{amount}</b> ({words})"),
        *([(tr("Parcelas"), _e(receipt.installments_text))] if receipt.has_plan else []),
        (
            tr("Sessões"),
            tr("{0} {1} — {2} por sessão").format(
                receipt.sessions_total, sessions_word, format_brl(receipt.price_per_session)
            ),
        ),
        (
            tr("Saldo atual"),
            tr("{0} — {1} em aberto").format(
                _e(receipt.balance_text), format_brl(receipt.open_amount)
            ),
        ),
    ]
    table = "".join(
        f'<tr><td width="30%" style="color:#475569; padding:6px 10px 6px 0;">{name}</td>'
        f'<td style="padding:6px 0;">{value}</td></tr>'
        for name, value in rows
    )
    return f"""
<table width="100%" cellspacing="0" cellpadding="0"><tr>
  <td valign="top">
    <div style="font-size:15pt; font-weight:700; color:#0b6466;">{clinic_name}</div>
    <div style="color:#475569;">{"<br>".join(clinic_lines)}</div>
  </td>
  <td valign="top" align="right">
    <div style="font-size:20pt; font-weight:700; letter-spacing:2px;">{tr("RECIBO")}</div>
    <div style="font-size:13pt; font-weight:700;">{headline}</div>
  </td>
</tr></table>
<hr style="color:#0f8b8d;">
<p style="font-size:11.5pt; line-height:150%; margin-top:14px;">{statement}</p>
<table width="100%" cellspacing="0" style="margin-top:10px; border-top:1px solid #e2e6ea;">
{table}
</table>
<p style="margin-top:28px; color:#475569;">{
        tr("Emitido em {0}.").format(format_date(receipt.issued_on))
    }</p>
<p align="center" style="margin-top:64px;">______________________________________________<br>
<b>{clinic_name}</b><br><span style="color:#475569;">{
        f"{receipt.clinic_document_label} {_e(clinic.document)}" if clinic.document else ""
    }</span></p>
"""


def receipt_document(receipt: PackageReceipt, device: QPaintDevice, width: float) -> QTextDocument:
    """The laid-out receipt for `device` (its resolution decides the pixel sizes)."""
    document = QTextDocument()
    document.documentLayout().setPaintDevice(device)
    font = QFont()
    font.setPointSizeF(10.5)
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    document.setHtml(receipt_html(receipt))
    document.setTextWidth(width)
    return document


def paint_receipt(device: QPaintDevice, receipt: PackageReceipt) -> QTextDocument:
    """Paint the receipt on the device's first page, inside a margin; returns the document
    painted (its text is what the page says)."""
    margin = MARGIN_MM / 25.4 * device.logicalDpiX()
    width = device.width() - 2 * margin
    document = receipt_document(receipt, device, width)
    painter = QPainter(device)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.translate(margin, margin)
        document.drawContents(painter)
    finally:
        painter.end()
    return document


def receipt_image(receipt: PackageReceipt, dpi: int = PREVIEW_DPI) -> QImage:
    """The receipt's A4 page as an image (the preview; the PDF page rendered)."""
    width, height = (round(mm / 25.4 * dpi) for mm in A4_MM)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    dots_per_meter = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    image.fill(Qt.GlobalColor.white)
    paint_receipt(image, receipt)
    return image


def save_receipt_pdf(receipt: PackageReceipt, path: Path) -> Path:
    """Write the receipt as an A4 PDF with Qt's PDF writer. The file appears only when
    complete (written beside it, then moved into place)."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.partial")
    writer = QPdfWriter(str(temporary))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    writer.setTitle(tr("Recibo do pacote No. {0}").format(receipt.number))
    writer.setCreator("R3izzy Desktop")
    try:
        paint_receipt(writer, receipt)
        del writer  # the PDF is complete once the writer is gone
        os.replace(temporary, path)
    except OSError as error:
        raise export.ExportFailed(
            tr("Não foi possível gravar o recibo:\n{0}\n\n{1}").format(path, error)
        ) from error
    finally:
        temporary.unlink(missing_ok=True)
    return path


def receipt_file_name(receipt: PackageReceipt) -> str:
    """`recibo-pacote-250618170510-ana-souza.pdf`."""
    return f"recibo-pacote-{receipt.number}-{export.slug(receipt.patient_name)}.pdf"


# --- printing seam --------------------------------------------------------------------------


def ask_printer(parent: QWidget | None):
    """The print dialog; the configured QPrinter, or None when cancelled. Tests replace it."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(tr("Imprimir recibo"))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


# --- the dialog -----------------------------------------------------------------------------


class ReceiptDialog(QDialog):
    """Preview of the receipt with "Salvar PDF…", "Imprimir…" and "Fechar"."""

    def __init__(self, receipt: PackageReceipt, parent: QWidget | None = None):
        super().__init__(parent)
        self.receipt = receipt
        self.saved_path: Path | None = None
        self.setWindowTitle(tr("Recibo do pacote No. {0}").format(receipt.number))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(label(tr("Recibo do pacote"), "sectionTitle"))
        if not receipt.clinic.name or not receipt.clinic.document:
            layout.addWidget(
                label(
                    tr(
                        "Os dados da clínica (nome, CNPJ/CPF e endereço) vêm de "
                        "Configurações → Dados da clínica; preencha-os para o recibo "
                        "sair completo."
                    ),
                    "fieldError",
                    wrap=True,
                )
            )
        self.preview = QLabel()
        self.preview.setObjectName("receiptPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.preview.setPixmap(QPixmap.fromImage(receipt_image(receipt)))
        self.preview.setAccessibleName(tr("Prévia do recibo"))
        scroll = QScrollArea()
        scroll.setObjectName("receiptScroll")
        scroll.setWidget(self.preview)
        scroll.setWidgetResizable(True)
        scroll.setMinimumSize(QSizeF(420, 240).toSize())
        layout.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.print_button = QPushButton(tr("Imprimir…"))
        self.save_button = QPushButton(tr("Salvar PDF…"))
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.close_button = QPushButton(tr("Fechar"))
        for button in (self.close_button, self.print_button, self.save_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_receipt)
        self.close_button.clicked.connect(self.close)
        # The page at a readable size; within the screen (1024×600: the preview scrolls).
        fit_to_screen(self, (900, 780))

    def save_pdf(self) -> Path | None:
        path = exports.ask_save_path(self, receipt_file_name(self.receipt), file_filter=PDF_FILTER)
        if path is None:
            return None
        saved = run_op(self, lambda: save_receipt_pdf(self.receipt, path))
        if not saved:
            return None
        self.saved_path = saved.value
        messages.file_saved(
            self, tr("Recibo salvo"), tr("O recibo foi salvo em:\n{0}").format(path), path
        )
        return self.saved_path

    def print_receipt(self) -> bool:
        printer = ask_printer(self)
        if printer is None:
            return False
        paint_receipt(printer, self.receipt)
        return True


def open_receipt(parent: QWidget | None, package_id: int) -> None:
    """Show the receipt of the package's payment (non-blocking); from there the user saves
    it as PDF or prints it. A package that no longer exists is told, not raised."""
    read = run_op(parent, lambda: reports.package_receipt(package_id))
    if not read:
        return
    dialog = ReceiptDialog(read.value, parent)
    dialog.show()
    dialog.raise_()
