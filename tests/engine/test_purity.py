"""The core imports no pygame and reads no files."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "module", ["game.engine", "game.ai", "game.scenario", "game.montecarlo.runner", "game.sim"]
)
def test_core_does_not_load_pygame(module):
    code = f"import sys, {module}; print('pygame' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_engine_source_has_no_io_or_ui_imports():
    for path in (ROOT / "game" / "engine").glob("*.py"):
        text = path.read_text()
        for bad in ("import pygame", "open(", "tomllib", "pathlib", "eval(", "exec("):
            assert bad not in text, f"{path.name}: {bad}"
