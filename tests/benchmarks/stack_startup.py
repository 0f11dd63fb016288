"""How much of the start-up the chosen libraries take by themselves.

    python tests/benchmarks/stack_startup.py --db large.db

Times three processes to their window painted and idle (startup.py), interleaved run by
run after a warm-up of each: the bare PySide6 window (the floor of `startup_s`), the
least program that shows the patients with peewee and a QTableView (stack_window.py), and
the app. Prints their medians and ratios to the floor. run.py's `startup_s` measures the
same three (its `ratio_to_stack` is the target); this runs them alone, with more runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import startup  # noqa: E402
from run import compile_bytecode  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, type=Path, help="the large demo database")
    parser.add_argument("--runs", type=int, default=7, help="measured runs of each (median)")
    args = parser.parse_args()
    db = args.db.resolve()
    if not db.is_file():
        raise SystemExit(f"no database at {db}")
    compile_bytecode(print)
    with tempfile.TemporaryDirectory(prefix="r3izzy-stack-") as workdir:
        medians = _measure(db, Path(workdir), args.runs)
    for name, value in medians.items():
        ratio = value / medians["floor"]
        print(f"{name:6s} {value:.3f} s  ratio to the floor {ratio:.2f}")
    print(f"app ÷ stack {medians['app'] / medians['stack']:.2f} (the target: at most 1.25)")
    return 0


def _measure(db: Path, workdir: Path, runs: int) -> dict[str, float]:
    env = startup._env(workdir)
    commands = {
        "floor": startup.floor_command(),
        "stack": startup.stack_command(db),
        "app": startup.app_command(db),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        startup.time_to_idle(command, env)  # warm-up
    for _run in range(runs):
        for name, command in commands.items():
            times[name].append(startup.time_to_idle(command, env))
    return {name: statistics.median(values) for name, values in times.items()}


if __name__ == "__main__":
    sys.exit(main())
