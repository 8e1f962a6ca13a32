import os
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "scenarios" / "treaty-2024.toml"


@pytest.fixture(scope="session")
def default_scenario():
    from game.scenario import load_scenario

    return load_scenario(DEFAULT)
