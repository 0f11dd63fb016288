"""Screenshots of the agenda and Receitas over the demo clinic: the month and week views,
the session form, "Pagar com pacote", the one-click payment, a session's detail and the
Receitas page (registered in `ui.screenshots`)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from PySide6.QtWidgets import QWidget

from ...core import agenda, clinic, clock, packages
from ...core.agenda import SessionRow
from ..common.shots import ShotContext, shot
from .calendar import MONTH, WEEK
from .choose_package import ChoosePackageDialog
from .manual_payment import ManualPaymentDialog
from .session_detail import SessionDetailDialog
from .session_form import SessionFormDialog


def _rows_around_today() -> list[SessionRow]:
    today = clock.today()
    return agenda.sessions_between(today - timedelta(days=45), today + timedelta(days=45))


def _open_session_with_package() -> SessionRow:
    """An open session, from today on, of a patient with a package to offer."""
    today = clock.today()
    for row in _rows_around_today():
        upcoming = row.starts_at.date() >= today and not row.paid
        if upcoming and packages.offerable_packages(row.patient_id):
            return row
    return next(r for r in _rows_around_today() if not r.paid)


def _package_paid_session() -> SessionRow:
    rows = [r for r in _rows_around_today() if r.paid and r.package_id is not None]
    return rows[-1]


def _agenda(ctx: ShotContext, view: str) -> QWidget:
    page = ctx.show_page("agenda")
    page.calendar.set_view(view)
    page.calendar.go_today()
    ctx.settle()
    return ctx.window


@shot("agenda_month.png")
def agenda_month(ctx: ShotContext) -> QWidget:
    return _agenda(ctx, MONTH)


@shot("agenda_week.png")
def agenda_week(ctx: ShotContext) -> QWidget:
    window = _agenda(ctx, WEEK)
    page = ctx.window.show_page("agenda")
    grid = page.calendar.week_view
    grid.scroll.verticalScrollBar().setValue(int(grid.grid.y_of(time(8)) - 6))
    ctx.settle()
    return window


@shot("session_form.png")
def session_form(ctx: ShotContext) -> QWidget:
    row = _open_session_with_package()
    professional = next(iter(clinic.list_professionals()), None)
    today = clock.today()
    start = datetime.combine(today + timedelta(days=(1 - today.weekday()) % 7 or 7), time(10))
    dialog = SessionFormDialog(ctx.window, start=start, patient_id=row.patient_id)
    if professional is not None:
        dialog.professional.setCurrentIndex(dialog.professional.findData(professional.id))
    dialog.location.setCurrentIndex(min(1, dialog.location.count() - 1))
    dialog.repeat.setChecked(True)
    dialog.weekday_buttons[3].setChecked(True)  # Tuesdays and Thursdays
    dialog.weeks.setValue(10)
    return ctx.dialog(dialog)


@shot("choose_package.png")
def choose_package(ctx: ShotContext) -> QWidget:
    row = _open_session_with_package()
    return ctx.dialog(ChoosePackageDialog(ctx.window, row.patient_id, [row.id]))


@shot("one_click_payment.png")
def one_click_payment(ctx: ShotContext) -> QWidget:
    row = _open_session_with_package()
    return ctx.dialog(ManualPaymentDialog(ctx.window, [row]))


@shot("session_detail.png")
def session_detail(ctx: ShotContext) -> QWidget:
    row = _package_paid_session()
    return ctx.dialog(SessionDetailDialog(ctx.window, row.id))


@shot("receitas.png")
def receitas_page(ctx: ShotContext) -> QWidget:
    page = ctx.show_page("receitas")
    last_month = clock.today().replace(day=1) - timedelta(days=1)
    page.set_month(last_month)  # a month already lived: paid and open side by side
    open_rows = [r for r in page.model.rows() if not r.paid]
    if open_rows:  # two open sessions of one patient, as for "Registrar Pgto."
        patient = max(
            {r.patient_id for r in open_rows},
            key=lambda p: sum(1 for r in open_rows if r.patient_id == p),
        )
        page.select_sessions([r.id for r in open_rows if r.patient_id == patient][:2])
    ctx.settle()
    return ctx.window


def _paid_by_hand_after_detail_opened(ctx: ShotContext) -> SessionDetailDialog:
    """The detail of an open session, then a manual payment registered while it is open
    (the info line and "Estornar pagamento" appear in a dialog already on screen)."""
    from ...core import payments

    row = next(r for r in _rows_around_today() if r.owes and r.price)
    dialog = ctx.dialog(SessionDetailDialog(ctx.window, row.id))
    payments.pay_manually(
        [row.id], "pix", info="Pix recebido na recepção, comprovante no WhatsApp da clínica"
    )
    dialog.reload()
    ctx.settle()
    return dialog


@shot("session_detail_paid_by_hand.png")
def session_detail_paid_by_hand(ctx: ShotContext) -> QWidget:
    return _paid_by_hand_after_detail_opened(ctx)


@shot("session_detail_absence.png")
def session_detail_absence(ctx: ShotContext) -> QWidget:
    """A package-paid session marked "falta justificada" while its detail is open: the
    badge appears beside the patient's name."""
    row = _package_paid_session()
    dialog = ctx.dialog(SessionDetailDialog(ctx.window, row.id))
    agenda.set_attendance(row.id, "falta_justificada")
    dialog.reload()
    ctx.settle()
    return dialog


@shot("session_edit_paid.png")
def session_edit_paid(ctx: ShotContext) -> QWidget:
    """Editar sessão of a paid session: the note on what is locked, under Observações."""
    row = _package_paid_session()
    return ctx.dialog(SessionFormDialog(ctx.window, session_id=row.id))
