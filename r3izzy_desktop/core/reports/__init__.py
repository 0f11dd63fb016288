"""What the clinic reads about its money: the package report of manual 2.1
(package_report.py, its filters report_query.py, its history package_history.py), a
package's receipt (receipt.py), the closing statement of R19 (closing_statement.py),
Gestão Financeira (finance.py; with its alerts, finance_page.py), Receitas (receitas.py)
and the Excel workbooks (export.py). `reports.<name>` gathers the package report, the
receipt and the finance summary; the others are read as modules."""

from .closing_statement import ClosingStatement, closing_statement
from .credit import (
    CreditRollforward,
    MonthCredit,
    credit_by_month,
    credit_figures,
    credit_rollforward,
)
from .finance import FinanceSummary, MethodAmount, MonthFigures, finance_summary, monthly_figures
from .finance_page import FinanceOverview, finance_overview
from .package_history import HistoryReportRow, count_history, history_rows, iter_history_rows
from .package_report import (
    PackageReport,
    PackageReportRow,
    PackageReportTotals,
    count_packages,
    iter_report_rows,
    package_report,
    package_report_preview,
    report_totals,
)
from .receipt import PackageReceipt, document_label, package_receipt
from .report_query import ReportFilters, fetch_rows, make_filters, read_snapshot

__all__ = [
    "ClosingStatement",
    "CreditRollforward",
    "FinanceOverview",
    "FinanceSummary",
    "HistoryReportRow",
    "MethodAmount",
    "MonthCredit",
    "MonthFigures",
    "PackageReceipt",
    "PackageReport",
    "PackageReportRow",
    "PackageReportTotals",
    "ReportFilters",
    "closing_statement",
    "count_history",
    "count_packages",
    "credit_by_month",
    "credit_figures",
    "credit_rollforward",
    "document_label",
    "fetch_rows",
    "finance_overview",
    "finance_summary",
    "history_rows",
    "iter_history_rows",
    "iter_report_rows",
    "make_filters",
    "monthly_figures",
    "package_receipt",
    "package_report",
    "package_report_preview",
    "read_snapshot",
    "report_totals",
]
