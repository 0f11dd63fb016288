"""What the integrity check (R14, integrity.py and integrity_receipts.py) reports: one
inconsistency, in words a person can act on, and where it is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One inconsistency, in words a person can act on."""

    message: str
    package_number: str | None = None
    session_id: int | None = None
    receipt_number: int | None = None  # R21

    def __str__(self) -> str:
        if self.receipt_number is not None:
            return f"Recibo No. {self.receipt_number}: {self.message}"
        if self.package_number:
            return f"Pacote No. {self.package_number}: {self.message}"
        if self.session_id is not None:
            return f"Sessão {self.session_id}: {self.message}"
        return self.message
