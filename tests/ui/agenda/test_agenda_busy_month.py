"""A busy month in the Agenda: the grid reads only the sessions its days have room for and
how many each day has, yet every session is counted, a day's menu lists all of that day,
and `rows()` still gives the whole range."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from r3izzy_desktop.core import agenda
from r3izzy_desktop.ui.agenda import calendar
from tests.helpers.agenda_drivers import shown_agenda


def test_a_busy_day_shows_its_first_and_counts_the_rest(qtbot, db, patient, service, monkeypatch):
    monkeypatch.setattr(calendar, "ROWS_PER_DAY", 3)
    for minutes in range(0, 12 * 30, 30):
        agenda.schedule(patient, service, datetime(2025, 4, 15, 7) + timedelta(minutes=minutes))
    agenda.schedule(patient, service, datetime(2025, 4, 16, 9))
    page = shown_agenda(qtbot, date(2025, 4, 15))
    assert page.calendar.count_label.text() == "13 sessões · 13 em aberto"
    cells = {c.day: c for c in page.calendar.month_view.laid_out()}
    busy = cells[date(2025, 4, 15)]
    assert len(busy.shown) <= 3 and len(busy.shown) + busy.hidden == 12
    assert busy.more_rect is not None
    menu = page.calendar.day_menu(date(2025, 4, 15))
    assert len([a for a in menu.actions() if a.text().startswith(("0", "1"))]) == 12
    assert len(page.calendar.rows()) == 13
    page.grab()  # paints without error


def test_a_crowded_week_paints_slivers_with_their_payment_dots(qtbot, db, patient, service):
    """Twenty sessions at the same hour sit side by side as slivers, too narrow for text:
    each still shows its colour and its payment dot (green when paid)."""
    from r3izzy_desktop.core import payments
    from r3izzy_desktop.ui.agenda import paint, week_grid

    made = [agenda.schedule(patient, service, datetime(2025, 4, 16, 9)) for _ in range(20)]
    payments.pay_manually(made[:10], method="pix")
    page = shown_agenda(qtbot, date(2025, 4, 16))
    page.calendar.set_view("week")
    grid = page.calendar.week_view.grid
    blocks = grid.blocks()
    assert len(blocks) == 20
    assert all(b.rect.width() < week_grid.SLIVER_WIDTH for b in blocks)
    image = grid.grab().toImage()
    green = paint.PAID.rgb()
    dots = sum(
        1
        for block in blocks
        if block.row.paid
        and image.pixel(int(block.rect.center().x() + 1), int(block.rect.top() + 8)) == green
    )
    assert dots == 10
