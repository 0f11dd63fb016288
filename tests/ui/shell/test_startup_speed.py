"""What the start-up does not do: load screens, the Excel writer or the PostgreSQL driver
before they are needed; and the hidden switch the start-up benchmark uses
(R3IZZY_EXIT_WHEN_IDLE, ui/idle_exit.py). Each runs in a fresh interpreter, the way the
app starts."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from r3izzy_desktop.core import clinic
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.ui.shell import idle_exit

LATER = (
    "r3izzy_desktop.ui.patients.patient_page",
    "r3izzy_desktop.ui.patients.form",
    "r3izzy_desktop.ui.packages",
    "r3izzy_desktop.ui.settings.backup_dialogs",
    "r3izzy_desktop.core.backup",
    "r3izzy_desktop.ui.agenda",
    "r3izzy_desktop.ui.receitas",
    "r3izzy_desktop.ui.finance",
    "r3izzy_desktop.core.reports",
    "r3izzy_desktop.core.reports.export",
    "openpyxl",
    "psycopg",
)


def _env(tmp_path, **extra) -> dict[str, str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "R3IZZY_DATA_DIR": str(tmp_path / "dados"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        **extra,
    }
    env.pop("R3IZZY_DB", None)
    env.pop(idle_exit.ENV_EXIT_WHEN_IDLE, None)
    env.update(extra)
    return env


def _database(tmp_path) -> str:
    path = str(tmp_path / "clinica.db")
    open_database(path)
    clinic.add_patient("Ana Souza")
    close_database()
    return path


# What only a login, a locked window, a restore, a saved server password or the package
# pages use: imported when one is used, never for the first paint of Pacientes (issue 22).
NOT_FOR_THE_FIRST_PAINT = (
    "argon2",
    "r3izzy_desktop.ui.shell.login",
    "r3izzy_desktop.core.backup.restoring",
    "keyring",
    "r3izzy_desktop.core.packages",
    "r3izzy_desktop.ui.common.messages",  # the message boxes: when one is first shown
    "r3izzy_desktop.core.store.server",  # Configurações' server form
    # The clinic's services, settings and privacy: the first screen lists patients only.
    "r3izzy_desktop.core.clinic.catalog",
    "r3izzy_desktop.core.clinic.settings",
    "r3izzy_desktop.core.clinic.privacy",
    "logging.handlers",  # logs.RotatingLog rotates without it
    "getpass",  # only a command line's password prompt
    "r3izzy_desktop.ui.shell.setup_checklist",  # a clinic with patients is past its first steps
    # The number and money editors (fields.py): the first page has none.
    "r3izzy_desktop.ui.common.fields",
    "r3izzy_desktop.ui.common.parsed_edit",
)

# Qt classes the first page does not use. PySide makes a class's Python type, with every
# one of its enums as a Python Enum, the first time the class is imported: 1 to 5 million
# instructions each at start-up (QAbstractSpinBox and its enums 4.9 M, QTextEdit 4.1 M).
QT_TYPES_NOT_FOR_THE_FIRST_PAINT = (
    "QSpinBox",
    "QAbstractSpinBox",
    "QTextEdit",
    "QPlainTextEdit",
    "QValidator",
    "QDir",  # the stylesheet's images are named by their full path (app.load_stylesheet)
    "QToolTip",
)


def _start_and_list(tmp_path, modules: tuple[str, ...]) -> tuple[str, str]:
    """In a fresh interpreter: the app started on a database with one patient and no user,
    its window shown and painted on Pacientes; the patients listed and which of `modules`
    were imported by then."""
    code = f"""
        import sys
        from r3izzy_desktop.ui.shell import app
        session = app.start({_database(tmp_path)!r})
        window = session.window
        from PySide6.QtWidgets import QApplication
        QApplication.processEvents()
        shown = window.page("patients").list_page.rows()
        print([r.name for r in shown])
        print([m for m in {modules!r} if m in sys.modules])
        session.finish_checks()
        """
    names, loaded = _last_two_lines(tmp_path, code)
    return names, loaded


def _last_two_lines(tmp_path, code: str) -> list[str]:
    """The last two lines `code` (indented, the app's environment) prints in a fresh
    interpreter, which must end well."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-2:]


def test_the_main_window_opens_without_loading_the_other_screens(tmp_path):
    names, loaded = _start_and_list(tmp_path, LATER)
    assert names == "['Ana Souza']"
    assert loaded == "[]"


def test_the_first_paint_makes_no_python_type_of_qt_classes_it_does_not_use(tmp_path):
    code = f"""
        import gc
        from PySide6.QtWidgets import QApplication
        from r3izzy_desktop.ui.shell import app
        session = app.start({_database(tmp_path)!r})
        QApplication.processEvents()
        made = {{
            kind.__name__
            for kind in gc.get_objects()
            if isinstance(kind, type) and kind.__module__.startswith("PySide6.")
        }}
        print(sorted(made & {set(QT_TYPES_NOT_FOR_THE_FIRST_PAINT)!r}))
        print("QTableView" in made)  # the probe sees the types the page does use
        session.finish_checks()
        """
    made, sees = _last_two_lines(tmp_path, code)
    assert (made, sees) == ("[]", "True")


def test_the_first_paint_loads_no_password_hashing_restore_keyring_or_packages(tmp_path):
    names, loaded = _start_and_list(tmp_path, NOT_FOR_THE_FIRST_PAINT)
    assert names == "['Ana Souza']"
    assert loaded == "[]"


def test_the_checks_after_the_window_load_no_excel_writer(tmp_path):
    """The day's backup and the integrity check begin a second after the window, on the
    UI thread's timer: what they import then (openpyxl took 0.3 s) freezes the window."""
    code = """
        import sys, time
        from PySide6.QtWidgets import QApplication
        from r3izzy_desktop.ui.shell import app
        session = app.start(sys.argv[1])
        deadline = time.monotonic() + 60
        while not session.checks_finished() and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.01)
        print(session.checks_finished(), "openpyxl" in sys.modules)
        session.finish_checks()
        """
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), _database(tmp_path)],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "True False"


def test_exit_when_idle_quits_once_the_window_is_up(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "r3izzy_desktop", "--db", _database(tmp_path)],
        env=_env(tmp_path, **{idle_exit.ENV_EXIT_WHEN_IDLE: "1"}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == [idle_exit.IDLE_MARK]


def test_without_the_variable_nothing_is_installed(qtbot, monkeypatch):
    from PySide6.QtWidgets import QWidget

    monkeypatch.delenv(idle_exit.ENV_EXIT_WHEN_IDLE, raising=False)
    window = QWidget()
    qtbot.addWidget(window)
    idle_exit.install(window)
    assert not hasattr(window, "_exit_when_idle")
    for value, wanted in (("", False), ("0", False), ("1", True)):
        monkeypatch.setenv(idle_exit.ENV_EXIT_WHEN_IDLE, value)
        assert idle_exit.requested() is wanted


def test_no_widget_of_the_first_screen_has_a_style_sheet_of_its_own(qtbot, db, patient):
    """Each widget with its own style sheet has Qt polish it and all it holds once more
    (the rail's cost about 7 ms at start-up); the look belongs in style.qss."""
    from PySide6.QtWidgets import QWidget

    from r3izzy_desktop.ui.shell.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    own = [
        w.objectName() or type(w).__name__ for w in window.findChildren(QWidget) if w.styleSheet()
    ]
    assert own == []
    rail = window.findChild(QWidget, "rail")
    assert rail.grab().toImage().pixelColor(rail.width() - 4, rail.height() - 4).name() == "#ffffff"
