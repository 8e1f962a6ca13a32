"""The numpy definition of applying the month's moves, kept as the oracle of the compiled move
application (game.engine.move_kernels, used by game.engine.step._moves): the tests run both on
the same recorded states and require the same bits."""

from __future__ import annotations

import numpy as np

from game.engine import commitments as cm
from game.engine import tempo
from game.engine import theatres as th
from game.engine.params import KIND, Params
from game.engine.state import State
from game.engine.step import _add_tension, _pair_add, _raise_rung, _sym_set


def _moves(params: Params, state: State, moves: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Apply the chosen move of every actor; returns (B, A) bool 'hostile move toward target'."""
    b = state.batch
    rows = np.arange(b)
    n_a = params.n_actors
    hostility_now = np.zeros((b, n_a, n_a))
    damp = np.ones((b, n_a))  # sanction damage multiplier on each target, lowered by allies
    k_all = params.cand_action[moves]  # (B, A)
    t_all = params.cand_target[moves]
    live = ~state.done
    # Allies opposing sanctions against a party (oppose_sanctions clauses).
    other = np.zeros(state.consult_level.shape, dtype=bool)
    opp = np.nonzero(params.inst_kind == KIND["oppose_sanctions"])[0]
    for a in range(n_a):
        k = k_all[:, a]
        t = t_all[:, a]
        valid = (k >= 0) & live
        if not valid.any():
            continue
        ks = np.where(valid, k, 0)
        r = rows[valid]
        kv, tv = ks[valid], t[valid]
        for i in opp:
            p, q = params.inst_party[i], params.inst_by[i]
            if a in (p, q):
                continue
            hit = params.action_sanction[kv] & (tv == p) & active[r, params.inst_treaty[i]]
            if hit.any():
                hr = r[hit]
                other[hr, i, a] = True
                damp[hr, p] = 0.5
                _add_tension(state, hr, q, a, params.inst_tension[i])
                state.clause_count[hr, params.inst_clause[i]] += 1
        _add_tension(state, r, a, tv, params.action_tension[kv])
        floor = params.action_rung[kv]
        has = floor >= 0
        if has.any():
            _raise_rung(state, r[has], a, tv[has], floor[has])
        att = params.action_attack[kv]
        if att.any():
            # A strike on the target's territory is an armed attack on it, whoever began the
            # war (Ukraine's Kursk incursion set off the DPRK's Art. 4: facts §1).
            ra, ta = r[att], tv[att]
            th.place(state.front, ra, a, ta, params.attack_theatre[ta, a])
            state.aggressor[ra, ta, a] = True
        tempo.apply_endings(params, state, r, a, tv, kv, _sym_set)
        state.attr[r, a, :] += params.action_self[kv]
        state.attr[r, tv, :] += params.action_target[kv] * damp[r, tv][:, None]
        hostility_now[r, a, tv] = params.action_hostility[kv]
        # Spill-over: arming one side of a confrontation is hostile to the other side.
        sp_t = params.action_spill_tension[kv]
        sp_r = params.action_spill_rung[kv]
        spills = (sp_t != 0) | (sp_r >= 0)
        spill_at = params.action_spill_at[kv]
        if spills.any():
            for x in range(n_a):
                if x == a:
                    continue
                enemy = spills & (state.rung[r, tv, x] >= spill_at) & (tv != x)
                if not enemy.any():
                    continue
                er = r[enemy]
                _add_tension(state, er, a, x, sp_t[enemy])
                fl = sp_r[enemy]
                ok = fl >= 0
                if ok.any():
                    _raise_rung(state, er[ok], a, x, fl[ok])
                hostility_now[er, a, x] = np.maximum(hostility_now[er, a, x], 0.5)
        # Technology cooperation clauses are invoked by the moves they allow.
    tech = np.nonzero(params.inst_kind == KIND["tech_cooperation"])[0]
    for i in tech:
        p, q = params.inst_party[i], params.inst_by[i]
        k = k_all[:, q]
        hit = live & (k >= 0) & (t_all[:, q] == p) & active[:, params.inst_treaty[i]]
        hit &= params.action_needs[np.where(k >= 0, k, 0), 1]
        if hit.any():
            other[hit, i, q] = True
            state.clause_count[hit, params.inst_clause[i]] += 1
    np.clip(state.attr, 0.0, None, out=state.attr)
    state.last_hostility = hostility_now
    com = params.commit
    crossed = np.zeros((b, com.n), dtype=bool)
    na, t = com.n_assist, state.turn
    if com.n > na:
        # Red lines crossed: the warned state made the named move (toward the named target).
        rl = np.arange(na, com.n)
        w = com.party[rl]
        hit = live[:, None] & (k_all[:, w] == com.action[rl][None, :])
        tgt = com.target[rl]
        hit &= (tgt < 0)[None, :] | (t_all[:, w] == tgt[None, :])
        hit &= ((com.start[rl] <= t) & (t < com.end[rl]))[None, :]
        crossed[:, na:] = hit
    if com.exercise_gain > 0 and na:
        # Standing by a threatened party: the ally exercises against a state threatening it.
        threat = params.thresholds.get("threat", params.thresholds["war"])
        q, p = com.by[:na], com.party[:na]
        k, x = k_all[:, q], t_all[:, q]
        ok = live[:, None] & (k >= 0) & com.exercise_actions[np.maximum(k, 0)] & (x != p[None, :])
        ok &= state.rung[rows[:, None], p[None, :], x] >= threat
        if ok.any():
            c = state.cred[:, :na]
            c += np.where(ok, cm.grow(com.exercise_gain, c), 0.0)
    if com.entrapment > 0 and na:
        # Entrapment: a protected party's hostile move worries the allies pledged to defend it.
        q, p = com.by[:na], com.party[:na]
        k, x = k_all[:, p], t_all[:, p]
        host = np.where(k >= 0, params.action_hostility[np.maximum(k, 0)], 0.0)
        worry = np.where(live[:, None] & (x != q[None, :]), np.maximum(host, 0.0), 0.0)
        worry *= com.entrapment * state.cred[:, :na]
        if worry.any():
            rr, nn = np.nonzero(worry)
            _pair_add(state, rr, q[nn], p[nn], worry[rr, nn])
    return other, crossed
