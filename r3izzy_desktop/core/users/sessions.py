"""Logging in and out (R23): one user per app process, on the database open.

A wrong password raises NotAllowed and is written to the audit log, which a failed
login must not roll back: the attempt is its own transaction, and the error is raised
after it committed. Brute force: after LOCK_AFTER wrong passwords in a row the account
waits (`locked_until`, shared by every PC), 30 s, then twice as long after each further
wrong one, up to 15 minutes; while it waits, even the right password is refused. The time
is `clock.now()`, so tests move the clock instead of sleeping.
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from peewee import Select, fn

from .. import access, audit, clock
from ..errors import NotAllowed
from ..store.models import Patient, Setting, User
from ..store.transactions import for_update, operation
from ..text import fold
from . import passwords
from .accounts import UserRow, row_of

LOCK_AFTER = 5
FIRST_WAIT_S = 30
LONGEST_WAIT_S = 15 * 60
WRONG = "Login ou senha incorretos."


def wait_after(failures: int) -> timedelta:
    """How long the account waits after `failures` wrong passwords in a row (0 before
    LOCK_AFTER): 30 s at the 5th, 60 s at the 6th, … at most 15 minutes."""
    if failures < LOCK_AFTER:
        return timedelta(0)
    seconds = FIRST_WAIT_S * 2 ** min(failures - LOCK_AFTER, 10)
    return timedelta(seconds=min(seconds, LONGEST_WAIT_S))


class _Refused(NamedTuple):
    message: str


def _waiting(until) -> str:
    seconds = max(1, int((until - clock.now()).total_seconds()))
    when = f"{seconds} segundos" if seconds < 120 else f"{(seconds + 59) // 60} minutos"
    return (
        f"Muitas senhas erradas para este usuário: aguarde {when} (até as "
        f"{until:%H:%M:%S}) e tente de novo, ou peça a um administrador para redefinir "
        "a senha."
    )


@operation
def _attempt(login: str, password: str) -> UserRow | _Refused:
    """Check one login and write what happened (counters, audit); never raises a refusal,
    so that what it wrote is committed."""
    key = fold(login or "").strip()
    now = clock.now()
    row = for_update(User.select().where(User.login == key)).first()
    if row is None or not row.active:
        passwords.verify_nothing(password)
        why = "usuário desconhecido" if row is None else "usuário desativado"
        audit.record(audit.LOGIN_FAILED, f"Login “{key[:60]}”: {why}", user=row, user_name=key[:60])
        return _Refused(WRONG)
    if row.locked_until is not None and row.locked_until > now:
        audit.record(
            audit.LOGIN_FAILED,
            f"Login “{key}”: aguardando após senhas erradas",
            user=row,
            user_name=row.name,
        )
        return _Refused(_waiting(row.locked_until))
    if not passwords.verify(row.password_hash, password):
        row.failed_logins += 1
        wait = wait_after(row.failed_logins)
        row.locked_until = now + wait if wait else None
        row.save(only=[User.failed_logins, User.locked_until])
        audit.record(
            audit.LOGIN_FAILED,
            f"Login “{key}”: senha errada ({row.failed_logins}ª seguida)",
            user=row,
            user_name=row.name,
        )
        return _Refused(_waiting(row.locked_until) if wait else WRONG)
    row.failed_logins = 0
    row.locked_until = None
    row.last_login_at = now
    fields = [User.failed_logins, User.locked_until, User.last_login_at]
    if passwords.needs_rehash(row.password_hash):
        row.password_hash = passwords.hash_password(password)
        fields.append(User.password_hash)
    row.save(only=fields)
    audit.record(audit.LOGIN, f"Login “{key}”", user=row, user_name=row.name)
    return row_of(row)


def login(login: str, password: str) -> UserRow:
    """Log `login` in with `password` for this process: from now on the core's operations
    run as this user (and record them). Raises NotAllowed for a wrong login or password,
    a deactivated user, or an account waiting after too many wrong passwords; every
    attempt is in the audit log. Returns the user (no password, no hash)."""
    result = _attempt(login, password)
    if isinstance(result, _Refused):
        raise NotAllowed(result.message)
    access.log_in(result)  # the row just checked: no second read
    return result


def logout() -> None:
    """Nobody is logged in any more (an audit line when somebody was)."""
    who = access.current()
    if who is not None:
        try:
            audit.record(audit.LOGOUT, f"Login “{who.login}”", user=who.user_id, user_name=who.name)
        finally:
            access.log_out()
    access.log_out()


def unlock(password: str) -> UserRow:
    """The lock screen: the password of the user logged in, checked (and counted) like a
    login. NotAllowed when nobody is logged in or the password is wrong."""
    who = access.current()
    if who is None:
        raise NotAllowed("Ninguém está conectado; entre com usuário e senha.")
    return login(who.login, password)


def current_user() -> UserRow | None:
    """The user logged in on the database open now (None without a login)."""
    who = access.current()
    if who is None:
        return None
    row = User.get_or_none(User.id == who.user_id)
    return row_of(row) if row is not None else None


@operation
def change_own_password(current_password: str, new_password: str) -> UserRow:
    """The user logged in changes their password, giving the current one."""
    who = access.current()
    if who is None:
        raise NotAllowed("Entre com usuário e senha para trocar a senha.")
    row = for_update(User.select().where(User.id == who.user_id)).first()
    if row is None or not passwords.verify(row.password_hash, current_password):
        raise NotAllowed("A senha atual não confere.")
    row.password_hash = passwords.hash_password(passwords.check_new(new_password))
    row.save(only=[User.password_hash])
    audit.record(audit.USER_CHANGE, f"Usuário {row.login} trocou a própria senha")
    return row_of(row)


def can(operation_name: str) -> bool:
    """Whether the screens should offer the operation (`access.PERMISSIONS` name)."""
    return access.can(operation_name)


def can_each(*operation_names: str) -> dict[str, bool]:
    """`can` of each of these operations, with at most one read for them all."""
    return access.can_each(*operation_names)


# --- the clinic's choices about logins (Configurações) -----------------------------------

LOCK_MINUTES_KEY = "lock_idle_minutes"
DEFAULT_LOCK_MINUTES = 10
LOGIN_MODE_KEY = "login_mode"
NO_LOGIN = "sem login"


def lock_minutes() -> int:
    """The minutes without use after which the window locks (default 10, 1 to 240)."""
    row = Setting.get_or_none(Setting.key == LOCK_MINUTES_KEY)
    return _lock_minutes(row.value if row is not None else None)


def _lock_minutes(stored: str | None) -> int:
    try:
        value = int(stored) if stored is not None else DEFAULT_LOCK_MINUTES
    except ValueError:
        return DEFAULT_LOCK_MINUTES
    return value if 1 <= value <= 240 else DEFAULT_LOCK_MINUTES


def no_login_chosen() -> bool:
    """Whether the clinic chose "usar sem login" (one PC, no users); an administrator can
    still create the first user later, and then everyone logs in."""
    row = Setting.get_or_none(Setting.key == LOGIN_MODE_KEY)
    return row is not None and row.value == NO_LOGIN


def first_run_question() -> bool:
    """Whether to ask how the clinic wants to work (users or "usar sem login"): a new
    database — no users, no patient yet — where nobody chose "usar sem login"."""
    return window_start().first_run_question


class WindowStart(NamedTuple):
    """What a new main window asks of the users and the clinic: `can_each` of its pages'
    operations, `first_run_question()`, `lock_minutes()` and whether any patient is
    registered (the first steps)."""

    allowed: dict[str, bool]
    first_run_question: bool
    lock_minutes: int
    has_patients: bool


def window_start(*operation_names: str) -> WindowStart:
    """The answers a new main window needs, read in one statement instead of six (on a
    clinic's server each is a round trip at every start). Nothing is kept: the next
    window asks again, as another PC may have created the first user meanwhile."""
    mode = Setting.select(Setting.value).where(Setting.key == LOGIN_MODE_KEY)
    lock = Setting.select(Setting.value).where(Setting.key == LOCK_MINUTES_KEY)
    patients = fn.EXISTS(Patient.select(Patient.id).limit(1))
    read = Select(columns=[access.users_exist_read(), mode, lock, patients])
    found, login_mode, minutes, any_patient = read.bind(User._meta.database).tuples().get()
    found, any_patient = bool(found), bool(any_patient)
    access.saw_users(found)
    return WindowStart(
        allowed=access.can_each(*operation_names, users_found=found),
        first_run_question=not found and login_mode != NO_LOGIN and not any_patient,
        lock_minutes=_lock_minutes(minutes),
        has_patients=any_patient,
    )
