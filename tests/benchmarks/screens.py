"""The screens, timed in the app's own process with its real widgets.

Run as a child of run.py: `python screens.py --db FILE --json OUT [--runs N]`. It starts the
app as a user does (`ui.app.start`: the database, the main window on Pacientes, the
day's backup and the integrity check), waits for those checks to end, and then times
each screen: from the user's action (a click in the navigation, opening a patient, a
dialog) until the screen has its data and has been painted. The clock is set to the
middle of the busiest month of the database, so the Agenda and Receitas open on it.

A measurement waits for two things: the screen's own "loaded" condition (its rows are
set; for the report window, its background load ended) and, after that, a paint of the
widget that shows the data. Each screen runs once to warm up, then `--runs` times; the
median goes to the JSON with the process's peak resident memory.

Every statement the process sends to the database is counted at the driver
(statements.py); a screen's `round_trips` are those sent from its action until it was
painted, in any thread (its background reads too), and `connections_opened` the new
connections among them. So that they are the screen's alone, the two polls of the main
window (the change counter every 2 s, the count of package alerts after each page
change) are stopped while the screens are measured; the alert count is measured as an
item of its own (`alert_count`, the background read behind the badge of Gestão
Financeira). `--statements NAME…` prints the statements of those screens' last run.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import statements
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

TIMEOUT_S = 60.0


class PaintSpy(QObject):
    """Counts paint events of the watched widgets."""

    def __init__(self):
        super().__init__()
        self.paints = 0
        self.watched: list[QWidget] = []

    def watch(self, widget: QWidget) -> None:
        widget.installEventFilter(self)
        self.watched.append(widget)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False

    def release(self) -> None:
        for widget in self.watched:
            with contextlib.suppress(RuntimeError):  # deleted already
                widget.removeEventFilter(self)
        self.watched.clear()


def timed(
    action: Callable[[], object],
    painted: Callable[[object], list[QWidget]],
    ready: Callable[[object], bool] = lambda _result: True,
) -> tuple[float, object, statements.Snapshot]:
    """Milliseconds from `action()` until `ready(result)` holds and, after that, one of
    the widgets `painted(result)` was painted. Returns (ms, result, the statements sent
    meanwhile)."""
    app = QApplication.instance()
    spy = PaintSpy()
    counted = statements.snapshot()
    started = time.perf_counter()
    result = action()
    for widget in painted(result):
        spy.watch(widget)
    deadline = started + TIMEOUT_S
    # Wait as the app's event loop does: blocked until an event comes (a busy loop here
    # would hold the interpreter and slow down the screen's own background work). The
    # ticker wakes the wait now and then so the conditions are looked at.
    ticker = QTimer()
    ticker.start(5)
    wait = QEventLoop.ProcessEventsFlag.WaitForMoreEvents
    try:
        while not ready(result):
            app.processEvents(wait)
            if time.perf_counter() > deadline:
                raise RuntimeError("the screen never finished loading")
        seen = spy.paints
        while spy.paints == seen:
            app.processEvents(wait)
            if time.perf_counter() > deadline:
                raise RuntimeError("the screen was never painted")
        elapsed = (time.perf_counter() - started) * 1000
        sent = statements.snapshot() - counted
    finally:
        ticker.stop()
        spy.release()
    return elapsed, result, sent


def settle() -> None:
    """Before an action (not timed): the app is idle, as when a person clicks. Pending
    events and deletions run, and background reads a previous screen started (the rest
    of Receitas or of the report) end first."""
    from r3izzy_desktop.ui.common import jobs

    app = QApplication.instance()
    for _ in range(3):
        app.processEvents()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        ticker = QTimer()
        ticker.start(5)
        while jobs.running_jobs():
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        ticker.stop()
    app.processEvents()


def _longest_stall(window, session) -> tuple[float, float]:
    """(the longest gap in ms between two ticks of a 20 ms timer that scrolls the patients
    list, seconds the checks took) from now until the start-up checks end."""
    table = window.page("patients").list_page.table
    bar = table.verticalScrollBar()
    ticks: list[float] = []
    loop = QEventLoop()  # an event loop of its own: the app's would quit the app

    def tick() -> None:
        ticks.append(time.perf_counter())
        bar.setValue((bar.value() + 3) % max(1, bar.maximum()))
        if session.checks_finished():
            loop.quit()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(20)
    started = time.perf_counter()
    loop.exec()
    timer.stop()
    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
    return max(gaps, default=0.0), time.perf_counter() - started


def _until_complete(window) -> float:
    """Milliseconds more until the report window has every row (not part of the figure)."""
    app = QApplication.instance()
    started = time.perf_counter()
    ticker = QTimer()
    ticker.start(5)
    while window.is_loading():
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    ticker.stop()
    return (time.perf_counter() - started) * 1000


def busiest_month() -> date:
    """The first day of the month with the most live sessions."""
    from r3izzy_desktop.core.store.binding import db, is_postgres

    # The month as text: SQLite keeps the time as ISO text, PostgreSQL as a timestamp.
    month_of = "to_char(starts_at, 'YYYY-MM')" if is_postgres() else "substr(starts_at, 1, 7)"
    (month,) = db.execute_sql(
        f"SELECT {month_of} AS m FROM session WHERE deleted_at IS NULL "
        "GROUP BY m ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    return date.fromisoformat(f"{month}-01")


def busiest_week(month: date) -> date:
    """A day of the month's busiest week (by sessions from Sunday to Saturday)."""
    from r3izzy_desktop.core import agenda

    rows = agenda.sessions_between(month, month + timedelta(days=30))
    counts: dict[date, int] = {}
    for row in rows:
        day = row.starts_at.date()
        sunday = day - timedelta(days=(day.weekday() + 1) % 7)
        counts[sunday] = counts.get(sunday, 0) + 1
    return max(counts, key=counts.get) + timedelta(days=3)


