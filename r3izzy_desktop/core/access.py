"""Who may do what (R23): the three roles, the one table of operation -> least role, and
the guard every core operation wears.

Low in the core (it stands only on the storage layer), so every domain can use it:

    @operation
    @allowed("packages.edit_package")
    def edit_package(...): ...

The rule, checked when a guarded operation is called (outside any other guarded one):

- a database with no user: everything is allowed, as before users existed, and the work
  is recorded under the PC's operator name (`actor_name`);
- a database with users: somebody must be logged in (`NotAllowed` otherwise), active, and
  of a role at least the operation's. The role is read again from the database at each
  check, so a change made on another PC counts at once.

The guard raises before the operation touches anything; inside `@operation` its
transaction is rolled back, so nothing is changed either way. A guarded operation that
calls another one (`set_clinic_info` -> `set_setting`) is covered by the outer check.
Reads are not guarded: they change nothing, and the app lets nobody see a screen before
the login; the screens hide what a role does not use (Gestão Financeira and the Relatório
de Pacotes for recepção). What takes data out of the app — exports, backups — is guarded.
"""

from __future__ import annotations

import functools
import logging
import socket
import threading
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

import peewee

from .errors import NotAllowed
from .store import actor
from .store.binding import db
from .store.models import Setting, User

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

RECEPCAO = "recepção"
FINANCEIRO = "financeiro"
ADMINISTRADOR = "administrador"
ROLES = (RECEPCAO, FINANCEIRO, ADMINISTRADOR)  # each may do all the one before may
ROLE_LABELS = {RECEPCAO: "Recepção", FINANCEIRO: "Financeiro", ADMINISTRADOR: "Administrador"}


class Permission(NamedTuple):
    role: str  # the least role allowed
    what: str  # what the operation does, for the refusal: "alterar um pacote"


def _p(role: str, what: str) -> Permission:
    return Permission(role, what)


