"""The floor of the credit roll-forward (R20): ONE hand-written SQL statement, read with the
bare `sqlite3` module, that gives every figure of `reports.credit_rollforward(start, end)`
— the opening and the closing, each movement's sum and count, and the credit vencido at
the end with its number of packages.

How it gets them (the same rules as core/reports/credit.py, written out by hand, on the
same stored column and indexes of schema 12): each history line keeps its change of its
package's open amount (`open_change`); the closing is the packages' open amounts now minus
the changes of the lines at or after the end instant (the day after `end`, 00:00), the
opening the closing minus the changes inside the period, and the movements the changes of
the period's lines by kind (a closing's three amounts from its own columns, negative). The
vencido credit: the packages without a line after the end instant as their rows are now,
the others as their last line before it left them (and their last `criado` / `alterado
manualmente` line before it, the validity). The benchmark checks that both give the same
figures, one by one, before timing them."""

from __future__ import annotations

import re
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
    columns = []
    for kind in KINDS.values():
        columns.append(f"SUM(CASE WHEN kind = '{kind}' THEN change ELSE 0 END)")
        columns.append(f"SUM(CASE WHEN kind = '{kind}' THEN n ELSE 0 END)")
    for column in CLOSING_COLUMNS:
        columns.append(f"SUM(CASE WHEN kind = 'encerrado' THEN -{column} ELSE 0 END)")
        columns.append("SUM(CASE WHEN kind = 'encerrado' THEN n ELSE 0 END)")
    return ",\n           ".join(columns)


_MOVING = ", ".join(f"'{kind}'" for kind in (*KINDS.values(), "encerrado"))
_EXPIRED_NOW = (
    "status = 'ativo' AND sessions_total > sessions_used AND valid_until < :end "
    "AND id NOT IN (SELECT package_id FROM package_event WHERE at >= :high)"
)

CREDIT_SQL = f"""
WITH now AS (
    SELECT SUM(open_amount) AS credit,
           SUM(CASE WHEN {_EXPIRED_NOW} THEN open_amount ELSE 0 END) AS cents,
           COUNT(CASE WHEN {_EXPIRED_NOW} THEN 1 END) AS packages
    FROM package
), period AS (
    SELECT (SELECT SUM(open_change) FROM package_event WHERE at >= :high) AS after,
           (SELECT SUM(open_change) FROM package_event WHERE at >= :low AND at < :high)
               AS inside
), kinds AS (
    SELECT kind, SUM(open_change) AS change, COUNT(*) AS n, SUM(refunded) AS refunded,
           SUM(retained) AS retained, SUM(cancelled) AS cancelled
    FROM package_event WHERE kind IN ({_MOVING}) AND at >= :low AND at < :high
    GROUP BY kind
), moves AS (
    SELECT {_movement_columns()}
    FROM kinds
), changed AS (
    SELECT SUM(s.open_amount) AS cents, COUNT(*) AS packages
    FROM package p
    JOIN package_event s ON s.id = (
        SELECT MAX(id) FROM package_event WHERE package_id = p.id AND at < :high)
    JOIN package_event t ON t.id = (
        SELECT MAX(id) FROM package_event WHERE package_id = p.id AND at < :high
        AND kind IN ('criado', 'alterado manualmente'))
    WHERE p.id IN (SELECT package_id FROM package_event WHERE at >= :high)
      AND s.status = 'ativo' AND s.sessions_left > 0 AND t.valid_until < :end
)
SELECT COALESCE(now.credit, 0) - COALESCE(period.after, 0) - COALESCE(period.inside, 0),
       COALESCE(now.credit, 0) - COALESCE(period.after, 0),
       moves.*,
       COALESCE(now.cents, 0) + COALESCE(changed.cents, 0),
       now.packages + changed.packages
FROM now, period, moves, changed
"""


def _instant(day: date) -> str:
    """How the app's SQLite file stores a datetime ("2026-01-01 00:00:00")."""
    return datetime.combine(day, datetime.min.time()).isoformat(" ")


def credit_floor(connection: sqlite3.Connection, start: date, end: date) -> tuple:
    """The floor itself: the statement, its one row fetched. On PostgreSQL (a psycopg
    connection, see floors.connect) the same statement with psycopg's placeholders and
    the instants as timestamps."""
    if not isinstance(connection, sqlite3.Connection):
        statement = re.sub(r":(low|high|end)\b", r"%(\1)s", CREDIT_SQL)
        parameters = {
            "low": datetime.combine(start, datetime.min.time()),
            "high": datetime.combine(end + timedelta(days=1), datetime.min.time()),
            "end": end,
        }
        return connection.execute(statement, parameters).fetchone()
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
