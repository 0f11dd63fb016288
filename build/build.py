"""Build the one-folder app: `python build/build.py` from the repository root.

Produces dist/r3izzy-desktop/ with the `r3izzy-desktop` executable (`.exe` on Windows)
and, with --smoke, runs the built executable's smoke test (exit code non-zero when the
bundle is broken). Needs the build extra: `pip install -e ".[build]"`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build" / "r3izzy-desktop.spec"
DIST = ROOT / "dist"
# One work folder per platform: a Windows build under Wine beside a Linux one never
# reuses the other's analysis.
WORK = ROOT / "build" / "work" / sys.platform
APP_DIR = DIST / "r3izzy-desktop"


def executable() -> Path:
    name = "r3izzy-desktop-cli.exe" if sys.platform == "win32" else "r3izzy-desktop"
    return APP_DIR / name


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def build(clean: bool) -> float:
    try:
        import PyInstaller.__main__ as pyinstaller
    except ImportError:
        raise SystemExit('PyInstaller is not installed: pip install -e ".[build]"') from None
    icons = ROOT / "resources" / "icons"
    if not (icons / "app.ico").exists() or not (icons / "app.png").exists():
        subprocess.run([sys.executable, str(ROOT / "build" / "make_icons.py")], check=True)
    args = [
        str(SPEC),
        "--noconfirm",
        "--distpath",
        str(DIST),
        "--workpath",
        str(WORK),
        "--log-level",
        "WARN",
    ]
    if clean:
        args.append("--clean")
    started = time.monotonic()
    os.chdir(ROOT)
    pyinstaller.run(args)
    return time.monotonic() - started


def smoke() -> int:
    exe = executable()
    print(f"smoke test: {exe} --smoke", flush=True)
    return subprocess.run([str(exe), "--smoke"], check=False).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build dist/r3izzy-desktop/ with PyInstaller.")
    parser.add_argument("--clean", action="store_true", help="discard PyInstaller's cache first")
    parser.add_argument("--smoke", action="store_true", help="run the built app's smoke test")
    args = parser.parse_args(argv)
    seconds = build(args.clean)
    size = folder_size(APP_DIR) / 1_000_000
    print(f"built {APP_DIR} in {seconds:.0f} s ({size:.0f} MB)", flush=True)
    if not executable().exists():
        print(f"missing executable: {executable()}", file=sys.stderr)
        return 1
    return smoke() if args.smoke else 0


if __name__ == "__main__":
    sys.exit(main())
