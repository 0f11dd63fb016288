"""The calendar: month and week views, navigation, filters, what each session shows,
a busy month laid out whole, double-clicks and the day menu."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt

from r3izzy_desktop.core import agenda, clinic, clock, payments
from r3izzy_desktop.ui.agenda import paint, patient_calendar
from r3izzy_desktop.ui.agenda.calendar import MONTH, WEEK, week_title
from r3izzy_desktop.ui.agenda.session_detail import SessionDetailDialog
from r3izzy_desktop.ui.agenda.session_form import SessionFormDialog
from r3izzy_desktop.ui.agenda.week_grid import lanes
from tests.helpers.agenda_drivers import LEFT, shown_agenda


@pytest.fixture
def opened(monkeypatch):
    """What the calendar opened: the session form (its start) or a session's detail."""
    seen = {"form": [], "detail": []}
    monkeypatch.setattr(
        SessionFormDialog,
        "ask",
        classmethod(lambda cls, parent, **kw: seen["form"].append(kw) or None),
    )
    monkeypatch.setattr(
        SessionDetailDialog,
        "show_for",
        classmethod(lambda cls, parent, session_id: seen["detail"].append(session_id) or False),
    )
    return seen


@pytest.fixture
def page(qtbot, db, opened):
    return shown_agenda(qtbot, date(2025, 4, 9))


def centre(rect) -> QPoint:
    return rect.center().toPoint()


def test_month_view_shows_the_month_with_whole_weeks(page, make_session):
    make_session(1, 10)
    make_session(30, 9)
    page.refresh()
    calendar = page.calendar
    assert calendar.view() == MONTH
    assert calendar.title.text() == "Abril de 2025"
    start, end = calendar.visible_range()
    # pt-BR weeks start on Sunday: 30/03 to 03/05
    assert (start, end) == (date(2025, 3, 30), date(2025, 5, 3))
    assert len(calendar.month_view.laid_out()) == 35
    assert [r.starts_at for r in calendar.rows()] == [
        datetime(2025, 4, 1, 10, 0),
        datetime(2025, 4, 30, 9, 0),
    ]


def test_previous_next_and_today(page, make_session):
    calendar = page.calendar
    calendar.next_button.click()
    assert calendar.title.text() == "Maio de 2025"
    calendar.previous_button.click()
    calendar.previous_button.click()
    assert calendar.title.text() == "Março de 2025"
    calendar.today_button.click()
    assert calendar.anchor() == clock.today()


def test_week_view_and_its_navigation(page, make_session):
    make_session(8, 10)
    make_session(10, 14, 30)
    make_session(15, 9)  # next week
    calendar = page.calendar
    calendar.week_button.click()
    assert calendar.view() == WEEK
    assert calendar.visible_range() == (date(2025, 4, 6), date(2025, 4, 12))
    assert calendar.title.text() == "6 – 12 de abril de 2025"
    blocks = calendar.week_view.grid.blocks()
    assert len(blocks) == 2
    tuesday, thursday = sorted(blocks, key=lambda b: b.row.starts_at)
    assert tuesday.rect.left() < thursday.rect.left()  # columns by day
    assert tuesday.rect.top() < thursday.rect.top()  # 10:00 above 14:30
    # 50 minutes tall, in proportion to the hour
    grid = calendar.week_view.grid
    assert tuesday.rect.height() == pytest.approx(grid._hour_height * 50 / 60 - 2)
    calendar.next_button.click()
    assert [b.row.starts_at.day for b in calendar.week_view.grid.blocks()] == [15]


def test_week_title_across_months():
    assert week_title(date(2025, 6, 29)) == "29 de junho – 5 de julho de 2025"
    assert week_title(date(2024, 12, 29)) == "29 de dezembro de 2024 – 4 de janeiro de 2025"


def test_overlapping_sessions_sit_side_by_side(page, patient, service, make_session):
    a = make_session(8, 10)
    b = make_session(8, 10, 30)
    c = make_session(8, 11, 30)  # after both: full width again
    page.calendar.set_view(WEEK)
    blocks = {blk.row.id: blk.rect for blk in page.calendar.week_view.grid.blocks()}
    assert blocks[a.id].right() <= blocks[b.id].left()
    assert blocks[a.id].width() == pytest.approx(blocks[b.id].width())
    assert blocks[c.id].width() > blocks[a.id].width() * 1.8
    rows = agenda.sessions_between(date(2025, 4, 8), date(2025, 4, 8))
    assert [(lane, count) for _row, lane, count in lanes(rows)] == [(0, 2), (1, 2), (0, 1)]


def test_week_blocks_take_the_professional_colour(page, patient, service):
    camila = clinic.add_professional("Dra. Camila Ribeiro", "#2a9d8f")
    agenda.schedule(patient, service, datetime(2025, 4, 8, 10, 0), professional=camila)
    page.calendar.set_view(WEEK)
    (block,) = page.calendar.week_view.grid.blocks()
    assert block.row.professional_color == "#2a9d8f"


