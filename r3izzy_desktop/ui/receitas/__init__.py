"""Receitas: the sessions of a period with their payment state, paid from here."""

from .page import ReceitasPage

__all__ = ["ReceitasPage"]
