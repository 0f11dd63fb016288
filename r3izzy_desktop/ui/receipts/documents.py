"""R21's documents as PDF: a receipt (Recibo No. N) and the payer's "Declaração de
pagamentos para o Imposto de Renda" of a year, one payer or all of them (one PDF each, in a
folder).

What they say comes from the core (`receipts.document`, `receipts.statement_document`);
this module lays it out as HTML in a QTextDocument and paints it, page after page, on any
paint device: Qt's PDF writer (text PDFs, A4, the fonts embedded), a printer, or an image
(the preview). A cancelled receipt carries a "CANCELADO" mark across the page and says
when and why at the top.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from ...core import receipts
from ...core.ptbr import format_brl, format_date, format_datetime
from ...core.receipts import ReceiptDocument, StatementDocument
from ...core.reports import export

MARGIN_MM = 18.0
PDF_DPI = 300
PREVIEW_DPI = 96
A4_MM = (210.0, 297.0)
PDF_FILTER = "Documento PDF (*.pdf)"
CANCELLED_MARK = "CANCELADO"


def tr(text: str) -> str:
    return QCoreApplication.translate("receipts", text)


def _e(text: str | None) -> str:
    return html.escape(text or "")


# --- the pages -----------------------------------------------------------------------------


def _clinic_header(doc: ReceiptDocument | StatementDocument, title: str, subtitle: str) -> str:
    clinic = doc.clinic
    name = _e(clinic.name) or tr("(nome da clínica — preencha em Configurações)")
    lines = []
    if clinic.document:
        lines.append(f"{doc.clinic_document_label} {_e(clinic.document)}")
    if clinic.address:
        lines.append(_e(clinic.address))
    if clinic.city:
        lines.append(_e(clinic.city))
    if clinic.phone:
        lines.append(_e(clinic.phone))
    return f"""
<table width="100%" cellspacing="0" cellpadding="0"><tr>
  <td valign="top">
    <div style="font-size:15pt; font-weight:700; color:#0b6466;">{name}</div>
    <div style="color:#475569;">{"<br>".join(lines)}</div>
  </td>
  <td valign="top" align="right">
    <div style="font-size:19pt; font-weight:700; letter-spacing:1px;">{title}</div>
    <div style="font-size:13pt; font-weight:700;">{subtitle}</div>
  </td>
</tr></table>
<hr style="color:#0f8b8d;">"""


def _signature(doc: ReceiptDocument | StatementDocument) -> str:
    clinic = doc.clinic
    name = _e(clinic.name) or "&nbsp;"
    document = f"{doc.clinic_document_label} {_e(clinic.document)}" if clinic.document else ""
    return f"""
<p style="margin-top:26px;">{_e(doc.city_date)}.</p>
<p align="center" style="margin-top:56px;">______________________________________________<br>
<b>{name}</b><br><span style="color:#475569;">{document}</span></p>"""


def _rows(rows: list[tuple[str, str]]) -> str:
    body = "".join(
        f'<tr><td width="28%" valign="top" style="color:#475569; padding:5px 10px 5px 0;">'
        f'{name}</td><td style="padding:5px 0;">{value}</td></tr>'
        for name, value in rows
    )
    return (
        '<table width="100%" cellspacing="0" style="margin-top:10px; '
        f'border-top:1px solid #e2e6ea;">{body}</table>'
    )


def receipt_html(doc: ReceiptDocument) -> str:
    """The receipt (R21) as the HTML subset QTextDocument lays out."""
    r = doc.receipt
    amount = format_brl(r.amount)
    payer = f"<b>{_e(r.payer_name)}</b>"
    if r.payer_cpf:
        payer += f" &nbsp;·&nbsp; CPF {_e(r.payer_cpf_text)}"
    rows = [(tr("Pagador"), payer)]
    if not r.patient_is_payer:
        patient = f"<b>{_e(r.patient_name)}</b>"
        if r.patient_cpf:
            patient += f" &nbsp;·&nbsp; CPF {_e(r.patient_cpf_text)}"
        rows.append((tr("Paciente"), patient))
    # What was paid: one paragraph each (a long list breaks between pages cleanly, which
    # the lines of one table cell would not).
    items = (
        "".join(f'<p style="margin:2px 0 2px 12px;">{_e(item)}</p>' for item in r.items)
        or '<p style="margin:2px 0 2px 12px;">—</p>'
    )
    paid_for = f'<p style="color:#475569; margin-top:8px;">{tr("Referente a")}</p>{items}'
    more = []
    if r.balance:
        more.append((tr("Saldo do pacote"), _e(r.balance)))
    more += [
        (tr("Valor"), f"<b>{amount}</b> ({_e(doc.amount_in_words)})"),
        (tr("Data do pagamento"), format_date(r.issued_on)),
        (tr("Forma de pagamento"), _e(r.method_label) or "—"),
    ]
    cancelled = ""
    if r.cancelled:
        why = f" — {_e(r.cancel_reason)}" if r.cancel_reason else ""
        instead = (
            tr(" Substituído pelo recibo No. {0}.").format(r.replaced_by) if r.replaced_by else ""
        )
        cancelled = (
            '<p style="color:#b42318; font-size:13pt; font-weight:700; margin-top:6px;">'
            f"{CANCELLED_MARK} {tr('em')} {format_datetime(r.cancelled_at)}{why}.{instead}</p>"
        )
    return f"""{_clinic_header(doc, tr("RECIBO No. {0}").format(r.number), amount)}
{cancelled}
<p style="font-size:11.5pt; line-height:150%; margin-top:12px;">{_e(doc.statement)}</p>
{_rows(rows)}
{paid_for}
{_rows(more)}
{_signature(doc)}"""


def statement_html(doc: StatementDocument) -> str:
    """The Declaração anual of one payer as HTML."""
    st = doc.statement
    payer = f"<b>{_e(st.payer_name) or '—'}</b>"
    if st.payer_cpf:
        payer += f" &nbsp;·&nbsp; CPF {_e(st.payer_cpf_text)}"
    cell = 'style="padding:5px 8px; border-bottom:1px solid #e2e6ea;"'
    right = 'align="right" style="padding:5px 8px; border-bottom:1px solid #e2e6ea;"'
    head = 'style="padding:5px 8px; background:#e6f4f4; font-weight:700;"'
    head_right = 'align="right" style="padding:5px 8px; background:#e6f4f4; font-weight:700;"'
    lines = "".join(
        f"<tr><td {cell}>{_e(line.patient_name)}</td><td {cell}>{_e(line.patient_cpf_text) or '—'}"
        f"</td><td {right}>{format_brl(line.received)}</td><td {right}>"
        f"{format_brl(line.refunded) if line.refunded else '—'}</td>"
        f"<td {right}><b>{format_brl(line.amount)}</b></td></tr>"
        for line in st.lines
    ) or (f'<tr><td colspan="5" {cell}>{tr("Nenhum pagamento recebido no ano.")}</td></tr>')
    table = f"""
