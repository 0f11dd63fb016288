"""How a new package is paid (R18): "Forma de pagamento", "Parcelas" (1: à vista, received
on the payment date; more: the plan the core proposes with `split_installments`, each due
date and amount editable, the sum kept equal to the total) and "Usar só o que já foi pago".

Every figure is the core's: the proposal (`split_installments`), the amounts after one is
typed (`rebalance_installments`: the ones after it share what is left) and the refusal of
a plan that does not add up (`plan_problem`). Nothing here adds money.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from ...core import clinic, packages
from ...core.errors import ValidationError
from ...core.ptbr import format_brl, format_money
from ...core.terms import MANUAL_METHODS, method_label
from ..common.date_edit import DateEdit
from ..common.fields import MoneyEdit, WholeNumberEdit
from ..common.widgets import label


class PaymentPlanField(QWidget):
    """The payment method, the installments and pay-before-use of a new package.

    `set_total` / `set_first_due` follow the form's "Total pago" and payment date (the plan
    is proposed again); `plan()` is None for à vista, else [(due_on, amount), …];
    `problem()` says why the plan would be refused (None when it adds up)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._total: Decimal | None = None
        self._first_due = date.today()
        self.rows: list[tuple[DateEdit, MoneyEdit]] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        top = QHBoxLayout()
        top.setSpacing(16)
        method_box = QVBoxLayout()
        method_box.setSpacing(4)
        method_box.addWidget(label(self.tr("Forma de pagamento"), "fieldLabel"))
        self.method = QComboBox()
        self.method.setAccessibleName(self.tr("Forma de pagamento"))
        for key in MANUAL_METHODS:
            self.method.addItem(method_label(key), key)
        self.set_method("pix")  # the core's default
        method_box.addWidget(self.method)
        top.addLayout(method_box, 1)
        count_box = QVBoxLayout()
        count_box.setSpacing(4)
        count_box.addWidget(label(self.tr("Parcelas"), "fieldLabel"))
        self.count = WholeNumberEdit(
            self.tr("Número de parcelas"), low=1, high=packages.MAX_INSTALLMENTS
        )
        self.count.setText("1")
        self.count.setAccessibleName(self.tr("Número de parcelas"))
        self.count.setToolTip(
            self.tr("1 = à vista. Mais de uma: o pacote é pago em parcelas mensais.")
        )
        count_box.addWidget(self.count)
        top.addLayout(count_box, 1)
        layout.addLayout(top)

        self.mode = label("", "muted", wrap=True)
        layout.addWidget(self.mode)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 1)
        layout.addWidget(self.grid_host)
        self.sum_label = label("", "muted")
        self.sum_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.sum_label)
        self.error_label = label("", "fieldError", wrap=True)
        self.error_label.setVisible(False)
        layout.addWidget(self.error_label)

        self.before_use = QCheckBox(self.tr("Usar só o que já foi pago"))
        self.before_use.setToolTip(
            self.tr(
                "Marcado: o pacote só paga sessões até o valor já recebido; as parcelas "
                "precisam ser recebidas antes de usar o restante."
            )
        )
        self.before_use.setChecked(clinic.package_defaults().pay_before_use)
        layout.addWidget(self.before_use)

        self.count.textChanged.connect(lambda _t: self.propose())
        self.propose()

    # -- what the form tells it ------------------------------------------------------------
    def set_total(self, total: Decimal | None) -> None:
        if total != self._total:
            self._total = total
            self.propose()

    def set_first_due(self, day: date) -> None:
        if day != self._first_due:
            self._first_due = day
            self.propose()

    def set_method(self, key: str) -> None:
        index = self.method.findData(key)
        if index >= 0:
            self.method.setCurrentIndex(index)

    def set_count(self, count: int) -> None:
        self.count.setText(str(count))

    # -- the plan --------------------------------------------------------------------------
    def installments_count(self) -> int | None:
        return self.count.value()

    def propose(self) -> None:
        """The core's plan for the total and the count typed (à vista for 1)."""
        count = self.count.value()
        self._clear_rows()
        self._set_error(None)
        if count is None:
            self.mode.setText("")
            self._set_error(self.count.error() if self.count.text().strip() else None)
        elif count == 1:
            self.mode.setText(self.tr("À vista: o total é recebido na data de pagamento."))
        elif self._total is None or self._total <= 0:
            self.mode.setText(self.tr("Informe o total pago para ver as parcelas."))
        else:
            try:
                proposal = packages.split_installments(self._total, count, self._first_due)
            except ValidationError as exc:
                self.mode.setText("")
                self._set_error(str(exc))
            else:
                self.mode.setText(
                    self.tr(
                        "Em {0} parcelas mensais, a receber nas datas abaixo. Datas e valores "
                        "podem ser alterados; a soma precisa ser igual ao total."
                    ).format(count)
                )
                self._fill_rows(proposal)
        self._update_sum()
        self.changed.emit()

    def _clear_rows(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.rows = []

    def _fill_rows(self, proposal: list[tuple[date, Decimal]]) -> None:
        for column, title in enumerate(
            (self.tr("Parcela"), self.tr("Vencimento"), self.tr("Valor"))
        ):
            self.grid.addWidget(label(title, "fieldLabel"), 0, column)
        for n, (due, amount) in enumerate(proposal, start=1):
            self.grid.addWidget(label(f"{n}/{len(proposal)}"), n, 0)
            due_edit = DateEdit(due)
            due_edit.setAccessibleName(self.tr("Vencimento da parcela {0}").format(n))
            amount_edit = MoneyEdit()
            amount_edit.setText(format_money(amount))
            amount_edit.setAccessibleName(self.tr("Valor da parcela {0}").format(n))
            index = n - 1
            amount_edit.editingFinished.connect(lambda i=index: self._amount_typed(i))
            amount_edit.textEdited.connect(lambda _t: self._update_sum())
            due_edit.dateChanged.connect(lambda _d: self._update_sum())
            self.grid.addWidget(due_edit, n, 1)
            self.grid.addWidget(amount_edit, n, 2)
            self.rows.append((due_edit, amount_edit))

    def _amount_typed(self, index: int) -> None:
        """The ones after the installment typed share what is left (the core's split)."""
        amounts = [edit.value() for _, edit in self.rows]
        if self._total is None or any(a is None for a in amounts):
            self._update_sum()
            return
        balanced = packages.rebalance_installments(self._total, amounts, index)
        for (_, edit), amount in zip(self.rows, balanced, strict=True):
            text = format_money(amount)
            if edit.text() != text:
                edit.setText(text)
        self._update_sum()

    def plan(self) -> list[tuple[date | str, Decimal | str]] | None:
        """None for à vista; else each row as typed (the core checks and refuses)."""
        if self.count.value() in (None, 1):
            return None
        return [
            (due.value() or due.text(), amount.value() or amount.text())
            for due, amount in self.rows
        ]

    def problem(self) -> str | None:
        """Why the plan cannot be saved as it is (None when it can)."""
        if self.count.value() is None:
            return self.count.error() or self.tr("Informe o número de parcelas.")
        plan = self.plan()
        if plan is None:
            return None
        if not self.rows:
            return self.mode.text() or self.error_label.text() or None
        for n, (due, amount) in enumerate(self.rows, start=1):
            if due.error():
                return self.tr("Vencimento da parcela {0}: {1}").format(n, due.error())
            if amount.error():
                return self.tr("Valor da parcela {0}: {1}").format(n, amount.error())
        return packages.plan_problem(plan, self._total if self._total is not None else "")

    def method_value(self) -> str:
        return self.method.currentData()

    def _update_sum(self) -> None:
        plan = self.plan()
        if not plan or not self.rows:
            self.sum_label.setText("")
            self._set_error(self.error_label.text() if not self.rows else None)
            return
        problem = self.problem()
        self.sum_label.setText(
            self.tr("Soma igual ao total: {0}").format(format_brl(self._total))
            if problem is None
            else ""
        )
        self._set_error(problem)

    def show_error(self, message: str | None) -> None:
        """Say (or clear) what is wrong with the plan, under it."""
        self._set_error(message)

    def _set_error(self, message: str | None) -> None:
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))
