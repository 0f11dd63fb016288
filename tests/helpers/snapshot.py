"""Every row of every table, to prove a failed operation changed nothing."""

from __future__ import annotations

from typing import Any

from r3izzy_desktop.core.store import models
from r3izzy_desktop.core.store.binding import db


def db_snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """{table name: all its rows as stored, ordered by the first column} for every model.

    Plain SQL on purpose: it reads what is stored (centavos, text dates), with no field
    conversion in between, and it is fast enough to run before every step of a state machine.
    """
    return {
        model._meta.table_name: db.execute_sql(
            f'SELECT * FROM "{model._meta.table_name}" ORDER BY 1'
        ).fetchall()
        for model in models.ALL_MODELS
        # The change counter and the commit marks (on a server) are bookkeeping, not data:
        # every committed operation writes them, even one that found nothing to change (a
        # failed one rolls them back with the rest).
        if model not in (models.ChangeCounter, models.CommitMark)
    }
