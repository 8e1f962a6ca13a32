"""Random world states reachable by play, for tests that check a rule on many situations."""

from __future__ import annotations

import numpy as np

from game.ai import doctrine_policy
from game.engine import ATTR, State, initial_state, step


def random_states(params, n: int, seed: int) -> list[tuple[State, np.ndarray]]:
    """``n`` states: run i of a batch played for a random number of months; every other one
    then perturbed within valid ranges (rungs of random pairs, arsenals emptied, treaties
    revoked or forced by an event), so rarer rules come up too.

    Returns (batch state of one month, rows of it that are among the n) pairs: every row of a
    pair's state shares the month, as a batch does.
    """
    gen = np.random.default_rng(seed)
    months = gen.integers(0, params.turns, n)
    state = initial_state(params, seed, np.arange(n))
    top = len(params.rung_ids) - 1
    n_a = params.n_actors
    out = []
    for m in range(int(months.max()) + 1):
        rows = np.nonzero(months == m)[0]
        if rows.size:
            snap = state.copy()
            for i in rows[1::2]:
                for _ in range(gen.integers(1, 4)):
                    a, t = gen.choice(n_a, 2, replace=False)
                    snap.rung[i, a, t] = snap.rung[i, t, a] = gen.integers(0, top + 1)
                if gen.random() < 0.3:
                    snap.attr[i, gen.integers(n_a), ATTR["warheads"]] = 0.0
                n_t = snap.revoked.shape[1]
                if n_t and gen.random() < 0.5:
                    tr = gen.integers(n_t)
                    flip = gen.random() < 0.5
                    snap.revoked[i, tr], snap.forced[i, tr] = flip, not flip
            out.append((snap, rows))
        if m < months.max():
            state, _ = step(params, state, doctrine_policy)
    return out
