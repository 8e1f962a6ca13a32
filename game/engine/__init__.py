"""The pure simulation core: numpy and the standard library only, no files, no pygame.

A world state is a record of arrays with a leading batch axis; ``step`` advances every run of
the batch by one month. An interactive game is a batch of one.
"""

from .context import Context, treaty_active
from .effects import apply_effects
from .params import ATTR, ATTRIBUTES, CLAUSE_KINDS, EventSpec, OutcomeSpec, Params
from .state import State, initial_state
from .step import TurnRecord, crossings, step

__all__ = [
    "ATTR",
    "ATTRIBUTES",
    "CLAUSE_KINDS",
    "Context",
    "EventSpec",
    "OutcomeSpec",
    "Params",
    "State",
    "TurnRecord",
    "apply_effects",
    "crossings",
    "initial_state",
    "step",
    "treaty_active",
]
