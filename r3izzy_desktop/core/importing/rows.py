"""What a preview holds (R24): each row of the file with what will happen to it, in words.
Frozen rows, for the screen's table and the command line's listing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CREATE = "criar"
SKIP = "ignorar"
ERROR = "erro"
ACTION_LABELS = {CREATE: "Será importado", SKIP: "Ignorado", ERROR: "Erro"}


@dataclass(frozen=True)
class ParsedRow:
    """One data row as read from the file: its number, the values it gave (cleaned), and
    the problems found in it (in words; none means it can be imported)."""

    line: int
    values: dict[str, Any]
    errors: tuple[str, ...] = ()
    skip: str = ""  # why the row is left out by rule (a finalizado package)


@dataclass(frozen=True)
class PreviewRow:
    line: int  # the row number in the spreadsheet
    action: str  # CREATE, SKIP or ERROR
    name: str  # the patient, as the row names them
    summary: str  # what will be created ("2 sessões, R$ 500,00")
    message: str  # why it is skipped, or its error(s), in words
    values: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    patient_id: int | None = None  # packages: the patient it goes to

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    @property
    def is_error(self) -> bool:
        return self.action == ERROR


@dataclass(frozen=True)
class Preview:
    kind: str  # PATIENTS or PACKAGES
    path: Path
    sheet_name: str
    header_line: int
    columns: dict[str, str]  # field key -> the header as written in the file
    rows: tuple[PreviewRow, ...]
    parsed: tuple[ParsedRow, ...] = field(compare=False, repr=False, default=())

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def to_create(self) -> int:
        return self.count(CREATE)

    @property
    def skipped(self) -> int:
        return self.count(SKIP)

    @property
    def errors(self) -> int:
        return self.count(ERROR)

    @property
    def can_import(self) -> bool:
        return self.to_create > 0


@dataclass(frozen=True)
class ImportResult:
    kind: str
    file_name: str
    created: int
    skipped: int
    errors: int
    backup: Path | None  # the copy of the database made before, when there is one
    backup_note: str  # why there is none (PostgreSQL, a temporary database)
