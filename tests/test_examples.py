"""The examples run as their headers say, against the sandbox."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_recent_recordings_example_runs_on_the_sandbox() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_")}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples/recent_recordings.py")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Q3 budget planning  (4 files)" in proc.stdout
    assert "files of 'Q3 budget planning': MP4, M4A, TRANSCRIPT, CHAT" in proc.stdout
