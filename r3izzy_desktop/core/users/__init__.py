"""Users, roles and logins (SPEC R23; §6 `users.<name>`): accounts.py (add, change,
deactivate, reset a password), sessions.py (login, logout, unlock, who is logged in) and
passwords.py (argon2id). Who may do what is core.access; the log of it, core.audit."""

from ..access import ADMINISTRADOR, FINANCEIRO, PERMISSIONS, RECEPCAO, ROLE_LABELS, ROLES
from .accounts import (
    UserRow,
    add_user,
    clean_login,
    clean_role,
    list_users,
    login_required,
    reset_password,
    update_user,
)
from .passwords import MIN_LENGTH as MIN_PASSWORD_LENGTH
from .sessions import (
    LOCK_AFTER,
    can,
    change_own_password,
    current_user,
    login,
    logout,
    unlock,
    wait_after,
)

__all__ = [
    "ADMINISTRADOR",
    "FINANCEIRO",
    "LOCK_AFTER",
    "MIN_PASSWORD_LENGTH",
    "PERMISSIONS",
    "RECEPCAO",
    "ROLES",
    "ROLE_LABELS",
    "UserRow",
    "add_user",
    "can",
    "change_own_password",
    "clean_login",
    "clean_role",
    "current_user",
    "list_users",
    "login",
    "login_required",
    "logout",
    "reset_password",
    "unlock",
    "update_user",
    "wait_after",
]
