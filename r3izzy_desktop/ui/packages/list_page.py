"""A patient's package list (manual 1 and 2): one card per package, a status filter, the
page's Exportar, and the round floating + (Ctrl+N) that creates a package.

A patient has tens of packages at most, so a scroll area of cards is enough; the cards
are rebuilt from `packages.list_packages` after every change.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core import clinic, packages, users
from ...core.ptbr import format_brl
from ..common import toast
from ..common.operations import run_op
from ..common.widgets import Card, FloatingButton, PageHeader, label
from .card import PackageCard
from .closing import ClosingDialog
from .form import PackageFormDialog
from .history import HistoryDialog
from .installments_dialog import InstallmentsDialog
from .paid_sessions import PaidSessionsDialog
from .pay_sessions import PaySessionsDialog

FIRST_BATCH = 6  # cards built before the page shows (a screenful holds about five)
LATER_BATCH = 8
LATER_DELAY_MS = 15  # between two later batches: the first screenful paints first, and
# clicks and scrolling get through while a patient's 40 packages are being built

EDIT, CLOSE = "packages.edit_package", "packages.close_package"  # what a card may offer

STATUS_FILTERS = (
    ("Todos", None),
    ("ativo", "ativo"),
    ("inativo", "inativo"),
    ("finalizado", "finalizado"),
    ("encerrado", "encerrado"),
)


class PackageListPage(QWidget):
    """The packages of one patient (`show_patient`)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("page")
        self.patient_id: int | None = None
        self.patient_name: str | None = None  # as last read (the breadcrumb shows it)
        self._can_edit = False  # asked once per reload, not once per card
        self._can_close = False
        self.cards: list[PackageCard] = []
        self._pending: list = []  # summaries whose cards are still to be built
        self._generation = 0
        self._defaults = clinic.PackageDefaults()  # the clinic's warning days, read on reload

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 12, 32, 0)
        layout.setSpacing(14)
        self.header = PageHeader(self.tr("Pacotes"))
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName(self.tr("Filtrar por status"))
        for text, value in STATUS_FILTERS:
            self.status_filter.addItem(self.tr(text), value)
        self.status_filter.setMinimumWidth(150)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.header.actions.addWidget(label(self.tr("Status:"), "muted"))
        self.header.actions.addWidget(self.status_filter)
        self.export_button = QPushButton(self.tr("Exportar"))
        self.export_button.setToolTip(self.tr("Exportar os pacotes deste paciente para Excel"))
        self.export_button.clicked.connect(self.export)
        self.export_button.setVisible(users.can("export.patient_packages_xlsx"))
        self.header.actions.addWidget(self.export_button)
        layout.addWidget(self.header)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.container = QWidget()
        self.container.setObjectName("page")
        self.cards_layout = QVBoxLayout(self.container)
        # Room at the bottom so the floating + never hides the last card's buttons.
        self.cards_layout.setContentsMargins(
            0, 0, 0, FloatingButton.SIZE + 2 * FloatingButton.MARGIN
        )
        self.cards_layout.setSpacing(14)
        self.cards_layout.addStretch(1)
        self.scroll.setWidget(self.container)
        layout.addWidget(self.scroll, 1)

        self.empty = Card()
        self.empty_title = label("", "sectionTitle")
        self.empty_text = label("", "muted", wrap=True)
        self.empty.body.addWidget(self.empty_title)
        self.empty.body.addWidget(self.empty_text)
        self.empty.setVisible(False)
        self.cards_layout.insertWidget(0, self.empty)

        self.add_button = FloatingButton(self, self.tr("Novo pacote (Ctrl+N)"))
        self.add_button.clicked.connect(self.new_package)
        # Only while this page is visible (a hidden widget's shortcut does not fire).
        self.new_shortcut = QShortcut(QKeySequence.StandardKey.New, self)
        self.new_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.new_shortcut.activated.connect(self.new_package)

    # -- showing ------------------------------------------------------------------------------
    def show_patient(self, patient_id: int) -> None:
        if patient_id != self.patient_id:
            self.status_filter.blockSignals(True)
            self.status_filter.setCurrentIndex(0)
            self.status_filter.blockSignals(False)
        self.patient_id = patient_id
        self.reload()

    def refresh(self) -> None:
        self.reload()

    def status(self) -> str | None:
        return self.status_filter.currentData()

    def reload(self) -> None:
        """Rebuild the cards from the database (after any change, here or elsewhere)."""
        if self.patient_id is None:
            return
        patient = clinic.get_patient(self.patient_id)
        self.patient_name = patient.name
        # What the cards may offer: one question for all of them (no read with a login).
        allowed = users.can_each(EDIT, CLOSE)
        self._can_edit, self._can_close = allowed[EDIT], allowed[CLOSE]
        # The patient's own packages and those shared with them (R17), each card marked.
        rows = packages.list_packages(self.patient_id, status=self.status())
        self._defaults = clinic.package_defaults()
        self.header.title.setText(self.tr("Pacotes de {0}").format(patient.name))
        self.header.set_subtitle(
            self.tr("Nenhum pacote")
            if not rows
            else self.tr("1 pacote")
            if len(rows) == 1
            else self.tr("{0} pacotes").format(len(rows))
        )
        self.container.setUpdatesEnabled(False)
        for card in self.cards:
            self.cards_layout.removeWidget(card)
            card.hide()
            card.deleteLater()
        self.cards = []
        self._pending = list(rows)
        self._generation += 1
        self._add_cards(FIRST_BATCH)
        if self._pending:
            # The first screenful shows at once; the rest follows on the next event loop turns.
            generation = self._generation
            QTimer.singleShot(LATER_DELAY_MS, lambda: self._add_remaining(generation))
        self.empty.setVisible(not rows)
        if not rows:
            if self.status() is None:
                self.empty_title.setText(self.tr("Nenhum pacote ainda"))
                self.empty_text.setText(
                    self.tr(
                        "Clique no botão + no canto inferior direito (ou Ctrl+N) para criar o "
                        "primeiro pacote deste paciente."
                    )
                )
            else:
                self.empty_title.setText(self.tr("Nenhum pacote {0}").format(self.status()))
                self.empty_text.setText(self.tr("Escolha “Todos” no filtro de status."))
        self.container.setUpdatesEnabled(True)
        self.add_button.raise_()

    def _add_cards(self, count: int) -> None:
        batch, self._pending = self._pending[:count], self._pending[count:]
        for summary in batch:
            card = PackageCard(
                summary,
                viewer_id=self.patient_id,
                defaults=self._defaults,
                can_edit=self._can_edit,
                can_close=self._can_close,
            )
            card.edit_requested.connect(self.edit_package)
            card.history_requested.connect(self.show_history)
            card.pay_requested.connect(self.pay_sessions)
            card.paid_sessions_requested.connect(self.show_paid_sessions)
            card.receipt_requested.connect(self.receipt)
            card.installments_requested.connect(self.show_installments)
            card.close_requested.connect(self.close_package)
            card.statement_requested.connect(self.closing_statement)
            self.cards_layout.insertWidget(len(self.cards) + 1, card)
            self.cards.append(card)

    def _add_remaining(self, generation: int) -> None:
        if generation != self._generation:
            return  # a newer reload replaced these rows
        self._add_cards(LATER_BATCH)
        if self._pending:
            QTimer.singleShot(LATER_DELAY_MS, lambda: self._add_remaining(generation))
        self.add_button.raise_()

    def fully_loaded(self) -> bool:
        return not self._pending

    def card_for(self, package_id: int) -> PackageCard | None:
        return next((c for c in self.cards if c.summary.id == package_id), None)

    def _version(self, package_id: int) -> int | None:
        card = self.card_for(package_id)
        return card.summary.version if card is not None else None

    # -- actions ------------------------------------------------------------------------------
    def new_package(self) -> None:
        if self.patient_id is None or not self.isVisible():
            return
        created = self._open(lambda: PackageFormDialog.ask(self, self.patient_id))
        if created is not None:
            if self.status() not in (None, "ativo"):
                self.status_filter.setCurrentIndex(0)  # reloads
            else:
                self.reload()

    def edit_package(self, package_id: int) -> None:
        self._open(lambda: PackageFormDialog.ask(self, self.patient_id, package_id))
        # Reload either way: a refused (stale) edit means the figures moved elsewhere.
        self.reload()

    def show_history(self, package_id: int) -> None:
        self._open(lambda: HistoryDialog.tell(self, package_id))

    def pay_sessions(self, package_id: int) -> None:
        version = self._version(package_id)
        self._open(lambda: PaySessionsDialog.ask(self, package_id, expected_version=version))
        self.reload()

    def show_paid_sessions(self, package_id: int) -> None:
        self._open(lambda: PaidSessionsDialog.ask(self, package_id))
        self.reload()

    def show_installments(self, package_id: int) -> None:
        """R18: receive or void an installment; the list shows the new figures."""
        if self._open(lambda: InstallmentsDialog.ask(self, package_id)):
            self.reload()

    def _open(self, show):
        """Run a dialog; a package gone meanwhile (another PC) is explained, not a crash."""
        return run_op(self, show).value

    def export(self) -> None:
        """All this patient's packages to Excel (the reports module writes the file)."""
        if self.patient_id is None:
            return
        from ..common.exports import export_patient_packages  # openpyxl loads at first use

        patient_id = self.patient_id
        run_op(self, lambda: export_patient_packages(self, patient_id))

    def receipt(self, package_id: int) -> None:
        """The package's receipt (R21: its numbered receipts, of its creation and of each
        installment received; a choice when it has several). A package that has received
        nothing yet shows its summary receipt (the reports module builds it)."""
        from ...core import receipts
        from ..receipts import dialog as receipt_dialog

        read = run_op(self, lambda: receipts.for_package(package_id))
        if read and any(not r.cancelled for r in read.value):
            receipt_dialog.open_package_receipt(self, package_id)
            return
        from .receipt import open_receipt  # loads at first use (it brings openpyxl)

        run_op(self, lambda: open_receipt(self, package_id))

    def close_package(self, package_id: int) -> None:
        """Encerrar pacote (R19): the preview and the closing in the dialog; then the
        statement to print or save."""
        version = self._version(package_id)
        closed = self._open(lambda: ClosingDialog.ask(self, package_id, expected_version=version))
        self.reload()
        if closed:
            summary = packages.summary(package_id)
            toast.notify(
                self,
                self.tr("Pacote No. {0} encerrado: devolvido {1}.").format(
                    summary.number, format_brl(summary.refunded)
                ),
            )
            self.closing_statement(package_id)

    def closing_statement(self, package_id: int) -> None:
        """The closing statement (Termo de encerramento) of an encerrado package."""
        from .closing_statement import open_statement  # loads at first use (openpyxl)

        open_statement(self, package_id)
