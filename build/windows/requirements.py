"""The requirements of the Windows Python (3.13, win_amd64), from pyproject.toml.

`pip download --platform win_amd64 --python-version 3.13` evaluates environment markers
for the Python that runs it, not for the target: on this Linux 3.11 it takes
`python_version < '3.12'` and `sys_platform == "win32"` the Linux way. So this script
evaluates pyproject's markers for Windows CPython 3.13 and prints one requirement a line,
plus the Windows-only dependencies of our dependencies that pip would then miss.

    python build/windows/requirements.py [--extras test,postgres,build] [--without ruff]
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

try:
    from packaging.requirements import Requirement
except ImportError:  # pip carries its own copy
    from pip._vendor.packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]

# Windows CPython 3.13 on x86-64, as PEP 508 markers see it.
WINDOWS_313 = {
    "implementation_name": "cpython",
    "implementation_version": "3.13.2",
    "os_name": "nt",
    "platform_machine": "AMD64",
    "platform_python_implementation": "CPython",
    "platform_release": "10",
    "platform_system": "Windows",
    "platform_version": "10.0.19045",
    "python_full_version": "3.13.2",
    "python_version": "3.13",
    "sys_platform": "win32",
}

# Dependencies of our dependencies behind a win32 marker: pip download (above) drops them.
WINDOWS_ONLY = [
    "pefile>=2022.5.30",  # PyInstaller
    "pywin32-ctypes>=0.2.1",  # PyInstaller
    "colorama",  # pytest
    "tzdata",  # psycopg
]


def requirements(extras: list[str], without: set[str]) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    chosen: dict[str, str] = {}
    for line in lines:
        requirement = Requirement(line)
        if requirement.name.lower() in without:
            continue
        if requirement.marker is not None and not requirement.marker.evaluate(WINDOWS_313):
            continue
        requirement.marker = None
        chosen.setdefault(str(requirement), str(requirement))
    return [*chosen, *WINDOWS_ONLY]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extras", default="test,postgres,build")
    parser.add_argument("--without", default="ruff", help="names to leave out, comma-separated")
    args = parser.parse_args(argv)
    extras = [name for name in args.extras.split(",") if name]
    without = {name.lower() for name in args.without.split(",") if name}
    print("\n".join(requirements(extras, without)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
