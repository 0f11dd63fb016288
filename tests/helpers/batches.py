"""Payment batches for the fault tests (power cuts, full disks, I/O errors, a dying
server), and what a database must hold afterwards.

Patient k pays in batches of BATCH_SIZES[k] sessions, from packages whose size is a
multiple of it. Each batch's sessions carry one tag in their notes (`lote <hex>:<size>`),
so a batch paid in part shows, and so does an acknowledged batch that is missing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

BATCH_SIZES = (2, 3, 4)
PRICE = Decimal("100.00")
BATCHES_PER_PACKAGE = 3
TAG = "lote "


def make_clinic() -> None:
    """In the open database: one service and one patient per batch size."""
    from r3izzy_desktop.core import clinic

    clinic.add_service("Método Bobath", price=PRICE)
    for size in BATCH_SIZES:
        clinic.add_patient(f"Paciente lotes de {size}")


@dataclass
class Payer:
    """Pays batch after batch in the open database, one operation at a time."""

    turn: int = 0
    start: datetime = datetime(2025, 1, 6, 8, 0)
    acknowledged: list[str] = field(default_factory=list)

    pending: tuple[str, int, list[int]] | None = None  # (tag, package id, session ids)

    def pay_one(self) -> str:
        """Schedule one batch (one operation per session, a package when needed) and pay
        it in one operation. Returns its tag once `pay_sessions` returned; raises what
        the core raised otherwise."""
        self.prepare()
        return self.pay_prepared()

    def prepare(self) -> None:
        """Schedule the next batch (and a package when the patient has none with room)."""
        from r3izzy_desktop.core import agenda, clinic, packages

        service = clinic.list_services()[0]
        patients = sorted(clinic.find_patients(""), key=lambda p: p.name)
        patient = patients[self.turn % len(patients)]
        size = int(patient.name.rsplit(" ", 1)[1])
        self.turn += 1
        offered = [p for p in packages.offerable_packages(patient) if p.sessions_left >= size]
        package = offered[0] if offered else None
        if package is None:
            sessions = size * BATCHES_PER_PACKAGE
            package = packages.create_package(patient, sessions=sessions, total=PRICE * sessions)
        tag = f"{TAG}{uuid.uuid4().hex[:12]}:{size}"
        batch = []
        for _ in range(size):
            self.start += timedelta(minutes=30)
            batch.append(agenda.schedule(patient, service, self.start, notes=tag).id)
        self.pending = (tag, package.id, batch)

    def pay_prepared(self) -> str:
        """Pay the batch `prepare` scheduled (again, after a failure): one operation."""
        from r3izzy_desktop.core import packages

        assert self.pending is not None
        tag, package_id, batch = self.pending
        packages.pay_sessions(package_id, batch)
        self.acknowledged.append(tag)
        self.pending = None
        return tag


@dataclass
class Findings:
    paid_batches: set[str]
    partial: list[str]  # batches with some but not all sessions paid
    problems: list[str]  # integrity.check()

    def lost(self, acknowledged) -> list[str]:
        return [tag for tag in acknowledged if tag not in self.paid_batches]


def findings() -> Findings:
    """What the open database holds: paid batches, partial ones, inconsistencies."""
    from r3izzy_desktop.core import integrity
    from r3izzy_desktop.core.store.binding import db

    rows = db.execute_sql(
        "SELECT notes, COUNT(*), SUM(CASE WHEN EXISTS(SELECT 1 FROM payment p WHERE "
        "p.session_id = s.id AND p.voided_at IS NULL) THEN 1 ELSE 0 END) FROM session s "
        f"WHERE notes LIKE {db.obj.param} GROUP BY notes",
        (TAG + "%",),
    ).fetchall()
    whole, partial = set(), []
    for tag, scheduled, paid in rows:
        size = int(tag.rsplit(":", 1)[1])
        if paid == size and scheduled == size:
            whole.add(tag)
        elif paid:
            partial.append(tag)
    problems = [str(problem) for problem in integrity.check()]
    return Findings(whole, partial, problems)
