"""PySide6's import hook, made cheaper for every module imported after Qt.

Once PySide6.QtCore is loaded, PySide (for its optional `from __feature__ import …`
syntax) asks of every module imported afterwards whether its source mentions "PySide6",
and finds out with `inspect.getsource`: the whole file read through linecache and
tokenize. At start-up the app imports 72 modules after Qt (every screen's module among
them), and that question cost 9.3-11.7 ms of the start-up (measured 2026-12-04 by
wrapping the check in the running app; the process's CPU to its first idle moment,
side by side: 263.2 ms before, 254.6 ms with the question answered as below).

`install()` answers the same question by reading the file's bytes; a module without a
source file (built in, frozen in the executable) is left to PySide's own answer. The
app never uses `__feature__`, so nothing depends on the answer but PySide's bookkeeping.
"""

from __future__ import annotations

import sys

_MARK = "_r3izzy_bytes_check"


def install() -> bool:
    """Replace PySide's source check with the cheaper one (once); False when this PySide
    has no such check (another version: its own way is kept)."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None:
        return False
    if getattr(original, _MARK, False):
        return True

    def uses_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return original(module)

    setattr(uses_pyside, _MARK, True)
    uses_pyside.__wrapped__ = original  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside
    return True
