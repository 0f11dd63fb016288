"""Every failure the core raises is a DomainError whose message can be shown to the user."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any


class DomainError(Exception):
    """A failure with a message fit for the user (Brazilian Portuguese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(DomainError):
    """Input that breaks a rule; `field` names the form field when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotFound(DomainError):
    """A record that does not exist (any more)."""


class PackageNotActive(DomainError):
    """Sessions can only be paid from an `ativo` package (R6)."""


class PackageClosed(DomainError):
    """The session was paid by an `encerrado` package (R19): its debit cannot be credited
    back (deleting the session, a justified absence, removing it from the paid list).
    Nothing was changed."""

    def __init__(self, message: str, session_id: int | None = None):
        super().__init__(message)
        self.session_id = session_id


class PackageExpired(DomainError):
    """The session falls after the package's last valid day (R15); nothing was paid."""

    def __init__(self, message: str, valid_until: Any = None, session_id: int | None = None):
        super().__init__(message)
        self.valid_until = valid_until  # date
        self.session_id = session_id


class ServiceNotCovered(ValidationError):
    """The session's service is not among those the package covers (R16); nothing was
    paid. `services` names the services the package covers."""

    def __init__(self, message: str, services: tuple[str, ...] = (), session_id: int | None = None):
        super().__init__(message, "services")
        self.services = services
        self.session_id = session_id


class NotEnoughSessions(DomainError):
    """More sessions than the package has left: the package must be adjusted first (R6)."""

    def __init__(self, message: str, requested: int, available: int):
        super().__init__(message)
        self.requested = requested
        self.available = available


class NotEnoughPaid(DomainError):
    """R18: the package may only use what was received (`pay_before_use`) and these debits
    would take its debited total above `received`; nothing was paid. `owed` is what the
    package still has to receive (total − received)."""

    def __init__(
        self,
        message: str,
        received: Decimal | None = None,
        debited: Decimal | None = None,
        owed: Decimal | None = None,
    ):
        super().__init__(message)
        self.received = received
        self.debited = debited  # the debited total the payment would have reached
        self.owed = owed


@dataclass(frozen=True)
class PriceDifference:
    """One session whose price differs from what the package would debit."""

    session_id: int
    starts_at: Any  # datetime
    service_name: str
    price: Decimal
    debit_amount: Decimal


class PriceMismatch(DomainError):
    """The sessions' prices differ from the debit amounts; the user must confirm (R6)."""

    def __init__(self, message: str, differences: list[PriceDifference]):
        super().__init__(message)
        self.differences = differences


class AlreadyPaid(DomainError):
    """The session already has an active payment (R11)."""

    def __init__(self, message: str, session_id: int | None = None):
        super().__init__(message)
        self.session_id = session_id


class StaleData(DomainError):
    """What the screen showed was changed meanwhile (another PC); nothing was done."""


class DatabaseBusy(DomainError):
    """The database stayed locked or in conflict after retries; nothing was done."""


class DatabaseProblem(DomainError):
    """The database file cannot be used: damaged, read-only, newer version, missing...

    `kind` tells which: "newer", "damaged", "locked", "readonly", "missing", "connection",
    "migration" (an upgrade step failed; the database stays at its old version),
    "transfer" (copying a clinic to another database failed; `transfer.copy_to`),
    "full" (no space left on the disk: nothing was written), "io" (the disk failed to read
    or write), "not_recorded" (the server connection broke and the action is known not to
    have been recorded).
    """

    def __init__(self, message: str, kind: str, path: str | None = None):
        super().__init__(message)
        self.kind = kind
        self.path = path


class ExportCancelled(DomainError):
    """The user stopped the export (or other background work); no file was written.
    Here, not in export.py, so the background jobs can know it without loading openpyxl."""

    def __init__(self, message: str = "Exportação cancelada; nenhum arquivo foi gravado."):
        super().__init__(message)


class NotAllowed(DomainError):
    """The user logged in may not do this (R23), nobody is logged in while the database has
    users, or a login failed (wrong password, locked out). Nothing was changed."""
