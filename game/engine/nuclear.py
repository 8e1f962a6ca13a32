"""The top of the ladder: nuclear alert in wars between nuclear powers, and the world's answer
to nuclear use.

* A direct war between two nuclear-armed states (both with warheads) that stands below nuclear
  alert climbs to it each month with a probability that grows with the war's intensity (the
  pair's tension, squared) and its stakes (fighting on either state's own territory multiplies
  it): ``1 - exp(-base x (tension / 100)^2 x (1 + territory x on_home_ground))``.
* A state's first nuclear use sets off a reaction of every other state: tension with the user
  rises; the other nuclear powers that are not its partners go on alert against it; states
  that are not its partners sanction it; its partners break with it (their baseline tension
  with the user rises, so the partnership decays).

The scenario's ``[nuclear]`` table gives the numbers; zeros switch each part off.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import draws, rng
from .names import ATTR
from .state import by_run


@dataclass(frozen=True)
class NuclearRules:
    """Compiled ``[nuclear]`` table (rungs as indices, -1 = none)."""

    alert_base: float
    alert_territory: float
    alert_rung: int  # the rung a war between nuclear powers climbs to
    pairs: np.ndarray  # (P, 2) pairs of nuclear-armed states, i < j
    world_tension: float
    reaction_alert: int  # rung other nuclear powers go to against the user, -1 none
    reaction_sanctions: int  # rung of the sanctions of the user's non-partners, -1 none
    sanction_economy: float  # economy index points the user loses to the world's sanctions
    partner_break: float  # baseline tension added between the user and each of its partners


def alert(params, state, stream_turn: int) -> np.ndarray:
    """Wars between nuclear powers climb to nuclear alert by chance; returns (B, P) bool."""
    nr = params.nuclear
    b = state.batch
    drawn = ("alert_base", 0) in params.draw_at
    if nr is None or nr.pairs.shape[0] == 0 or (nr.alert_base <= 0 and not drawn):
        return np.zeros((b, 0 if nr is None else nr.pairs.shape[0]), dtype=bool)
    from . import month_kernels  # numba loads only in a process that plays a month

    i, j = nr.pairs[:, 0], nr.pairs[:, 1]
    out = np.zeros((b, i.size), dtype=bool)
    # Only the pairs at war below alert are weighed (the numbers of the others are unread);
    # they are found in one compiled pass over the listed pairs of each run.
    cells = params.kept("nuclear_cells", nuclear_cells)
    war = params.thresholds["war"]
    rr, pp = month_kernels.pairs_between(by_run(state.rung), state.done, cells, war, nr.alert_rung)
    if not rr.size:
        return out
    a, c = i[pp], j[pp]
    ten = state.tension[rr, a, c] / 100.0
    g = state.front[rr, a, c]
    home = (g >= 0) & (
        params.territory[np.maximum(g, 0), a] | params.territory[np.maximum(g, 0), c]
    )
    base = draws.at(params, state, "alert_base", 0, nr.alert_base)
    terr = draws.at(params, state, "alert_territory", 0, nr.alert_territory)
    base, terr = (x[rr] if np.ndim(x) else x for x in (base, terr))
    rate = base * ten * ten * (1.0 + terr * home)
    p = 1.0 - np.exp(-rate)
    u = rng.uniforms_each(state.keys[rr], stream_turn, rng.STREAM_NUCLEAR, pp)
    hit = u < p
    rr, pp = rr[hit], pp[hit]
    out[rr, pp] = True
    if rr.size:
        lvl = np.int16(nr.alert_rung)
        state.rung[rr, i[pp], j[pp]] = np.maximum(state.rung[rr, i[pp], j[pp]], lvl)
        state.rung[rr, j[pp], i[pp]] = state.rung[rr, i[pp], j[pp]]
    return out


def users(params, state, moves: np.ndarray, nuclear_before: np.ndarray) -> np.ndarray:
    """(B, A) bool: states that used nuclear weapons for the first time in a pair this month
    (their move's rung reached nuclear use and the pair stands there now)."""
    nuc = params.thresholds["nuclear_use"]
    used = params.kept("nuclear_moves", nuclear_moves)[moves]
    if not used.any():  # no move of nuclear use this month
        return used
    # Only the movers of such moves are read (a few, in a few runs of the batch).
    b, a = np.nonzero(used)
    t = params.cand_target[moves[b, a]]
    now = state.rung[b, a, t] >= nuc
    used[b, a] = now & ~nuclear_before[b, a, t] & ~state.done[b]
    return used


def nuclear_cells(params) -> np.ndarray:
    """(P,) uint64: the place of each pair of nuclear-armed states in a run's flat (A, A) block
    of rungs (``alert``)."""
    i, j = params.nuclear.pairs[:, 0], params.nuclear.pairs[:, 1]
    return (i * params.n_actors + j).astype(np.uint64)


def nuclear_moves(params) -> np.ndarray:
    """(C,) bool: the candidate moves whose action's rung reaches nuclear use (``users``)."""
    k = params.cand_action
    return (k >= 0) & (params.action_rung[np.maximum(k, 0)] >= params.thresholds["nuclear_use"])


def react(params, state, used: np.ndarray) -> None:
    """The world's answer to the users' nuclear use, in the runs where it happened."""
    nr = params.nuclear
    if nr is None or not used.any():
        return
    n_a = params.n_actors
    rr, uu = np.nonzero(used)
    others = np.ones((rr.size, n_a), dtype=bool)
    others[np.arange(rr.size), uu] = False
    partner = (params.partners[uu] | params.partners[:, uu].T) & others
    nuclear = params.attr0[:, ATTR["warheads"]] > 0
    if nr.world_tension:
        k, x = np.nonzero(others)
        _add(state.tension, rr[k], uu[k], x, nr.world_tension)
    if nr.reaction_alert >= 0:
        k, x = np.nonzero(others & ~partner & nuclear[None, :])
        _floor(state.rung, rr[k], uu[k], x, nr.reaction_alert)
    if nr.reaction_sanctions >= 0:
        k, x = np.nonzero(others & ~partner)
        _floor(state.rung, rr[k], uu[k], x, nr.reaction_sanctions)
        econ = ATTR["economy"]
        np.add.at(state.attr, (rr, uu, econ), -nr.sanction_economy)
    if nr.partner_break:
        k, x = np.nonzero(partner)
        _add(state.baseline, rr[k], uu[k], x, nr.partner_break)
        _add(state.tension, rr[k], uu[k], x, nr.partner_break)
    # The attributes of the runs it changed are clipped: clipping every run's would make a
    # run's attributes depend on whether another run of its batch saw nuclear use.
    runs = np.unique(rr)
    state.attr[runs] = np.clip(state.attr[runs], 0.0, None)


def _add(m, rows, i, j, delta) -> None:
    new = np.clip(m[rows, i, j] + delta, 0.0, 100.0)
    m[rows, i, j] = new
    m[rows, j, i] = new


def _floor(rung, rows, i, j, level) -> None:
    new = np.maximum(rung[rows, i, j], np.int16(level))
    rung[rows, i, j] = new
    rung[rows, j, i] = new
