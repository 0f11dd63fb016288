"""The package form (manual 1 and 5): create a package, or change one.

"Data de Criação/Pgto.", "Número total de sessões", "Total pago", "Preço por sessão"
(read-only, live: "—" while the inputs are incomplete, never "NaN"), "Observações
(opcional)"; editing adds the status. "← Voltar" discards (the database is untouched);
"Criar pacote" / "Salvar alterações" saves, or shows the core's message under the field.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate, QLocale, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import clinic, clock, packages
from ...core.errors import DomainError, ValidationError
from ...core.packages import MAX_SESSIONS, ledger
from ...core.ptbr import format_brl, format_money
from ..common import messages
from ..common.operations import run_op
from ..common.widgets import FormField, MoneyEdit, StatusBadge, label

PT_BR = QLocale(QLocale.Language.Portuguese, QLocale.Country.Brazil)


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def price_preview(sessions_text: str, total: Decimal | None) -> str:
    """What "Preço por sessão" shows: the core's R4 figure, or "—" while incomplete."""
    text = sessions_text.strip()
    if total is None or total <= 0 or not text.isdigit():
        return "—"
    count = int(text)
    if not 1 <= count <= MAX_SESSIONS:
        return "—"
    return format_brl(ledger.price_per_session(total, count))


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
        self.setWindowTitle(self.tr("Editar pacote") if editing else self.tr("Novo pacote"))
        self.setMinimumWidth(520)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(26, 22, 26, 20)
        layout.setSpacing(14)
        heading = QHBoxLayout()
        patient = clinic.get_patient(patient_id)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(
            label(
                self.tr("Pacote No. {0}").format(self.summary.number)
                if editing
                else self.tr("Novo pacote"),
                "sectionTitle",
            )
        )
        titles.addWidget(label(patient.name, "muted"))
        heading.addLayout(titles, 1)
        if editing:
            heading.addWidget(StatusBadge(self.summary.status), 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(heading)

        self.paid_on = QDateEdit()
        self.paid_on.setLocale(PT_BR)
        self.paid_on.setDisplayFormat("dd/MM/yyyy")
        self.paid_on.setCalendarPopup(True)
        self.paid_on.calendarWidget().setLocale(PT_BR)
        self.paid_on.setDate(to_qdate(clock.today()))
        self.sessions = QLineEdit()
        self.sessions.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,4}")))
        self.sessions.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
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
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(self.tr("Ex.: forma de pagamento, desconto combinado"))
        self.notes.setFixedHeight(84)
        self.notes.setTabChangesFocus(True)

        self.fields = {
            "paid_on": FormField(self.tr("Data de Criação/Pgto."), self.paid_on),
            "sessions": FormField(self.tr("Número total de sessões"), self.sessions),
            "total": FormField(self.tr("Total pago"), self.total),
            "price": FormField(self.tr("Preço por sessão"), self.price),
            "status": FormField(self.tr("Status"), self.status),
            "notes": FormField(self.tr("Observações (opcional)"), self.notes),
        }
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        top = Qt.AlignmentFlag.AlignTop  # a message under one field never shifts its neighbour
        grid.addWidget(self.fields["paid_on"], 0, 0, top)
        grid.addWidget(self.fields["sessions"], 0, 1, top)
        grid.addWidget(self.fields["total"], 1, 0, top)
        grid.addWidget(self.fields["price"], 1, 1, top)
        if editing:
            grid.addWidget(self.fields["status"], 2, 0, top)
        else:
            self.fields["status"].setVisible(False)
        grid.addWidget(self.fields["notes"], 3, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)

        if editing and self.summary.sessions_used:
            layout.addWidget(
                label(
                    self.tr(
                        "{0} de {1} sessões já foram usadas. Ao mudar sessões ou valor total, "
                        "as sessões pagas recebem o novo valor médio."
                    ).format(self.summary.sessions_used, self.summary.sessions_total),
                    "muted",
                    wrap=True,
                )
            )
        self.general_error = label("", "fieldError", wrap=True)
        self.general_error.setVisible(False)
        layout.addWidget(self.general_error)

        buttons = QHBoxLayout()
        self.back_button = QPushButton(self.tr("← Voltar"))
        self.back_button.setToolTip(self.tr("Descarta e volta à lista (Esc)"))
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(self.reject)
        self.save_button = QPushButton(
            self.tr("Salvar alterações") if editing else self.tr("Criar pacote")
        )
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)

        self.sessions.textChanged.connect(self.update_price)
        self.total.textChanged.connect(self.update_price)
        self.sessions.textEdited.connect(lambda _t: self.fields["sessions"].set_error(None))
        self.total.textEdited.connect(lambda _t: self.fields["total"].set_error(None))
        self.total.editingFinished.connect(self._check_total)
        if editing:
            self._load()
        self.update_price()
        self.sessions.setFocus()

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
        for status in ("ativo", "inativo", "finalizado"):
            self.status.addItem(self.tr(status), status)
        # "finalizado" follows from the figures: shown, never chosen.
        model = self.status.model()
        if isinstance(model, QStandardItemModel):
            model.item(2).setEnabled(False)
        self.status.setCurrentIndex(self.status.findData(summary.status))
        if summary.status == "finalizado":
            self.status.setToolTip(
                self.tr(
                    "Finalizado: todas as sessões foram usadas. Aumente o número de sessões "
                    "para reativar."
                )
            )

    def update_price(self) -> None:
        self.price.setText(price_preview(self.sessions.text(), self.total.value()))

    def _check_total(self) -> None:
        if self.total.text().strip():
            self.fields["total"].set_error(self.total.error())

    def save(self) -> None:
        """Create or change the package through the core; on a refusal, say why inline."""
        for field in self.fields.values():
            field.set_error(None)
        self.general_error.setVisible(False)
        sessions_text = self.sessions.text().strip()
        sessions: int | str = int(sessions_text) if sessions_text.isdigit() else sessions_text
        total = self.total.value()
        total_value: Decimal | str = total if total is not None else self.total.text()
        paid_on = from_qdate(self.paid_on.date())
        notes = self.notes.toPlainText()
        if self.summary is None:

            def save():
                return packages.create_package(
                    self.patient_id, sessions, total_value, paid_on=paid_on, notes=notes
                )
        else:
            chosen = self.status.currentData()
            summary = self.summary

            def save():
                return packages.edit_package(
                    summary.id,
                    sessions=sessions,
                    total=total_value,
                    paid_on=paid_on,
                    notes=notes,
                    status=None if chosen == summary.status else chosen,
                    expected_version=summary.version,
                )

        saved = run_op(self, save, failed=self._refused)
        if saved:
            self.saved_id = saved.value.id
            self.accept()

    def _refused(self, error: DomainError) -> None:
        """A field's error next to the field; any other refusal in a message."""
        if isinstance(error, ValidationError):
            self._show_error(error)
        else:
            messages.show_domain_error(self, error)

    def _show_error(self, error: ValidationError) -> None:
        field = self.fields.get(error.field or "")
        if field is not None and field.isVisibleTo(self):
            field.set_error(str(error))
            field.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.general_error.setText(str(error))
            self.general_error.setVisible(True)
