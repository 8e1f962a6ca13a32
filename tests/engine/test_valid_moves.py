"""What the AI may choose is exactly what is open: it never picks a closed move."""

import numpy as np

from game.ai import doctrine_policy, valid_moves
from game.engine import initial_state, step, treaty_active
from game.engine.step import Context


def test_ai_only_chooses_open_moves(default_scenario):
    p = default_scenario.params
    state = initial_state(p, 4, np.arange(300))
    for _ in range(24):
        ok = valid_moves(p, state, treaty_active(p, state))
        moves = doctrine_policy(p, state, Context(p, state))
        assert ok[np.arange(state.batch)[:, None], moves].all()
        assert (p.cand_actor[moves] == np.arange(p.n_actors)[None, :]).all()
        state, _ = step(p, state, doctrine_policy)


def test_holding_is_always_open(default_scenario):
    p = default_scenario.params
    state = initial_state(p, 0, np.arange(5))
    ok = valid_moves(p, state, treaty_active(p, state))
    assert ok[:, p.actor_cand_start[:-1]].all()
