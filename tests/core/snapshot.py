"""Every row of every table, to prove a failed operation changed nothing."""

from __future__ import annotations

from typing import Any

from r3izzy_desktop.core import models


def db_snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """{table name: all its rows as tuples, in primary-key order} for every model."""
    snapshot = {}
    for model in models.ALL_MODELS:
        query = model.select().order_by(model._meta.primary_key).tuples()
        snapshot[model._meta.table_name] = list(query)
    return snapshot
