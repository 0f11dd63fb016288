"""The process test_crash.py kills: pays batches of sessions from packages, forever.

Run as `python -m tests.helpers.crash_worker DB_FILE` from the repository root. Patient k
always pays in batches of BATCH_SIZES[k] sessions, from packages whose size is a multiple
of it, so a batch paid in part would leave a debit count that is not a multiple — and
each batch's sessions carry one tag in their notes, so a partial batch shows there too.
"""

from __future__ import annotations

import sys
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

BATCH_SIZES = (2, 3, 4)
PRICE = Decimal("100.00")
BATCHES_PER_PACKAGE = 4
TAG = "lote "


def setup(path: str) -> None:
    """The clinic the worker pays in: one patient per batch size and one service."""
    from r3izzy_desktop.core import clinic
    from r3izzy_desktop.core.database import close_database, open_database

    open_database(path)
    clinic.add_service("Método Bobath", price=PRICE)
    for size in BATCH_SIZES:
        clinic.add_patient(f"Paciente lotes de {size}")
    close_database()


def work(path: str) -> None:
    from r3izzy_desktop.core import agenda, clinic, packages
    from r3izzy_desktop.core.database import open_database
    from r3izzy_desktop.core.store.models import Session

    open_database(path, create=False)
    service = clinic.list_services()[0]
    patients = sorted(clinic.find_patients(""), key=lambda p: p.name)
    start = (Session.select(Session.starts_at).order_by(Session.starts_at.desc()).scalar()) or (
        datetime(2025, 1, 6, 8, 0)
    )
    print("pronto", flush=True)
    turn = 0
    while True:
        patient = patients[turn % len(patients)]
        size = BATCH_SIZES[turn % len(patients)]
        turn += 1
        offered = [p for p in packages.offerable_packages(patient) if p.sessions_left >= size]
        package = offered[0] if offered else None
        if package is None:
            sessions = size * BATCHES_PER_PACKAGE
            package = packages.create_package(patient, sessions=sessions, total=PRICE * sessions)
        tag = f"{TAG}{uuid.uuid4().hex}:{size}"
        batch = []
        for _ in range(size):
            start += timedelta(minutes=30)
            batch.append(agenda.schedule(patient, service, start, notes=tag))
        packages.pay_sessions(package, batch)


if __name__ == "__main__":
    work(sys.argv[1])
