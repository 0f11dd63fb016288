"""The speed benchmark: the app on a busy clinic's database, measured against the floor.

    python -m r3izzy_desktop demo --size large --out large.db
    python tests/benchmarks/run.py --db large.db --json result.json

On PostgreSQL, the same large demo copied into an empty database by the app's own
transfer (`migrate-to`, core/store/transfer.py), reached through a loopback proxy that
adds a round trip of `--rtt-ms` (latency_proxy.py):

    createdb -h 127.0.0.1 -U postgres bench
    python tests/benchmarks/run.py --db postgresql://postgres@127.0.0.1:5432/bench \
        --copy-from large.db --rtt-ms 5 --json result-pg.json

Not part of the test suite (pytest never collects this folder, see conftest.py): it needs
the large database and a few quiet minutes of the machine. Every time is taken with
time.perf_counter; medians of `--runs` runs (5 by default; the start-ups at least 21)
after a warm-up. The database file is never changed: `pay_20_sessions_ms` pays on a
copy. Settings, logs and backups of the app runs go to a scratch folder, never the
user's. What is measured:

- startup_s: whole-process start, from spawning the process to the main window painted
  and idle (startup.py), the app (on the database, Pacientes with its 3,000 patients)
  against a bare PySide6 process with an empty QMainWindow (`ratio`) and against the
  least program on the stack, peewee reading the patients into a QTableView
  (stack_window.py, `ratio_to_stack`), the three side by side in one run.
- startup_frozen_s (only with `--frozen`): the same for the installed program, the app's
  one-folder PyInstaller bundle against the least program bundled the same way
  (frozen_startup.py; both are built first, which takes minutes).
- screens_ms and peak_rss_mb: each screen in the app's own process, from the user's action
  to the screen painted with its data (screens.py), and the peak resident memory of that
  process.
- round_trips: per screen, the statements the app sent to the database from the action
  until the screen was painted, counted at the driver (statements.py); on PostgreSQL each
  is a round trip to the server. connections_opened: the new connections among them
  (a background read's own connection, which costs round trips of its own).
- pay_20_sessions_ms: one packages.pay_sessions call paying 20 sessions, committed.
- login: on the same copy (two users added to it), `users.login` with the right password,
  from "Entrar" to logged in (the password's hash checked, the login written down), and
  the statements it sends; within it, the password's check against its hash (`hash_ms`,
  argon2 slow on purpose) and what the login takes beyond it (`app_ms`, the target's).
  The login window itself is in screens_ms.
- report: reports.package_report() over every package against one hand-written SQL
  statement giving the same figures (floors.py); they must be equal.
- import: bringing a clinic in (R24) on a fresh database: the preview and the import of
  10,000 patients (.xlsx), then of 10,000 open packages of theirs (.xlsx).

On a PostgreSQL database (`--db postgresql://…`) every part runs there: the screens and
the payments once straight to the server (loopback) and, with `--rtt-ms N`, once more
through the proxy (`screens_ms_pg_rtt{N}`, `pay_20_sessions_ms_pg_rtt{N}`); the floors
read the same server with bare psycopg; paying runs on a copy made with CREATE DATABASE
… TEMPLATE and the import on a fresh database of its own, both dropped at the end.
- export: the full report to .xlsx (see floors.FULL_REPORT) against bare openpyxl
  write-only mode writing the same cells; the two sheets must be equal.
- credit: reports.credit_rollforward (R20) over the five years ending on the last history
  line, against one hand-written SQL statement giving the same figures (credit_floor.py);
  they must be equal, figure by figure.

At the end every figure is held against its target (TARGETS, the README's table): the
JSON's "targets" says each one's value, limit and whether it was met; `--strict` makes a
missed target the exit status 1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import credit_floor  # noqa: E402
import database_url  # noqa: E402
import floors  # noqa: E402
import frozen_startup  # noqa: E402
import latency_proxy  # noqa: E402
import startup  # noqa: E402

STARTUP_RUNS = 21  # the start-ups measured, each program, alternating (at least)
SECTIONS = ("startup", "screens", "pay", "report", "export", "import", "credit")
SCREEN_MS, PAY_MS, PEAK_MB = 150, 100, 400
NETWORK_SCREEN_MS, NETWORK_PAY_MS, NETWORK_STATEMENTS = 150, 150, 4  # at --rtt-ms 5

# (what, the figure's path in the JSON, the largest value that meets the target).
TARGETS: tuple[tuple[str, str, float], ...] = (
    ("start-up against the least program on the stack", "startup_s.ratio_to_stack", 1.25),
    (
        "start-up of the frozen app against the least program frozen (--frozen)",
        "startup_frozen_s.ratio_to_stack",
        1.25,
    ),
    ("paying 20 sessions (ms)", "pay_20_sessions_ms", PAY_MS),
    ("paying 20 sessions at 5 ms of round trip (ms)", "pay_20_sessions_ms_pg_rtt5", NETWORK_PAY_MS),
    ("package report (s)", "report.app_s", 1.0),
    ("package report against its SQL floor", "report.ratio", 2.0),
    ("full report to Excel against bare openpyxl", "export.ratio", 1.3),
    ("credit roll-forward over five years (s)", "credit.app_s", 1.0),
    ("credit roll-forward against its SQL floor", "credit.ratio", 2.0),
    ("peak memory of the screens' process (MB)", "peak_rss_mb", PEAK_MB),
    # Logging in is the password's argon2 check (slow on purpose: its time is the hash's
    # parameters and the machine's cores, `login.hash_ms`) and what the app does around it:
    # the target is on that part, `app_ms`. It writes (its counters, the audit line), like
    # paying: a target in time; its statements are reported (`login.statements`), the
    # screens' target of 4 is for reads.
    ("logging in, beyond its password hash (ms)", "login.app_ms", SCREEN_MS),
    (
        "logging in at 5 ms of round trip, beyond its password hash (ms)",
        "login_pg_rtt5.app_ms",
        NETWORK_SCREEN_MS,
    ),
)


def log(text: str) -> None:
    print(text, flush=True)


def median_time(fn: Callable[[], object], runs: int, before=None) -> tuple[float, list[float]]:
    """Median seconds of `fn()` over `runs` runs after one warm-up run."""
    times = []
    for run in range(runs + 1):
        if before is not None:
            before()
        started = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - started
        if run:
            times.append(elapsed)
    return statistics.median(times), times


# --- screens (a child process: the app's own) ------------------------------------------


def measure_screens(db: str, workdir: Path, runs: int) -> dict:
    out = workdir / "screens.json"
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(workdir / "screens-config"),
        R3IZZY_DATA_DIR=str(workdir / "screens-data"),
    )
    env.pop("R3IZZY_DB", None)
    command = [sys.executable, str(HERE / "screens.py"), "--db", str(db), "--json", str(out)]
    done = subprocess.run([*command, "--runs", str(runs)], env=env, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the screens run failed ({done.returncode})")
    return json.loads(out.read_text(encoding="utf-8"))


# --- paying 20 sessions (on a copy) --------------------------------------------------------


def measure_pay(target: database_url.Target, workdir: Path, runs: int, via: str | None = None):
    """On a copy of the database (`via`: the URL the app reaches that copy by, when not
    straight): the median ms of paying 20 sessions, and of logging in (R23: "Entrar" with
    the right password, its hash checked and the login written down) with the statements
    it sends."""
    from r3izzy_desktop.core import packages
    from r3izzy_desktop.core.database import close_database, open_database

    with target.copy(workdir / "copy-for-paying.db") as copy:
        database = open_database(target.reach(copy, via), create=False)
        try:
            batches = _open_session_batches(database, runs + 1)
            made = []

            def before():
                patient, ids = batches[len(made)]
                total = database.execute_sql(
                    f"SELECT sum(price) FROM session WHERE id IN ({','.join(map(str, ids))})"
                ).fetchone()[0]
                from decimal import Decimal

                package = packages.create_package(patient, 20, Decimal(total) / 100)
                made.append((package.id, ids))

            def pay():
                package_id, ids = made[-1]
                packages.pay_sessions(package_id, ids, accept_price_adjustment=True)

            seconds, times = median_time(pay, runs, before)
            for package_id, _ids in made:
                assert packages.summary(package_id).sessions_used == 20
            log(f"  pay_sessions with 20 sessions: {[round(t * 1000, 1) for t in times]} ms")
            return {"pay_ms": round(seconds * 1000, 1), "login": _measure_login(runs)}
        finally:
            close_database()


LOGIN, PASSWORD = "recepcao", "Senha-de-teste-2026"


def _measure_login(runs: int) -> dict:
    """The login of a receptionist on the copy (its users added first: the large demo has
    none), from "Entrar" to logged in; the statements counted at the driver. Within each
    login the password's check against its hash (argon2's default profile, slow on
    purpose) is timed too: `hash_ms` is its median, and `app_ms` the median of what each
    login took beyond its own check (the round trips, the writes, the Python): the part
    the app's code decides."""
    import statements

    from r3izzy_desktop.core import access, users
    from r3izzy_desktop.core.users import passwords

    statements.install()
    users.add_user("Administradora", login="admin", password=PASSWORD, role=access.ADMINISTRADOR)
    users.login("admin", PASSWORD)  # who adds the others
    users.add_user("Recepção", login=LOGIN, password=PASSWORD, role=access.RECEPCAO)
    users.logout()
    verify = passwords.verify
    checking: list[float] = []

    def timed_verify(stored_hash: str, password: str) -> bool:
        started = time.perf_counter()
        try:
            return verify(stored_hash, password)
        finally:
            checking.append(time.perf_counter() - started)

    sent: list[int] = []
    logins: list[float] = []
    hashes: list[float] = []
    passwords.verify = timed_verify  # the login calls it through the module
    try:
        for run in range(runs + 1):  # the first a warm-up
            checking.clear()
            before = statements.snapshot()
            started = time.perf_counter()
            assert users.login(LOGIN, PASSWORD).login == LOGIN
            elapsed = time.perf_counter() - started
            sent.append((statements.snapshot() - before).statements)
            users.logout()
            assert len(checking) == 1  # one check of the password, nothing else hashed
            if run:
                logins.append(elapsed)
                hashes.append(checking[0])
    finally:
        passwords.verify = verify
    beyond = [total - check for total, check in zip(logins, hashes, strict=True)]
    log(
        f"  login: {[round(t * 1000, 1) for t in logins]} ms, {max(sent)} statements; "
        f"its hash check {[round(t * 1000, 1) for t in hashes]} ms"
    )
    return {
        "ms": round(statistics.median(logins) * 1000, 1),
        "hash_ms": round(statistics.median(hashes) * 1000, 1),
        "app_ms": round(statistics.median(beyond) * 1000, 1),
        "statements": max(sent),
    }


