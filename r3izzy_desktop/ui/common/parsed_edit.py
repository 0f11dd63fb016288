"""A line edit whose text the core parses: money, a whole number, a date.

`ParsedLineEdit` keeps what a person typed as it is and asks a subclass's `_parse()` (the
core's ptbr parsers) what it means: `value()` is the parsed value or None while the text
is not one, `error()` the core's Portuguese message saying why. The three fields of the
forms (MoneyEdit, WholeNumberEdit, DateEdit) differ only in their `_parse`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit

from ...core.errors import ValidationError


class ParsedLineEdit(QLineEdit):
    def _parse(self) -> Any:
        """The typed text's value; a ValidationError (its message for the user) when the
        text is not one."""
        raise NotImplementedError

    def value(self) -> Any:
        """The value typed now, None while the text is not one (see `error()`)."""
        try:
            return self._parse()
        except ValidationError:
            return None

    def error(self) -> str | None:
        """Why the text typed now is refused; None when it is a value the field takes."""
        try:
            self._parse()
        except ValidationError as exc:
            return str(exc)
        return None
