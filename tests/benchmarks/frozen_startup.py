"""Start-up of the installed program: the app's one-folder PyInstaller bundle against the
least program on the stack frozen the same way, side by side.

    python tests/benchmarks/frozen_startup.py --db large.db
    python tests/benchmarks/run.py --db large.db --json result.json --only startup --frozen

Builds both into a scratch folder first (a few minutes each: that is why run.py only
does it with `--frozen`): the app from build/r3izzy-desktop.spec, exactly as
build/build.py does, and stack_window.py (with floor_window.py, which it imports) as a
plain one-folder bundle with PyInstaller's defaults. Then times each from spawning its
executable to its idle mark (startup.time_to_idle), interleaved run by run after a
warm-up of each. A bundle carries its modules compiled and no source, so nothing is
compiled at start, as in the installed program.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

import startup  # noqa: E402

SPEC = ROOT / "build" / "r3izzy-desktop.spec"
STACK_NAME = "stack-window"


def _pyinstaller(args: list[str], log) -> None:
    started = time.monotonic()
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", *args]
    subprocess.run(command, check=True, cwd=ROOT)
    log(f"  built in {time.monotonic() - started:.0f} s: {args[-1]}")


def build(scratch: Path, log=print) -> dict[str, Path]:
    """Build the app and the least program into `scratch`; their executables."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit('PyInstaller is not installed: pip install -e ".[build]"') from None
    dist, work = scratch / "dist", scratch / "work"
    _pyinstaller(["--distpath", str(dist), "--workpath", str(work / "app"), str(SPEC)], log)
    _pyinstaller(
        [
            "--onedir",
            "--name",
            STACK_NAME,
            "--distpath",
            str(dist),
            "--workpath",
            str(work / "stack"),
            "--specpath",
            str(work),
            "--paths",
            str(HERE),
            # As unfrozen, the least program uses SQLite only (stack_window.py hides them).
            "--exclude-module",
            "psycopg",
            "--exclude-module",
            "psycopg2",
            str(HERE / "stack_window.py"),
        ],
        log,
    )
    return executables(dist)


def executables(dist: Path) -> dict[str, Path]:
    """The app's and the least program's executables in a `dist` folder built here."""
    if sys.platform == "win32":  # the console twin: a windowed program's output is hidden
        return {
            "app": dist / "r3izzy-desktop" / "r3izzy-desktop-cli.exe",
            "stack": dist / STACK_NAME / f"{STACK_NAME}.exe",
        }
    return {
        "app": dist / "r3izzy-desktop" / "r3izzy-desktop",
        "stack": dist / STACK_NAME / STACK_NAME,
    }


def measure(
    db: Path | str, workdir: Path, runs: int, log=print, built: dict[str, Path] | None = None
) -> dict[str, float]:
    """Median start-up of the frozen app and of the frozen least program (built into
    `workdir` unless `built` gives their executables); `ratio_to_stack`: app ÷ stack."""
    workdir.mkdir(parents=True, exist_ok=True)
    executables = built or build(workdir / "build", log)
    env = startup._env(workdir / "run")
    commands = {
        "app": [str(executables["app"]), "--db", str(db)],
        "stack": [str(executables["stack"]), str(db)],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        startup.time_to_idle(command, env)  # warm-up: OS file cache, the day's backup
    for run in range(runs):
        for name, command in commands.items():
            times[name].append(startup.time_to_idle(command, env))
        log(
            f"  frozen start-up run {run + 1}: "
            + ", ".join(f"{name} {values[-1]:.3f} s" for name, values in times.items())
        )
    app, stack = (statistics.median(times[name]) for name in ("app", "stack"))
    return {"app": round(app, 3), "stack": round(stack, 3), "ratio_to_stack": round(app / stack, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, type=Path, help="the large demo database")
    parser.add_argument("--runs", type=int, default=7, help="measured runs of each (median)")
    parser.add_argument(
        "--keep",
        type=Path,
        help="build into (and keep) this folder; with --reuse, time the bundles already there",
    )
    parser.add_argument("--reuse", action="store_true", help="do not build again (with --keep)")
    args = parser.parse_args()
    db = args.db.resolve()
    if not db.is_file():
        raise SystemExit(f"no database at {db}")
    if args.reuse and not args.keep:
        raise SystemExit("--reuse needs --keep")
    with tempfile.TemporaryDirectory(prefix="r3izzy-frozen-") as scratch:
        folder = args.keep.resolve() if args.keep else Path(scratch)
        built = executables(folder / "build" / "dist") if args.reuse else None
        result = measure(db, folder, args.runs, built=built)
    print(
        f"frozen app {result['app']:.3f} s, frozen least program {result['stack']:.3f} s: "
        f"ratio to the stack {result['ratio_to_stack']:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
