"""The closing statement (Termo de encerramento, R19) of a package closed early: preview,
save as PDF, print — made the way the receipt is (receipt.py): one HTML page laid out by a
QTextDocument and painted on Qt's PDF writer, a printer or an image, so the PDF, the
printout and the preview are the same drawing. What it says comes from the core
(`reports.closing_statement`): what was bought, used, received, given back and retained,
with a line for each signature (the clinic's and the payer's).

Seams for tests: `exports.ask_save_path` (where to save) and `receipt.ask_printer`.
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
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout

from ...core import reports
from ...core.ptbr import format_brl, format_date, format_weekday_date
from ...core.reports import ClosingStatement, export
from ...core.text import plural
from ..common import exports, messages
from ..common.operations import run_op
from ..common.widgets import label
from . import receipt

PDF_FILTER = receipt.PDF_FILTER


def tr(text: str) -> str:
    return QCoreApplication.translate("closing_statement", text)


def _e(text: str) -> str:
    return html.escape(text or "")


def statement_html(st: ClosingStatement) -> str:
    """The statement as the HTML subset QTextDocument lays out."""
    clinic = st.clinic
    clinic_name = _e(clinic.name) or tr("(nome da clínica — preencha em Configurações)")
    clinic_lines = []
    if clinic.document:
        clinic_lines.append(f"{st.clinic_document_label} {_e(clinic.document)}")
    if clinic.address:
        clinic_lines.append(_e(clinic.address))
    if clinic.phone:
        clinic_lines.append(_e(clinic.phone))
    patient = _e(st.patient_name)
    if st.patient_cpf:
        patient += f" &nbsp;·&nbsp; CPF {_e(st.patient_cpf)}"
    refund = format_brl(st.refunded)
    if st.refunded > 0:
        refund += f" ({_e(st.refunded_in_words)})"
        if st.method:
            refund += f" — {_e(st.method)}"
    bought = tr("{0} por {1} ({2} por sessão), pago em {3}").format(
        plural(st.sessions_total, "sessão", "sessões"),
        format_brl(st.total),
        format_brl(st.price_per_session),
        format_date(st.paid_on),
    )
    rows = [
        (tr("Paciente"), patient),
        (tr("Responsável"), _e(st.guardian) or "—"),
        (tr("Pacote"), f"No. {_e(st.number)}"),
        (tr("Comprado"), bought),
        (
            tr("Usado"),
            tr("{0} — {1}").format(
                plural(st.sessions_used, "sessão", "sessões"), format_brl(st.debited)
            ),
        ),
        (tr("Recebido"), format_brl(st.received)),
        (tr("Devolvido"), f"<b>{refund}</b>"),
        (tr("Retido pela clínica"), format_brl(st.retained)),
    ]
    if st.cancelled > 0:
        rows.append((tr("Cancelado (não recebido)"), format_brl(st.cancelled)))
    rows.append((tr("Motivo"), _e(st.reason) or "—"))
    rows.append((tr("Encerrado em"), format_date(st.closed_at.date())))
    table = "".join(
        f'<tr><td width="30%" style="color:#475569; padding:5px 10px 5px 0;">{name}</td>'
        f'<td style="padding:5px 0;">{value}</td></tr>'
        for name, value in rows
    )
    used = "".join(
        f"<tr><td style='padding:2px 10px 2px 0;'>{format_weekday_date(s.starts_at)} "
        f"{s.starts_at:%H:%M}</td><td style='padding:2px 10px 2px 0;'>{_e(s.service_name)}"
        f"</td><td align='right' style='padding:2px 0;'>{format_brl(s.amount)}</td></tr>"
        for s in st.sessions
    )
    used_block = (
        f"<p style='margin-top:14px; font-weight:700;'>{tr('Sessões usadas')}</p>"
        f"<table width='100%' cellspacing='0'>{used}</table>"
        if st.sessions
        else ""
    )
    owner = f"<b>{_e(st.patient_name)}</b>"
    if st.guardian:
        owner += tr(", responsável {0},").format(f"<b>{_e(st.guardian)}</b>")
    statement = tr(
        "O pacote No. {number} de {payer} foi encerrado antes de usar todas as sessões. "
        "As sessões não usadas deixam de valer; a clínica devolveu <b>{refund}</b> e reteve "
        "{retained}, e nada mais é devido por nenhuma das partes referente a este pacote."
    ).format(
        number=_e(st.number),
        payer=owner,
        refund=format_brl(st.refunded),
        retained=format_brl(st.retained),
    )
    signature = (
        '<td width="50%" align="center" valign="top">'
        "______________________________<br><b>{0}</b><br>"
        '<span style="color:#475569;">{1}</span></td>'
    )
    payer_doc = f"CPF {_e(st.patient_cpf)}" if st.patient_cpf and not st.guardian else ""
    clinic_doc = f"{st.clinic_document_label} {_e(clinic.document)}" if clinic.document else ""
    return f"""
<table width="100%" cellspacing="0" cellpadding="0"><tr>
  <td valign="top">
    <div style="font-size:15pt; font-weight:700; color:#0b6466;">{clinic_name}</div>
    <div style="color:#475569;">{"<br>".join(clinic_lines)}</div>
  </td>
  <td valign="top" align="right">
    <div style="font-size:16pt; font-weight:700; letter-spacing:1px;">{
        tr("TERMO DE ENCERRAMENTO")
    }</div>
    <div style="font-size:12pt;">{tr("Pacote No. {0}").format(_e(st.number))}</div>
  </td>