def _open_session_batches(database, wanted: int) -> list[tuple[int, list[int]]]:
    """`wanted` batches of 20 open sessions (the oldest first), each batch one patient's,
    from the patients with the most of them (a clinic seldom has 120 open sessions for one
    patient, so the runs take them from several)."""
    open_sessions = (
        "FROM session s WHERE s.deleted_at IS NULL "
        "AND s.attendance != 'falta_justificada' AND s.price > 0 AND NOT EXISTS "
        "(SELECT 1 FROM payment p WHERE p.session_id = s.id AND p.voided_at IS NULL)"
    )
    patients = database.execute_sql(
        f"SELECT s.patient_id, count(*) {open_sessions} "
        "GROUP BY s.patient_id HAVING count(*) >= 20 ORDER BY count(*) DESC, s.patient_id"
    ).fetchall()
    batches: list[tuple[int, list[int]]] = []
    for patient, _count in patients:
        ids = [
            row[0]
            for row in database.execute_sql(
                f"SELECT s.id {open_sessions} AND s.patient_id = {database.param} "
                "ORDER BY s.starts_at, s.id",
                (patient,),
            ).fetchall()
        ]
        for start in range(0, len(ids) - 19, 20):
            batches.append((patient, ids[start : start + 20]))
            if len(batches) == wanted:
                return batches
    raise SystemExit(f"only {len(batches)} batches of 20 open sessions, {wanted} needed")