# The one table (R23): every guarded operation, by its public name, and the least role that
# may run it. tests/core/test_access.py runs each against each role.
PERMISSIONS: dict[str, Permission] = {
    # recepção: patients, the agenda, creating and paying packages, crediting back.
    "clinic.add_patient": _p(RECEPCAO, "cadastrar pacientes"),
    "clinic.update_patient": _p(RECEPCAO, "alterar pacientes"),
    "agenda.schedule": _p(RECEPCAO, "agendar sessões"),
    "agenda.schedule_weekly": _p(RECEPCAO, "agendar sessões"),
    "agenda.update_session": _p(RECEPCAO, "alterar sessões"),
    "agenda.set_attendance": _p(RECEPCAO, "marcar presença e faltas"),
    "agenda.delete_session": _p(RECEPCAO, "excluir sessões"),
    "packages.create_package": _p(RECEPCAO, "criar pacotes"),
    "packages.pay_sessions": _p(RECEPCAO, "pagar sessões com pacotes"),
    "packages.refund_session": _p(RECEPCAO, "devolver sessões ao pacote"),
    "packages.receive_installment": _p(RECEPCAO, "receber parcelas"),
    "payments.pay_manually": _p(RECEPCAO, "registrar pagamentos"),
    # financeiro: also reports, exports, voids, closing packages.
    "payments.void_payment": _p(FINANCEIRO, "estornar pagamentos"),
    "packages.void_installment": _p(FINANCEIRO, "estornar parcelas"),
    "packages.close_package": _p(FINANCEIRO, "encerrar pacotes"),
    "export.patient_packages_xlsx": _p(FINANCEIRO, "exportar planilhas"),
    "export.package_report_xlsx": _p(FINANCEIRO, "exportar planilhas"),
    "export.patient_data_xlsx": _p(FINANCEIRO, "exportar os dados de um paciente"),
    "export.receipts_xlsx": _p(FINANCEIRO, "exportar os recibos"),
    "export.credit_rollforward_xlsx": _p(FINANCEIRO, "exportar planilhas"),
    # administrador: also changing packages (R8), users, settings, backups, the database.
    "packages.edit_package": _p(ADMINISTRADOR, "alterar pacotes"),
    "clinic.anonymize_patient": _p(ADMINISTRADOR, "anonimizar pacientes"),
    "clinic.add_service": _p(ADMINISTRADOR, "alterar os serviços"),
    "clinic.update_service": _p(ADMINISTRADOR, "alterar os serviços"),
    "clinic.add_location": _p(ADMINISTRADOR, "alterar os locais"),
    "clinic.update_location": _p(ADMINISTRADOR, "alterar os locais"),
    "clinic.add_professional": _p(ADMINISTRADOR, "alterar os profissionais"),
    "clinic.update_professional": _p(ADMINISTRADOR, "alterar os profissionais"),
    "clinic.set_setting": _p(ADMINISTRADOR, "alterar as configurações"),
    "clinic.set_clinic_info": _p(ADMINISTRADOR, "alterar os dados da clínica"),
    "backup.backup_now": _p(ADMINISTRADOR, "fazer backups"),
    "backup.restore": _p(ADMINISTRADOR, "restaurar backups"),
    "database.switch": _p(ADMINISTRADOR, "trocar o banco de dados"),
    "database.migrate_to": _p(ADMINISTRADOR, "copiar o banco para um servidor"),
    "importing.import_preview": _p(ADMINISTRADOR, "importar planilhas"),
    "users.add_user": _p(ADMINISTRADOR, "cadastrar usuários"),
    "users.update_user": _p(ADMINISTRADOR, "alterar usuários"),
    "users.reset_password": _p(ADMINISTRADOR, "redefinir senhas"),
    "users.list_users": _p(ADMINISTRADOR, "ver os usuários"),
    "audit.entries": _p(ADMINISTRADOR, "ver a auditoria"),
    # Screens a role does not use: the navigation hides them (they only read).
    "view.finance": _p(FINANCEIRO, "ver a Gestão Financeira"),
    "reports.credit_rollforward": _p(FINANCEIRO, "ver o saldo de créditos de pacotes"),
    "view.settings": _p(ADMINISTRADOR, "abrir as Configurações"),
    "export.audit_xlsx": _p(ADMINISTRADOR, "exportar a auditoria"),
}


def rank(role: str) -> int:
    return ROLES.index(role)


def role_allows(role: str, name: str) -> bool:
    """Whether `role` may run the operation `name` (a name of PERMISSIONS)."""
    return rank(role) >= rank(PERMISSIONS[name].role)


# --- the database's users ----------------------------------------------------------------

_with_users: Any = None  # the database object last seen with users (they are never deleted)


def users_exist_read() -> peewee.Node:
    """What `users_exist` asks, as an expression a combined read can carry (one statement
    for several questions: on a clinic's server each statement is a round trip)."""
    return peewee.fn.EXISTS(User.select(User.id).limit(1))


def saw_users(found: bool) -> None:
    """A combined read found (or not) users on the database bound now, as `users_exist`."""
    global _with_users
    if found and db.obj is not None:
        _with_users = db.obj


def users_exist() -> bool:
    """Whether the database bound now has any user (then everyone logs in). False when no
    database is open. Once seen, remembered for that database: users are never deleted."""
    global _with_users
    database = db.obj
    if database is None:
        return False
    if _with_users is database:
        return True
    try:
        found = bool(peewee.Select(columns=[users_exist_read()]).bind(database).scalar())
    except peewee.DatabaseError as exc:
        # A file too damaged to read its users: what can still run on it is a restore over
        # it (outside any transaction; the start-up's "Restaurar backup…" has no login
        # either), and every other operation fails on the damaged file by itself. Anything
        # else (an I/O error, inside a transaction SQLite has just rolled back) goes on up.
        damaged = "malformed" in str(exc) or "not a database" in str(exc)
        if not damaged or db.in_transaction():
            raise
        log.warning("the users could not be read: %s", exc)
        return False
    if found:
        _with_users = database
        return True
    return False


