"""Find bundled files (icons, stylesheet, translations) the same way frozen and unfrozen."""

from __future__ import annotations

import functools
import sys
from pathlib import Path


@functools.cache  # where the program is does not move while it runs (resolve() reads links)
def resources_dir() -> Path:
    """`resources/` next to the package in a checkout, or inside the PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
