"""The audit log (R23): who did what, and when. Append-only.

`record(action, detail)` adds one line in the caller's transaction (or its own), stamped
with the user logged in and the PC. A database without users keeps no log (as before
users), but for a patient's data exported or anonymized, under the PC's operator name.
There is no function that changes or removes a line, and the database refuses to (a
trigger, store/migrations.py). Details name patients by number ("paciente #12") and
packages by No., never a patient's name, so anonymizing a patient (LGPD) leaves no name
of theirs here (free text typed in a package's notes is the user's).

What is recorded: logins (and failed ones), logouts, exports, backups and restores,
package changes (R8) and closings (R19), imports (R24), voids, user and settings changes,
and a patient's data exported or anonymized. `entries(...)` reads it for Configurações › Auditoria.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from . import access, clock
from .store.models import AuditEntry, User
from .store.transactions import operation

# What happened: the stored word -> what Auditoria shows.
LOGIN = "entrada"
LOGIN_FAILED = "entrada recusada"
LOGOUT = "saída"
EXPORT = "exportação"
BACKUP = "backup"
RESTORE = "restauração"
PACKAGE_CHANGE = "pacote alterado"
PACKAGE_CLOSE = "pacote encerrado"  # issue 17 (R19) records its closings with this
VOID = "estorno"
USER_CHANGE = "usuário"
SETTINGS_CHANGE = "configuração"
PATIENT_DATA = "dados do paciente"
ANONYMIZED = "paciente anonimizado"
IMPORT = "importação"  # R24: patients or packages from a spreadsheet

ACTION_LABELS = {
    LOGIN: "Entrada",
    LOGIN_FAILED: "Entrada recusada",
    LOGOUT: "Saída",
    EXPORT: "Exportação",
    BACKUP: "Backup",
    RESTORE: "Restauração",
    PACKAGE_CHANGE: "Pacote alterado",
    PACKAGE_CLOSE: "Pacote encerrado",
    VOID: "Estorno",
    USER_CHANGE: "Usuário",
    SETTINGS_CHANGE: "Configuração",
    PATIENT_DATA: "Dados do paciente exportados",
    ANONYMIZED: "Paciente anonimizado",
    IMPORT: "Importação",
}

MAX_DETAIL = 4000


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    user_id: int | None
    user_name: str
    workstation: str
    action: str
    detail: str

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


def record(
    action: str,
    detail: str = "",
    *,
    user: User | int | None = None,
    user_name: str | None = None,
    always: bool = False,
) -> None:
    """Append one line. `user`/`user_name` default to whoever is acting (a failed login
    names the account tried instead).

    A database without users keeps no audit log (everything works as before users: there
    is nobody to tell apart), except for what is `always` recorded: a patient's data
    exported or anonymized (LGPD), recorded under the PC's operator name."""
    if always or access.users_exist():
        _append(action, detail, user, user_name)


@operation
def _append(action: str, detail: str, user: User | int | None, user_name: str | None) -> None:
    values = {
        "at": clock.now(),
        "action": action,
        "detail": (detail or "")[:MAX_DETAIL],
        "user_name": (user_name if user_name is not None else access.actor_name())[:200],
        "workstation": access.workstation(),
    }
    if user is not None:
        values["user"] = user.id if isinstance(user, User) else user
    AuditEntry.insert(**values).execute()


def _query(
    *,
    user: int | None = None,
    action: str | None = None,
    start: date | None = None,
    end: date | None = None,
):
    query = AuditEntry.select()
    if user is not None:
        query = query.where(AuditEntry.user == user)
    if action:
        query = query.where(AuditEntry.action == action)
    if start is not None:
        query = query.where(AuditEntry.at >= datetime.combine(start, datetime.min.time()))
    if end is not None:
        after = datetime.combine(end + timedelta(days=1), datetime.min.time())
        query = query.where(AuditEntry.at < after)
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


@access.allowed("audit.entries")
def entries(
    *,
    user: int | None = None,
    action: str | None = None,
    start: date | None = None,
    end: date | None = None,
    limit: int | None = 5000,
) -> list[AuditRow]:
    """The audit lines, newest first, filtered by user id, action and period (days, both
    included). Administrators only."""
    query = _query(user=user, action=action, start=start, end=end)
    if limit is not None:
        query = query.limit(limit)
    return [
        AuditRow(
            row.id,
            row.at,
            row.user_id,
            row.user_name,
            row.workstation,
            row.action,
            row.detail,
        )
        for row in query
    ]


def actions_seen() -> list[str]:
    """The actions the log has, for the Auditoria filter (in the order of ACTION_LABELS)."""
    seen = {a for (a,) in AuditEntry.select(AuditEntry.action).distinct().tuples()}
    known = [a for a in ACTION_LABELS if a in seen]
    return known + sorted(seen - set(known))
