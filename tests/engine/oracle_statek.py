"""The numpy definitions of the month's bookkeeping, kept as the oracles of its compiled loops
(game.engine.month_kernels): the end of a month in ``step`` (``month_end``: coordination,
peaks, threshold crossings and the regions where they happened) and the batch's per-month
tally (``tally``, the numpy body of ``run_chunk``'s ``on_turn``); nuclear alert weighed for
every pair of every run (``alert``; game.engine.nuclear.alert weighs the wars only); and the
month's events taken one by one (``events``; step._events settles those without a condition
in one compiled loop). The tests run both on the same recorded months."""

from __future__ import annotations

import numpy as np

from game.engine import draws, rng
from game.engine.effects import apply_effects
from game.engine.step import crossings
from game.engine.theatres import regions


def month_end(params, state) -> tuple[np.ndarray, np.ndarray]:
    """``step._month_end``: returns ((B, H) crossed, (B,) ended), the state changed in place."""
    np.subtract(state.coord, 1, out=state.coord)
    np.maximum(state.coord, 0, out=state.coord)
    state.coord[:, np.arange(params.n_actors), np.arange(params.n_actors)] = 0
    np.maximum(state.peak, state.rung, out=state.peak)
    # First crossing of each named threshold by a pair that started below it.
    crossed = crossings(params, state.rung)
    for h in range(crossed.shape[1]):
        newly = (state.first_cross[:, h] < 0) & crossed[:, h]
        state.first_cross[:, h] = np.where(newly, state.turn, state.first_cross[:, h])
    state.reached |= regions(params, state.rung, state.front)
    gnw = list(params.thresholds).index("general_nuclear_war")
    ended = ~state.done & crossed[:, gnw]
    return crossed, ended


def tally(params, rec, state, at_or_above, clause_turn, actions, hostile) -> None:
    """One month of ``run_chunk``'s tally, in place."""
    t = rec.turn
    n_a = params.n_actors
    n_k = len(params.action_ids)
    inst_clause = params.inst_clause
    hostile_action = np.concatenate([[False], params.action_hostility > 0])
    rows_aa = (np.arange(state.batch)[:, None] * n_a + np.arange(n_a)[None, :]) * n_a
    live = ~state.done | rec.ended
    at_or_above[t] += rec.crossed[live].sum(axis=0)
    if inst_clause.size:
        used = rec.consult | rec.assist
        used |= rec.other
        per_inst = used.reshape(used.shape[0], -1).sum(axis=0, dtype=np.int64)
        per_inst = per_inst.reshape(inst_clause.size, -1).sum(axis=1)
        np.add.at(clause_turn[t], inst_clause, per_inst)
    # Moves chosen, counted per actor in one bincount: column 0 is holding.
    k = params.cand_action[rec.moves[live]] + 1  # (live runs, A)
    cell = k + (n_k + 1) * np.arange(n_a)[None, :]
    counts = np.bincount(cell.ravel(), minlength=actions.size)
    np.add(actions, counts.reshape(actions.shape), out=actions)
    # Hostile moves per run and directed pair (mover, target).
    hk = hostile_action[params.cand_action[rec.moves] + 1] & live[:, None]
    cell = (rows_aa + params.cand_target[rec.moves])[hk]  # flat (run, mover, target)
    hostile.reshape(-1)[cell] += 1  # each (run, mover) cell at most once a month


def alert(params, state, stream_turn: int) -> np.ndarray:
    """``game.engine.nuclear.alert`` weighing every pair of every run: (B, P) bool."""
    nr = params.nuclear
    b = state.batch
    drawn = ("alert_base", 0) in params.draw_at
    if nr is None or nr.pairs.shape[0] == 0 or (nr.alert_base <= 0 and not drawn):
        return np.zeros((b, 0 if nr is None else nr.pairs.shape[0]), dtype=bool)
    i, j = nr.pairs[:, 0], nr.pairs[:, 1]
    war = params.thresholds["war"]
    r = state.rung[:, i, j]
    at_war = (r >= war) & (r < nr.alert_rung) & ~state.done[:, None]
    out = np.zeros(at_war.shape, dtype=bool)
    if not at_war.any():
        return out
    ten = state.tension[:, i, j] / 100.0
    g = state.front[:, i, j]
    home = (g >= 0) & (
        params.territory[np.maximum(g, 0), i[None, :]]
        | params.territory[np.maximum(g, 0), j[None, :]]
    )
    base = draws.at(params, state, "alert_base", 0, nr.alert_base)
    terr = draws.at(params, state, "alert_territory", 0, nr.alert_territory)
    base, terr = (np.reshape(x, (-1, 1)) if np.ndim(x) else x for x in (base, terr))
    rate = base * ten * ten * (1.0 + terr * home)
    p = 1.0 - np.exp(-rate)
    u = rng.uniforms(state.keys, stream_turn, rng.STREAM_NUCLEAR, i.size)
    out = at_war & (u < p)
    rr, pp = np.nonzero(out)
    if rr.size:
        lvl = np.int16(nr.alert_rung)
        state.rung[rr, i[pp], j[pp]] = np.maximum(state.rung[rr, i[pp], j[pp]], lvl)
        state.rung[rr, j[pp], i[pp]] = state.rung[rr, i[pp], j[pp]]
    return out


def events(params, state, ctx) -> np.ndarray:
    """``step._events``, every event in turn: (B, E) bool fired, the effects applied."""
    b = state.batch
    fired = np.zeros((b, len(params.events)), dtype=bool)
    if not params.events:
        return fired
    u = rng.uniforms(state.keys, state.turn, rng.STREAM_EVENT, len(params.events))
    t = state.turn
    for e, ev in enumerate(params.events):
        if ev.turn is not None and (t < ev.turn if ev.when is not None else t != ev.turn):
            continue
        if ev.until is not None and t > ev.until:
            continue
        ok = ~state.done
        if not ev.repeat:
            ok &= state.event_count[:, e] == 0
        if ev.when is not None:
            ok &= ev.when.truth(ctx)
        p = draws.at(params, state, "event_probability", e, ev.probability)
        if np.ndim(p) or p < 1.0:
            ok &= u[:, e] < p
        if ok.any():
            apply_effects(params, state, ev.effects, ok)
            state.event_count[:, e] += ok
            fired[:, e] = ok
    return fired
