"""Background jobs: the work runs in another thread, its signals arrive in the UI thread,
cancel stops it at the next progress report, failures are handed over."""

import threading

import pytest
from PySide6.QtCore import QObject, Slot

from r3izzy_desktop.core import clinic
from r3izzy_desktop.core.database import (
    close_database,
    close_every_connection,
    current_database,
    open_database,
    storage_problem,
)
from r3izzy_desktop.core.errors import ValidationError
from r3izzy_desktop.core.store import pool
from r3izzy_desktop.ui.common import jobs
from r3izzy_desktop.ui.common.jobs import Job
from tests.helpers import pg, workers
from tests.helpers.workers import server_process


class Listener(QObject):
    def __init__(self, job: Job):
        super().__init__()
        self.events = []
        self.threads = set()
        job.progressed.connect(self.progressed)
        job.succeeded.connect(self.succeeded)
        job.failed.connect(self.failed)
        job.cancelled.connect(self.cancelled)

    def _note(self, *event):
        self.events.append(event)
        self.threads.add(threading.current_thread())

    @Slot(int, int)
    def progressed(self, done, total):
        self._note("progress", done, total)

    @Slot(object)
    def succeeded(self, result):
        self._note("ok", result)

    @Slot(object)
    def failed(self, error):
        self._note("failed", error)

    @Slot()
    def cancelled(self):
        self._note("cancelled")


def run(qtbot, fn) -> Listener:
    job = Job(fn, "teste")
    listener = Listener(job)
    job.start()
    qtbot.waitUntil(lambda: bool(listener.events) and listener.events[-1][0] != "progress")
    assert job.wait(5) and not job.is_running()
    return listener


def test_work_runs_off_the_ui_thread_and_reads_the_database(qtbot, db, patient):
    workers = []

    def work(progress):
        workers.append(threading.current_thread())
        progress(1, 2)
        return [p.name for p in clinic.find_patients("")]

    listener = run(qtbot, work)
    assert listener.events == [("progress", 1, 2), ("ok", ["Ana Souza"])]
    assert workers[0] is not threading.main_thread()
    assert listener.threads == {threading.main_thread()}


def test_a_domain_error_is_handed_over(qtbot, db):
    def work(progress):
        raise ValidationError("Período inválido.")

    listener = run(qtbot, work)
    assert listener.events[0][0] == "failed"
    assert str(listener.events[0][1]) == "Período inválido."


def test_cancel_stops_at_the_next_progress_report(qtbot, db):
    started, go_on = threading.Event(), threading.Event()

    def work(progress):
        started.set()
        go_on.wait(5)
        progress(1, 1)
        return "should not finish"

    job = Job(work)
    listener = Listener(job)
    job.start()
    assert started.wait(5)
    assert job in jobs.running_jobs()
    job.cancel()
    go_on.set()
    qtbot.waitUntil(lambda: listener.events == [("cancelled",)])
    assert jobs.wait_for_all(5)


def test_a_job_runs_once(qtbot, db):
    job = Job(lambda progress: None).start()
    assert job.wait(5)
    with pytest.raises(RuntimeError):
        job.start()


def test_quitting_cancels_and_waits(qtbot, db):
    started = threading.Event()

    def work(progress):
        started.set()
        while True:
            progress(0, 1)
            threading.Event().wait(0.01)

    job = Job(work).start()
    assert started.wait(5)
    jobs._registry().stop_all()
    assert not job.is_running()


def test_a_job_started_after_paint_waits_for_the_widgets_first_paint(qtbot, db, monkeypatch):
    from PySide6.QtWidgets import QLabel

    monkeypatch.setattr(jobs, "AFTER_PAINT_LATEST_MS", 10_000)  # only the paint starts it
    shown = QLabel("primeiras linhas")
    qtbot.addWidget(shown)
    job = Job(lambda _progress: "lido", "teste")
    listener = Listener(job)
    jobs.start_after_paint(job, shown)
    qtbot.wait(50)
    assert not job.is_running() and listener.events == []  # nothing painted yet
    shown.show()
    qtbot.waitUntil(lambda: listener.events == [("ok", "lido")])


def test_a_job_started_after_paint_starts_anyway_when_nothing_is_painted(qtbot, db):
    from PySide6.QtWidgets import QLabel

    hidden = QLabel("nunca mostrado")
    qtbot.addWidget(hidden)
    job = Job(lambda _progress: "lido", "teste")
    listener = Listener(job)
    jobs.start_after_paint(job, hidden)
    qtbot.waitUntil(lambda: listener.events == [("ok", "lido")], timeout=2000)


def test_a_job_done_with_its_signals_on_their_way_is_kept_until_they_arrive(qtbot, db):
    # The report's first rows start the full read from their job's `ended`. Another job
    # ending just before (its `ended` still queued when this one finished in its thread)
    # used to forget every job no longer running, this one too: freed by Python before
    # its own signals arrived, it never told them, and the window stayed "Carregando…".
    first = Job(lambda _progress: "primeiro", "teste").start()
    assert first.wait(5)  # its `ended` is queued, not yet delivered
    second = Job(lambda _progress: "segundo", "teste")
    told = []
    second.succeeded.connect(lambda result: told.append(result))  # as the report does
    second.ended.connect(lambda: told.append("fim"))
    second.start()
    assert second.wait(5)  # done in its thread; its signals are queued after first's
    del second  # the window keeps no reference to a job it started
    qtbot.waitUntil(lambda: told == ["segundo", "fim"], timeout=2000)


