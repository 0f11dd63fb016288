"""Issue 15 items 2 and 4, offscreen: on a 1024×600 screen (the smallest reception PC)
every window opens inside the available area with its buttons in reach; the main window
takes the screen on first start; Gestão Financeira and Receitas reflow instead of hiding
a card, a button or a column; no text is cut when a dialog's content changes.

The screen is pretended through `ui.common.fit.available_geometry` (the offscreen screen
is 800×600); tests/ui/shell/test_real_window.py checks the same on real X windows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QPushButton, QWidget

from r3izzy_desktop.core import agenda, clock, demo, packages, payments
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.reports import receitas

# A 1024×600 screen less the task bar (40 px): what a window may use, with its frame.
SMALL = QRect(0, 0, 1024, 560)
FRAME = (16, 40)  # fit.FRAME_ALLOWANCE: the title bar and borders the system adds


@pytest.fixture
def small_screen(monkeypatch) -> QRect:
    """Every window measures the screen as 1024×600."""
    try:
        from r3izzy_desktop.ui.common import fit
    except ImportError:  # before the fix: nothing to pretend with, the windows must fit anyway
        return SMALL
    monkeypatch.setattr(fit, "available_geometry", lambda widget=None: QRect(SMALL))
    # Offscreen windows have no frame: the one a real system adds, as before they show.
    monkeypatch.setattr(fit, "frame_allowance", lambda window: QSize(*FRAME))
    return SMALL


@pytest.fixture
def demo_clinic(tmp_path):
    open_database(str(tmp_path / "demo.db"))
    demo.populate("small")
    yield
    close_database()


def settle(qtbot, rounds: int = 5) -> None:
    for _ in range(rounds):
        QApplication.processEvents()
    qtbot.wait(10)


def inside(widget: QWidget, window: QWidget) -> bool:
    """All of `widget` lies inside `window`'s own rectangle."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    return window.rect().contains(QRect(top_left, widget.size()))


def assert_in_reach(window: QWidget, area: QRect) -> None:
    width, height = window.width() + FRAME[0], window.height() + FRAME[1]
    assert width <= area.width() and height <= area.height(), (
        f"{type(window).__name__} is {window.width()}×{window.height()} on a "
        f"{area.width()}×{area.height()} screen"
    )
    for button in window.findChildren(QPushButton):
        if button.isVisibleTo(window):
            assert inside(button, window), f"{button.text()!r} out of {type(window).__name__}"


def assert_text_shows(label: QLabel) -> None:
    if label.wordWrap():
        assert label.height() >= label.heightForWidth(label.width()) - 1, label.text()
    else:
        hint = label.sizeHint()
        assert label.width() >= hint.width() - 1, label.text()
        assert label.height() >= hint.height() - 1, label.text()


def main_window(qtbot, *, small: bool = False):
    """The main window; `small`: at the size it takes on the 1024×600 screen."""
    from r3izzy_desktop.ui.shell.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    if small:
        window.resize(SMALL.width() - FRAME[0], SMALL.height() - FRAME[1])
    settle(qtbot)
    return window


def test_the_first_start_takes_the_available_screen_and_the_minimum_fits_1024x600(
    qtbot, demo_clinic, small_screen
):
    window = main_window(qtbot)
    assert_in_reach(window, small_screen)
    assert window.width() >= small_screen.width() - 40  # the screen, not a fixed 1280×800
    assert window.minimumWidth() <= 1024 - FRAME[0]
    assert window.minimumHeight() <= small_screen.height() - FRAME[1]


def test_the_package_report_opens_inside_the_screen_with_export_and_close_in_reach(
    qtbot, demo_clinic, small_screen
):
    window = main_window(qtbot)
    page = window.show_page("finance")
    report = page.open_report()
    qtbot.addWidget(report)
    settle(qtbot)
    assert_in_reach(report, small_screen)
    buttons = {b.text(): b for b in report.findChildren(QPushButton)}
    for name in ("Exportar Excel", "Fechar"):
        assert buttons[name].isVisible() and inside(buttons[name], report), name


