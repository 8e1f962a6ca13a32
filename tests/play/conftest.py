"""Shared set-up for the play-layer tests: the default scenario, loaded once."""

import pytest

from game.play.savefile import repo_root
from game.scenario import load_scenario

SCENARIO = repo_root() / "scenarios" / "treaty-2024.toml"


@pytest.fixture(scope="session")
def scenario():
    return load_scenario(SCENARIO)
