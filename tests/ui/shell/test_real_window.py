"""The real-window check (issue 15): the app in a real X window under Xvfb, at 1366×768
(the most common reception PC) and 1024×600 (the smallest), every page, every
Configurações tab and every dialog of the screenshots opened over the demo clinic
(`ui/shell/fit_check.py`, run in a process of its own on the xcb platform: this process
is offscreen). Nothing may lie outside the screen's available area, no label's text may
be cut, nothing may overlap, no page may scroll sideways. The screenshots stay in
`tmp_path/<size>/` (R3IZZY_FIT_SHOTS=folder keeps them there instead) to be looked at.

Skipped only when the Xvfb binary is absent (Debian: apt-get install xvfb xauth).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

XVFB = shutil.which("Xvfb")
SIZES = [(1366, 768), (1024, 600)]

pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(XVFB is None, reason="Xvfb is not installed (apt-get install xvfb xauth)"),
]


class Xvfb:
    """An X server of its own on a free display (Xvfb picks it: -displayfd)."""

    def __init__(self, width: int, height: int):
        read, write = os.pipe()
        command = [XVFB, "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24"]
        self.process = subprocess.Popen(
            [*command, "-nolisten", "tcp", "-noreset"],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()  # written once the server accepts clients
        if not number:
            self.stop()
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def shots_folder(tmp_path) -> Path:
    kept = os.environ.get("R3IZZY_FIT_SHOTS")
    return Path(kept) if kept else tmp_path


@pytest.mark.timeout(300)
@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_screen_and_dialog_fits_a_real_window(width, height, shots_folder, tmp_path):
    out = shots_folder / f"{width}x{height}"
    server = Xvfb(width, height)
    try:
        env = dict(os.environ)
        env.update(
            DISPLAY=server.display,
            QT_QPA_PLATFORM="xcb",
            R3IZZY_DATA_DIR=str(tmp_path / "dados"),
        )
        env.pop("WAYLAND_DISPLAY", None)
        done = subprocess.run(
            [sys.executable, "-m", "r3izzy_desktop.ui.shell.fit_check", str(out)],
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )
    finally:
        server.stop()
    lines = done.stdout.splitlines()
    problems = [json.loads(line) for line in lines if line.startswith("{")]
    assert done.returncode in (0, 1), done.stderr[-3000:]
    assert lines and lines[-1].startswith("fit_check:"), done.stderr[-3000:]
    assert problems == [], "\n".join(json.dumps(p, ensure_ascii=False) for p in problems)
    assert done.returncode == 0
    shots = sorted(path.name for path in out.glob("*.png"))
    # Every page, every Configurações tab and the dialogs, each as the screen showed it.
    assert {"page-patients.png", "page-finance.png", "page-settings-tab1.png"} <= set(shots)
    assert {"package_report.png", "session_form.png", "session_detail_paid_by_hand.png"} <= set(
        shots
    )
    assert len(shots) >= 50
