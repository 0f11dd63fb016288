"""Running a core operation from a screen, in one line (in the spirit of Anki's
`CollectionOp`): the operation runs; a `DomainError` is shown as it is, in its own
words (or handed to the screen's `failed`, e.g. to mark a form field); on success
`done(result)` refreshes what changed. Bugs are not caught here: they reach the app's
excepthook, which logs them and tells the user.

    if run_op(self, lambda: packages.refund_session(session_id), done=self._changed):
        ...
    figures = run_op(parent, lambda: packages.summary(package_id))
    if figures:
        use(figures.value)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, NamedTuple, TypeVar

from PySide6.QtWidgets import QWidget

from ...core.errors import DomainError

T = TypeVar("T")


class OpResult(NamedTuple, Generic[T]):
    """What `run_op` gives back: true when the operation succeeded, with its `value`;
    false with the `error` the user was shown."""

    ok: bool
    value: T | None = None
    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.ok


def run_op(
    parent: QWidget | None,
    operation: Callable[[], T],
    *,
    title: str | None = None,
    done: Callable[[T], object] | None = None,
    failed: Callable[[DomainError], object] | None = None,
) -> OpResult[T]:
    """Run `operation()`; on a DomainError show it (under `title`) — or call `failed(error)`
    instead — and return a false result; on success call `done(value)` and return it."""
    try:
        value = operation()
    except DomainError as error:
        if failed is not None:
            failed(error)
        else:
            from . import messages  # its message boxes load when one is first shown

            messages.show_domain_error(parent, error, title)
        return OpResult(False, error=error)
    if done is not None:
        done(value)
    return OpResult(True, value)
