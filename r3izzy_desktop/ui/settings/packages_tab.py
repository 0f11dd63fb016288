"""Configurações › Pacotes (SPEC §5.11): the clinic's package defaults — the validity of a
new package ("Sem validade" or N months from the payment date, R15), how many days before
its last day a package shows "vence em N dias" and with how many sessions left it is
"acabando" (R22), and the WhatsApp message each alert sends (its template, with a preview).
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core import clinic, clock, packages
from ...core.clinic.settings import MAX_ENDING_THRESHOLD, MAX_VALIDITY_MONTHS, MAX_WARNING_DAYS
from ...core.errors import DomainError, ValidationError
from ..common import messages
from ..common.fields import WholeNumberSpin
from ..common.fit import set_text_lines
from ..common.operations import run_op
from ..common.widgets import Card, FormField, label

FIELD_HELP = {
    "nome": "quem recebe (o responsável, ou o paciente)",
    "paciente": "o paciente",
    "clinica": "o nome da clínica",
    "pacote": "o número do pacote",
    "aviso": "o aviso, como “O pacote de Ana (No. …) vence em 5 dias, em 10/03/2026”",
    "sessoes": "as sessões restantes",
    "validade": "a validade (dd/mm/aaaa ou “sem validade”)",
}


def _spin(low: int, high: int, suffix: str, label_text: str) -> WholeNumberSpin:
    spin = WholeNumberSpin(label_text)
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    spin.setMinimumWidth(110)
    spin.setMaximumWidth(160)
    spin.setProperty("plain", True)  # the arrow keys and the wheel change it
    return spin


class PackagesTab(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        outer.addWidget(scroll)
        content = QWidget()
        content.setObjectName("page")
        scroll.setWidget(content)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(18, 18, 18, 18)
        layout.setSpacing(16)
        layout.addWidget(self._validity_card())
        layout.addWidget(self._payment_card())
        layout.addWidget(self._alerts_card())
        layout.addWidget(self._message_card())

        buttons = QHBoxLayout()
        self.saved_note = label("", "muted")
        buttons.addWidget(self.saved_note, 1)
        self.save_button = QPushButton(self.tr("Salvar"))
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        layout.addStretch(1)

        for signal in (
            self.no_validity.toggled,
            self.months.valueChanged,
            self.warning_days.valueChanged,
            self.threshold.valueChanged,
            self.template.textChanged,
            self.pay_before_use.toggled,
        ):
            signal.connect(self._edited)
        self.template.textChanged.connect(self.update_preview)
        self.refresh()

    # -- building ---------------------------------------------------------------------------
    def _validity_card(self) -> Card:
        card = Card()
        card.body.addWidget(label(self.tr("Validade de um pacote novo"), "sectionTitle"))
        card.body.addWidget(
            label(
                self.tr(
                    "O formulário do pacote já vem com esta validade; ela pode ser mudada em "
                    "cada pacote. Uma sessão depois do último dia não pode ser paga com ele."
                ),
                "muted",
                wrap=True,
            )
        )
        self.no_validity = QRadioButton(self.tr("Sem validade"))
        self.with_validity = QRadioButton(self.tr("Válido por"))
        group = QButtonGroup(self)
        group.addButton(self.no_validity)
        group.addButton(self.with_validity)
        self.months = _spin(1, MAX_VALIDITY_MONTHS, self.tr(" meses"), self.tr("Validade (meses)"))
        self.months.setAccessibleName(self.tr("Meses de validade"))
        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(self.with_validity)
        row.addWidget(self.months)
        row.addWidget(label(self.tr("a partir da data de pagamento"), "muted"))
        row.addStretch(1)
        card.body.addWidget(self.no_validity)
        card.body.addLayout(row)
        self.with_validity.toggled.connect(self.months.setEnabled)
        self.validity_error = label("", "fieldError", wrap=True)
        self.validity_error.setVisible(False)
        card.body.addWidget(self.validity_error)
        return card

    def _payment_card(self) -> Card:
        card = Card()
        card.body.addWidget(label(self.tr("Pagamento de um pacote novo"), "sectionTitle"))
        self.pay_before_use = QCheckBox(self.tr("Usar só o que já foi pago"))
        self.pay_before_use.setAccessibleName(self.tr("Usar só o que já foi pago"))
        card.body.addWidget(self.pay_before_use)
        card.body.addWidget(
            label(
                self.tr(
                    "Marcado, um pacote novo vendido em parcelas só paga sessões até o valor "
                    "já recebido. Pode ser mudado em cada pacote, no formulário."
                ),
                "muted",
                wrap=True,
            )
        )
        return card

    def _alerts_card(self) -> Card:
        card = Card()
        card.body.addWidget(label(self.tr("Avisos"), "sectionTitle"))
        card.body.addWidget(
            label(
                self.tr(
                    "Aparecem nos cartões dos pacotes e na lista de avisos da Gestão Financeira."
                ),
                "muted",
                wrap=True,
            )
        )
        self.warning_days = _spin(
            0, MAX_WARNING_DAYS, self.tr(" dias"), self.tr("Avisar com antecedência (dias)")
        )
        self.threshold = _spin(
            0, MAX_ENDING_THRESHOLD, self.tr(" sessões"), self.tr("Avisar “acabando” (sessões)")
        )
        self.fields = {}
        self.fields["warning_days"] = FormField(
            self.tr("“Vence em N dias” a partir de"),
            self.warning_days,
            hint=self.tr("antes do último dia de validade"),
        )
        self.fields["ending_threshold"] = FormField(
            self.tr("“Acabando” com até"),
            self.threshold,
            hint=self.tr("restantes (0: sem este aviso)"),
        )
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.addWidget(self.fields["warning_days"], 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.fields["ending_threshold"], 0, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(2, 1)
        card.body.addLayout(grid)
        return card

    def _message_card(self) -> Card:
        card = Card()
        card.body.addWidget(label(self.tr("Mensagem do WhatsApp"), "sectionTitle"))
        card.body.addWidget(
            label(
                self.tr(
                    "O botão “Mensagem” de cada aviso abre o WhatsApp com este texto. Os "
                    "campos entre chaves são trocados pelos dados do pacote:"
                ),
                "muted",
                wrap=True,
            )
        )
        card.body.addWidget(
            label(
                "\n".join(f"{{{name}}}: {text}" for name, text in FIELD_HELP.items()),
                "muted",
                wrap=True,
            )
        )
        self.template = QPlainTextEdit()
        set_text_lines(self.template, 4)
        self.template.setTabChangesFocus(True)
        self.template.setAccessibleName(self.tr("Modelo da mensagem"))
        self.fields["message_template"] = FormField(self.tr("Texto"), self.template)
        card.body.addWidget(self.fields["message_template"])
        self.default_button = QPushButton(self.tr("Usar o texto padrão"))
        self.default_button.setProperty("compact", True)
        self.default_button.clicked.connect(
            lambda: self.template.setPlainText(clinic.DEFAULT_MESSAGE_TEMPLATE)
        )
        row = QHBoxLayout()
        row.addWidget(self.default_button)
        row.addStretch(1)
        card.body.addLayout(row)
        card.body.addWidget(label(self.tr("Exemplo"), "fieldLabel"))
        self.preview = label("", "infoField", wrap=True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        card.body.addWidget(self.preview)
        return card

    # -- reading and saving ------------------------------------------------------------------
    def refresh(self) -> None:
        defaults = clinic.package_defaults()
        self.with_validity.setChecked(defaults.validity_months is not None)
        self.no_validity.setChecked(defaults.validity_months is None)
        self.months.setValue(defaults.validity_months or 6)
        self.months.setEnabled(defaults.validity_months is not None)
        self.warning_days.setValue(defaults.warning_days)
        self.threshold.setValue(defaults.ending_threshold)
        self.template.setPlainText(defaults.message_template)
        self.pay_before_use.setChecked(defaults.pay_before_use)
        self.update_preview()
        self.saved_note.setText("")

    def update_preview(self) -> None:
        """The message as an example alert would send it, or why the text cannot be used."""
        try:
            template = clinic.check_message_template(self.template.toPlainText())
        except ValidationError as error:
            self.preview.setText(str(error))
            return
        today = clock.today()
        number, patient = today.strftime("%y%m%d") + "101500", "Pedro Souza"
        last_day = today + timedelta(days=5)
        example = packages.PackageAlert(
            kind=packages.VENCENDO,
            package_id=0,
            package_number=number,
            patient_id=0,
            patient_name=patient,
            phone="",
            sessions_left=3,
            valid_until=last_day,
            contact_name="Ana Souza",
            on=today,
        )
        self.preview.setText(packages.alert_message(example, template))

    def _edited(self, *_args) -> None:
        self.saved_note.setText("")

    def save(self) -> None:
        for field in self.fields.values():
            field.set_error(None)
        self.validity_error.setVisible(False)
        if not run_op(self, self._write, failed=self._refused):
            return
        self.refresh()
        self.saved_note.setText(self.tr("Configurações dos pacotes salvas."))

    def _write(self) -> None:
        clinic.set_package_defaults(
            validity_months=self.months.value() if self.with_validity.isChecked() else None,
            warning_days=self.warning_days.value(),
            ending_threshold=self.threshold.value(),
            message_template=self.template.toPlainText(),
            pay_before_use=self.pay_before_use.isChecked(),
        )

    def _refused(self, error: DomainError) -> None:
        where = getattr(error, "field", None) or ""
        field = self.fields.get(where)
        if field is not None:
            field.set_error(str(error))
        elif where == "validity_months":
            self.validity_error.setText(str(error))
            self.validity_error.setVisible(True)
        else:
            messages.show_domain_error(self, error)