# --- the report and the export against their floors ----------------------------------------


def measure_report(db: str, runs: int) -> dict:
    from r3izzy_desktop.core import reports
    from r3izzy_desktop.core.database import close_database, open_database

    open_database(db, create=False)
    connection = floors.connect(db)
    try:
        app, floor = reports.package_report(), floors.report_floor(connection)
        if floors.app_figures(app) != floors.floor_figures(floor):
            raise SystemExit("REPORT MISMATCH: the app's report and the SQL floor disagree")
        log(f"  report: {len(app.rows)} packages, the same figures as the SQL floor")
        app_times, floor_times = [], []
        for run in range(runs + 1):
            pair = _pair(run, reports.package_report, lambda: floors.report_floor(connection))
            if run:
                app_times.append(pair[0])
                floor_times.append(pair[1])
        app_s, floor_s = statistics.median(app_times), statistics.median(floor_times)
        log(f"  report runs: app {_ms(app_times)}, floor {_ms(floor_times)} ms")
        return {
            "app_s": round(app_s, 3),
            "sql_floor_s": round(floor_s, 3),
            "ratio": round(app_s / floor_s, 2),
        }
    finally:
        connection.close()
        close_database()


def measure_export(db: str, workdir: Path, runs: int) -> dict:
    from r3izzy_desktop.core import clock, reports
    from r3izzy_desktop.core.database import close_database, open_database
    from r3izzy_desktop.core.ptbr import format_datetime
    from r3izzy_desktop.core.reports import export

    log(f"  {floors.FULL_REPORT}")
    open_database(db, create=False)
    connection = floors.connect(db)
    app_file, floor_file = workdir / "app.xlsx", workdir / "floor.xlsx"

    def heading() -> list[list]:
        lines: list[list] = [
            ["Relatório de Pacotes"],
            [f"Exportado em {format_datetime(clock.now())}"],
        ]
        lines += [[f"{name}:", value] for name, value in reports.make_filters().describe()]
        return lines

    try:
        app_times, floor_times = [], []
        for run in range(runs + 1):
            app_s, floor_s = _pair(
                run,
                lambda: export.package_report_xlsx(app_file, include_history=False),
                lambda: floors.export_floor(connection, floor_file, heading()),
            )
            if run:
                app_times.append(app_s)
                floor_times.append(floor_s)
            log(f"  export run {run}: app {app_s:.2f} s, floor {floor_s:.2f} s")
        app_cells, floor_cells = floors.sheet_cells(app_file), floors.sheet_cells(floor_file)
        # The second line is the time of the export: it differs by the seconds between.
        if _without_time(app_cells) != _without_time(floor_cells):
            raise SystemExit("EXPORT MISMATCH: the app's sheet and the floor's differ")
        log(f"  export: both sheets hold the same {sum(len(r) for r in app_cells)} cells")
        app_s, floor_s = statistics.median(app_times), statistics.median(floor_times)
        return {
            "app_s": round(app_s, 2),
            "openpyxl_floor_s": round(floor_s, 2),
            "ratio": round(app_s / floor_s, 2),
        }
    finally:
        connection.close()
        close_database()