def current() -> actor.Actor | None:
    """The user logged in on the database bound now (None without a login)."""
    return actor.current()


def actor_name() -> str:
    """Who is acting, as history lines, payments and the audit log write it: the user
    logged in; without one, the operator name of Configurações, else the PC's user."""
    who = actor.current()
    if who is not None:
        return who.name
    if db.obj is not None:
        row = Setting.get_or_none(Setting.key == "operator_name")
        if row is not None and row.value:
            return row.value
    import getpass  # here: at every start of the app it cost 1.6 ms for a rare answer

    try:
        return getpass.getuser()
    except Exception:
        return "operador"


def workstation() -> str:
    """This PC's name, as the audit log keeps it."""
    try:
        return socket.gethostname()[:120]
    except OSError:  # pragma: no cover - depends on the system
        return ""


# --- the check ---------------------------------------------------------------------------

_inside = threading.local()


def check(name: str) -> None:
    """Raise NotAllowed unless the operation `name` may run now (see the module's rule)."""
    permission = PERMISSIONS[name]
    who = actor.current()  # a login on this database: it has users (one query less)
    if who is None and not users_exist():
        return
    if who is None:
        raise NotAllowed(
            f"É preciso entrar com usuário e senha para {permission.what}. Nada foi alterado."
        )
    row = User.select(User.role, User.active).where(User.id == who.user_id).first()
    if row is None or not row.active:
        actor.set_current(None)
        raise NotAllowed(
            f"O usuário {who.login} foi desativado; entre com outro usuário. Nada foi alterado."
        )
    if rank(row.role) < rank(permission.role):
        raise NotAllowed(
            f"O perfil {ROLE_LABELS[row.role]} não permite {permission.what} "
            f"(é preciso o perfil {ROLE_LABELS[permission.role]}). Nada foi alterado."
        )


def can(name: str) -> bool:
    """Whether the operation `name` would be allowed now, for the screens to hide what the
    user cannot use (the role as of the login; the operation itself checks again). With a
    login nothing is read: a login means the database has users."""
    who = actor.current()
    if who is not None:
        return role_allows(who.role, name)
    return not users_exist()


def can_each(*names: str, users_found: bool | None = None) -> dict[str, bool]:
    """`can` of each operation of `names`, at most one read for all of them (a screen
    showing several actions asks once, not once per action or per row). A database with
    no user yet is asked again at each call, not remembered: another PC may create the
    first user (through its own Configurações, never through this process), and the
    screens would keep offering what the core then refuses. `users_found`: what a combined
    read (users.window_start) has just found, instead of reading it again."""
    who = actor.current()
    if who is not None:
        return {name: role_allows(who.role, name) for name in names}
    free = not (users_exist() if users_found is None else users_found)
    return {name: free for name in names}


def allowed(name: str) -> Callable[[F], F]:
    """Guard an operation with the table's entry `name` (a KeyError at import when it has
    none: every guarded operation is in the one table)."""
    PERMISSIONS[name]

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if getattr(_inside, "depth", 0):
                return fn(*args, **kwargs)
            check(name)
            _inside.depth = 1
            try:
                return fn(*args, **kwargs)
            finally:
                _inside.depth = 0

        wrapper.permission = name  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


# --- the login, as process state ---------------------------------------------------------


def log_in(user) -> actor.Actor:
    """Make `user` (a User, or the UserRow of one) the one logged in on the database bound
    now (core.users.login calls it after checking the password)."""
    who = actor.Actor(user.id, user.name, user.login, user.role, db.obj)
    actor.set_current(who)
    return who


def log_out() -> None:
    actor.set_current(None)


def carry_over() -> actor.Actor | None:
    """After the database was opened again (a restore), keep the login when the same login
    is an active user there (with the role it has there); else nobody is logged in."""
    previous = actor.remembered()
    if previous is None or db.obj is None:
        return None
    row = User.get_or_none((User.login == previous.login) & (User.active == True))  # noqa: E712
    if row is None:
        actor.set_current(None)
        return None
    return log_in(row)
