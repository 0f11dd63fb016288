"""The Receitas table's columns over `SessionRow`: date and time, patient, service, price,
situation (Pago / Em aberto, with an absence marked), how it was paid."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ...core.agenda import ATTENDANCE_LABELS, SessionRow
from ...core.ptbr import format_brl, format_datetime, format_weekday_date
from ...core.reports import receitas
from ...core.terms import FALTA, FALTA_JUSTIFICADA
from ..common.table_model import LEFT, RIGHT, Column

PAID_COLOR = "#2e9e5b"
OPEN_COLOR = "#64748b"
FALTA_COLOR = "#b45309"


def tr(text: str) -> str:
    return QCoreApplication.translate("receitas", text)


ABSENCE_MARKS = {FALTA: "falta", FALTA_JUSTIFICADA: "falta just."}


def _situation(row: SessionRow) -> str:
    """ "Pago" / "Em aberto"; an absence is added ("Em aberto · falta just.")."""
    text = receitas.SITUATION_LABELS[receitas.situation_of(row)]
    mark = ABSENCE_MARKS.get(row.attendance)
    return f"{text} · {tr(mark)}" if mark else text


def _situation_color(row: SessionRow) -> str:
    if row.attendance in ABSENCE_MARKS:
        return FALTA_COLOR
    return PAID_COLOR if row.paid else OPEN_COLOR


PATIENT_COLUMN = 1
COLUMN_CAPS = {2: 190, 5: 215}  # service, payment: long texts are elided (tooltip has all)
# On a narrow window these columns give up width, in this order, down to these widths
# (their texts elided, whole in the tooltip), the patient keeping PATIENT_FLOOR.
SQUEEZE_FLOORS = {5: 130, 2: 110, 4: 120}
PATIENT_FLOOR = 140


def receitas_columns() -> list[Column[SessionRow]]:
    return [
        Column(
            tr("Data e hora"),
            lambda r: format_datetime(r.starts_at),
            LEFT,
            sort_key=lambda r: (r.starts_at, r.id),
            tooltip=lambda r: f"{format_weekday_date(r.starts_at)}/{r.starts_at:%Y}",
        ),
        Column(tr("Paciente"), lambda r: r.patient_name, LEFT),
        Column(tr("Serviço"), lambda r: r.service_name, LEFT),
        Column(tr("Valor"), lambda r: format_brl(r.price), RIGHT, sort_key=lambda r: r.price),
        Column(
            tr("Situação"),
            _situation,
            LEFT,
            color=_situation_color,
            tooltip=lambda r: ATTENDANCE_LABELS[r.attendance],
        ),
        Column(
            tr("Pagamento"),
            lambda r: receitas.payment_text(r) or "—",
            LEFT,
            tooltip=lambda r: receitas.payment_text(r) or tr("Em aberto"),
        ),
    ]


def column_samples(rows: list[SessionRow], services: list[str]) -> list:
    """The widest text each column can show, for sizing without measuring every cell
    (None: the patient, which takes the room left)."""
    prices = [format_brl(row.price) for row in rows] or ["R$ 000,00"]
    return [
        "00/00/0000 00:00",
        None,
        services or [row.service_name for row in rows] or [""],
        [max(prices, key=len)],
        [
            _situation_text(situation, mark)
            for situation in receitas.SITUATION_LABELS
            for mark in (None, "falta just.")
        ],
        ["Pacote No. 000000000000", *{receitas.payment_text(row) for row in rows[:200]}],
    ]


def _situation_text(situation: str, mark: str | None) -> str:
    text = receitas.SITUATION_LABELS[situation]
    return f"{text} · {tr(mark)}" if mark else text
