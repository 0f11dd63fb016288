"""The command line in a database with users: `--user LOGIN` and the password from
R3IZZY_PASSWORD; the role must allow the command."""

from __future__ import annotations

import pytest

from r3izzy_desktop import cli
from r3izzy_desktop.core import users
from r3izzy_desktop.core.database import close_database, open_database

from .conftest import PASSWORD

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def clinic_file(tmp_path, monkeypatch):
    monkeypatch.delenv(cli.ENV_USER, raising=False)
    monkeypatch.delenv(cli.ENV_PASSWORD, raising=False)
    path = tmp_path / "clinica.db"
    open_database(str(path))
    users.add_user("Ana Admin", login="ana", password=PASSWORD, role="administrador")
    users.login("ana", PASSWORD)
    users.add_user("Fábio", login="fabio", password=PASSWORD, role="financeiro")
    users.logout()
    close_database()
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_command_needs_a_user_when_the_database_has_users(capsys, clinic_file, tmp_path):
    target = tmp_path / "copia.db"
    code, _out, err = run(capsys, "backup", "--out", str(target), "--db", str(clinic_file))
    assert code == 2 and "exige login: use --user LOGIN" in err and not target.exists()


def test_the_password_comes_from_the_environment(capsys, clinic_file, tmp_path, monkeypatch):
    target = tmp_path / "copia.db"
    monkeypatch.setenv(cli.ENV_PASSWORD, "errada")
    argv = ("backup", "--out", str(target), "--db", str(clinic_file), "--user", "ana")
    code, _out, err = run(capsys, *argv)
    assert code == 2 and "incorretos" in err and not target.exists()
    monkeypatch.setenv(cli.ENV_PASSWORD, PASSWORD)
    code, out, _err = run(capsys, *argv)
    assert code == 0 and "Backup gravado" in out and target.exists()


def test_the_role_must_allow_the_command(capsys, clinic_file, tmp_path, monkeypatch):
    monkeypatch.setenv(cli.ENV_PASSWORD, PASSWORD)
    monkeypatch.setenv(cli.ENV_USER, "fabio")
    target = tmp_path / "copia.db"
    code, _out, err = run(capsys, "backup", "--out", str(target), "--db", str(clinic_file))
    assert code == 2 and "não permite fazer backups" in err and not target.exists()
    code, _out, err = run(capsys, "restore", str(target), "--db", str(clinic_file))
    assert code == 2 and "não permite restaurar" in err


def test_check_needs_no_login(capsys, clinic_file):
    code, out, _err = run(capsys, "check", "--db", str(clinic_file))
    assert code == 0 and out.strip() == "OK"