def test_dot_green_when_paid_and_absences_marked(page, make_session):
    paid = make_session(1, 10)
    open_ = make_session(2, 10)
    falta = make_session(3, 10)
    justified = make_session(4, 10)
    deleted = make_session(5, 10)
    payments.pay_manually([paid], method="pix", paid_on=date(2025, 4, 1))
    agenda.set_attendance(falta, "falta")
    agenda.set_attendance(justified, "falta_justificada")
    agenda.delete_session(deleted)
    page.refresh()
    shown = {
        row.id: row for cell in page.calendar.month_view.laid_out() for _rect, row in cell.shown
    }
    assert deleted.id not in shown
    assert paint.dot_color(shown[paid.id]) == paint.PAID
    assert paint.dot_color(shown[open_.id]) == paint.OPEN
    assert paint.TAGS[shown[falta.id].attendance] == "F"
    assert paint.TAGS[shown[justified.id].attendance] == "FJ"
    assert shown[open_.id].attendance not in paint.TAGS


def test_a_busy_month_lays_out_every_session(qtbot, db, patient, service, opened):
    """~300 sessions in a month: every one is either drawn as a line or counted in its
    day's "+N mais"; and the week view places all of a busy week's blocks."""
    starts = [
        datetime(2025, 4, 1) + timedelta(days=day, hours=7 + slot // 2, minutes=30 * (slot % 2))
        for day in range(30)
        for slot in range(10)
    ]
    for start in starts:
        agenda.schedule(patient, service, start)
    page = shown_agenda(qtbot, date(2025, 4, 15))
    cells = page.calendar.month_view.laid_out()
    assert len(page.calendar.rows()) == 300
    assert sum(len(c.shown) + c.hidden for c in cells) == 300
    busy = next(c for c in cells if c.day == date(2025, 4, 15))
    assert busy.hidden > 0 and busy.more_rect is not None  # "+N mais"
    assert all(busy.rect.contains(rect) for rect, _row in busy.shown)
    page.grab()  # paints without error
    page.calendar.set_view(WEEK)
    assert len(page.calendar.week_view.grid.blocks()) == 70
    page.grab()


def test_filters_by_professional_and_location(page, patient, service):
    camila = clinic.add_professional("Dra. Camila Ribeiro", "#2a9d8f")
    rafael = clinic.add_professional("Dr. Rafael Moreira", "#e76f51")
    sala = clinic.add_location("Sala 1")
    agenda.schedule(patient, service, datetime(2025, 4, 1, 9), professional=camila, location=sala)
    agenda.schedule(patient, service, datetime(2025, 4, 1, 10), professional=rafael)
    page.refresh()
    calendar = page.calendar
    assert len(calendar.rows()) == 2
    calendar.professional_filter.setCurrentIndex(
        calendar.professional_filter.findText("Dr. Rafael Moreira")
    )
    assert [r.professional_name for r in calendar.rows()] == ["Dr. Rafael Moreira"]
    calendar.professional_filter.setCurrentIndex(0)
    calendar.location_filter.setCurrentIndex(calendar.location_filter.findText("Sala 1"))
    assert [r.location_name for r in calendar.rows()] == ["Sala 1"]


def test_patient_calendar_shows_only_that_patient(qtbot, patient, service, make_session, opened):
    other = clinic.add_patient("Bruno Lima")
    mine = make_session(1, 10)
    make_session(1, 11, patient=other)
    panel = patient_calendar(patient.id)
    qtbot.addWidget(panel)
    panel.calendar.set_date(date(2025, 4, 1))
    assert [r.id for r in panel.calendar.rows()] == [mine.id]
    panel.calendar.request_new_session()  # a new session there is this patient's
    assert opened["form"][0]["patient_id"] == patient.id
    panel.set_patient(other.id)
    assert [r.patient_name for r in panel.calendar.rows()] == ["Bruno Lima"]


def test_double_click_on_a_day_opens_the_form_there(page, qtbot, opened, patient, service):
    cell = next(c for c in page.calendar.month_view.laid_out() if c.day == date(2025, 4, 17))
    qtbot.mouseDClick(page.calendar.month_view, LEFT, pos=centre(cell.rect))
    assert opened["form"] == [{"start": datetime(2025, 4, 17, 9, 0), "patient_id": None}]


def test_new_session_button_and_ctrl_n(page, qtbot, opened, patient, service):
    cell = next(c for c in page.calendar.month_view.laid_out() if c.day == date(2025, 4, 3))
    qtbot.mouseClick(page.calendar.month_view, LEFT, pos=centre(cell.rect))
    qtbot.mouseClick(page.calendar.new_button, LEFT)
    page.calendar.month_view.setFocus()
    qtbot.keyClick(page.calendar.month_view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert [kw["start"] for kw in opened["form"]] == [datetime(2025, 4, 3, 9, 0)] * 2


def test_double_click_on_a_time_slot_opens_the_form_at_that_time(page, qtbot, make_session, opened):
    make_session(8, 8)  # the week starts its view at the first session
    page.calendar.set_view(WEEK)
    grid = page.calendar.week_view.grid
    from r3izzy_desktop.ui.agenda.week_grid import GUTTER

    column = (grid.width() - GUTTER) / 7
    x = int(GUTTER + 4 * column + column / 2)  # Thursday 10/04
    y = int(grid.y_of(datetime(2025, 4, 10, 15, 40).time()))
    qtbot.mouseDClick(grid, LEFT, pos=QPoint(x, y))
    assert opened["form"][0]["start"] == datetime(2025, 4, 10, 15, 30)


def test_double_click_on_a_session_opens_it(page, qtbot, make_session, opened):
    session = make_session(2, 10)
    page.refresh()
    cell = next(c for c in page.calendar.month_view.laid_out() if c.day == date(2025, 4, 2))
    ((rect, _row),) = cell.shown
    qtbot.mouseDClick(page.calendar.month_view, LEFT, pos=centre(rect))
    assert opened["detail"] == [session.id]
    page.calendar.set_date(date(2025, 4, 2))
    page.calendar.set_view(WEEK)
    (block,) = page.calendar.week_view.grid.blocks()
    qtbot.mouseDClick(page.calendar.week_view.grid, LEFT, pos=centre(block.rect))
    assert opened["detail"] == [session.id, session.id]


def test_keyboard_moves_the_day_and_enter_lists_it(page, qtbot, make_session, opened):
    session = make_session(10, 10)
    page.refresh()
    month = page.calendar.month_view
    month.setFocus()
    month.select_day(date(2025, 4, 9))
    menus = []
    page.calendar.month_view.day_menu_requested.disconnect()
    page.calendar.month_view.day_menu_requested.connect(lambda day, where: menus.append(day))
    qtbot.keyClick(month, Qt.Key.Key_Right)
    assert month.selected_day() == date(2025, 4, 10)
    qtbot.keyClick(month, Qt.Key.Key_Return)
    assert menus == [date(2025, 4, 10)]
    menu = page.calendar.day_menu(date(2025, 4, 10))
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["10:00  Ana Souza · Método Bobath  (em aberto)", "Nova sessão neste dia"]
    menu.actions()[0].trigger()
    assert opened["detail"] == [session.id]
    menu.actions()[-1].trigger()
    assert opened["form"][-1]["start"] == datetime(2025, 4, 10, 9, 0)
    qtbot.keyClick(month, Qt.Key.Key_Down)  # a week later, still April
    assert month.selected_day() == date(2025, 4, 17)
    for _ in range(3):
        qtbot.keyClick(month, Qt.Key.Key_Down)  # into May: the calendar follows
    assert page.calendar.title.text() == "Maio de 2025"


def test_session_count_in_the_toolbar(page, make_session):
    make_session(1, 10, price=Decimal("250.00"))
    paid = make_session(2, 10)
    payments.pay_manually([paid], method="pix", paid_on=date(2025, 4, 2))
    page.refresh()
    assert page.calendar.count_label.text() == "2 sessões · 1 em aberto"


def test_patient_page_gets_the_patient_calendar(qtbot, patient, make_session, opened):
    from r3izzy_desktop.ui.shell.main_window import MainWindow

    other = clinic.add_patient("Bruno Lima")
    mine = make_session(1, 10)
    make_session(1, 11, patient=other)
    window = MainWindow()
    qtbot.addWidget(window)
    area = window.show_page("patients")
    area.open_patient(patient.id)
    calendar = area.patient_page.calendar().calendar
    calendar.set_date(date(2025, 4, 1))
    assert [r.id for r in calendar.rows()] == [mine.id]
    area.open_patient(other.id)
    assert [r.patient_name for r in calendar.rows()] == ["Bruno Lima"]
    page = window.show_page("agenda")
    assert page.calendar.patient_only is False
    assert window.show_page("receitas").model is not None


def test_nova_sessao_in_the_patient_week_proposes_today_or_the_day_clicked(
    qtbot, patient, service, opened
):
    """Issue 15 item 9: month › ‹ then Semana used to propose the week's Sunday (past)."""
    with clock.frozen(datetime(2025, 4, 9, 8, 0)):  # a Wednesday
        panel = patient_calendar(patient.id)
        qtbot.addWidget(panel)
        panel.resize(1100, 700)
        panel.show()
        calendar = panel.calendar
        qtbot.mouseClick(calendar.next_button, LEFT)
        qtbot.mouseClick(calendar.previous_button, LEFT)
        qtbot.mouseClick(calendar.week_button, LEFT)
        assert calendar.visible_range() == (date(2025, 3, 30), date(2025, 4, 5))
        qtbot.mouseClick(calendar.new_button, LEFT)
        assert opened["form"][-1]["start"] == datetime(2025, 4, 9, 9, 0)  # today

        grid = calendar.week_view.grid
        from r3izzy_desktop.ui.agenda.week_grid import GUTTER

        column = (grid.width() - GUTTER) / 7
        friday = QPoint(int(GUTTER + 5 * column + column / 2), int(grid.y_of(time(11))))
        qtbot.mouseClick(grid, LEFT, pos=friday)
        qtbot.mouseClick(calendar.new_button, LEFT)
        assert opened["form"][-1]["start"] == datetime(2025, 4, 4, 9, 0)  # the day clicked

        qtbot.mouseClick(calendar.next_button, LEFT)  # this week: today, not its Sunday
        qtbot.mouseClick(calendar.new_button, LEFT)
        assert opened["form"][-1]["start"] == datetime(2025, 4, 9, 9, 0)
        qtbot.mouseClick(calendar.next_button, LEFT)  # a week ahead: its first day
        qtbot.mouseClick(calendar.new_button, LEFT)
        assert opened["form"][-1]["start"] == datetime(2025, 4, 13, 9, 0)
        for _ in range(3):  # weeks behind: today, not a past day nobody chose
            qtbot.mouseClick(calendar.previous_button, LEFT)
        qtbot.mouseClick(calendar.new_button, LEFT)
        assert opened["form"][-1]["start"] == datetime(2025, 4, 9, 9, 0)


def test_a_day_too_short_for_lines_still_shows_each_green_dot(qtbot, db, make_session, opened):
    """Issue 15 item 5: at 1366×768 the patient page's month cells had room for no line and
    showed only "+1 mais"; the manual's check is "a bolinha verde indicando pago"."""
    from r3izzy_desktop.ui.agenda.month_view import MonthView

    paid = make_session(8, 10)
    make_session(8, 11)
    payments.pay_manually([paid], method="pix", paid_on=date(2025, 4, 8))
    rows = agenda.sessions_between(date(2025, 3, 30), date(2025, 5, 10))
    view = MonthView()
    qtbot.addWidget(view)
    view.set_month(date(2025, 4, 1), rows)
    view.resize(700, 260)  # 5 weeks in 230 px: under one line per day
    cell = next(c for c in view.laid_out() if c.day == date(2025, 4, 8))
    assert cell.shown == []
    assert [paint.dot_color(row) for _rect, row in cell.dots] == [paint.PAID, paint.OPEN]
    assert cell.hidden == 0 and cell.more_rect is None
    # every dot inside its day, and a double-click on one opens that session
    assert all(cell.rect.contains(rect) for rect, _row in cell.dots)
    with qtbot.waitSignal(view.session_activated) as activated:
        qtbot.mouseDClick(view, LEFT, pos=centre(cell.dots[0][0]))
    assert activated.args == [paid.id]


def test_a_narrow_short_day_says_how_many_dots_it_could_not_hold(qtbot, db, make_session):
    from r3izzy_desktop.ui.agenda.month_view import MonthView

    made = [make_session(8, hour) for hour in range(7, 19)]
    view = MonthView()
    qtbot.addWidget(view)
    view.set_month(date(2025, 4, 1), agenda.sessions_between(date(2025, 4, 8), date(2025, 4, 8)))
    view.resize(560, 260)  # 80 px a day: room for a few dots only
    cell = next(c for c in view.laid_out() if c.day == date(2025, 4, 8))
    assert 0 < len(cell.dots) < len(made)
    assert cell.hidden == len(made) - len(cell.dots) and cell.more_rect is not None
    assert cell.rect.contains(cell.more_rect)


def test_the_patient_page_month_at_1366x768_shows_the_dots(qtbot, patient, make_session, opened):
    from r3izzy_desktop.ui.shell.main_window import MainWindow

    paid = make_session(8, 10)
    payments.pay_manually([paid], method="pix", paid_on=date(2025, 4, 8))
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1366, 728)  # 768 less the taskbar
    window.show()
    area = window.show_page("patients")
    area.open_patient(patient.id)
    calendar = area.patient_page.calendar().calendar
    calendar.set_date(date(2025, 4, 8))
    calendar.set_view(MONTH)
    qtbot.waitExposed(window)
    cell = next(c for c in calendar.month_view.laid_out() if c.day == date(2025, 4, 8))
    seen = [row for _rect, row in (*cell.shown, *cell.dots)]
    assert [paint.dot_color(row) for row in seen] == [paint.PAID]
