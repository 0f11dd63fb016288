"""Demo data: a realistic small clinic (small.py, through the app's own operations) and
the busy clinic of the benchmark (large.py, written in bulk)."""

from __future__ import annotations

from ..store.models import Package, PackageEvent, Patient, Payment, Session
from .large import populate_large
from .small import populate_small


def populate(size: str = "small", seed: int = 7) -> dict[str, int]:
    """Fill the open database with demo data; returns what was created, by kind."""
    if size == "large":
        return populate_large(seed=seed)
    if size != "small":
        raise ValueError(f"unknown demo size: {size}")
    populate_small(seed)
    return {
        "pacientes": Patient.select().count(),
        "sessões": Session.select().count(),
        "pacotes": Package.select().count(),
        "linhas de histórico": PackageEvent.select().count(),
        "pagamentos": Payment.select().count(),
    }
