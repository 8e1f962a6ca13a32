"""What conditions, policies and the month's rules read during a turn: the state, the
parameters, the date, and which treaties bind."""

from __future__ import annotations

import numpy as np

from .params import Params
from .state import State


class Context:
    """What conditions and policies may read during a turn (state, parameters, date)."""

    def __init__(self, params: Params, state: State):
        self.params = params
        self.state = state
        self.turn = state.turn
        self.month = params.turn_date(state.turn)[1]
        self._active = None
        # Whether a player's moves replace some the policy draws this month (its signals are
        # then drawn beside those: a policy may keep what it needs for them).
        self.moves_fixed = False

    def treaty_active(self) -> np.ndarray:
        if self._active is None:
            self._active = treaty_active(self.params, self.state)
        return self._active


def treaty_active(params: Params, state: State) -> np.ndarray:
    """(B, T) bool: which treaties bind this month in each run."""
    t = state.turn
    dated = (params.treaty_start <= t) & (t < params.treaty_end)
    return (dated[None, :] | state.forced) & ~state.revoked