def test_a_job_waiting_for_a_paint_does_not_start_once_its_database_is_closed(qtbot, db):
    # A page's chart read waits for the page's paint (at most AFTER_PAINT_LATEST_MS): when
    # the database was closed or replaced meanwhile it ran on none and told an error.
    from PySide6.QtWidgets import QLabel

    from r3izzy_desktop.core.database import close_database

    hidden = QLabel("nunca mostrado")
    qtbot.addWidget(hidden)
    ran = []
    job = Job(lambda _progress: ran.append("lido"), "teste")
    jobs.start_after_paint(job, hidden)
    close_database()
    qtbot.wait(jobs.AFTER_PAINT_LATEST_MS * 3)
    assert not job.is_running() and not job._started and ran == []


# -- connections: a job takes the one the last job handed back (core/store/pool.py) -------


def alive_on_server(process) -> bool:
    return workers.alive_on_server(process, pg._admin_connection)


@pytest.fixture
def server_db():
    """A fresh database on the server, with one patient."""
    with pg.fresh_schema() as url:
        database = open_database(url)
        clinic.add_patient("Ana Souza")
        yield database
        assert jobs.wait_for_all(5)
        close_database()


def result_of(qtbot, fn):
    listener = run(qtbot, fn)
    assert listener.events[-1][0] == "ok", listener.events
    return listener.events[-1][1]


@pytest.mark.postgres
def test_two_jobs_in_a_row_on_a_server_share_one_connection(qtbot, server_db):
    # Each background read (Gestão Financeira, its alerts, Saldo de créditos, the report)
    # paid a whole new connection to the server before its query: TCP, start-up,
    # authentication, a few round trips on a clinic's network.
    first = result_of(qtbot, lambda _p: server_process())
    second = result_of(qtbot, lambda _p: (server_process(), clinic.find_patients("")[0].name))
    assert second == (first, "Ana Souza")


def test_two_jobs_in_a_row_on_a_sqlite_file_share_one_connection(qtbot, db):
    first = result_of(qtbot, lambda _p: current_database().connection())
    assert result_of(qtbot, lambda _p: current_database().connection()) is first


@pytest.mark.postgres
def test_a_job_after_the_server_ended_the_pooled_connection_succeeds(qtbot, server_db):
    ended = result_of(qtbot, lambda _p: server_process())
    with pg._admin_connection() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (ended[0],))
    qtbot.waitUntil(lambda: not alive_on_server(ended), timeout=5000)  # as a restart leaves it
    replaced = result_of(qtbot, lambda _p: (server_process(), clinic.find_patients("")[0].name))
    assert replaced[0] != ended and replaced[1] == "Ana Souza"
    assert result_of(qtbot, lambda _p: server_process()) == replaced[0]


@pytest.mark.postgres
def test_a_job_that_met_an_unnoticed_dead_connection_leaves_a_new_one_to_the_next(
    qtbot, server_db, monkeypatch
):
    # The server ended the connection just as the job took it (nothing had arrived yet):
    # that job fails, as any read does when the server goes away, and the next one works.
    ended = result_of(qtbot, lambda _p: server_process())
    with pg._admin_connection() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (ended[0],))
    qtbot.waitUntil(lambda: not alive_on_server(ended), timeout=5000)
    with monkeypatch.context() as patched:
        patched.setattr(pool.ServerDatabase, "_ended_by_server", lambda self, conn: False)
        listener = run(qtbot, lambda _p: clinic.find_patients(""))
    assert listener.events[0][0] == "failed"
    assert storage_problem(listener.events[0][1]) is not None  # "O servidor … não está respondendo"
    assert server_db.idle_connections() == 0
    again = result_of(qtbot, lambda _p: (server_process(), clinic.find_patients("")[0].name))
    assert again[0] != ended and again[1] == "Ana Souza"


@pytest.mark.postgres
def test_a_job_running_while_the_database_is_switched_leaves_no_connection_to_it(qtbot, server_db):
    started, go_on = threading.Event(), threading.Event()

    def long_read(_progress):
        process = server_process()
        started.set()
        go_on.wait(5)
        return process

    pooled = result_of(qtbot, lambda _p: server_process())  # idle in the pool
    job = Job(long_read, "teste")
    listener = Listener(job)
    job.start()
    assert started.wait(5)
    with pg.fresh_schema() as other_url:
        open_database(other_url)  # another database (Configurações, a restore)
        assert server_db.retired and server_db.idle_connections() == 0
        go_on.set()
        qtbot.waitUntil(lambda: bool(listener.events), timeout=5000)
        held = listener.events[0][1]
        assert held == pooled  # it had taken the idle one
        qtbot.waitUntil(lambda: not alive_on_server(held), timeout=5000)
        assert server_db.idle_connections() == 0
        now = result_of(qtbot, lambda _p: (current_database(), server_process()))
        assert now[0] is not server_db and now[1] != held
        assert jobs.wait_for_all(5)
        close_database()


def test_closing_every_connection_for_a_restore_closes_the_pooled_ones(qtbot, db):
    pooled = result_of(qtbot, lambda _p: current_database().connection())
    close_every_connection()
    assert db.connections == [] and db.idle_connections() == 0
    with pytest.raises(Exception, match="closed"):
        pooled.execute("SELECT 1")
