"""The tempo of a scenario, measured over a batch: launches per year, ceasefires, Kursk retaken.

A launch is any move (main or signal, game.engine.tempo) of the given actions by the given
state; a run's count is divided by the years it lasted.
"""

from __future__ import annotations

import numpy as np

from game.engine import initial_state
from game.sim import months

CHUNK = 2000


def _moves_of(rec) -> list[np.ndarray]:
    """The month's moves: the main move and, where the engine drew one, the signal move."""
    return [rec.moves] if rec.signals is None else [rec.moves, rec.signals]


def tally(params, seed: int, runs: int, actor: str, launches, ceasefire: str | None) -> dict:
    """Per run of batch ``seed`` (runs 0 .. runs-1): ``per_year`` launches by ``actor`` (moves
    of the ``launches`` actions), and ``ceasefire`` (R, P) bool: for each pair at war when the
    scenario opens (``pairs``), whether either side made the ``ceasefire`` move toward the
    other (all False if the scenario has no such action), and ``agreed`` (R, P) bool: whether
    such a move took effect (an offer the other side accepted, game.engine.tempo)."""
    ax = params.actor_ids.index(actor)
    kinds = np.array([params.action_ids.index(k) for k in launches if k in params.action_ids])
    war = params.thresholds["war"]
    iu, ju = np.nonzero(np.triu(params.rung0 >= war, 1))
    cf = params.action_ids.index(ceasefire) if ceasefire in params.action_ids else -1
    per_year, cease, agreed = [], [], []
    for lo in range(0, runs, CHUNK):
        rows = np.arange(lo, min(lo + CHUNK, runs))
        count = np.zeros(rows.size)
        made = np.zeros((rows.size, iu.size), dtype=bool)
        took = np.zeros((rows.size, iu.size), dtype=bool)
        state = initial_state(params, seed, rows)
        final = state
        for rec, final in months(params, state, recycle=True):
            live = ~final.done | rec.ended
            for mv in _moves_of(rec):
                k = params.cand_action[mv]
                t = params.cand_target[mv]
                count += live & np.isin(k[:, ax], kinds)
                if cf < 0:
                    continue
                yes = np.ones(k.shape, dtype=bool) if rec.accepted is None else rec.accepted
                for n, (i, j) in enumerate(zip(iu, ju)):
                    by_i = (k[:, i] == cf) & (t[:, i] == j)
                    by_j = (k[:, j] == cf) & (t[:, j] == i)
                    made[:, n] |= live & (by_i | by_j)
                    if mv is rec.moves:
                        took[:, n] |= live & ((by_i & yes[:, i]) | (by_j & yes[:, j]))
        per_year.append(count / (final.end_turn / 12.0))
        cease.append(made)
        agreed.append(took)
    return {
        "per_year": np.concatenate(per_year),
        "pairs": [f"{params.actor_ids[i]}-{params.actor_ids[j]}" for i, j in zip(iu, ju)],
        "ceasefire": np.concatenate(cease),
        "agreed": np.concatenate(agreed),
    }
