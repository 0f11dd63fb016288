"""Build the Windows installer: `python build/windows/installer.py` from the repository root.

Packs the one-folder app (dist/r3izzy-desktop/, built on Windows or under Wine by
build/build.py) with NSIS into dist/r3izzy-desktop-setup-<version>.exe. Needs `makensis`
(NSIS 3: Debian's package `nsis`, or nsis.sourceforge.io on Windows); runs on Linux and
on Windows alike. What the installer does is in build/windows/installer.nsi.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "build" / "windows" / "installer.nsi"
APP_DIR = ROOT / "dist" / "r3izzy-desktop"
ICON = ROOT / "resources" / "icons" / "app.ico"


def app_version() -> str:
    text = (ROOT / "r3izzy_desktop" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'__version__ = "(.+?)"', text)[1]


def file_version(version: str) -> str:
    """Windows' four-number file version: 0.1.0 -> 0.1.0.0, 1.2.3rc1 -> 1.2.3.0."""
    numbers = [int(n) for n in re.findall(r"\d+", version.split("+")[0])[:3]]
    return ".".join(str(n) for n in [*numbers, 0, 0, 0, 0][:4])


def folder_kb(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) // 1024


def build_installer(source: Path, version: str, out: Path, compressor: str = "lzma") -> Path:
    """Run makensis; returns the installer's path. Raises SystemExit with the reason."""
    makensis = shutil.which("makensis")
    if makensis is None:
        raise SystemExit("makensis not found: install NSIS (Debian: apt-get install nsis)")
    if not (source / "r3izzy-desktop.exe").exists():
        raise SystemExit(f"{source} has no r3izzy-desktop.exe: build the Windows app first")
    out.parent.mkdir(parents=True, exist_ok=True)
    # NSIS reads "\" and "/" alike; the defines come first so the script sees them.
    defines = {
        "VERSION": version,
        "FILE_VERSION": file_version(version),
        "SOURCE": str(source),
        "OUTFILE": str(out),
        "ICON": str(ICON),
        "SIZE_KB": str(folder_kb(source)),
    }
    command = [makensis, "-V2", "-INPUTCHARSET", "UTF8"]
    command += [f"-D{name}={value}" for name, value in defines.items()]
    command += [f"-X SetCompressor /SOLID {compressor}", str(SCRIPT)]
    subprocess.run(command, check=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=APP_DIR, help="the one-folder app")
    parser.add_argument("--version", default=None, help="default: the app's __version__")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--compressor",
        default="lzma",
        choices=("lzma", "zlib", "bzip2"),
        help="lzma: the smallest installer; zlib: several times faster to build",
    )
    args = parser.parse_args(argv)
    version = args.version or app_version()
    out = args.out or ROOT / "dist" / f"r3izzy-desktop-setup-{version}.exe"
    started = time.monotonic()
    build_installer(args.source.resolve(), version, out.resolve(), args.compressor)
    size = out.stat().st_size / 1_000_000
    print(f"built {out} in {time.monotonic() - started:.0f} s ({size:.0f} MB)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