def subjects() -> dict[str, int]:
    """The patient with the most packages, the package with the most history lines, and an
    `ativo` package with sessions left whose patient has the most open sessions."""
    from r3izzy_desktop.core.store.binding import db

    def one(sql: str) -> int:
        return db.execute_sql(sql).fetchone()[0]

    return {
        "patient": one(
            "SELECT patient_id FROM package GROUP BY patient_id ORDER BY count(*) DESC, "
            "patient_id LIMIT 1"
        ),
        "history_package": one(
            "SELECT package_id FROM package_event GROUP BY package_id "
            "ORDER BY count(*) DESC, package_id LIMIT 1"
        ),
        "pay_package": one(
            "SELECT k.id FROM package k JOIN session s ON s.patient_id = k.patient_id "
            "WHERE k.status = 'ativo' AND k.sessions_used < k.sessions_total "
            "AND s.deleted_at IS NULL AND s.attendance != 'falta_justificada' "
            "AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.session_id = s.id "
            "AND p.voided_at IS NULL) GROUP BY k.id ORDER BY count(*) DESC, k.id LIMIT 1"
        ),
    }


PROFILE: set[str] = set()  # screens to profile (--profile, for investigating)
SHOW_STATEMENTS: set[str] = set()  # screens whose statements are printed (--statements)
ONLY: set[str] = set()  # when set, only these screens are measured (--only)


def measure_screens(url: str, runs: int, log: Callable[[str], None]) -> dict:
    from r3izzy_desktop.core import clock
    from r3izzy_desktop.core.database import open_database

    open_database(url, create=False)
    month = busiest_month()
    week_day = busiest_week(month)
    who = subjects()
    # "Today" is the middle of the busiest month: the Agenda and Receitas open on it.
    with clock.frozen(datetime.combine(month + timedelta(days=14), datetime.min.time())):
        return _measure(url, runs, month, week_day, who, log)


