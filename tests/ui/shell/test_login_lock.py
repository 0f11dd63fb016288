"""R23 on the screens: the login window before the main window, the rail by role, the lock
after the idle minutes (nothing half-done lost) and "Trocar usuário"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout, QWidget

from r3izzy_desktop.core import clinic, users
from r3izzy_desktop.ui.shell import app as shell_app
from r3izzy_desktop.ui.shell.login import LoginDialog
from r3izzy_desktop.ui.shell.main_window import MainWindow, PageSpec
from tests.helpers.users import PASSWORD, add_staff, cheap_hasher, log_in_as  # noqa: F401

pytestmark = pytest.mark.usefixtures("cheap_hasher")


def pages() -> list[PageSpec]:
    return [
        PageSpec("patients", "Pacientes", "patients", QWidget),
        PageSpec("finance", "Gestão Financeira", "finance", QWidget, "view.finance"),
        PageSpec("settings", "Configurações", "settings", QWidget, "view.settings"),
    ]


def window(qtbot) -> MainWindow:
    made = MainWindow(pages())
    qtbot.addWidget(made)
    made.show()
    return made


def offered(made: MainWindow) -> list[str]:
    return [
        made.nav.item(i).text() for i in range(made.nav.count()) if not made.nav.item(i).isHidden()
    ]


def test_the_login_window_takes_a_user_and_refuses_a_wrong_password(qtbot, db):
    add_staff()
    dialog = LoginDialog()
    qtbot.addWidget(dialog)
    dialog.form.login.setText("rita")
    dialog.form.password.setText("errada")
    dialog.form.submit()
    assert dialog.form.message.isVisibleTo(dialog) and "incorretos" in dialog.form.message.text()
    assert dialog.form.password.text() == "" and dialog.user is None
    qtbot.keyClicks(dialog.form.password, PASSWORD)
    qtbot.keyClick(dialog.form.password, Qt.Key.Key_Return)
    assert dialog.user.login == "rita" and dialog.result() == QDialog.DialogCode.Accepted
    assert users.current_user().login == "rita"


def test_start_asks_for_a_login_when_the_database_has_users(qtbot, tmp_path, monkeypatch):
    from r3izzy_desktop.core.database import close_database, open_database

    path = str(tmp_path / "clinica.db")
    open_database(path)
    add_staff()
    close_database()
    asked = []
    monkeypatch.setattr(LoginDialog, "ask", classmethod(lambda cls, *a, **k: asked.append(1)))
    assert shell_app.start(path) is None and asked == [1]  # Sair: the app does not open

    monkeypatch.setattr(
        LoginDialog, "ask", classmethod(lambda cls, *a, **k: users.login("rita", PASSWORD))
    )
    session = shell_app.start(path)
    try:
        made = session.window
        assert offered(made) == ["Pacientes", "Agenda", "Receitas"]  # recepção
        assert made.user_label.text() == "Rita Recepção\nRecepção"
        assert made.switch_button.isVisibleTo(made)
    finally:
        session.finish_checks()
        session.window.close()
        close_database()


@pytest.mark.parametrize(
    ("role", "pages_offered"),
    [
        ("recepção", ["Pacientes"]),
        ("financeiro", ["Pacientes", "Gestão Financeira"]),
        ("administrador", ["Pacientes", "Gestão Financeira", "Configurações"]),
    ],
)
def test_the_rail_offers_what_the_role_uses(qtbot, db, role, pages_offered):
    add_staff()
    log_in_as(role)
    assert offered(window(qtbot)) == pages_offered


def test_without_users_everything_is_offered_and_nothing_locks(qtbot, db):
    made = window(qtbot)
    assert offered(made) == ["Pacientes", "Gestão Financeira", "Configurações"]
    assert not made.user_label.isVisibleTo(made) and not made.switch_button.isVisibleTo(made)
    assert made.lock.lock() is False and not made.lock.covers


class HalfDone(QDialog):
    def __init__(self, parent):
        super().__init__(parent)
        self.resize(420, 360)
        self.notes = QLineEdit()
        QVBoxLayout(self).addWidget(self.notes)


def test_the_lock_hides_everything_and_keeps_what_was_half_done(qtbot, db):
    add_staff()
    log_in_as("recepção")
    made = window(qtbot)
    dialog = HalfDone(made)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    qtbot.keyClicks(dialog.notes, "meio feito")
    made.lock.set_interval_ms(30)
    qtbot.waitUntil(lambda: made.lock.locked, timeout=5000)  # idle: it locks by itself
    hosts = {cover.parentWidget() for cover in made.lock.covers}
    assert {made, dialog} <= hosts
    for cover in made.lock.covers:
        assert cover.isVisible() and cover.geometry() == cover.parentWidget().rect()
    form = made.lock.form
    assert form.window() is dialog  # the form on the window in front
    assert not form.login_field.isVisibleTo(form)  # only the password of the user
    qtbot.keyClicks(dialog.notes, " e mais")  # keys never reach what is under the covers
    assert dialog.notes.text() == "meio feito"
    form.password.setText("errada")
    form.submit()
    assert made.lock.locked and "incorretos" in form.message.text()
    form.password.setText(PASSWORD)
    form.submit()
    assert not made.lock.locked and made.lock.covers == []
    assert dialog.isVisible() and dialog.notes.text() == "meio feito"
    assert users.current_user().login == "rita"


def test_switching_user_logs_out_and_another_user_takes_the_pc(qtbot, db):
    add_staff()
    log_in_as("recepção")
    made = window(qtbot)
    made.switch_user()
    assert made.lock.locked and users.current_user() is None
    form = made.lock.form
    assert form.login_field.isVisibleTo(form)
    form.login.setText("ana")
    form.password.setText(PASSWORD)
    with qtbot.waitSignal(made.user_changed) as changed:
        form.submit()
    assert changed.args[0].login == "ana" and not made.lock.locked


def test_another_user_at_the_lock_closes_the_open_dialogs(qtbot, db):
    add_staff()
    log_in_as("recepção")
    made = window(qtbot)
    dialog = HalfDone(made)
    dialog.show()
    made.lock.lock()
    made.lock.other_button.click()
    form = made.lock.form
    form.login.setText("fabio")
    form.password.setText(PASSWORD)
    with qtbot.waitSignal(made.user_changed):
        form.submit()
    assert not dialog.isVisible()
    assert users.current_user().login == "fabio"


def test_the_idle_minutes_come_from_configuracoes(qtbot, db):
    add_staff()
    log_in_as("administrador")
    clinic.set_setting(users.LOCK_MINUTES_KEY, "3")
    made = window(qtbot)
    assert made.lock.timer.interval() == 3 * 60_000
    clinic.set_setting(users.LOCK_MINUTES_KEY, "nada")
    assert users.lock_minutes() == users.DEFAULT_LOCK_MINUTES == 10