def test_gestao_financeira_at_1024_shows_the_report_button_and_every_card_in_reach(
    qtbot, demo_clinic, small_screen
):
    window = main_window(qtbot, small=True)
    page = window.show_page("finance")
    settle(qtbot)
    from PySide6.QtWidgets import QScrollArea

    # No part of the page is pushed sideways out of its scroll area.
    for scroll in page.window().findChildren(QScrollArea):
        if scroll.isVisible() and scroll.widgetResizable():
            assert scroll.horizontalScrollBar().maximum() == 0
    viewport = page.window().centralWidget()
    # The buttons and the first row of cards at once; the five cards (R18 added "Pacotes a
    # receber") take two rows, the second reached by scrolling down, never sideways.
    for widget in (page.report_button, page.received_card, page.open_card, page.owed_card):
        assert widget.isVisible()
        assert inside(widget, viewport), widget
    for card in (page.credit_card, page.flow_card):
        assert card.isVisible()
        left = card.mapTo(viewport, QPoint(0, 0)).x()
        assert left >= 0 and left + card.width() <= viewport.width(), card


def test_receitas_at_1024_shows_situacao_and_pagamento_without_scrolling_sideways(
    qtbot, demo_clinic, small_screen
):
    window = main_window(qtbot, small=True)
    page = window.show_page("receitas")
    page.set_month(clock.today().replace(day=1) - timedelta(days=1))
    settle(qtbot, 10)
    table = page.table
    assert page.model.rowCount() > 0
    assert table.horizontalScrollBar().maximum() == 0
    for column in (4, 5):  # Situação, Pagamento
        right = table.columnViewportPosition(column) + table.columnWidth(column)
        assert right <= table.viewport().width()
        assert table.columnWidth(column) >= 100


@pytest.mark.parametrize(
    "build",
    ["session_form", "pay_sessions", "history", "print_preview", "package_form", "receipt"],
)
def test_dialogs_open_inside_a_1024x600_screen_with_their_buttons_in_reach(
    qtbot, demo_clinic, small_screen, build
):
    from r3izzy_desktop.core import clinic
    from r3izzy_desktop.core.reports import package_receipt, package_report

    window = main_window(qtbot)
    rows = [row for p in clinic.find_patients("") for row in packages.list_packages(p)]
    active = next(r for r in rows if r.status == "ativo" and r.sessions_left)
    if build == "session_form":
        from r3izzy_desktop.ui.agenda.session_form import SessionFormDialog

        dialog = SessionFormDialog(window, patient_id=active.patient_id)
        dialog.repeat.setChecked(True)
    elif build == "pay_sessions":
        from r3izzy_desktop.ui.packages.pay_sessions import PaySessionsDialog

        dialog = PaySessionsDialog(active.id, window)
    elif build == "history":
        from r3izzy_desktop.ui.packages.history import HistoryDialog

        dialog = HistoryDialog(active.id, window)
    elif build == "print_preview":
        from r3izzy_desktop.ui.common.print_preview import PrintPreviewDialog
        from r3izzy_desktop.ui.finance.report_window import report_print_table

        report = package_report()
        dialog = PrintPreviewDialog(report_print_table(report, list(report.rows)), window)
    elif build == "package_form":
        from r3izzy_desktop.ui.packages.form import PackageFormDialog

        dialog = PackageFormDialog(active.patient_id, active.id, window)
    else:
        from r3izzy_desktop.ui.packages.receipt import ReceiptDialog

        dialog = ReceiptDialog(package_receipt(active.id), window)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot)
    assert_in_reach(dialog, small_screen)


def _open_session(day_from: date) -> int:
    rows = agenda.sessions_between(day_from - timedelta(days=40), day_from + timedelta(days=40))
    return next(r for r in rows if r.owes and r.price).id


