"""Screenshots of a patient's packages: the list (also a sibling's, with the family's shared
package and a vencido one), the form (new, and editing a shared package's terms), the
transfer, the history, paying existing sessions (with its price-adjustment and
not-enough-sessions dialogs) and the paid sessions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ...core import clock, packages
from ...core.errors import NotEnoughSessions, PriceDifference
from ..common.shots import ShotContext, shot
from ..patients.shots import showcase_patient
from .form import PackageFormDialog
from .history import HistoryDialog
from .paid_sessions import PaidSessionsDialog
from .pay_flow import NotEnoughSessionsDialog, PriceAdjustmentDialog
from .pay_sessions import PaySessionsDialog
from .transfer import TransferDialog


def _all_packages() -> list[packages.PackageSummary]:
    from ...core import clinic

    return [row for p in clinic.find_patients("") for row in packages.list_packages(p)]


def _active_with_open_sessions() -> packages.PackageSummary:
    """An ativo package whose patient has open sessions this month (the most of them)."""
    today = clock.today()
    start = today.replace(day=1)
    candidates = [row for row in _all_packages() if row.status == "ativo" and row.sessions_left]
    return max(
        candidates,
        key=lambda row: (len(packages.open_sessions_for(row.id, start, None)), row.id),
    )


@shot("package_list.png")
def package_list(ctx: ShotContext) -> QWidget:
    area = ctx.show_page("patients")
    area.open_packages(showcase_patient())
    return ctx.window


def _shared_package() -> tuple[int, packages.PackageSummary]:
    """(a patient, a package of another owner shared with them): the demo's siblings."""
    for row in _all_packages():
        if row.shared_with_ids:
            return row.shared_with_ids[0], row
    raise RuntimeError("the demo has no shared package for this shot")


@shot("package_list_shared.png")
def package_list_shared(ctx: ShotContext) -> QWidget:
    area = ctx.show_page("patients")
    sibling, _package = _shared_package()
    area.open_packages(sibling)
    return ctx.window


@shot("package_form.png")
def package_form(ctx: ShotContext) -> QWidget:
    dialog = PackageFormDialog(showcase_patient(), parent=ctx.window)
    dialog.sessions.setText("5")
    dialog.total.setText("1.000,00")
    dialog.notes.setPlainText("Pagamento via Pix")
    return ctx.dialog(dialog)


@shot("package_form_terms.png")
def package_form_terms(ctx: ShotContext) -> QWidget:
    """Editing the family's package: a validity, one service ticked, shared with the
    sibling (scrolled to its groups)."""
    _sibling, package = _shared_package()
    dialog = PackageFormDialog(package.patient_id, package.id, ctx.window)
    dialog.validity.no_limit.setChecked(False)
    dialog.validity.date.setDate(dialog.validity.date.date().addMonths(3))
    dialog.services.some.setChecked(True)
    dialog.services.items()[0].setCheckState(Qt.CheckState.Checked)
    shown = ctx.dialog(dialog)
    dialog.scroll.ensureWidgetVisible(dialog.fields["shared_with"])
    ctx.settle()
    return shown


@shot("package_transfer.png")
def package_transfer(ctx: ShotContext) -> QWidget:
    _sibling, package = _shared_package()
    dialog = TransferDialog(package.number, package.patient_id, ctx.window)
    dialog.patients.search.setText(package.patient_name.split()[-1])
    if dialog.patients.items():
        dialog.patients.list.setCurrentRow(0)
    return ctx.dialog(dialog)


@shot("package_history.png")
def package_history(ctx: ShotContext) -> QWidget:
    def richness(row: packages.PackageSummary) -> tuple[int, int, int]:
        lines = packages.history(row.id)
        return len({line.kind for line in lines}), len(lines), row.id

    busiest = max(_all_packages(), key=richness)
    return ctx.dialog(HistoryDialog(busiest.id, ctx.window))


@shot("pay_sessions.png")
def pay_sessions(ctx: ShotContext) -> QWidget:
    dialog = PaySessionsDialog(_active_with_open_sessions().id, ctx.window)
    for item in dialog.items()[:2]:
        item.setCheckState(Qt.CheckState.Checked)
    return ctx.dialog(dialog)


@shot("price_adjustment.png")
def price_adjustment(ctx: ShotContext) -> QWidget:
    summary = _active_with_open_sessions()
    sessions = packages.open_sessions_for(summary.id)[: min(2, summary.sessions_left)]
    differences = [
        PriceDifference(s.id, s.starts_at, s.service.name, s.price, amount)
        for s, amount in packages.debit_preview(summary.id, sessions)
    ]
    return ctx.dialog(PriceAdjustmentDialog(differences, ctx.window))


@shot("not_enough_sessions.png")
def not_enough_sessions(ctx: ShotContext) -> QWidget:
    active = [row for row in _all_packages() if row.status == "ativo" and row.sessions_left]
    summary = max(
        active,
        key=lambda row: (len(packages.open_sessions_for(row.id)) - row.sessions_left, row.id),
    )
    wanted = [s.id for s in packages.open_sessions_for(summary.id)][: summary.sessions_left + 1]
    if len(wanted) <= summary.sessions_left:
        raise RuntimeError("the demo has too few open sessions for this shot")
    try:
        # The core checks the count before writing anything: this raises and pays nothing.
        packages.pay_sessions(summary.id, wanted)
    except NotEnoughSessions as error:
        return ctx.dialog(NotEnoughSessionsDialog(error, ctx.window))
    raise RuntimeError("the core paid more sessions than the package holds")


@shot("paid_sessions.png")
def paid_sessions(ctx: ShotContext) -> QWidget:
    busiest = max(_all_packages(), key=lambda row: (row.sessions_used, row.id))
    return ctx.dialog(PaidSessionsDialog(busiest.id, ctx.window))
