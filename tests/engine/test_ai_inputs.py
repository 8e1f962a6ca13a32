"""The AI's inputs a batch keeps from month to month (game.ai.policy): they equal the inputs
worked out afresh."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from game.ai import policy
from game.engine import initial_state
from game.engine.params import ATTR
from game.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def test_the_nuclear_reach_a_batch_keeps_equals_the_reach_worked_out_afresh():
    """A batch keeps the month's nuclear reaches with its state and works them out again only
    where an arsenal changed: after changes to some runs' arsenals (to other values, to zero,
    to NaN and back), the reaches kept equal those a copy of the state works out afresh."""
    p = load_scenario(ROOT / "scenarios" / "treaty-2024.toml").params
    state = initial_state(p, 4, np.arange(32))
    w, d = ATTR["warheads"], ATTR["delivery"]
    gen = np.random.default_rng(2)
    changes = [(w, 120.0), (d, 0.0), (w, np.nan), (w, 4380.0), (d, 0.45), (d, np.nan), (d, 1.0)]
    reused = 0
    for col, value in [(None, None), *changes]:
        if col is not None:
            rows = gen.choice(32, 5, replace=False)
            state.attr[rows, gen.integers(0, p.n_actors, 5), col] = value
        kept = state.__dict__.get("_ai_nuclear")
        got = policy._nuclear(p, state, state.attr)
        reused += kept is not None and state.__dict__["_ai_nuclear"] is kept
        want = policy._nuclear(p, state.copy(), state.attr)
        for x, y in zip(got, want):
            assert x.dtype == y.dtype and x.tobytes() == y.tobytes()
    assert reused == len(changes)  # every month after the first worked on what it kept
