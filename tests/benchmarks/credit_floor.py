"""The floor of the credit roll-forward (R20): ONE hand-written SQL statement, read with the
bare `sqlite3` module, that gives every figure of `reports.credit_rollforward(start, end)`
— the opening and the closing, each movement's sum and count, and the credit vencido at
the end with its number of packages.

How it gets them (the same rules as core/reports/credit.py, written out by hand): each
history line's change of its package's open amount is `open_amount - LAG(open_amount)` over
the package's lines in id order; the opening sums the changes of the lines before the start
instant, the closing those before the end instant (the day after `end`, 00:00), and the
movements the changes of the lines in between by kind (a closing's three amounts from its
own columns, negative). The vencido credit: each package's last line before the end instant
(`ativo`, sessions left) and its last `criado` / `alterado manualmente` line before it (the
validity), in a CTE of the same statement. The benchmark checks that both give the same
figures, one by one, before timing them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from r3izzy_desktop.core.store.sqlite import sqlite3

KINDS = {
    "sold": "criado",
    "adjusted": "alterado manualmente",
    "consumed": "sessão debitada",
    "credited": "sessão creditada",
}
CLOSING_COLUMNS = ("refunded", "retained", "cancelled")  # of an `encerrado` line (R19)
FIGURES = (
    "opening",
    "closing",
    *(f"{name}{part}" for name in (*KINDS, *CLOSING_COLUMNS) for part in ("", "_count")),
    "expired_credit",
    "expired_count",
)


def _movement_columns() -> str:
    inside = "phase = 1"
    columns = []
    for kind in KINDS.values():
        columns.append(f"SUM(CASE WHEN {inside} AND kind = '{kind}' THEN delta ELSE 0 END)")
        columns.append(f"COUNT(CASE WHEN {inside} AND kind = '{kind}' THEN 1 END)")
    for column in CLOSING_COLUMNS:
        columns.append(f"SUM(CASE WHEN {inside} AND kind = 'encerrado' THEN -{column} ELSE 0 END)")
        columns.append(f"COUNT(CASE WHEN {inside} AND kind = 'encerrado' THEN 1 END)")
    return ",\n       ".join(columns)


CREDIT_SQL = f"""
WITH lines AS (
    SELECT kind, refunded, retained, cancelled,
           CASE WHEN at < :low THEN 0 WHEN at < :high THEN 1 ELSE 2 END AS phase,
           open_amount - LAG(open_amount, 1, 0) OVER (PARTITION BY package_id ORDER BY id)
               AS delta
    FROM package_event
), last AS (
    SELECT package_id, MAX(id) AS last_id,
           MAX(CASE WHEN kind IN ('criado', 'alterado manualmente') THEN id END) AS terms_id
    FROM package_event WHERE at < :high GROUP BY package_id
), expired AS (
    SELECT SUM(s.open_amount) AS cents, COUNT(*) AS packages
    FROM last JOIN package_event s ON s.id = last.last_id
    JOIN package_event t ON t.id = last.terms_id
    WHERE s.status = 'ativo' AND s.sessions_left > 0 AND t.valid_until < :end
)
SELECT SUM(CASE WHEN phase = 0 THEN delta ELSE 0 END),
       SUM(CASE WHEN phase < 2 THEN delta ELSE 0 END),
       {_movement_columns()},
       MAX(expired.cents), MAX(expired.packages)
FROM lines CROSS JOIN expired
"""


def _instant(day: date) -> str:
    """How the app's SQLite file stores a datetime ("2026-01-01 00:00:00")."""
    return datetime.combine(day, datetime.min.time()).isoformat(" ")


def credit_floor(connection: sqlite3.Connection, start: date, end: date) -> tuple:
    """The floor itself: the statement, its one row fetched."""
    parameters = {
        "low": _instant(start),
        "high": _instant(end + timedelta(days=1)),
        "end": end.isoformat(),
    }
    return connection.execute(CREDIT_SQL, parameters).fetchone()


def floor_figures(row: tuple) -> dict[str, int]:
    """{figure: centavos or count}, in FIGURES' order."""
    return {name: int(value or 0) for name, value in zip(FIGURES, row, strict=True)}


def app_figures(roll) -> dict[str, int]:
    """The same figures from `reports.credit_rollforward`: money in centavos (Decimal × 100,
    exact), counts as they are."""
    figures = {}
    for name in FIGURES:
        value = getattr(roll, name)
        figures[name] = int(value * 100) if isinstance(value, Decimal) else int(value)
    return figures


def five_years(connection: sqlite3.Connection) -> tuple[date, date]:
    """The five years ending on the day of the database's last history line."""
    last = connection.execute("SELECT MAX(at) FROM package_event").fetchone()[0]
    end = date.fromisoformat(str(last)[:10])
    day = min(end.day, 28) if end.month == 2 else end.day  # no 29/02 five years before
    return end.replace(year=end.year - 5, day=day) + timedelta(days=1), end
