"""Two PCs on one PostgreSQL server see the same users (R23): a user added on one logs in on
the other, whose work carries that user; wrong passwords count for both."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from r3izzy_desktop.core import audit, clinic, users
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.store.models import PackageEvent, User
from tests.helpers import pg

from .conftest import PASSWORD

OTHER_PC = textwrap.dedent(
    """
    import json, sys
    from r3izzy_desktop.core import clinic, packages, users
    from r3izzy_desktop.core.database import open_database
    from r3izzy_desktop.core.errors import NotAllowed

    open_database(sys.argv[1], create=False)
    seen = {"login_required": users.login_required()}
    try:
        clinic.add_patient("Antes do login")
    except NotAllowed:
        seen["refused_before_login"] = True
    for attempt in range(2):
        try:
            users.login("rita", "errada")
        except NotAllowed:
            pass
    me = users.login("rita", sys.argv[2])
    seen["me"] = [me.login, me.role]
    patient = clinic.add_patient("Paciente do outro PC")
    package = packages.create_package(patient, sessions=2, total="500.00")
    try:
        packages.edit_package(package, sessions=3)
    except NotAllowed as exc:
        seen["edit_refused"] = str(exc)
    print(json.dumps(seen))
    """
)


@pytest.mark.postgres
def test_two_pcs_see_the_same_users():
    with pg.fresh_database() as url:
        open_database(url)
        try:
            users.add_user("Ana Admin", login="ana", password=PASSWORD, role="administrador")
            users.login("ana", PASSWORD)
            users.add_user("Rita Recepção", login="rita", password=PASSWORD, role="recepção")
            users.logout()
            done = subprocess.run(
                [sys.executable, "-c", OTHER_PC, url, PASSWORD],
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, done.stderr
            seen = json.loads(done.stdout)
            assert seen["login_required"] and seen["refused_before_login"]
            assert seen["me"] == ["rita", "recepção"]
            assert "Recepção não permite alterar pacotes" in seen["edit_refused"]
            # This PC sees what the other did, and who did it.
            rita = User.get(User.login == "rita")
            assert rita.last_login_at is not None and rita.failed_logins == 0
            users.login("ana", PASSWORD)
            assert [p.name for p in clinic.list_patients()] == ["Paciente do outro PC"]
            assert {e.user_id for e in PackageEvent.select()} == {rita.id}
            mine = [e.action for e in reversed(audit.entries(user=rita.id))]
            assert mine == ["entrada recusada", "entrada recusada", "entrada"]
        finally:
            users.logout()
            close_database()