def _pair(run: int, app: Callable[[], object], floor: Callable[[], object]) -> tuple[float, float]:
    """Seconds of `app()` and of `floor()`, one right after the other, the app first on
    even runs and the floor first on odd ones: a slower moment of the machine hits both,
    and neither always runs second."""

    def timed(fn: Callable[[], object]) -> float:
        started = time.perf_counter()
        fn()
        return time.perf_counter() - started

    if run % 2 == 0:
        app_s = timed(app)
        return app_s, timed(floor)
    floor_s = timed(floor)
    return timed(app), floor_s


def _without_time(cells: list[tuple]) -> list[tuple]:
    return [row for index, row in enumerate(cells) if index != 1]


def _ms(times: list[float]) -> list[float]:
    return [round(t * 1000, 1) for t in times]


# --- the credit roll-forward against its floor (R20) --------------------------------------


def measure_credit(db: str, runs: int) -> dict:
    from r3izzy_desktop.core import reports
    from r3izzy_desktop.core.database import close_database, open_database

    open_database(db, create=False)
    connection = floors.connect(db)
    try:
        start, end = credit_floor.five_years(connection)

        def app():
            return reports.credit_rollforward(start, end)

        def floor():
            return credit_floor.credit_floor(connection, start, end)

        mine, theirs = credit_floor.app_figures(app()), credit_floor.floor_figures(floor())
        differ = [name for name in credit_floor.FIGURES if mine[name] != theirs[name]]
        if differ:
            details = ", ".join(f"{n}: app {mine[n]}, floor {theirs[n]}" for n in differ)
            raise SystemExit(f"CREDIT MISMATCH: the app and the SQL floor disagree ({details})")
        log(
            f"  credit {start.isoformat()} to {end.isoformat()}: the same "
            f"{len(credit_floor.FIGURES)} figures as the SQL floor (closing "
            f"{mine['closing']} centavos, {mine['consumed_count']} debits)"
        )
        app_times, floor_times = [], []
        for run in range(runs + 1):
            pair = _pair(run, app, floor)
            if run:
                app_times.append(pair[0])
                floor_times.append(pair[1])
        app_s, floor_s = statistics.median(app_times), statistics.median(floor_times)
        log(f"  credit runs: app {_ms(app_times)}, floor {_ms(floor_times)} ms")
        return {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "app_s": round(app_s, 3),
            "sql_floor_s": round(floor_s, 3),
            "ratio": round(app_s / floor_s, 2),
        }
    finally:
        connection.close()
        close_database()


