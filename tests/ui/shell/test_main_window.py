"""The main window's page contract: a page reads its data once when it is built, and again
each time it is shown after that (the data may have changed on another page or PC)."""

from r3izzy_desktop.core import agenda, clinic, reports
from r3izzy_desktop.ui.receitas.loading import PeriodLoader
from r3izzy_desktop.ui.shell.main_window import MainWindow

PAGES = ("patients", "agenda", "receitas", "finance")


def test_each_page_reads_its_data_once_when_built_and_again_when_shown_again(
    qtbot, db, monkeypatch
):
    reads = dict.fromkeys(PAGES, 0)

    def counted(page, read):
        def reading(*args, **kwargs):
            reads[page] += 1
            return read(*args, **kwargs)

        return reading

    monkeypatch.setattr(clinic, "list_patients", counted("patients", clinic.list_patients))
    monkeypatch.setattr(agenda, "first_of_each_day", counted("agenda", agenda.first_of_each_day))
    monkeypatch.setattr(PeriodLoader, "load", counted("receitas", PeriodLoader.load))
    monkeypatch.setattr(reports, "finance_overview", counted("finance", reports.finance_overview))
    window = MainWindow()
    qtbot.addWidget(window)
    assert reads == {"patients": 1, "agenda": 0, "receitas": 0, "finance": 0}
    for key in PAGES[1:]:
        window.show_page(key)
    qtbot.waitUntil(lambda: not window.page("finance").is_loading())
    assert reads == dict.fromkeys(PAGES, 1)
    for key in PAGES:
        window.show_page(key)
    qtbot.waitUntil(lambda: not window.page("finance").is_loading())
    assert reads == dict.fromkeys(PAGES, 2)


def test_the_window_asks_what_its_rail_offers_at_once(qtbot, db, patient, monkeypatch):
    # Each page's permission used to be asked apart, twice (its rail entry, its Alt+N),
    # then the first-run question, the first steps and the lock minutes each read on
    # their own: on a server each read is a round trip, at every start. Now the window
    # sends three statements: those answers, the patients, the other PCs' changes.
    from tests.helpers.statements import counting

    with counting(monkeypatch)() as sent:
        window = MainWindow()
    qtbot.addWidget(window)
    assert len(sent) == 3, sent.sent
    assert sum('FROM "app_user"' in sql for sql in sent.sent) == 1
    assert all(not window.nav.item(row).isHidden() for row in range(window.nav.count()))
    assert window.first_run is None and window.checklist is None
    assert window.lock.timer.interval() == 10 * 60_000
