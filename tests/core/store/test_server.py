"""Configurações › Banco de dados, the core side: the URL from the fields and what
"Testar conexão" finds on the server (empty, R3izzy at schema N, newer, foreign)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from r3izzy_desktop.core import clinic
from r3izzy_desktop.core.database import close_database, open_database
from r3izzy_desktop.core.errors import DatabaseProblem, ValidationError
from r3izzy_desktop.core.store import migrations, server
from r3izzy_desktop.core.store.models import SchemaVersion
from tests.helpers import pg


def test_url_from_the_fields_quotes_every_part():
    url = server.build_url(" 192.168.0.10 ", "5433", "clínica", "recepção", "s3nh@:/?")
    assert url == (
        "postgresql://recep%C3%A7%C3%A3o:s3nh%40%3A%2F%3F@192.168.0.10:5433/cl%C3%ADnica"
    )
    assert server.fields_of(url) == server.ServerFields(
        "192.168.0.10", 5433, "clínica", "recepção", "s3nh@:/?"
    )
    assert server.build_url("srv", "", "r3izzy", "r3izzy") == "postgresql://r3izzy@srv:5432/r3izzy"
    assert server.fields_of("/home/ana/r3izzy.db") is None


@pytest.mark.parametrize(
    "fields, field",
    [
        (("", 5432, "r3izzy", "u"), "host"),
        (("srv", "porta", "r3izzy", "u"), "port"),
        (("srv", 70000, "r3izzy", "u"), "port"),
        (("srv", 5432, " ", "u"), "database"),
        (("srv", 5432, "r3izzy", ""), "user"),
    ],
)
def test_fields_are_checked(fields, field):
    with pytest.raises(ValidationError) as raised:
        server.build_url(*fields)
    assert raised.value.field == field


postgres = pytest.mark.postgres


@postgres
def test_an_empty_database_then_an_r3izzy_one():
    with pg.fresh_database() as url:
        info = server.inspect(url)
        assert info.state == server.EMPTY and info.usable
        assert info.server_version[0].isdigit()
        assert "vazio" in info.describe()

        open_database(url)
        clinic.add_patient("Ana")
        close_database()
        info = server.inspect(url)
        assert (info.state, info.schema_version) == (server.R3IZZY, migrations.SCHEMA_VERSION)
        assert "pronto para uso" in info.describe()

        open_database(url)
        SchemaVersion.update(version=migrations.SCHEMA_VERSION + 1).execute()
        close_database()
        info = server.inspect(url)
        assert info.state == server.NEWER and not info.usable
        assert "mais nova" in info.describe()


@postgres
def test_a_database_of_another_program_is_not_usable():
    pg.require_server()
    with pg.fresh_database() as url:
        import psycopg

        with psycopg.connect(url, autocommit=True) as con:
            con.execute("CREATE TABLE clientes (id int)")
        info = server.inspect(url)
        assert info.state == server.FOREIGN and not info.usable


@postgres
def test_a_wrong_port_or_database_is_told_in_portuguese():
    pg.require_server()
    admin = urlparse(pg.ADMIN_URL)
    host, user = admin.hostname, admin.username or "postgres"
    with pytest.raises(DatabaseProblem, match="recusada"):
        server.inspect(server.build_url(host, 1, "test", user), timeout=3)
    with pytest.raises(DatabaseProblem, match="não existe"):
        server.inspect(server.build_url(host, admin.port or 5432, "nao_existe_r3izzy", user))
