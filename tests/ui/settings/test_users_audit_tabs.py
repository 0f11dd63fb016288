"""Configurações › Usuários and › Auditoria (R23), and the first-run question."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from r3izzy_desktop.core import audit, clinic, users
from r3izzy_desktop.ui.common import exports
from r3izzy_desktop.ui.settings.audit_tab import AuditTab
from r3izzy_desktop.ui.settings.user_dialogs import PasswordDialog, UserDialog
from r3izzy_desktop.ui.settings.users_tab import UsersTab
from r3izzy_desktop.ui.shell.first_run import FirstRunBanner
from tests.helpers.users import PASSWORD, add_staff, cheap_hasher, log_in_as  # noqa: F401

pytestmark = pytest.mark.usefixtures("cheap_hasher")


def make(qtbot, factory):
    widget = factory()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def fill(dialog: UserDialog, name, login, password, again=None) -> None:
    dialog.name.setText(name)
    dialog.login.setText(login)
    dialog.password.setText(password)
    dialog.again.setText(password if again is None else again)


def test_the_first_administrator_is_created_and_logged_in(qtbot, db):
    dialog = make(qtbot, lambda: UserDialog(first=True))
    assert not dialog.role.isEnabled() and dialog.role.currentData() == "administrador"
    fill(dialog, "Ana Admin", "ana", PASSWORD, again="outra")
    dialog.save()
    assert "não são iguais" in dialog.fields["again"].error() and not users.login_required()
    fill(dialog, "Ana Admin", "a b", PASSWORD)
    dialog.save()
    assert "Login" in dialog.fields["login"].error()
    fill(dialog, "Ana Admin", "ana", PASSWORD)
    dialog.save()
    assert dialog.user.login == "ana" and users.current_user().role == "administrador"
    assert dialog.password.text() == ""  # never kept


def test_the_users_tab_adds_changes_deactivates_and_resets(qtbot, db, dialogs, monkeypatch):
    add_staff()
    log_in_as("administrador")
    tab = make(qtbot, UsersTab)
    assert not tab.no_login.isVisibleTo(tab)
    assert [u.login for u in tab.model.rows()] == ["ana", "fabio", "rita"]
    assert all("senha" not in title.lower() for title in tab.model.column_titles())

    def new_user(cls, parent, first=False):
        return users.add_user("Bia Nova", login="bia", password=PASSWORD, role="recepção")

    monkeypatch.setattr(UserDialog, "ask", classmethod(new_user))
    tab.add_user()
    assert tab.selected().login == "bia"
    tab.role.setCurrentIndex(users.ROLES.index("financeiro"))
    tab.change_role()
    assert tab.selected().role == "financeiro"
    dialogs.answers.append(True)
    tab.toggle_active()
    assert not tab.selected().active and tab.active_button.text() == "Reativar"
    monkeypatch.setattr(PasswordDialog, "ask", classmethod(lambda cls, p, n: "nova-senha"))
    tab.toggle_active()
    tab.reset_password()
    assert dialogs.told[-1][0] == "Senha redefinida" and "nova-senha" not in str(dialogs.told)
    users.logout()
    assert users.login("bia", "nova-senha").role == "financeiro"


def test_the_users_tab_without_users_offers_the_first_administrator(qtbot, db, monkeypatch):
    tab = make(qtbot, UsersTab)
    assert tab.no_login.isVisibleTo(tab) and not tab.list_card.isVisibleTo(tab)
    tab.minutes.setValue(7)
    tab.save_minutes()
    assert users.lock_minutes() == 7

    def first(cls, parent, first=False):
        assert first
        users.add_user("Ana", login="ana", password=PASSWORD, role="administrador")
        return users.login("ana", PASSWORD)

    monkeypatch.setattr(UserDialog, "ask", classmethod(first))
    with qtbot.waitSignal(tab.data_replaced) as replaced:
        tab.create_first()
    assert replaced.args == ["Usuários", ""]
    assert tab.list_card.isVisibleTo(tab)


def test_the_audit_tab_filters_and_exports(qtbot, db, tmp_path, monkeypatch, dialogs):
    add_staff()
    log_in_as("recepção")
    log_in_as("administrador")
    clinic.set_setting("clinic_name", "Clínica Bem")
    tab = make(qtbot, AuditTab)
    assert {r.action for r in tab.model.rows()} >= {"entrada", "configuração", "usuário"}
    tab.action.setCurrentIndex(tab.action.findData("configuração"))
    assert [r.detail for r in tab.model.rows()] == ["clinic_name: Clínica Bem"]
    tab.action.setCurrentIndex(0)
    tab.user.setCurrentIndex(tab.user.findText("Rita Recepção (rita)"))
    assert {r.user_name for r in tab.model.rows()} == {"Rita Recepção"}
    target = tmp_path / "auditoria.xlsx"
    monkeypatch.setattr(exports, "ask_save_path", lambda *a, **k: target)
    tab.export()
    qtbot.waitUntil(lambda: bool(dialogs.told), timeout=10_000)
    book = load_workbook(target, read_only=True)
    cells = [c for row in book["Auditoria"].iter_rows(values_only=True) for c in row]
    assert "Rita Recepção" in cells and "Ana Admin" not in cells
    assert audit.entries(action="exportação")[0].detail == "Auditoria: auditoria.xlsx"


def test_first_run_usar_sem_login_is_remembered(qtbot, db):
    assert users.first_run_question()
    banner = make(qtbot, FirstRunBanner)
    banner.use_without_login()
    assert not banner.isVisible() and users.no_login_chosen()
    assert not users.first_run_question()


def test_first_run_creating_the_administrator(qtbot, db, monkeypatch):
    banner = make(qtbot, FirstRunBanner)

    def first(cls, parent, first=False):
        users.add_user("Ana", login="ana", password=PASSWORD, role="administrador")
        return users.login("ana", PASSWORD)

    monkeypatch.setattr(UserDialog, "ask", classmethod(first))
    with qtbot.waitSignal(banner.user_changed):
        banner.create_admin()
    assert users.login_required() and not users.first_run_question()
