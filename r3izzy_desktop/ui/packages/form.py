"""The package form (manual 1 and 5; SPEC §5.11): create a package, or change one.

"Pagamento": "Data de Criação/Pgto.", "Número total de sessões", "Total pago", "Preço por
sessão" (read-only, live: "—" while the inputs are incomplete, never "NaN"); editing adds
the status. A new package also asks how it is paid (R18, plan_field.py): "Forma de
pagamento", "Parcelas" (à vista, or a plan of monthly installments) and "Usar só o que já
foi pago". "Validade e serviços": Validade (the clinic's default for a new package, or
"Sem validade") and Serviços (all, or the ones ticked). "Compartilhar com": other
patients whose sessions it may pay. "Observações (opcional)". Editing also offers
"Transferir…" (a new owner). The groups scroll when the screen is short (1366×768).
"← Voltar" discards (the database is untouched); "Criar pacote" / "Salvar alterações"
saves, or shows the core's message under the field.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core import clinic, clock, packages, validation
from ...core.errors import DomainError, ValidationError
from ...core.packages import MAX_SESSIONS, ledger
from ...core.ptbr import MAX_MONEY, format_brl, format_money
from ..common import messages, toast
from ..common.date_edit import DateEdit
from ..common.fields import MoneyEdit, WholeNumberEdit
from ..common.fit import fit_to_screen, set_text_lines
from ..common.operations import run_op
from ..common.widgets import FormField, StatusBadge, label
from .dates import PT_BR, from_qdate, to_qdate
from .plan_field import PaymentPlanField
from .terms_fields import ServicesField, ShareField, ValidityField
from .transfer import TransferDialog

__all__ = ["PT_BR", "PackageFormDialog", "from_qdate", "price_preview", "to_qdate"]

# The tallest the dialog grows before its groups scroll: a 1366×768 screen, less the
# taskbar and the window frame.
MAX_HEIGHT = 690


def price_preview(sessions_text: str, total: Decimal | None) -> str:
    """What "Preço por sessão" shows: the core's R4 figure, or "—" while incomplete or
    out of range (a total above the maximum is refused, so it has no price per session)."""
    text = sessions_text.strip()
    if total is None or total <= 0 or total > MAX_MONEY or not (text.isascii() and text.isdigit()):
        return "—"
    count = int(text)
    if not 1 <= count <= MAX_SESSIONS:
        return "—"
    return format_brl(ledger.price_per_session(total, count))


def _group(title: str) -> tuple[QGroupBox, QGridLayout]:
    box = QGroupBox(title)
    grid = QGridLayout(box)
    grid.setHorizontalSpacing(16)
    grid.setVerticalSpacing(10)
    grid.setColumnStretch(0, 1)
    grid.setColumnStretch(1, 1)
    return box, grid


class PackageFormDialog(QDialog):
    """`package_id` None creates a package for `patient_id`; otherwise edits that package
    (passing the version it showed, so a change made meanwhile on another PC is refused)."""

    def __init__(
        self, patient_id: int, package_id: int | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.patient_id = patient_id
        self.package_id = package_id
        self.saved_id: int | None = None
        self.summary = packages.summary(package_id) if package_id is not None else None
        editing = self.summary is not None
        # The owner: the package's (a shared package opened from a sibling's list is its
        # owner's), or the patient a new one is created for; `new_owner` after "Transferir".
        self.owner_id = self.summary.patient_id if editing else patient_id
        self.new_owner: tuple[int, str] | None = None
        self.setWindowTitle(self.tr("Editar pacote") if editing else self.tr("Novo pacote"))
        self.setMinimumWidth(640)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(26, 22, 26, 20)
        layout.setSpacing(12)
        layout.addLayout(self._heading())

        self._build_fields()
        body = QWidget()
        body.setObjectName("page")
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 6, 0)
        column.setSpacing(12)
        column.addWidget(self._payment_group())
        if not editing:
            column.addWidget(self._plan_group())
        column.addWidget(self._terms_group())
        column.addWidget(self._share_group())
        column.addWidget(self.fields["notes"])
        if editing and self.summary.sessions_used:
            column.addWidget(
                label(
                    self.tr(
                        "{0} de {1} sessões já foram usadas. Ao mudar sessões ou valor total, "
                        "as sessões pagas recebem o novo valor médio."
                    ).format(self.summary.sessions_used, self.summary.sessions_total),
                    "muted",
                    wrap=True,
                )
            )
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)
        # Never narrower than the groups need: only the height scrolls.
        self.scroll.setMinimumWidth(
            body.minimumSizeHint().width() + self.scroll.verticalScrollBar().sizeHint().width()
        )
        layout.addWidget(self.scroll, 1)

        self.general_error = label("", "fieldError", wrap=True)
        self.general_error.setVisible(False)
        layout.addWidget(self.general_error)
        layout.addLayout(self._buttons())

        self.sessions.textChanged.connect(self.update_price)
        self.total.textChanged.connect(self.update_price)
        self.sessions.textEdited.connect(lambda _t: self.fields["sessions"].set_error(None))
        self.total.textEdited.connect(lambda _t: self.fields["total"].set_error(None))
        self.total.editingFinished.connect(self._check_total)
        self.validity.changed.connect(self._validity_hint)
        if editing:
            self._load()
        else:
            self.validity.follow(from_qdate(self.paid_on.date()))
            self.paid_on.dateChanged.connect(lambda day: self.validity.follow(from_qdate(day)))
            # R18: the plan follows the total and the payment date (its first due day).
            self.plan.set_first_due(from_qdate(self.paid_on.date()))
            self.paid_on.dateChanged.connect(lambda day: self.plan.set_first_due(from_qdate(day)))
            self.total.textChanged.connect(lambda _t: self.plan.set_total(self.total.value()))
        self.update_price()
        self._validity_hint()
        self.sessions.setFocus()
        body.adjustSize()
        wanted = body.sizeHint().height() + 190
        width = max(self.minimumWidth(), body.sizeHint().width() + 60)
        fit_to_screen(self, (width, min(wanted, MAX_HEIGHT)))  # within the screen, it scrolls

    # -- building -------------------------------------------------------------------------
    def _heading(self) -> QHBoxLayout:
        heading = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        editing = self.summary is not None
        titles.addWidget(
            label(
                self.tr("Pacote No. {0}").format(self.summary.number)
                if editing
                else self.tr("Novo pacote"),
                "sectionTitle",
            )
        )
        owner = QHBoxLayout()
        owner.setSpacing(10)
        self.owner_label = label(clinic.get_patient(self.owner_id).name, "muted")
        owner.addWidget(self.owner_label)
        self.transfer_button = QPushButton(self.tr("Transferir…"))
        self.transfer_button.setProperty("compact", True)
        self.transfer_button.setAutoDefault(False)
        self.transfer_button.setToolTip(self.tr("Passar este pacote para outro paciente"))
        self.transfer_button.clicked.connect(self.choose_new_owner)
        self.transfer_button.setVisible(editing)
        owner.addWidget(self.transfer_button)
        owner.addStretch(1)
        titles.addLayout(owner)
        heading.addLayout(titles, 1)
        if editing:
            heading.addWidget(StatusBadge(self.summary.status), 0, Qt.AlignmentFlag.AlignTop)
        return heading

    def _build_fields(self) -> None:
        self.paid_on = DateEdit(clock.today())
        self.sessions = WholeNumberEdit(
            self.tr("Número total de sessões"), low=1, high=MAX_SESSIONS
        )
        self.sessions.setPlaceholderText(self.tr("ex.: 5"))
        self.total = MoneyEdit()
        self.total.setPlaceholderText(self.tr("ex.: 1.000,00"))
        self.price = QLineEdit("—")
        self.price.setObjectName("computed")
        self.price.setReadOnly(True)
        self.price.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.price.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.price.setAccessibleName(self.tr("Preço por sessão"))
        self.status = QComboBox()
        self.validity = ValidityField()
        self.services = ServicesField(self.summary.service_ids if self.summary else ())
        shared = (
            dict(zip(self.summary.shared_with_ids, self.summary.shared_with, strict=True))
            if self.summary
            else {}
        )
        self.share = ShareField(self.owner_id, shared)
        self.plan = PaymentPlanField()
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(self.tr("Ex.: forma de pagamento, desconto combinado"))
        set_text_lines(self.notes, 3)
        self.notes.setTabChangesFocus(True)
        self.fields = {
            "paid_on": FormField(self.tr("Data de Criação/Pgto."), self.paid_on),
            "sessions": FormField(self.tr("Número total de sessões"), self.sessions),
            "total": FormField(self.tr("Total pago"), self.total),
            "price": FormField(self.tr("Preço por sessão"), self.price),
            "status": FormField(self.tr("Status"), self.status),
            "valid_until": FormField(self.tr("Validade"), self.validity, hint=" "),
            "services": FormField(self.tr("Serviços"), self.services),
            "shared_with": FormField(self.tr("Compartilhar com"), self.share),
            "notes": FormField(self.tr("Observações (opcional)"), self.notes),
        }
        # R18's group (a new package only): its own labels inside; the core names its
        # fields "installments", "method" and "count".
        self.plan_field = FormField("", self.plan)
        self.plan_field.title.setVisible(False)

    def _payment_group(self) -> QGroupBox:
        box, grid = _group(self.tr("Pagamento"))
        top = Qt.AlignmentFlag.AlignTop  # a message under one field never shifts its neighbour
        grid.addWidget(self.fields["paid_on"], 0, 0, top)
        grid.addWidget(self.fields["sessions"], 0, 1, top)
        grid.addWidget(self.fields["total"], 1, 0, top)
        grid.addWidget(self.fields["price"], 1, 1, top)
        if self.summary is not None:
            grid.addWidget(self.fields["status"], 2, 0, top)
        else:
            self.fields["status"].setVisible(False)
        return box

    def _plan_group(self) -> QGroupBox:
        box, grid = _group(self.tr("Forma de pagamento e parcelas"))
        grid.addWidget(self.plan_field, 0, 0, 1, 2)
        return box

    def _terms_group(self) -> QGroupBox:
        box, grid = _group(self.tr("Validade e serviços"))
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(self.fields["valid_until"], 0, 0, top)
        grid.addWidget(self.fields["services"], 0, 1, top)
        return box

    def _share_group(self) -> QGroupBox:
        box, grid = _group(self.tr("Quem usa o pacote"))
        grid.addWidget(self.fields["shared_with"], 0, 0, 1, 2)
        return box

    def _buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.back_button = QPushButton(self.tr("← Voltar"))
        self.back_button.setToolTip(self.tr("Descarta e volta à lista (Esc)"))
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(self.reject)
        self.save_button = QPushButton(
            self.tr("Salvar alterações") if self.summary is not None else self.tr("Criar pacote")
        )
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        return buttons

    @classmethod
    def ask(
        cls, parent: QWidget | None, patient_id: int, package_id: int | None = None
    ) -> int | None:
        """Open the form; the created or changed package's id, None on "← Voltar" / Esc."""
        dialog = cls(patient_id, package_id, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.saved_id
        return None

    # -- filling and reading ------------------------------------------------------------------
    def _load(self) -> None:
        summary = self.summary
        self.paid_on.setDate(to_qdate(summary.paid_on))
        self.sessions.setText(str(summary.sessions_total))
        self.total.setText(format_money(summary.total))
        self.notes.setPlainText(summary.notes)
        self.validity.set_value(summary.valid_until)
        if summary.valid_until is None:
            self.validity.set_suggested_day(clock.today())
        closed = summary.status == "encerrado"  # R19, by Encerrar pacote
        for status in ("ativo", "inativo", "finalizado", *(("encerrado",) if closed else ())):
            self.status.addItem(self.tr(status), status)
        # "finalizado" follows from the figures, "encerrado" from Encerrar pacote: shown,
        # never chosen here.
        model = self.status.model()
        if isinstance(model, QStandardItemModel):
            for row in range(2, model.rowCount()):
                model.item(row).setEnabled(False)
        self.status.setCurrentIndex(self.status.findData(summary.status))
        if summary.status == "finalizado":
            self.status.setToolTip(
                self.tr(
                    "Finalizado: todas as sessões foram usadas. Aumente o número de sessões "
                    "para reativar."
                )
            )
        if closed:
            # R19: final; only the notes may change.
            for name, field in self.fields.items():
                field.setEnabled(name == "notes")
            self.transfer_button.setEnabled(False)
            self.fields["notes"].hint.setText(
                self.tr("Pacote encerrado: só as observações podem ser alteradas.")
            )
            self.fields["notes"].hint.setVisible(True)

    def _validity_hint(self) -> None:
        self.fields["valid_until"].hint.setText(
            self.tr("O pacote vale até as sessões acabarem.")
            if self.validity.value() is None
            else self.tr("Sessões depois deste dia não podem ser pagas com o pacote.")
        )

    def update_price(self) -> None:
        self.price.setText(price_preview(self.sessions.text(), self.total.value()))

    def _check_total(self) -> None:
        if self.total.text().strip():
            error = self.total.error()
            if error is None:
                try:
                    validation.money_value(self.total.value(), self.tr("Total pago"))
                except ValidationError as exc:
                    error = str(exc)
            self.fields["total"].set_error(error)

    def choose_new_owner(self) -> None:
        """ "Transferir…": the new owner, saved with the other changes."""
        if self.summary is None:
            return
        current = self.new_owner[0] if self.new_owner else self.owner_id
        chosen = TransferDialog.ask(self, self.summary.number, current)
        if chosen is None:
            return
        self.new_owner = None if chosen[0] == self.owner_id else chosen
        name = chosen[1]
        self.owner_label.setText(
            self.tr("Será transferido para {0} ao salvar").format(name) if self.new_owner else name
        )
        self.share.set_owner(chosen[0])

    def save(self) -> None:
        """Create or change the package through the core; on a refusal, say why inline."""
        for field in self.fields.values():
            field.set_error(None)
        self.general_error.setVisible(False)
        services_error = self.services.error()
        if services_error:
            self.fields["services"].set_error(services_error)
            return
        # What is typed and refused is said where it was typed; nothing misread is saved.
        typed = [("paid_on", self.paid_on)]
        if self.validity.value_error():
            typed.append(("valid_until", self.validity.date))
        for name, editor in typed:
            if editor.error():
                self.fields[name].set_error(editor.error())
                editor.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        sessions_text = self.sessions.text().strip()
        if sessions_text and self.sessions.error():
            self.fields["sessions"].set_error(self.sessions.error())
            self.sessions.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        sessions: int | str = self.sessions.value() or sessions_text
        total = self.total.value()
        total_value: Decimal | str = total if total is not None else self.total.text()
        terms = {
            "valid_until": self.validity.value(),
            "services": self.services.value(),
            "shared_with": self.share.value(),
        }
        paid_on = from_qdate(self.paid_on.date())
        notes = self.notes.toPlainText()
        if self.summary is None:
            self.plan_field.set_error(None)
            problem = self.plan.problem()
            if problem:
                self.plan.show_error(problem)
                self.scroll.ensureWidgetVisible(self.plan.error_label)
                return
            payment = {
                "installments": self.plan.plan(),
                "method": self.plan.method_value(),
                "pay_before_use": self.plan.before_use.isChecked(),
            }

            def save():
                return packages.create_package(
                    self.patient_id,
                    sessions,
                    total_value,
                    paid_on=paid_on,
                    notes=notes,
                    **terms,
                    **payment,
                )
        else:
            chosen = self.status.currentData()
            summary = self.summary
            if self.new_owner is not None and not messages.confirm(
                self,
                self.tr("Transferir pacote"),
                self.tr(
                    "O pacote No. {0} passa de {1} para {2}, com o saldo que tem. As sessões "
                    "já pagas continuam pagas."
                ).format(summary.number, summary.patient_name, self.new_owner[1]),
                confirm_text=self.tr("Transferir e salvar"),
            ):
                return
            owner = {"patient": self.new_owner[0]} if self.new_owner else {}

            def save():
                return packages.edit_package(
                    summary.id,
                    sessions=sessions,
                    total=total_value,
                    paid_on=paid_on,
                    notes=notes,
                    status=None if chosen == summary.status else chosen,
                    expected_version=summary.version,
                    **terms,
                    **owner,
                )

        saved = run_op(self, save, failed=self._refused)
        if saved:
            self.saved_id = saved.value.id
            toast.notify(
                self.parentWidget() or self,
                self.tr("Pacote No. {0} criado.").format(saved.value.number)
                if self.summary is None
                else self.tr("Pacote No. {0} alterado.").format(saved.value.number),
            )
            self.accept()

    def _refused(self, error: DomainError) -> None:
        """A field's error next to the field; any other refusal in a message."""
        if isinstance(error, ValidationError):
            self._show_error(error)
        else:
            messages.show_domain_error(self, error)

    def _show_error(self, error: ValidationError) -> None:
        field = self.fields.get(error.field or "")
        if error.field in ("installments", "method", "count") and self.summary is None:
            field = self.plan_field
        if field is not None and field.isVisibleTo(self):
            field.set_error(str(error))
            self.scroll.ensureWidgetVisible(field)
            field.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.general_error.setText(str(error))
            self.general_error.setVisible(True)
