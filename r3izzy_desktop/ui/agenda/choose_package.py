""" "Pagar com pacote" (manual 3.2, 3.3): the packages that can pay the sessions (R10,
extended: ativo with sessions left, covering their service, valid on their date, the
patient's own or shared with them; those with a validity first, earliest first, then the
oldest payment date; the first preselected), each with its number, sessions left ("3 de
5"), open amount and average price, "de <dono>" when shared, its validity and alert
badges (R22); "Pular" or "Pagar com este pacote". `ChoosePackageDialog.ask` returns the
package id, SKIP, or None (Esc)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core import clinic, packages
from ...core.clinic import PackageDefaults
from ...core.packages import PackageSummary
from ...core.ptbr import format_brl, format_date, format_weekday_date
from ...core.reports import receitas
from ..common.fit import fit_to_screen
from ..common.widgets import Card, StatusBadge, label
from ..packages.card import term_badges, terms_line

SKIP = "skip"


class ChosenPackage(int):
    """The chosen package's id, carrying the version of the figures the dialog showed, so
    paying fails (StaleData) instead of debiting figures another PC changed meanwhile."""

    version: int | None

    def __new__(cls, package_id: int, version: int | None = None) -> ChosenPackage:
        chosen = super().__new__(cls, package_id)
        chosen.version = version
        return chosen


def tr(text: str) -> str:
    return QCoreApplication.translate("choose_package", text)


def sessions_phrase(rows: Sequence, count: int) -> str:
    """ "a sessão de qui. 03/07 10:00 · Método Bobath" or "as 10 sessões (ter. 01/07 a …)"."""
    if count == 1 and rows:
        row = rows[0]
        return tr("a sessão de {0} {1} · {2}").format(
            format_weekday_date(row.starts_at), f"{row.starts_at:%H:%M}", row.service_name
        )
    if rows:
        first, last = rows[0].starts_at, rows[-1].starts_at
        return tr("as {0} sessões ({1} a {2})").format(
            count, format_weekday_date(first), format_weekday_date(last)
        )
    return tr("as {0} sessões").format(count)


def package_hint(figures: PackageSummary, count: int, partial: bool) -> str:
    """What happens when the package has fewer sessions left than `count`; "" otherwise."""
    left = figures.sessions_left
    if count <= left:
        return ""
    if partial:
        rest = count - left
        tail = (
            tr("a outra fica em aberto.")
            if rest == 1
            else tr("as outras {0} ficam em aberto.").format(rest)
        )
        return tr("Paga as {0} primeiras sessões; ").format(left) + tail
    remaining = tr("sessão restante") if left == 1 else tr("sessões restantes")
    return tr("Este pacote tem só {0} {1} para {2} selecionadas: ajuste o pacote antes.").format(
        left, remaining, count
    )


def offered_packages(patient_id: int, session_ids: Sequence[int], *, partial: bool = False):
    """The packages to offer for the sessions, in R10's order: those that can pay them all,
    or (`partial`, a repetition paid as far as the package goes) its first one."""
    if partial and session_ids:
        first = min(receitas.rows_by_id(session_ids), key=lambda r: (r.starts_at, r.id))
        return packages.offerable_packages(patient_id, session=first.id)
    return packages.offerable_for_sessions(patient_id, list(session_ids))


class PackageCard(Card):
    """One package to choose: a radio, its number and date, its figures."""

    def __init__(
        self,
        figures: PackageSummary,
        count: int,
        partial: bool,
        *,
        viewer_id: int | None = None,
        defaults: PackageDefaults | None = None,
    ):
        super().__init__(clickable=True)
        self.package_id = figures.id
        self.version = figures.version
        self.radio = QRadioButton(self.tr("No. {0}").format(figures.number))
        self.radio.setObjectName("packageRadio")
        self.radio.setAccessibleName(self.tr("Pacote No. {0}").format(figures.number))
        top = QHBoxLayout()
        top.addWidget(self.radio)
        top.addWidget(label(self.tr("pago em {0}").format(format_date(figures.paid_on)), "muted"))
        if viewer_id is not None and viewer_id != figures.patient_id:
            top.addWidget(label(self.tr("de {0}").format(figures.patient_name), "ownerTag"))
        top.addStretch(1)
        for status, text in term_badges(figures, defaults or PackageDefaults()):
            badge = StatusBadge()
            badge.set_status(status, text)
            top.addWidget(badge)
        top.addWidget(StatusBadge(figures.status))
        self.body.addLayout(top)
        grid = QGridLayout()
        grid.setHorizontalSpacing(22)
        grid.setContentsMargins(26, 0, 0, 0)
        for column, (title, value) in enumerate(
            (
                (
                    self.tr("Sessões (saldo)"),
                    self.tr("{0} de {1}").format(figures.sessions_left, figures.sessions_total),
                ),
                (self.tr("Em aberto"), format_brl(figures.open_amount)),
                (self.tr("Valor médio"), format_brl(figures.price_per_session)),
                (self.tr("Próximo débito"), format_brl(figures.next_debit)),
            )
        ):
            grid.addWidget(label(title, "fieldLabel"), 0, column)
            grid.addWidget(label(value, "valueText"), 1, column)
        grid.setColumnStretch(4, 1)
        self.body.addLayout(grid)
        self.terms = label(terms_line(figures, viewer_id), "termsLine", wrap=True)
        self.terms.setContentsMargins(26, 0, 0, 0)
        self.terms.setVisible(bool(self.terms.text()))
        self.body.addWidget(self.terms)
        self.hint = package_hint(figures, count, partial)
        if self.hint:
            hint = label(self.hint, "warning", wrap=True)
            hint.setContentsMargins(26, 0, 0, 0)
            self.body.addWidget(hint)
        self.clicked.connect(lambda: self.radio.setChecked(True))
        self.radio.toggled.connect(self.set_selected)


class ChoosePackageDialog(QDialog):
    """Choose the package that pays `session_ids`, or "Pular" (manual payment)."""

    def __init__(
        self,
        parent: QWidget | None,
        patient_id: int,
        session_ids: Sequence[int],
        *,
        partial: bool = False,
    ):
        super().__init__(parent)
        self.choice: int | str | None = None
        self.setWindowTitle(self.tr("Pagar com pacote"))
        self.setMinimumWidth(680)
        rows = receitas.rows_by_id(session_ids)
        count = len(session_ids)
        patient = clinic.get_patient(patient_id)
        offered = [p.id for p in offered_packages(patient_id, session_ids, partial=partial)]
        offered = [packages.summary(package_id) for package_id in offered]
        defaults = clinic.package_defaults()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)
        layout.addWidget(label(self.tr("Pagar com pacote"), "sectionTitle"))
        layout.addWidget(
            label(
                self.tr("{0} tem pacote ativo. Pagar {1} com um pacote?").format(
                    patient.name, sessions_phrase(rows, count)
                ),
                wrap=True,
            )
        )
        if partial and count > 1:
            layout.addWidget(
                label(
                    self.tr(
                        "O pacote paga as primeiras sessões, em ordem de data, até o saldo "
                        "dele; as demais ficam em aberto."
                    ),
                    "muted",
                    wrap=True,
                )
            )
        self.group = QButtonGroup(self)
        self.cards: list[PackageCard] = []
        holder = QWidget()
        holder.setObjectName("page")
        cards = QVBoxLayout(holder)
        cards.setContentsMargins(0, 0, 0, 0)
        cards.setSpacing(8)
        for figures in offered:
            card = PackageCard(figures, count, partial, viewer_id=patient_id, defaults=defaults)
            self.group.addButton(card.radio)
            self.cards.append(card)
            cards.addWidget(card)
        cards.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumHeight(min(3, max(1, len(offered))) * 128)
        layout.addWidget(scroll, 1)
        if self.cards:
            self.cards[0].radio.setChecked(True)
        layout.addWidget(
            label(
                self.tr(
                    "Pular: vai para o pagamento manual (one-click) e nada é debitado do pacote."
                ),
                "muted",
                wrap=True,
            )
        )
        buttons = QDialogButtonBox()
        self.skip_button = QPushButton(self.tr("Pular"))
        self.pay_button = QPushButton(self.tr("Pagar com este pacote"))
        self.pay_button.setProperty("primary", True)
        self.pay_button.setDefault(True)
        self.pay_button.setEnabled(bool(self.cards))
        buttons.addButton(self.skip_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.pay_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.skip_button.clicked.connect(self._skip)
        buttons.accepted.connect(self._pay)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self)  # its size, within the screen (1024×600 too)

    def selected_package(self) -> int | None:
        return next((card.package_id for card in self.cards if card.radio.isChecked()), None)

    def _pay(self) -> None:
        chosen = self.selected_package()
        if chosen is not None:
            card = next(card for card in self.cards if card.package_id == chosen)
            self.choice = ChosenPackage(chosen, card.version)
            self.accept()

    def _skip(self) -> None:
        self.choice = SKIP
        self.accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        patient_id: int,
        session_ids: Sequence[int],
        *,
        partial: bool = False,
    ) -> int | str | None:
        """The chosen package's id, SKIP ("Pular"), or None (Esc: nothing to do).

        `partial`: the caller pays only the first sessions the package can (a repetition);
        the dialog says so instead of warning about too few sessions."""
        dialog = cls(parent, patient_id, session_ids, partial=partial)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.choice
        return None