def _measure(url, runs, month, week_day, who, log) -> dict:
    from r3izzy_desktop.core import packages
    from r3izzy_desktop.ui.shell import app as app_module

    session = app_module.start(url)
    if session is None:
        raise RuntimeError("the app did not open the database")
    window = session.window
    window.resize(1280, 800)
    qt_app = QApplication.instance()
    qt_app.processEvents()
    # The day's backup and the integrity check run now: scroll the patients list the
    # while, and tell how long the window ever went without answering (not a figure of
    # the JSON; the checks themselves are not timed).
    longest, seconds = _longest_stall(window, session)
    log(
        f"  while the start-up backup and integrity check ran ({seconds:.1f} s), the window's "
        f"longest stall was {longest:.0f} ms (scrolling the patients list every 20 ms)"
    )
    session.finish_checks()
    # The window's polls, stopped: what a screen sends is then the screen's alone.
    window.live_refresh.stop()
    window.alert_count.stop()
    window.alert_count.update = lambda: None
    settle()
    area = window.page("patients")
    pay_summary = packages.summary(who["pay_package"])
    history_count = len(packages.history(who["history_package"]))
    patient_packages = len(packages.list_packages(who["patient"]))
    log(
        f"  busiest month {month:%m/%Y}; patient {who['patient']} with {patient_packages} "
        f"packages; package {who['history_package']} with {history_count} history lines; "
        f"pay dialog for package {pay_summary.number}"
    )

    def go_patients():
        window.show_page("agenda")
        settle()
        area.go_to("list")  # the list level, as after "Pacientes" in the breadcrumb
        window.show_page("receitas")
        settle()

    # -- the screens: (name, before (untimed), action, widgets to watch, ready) ---------
    def patients():
        return window.show_page("patients")

    def patient_page():
        area.open_patient(who["patient"])
        return area.patient_page

    def package_list():
        area.open_packages(who["patient"])
        return area.packages_page

    def history_dialog():
        from r3izzy_desktop.ui.packages.history import HistoryDialog

        dialog = HistoryDialog(who["history_package"], window)
        dialog.show()
        return dialog

    def pay_dialog():
        from r3izzy_desktop.ui.packages.pay_sessions import PaySessionsDialog

        dialog = PaySessionsDialog(who["pay_package"], window)
        dialog.show()
        return dialog

    def agenda_month():
        page = window.show_page("agenda")
        return page

    def agenda_week():
        page = window.page("agenda")
        page.calendar.set_view("week")
        return page

    def receitas_month():
        return window.show_page("receitas")

    def report():
        finance = window.show_page("finance")
        return finance.open_report()

    def finance_page():
        return window.show_page("finance")

    def credit_window():
        from r3izzy_desktop.ui.finance.credit import open_credit_window

        return open_credit_window(window.page("finance"))

    def receipts_window():
        return window.page("finance").open_receipts()

    def login_window():
        from r3izzy_desktop.ui.shell.login import LoginDialog

        dialog = LoginDialog(window)
        dialog.show()
        return dialog

    def close(widget):
        widget.close()
        widget.deleteLater()
        settle()

    def to_month_view():
        page = window.show_page("agenda")
        page.calendar.set_view("month")
        page.calendar.set_date(week_day)
        window.show_page("receitas")
        settle()

    def to_week_month_day():
        page = window.show_page("agenda")
        page.calendar.set_view("month")
        page.calendar.set_date(week_day)
        settle()

    def leave_for_patients():
        window.show_page("patients")
        settle()

    def leave_for_finance():
        finance = window.show_page("finance")
        ticker = QTimer()
        ticker.start(5)
        while finance.is_loading():  # its figures load in the background: not timed
            qt_app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        ticker.stop()
        settle()

    def patient_list_level():
        window.show_page("patients")
        area.go_to("list")
        settle()

    def patient_level():
        window.show_page("patients")
        area.open_patient(who["patient"])
        settle()

    screens = [
        ("patients", go_patients, patients, lambda a: [a.list_page.table.viewport()], None),
        (
            "patient_page",
            patient_list_level,
            patient_page,
            lambda p: [p],
            None,
        ),
        (
            "package_list",
            patient_level,
            package_list,
            lambda p: [p.container],
            None,
        ),
        ("package_history", settle, history_dialog, lambda d: [d.table.viewport()], None),
        ("pay_sessions_dialog", settle, pay_dialog, lambda d: [d.sessions.viewport()], None),
        (
            "agenda_month",
            to_month_view,
            agenda_month,
            lambda p: [p.calendar.month_view],
            None,
        ),
        (
            "agenda_week",
            to_week_month_day,
            agenda_week,
            lambda p: [p.calendar.week_view.grid],
            None,
        ),
        (
            "receitas_month",
            leave_for_patients,
            receitas_month,
            lambda p: [p.table.viewport()],
            # Its first rows and the footer's totals: the rest loads behind (timed apart).
            lambda p: p.rows_shown(),
        ),
        (
            "finance",
            leave_for_patients,
            finance_page,
            lambda p: [p.alerts.table.viewport()],
            # Its figures and its alerts, one background read; its chart's twelve months are
            # read after they are painted (timed apart, below).
            lambda p: not p.figures_loading(),
        ),
        (
            "credit_rollforward",
            leave_for_finance,
            credit_window,
            lambda w: [w.table.viewport()],
            # The page's period (this month): its figures and months, read in the background.
            lambda w: not w.is_loading(),
        ),
        (
            "receipts",
            leave_for_finance,
            receipts_window,
            lambda w: [w.table.viewport()],
            # The year's first receipts and its summary: the rest loads behind.
            lambda w: w.rows_shown(),
        ),
        # The login window (R23) as it opens before the main window (logging in itself,
        # a password hash checked and written down, is timed on a copy: run.py).
        ("login", settle, login_window, lambda d: [d], None),
        (
            "package_report",
            leave_for_finance,
            report,
            lambda w: [w.table.viewport()],
            # Its first rows and the totals: the rest loads behind (timed apart, below).
            lambda w: w.rows_shown(),
        ),
    ]
    dialogs = {
        "package_history",
        "pay_sessions_dialog",
        "package_report",
        "credit_rollforward",
        "receipts",
        "login",
    }
    everything_ms: dict[str, list[float]] = {}  # until every row is in (report, Receitas…)
    results: dict[str, float] = {}
    details: dict[str, list[float]] = {}
    round_trips: dict[str, int] = {}
    connections: dict[str, int] = {}
    for name, before, action, painted, ready in screens:
        if ONLY and name not in ONLY:
            continue
        times = []
        sent_runs: list[statements.Snapshot] = []
        for run in range(runs + 1):
            before()
            statements.record(name in SHOW_STATEMENTS and run == runs)
            profiler = None
            if name in PROFILE and run:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            ms, shown, sent = timed(action, painted, ready or (lambda _r: True))
            kept = statements.record(False)
            if profiler is not None:
                import pstats

                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            _check_shown(name, shown, who, month)
            if name in ("package_report", "receitas_month", "receipts", "finance"):
                everything_ms.setdefault(name, []).append(ms + _until_complete(shown))
            if name in dialogs:
                close(shown)
            if run:  # the first run warms up
                times.append(ms)
                sent_runs.append(sent)
            for line in kept:
                log(f"      {line}")
        results[name] = round(statistics.median(times), 1)
        details[name] = [round(t, 1) for t in times]
        round_trips[name] = max(s.statements for s in sent_runs)
        connections[name] = max(s.connections for s in sent_runs)
        counts = sorted({s.statements for s in sent_runs})
        log(
            f"  {name}: median {results[name]} ms  (runs: {details[name]}); "
            f"{round_trips[name]} statements"
            + (f" (runs: {counts})" if len(counts) > 1 else "")
            + (f", {connections[name]} new connection(s)" if connections[name] else "")
        )
    if not ONLY or "alert_count" in ONLY:
        _measure_alert_count(runs, results, details, round_trips, connections, log)
    for name, times in everything_ms.items():
        log(
            f"  ({name}, until every row is in: median "
            f"{statistics.median(times[1:] or times):.0f} ms; not part of the figures)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    window.close()
    settle()
    return {
        "screens_ms": results,
        "round_trips": round_trips,
        "connections_opened": connections,
        "peak_rss_mb": round(peak, 1),
        "runs_ms": details,
    }


def _measure_alert_count(runs, results, details, round_trips, connections, log) -> None:
    """The read behind the alerts' badge (`packages.alert_count`, in a background job after
    every page change): from the job's start to its count back on the UI thread."""
    from r3izzy_desktop.core import packages
    from r3izzy_desktop.ui.common.jobs import Job

    times, sent_runs = [], []
    for run in range(runs + 1):
        settle()
        box: dict = {}
        counted = statements.snapshot()
        started = time.perf_counter()
        job = Job(lambda _p: packages.alert_count(), "avisos de pacotes")
        job.succeeded.connect(lambda count, box=box: box.setdefault("count", count))
        job.start()
        app = QApplication.instance()
        ticker = QTimer()
        ticker.start(5)
        while "count" not in box:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        ticker.stop()
        if run:
            times.append((time.perf_counter() - started) * 1000)
            sent_runs.append(statements.snapshot() - counted)
    name = "alert_count"
    results[name] = round(statistics.median(times), 1)
    details[name] = [round(t, 1) for t in times]
    round_trips[name] = max(s.statements for s in sent_runs)
    connections[name] = max(s.connections for s in sent_runs)
    log(
        f"  {name}: median {results[name]} ms  (runs: {details[name]}); "
        f"{round_trips[name]} statements, {connections[name]} new connection(s)"
    )


def packages_count() -> int:
    from r3izzy_desktop.core.store.models import Package

    return Package.select().count()


def _check_shown(name: str, shown, who: dict[str, int], month: date) -> None:
    """Fail loudly when a screen did not really show its data."""
    from r3izzy_desktop.core import packages

    if name == "patients":
        from r3izzy_desktop.ui.patients.list_page import BATCH

        # Every patient counted, the first batch of them read (the rest as it scrolls).
        model = shown.list_page.model
        ok = model.total > 1000 and model.rowCount() >= min(BATCH, model.total)
    elif name == "patient_page":
        ok = shown.patient_id == who["patient"] and shown.header.title.text() != ""
    elif name == "package_list":
        from r3izzy_desktop.ui.packages.list_page import FIRST_BATCH

        # The first screenful of cards is there; the rest are built in later batches.
        newest = packages.list_packages(who["patient"])
        ok = len(shown.cards) >= min(FIRST_BATCH, len(newest)) and [
            card.summary.id for card in shown.cards[:FIRST_BATCH]
        ] == [summary.id for summary in newest[:FIRST_BATCH]]
    elif name == "package_history":
        ok = shown.model.rowCount() == len(packages.history(who["history_package"]))
    elif name == "pay_sessions_dialog":
        ok = shown.sessions.count() >= 1
    elif name == "agenda_month":
        ok = shown.calendar.view() == "month" and len(shown.calendar.rows()) > 1000
    elif name == "agenda_week":
        ok = shown.calendar.view() == "week" and len(shown.calendar.rows()) > 100
    elif name == "receitas_month":
        from r3izzy_desktop.core.reports import receitas

        start, end = shown.period()
        everything = receitas.count(start, end)
        ok = (
            start == month
            and everything > 1000
            and shown.model.rowCount() >= min(50, everything)
            and shown.received_label.text().startswith("R$")
        )
    elif name == "finance":
        ok = shown.summary is not None and shown.alerts.model.rowCount() == len(shown.alerts.alerts)
        ok = ok and len(shown.alerts.alerts) > 0
    elif name == "credit_rollforward":
        ok = shown.roll is not None and shown.model.rowCount() > 0
    elif name == "receipts":
        from r3izzy_desktop.core import receipts

        totals = receipts.year_totals(shown.current_year())
        ok = (
            totals.count > 1000
            and shown.model.rowCount() >= min(50, totals.count)
            and shown.summary.text().startswith(f"{totals.count} recibos")
        )
    elif name == "login":
        ok = shown.form.login.isVisible() and shown.quit_button.isVisible()
    elif name == "package_report":
        everything = packages_count()
        ok = (
            shown.model.rowCount() >= min(50, everything)
            and shown.totals_model.row_at(0).packages == everything
        )
    else:
        ok = False
    if not ok:
        raise RuntimeError(f"{name}: the screen did not show the expected data")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", nargs="*", default=None, help="only these screens")
    parser.add_argument("--profile", nargs="*", default=[], help="print a profile of these")
    parser.add_argument(
        "--statements", nargs="*", default=[], help="print the statements of these screens"
    )
    args = parser.parse_args()
    PROFILE.update(args.profile)
    SHOW_STATEMENTS.update(args.statements)
    statements.install()
    ONLY.update(args.only or [])
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    url = args.db
    if not url.startswith(("postgresql://", "postgres://")):
        url = str(Path(url).resolve())
    result = measure_screens(url, args.runs, lambda text: print(text))
    Path(args.json).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
