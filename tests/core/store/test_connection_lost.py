"""A PostgreSQL connection that dies (server restart, network drop) between two actions:
the next operation says so in Portuguese — nothing was recorded, since the COMMIT was never
sent — and the one after it works on a new connection."""

from __future__ import annotations

from decimal import Decimal

import pytest

from r3izzy_desktop.core import clinic, packages
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.errors import DatabaseProblem
from r3izzy_desktop.core.store.binding import db
from tests.helpers import pg

pytestmark = pytest.mark.postgres


def test_a_lost_connection_is_told_then_replaced():
    with pg.fresh_database() as url:
        open_database(url)
        try:
            ana = clinic.add_patient("Ana")
            pid = db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
            with pg._admin_connection() as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            with pytest.raises(DatabaseProblem, match="conexão com o servidor") as raised:
                packages.create_package(ana, 4, Decimal("1000.00"))
            assert raised.value.kind == "not_recorded"
            assert "nada foi gravado" in raised.value.message
            assert packages.list_packages(ana) == []
            package = packages.create_package(ana, 4, Decimal("1000.00"))
            assert [p.id for p in packages.list_packages(ana)] == [package.id]
        finally:
            close_database()
