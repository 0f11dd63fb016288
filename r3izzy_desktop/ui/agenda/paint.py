"""Colours and small painting helpers shared by the month and week views.

The calendar paints its sessions itself (no widget per session), so a month with
hundreds of sessions draws at once. Colours follow the stylesheet (SPEC §5a): paid
green, open grey, falta amber, accent teal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from ...core.agenda import SessionRow
from ...core.terms import FALTA, FALTA_JUSTIFICADA

PAID = QColor("#2e9e5b")
OPEN = QColor("#8a8f98")
FALTA_COLOR = QColor("#b45309")
FALTA_BG = QColor("#fdecc8")
ACCENT = QColor("#0f8b8d")
ACCENT_SOFT = QColor("#e6f4f4")
GRID = QColor("#e2e6ea")
GRID_SOFT = QColor("#eef1f4")
TEXT = QColor("#1f2933")
MUTED = QColor("#64748b")
FADED = QColor("#a3acb9")
OUTSIDE_BG = QColor("#f8fafc")
WHITE = QColor("#ffffff")
NOW_LINE = QColor("#d64545")

TAGS = {FALTA: "F", FALTA_JUSTIFICADA: "FJ"}
TAG_TIPS = {FALTA: "Falta", FALTA_JUSTIFICADA: "Falta justificada"}


def week_start(day: date, first_weekday: int) -> date:
    """The first day (`first_weekday`: 0 = Monday … 6 = Sunday) of the week holding `day`."""
    return day - timedelta(days=(day.weekday() - first_weekday) % 7)


def dot_color(row: SessionRow) -> QColor:
    return PAID if row.paid else OPEN


def draw_dot(painter: QPainter, center: QPointF, row: SessionRow, radius: float = 4.0) -> None:
    """The payment dot: green when paid, grey when open (manual 3.1: "bolinha verde")."""
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(dot_color(row))
    painter.drawEllipse(center, radius, radius)
    painter.restore()


def draw_tag(painter: QPainter, rect: QRectF, attendance: str, font: QFont) -> float:
    """A small amber pill ("F" falta, "FJ" falta justificada) at rect's left; returns its
    width (0 when the session has no absence)."""
    text = TAGS.get(attendance)
    if not text:
        return 0.0
    painter.save()
    small = QFont(font)
    small.setPointSizeF(max(6.5, font.pointSizeF() - 2))
    small.setBold(True)
    painter.setFont(small)
    width = painter.fontMetrics().horizontalAdvance(text) + 8
    height = min(rect.height(), painter.fontMetrics().height() + 2)
    pill = QRectF(rect.left(), rect.center().y() - height / 2, width, height)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(FALTA_BG)
    painter.drawRoundedRect(pill, 4, 4)
    painter.setPen(QPen(FALTA_COLOR))
    painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()
    return width


def tint(color: QColor, strength: float) -> QColor:
    """`color` mixed into white: 0 is white, 1 is the colour itself."""
    return QColor(
        round(255 + (color.red() - 255) * strength),
        round(255 + (color.green() - 255) * strength),
        round(255 + (color.blue() - 255) * strength),
    )


def texts(row: SessionRow, show_patient: bool) -> tuple[str, str]:
    """What a session's entry says: (patient, service) in the general calendar; in one
    patient's calendar, where the name is known, (service, professional or location)."""
    if show_patient:
        return row.patient_name, row.service_name
    return row.service_name, row.professional_name or row.location_name


def session_tooltip(row: SessionRow, payment: str) -> str:
    """What a hover says about a session: time, patient, service, place, payment."""
    lines = [
        f"{row.starts_at:%H:%M}–{row.ends_at:%H:%M}  {row.patient_name}",
        row.service_name,
    ]
    place = " · ".join(part for part in (row.professional_name, row.location_name) if part)
    if place:
        lines.append(place)
    lines.append(payment)
    if row.attendance in TAG_TIPS:
        lines.append(TAG_TIPS[row.attendance])
    return "\n".join(lines)


@dataclass(frozen=True)
class Hit:
    """Something clickable the view painted: a session, or a day's "+N mais"."""

    rect: QRectF
    session_id: int | None = None
    day: date | None = None
