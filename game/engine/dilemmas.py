"""Events with options: a dilemma is posed to one state when its date and condition allow, and
that state chooses one of its options. The AI picks in proportion to the options' weights; a
player's state is asked instead, and its answer comes with the month (``step``'s ``choices``).
A chosen option applies as an event does (its event counts as fired), which also closes the
dilemma: it is posed once."""

from __future__ import annotations

import numpy as np

from . import draws, rng
from .params import Params
from .state import State


def posed(params: Params, state: State, ctx) -> np.ndarray:
    """(B, D) bool: dilemma d stands before its state in this month of each run."""
    b, n = state.batch, len(params.dilemmas)
    out = np.zeros((b, n), dtype=bool)
    if not n:
        return out
    t = state.turn
    for d, dl in enumerate(params.dilemmas):
        if dl.turn is not None and t < dl.turn:
            continue
        if dl.until is not None and t > dl.until:
            continue
        ok = ~state.done  # and none of its options' events has fired: it is posed once
        for e in dl.events:
            ok &= state.event_count[:, e] == 0
        if dl.when is not None and ok.any():  # a condition is read where it may stand
            ok &= dl.when.truth(ctx)
        p = draws.at(params, state, "dilemma_probability", d, dl.probability)
        if np.ndim(p) or p < 1.0:
            # The dilemma's draws, taken in the runs where it could stand (the others' unread).
            r = np.nonzero(ok)[0]
            u = rng.uniforms_each(state.keys[r], t, rng.STREAM_DILEMMA, np.full(r.size, d))
            ok[r] = u < (p[r] if np.ndim(p) else p)
        out[:, d] = ok
    return out


def resolve(
    params: Params,
    state: State,
    ctx,
    asked: np.ndarray | None,
    choices: np.ndarray | None,
    apply_effects,
) -> tuple[np.ndarray, np.ndarray]:
    """Decide the dilemmas posed this month and apply the chosen options (in place). A state
    in ``asked`` (A,) takes the option in ``choices`` (B, D) (-1: no answer yet, the dilemma
    stands); the AI chooses for every other. An option applies through ``apply_effects``
    (``step.apply_effects``, as an event's effects do). Returns ((B, E) option events that
    fired, (B, D) dilemmas left waiting for a player's answer)."""

    b, n = state.batch, len(params.dilemmas)
    fired = np.zeros((b, len(params.events)), dtype=bool)
    waiting = np.zeros((b, n), dtype=bool)
    if not n:
        return fired, waiting
    now = posed(params, state, ctx)
    for d, dl in enumerate(params.dilemmas):
        rows = now[:, d]
        if not rows.any():
            continue
        w = np.asarray(dl.weights, dtype=np.float64)
        cum = np.cumsum(w) / max(w.sum(), 1e-12)
        # The option drawn (draw n + d of the month's dilemma stream), read where it is posed.
        r = np.nonzero(rows)[0]
        u = np.zeros(b)
        u[r] = rng.uniforms_each(
            state.keys[r], state.turn, rng.STREAM_DILEMMA, np.full(r.size, n + d)
        )
        pick = np.minimum(np.searchsorted(cum, u, side="right"), len(w) - 1)
        if asked is not None and asked[dl.actor]:
            given = np.full(b, -1) if choices is None else np.asarray(choices[:, d])
            waiting[:, d] = rows & (given < 0)
            rows = rows & (given >= 0) & (given < len(w))
            pick = np.where(given >= 0, given, pick)
        for k, e in enumerate(dl.events):
            ok = rows & (pick == k)
            if ok.any():
                apply_effects(params, state, params.events[e].effects, ok)
                state.event_count[:, e] += ok
                fired[:, e] = ok
    return fired, waiting