<table width="100%" cellspacing="0" style="margin-top:12px;">
<tr><td {head}>{tr("Paciente")}</td><td {head}>{tr("CPF do paciente")}</td>
<td {head_right}>{tr("Recebido")}</td><td {head_right}>{tr("Devoluções")}</td>
<td {head_right}>{tr("Valor")}</td></tr>
{lines}
<tr><td colspan="4" align="right" style="padding:7px 8px; font-weight:700;">{tr("Total")}</td>
<td align="right" style="padding:7px 8px; font-weight:700;">{format_brl(st.total)}</td></tr>
</table>"""
    return f"""{
        _clinic_header(doc, tr("DECLARAÇÃO ANUAL"), tr("Ano-calendário {0}").format(st.year))
    }
<p style="font-size:12.5pt; font-weight:700; margin-top:10px;">{
        tr("Declaração de pagamentos para o Imposto de Renda")
    }</p>
{_rows([(tr("Pagador"), payer)])}
<p style="font-size:11.5pt; line-height:150%; margin-top:12px;">{_e(doc.text)}</p>
{table}
<p style="color:#475569; margin-top:8px;">{
        tr(
            "Valor = recebido no ano menos as devoluções de pacotes no ano. "
            "Recibos cancelados não contam."
        )
    }</p>
{_signature(doc)}"""


# --- painting -------------------------------------------------------------------------------


def _layout(device: QPaintDevice, html_text: str) -> tuple[QTextDocument, float, float, float]:
    margin = MARGIN_MM / 25.4 * device.logicalDpiX()
    width = device.width() - 2 * margin
    height = device.height() - 2 * margin
    document = QTextDocument()
    document.documentLayout().setPaintDevice(device)
    font = QFont()
    font.setPointSizeF(10.5)
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    document.setHtml(html_text)
    document.setPageSize(QSizeF(width, height))
    return document, margin, width, height


def _paint_mark(painter: QPainter, device: QPaintDevice) -> None:
    """ "CANCELADO" across the page, in red, over the text (a text the PDF keeps)."""
    painter.save()
    font = QFont()
    font.setPixelSize(int(device.width() / 7))
    font.setBold(True)
    painter.setFont(font)
    color = QColor("#d92d20")
    color.setAlpha(90)
    painter.setPen(color)
    painter.translate(device.width() / 2, device.height() / 2)
    painter.rotate(-35)
    box = QRectF(-device.width(), -device.height() / 6, 2 * device.width(), device.height() / 3)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, CANCELLED_MARK)
    painter.restore()


def _paint_footer(painter: QPainter, device: QPaintDevice, margin: float, text: str) -> None:
    """ "Recibo No. 12 · página 1 de 2" in the bottom margin of a document of several pages."""
    painter.save()
    font = QFont()
    font.setPointSizeF(8.5)
    painter.setFont(font)
    painter.setPen(QColor("#475569"))
    box = QRectF(margin, device.height() - margin * 0.8, device.width() - 2 * margin, margin / 2)
    painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
    painter.restore()


def paint_pages(
    device: QPaintDevice,
    html_text: str,
    *,
    cancelled: bool = False,
    pages: int | None = None,
    title: str = "",
) -> QTextDocument:
    """Paint the HTML page after page on `device` (a new page on a PDF writer or printer
    for each; an image gets the first `pages`, default 1). Returns the document painted."""
    document, margin, width, height = _layout(device, html_text)
    count = document.pageCount()
    paged = isinstance(device, QPagedPaintDevice)
    if not paged:
        count = min(count, pages or 1)
    # A block whose line the layout pushed to the next page keeps its top margin at the
    # foot of this one: leave the last half line out of this page's clip, or the PDF would
    # hold that line's text twice (once clipped away, which text extraction still reads).
    foot = QFontMetricsF(document.defaultFont(), device).height() / 2
    painter = QPainter(device)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        for page in range(count):
            if page:
                device.newPage()
            painter.save()
            painter.translate(margin, margin - page * height)
            last = page == count - 1
            document.drawContents(
                painter, QRectF(0, page * height, width, height - (0 if last else foot))
            )
            painter.restore()
            if count > 1:
                where = tr("página {0} de {1}").format(page + 1, count)
                _paint_footer(painter, device, margin, f"{title} · {where}" if title else where)
            if cancelled:
                _paint_mark(painter, device)
    finally:
        painter.end()
    return document


def page_image(html_text: str, *, cancelled: bool = False, dpi: int = PREVIEW_DPI) -> QImage:
    """The first A4 page as an image (the preview)."""
    width, height = (round(mm / 25.4 * dpi) for mm in A4_MM)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    dots_per_meter = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    image.fill(Qt.GlobalColor.white)
    paint_pages(image, html_text, cancelled=cancelled)
    return image


def write_pdf(path: Path, title: str, paint: Callable[[QPdfWriter], object]) -> Path:
    """An A4 PDF written by Qt's PDF writer (text, fonts embedded); the file appears only
    when complete (written beside it, then moved into place)."""
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
    writer.setTitle(title)
    writer.setCreator("R3izzy Desktop")
    try:
        paint(writer)
        del writer  # the PDF is complete once the writer is gone
        os.replace(temporary, path)
    except OSError as error:
        raise export.ExportFailed(
            tr("Não foi possível gravar o documento:\n{0}\n\n{1}").format(path, error)
        ) from error
    finally:
        temporary.unlink(missing_ok=True)
    return path


# --- the documents ---------------------------------------------------------------------------


class Printable:
    """A document ready to preview, save or print: its HTML, title and file name."""

    def __init__(self, title: str, html_text: str, file_name: str, cancelled: bool = False):
        self.title = title
        self.html = html_text
        self.file_name = file_name
        self.cancelled = cancelled

    def paint(self, device: QPaintDevice) -> QTextDocument:
        return paint_pages(device, self.html, cancelled=self.cancelled, title=self.title)

    def image(self) -> QImage:
        return page_image(self.html, cancelled=self.cancelled)

    def save_pdf(self, path: Path) -> Path:
        return write_pdf(path, self.title, self.paint)


def receipt_printable(number: int) -> Printable:
    doc = receipts.document(number)
    r = doc.receipt
    return Printable(
        tr("Recibo No. {0}").format(r.number),
        receipt_html(doc),
        receipt_file_name(doc),
        cancelled=r.cancelled,
    )


def statement_printable(
    year: int, payer_cpf: str | None = None, payer_name: str | None = None
) -> Printable:
    doc = receipts.statement_document(year, payer_cpf, payer_name=payer_name)
    return Printable(
        tr("Declaração anual {0} — {1}").format(year, doc.statement.payer_name),
        statement_html(doc),
        statement_file_name(doc),
    )


def receipt_file_name(doc: ReceiptDocument) -> str:
    """`recibo-12-ana-souza.pdf`."""
    r = doc.receipt
    return f"recibo-{r.number}-{export.slug(r.payer_name)}.pdf"


def statement_file_name(doc: StatementDocument) -> str:
    """`declaracao-2026-ana-souza-52998224725.pdf` (the CPF tells two payers of one name
    apart)."""
    st = doc.statement
    cpf = f"-{st.payer_cpf}" if st.payer_cpf else ""
    return f"declaracao-{st.year}-{export.slug(st.payer_name)}{cpf}.pdf"


def save_receipt_pdf(number: int, path: Path) -> Path:
    return receipt_printable(number).save_pdf(path)


def save_statement_pdf(
    year: int, path: Path, payer_cpf: str | None = None, payer_name: str | None = None
) -> Path:
    return statement_printable(year, payer_cpf, payer_name).save_pdf(path)


def save_all_statements(year: int, folder: Path) -> list[Path]:
    """One Declaração anual PDF per payer of `year`, in `folder` (created when missing).
    Returns the files written, by payer name."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise export.ExportFailed(
            tr("Não foi possível criar a pasta:\n{0}\n\n{1}").format(folder, error)
        ) from error
    written = []
    for payer in receipts.payers(year):
        printable = statement_printable(year, payer.cpf or None, payer.name)
        written.append(printable.save_pdf(folder / printable.file_name))
    return written
