"""The clinic's users (R23): add, change the role, deactivate, reset a password.

Rows handed out are `UserRow`s, which have no password and no hash: the hash stays in the
`app_user` table, read only by `sessions.login`. The first user of a database must be an
administrator (until then everything is open, as before users); after that only an
administrator changes users, and the last active administrator cannot be demoted or
deactivated. Every change is in the audit log, never with a password in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from .. import access, audit
from ..errors import NotFound, ValidationError
from ..store.models import User
from ..store.transactions import for_update, operation
from ..text import fold
from ..validation import optional_text
from . import passwords

LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")


@dataclass(frozen=True)
class UserRow:
    """A user as the screens and the API see one: never the password or its hash."""

    id: int
    name: str
    login: str
    role: str
    active: bool
    last_login_at: datetime | None
    locked_until: datetime | None

    @property
    def role_label(self) -> str:
        return access.ROLE_LABELS.get(self.role, self.role)


def row_of(user: User) -> UserRow:
    return UserRow(
        user.id,
        user.name,
        user.login,
        user.role,
        bool(user.active),
        user.last_login_at,
        user.locked_until,
    )


def clean_role(role: str) -> str:
    """ "recepção", "Recepcao", "financeiro", "administrador" -> the stored word."""
    wanted = fold(role or "").strip()
    for known in access.ROLES:
        if fold(known) == wanted:
            return known
    raise ValidationError("Perfil inválido: use recepção, financeiro ou administrador.", "role")


def clean_login(login: str) -> str:
    value = fold(login or "").strip()
    if not LOGIN_PATTERN.match(value):
        raise ValidationError(
            "Login: de 2 a 60 letras minúsculas, números, ponto, hífen ou sublinhado, "
            "sem espaços (ex.: ana.souza).",
            "login",
        )
    return value


def _clean_name(name: str) -> str:
    value = optional_text(name, "Nome", max_length=200, field="name")
    if not value:
        raise ValidationError("Informe o nome do usuário.", "name")
    return value


def _locked(user: User | int) -> User:
    user_id = user.id if isinstance(user, User | UserRow) else user
    row = for_update(User.select().where(User.id == user_id)).first()
    if row is None:
        raise NotFound("Usuário não encontrado.")
    return row


def _active_admins_besides(user_id: int) -> int:
    return (
        User.select()
        .where(
            (User.role == access.ADMINISTRADOR) & (User.active == True) & (User.id != user_id)  # noqa: E712
        )
        .count()
    )


@operation
@access.allowed("users.add_user")
def add_user(name: str, *, login: str, password: str, role: str) -> UserRow:
    """A new active user. The first user of a database must be an administrator (and can
    be added by anyone: until then the database has no login); later ones are added by an
    administrator. The new user is not logged in: `login` does that."""
    clean_name = _clean_name(name)
    key = clean_login(login)
    stored_role = clean_role(role)
    secret = passwords.check_new(password)
    if not User.select(User.id).limit(1).exists() and stored_role != access.ADMINISTRADOR:
        raise ValidationError(
            "O primeiro usuário precisa ser um administrador: é ele quem cadastra os outros.",
            "role",
        )
    if User.select(User.id).where(User.login == key).exists():
        raise ValidationError(f"Já existe um usuário com o login “{key}”.", "login")
    row = User.create(
        name=clean_name, login=key, password_hash=passwords.hash_password(secret), role=stored_role
    )
    audit.record(
        audit.USER_CHANGE,
        f"Usuário {key} cadastrado ({access.ROLE_LABELS[stored_role]})",
    )
    return row_of(row)


@operation
@access.allowed("users.update_user")
def update_user(
    user: UserRow | User | int,
    *,
    name: str | None = None,
    role: str | None = None,
    active: bool | None = None,
) -> UserRow:
    """Change a user's name, role or whether it may log in. The last active administrator
    stays one (ValidationError)."""
    row = _locked(user)
    changes = []
    if name is not None:
        new_name = _clean_name(name)
        if new_name != row.name:
            changes.append(f"nome: {new_name}")
            row.name = new_name
    new_role = row.role if role is None else clean_role(role)
    new_active = row.active if active is None else bool(active)
    losing_admin = (
        row.role == access.ADMINISTRADOR
        and row.active
        and (new_role != access.ADMINISTRADOR or not new_active)
    )
    if losing_admin and not _active_admins_besides(row.id):
        raise ValidationError(
            "Este é o único administrador ativo: cadastre ou ative outro administrador antes.",
            "role" if role is not None else "active",
        )
    if new_role != row.role:
        changes.append(f"perfil: {access.ROLE_LABELS[new_role]}")
        row.role = new_role
    if new_active != row.active:
        changes.append("ativado" if new_active else "desativado")
        row.active = new_active
        if new_active:
            row.failed_logins = 0
            row.locked_until = None
    if changes:
        row.save()
        audit.record(audit.USER_CHANGE, f"Usuário {row.login} alterado: {', '.join(changes)}")
    return row_of(row)


@operation
@access.allowed("users.reset_password")
def reset_password(user: UserRow | User | int, password: str) -> UserRow:
    """An administrator gives a user a new password (the user is unlocked too)."""
    row = _locked(user)
    row.password_hash = passwords.hash_password(passwords.check_new(password))
    row.failed_logins = 0
    row.locked_until = None
    row.save()
    audit.record(audit.USER_CHANGE, f"Senha do usuário {row.login} redefinida")
    return row_of(row)


@access.allowed("users.list_users")
def list_users(*, include_inactive: bool = True) -> list[UserRow]:
    """Every user, by name (administrators only)."""
    query = User.select().order_by(User.name, User.id)
    if not include_inactive:
        query = query.where(User.active == True)  # noqa: E712
    return [row_of(user) for user in query]


def login_required() -> bool:
    """Whether this database has users: then the app asks for a login before anything."""
    return access.users_exist()
