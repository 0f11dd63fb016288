"""Prepaid session packages (SPEC §3, R2–R18, R22): the ledger's arithmetic (ledger.py),
what a package covers (coverage.py: validity, services, sharing), its installments and
what it still owes (plans.py, R18), the operations that
change a package (operations.py), the reads the screens and reports need (reads.py),
which packages can pay what (offers.py) and the alerts (alerting.py). SPEC §6 names them
all `packages.<name>`."""

from .alerting import (
    ACABANDO,
    ALERT_KINDS,
    PARCELA_ATRASADA,
    VENCENDO,
    VENCIDO,
    PackageAlert,
    alert_count,
    alert_message,
    alert_text,
    alerts,
    whatsapp_link,
    whatsapp_number,
)
from .coverage import UNSET
from .editing import edit_package
from .lines import MAX_NOTES, MAX_SESSIONS
from .offers import (
    debit_preview,
    offerable_for_sessions,
    offerable_packages,
    open_sessions_for,
)
from .operations import (
    NUMBER_FORMAT,
    create_package,
    credit_back,
    free_numbers,
    pay_sessions,
    refund_session,
)
from .plans import (
    MAX_INSTALLMENTS,
    InstallmentFigures,
    InstallmentRow,
    installments,
    plan_problem,
    rebalance_installments,
    receive_installment,
    split_installments,
    void_installment,
)
from .reads import (
    ActiveTotals,
    HistoryRow,
    PackageSummary,
    PaidSession,
    active_totals,
    get_package,
    history,
    list_packages,
    paid_sessions,
    summary,
)

__all__ = [
    "ACABANDO",
    "ALERT_KINDS",
    "MAX_INSTALLMENTS",
    "MAX_NOTES",
    "MAX_SESSIONS",
    "NUMBER_FORMAT",
    "PARCELA_ATRASADA",
    "UNSET",
    "VENCENDO",
    "VENCIDO",
    "ActiveTotals",
    "HistoryRow",
    "InstallmentFigures",
    "InstallmentRow",
    "PackageAlert",
    "PackageSummary",
    "PaidSession",
    "active_totals",
    "alert_count",
    "alert_message",
    "alert_text",
    "alerts",
    "create_package",
    "credit_back",
    "debit_preview",
    "edit_package",
    "free_numbers",
    "get_package",
    "history",
    "installments",
    "list_packages",
    "offerable_for_sessions",
    "offerable_packages",
    "open_sessions_for",
    "paid_sessions",
    "pay_sessions",
    "plan_problem",
    "rebalance_installments",
    "receive_installment",
    "refund_session",
    "split_installments",
    "summary",
    "void_installment",
    "whatsapp_link",
    "whatsapp_number",
]
