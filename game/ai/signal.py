"""The signal move beside the main move (game.engine.tempo): a second draw per actor and month.

It reuses the month's scores of the doctrine policy: the softmax weights of the mover's open
signal moves and of holding (here: no signal), with the main move left out (a state does not
make the same move twice in a month) and toward states it is at war with (at war, states fight
rather than signal). One counter-based uniform per actor and month on its own
stream (``rng.STREAM_SIGNAL``) picks among them, so the main move's draw is untouched and every
run replays alone, bit for bit, whatever its batch.
"""

from __future__ import annotations

import numpy as np

from game.engine import rng
from game.engine.params import Params
from game.engine.state import State

_F32 = np.float32


def softmax_weights(params: Params, scores: np.ndarray) -> np.ndarray:
    """(B, C) float32 exp(score - the actor's best score) of every candidate, in place."""
    starts = params.actor_cand_start
    best = np.maximum.reduceat(scores, starts[:-1], axis=1)
    scores -= np.repeat(best, np.diff(starts), axis=1)
    return np.exp(scores, out=scores)


def draw_signals(params: Params, state: State, moves: np.ndarray, weights: np.ndarray):
    """(B, A) each actor's signal move: a candidate index, its hold candidate for none.

    ``weights`` (B, C) are the month's softmax weights of every candidate (any per-actor
    scale), ``moves`` (B, A) the main moves chosen from them.
    """
    idx, start = params.signal_cand, params.signal_start
    lo = start[:-1]
    counts = np.diff(start)
    w = weights[:, idx]  # (B, S): each actor's hold, then its signal candidates
    again = idx[None, :] == np.repeat(moves, counts, axis=1)
    again[:, lo] = False  # holding stays: no signal beside a main move of holding
    w[again] = 0
    if params.signal_gain:
        sig = np.ones(idx.size, dtype=bool)
        sig[lo] = False
        w[:, sig] *= _F32(np.exp(params.signal_gain))
    a, t = params.cand_actor[idx], params.cand_target[idx]
    w[state.rung[:, a, t] >= params.thresholds["war"]] = 0  # holding: a == t, rung 0
    u = rng.uniforms(state.keys, state.turn, rng.STREAM_SIGNAL, params.n_actors)
    return idx[pick_in_blocks(w, start, u)]


def pick_in_blocks(w: np.ndarray, starts: np.ndarray, u: np.ndarray) -> np.ndarray:
    """(B, A) the column drawn in each actor's block ``starts[a]:starts[a + 1]`` of the weights
    ``w`` (B, C), by its uniform ``u`` (B, A): the columns whose running sum stays at or below
    the draw times the block's total are counted, in one pass over every block."""
    lo = starts[:-1]
    counts = np.diff(starts)
    cum = np.cumsum(w, axis=1, dtype=_F32)  # at most a few dozen terms of at most 1
    end = cum[:, starts[1:] - 1]  # running sum at the end of each block
    before = np.concatenate([np.zeros((w.shape[0], 1), dtype=_F32), end[:, :-1]], axis=1)
    thr = before + u.astype(_F32) * (end - before)
    below = cum <= np.repeat(thr, counts, axis=1)
    pick = np.minimum(np.add.reduceat(below, lo, axis=1), counts[None, :] - 1)
    return lo[None, :] + pick
