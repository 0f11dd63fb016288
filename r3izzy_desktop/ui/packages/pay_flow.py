"""Paying sessions from a package, as every screen does it (manual 3.1, 3.2, 3.3, 6, 6.1).

`pay_with_package` calls the core; when prices differ it asks through
`PriceAdjustmentDialog.ask` ("Cancelar" pays nothing, "Confirmar ajuste" pays at the
adjusted price); when the package has too few sessions it shows
`NotEnoughSessionsDialog.tell` (nothing is paid). Tests patch those two classmethods.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import packages
from ...core.errors import DomainError, NotEnoughSessions, PriceDifference, PriceMismatch
from ...core.ptbr import format_brl, format_weekday_date
from ..common import messages, toast
from ..common.fit import fit_to_screen
from ..common.operations import run_op
from ..common.widgets import label


class PriceAdjustmentDialog(QDialog):
    """Manual 6, "Ajuste de Valor da Sessão": the sessions whose price differs from what the
    package debits, each with its price and the amount it would be debited."""

    def __init__(self, differences: Sequence[PriceDifference], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Ajuste de valor da sessão"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 18)
        layout.setSpacing(12)
        layout.addWidget(
            label(
                self.tr("O valor da sessão é diferente do valor médio do pacote"),
                "sectionTitle",
                wrap=True,
            )
        )
        layout.addWidget(
            label(
                self.tr(
                    "Para pagar com o pacote, o valor destas sessões será ajustado para o valor "
                    "debitado do pacote:"
                ),
                "muted",
                wrap=True,
            )
        )
        table = QFrame()
        table.setObjectName("card")
        grid = QGridLayout(table)
        grid.setContentsMargins(14, 10, 14, 10)
        grid.setHorizontalSpacing(18)
        for column, title in enumerate(
            (self.tr("Sessão"), self.tr("Serviço"), self.tr("Valor atual"), self.tr("Novo valor"))
        ):
            header = label(title, "fieldLabel")
            if column >= 2:
                header.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(header, 0, column)
        for row, diff in enumerate(differences, start=1):
            grid.addWidget(
                QLabel(f"{format_weekday_date(diff.starts_at)} {diff.starts_at:%H:%M}"), row, 0
            )
            grid.addWidget(QLabel(diff.service_name), row, 1)
            old = QLabel(format_brl(diff.price))
            new = QLabel(format_brl(diff.debit_amount))
            new.setStyleSheet("font-weight: 600; color: #0b6466;")
            for column, widget in ((2, old), (3, new)):
                widget.setAlignment(Qt.AlignmentFlag.AlignRight)
                grid.addWidget(widget, row, column)
        layout.addWidget(table)
        layout.addWidget(
            label(
                self.tr(
                    "Cancelar: nada será pago. Confirmar ajuste: o valor da "
                    "sessão será atualizado e a sessão, paga."
                ),
                "muted",
                wrap=True,
            )
        )
        buttons = QDialogButtonBox()
        self.cancel_button = buttons.addButton(
            self.tr("Cancelar"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.confirm_button = buttons.addButton(
            self.tr("Confirmar ajuste"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.confirm_button.setProperty("primary", True)
        self.confirm_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self)  # within the screen (1024×600 too)

    @classmethod
    def ask(cls, parent: QWidget | None, differences: Sequence[PriceDifference]) -> bool:
        """True when the user confirms the adjustment (Enter), False on Cancelar (Esc)."""
        return cls(differences, parent).exec() == QDialog.DialogCode.Accepted


class NotEnoughSessionsDialog(QDialog):
    """Manual 6.1: more sessions selected than the package has; it must be adjusted first."""

    def __init__(self, error: NotEnoughSessions, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sessões insuficientes no pacote"))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 18)
        layout.setSpacing(12)
        layout.addWidget(label(self.tr("O pacote não suporta tantas sessões"), "sectionTitle"))
        figures = label(
            self.tr("Selecionadas: {0}   ·   Restantes no pacote: {1}").format(
                error.requested, error.available
            ),
            "fieldLabel",
        )
        layout.addWidget(figures)
        layout.addWidget(label(str(error), wrap=True))
        buttons = QDialogButtonBox()
        ok = QPushButton(self.tr("Entendi"))
        ok.setProperty("primary", True)
        ok.setDefault(True)
        buttons.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self)  # within the screen (1024×600 too)

    @classmethod
    def tell(cls, parent: QWidget | None, error: NotEnoughSessions) -> None:
        cls(error, parent).exec()


def pay_with_package(
    parent: QWidget | None,
    package_id: int,
    session_ids: Sequence[int],
    *,
    expected_version: int | None = None,
) -> bool:
    """Pay `session_ids` from the package, asking what the manual asks. True when paid.

    `expected_version` is the package version the screen showed; when another PC changed
    the package meanwhile, nothing is paid and the user is told (StaleData).
    """
    if expected_version is None:
        read = run_op(parent, lambda: packages.summary(package_id))
        if not read:
            return False
        expected_version = read.value.version
    ids = list(session_ids)

    def pay(adjust: bool):
        return packages.pay_sessions(
            package_id, ids, accept_price_adjustment=adjust, expected_version=expected_version
        )

    first = run_op(parent, lambda: pay(False), failed=lambda error: _explain(parent, error))
    if first:
        _tell_paid(parent, len(ids))
        return True
    mismatch = first.error
    if not isinstance(mismatch, PriceMismatch):
        return False
    if not PriceAdjustmentDialog.ask(parent, mismatch.differences):
        return False
    if run_op(parent, lambda: pay(True)):
        _tell_paid(parent, len(ids))
        return True
    return False


def _tell_paid(parent: QWidget | None, count: int) -> None:
    toast.notify(
        parent,
        "1 sessão paga com o pacote." if count == 1 else f"{count} sessões pagas com o pacote.",
    )


def _explain(parent: QWidget | None, error: DomainError) -> None:
    """Why a payment was refused: the price adjustment is asked by the caller, the
    missing sessions have their own dialog (manual 6.1), the rest a message."""
    if isinstance(error, PriceMismatch):
        return
    if isinstance(error, NotEnoughSessions):
        NotEnoughSessionsDialog.tell(parent, error)
    else:
        messages.show_domain_error(parent, error)
