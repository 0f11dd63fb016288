"""Dates in the package dialogs: the pt-BR locale of their date fields and the
conversions between QDate and date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale

PT_BR = QLocale(QLocale.Language.Portuguese, QLocale.Country.Brazil)


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
