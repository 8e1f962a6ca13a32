"""What several test modules need: the project folder, the ``pact`` command in a subprocess,
and the scenarios benchmarks/scale.py generates."""

from __future__ import annotations

import importlib.util
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


def generated_scenario(folder: Path, n_actors: int, shape: str = "dense") -> Path:
    """The default scenario grown to ``n_actors`` states by benchmarks/scale.py's generator, in
    ``shape`` ("dense" or "twin"), written into ``folder``."""
    spec = importlib.util.spec_from_file_location("scale", ROOT / "benchmarks" / "scale.py")
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    path = folder / f"scale-{shape}-{n_actors}.toml"
    path.write_text(scale.generate(n_actors, shape=shape), encoding="utf-8")
    return path
