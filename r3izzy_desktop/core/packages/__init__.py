"""Prepaid session packages (SPEC §3, R2–R14): the ledger's arithmetic (ledger.py), the
operations that change a package (operations.py) and the reads the screens and reports
need (reads.py). SPEC §6 names them all `packages.<name>`."""

from .operations import (
    MAX_NOTES,
    MAX_SESSIONS,
    NUMBER_FORMAT,
    create_package,
    credit_back,
    edit_package,
    pay_sessions,
    refund_session,
)
from .reads import (
    ActiveTotals,
    HistoryRow,
    PackageSummary,
    PaidSession,
    active_totals,
    debit_preview,
    get_package,
    history,
    list_packages,
    offerable_packages,
    open_sessions_for,
    paid_sessions,
    summary,
)

__all__ = [
    "MAX_NOTES",
    "MAX_SESSIONS",
    "NUMBER_FORMAT",
    "ActiveTotals",
    "HistoryRow",
    "PackageSummary",
    "PaidSession",
    "active_totals",
    "create_package",
    "credit_back",
    "debit_preview",
    "edit_package",
    "get_package",
    "history",
    "list_packages",
    "offerable_packages",
    "open_sessions_for",
    "paid_sessions",
    "pay_sessions",
    "refund_session",
    "summary",
]
