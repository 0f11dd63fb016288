"""The report and finance scenarios again on PostgreSQL: the SQL aggregates (SUM of CASE per
month, the read snapshot, the raw row conversion) must give the same figures there."""

import pytest

from r3izzy_desktop.core.database import open_database
from tests.core.reports.test_finance import (  # noqa: F401 - the fixture and the tests run here too
    month,
    test_credit_sold_and_consumed_in_the_period,
    test_open_receivables,
    test_package_credit_open_counts_inativo_not_finalizado,
    test_received_by_method_counts_package_sales_not_debits,
    test_twelve_months_for_the_chart,
)
from tests.core.reports.test_reports import (  # noqa: F401
    scenario,
    test_history_of_all_packages_follows_the_report_order,
    test_patient_filter_by_words_without_accents_by_cpf_and_by_id,
    test_report_figures_equal_an_aggregate_over_the_payments,
    test_report_rows_match_the_hand_computed_figures,
    test_rows_are_ordered_by_patient_ignoring_accents_then_payment_date,
    test_totals,
)
from tests.helpers import pg

pytestmark = pytest.mark.postgres


@pytest.fixture
def db():
    with pg.fresh_database() as url:
        yield open_database(url)
