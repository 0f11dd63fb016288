"""Encerrar pacote (R19): the preview first — what was bought, used and received — with the
two refund proposals side by side (proporcional / preço de tabela); then the amount to give
back (prefilled with the proportional one, editable), the method, the reason and the date;
"Encerrar pacote" asks once more (it cannot be undone) and closes through the core. The
figures, the proposals and what would be retained all come from the core
(`packages.closing_preview`, `ClosingPreview.split`).

Seam for tests: `ClosingDialog.ask(parent, package_id, expected_version=…) -> bool`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core import clock, packages
from ...core.errors import DomainError, ValidationError
from ...core.packages import ClosingPreview
from ...core.packages.closing import MAX_REASON
from ...core.ptbr import format_brl
from ...core.terms import MANUAL_METHODS, method_label
from ...core.text import plural
from ..common import messages
from ..common.date_edit import DateEdit
from ..common.fields import MoneyEdit
from ..common.operations import run_op
from ..common.widgets import Card, FormField, StatusBadge, label

DEFAULT_METHOD = "pix"
MAX_HEIGHT = 560  # at least this tall: fits a 1024×600 screen with the title bar


class ProposalCard(Card):
    """One refund proposal: its name, the amount, how it is worked out, "Usar este valor"."""

    def __init__(self, title: str, amount: Decimal, how: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.amount = amount
        self.setProperty("proposal", True)
        self.body.setSpacing(6)
        self.body.addWidget(label(title, "figureTitle"))
        self.figure = label(format_brl(amount), "figure")
        self.body.addWidget(self.figure)
        self.body.addWidget(label(how, "muted", wrap=True))
        self.use_button = QPushButton(self.tr("Usar este valor"))
        self.use_button.setCheckable(True)
        self.use_button.setProperty("chip", True)
        self.use_button.setAutoDefault(False)
        # Room for the bold text a checked chip shows.
        self.use_button.setMinimumWidth(self.use_button.sizeHint().width() + 24)
        self.body.addWidget(self.use_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addStretch(1)  # side by side with a taller card: its text stays on top

    def limit_to(self, refundable: Decimal) -> None:
        """R19 gives back at most what was received beyond what was used: a proposal above
        it cannot be chosen, and says so."""
        if self.amount <= refundable:
            return
        self.use_button.setEnabled(False)
        self.body.insertWidget(
            self.body.indexOf(self.use_button),
            label(
                self.tr("Acima do que pode ser devolvido (no máximo {0}).").format(
                    format_brl(refundable)
                ),
                "fieldError",
                wrap=True,
            ),
        )


class ClosingDialog(QDialog):
    """`closed` is True once the package was closed."""

    def __init__(
        self,
        package_id: int,
        parent: QWidget | None = None,
        *,
        expected_version: int | None = None,
    ):
        super().__init__(parent)
        self.package_id = package_id
        self.expected_version = expected_version
        self.closed = False
        self.preview: ClosingPreview = packages.closing_preview(package_id)
        summary = packages.summary(package_id)
        p = self.preview
        self.setWindowTitle(self.tr("Encerrar pacote"))
        self.setMinimumWidth(600)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 18, 24, 16)
        outer.setSpacing(10)

        heading = QHBoxLayout()
        heading.addWidget(
            label(self.tr("Encerrar pacote No. {0}").format(p.number), "sectionTitle")
        )
        heading.addWidget(StatusBadge(p.status))
        heading.addStretch(1)
        outer.addLayout(heading)
        body = QWidget()
        body.setObjectName("page")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.setSpacing(10)
        layout.addWidget(
            label(
                self.tr(
                    "{0}. As sessões restantes deixam de valer e o pacote não poderá mais ser "
                    "usado nem alterado (só as observações)."
                ).format(summary.patient_name),
                "muted",
                wrap=True,
            )
        )

        figures = Card()
        grid = QGridLayout()
        grid.setHorizontalSpacing(28)
        grid.setVerticalSpacing(2)
        shown = [
            (
                self.tr("Comprado"),
                self.tr("{0} · {1}").format(
                    plural(p.sessions_total, "sessão", "sessões"), format_brl(p.total)
                ),
            ),
            (
                self.tr("Usado"),
                self.tr("{0} · {1}").format(
                    plural(p.sessions_used, "sessão", "sessões"), format_brl(p.debited)
                ),
            ),
            (self.tr("Recebido"), format_brl(p.received)),
            (self.tr("Em aberto"), format_brl(p.open_amount)),
        ]
        self.figure_labels = {}
        for column, (title, value) in enumerate(shown):
            grid.addWidget(label(title, "figureTitle"), 0, column)
            self.figure_labels[title] = label(value, "figure")
            grid.addWidget(self.figure_labels[title], 1, column)
        figures.body.addLayout(grid)
        if p.owed > 0:
            figures.body.addWidget(
                label(
                    self.tr(
                        "Ainda não recebido: {0} (as parcelas em aberto são canceladas)."
                    ).format(format_brl(p.owed)),
                    "muted",
                    wrap=True,
                )
            )
        layout.addWidget(figures)

        layout.addWidget(label(self.tr("Quanto devolver?"), "fieldLabel"))
        proposals = QHBoxLayout()
        proposals.setSpacing(12)
        self.pro_rata = ProposalCard(
            self.tr("Proporcional"),
            p.pro_rata_refund,
            self.tr("O recebido menos o que as sessões usadas debitaram do pacote."),
        )
        self.list_price = ProposalCard(
            self.tr("Preço de tabela"),
            p.list_price_refund,
            self.tr("O recebido menos as sessões usadas a preço de tabela ({0}).").format(
                format_brl(p.list_price_used)
            ),
        )
        # Each "Usar este valor" is checked while the amount typed is its own.
        for card in (self.pro_rata, self.list_price):
            card.limit_to(p.refundable)
            proposals.addWidget(card, 1)
            card.use_button.clicked.connect(lambda _=False, c=card: self._use(c.amount))
        layout.addLayout(proposals)

        fields = QGridLayout()
        fields.setHorizontalSpacing(14)
        fields.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.refund = MoneyEdit()
        self.refund.setAccessibleName(self.tr("Valor a devolver"))
        self.refund_field = FormField(
            self.tr("Valor a devolver"),
            self.refund,
            hint=self.tr("De R$ 0,00 a {0}.").format(format_brl(p.refundable)),
        )
        self.date_edit = DateEdit(clock.today())
        self.date_field = FormField(self.tr("Data da devolução"), self.date_edit)
        fields.addWidget(self.refund_field, 0, 0, Qt.AlignmentFlag.AlignTop)
        fields.addWidget(self.date_field, 0, 1, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(fields)
        self.retained = label("", "muted", wrap=True)
        layout.addWidget(self.retained)

        self.method_title = label(self.tr("Forma de devolução"), "fieldLabel")
        layout.addWidget(self.method_title)
        self.method_group = QButtonGroup(self)
        self.method_buttons: dict[str, QPushButton] = {}
        chips = QGridLayout()
        chips.setSpacing(8)
        for index, method in enumerate(MANUAL_METHODS):
            button = QPushButton(method_label(method))
            button.setCheckable(True)
            button.setProperty("chip", True)
            button.setAutoDefault(False)
            self.method_group.addButton(button)
            self.method_buttons[method] = button
            chips.addWidget(button, 0, index)
        self.method_buttons[DEFAULT_METHOD].setChecked(True)
        layout.addLayout(chips)
        self.method_error = label("", "fieldError", wrap=True)
        self.method_error.setVisible(False)
        layout.addWidget(self.method_error)

        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Ex.: mudança de cidade"))
        self.reason.setMaxLength(MAX_REASON)
        self.reason_field = FormField(self.tr("Motivo"), self.reason)
        layout.addWidget(self.reason_field)
        layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("Cancelar"), QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button = QPushButton(self.tr("Encerrar pacote"))
        self.close_button.setProperty("primary", True)
        self.close_button.setDefault(True)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

        self.refund.valueChanged.connect(self._refund_changed)
        self._use(p.pro_rata_refund)
        self.refund.setFocus()
        body.adjustSize()
        # The whole form when the screen has room; on a 1024×600 one only the middle scrolls.
        scroll.setMinimumWidth(
            body.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
        )
        wanted = body.sizeHint().height() + 130
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry().height() - 40 if screen is not None else MAX_HEIGHT
        self.resize(
            max(self.minimumWidth(), body.sizeHint().width() + 60),
            min(wanted, max(room, MAX_HEIGHT)),
        )

    # -- what is typed ------------------------------------------------------------------------
    def _use(self, amount: Decimal) -> None:
        self.refund.setText(format_brl(amount).replace("R$", "").strip())

    def refund_value(self) -> Decimal | None:
        return self.refund.value() if self.refund.text().strip() else None

    def _refund_changed(self, _value=None) -> None:
        value = self.refund_value()
        for card in (self.pro_rata, self.list_price):
            card.use_button.setChecked(value is not None and value == card.amount)
        error = self.refund.error() if self.refund.text().strip() else None
        if value is not None and value > self.preview.refundable:
            error = self.tr("No máximo {0}.").format(format_brl(self.preview.refundable))
        self.refund_field.set_error(error)
        if value is None or error:
            self.retained.setText("")
        else:
            split = self.preview.split(value)
            self.retained.setText(
                self.tr("A clínica retém {0}.").format(format_brl(split.retained))
                + (
                    self.tr(" Cancelado (não recebido): {0}.").format(format_brl(split.cancelled))
                    if split.cancelled > 0
                    else ""
                )
            )
        refunding = value is not None and value > 0
        for button in self.method_buttons.values():
            button.setEnabled(refunding)
        self.method_title.setEnabled(refunding)

    def method(self) -> str | None:
        value = self.refund_value()
        if value is None or value == 0:
            return None
        return next((k for k, b in self.method_buttons.items() if b.isChecked()), None)

    def closed_on(self) -> date | None:
        return self.date_edit.value()

    # -- closing ------------------------------------------------------------------------------
    def accept(self) -> None:
        value = self.refund_value()
        if value is None:
            typed = self.refund.text().strip()
            self.refund_field.set_error(
                (self.refund.error() if typed else None)
                or self.tr("Informe o valor a devolver (pode ser R$ 0,00).")
            )
            self.refund.setFocus()
            return
        if not self.date_edit.commit():
            self.date_field.set_error(self.date_edit.error() or "")
            self.date_edit.setFocus()
            return
        how = self.method()
        given = format_brl(value) + (f" ({method_label(how)})" if how else "")
        if not messages.confirm(
            self,
            self.tr("Encerrar pacote"),
            self.tr(
                "Encerrar o pacote No. {0} devolvendo {1}? As sessões restantes deixam de "
                "valer. Não é possível desfazer."
            ).format(self.preview.number, given),
            confirm_text=self.tr("Encerrar pacote"),
            destructive=True,
        ):
            return
        done = run_op(
            self,
            lambda: packages.close_package(
                self.package_id,
                refund=value,
                method=how,
                reason=self.reason.text(),
                closed_on=self.closed_on(),
                expected_version=self.expected_version,
            ),
            failed=self._refused,
        )
        if done:
            self.closed = True
            super().accept()

    def _refused(self, error: DomainError) -> None:
        """A refusal about a field is said under it; any other in a message."""
        where = {
            "refund": self.refund_field,
            "closed_on": self.date_field,
            "reason": self.reason_field,
        }.get(getattr(error, "field", None) if isinstance(error, ValidationError) else None)
        if where is not None:
            where.set_error(error.message)
        elif isinstance(error, ValidationError) and error.field == "method":
            self.method_error.setText(error.message)
            self.method_error.setVisible(True)
        else:
            messages.show_domain_error(self, error, self.tr("Encerrar pacote"))

    @classmethod
    def ask(
        cls, parent: QWidget | None, package_id: int, *, expected_version: int | None = None
    ) -> bool:
        """Show the preview and close the package if the user confirms; True once closed."""
        dialog = cls(package_id, parent, expected_version=expected_version)
        dialog.exec()
        return dialog.closed
