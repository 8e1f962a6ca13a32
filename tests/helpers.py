"""What several test modules need: the project folder and the ``pact`` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pact(*args, cwd: Path | str = ROOT, check: bool = False, timeout: float = 300):
    """Run ``python -m game ARGS`` (text output captured) as a user would from ``cwd``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "game", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=check,
        timeout=timeout,
        env=env,
    )
