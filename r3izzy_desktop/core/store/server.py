"""A PostgreSQL server as Configurações › Banco de dados sees it: the URL from the form's
fields, and "Testar conexão" (what is there, without opening it as the app's database).

`inspect(url)` connects on its own (never touching the open database), with a short
timeout, and tells the server's version and whether the database is empty, an R3izzy
database at schema N (this version can open it, upgrading it if older) or newer than this
version knows. Failures are DatabaseProblem with a Portuguese message fit for the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote, urlparse

from ..errors import DatabaseProblem, ValidationError
from .migrations import SCHEMA_VERSION

DEFAULT_PORT = 5432
TEST_TIMEOUT_S = 5

EMPTY = "empty"
R3IZZY = "r3izzy"
NEWER = "newer"
FOREIGN = "foreign"


@dataclass(frozen=True)
class ServerFields:
    host: str
    port: int
    database: str
    user: str
    password: str


def build_url(host: str, port: int | str, database: str, user: str, password: str = "") -> str:
    """postgresql://user:password@host:port/database, every part quoted. Checks the fields
    (ValidationError naming the field)."""
    host, database, user = host.strip(), database.strip(), user.strip()
    if not host:
        raise ValidationError("Informe o endereço do servidor.", "host")
    try:
        number = int(str(port).strip() or DEFAULT_PORT)
    except ValueError:
        number = 0
    if not 1 <= number <= 65535:
        raise ValidationError("Porta inválida: de 1 a 65535 (o padrão é 5432).", "port")
    if not database:
        raise ValidationError("Informe o nome do banco de dados.", "database")
    if not user:
        raise ValidationError("Informe o usuário do PostgreSQL.", "user")
    secret = f":{quote(password, safe='')}" if password else ""
    where = f"[{host}]" if ":" in host else host
    return (
        f"postgresql://{quote(user, safe='')}{secret}@{where}:{number}/{quote(database, safe='')}"
    )


def fields_of(url: str) -> ServerFields | None:
    """The form's fields from a postgresql:// URL; None for anything else."""
    if not url.startswith(("postgresql://", "postgres://")):
        return None
    parsed = urlparse(url)
    return ServerFields(
        host=parsed.hostname or "",
        port=parsed.port or DEFAULT_PORT,
        database=unquote(parsed.path.lstrip("/")),
        user=unquote(parsed.username or ""),
        password=unquote(parsed.password or ""),
    )


@dataclass(frozen=True)
class ServerInfo:
    server_version: str  # e.g. "15.20"
    state: str  # EMPTY, R3IZZY, NEWER or FOREIGN
    schema_version: int | None  # the R3izzy schema there, when there is one
    known_version: int  # the newest schema this version of the app knows

    def describe(self) -> str:
        """One sentence for the screen."""
        head = f"Conectado ao PostgreSQL {self.server_version}. "
        if self.state == EMPTY:
            return head + "O banco está vazio: o R3izzy cria as tabelas ao usá-lo."
        if self.state == NEWER:
            return head + (
                f"O banco é do R3izzy, mas de uma versão mais nova (esquema "
                f"{self.schema_version}; esta conhece até o {self.known_version}). Atualize o "
                "programa neste computador antes de usá-lo."
            )
        if self.state == FOREIGN:
            return head + (
                "O banco já tem tabelas que não são do R3izzy. Use um banco vazio, só para "
                "o R3izzy."
            )
        if self.schema_version is not None and self.schema_version < self.known_version:
            return head + (
                f"É um banco do R3izzy (esquema {self.schema_version}); ele será atualizado "
                f"para o esquema {self.known_version} ao ser usado."
            )
        return head + f"É um banco do R3izzy (esquema {self.schema_version}), pronto para uso."

    @property
    def usable(self) -> bool:
        return self.state in (EMPTY, R3IZZY)


def inspect(url: str, timeout: int = TEST_TIMEOUT_S) -> ServerInfo:
    """Connect to `url` on a connection of its own and look at what is there."""
    fields = fields_of(url)
    if fields is None:
        raise ValidationError("Endereço inválido: use postgresql://usuario:senha@servidor/banco.")
    try:
        import psycopg
    except ImportError:
        raise DatabaseProblem(
            'O suporte a PostgreSQL não está instalado (pip install "r3izzy-desktop[postgres]").',
            "connection",
        ) from None
    query = dict(part.split("=", 1) for part in urlparse(url).query.split("&") if "=" in part)
    try:
        with psycopg.connect(
            host=fields.host,
            port=fields.port,
            dbname=fields.database,
            user=fields.user,
            password=fields.password or None,
            connect_timeout=timeout,
            options=unquote(query["options"]) if "options" in query else None,
            autocommit=True,
        ) as connection:
            version = connection.execute("SHOW server_version").fetchone()[0].split()[0]
            tables = {
                name
                for (name,) in connection.execute(
                    "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
                )
            }
            schema = None
            if "schema_version" in tables:
                row = connection.execute("SELECT max(version) FROM schema_version").fetchone()
                schema = row[0] if row else None
    except psycopg.Error as exc:
        raise _problem(exc, fields, timeout) from exc
    if not tables:
        state = EMPTY
    elif schema is None:
        state = FOREIGN
    elif schema > SCHEMA_VERSION:
        state = NEWER
    else:
        state = R3IZZY
    return ServerInfo(version, state, schema, SCHEMA_VERSION)


def _problem(exc: Exception, fields: ServerFields, timeout: int) -> DatabaseProblem:
    text = str(exc)
    lower = text.lower()
    where = f"{fields.host}:{fields.port}"
    if "password authentication failed" in lower or "no password supplied" in lower:
        message = f"Usuário ou senha incorretos para o usuário “{fields.user}” em {where}."
    elif "does not exist" in lower and "database" in lower:
        message = (
            f"O banco “{fields.database}” não existe em {where}. Crie-o no servidor "
            "(veja o README, “Vários computadores”)."
        )
    elif "role" in lower and "does not exist" in lower:
        message = f"O usuário “{fields.user}” não existe no servidor {where}."
    elif "timeout" in lower or "timed out" in lower:
        message = f"O servidor {where} não respondeu em {timeout} segundos."
    elif "refused" in lower:
        message = (
            f"Conexão recusada em {where}: o PostgreSQL não está rodando nesse endereço e "
            "porta, ou não aceita conexões da rede (listen_addresses, firewall)."
        )
    elif "pg_hba" in lower:
        message = (
            f"O servidor {where} recusou este computador: falta uma linha para a rede da "
            "clínica no pg_hba.conf (veja o README)."
        )
    elif "could not translate host name" in lower or "name or service not known" in lower:
        message = f"O endereço “{fields.host}” não foi encontrado na rede."
    else:
        message = f"Não foi possível conectar a {where}:\n{text}"
    return DatabaseProblem(message, "connection", where)
