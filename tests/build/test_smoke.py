"""`--smoke` (what CI runs on the packaged executable) passes on a good install and fails,
with a message, on a broken one. Run here unfrozen, in child processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def smoke(tmp_path: Path, code: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "R3IZZY_DATA_DIR": str(tmp_path / "nunca-usada")}
    env.pop("QT_QPA_PLATFORM", None)  # the smoke test must go offscreen by itself
    argv = ["-c", code] if code else ["-m", "r3izzy_desktop", "--smoke"]
    return subprocess.run(
        [sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def test_smoke_passes_and_opens_every_page(tmp_path):
    from r3izzy_desktop.ui.shell.main_window import default_pages

    result = smoke(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "smoke OK" in result.stdout
    for spec in default_pages():
        assert f"page {spec.title}" in result.stdout
    assert "integrity check: OK" in result.stdout
    assert "backup written and validated" in result.stdout
    assert "password hashing (argon2id)" in result.stdout
    assert "Relatório de Pacotes printed to PDF" in result.stdout
    # Nothing was written into the data folder it was given: it used a temporary one.
    assert not (tmp_path / "nunca-usada").exists()


def test_smoke_fails_when_the_bundle_lost_its_resources(tmp_path):
    empty = tmp_path / "sem-recursos"
    empty.mkdir()
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from r3izzy_desktop import cli, resources\n"
        f"resources.resources_dir = lambda: Path({str(empty)!r})\n"
        "sys.exit(cli.main(['--smoke']))\n"
    )
    result = smoke(tmp_path, code)
    assert result.returncode == 1
    assert "SMOKE FAILED" in result.stderr and "resource missing" in result.stderr


def test_smoke_fails_when_the_bundle_lost_argon2(tmp_path):
    """The start-up no longer imports argon2 (only a login does): the smoke test must."""
    code = (
        "import sys\n"
        "sys.modules['argon2'] = None  # as a bundle without it\n"
        "from r3izzy_desktop import cli\n"
        "sys.exit(cli.main(['--smoke']))\n"
    )
    result = smoke(tmp_path, code)
    assert result.returncode != 0
    assert "SMOKE FAILED" in result.stderr and "argon2" in result.stderr
