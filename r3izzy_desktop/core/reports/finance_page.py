"""What Gestão Financeira shows when it opens (SPEC §5.8): the period's figures
(finance.py) and the package alerts (R22, packages/alerting.py), read together.

One read transaction (`read_snapshot`), so the cards and the alerts show one committed
state even while another PC writes, and four statements on a clinic's server, whatever
its size: BEGIN, the period's figures with the clinic's package settings the alerts depend
on (one statement: finance.summary_query with the settings as scalar subqueries), the
alerts (one statement), COMMIT. The chart's twelve months are not in it: joining a year of
debits to their sessions is most of the time of the figures (on a server well over the
page's budget), so the page reads them after its cards are painted (`monthly_figures`,
one statement).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import clock
from ..clinic import PACKAGE_DEFAULT_KEYS, package_defaults_from
from ..packages import PackageAlert, alerts
from ..store.models import Setting
from .finance import FinanceSummary, summary_query
from .report_query import read_snapshot


@dataclass(frozen=True)
class FinanceOverview:
    summary: FinanceSummary  # without the chart's months (`months` is ())
    alerts: tuple[PackageAlert, ...]  # in `packages.alerts`' order


def finance_overview(start: date, end: date) -> FinanceOverview:
    """The figures of [start, end] (`finance_summary`'s, but the months) and today's
    package alerts (`packages.alerts`'), in one read transaction of four statements.
    ValidationError for a period that is not one (as `finance_summary`)."""
    today = clock.today()
    settings = {
        key: Setting.select(Setting.value).where(Setting.key == key) for key in PACKAGE_DEFAULT_KEYS
    }
    query, read = summary_query(start, end, extra=settings, months=False)  # checks the period first
    with read_snapshot():
        summary, values = read(list(query.tuples()))
        found = alerts(today, package_defaults_from(values))
    return FinanceOverview(summary, tuple(found))
