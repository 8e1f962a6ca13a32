"""What scenario conditions can recall of a run: moves made, when events fired, flags.

``moves(X, action, Y)`` counts the times X made a move toward Y (``any`` for every target);
only the (mover, action, target) triples some condition names are counted
(``Params.move_watch``). ``since(event)`` is the months since an event last fired. Flags are
numbers that event effects set or add to (``kind = "flag"``) and conditions read with
``flag(name)``.
"""

from __future__ import annotations

import numpy as np

NEVER_FIRED = 10_000  # what since() says of an event that has not fired: more than any run


def record_moves(params, state, moves: np.ndarray) -> None:
    """Count this month's moves of the watched (mover, action, target) triples."""
    watch = params.move_watch
    if not len(watch):
        return
    live = ~state.done
    k_all = params.cand_action[moves]  # (B, A)
    t_all = params.cand_target[moves]
    for m, (a, k, t) in enumerate(watch):
        hit = live & (k_all[:, a] == k)
        if t >= 0:
            hit &= t_all[:, a] == t
        state.move_count[:, m] += hit


def record_events(state, fired: np.ndarray) -> None:
    """Remember the month each event last fired."""
    if fired.size:
        np.copyto(state.event_last, state.turn, where=fired)


def months_since(state, e: int) -> np.ndarray:
    last = state.event_last[:, e]
    return np.where(last >= 0, state.turn - last, NEVER_FIRED).astype(np.float64)


def apply_flag(state, rows: np.ndarray | slice, eff: dict) -> None:
    """A flag effect: set the flag, then add to it."""
    f = eff["flag"]
    if "set" in eff:
        state.flags[rows, f] = eff["set"]
    if "add" in eff:
        state.flags[rows, f] += eff["add"]