def test_after_a_manual_payment_the_detail_shows_the_whole_info_line_and_estornar(
    qtbot, demo_clinic, small_screen
):
    from r3izzy_desktop.ui.agenda.session_detail import SessionDetailDialog

    window = main_window(qtbot)
    session_id = _open_session(clock.today())
    dialog = SessionDetailDialog(window, session_id)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot)
    payments.pay_manually(
        [session_id],
        "pix",
        info="Pix recebido na recepção, comprovante enviado pelo WhatsApp da clínica ao caixa",
    )
    dialog.reload()
    settle(qtbot)
    assert dialog.void_button.isVisible()
    assert dialog.void_button.height() >= dialog.void_button.sizeHint().height()
    assert inside(dialog.void_button, dialog)
    assert_text_shows(dialog.info)
    assert_in_reach(dialog, small_screen)


def test_after_a_justified_absence_the_name_shows_whole_beside_the_badges(
    qtbot, demo_clinic, small_screen
):
    from r3izzy_desktop.ui.agenda.session_detail import SessionDetailDialog

    window = main_window(qtbot)
    rows = agenda.sessions_between(
        clock.today() - timedelta(days=40), clock.today() + timedelta(days=40)
    )
    row = max(rows, key=lambda r: (len(r.patient_name), r.id))
    dialog = SessionDetailDialog(window, row.id)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot)
    agenda.set_attendance(row.id, "falta_justificada")
    dialog.reload()
    settle(qtbot)
    assert dialog.attendance_badge.isVisible()
    assert_text_shows(dialog.title)
    assert_text_shows(dialog.when)
    # No blank gap between the name and the date.
    assert dialog.when.geometry().top() - dialog.title.geometry().bottom() < 12


def test_editar_sessao_of_a_paid_session_the_lock_note_does_not_overlap_observacoes(
    qtbot, demo_clinic, small_screen
):
    from r3izzy_desktop.ui.agenda.session_form import SessionFormDialog

    window = main_window(qtbot)
    rows = agenda.sessions_between(
        clock.today() - timedelta(days=40), clock.today() + timedelta(days=40)
    )
    paid = next(r for r in rows if r.paid and r.package_id is not None)
    dialog = SessionFormDialog(window, session_id=paid.id)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot)
    assert dialog.paid_note.isVisible()
    assert_text_shows(dialog.paid_note)
    notes = QRect(dialog.notes.mapTo(dialog, QPoint(0, 0)), dialog.notes.size())
    note = QRect(dialog.paid_note.mapTo(dialog, QPoint(0, 0)), dialog.paid_note.size())
    assert not notes.intersects(note)
    assert_in_reach(dialog, small_screen)


def test_a_dialog_grows_when_an_error_appears_and_cuts_nothing(qtbot, demo_clinic, small_screen):
    from r3izzy_desktop.ui.patients.form import PatientFormDialog

    window = main_window(qtbot)
    dialog = PatientFormDialog(None, window)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot)
    before = dialog.height()
    dialog.cpf.setText("111.111.111-11")
    dialog._check_cpf()
    dialog.save()  # no name: "Informe nome."
    settle(qtbot, 10)
    errors = [
        w for w in dialog.findChildren(QLabel) if w.objectName() == "fieldError" and w.isVisible()
    ]
    assert len(errors) >= 2
    assert dialog.height() > before
    for widget in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton):
        if widget.isVisible() and isinstance(widget, QLabel) and widget.text():
            assert_text_shows(widget)
    assert_in_reach(dialog, small_screen)


def test_every_payment_text_of_receitas_is_whole_in_its_tooltip_when_elided(demo_clinic):
    """What the narrower Pagamento column elides is in the cell's tooltip."""
    from r3izzy_desktop.ui.receitas.columns import receitas_columns

    rows = agenda.sessions_between(clock.today() - timedelta(days=40), clock.today())
    payment = receitas_columns()[5]
    for row in rows[:50]:
        text = receitas.payment_text(row)
        if text:
            assert payment.tooltip(row) == text