# --- the targets ---------------------------------------------------------------------------


def _figure(result: dict, path: str):
    value: object = result
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def check_targets(result: dict) -> list[dict]:
    """Each target whose figure was measured: its value, its limit, whether it was met.
    Every screen has the same target (SCREEN_MS)."""
    targets = list(TARGETS)
    for name in result.get("screens_ms", {}):
        targets.append((f"screen {name} (ms)", f"screens_ms.{name}", SCREEN_MS))
    for name in result.get("screens_ms_pg_rtt5", {}):
        path = f"screens_ms_pg_rtt5.{name}"
        targets.append((f"screen {name} at 5 ms (ms)", path, NETWORK_SCREEN_MS))
    for name in result.get("round_trips_pg_rtt5", {}):
        path = f"round_trips_pg_rtt5.{name}"
        targets.append((f"screen {name} at 5 ms (statements)", path, NETWORK_STATEMENTS))
    checked = []
    for what, path, limit in targets:
        value = _figure(result, path)
        if value is None:
            continue
        checked.append(
            {"what": what, "figure": path, "value": value, "limit": limit, "met": value <= limit}
        )
    return checked


# --- bringing a clinic in (R24) ---------------------------------------------------------

IMPORT_ROWS = 10_000


def _valid_cpf(seed: int) -> str:
    base = f"{seed:09d}"
    for size in (9, 10):
        total = sum(int(d) * w for d, w in zip(base, range(size + 1, 1, -1), strict=True))
        base += str((total * 10) % 11 % 10)
    return base


