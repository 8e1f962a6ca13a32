"""Scenario files: TOML -> validated model -> compiled engine parameters."""

from .errors import Problem, ScenarioError
from .load import LoadedScenario, load_scenario
from .model import Scenario

__all__ = ["LoadedScenario", "Problem", "Scenario", "ScenarioError", "load_scenario"]
