"""The numpy definition of the month's treaty clauses, kept as the oracle of the compiled
clause step (game.engine.clause_kernels, used by game.engine.step._clauses): the tests run both
on the same recorded states and require the same bits."""

from __future__ import annotations

import numpy as np

from game.engine import commitments as cm
from game.engine import rng
from game.engine.params import ATTR, Params
from game.engine.state import State
from game.engine.step import _Decisions, _intervene, _pair_add, _red_lines


def _clauses(
    params: Params,
    state: State,
    active: np.ndarray,
    attacked_before: np.ndarray,
    crossed_lines: np.ndarray,
    decisions: _Decisions,
):
    """Consultation, then assistance, for every clause instance and counterpart at once.

    All instances read the state as it stands after the month's moves and incidents; what
    one ally's intervention triggers under other treaties is seen the next month.
    """
    b = state.batch
    t = state.turn
    consult = np.zeros(state.consult_level.shape, dtype=bool)
    assist = np.zeros_like(consult)
    declined = np.zeros_like(consult)
    live = ~state.done[:, None, None]
    outsiders = ~params.treaty_parties  # (T, A)
    # Consultation clauses first: the log must show consultation before assistance.
    ic = params.inst_of_kind["consultation"]
    if params.inst_count(ic):
        tr, p, q = params.inst_treaty[ic], params.inst_party[ic], params.inst_by[ic]
        trig = params.inst_trigger[ic][None, :, None]
        on = live & active[:, tr][:, :, None] & outsiders[tr][None]
        rp = state.rung[:, p, :]  # (B, Ic, A)
        level = state.consult_level[:, ic, :]
        # Consult when a threat appears and again whenever it climbs past the last level
        # consulted on; the clause re-arms once the pair falls clearly below the trigger.
        # A new armed attack on the party is a fresh threat even on a rung already consulted on.
        fresh_attack = state.aggressor[:, p, :] & ~attacked_before[:, p, :]
        only = params.inst_on_map_only[ic]
        if only.any():
            # Threats from off-map actors (a fight with the party's forces abroad) do not count.
            on = on & (~only[None, :, None] | params.on_map[None, None, :])
        new = on & (rp >= trig) & ((rp > level) | fresh_attack)
        calm = ~on | (rp < trig - 1)
        state.consult_level[:, ic, :] = np.where(new, rp, np.where(calm, -1, level))
        if new.any():
            consult[:, ic, :] = new
            rr, ii, oo = np.nonzero(new)
            qq, pp = q[ii], p[ii]
            _pair_add(state, rr, qq, oo, params.inst_tension[ic][ii])
            read = ATTR["readiness"]
            np.add.at(state.attr, (rr, pp, read), params.inst_readiness[ic][ii])
            np.add.at(state.attr, (rr, qq, read), params.inst_readiness[ic][ii])
            np.maximum.at(state.coord, (rr, qq, oo), params.inst_coord[ic][ii].astype(np.int16))
            np.add.at(state.clause_count, (rr, params.inst_clause[ic][ii]), 1)
    ia = params.inst_of_kind["assistance"]
    n_ia = params.inst_count(ia)
    if n_ia:
        tr, p, q = params.inst_treaty[ia], params.inst_party[ia], params.inst_by[ia]
        on = live & active[:, tr][:, :, None] & outsiders[tr][None]
        trig = params.inst_trigger[ia][None, :, None]
        under_attack = on & state.aggressor[:, p, :] & (state.rung[:, p, :] >= trig)
        # Only attacks in the theatres the clause covers (an attack not placed: column -1).
        cover = params.inst_cover[ia]
        under_attack &= cover[np.arange(n_ia)[None, :, None], state.front[:, p, :]]
        only = params.inst_on_map_only[ia]
        if only.any():
            # Attacks by off-map actors (fighting the party's forces abroad) do not count.
            under_attack &= ~only[None, :, None] | params.on_map[None, None, :]
        ci = params.inst_consult[ia]
        has = ci >= 0
        if has.any():
            consulted = state.consult_level[:, np.where(has, ci, 0), :] >= 0
            under_attack &= consulted | ~has[None, :, None]
        due_at = state.assist_due[:, ia, :]
        done = state.assist_done[:, ia, :]
        dec = state.assist_declined[:, ia, :]
        # An attack that has ended clears the clause for the next one (and any decision a
        # player was asked for).
        due_at = np.where(under_attack, due_at, -1)
        done &= under_attack
        dec &= under_attack
        state.pending[:, :n_ia, :] &= under_attack
        fresh = under_attack & (due_at < 0) & ~done & ~dec
        if fresh.any():
            # The ally decides (pledge n is the n-th assistance instance).
            honour, new_dec = decisions.decide(0, fresh, rng.STREAM_CREDIBILITY)
            due_at = np.where(honour, t + params.inst_delay[ia][None, :, None], due_at)
            dec |= new_dec
            declined[:, ia, :] = new_dec
        now = under_attack & (due_at >= 0) & (due_at <= t)
        due_at = np.where(now, -1, due_at)
        done |= now
        state.assist_due[:, ia, :] = due_at
        state.assist_done[:, ia, :] = done
        state.assist_declined[:, ia, :] = dec
        if now.any():
            assist[:, ia, :] = now
            rr, ii, oo = np.nonzero(now)
            qq = q[ii]
            resp = params.inst_response[ia][ii].astype(np.int16)
            np.maximum.at(state.rung, (rr, qq, oo), resp)
            np.maximum.at(state.rung, (rr, oo, qq), resp)
            _pair_add(state, rr, qq, oo, params.inst_tension[ia][ii])
            _intervene(params, state, rr, p[ii], qq, oo, resp)
            np.maximum.at(state.coord, (rr, qq, oo), params.inst_coord[ia][ii].astype(np.int16))
            np.add.at(state.clause_count, (rr, params.inst_clause[ia][ii]), 1)
    com = params.commit
    na = com.n_assist
    if na and com.consult_gain > 0 and consult.any():
        # Allies that consult stand more credibly behind their pledge to the threatened party.
        ci = com.consult[:na]
        held = consult[:, np.maximum(ci, 0), :].any(axis=2) & (ci >= 0)[None, :]
        c = state.cred[:, :na]
        c += np.where(held, cm.grow(com.consult_gain, c), 0.0)
    answered = np.zeros((b, com.n), dtype=bool)
    if com.n > na:
        _red_lines(params, state, crossed_lines, decisions, answered)
    return consult, assist, declined, answered