def measure_import(target: database_url.Target, workdir: Path) -> dict:
    from datetime import date, timedelta

    from openpyxl import Workbook

    from r3izzy_desktop.core import importing, integrity
    from r3izzy_desktop.core.database import close_database, open_database

    patients_file, packages_file = workdir / "pacientes.xlsx", workdir / "pacotes.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Pacientes")
    sheet.append(["Nome", "Telefone", "CPF", "Data de nascimento", "Responsável"])
    for i in range(IMPORT_ROWS):
        sheet.append(
            [
                f"Paciente {i:05d}",
                f"1198765{i:04d}",
                _valid_cpf(100_000_000 + i),
                date(1990, 1, 1) + timedelta(days=i),
                f"Responsável {i}",
            ]
        )
    book.save(patients_file)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Pacotes")
    sheet.append(["Paciente", "Data de pagamento", "Sessões restantes", "Saldo", "Validade"])
    for i in range(IMPORT_ROWS):
        sheet.append(
            [
                _valid_cpf(100_000_000 + i),
                date(2025, 5, 2),
                1 + i % 9,
                f"{250 * (1 + i % 9)},00",
                date(2026, 12, 31),
            ]
        )
    book.save(packages_file)
    result: dict = {}
    fresh = target.fresh(workdir / "import.db")
    open_database(fresh.url)
    try:
        for kind, path in (("patients", patients_file), ("packages", packages_file)):
            started = time.perf_counter()
            found = importing.preview(kind, path)
            previewed = time.perf_counter()
            done = importing.import_preview(found)
            imported = time.perf_counter()
            assert done.created == IMPORT_ROWS and found.errors == 0, importing.counts_text(found)
            result[kind] = {
                "rows": IMPORT_ROWS,
                "preview_s": round(previewed - started, 2),
                "import_s": round(imported - previewed, 2),
            }
            log(f"  {kind}: {result[kind]}")
        assert integrity.check() == []
    finally:
        close_database()
        fresh.drop()
    return result


# --- the whole run ---------------------------------------------------------------------


