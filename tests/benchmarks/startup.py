"""Whole-process start-up: the app against a bare PySide6 window and against the least
program on the app's stack (stack_window.py), each as a fresh process, side by side.

Both processes run offscreen and, once their window has been painted and their event
loop goes idle, print the idle mark (`r3izzy: idle`) and quit. A run's time is from just
before the process is spawned to the moment that line arrives on its standard output,
so it covers the interpreter, the imports, the database, the first page with its data
and the first paint, and nothing of the quitting.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

IDLE_MARK = "r3izzy: idle"
FLOOR_SCRIPT = Path(__file__).with_name("floor_window.py")
STACK_SCRIPT = Path(__file__).with_name("stack_window.py")
TIMEOUT_S = 120


def _env(workdir: Path) -> dict[str, str]:
    """Offscreen; settings, data folder (log, backups) in a scratch folder, never the
    user's. The same folder for every run: only the first start of the day backs up."""
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(workdir / "config"),
        R3IZZY_DATA_DIR=str(workdir / "data"),
        R3IZZY_EXIT_WHEN_IDLE="1",
    )
    env.pop("R3IZZY_DB", None)
    return env


def time_to_idle(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning `command` to its idle mark; waits for the process to end.
    A process that shows no idle mark within TIMEOUT_S (a modal dialog waiting for a
    click: "already open" when another copy holds the database) is killed, and the run
    fails saying so, rather than waiting for ever."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    watchdog = threading.Timer(TIMEOUT_S, process.kill)
    watchdog.start()
    elapsed = None
    try:
        for line in process.stdout:
            if line.strip() == IDLE_MARK:
                elapsed = time.perf_counter() - started
                break
    finally:
        watchdog.cancel()
    process.stdout.close()
    code = process.wait(TIMEOUT_S)
    if elapsed is None:
        raise RuntimeError(
            f"{command} ended ({code}) without reaching idle within {TIMEOUT_S} s "
            "(a dialog waiting? another copy of the app on the same database?)"
        )
    if code != 0:
        raise RuntimeError(f"{command} exited with {code}")
    return elapsed


def app_command(db: Path) -> list[str]:
    return [sys.executable, "-m", "r3izzy_desktop", "--db", str(db)]


def floor_command() -> list[str]:
    return [sys.executable, str(FLOOR_SCRIPT)]


def stack_command(db: Path | str) -> list[str]:
    return [sys.executable, str(STACK_SCRIPT), str(db)]


def measure(db: Path | str, workdir: Path, runs: int, log=print) -> dict[str, float]:
    """Median start-up of the app, of the bare window (the floor) and of the least
    program on the stack, interleaved run by run (so a busy moment of the machine hits
    all three), after one warm-up of each. `ratio`: app ÷ floor; `ratio_to_stack`: app ÷
    the least program (the target: at most 1.25)."""
    env = _env(workdir)
    commands = {
        "app": app_command(db),
        "floor": floor_command(),
        "stack": stack_command(db),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        time_to_idle(command, env)  # warm-up: OS file cache, the day's backup
    for run in range(runs):
        for name, command in commands.items():
            times[name].append(time_to_idle(command, env))
        log(
            f"  start-up run {run + 1}: "
            + ", ".join(f"{name} {values[-1]:.3f} s" for name, values in times.items())
        )
    app, floor, stack = (statistics.median(times[name]) for name in ("app", "floor", "stack"))
    return {
        "app": round(app, 3),
        "floor": round(floor, 3),
        "stack": round(stack, 3),
        "ratio": round(app / floor, 2),
        "ratio_to_stack": round(app / stack, 2),
    }