</tr></table>
<hr style="color:#0f8b8d;">
<p style="font-size:11pt; line-height:150%; margin-top:12px;">{statement}</p>
<table width="100%" cellspacing="0" style="margin-top:8px; border-top:1px solid #e2e6ea;">
{table}
</table>
{used_block}
<p style="margin-top:20px; color:#475569;">{
        tr("Emitido em {0}.").format(format_date(st.closed_at.date()))
    }</p>
<table width="100%" cellspacing="0" style="margin-top:56px;"><tr>
{signature.format(clinic_name, clinic_doc)}
{signature.format(_e(st.payer), payer_doc)}
</tr></table>
"""


def statement_document(st: ClosingStatement, device: QPaintDevice, width: float) -> QTextDocument:
    document = QTextDocument()
    document.documentLayout().setPaintDevice(device)
    font = QFont()
    font.setPointSizeF(10.5)
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    document.setHtml(statement_html(st))
    document.setTextWidth(width)
    return document


def paint_statement(device: QPaintDevice, st: ClosingStatement) -> QTextDocument:
    """Paint the statement on the device's first page, inside the receipt's margin."""
    margin = receipt.MARGIN_MM / 25.4 * device.logicalDpiX()
    document = statement_document(st, device, device.width() - 2 * margin)
    painter = QPainter(device)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.translate(margin, margin)
        document.drawContents(painter)
    finally:
        painter.end()
    return document


def statement_image(st: ClosingStatement, dpi: int = receipt.PREVIEW_DPI) -> QImage:
    width, height = (round(mm / 25.4 * dpi) for mm in receipt.A4_MM)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    dots_per_meter = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    image.fill(Qt.GlobalColor.white)
    paint_statement(image, st)
    return image


def save_statement_pdf(st: ClosingStatement, path: Path) -> Path:
    """Write the statement as an A4 PDF (text, Qt's PDF writer); the file appears only when
    complete."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.partial")
    writer = QPdfWriter(str(temporary))
    writer.setResolution(receipt.PDF_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    writer.setTitle(tr("Termo de encerramento do pacote No. {0}").format(st.number))
    writer.setCreator("R3izzy Desktop")
    try:
        paint_statement(writer, st)
        del writer
        os.replace(temporary, path)
    except OSError as error:
        raise export.ExportFailed(
            tr("Não foi possível gravar o termo de encerramento:\n{0}\n\n{1}").format(path, error)
        ) from error
    finally:
        temporary.unlink(missing_ok=True)
    return path


def statement_file_name(st: ClosingStatement) -> str:
    """`encerramento-pacote-250618170510-ana-souza.pdf`."""
    return f"encerramento-pacote-{st.number}-{export.slug(st.patient_name)}.pdf"


class ClosingStatementDialog(QDialog):
    """Preview of the statement with "Salvar PDF…", "Imprimir…" and "Fechar"."""

    def __init__(self, statement: ClosingStatement, parent=None):
        super().__init__(parent)
        self.statement = statement
        self.saved_path: Path | None = None
        self.setWindowTitle(tr("Termo de encerramento — pacote No. {0}").format(statement.number))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(label(tr("Termo de encerramento"), "sectionTitle"))
        layout.addWidget(
            label(
                tr("Imprima duas vias: uma assinada fica com a clínica, a outra com o paciente."),
                "muted",
                wrap=True,
            )
        )
        self.preview = QLabel()
        self.preview.setObjectName("receiptPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.preview.setPixmap(QPixmap.fromImage(statement_image(statement)))
        self.preview.setAccessibleName(tr("Prévia do termo de encerramento"))
        scroll = QScrollArea()
        scroll.setObjectName("receiptScroll")
        scroll.setWidget(self.preview)
        scroll.setWidgetResizable(True)
        # Room for the A4 page's width, and no more height than a 1024×600 screen has.
        scroll.setMinimumSize(QSizeF(840, 380).toSize())
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
        self.print_button.clicked.connect(self.print_statement)
        self.close_button.clicked.connect(self.close)

    def save_pdf(self) -> Path | None:
        path = exports.ask_save_path(
            self, statement_file_name(self.statement), file_filter=PDF_FILTER
        )
        if path is None:
            return None
        saved = run_op(self, lambda: save_statement_pdf(self.statement, path))
        if not saved:
            return None
        self.saved_path = saved.value
        messages.file_saved(
            self,
            tr("Termo salvo"),
            tr("O termo de encerramento foi salvo em:\n{0}").format(path),
            path,
        )
        return self.saved_path

    def print_statement(self) -> bool:
        printer = receipt.ask_printer(self)
        if printer is None:
            return False
        paint_statement(printer, self.statement)
        return True


def open_statement(parent, package_id: int) -> ClosingStatementDialog | None:
    """Show the closing statement of an encerrado package (non-blocking); from there the
    user saves it as PDF or prints it."""
    read = run_op(parent, lambda: reports.closing_statement(package_id))
    if not read:
        return None
    dialog = ClosingStatementDialog(read.value, parent)
    dialog.show()
    dialog.raise_()
    return dialog