def compile_bytecode(log) -> None:
    """Compile the app's modules to bytecode first, as an installed copy has them (pip
    compiles at install, the PyInstaller bundle carries them). Where the environment sets
    PYTHONDONTWRITEBYTECODE, Python would otherwise compile every module of the app from
    source at every start, a cost no installation pays; the floor's modules (PySide6 and
    the standard library) are compiled already."""
    import compileall

    import r3izzy_desktop

    package = Path(r3izzy_desktop.__file__).resolve().parent
    compileall.compile_dir(str(package), quiet=1)
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        log("  (PYTHONDONTWRITEBYTECODE is set: the app's bytecode was compiled beforehand)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", required=True, help="the large demo: a SQLite file or a postgresql:// URL"
    )
    parser.add_argument("--json", required=True, type=Path, help="where to write the figures")
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each (median)")
    parser.add_argument(
        "--copy-from",
        type=Path,
        help="PostgreSQL only: first copy this SQLite file (the large demo) into the "
        "database, which must be empty (the app's transfer, as `migrate-to`)",
    )
    parser.add_argument(
        "--rtt-ms",
        type=float,
        default=0,
        help="PostgreSQL only: measure the screens and the payments once more through a "
        "loopback proxy adding this round trip (latency_proxy.py)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=SECTIONS,
        help="measure only these parts (the JSON then holds only them)",
    )
    parser.add_argument(
        "--frozen",
        action="store_true",
        help="with the start-up: also build the app and the least program with PyInstaller "
        "(one folder each, a few minutes) and time the two executables (frozen_startup.py)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a target is missed"
    )
    args = parser.parse_args()
    wanted = set(args.only or SECTIONS)
    target = database_url.Target(args.db)
    if target.is_postgres:
        if args.copy_from:
            database_url.copy_into(args.copy_from.resolve(), target.url, log)
    elif args.copy_from or args.rtt_ms:
        raise SystemExit("--copy-from and --rtt-ms are for a postgresql:// database")
    elif not Path(target.url).is_file():
        raise SystemExit(f"no database at {target.url}")
    db = target.url
    workdir = Path(tempfile.mkdtemp(prefix="r3izzy-bench-"))
    os.environ["R3IZZY_DATA_DIR"] = str(workdir / "data")
    proxy = contextlib.ExitStack()
    try:
        from r3izzy_desktop.core.database import close_database, open_database

        open_database(db, create=False)  # brought to this version's schema, once
        close_database()
        slow = None  # the URL through the latency proxy
        if target.is_postgres and args.rtt_ms:
            port = proxy.enter_context(latency_proxy.running(target.host, target.port, args.rtt_ms))
            slow = target.through(port)
        rtt = f"_pg_rtt{args.rtt_ms:g}"
        log(
            f"Benchmark on {target.described} ({args.runs} runs each, medians)"
            + (f", and through a proxy adding {args.rtt_ms:g} ms of round trip" if slow else "")
        )
        result: dict = {"database": "postgresql" if target.is_postgres else "sqlite"}
        if slow:
            result["rtt_ms"] = args.rtt_ms
        screens: dict = {}
        if "startup" in wanted:
            log("start-up (whole process, to the window painted and idle):")
            compile_bytecode(log)
            # A start is a third of a second and this machine's speed moves by a third from
            # one second to the next: more runs than a screen's, so the median holds still.
            startup_runs = max(args.runs, STARTUP_RUNS)
            result["startup_s"] = startup.measure(db, workdir / "startup", startup_runs, log=log)
            log(f"  {result['startup_s']}")
            if args.frozen:
                log("start-up of the frozen programs (PyInstaller, one folder each):")
                result["startup_frozen_s"] = frozen_startup.measure(
                    db, workdir / "frozen", startup_runs, log=log
                )
                log(f"  {result['startup_frozen_s']}")
        if "screens" in wanted:
            log("screens (in the app's process):")
            screens = measure_screens(db, workdir, args.runs)
            result["screens_ms"] = screens["screens_ms"]
            result["round_trips"] = screens["round_trips"]
            result["connections_opened"] = screens["connections_opened"]
            if slow:
                log(f"screens through the proxy ({args.rtt_ms:g} ms round trip):")
                through = measure_screens(slow, workdir, args.runs)
                result[f"screens_ms{rtt}"] = through["screens_ms"]
                # The same statements; only those of a background read started with the
                # screen can fall on either side of its paint.
                result[f"round_trips{rtt}"] = through["round_trips"]
        if "pay" in wanted:
            log("paying 20 sessions (on a copy of the database):")
            straight = measure_pay(target, workdir, args.runs)
            result["pay_20_sessions_ms"] = straight["pay_ms"]
            result["login"] = straight["login"]
            if slow:
                log(f"paying 20 sessions through the proxy ({args.rtt_ms:g} ms round trip):")
                through = measure_pay(target, workdir, args.runs, via=slow)
                result[f"pay_20_sessions_ms{rtt}"] = through["pay_ms"]
                result[f"login{rtt}"] = through["login"]
        if "report" in wanted:
            log("report against the SQL floor:")
            result["report"] = measure_report(db, args.runs)
            log(f"  {result['report']}")
        if "export" in wanted:
            log("export against the openpyxl floor:")
            result["export"] = measure_export(db, workdir, args.runs)
            log(f"  {result['export']}")
        if "import" in wanted:
            log("import of 10,000 patients and 10,000 packages (a fresh database):")
            result["import"] = measure_import(target, workdir)
        if "credit" in wanted:
            log("credit roll-forward over five years against the SQL floor:")
            result["credit"] = measure_credit(db, args.runs)
            log(f"  {result['credit']}")
        if screens:
            result["peak_rss_mb"] = screens["peak_rss_mb"]
        result["targets"] = check_targets(result)
        missed = [target for target in result["targets"] if not target["met"]]
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        log(json.dumps(result, indent=2))
        for target in missed:
            log(f"TARGET NOT MET: {target['what']}: {target['value']} > {target['limit']}")
        if not missed:
            log(f"every target met ({len(result['targets'])})")
        return 1 if missed and args.strict else 0
    finally:
        proxy.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
