"""Dates in the package dialogs: the pt-BR locale and the QDate conversions, shared with
every screen's date field (ui/common/date_edit)."""

from __future__ import annotations

from ..common.date_edit import PT_BR, from_qdate, to_qdate

__all__ = ["PT_BR", "from_qdate", "to_qdate"]
