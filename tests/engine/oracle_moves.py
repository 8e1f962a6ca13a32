"""The numpy definitions of the month's moves and what follows them, kept as the oracles of the
compiled loops (game.engine.move_kernels): applying the moves (step._moves, the main moves and
the signal moves merged into them), the tempo rules' balance of forces, offers and ally unease
(game.engine.tempo), the incidents at flashpoints (step._incidents), the drift of tensions and
rungs (step._drift) and the costs of war (step._war_costs). The tests run both on the same
recorded states and require the same bits."""

from __future__ import annotations

import numpy as np

from game.engine import commitments as cm
from game.engine import draws, rng
from game.engine import theatres as th
from game.engine.effects import _add_tension, _raise_rung, _sym_set
from game.engine.params import ATTR, KIND, Params
from game.engine.state import State
from game.engine.step import _NUC_DAMAGE, _WAR_ECON, _WAR_MIL, _WAR_STAB
from game.engine.tempo import _share, balance_factors, will_to_fight


def _pair_add(state: State, rows, i, j, delta) -> None:
    """Add tension to pairs (i, j) of the given rows, summing repeated pairs, then clip.

    Each pair is taken in one orientation, so both halves of the symmetric matrix receive the
    same additions in the same order (floating-point sums depend on the order)."""
    i, j = np.minimum(i, j), np.maximum(i, j)
    ten = state.tension
    if ten.flags.c_contiguous:
        # The same additions through flat indices (numpy's fast path of ufunc.at).
        n_a = ten.shape[1]
        at = np.asarray(rows) * (n_a * n_a)
        np.add.at(ten.reshape(-1), at + i * n_a + j, delta)
        np.add.at(ten.reshape(-1), at + j * n_a + i, delta)
    else:
        np.add.at(ten, (rows, i, j), delta)
        np.add.at(ten, (rows, j, i), delta)
    np.clip(ten, 0.0, 100.0, out=ten)


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
        apply_endings(params, state, r, a, tv, kv, _sym_set)
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


def apply_signals(params: Params, state: State, signals, active, other, crossed):
    """Apply the signal moves after the main moves, through the same move application."""
    main = state.last_hostility
    o2, c2 = _moves(params, state, signals, active)
    state.last_hostility = merge_hostility(main, state.last_hostility)
    return other | o2, crossed | c2


def merge_hostility(main: np.ndarray, signal: np.ndarray) -> np.ndarray:
    """(B, A, A) what each mover's moves of the month said to each target: the signal's where
    the main move said nothing, else the more hostile of the two."""
    both = np.maximum(main, signal)
    return np.where(main == 0, signal, np.where(signal == 0, main, both))


def apply_endings(params, state: State, r, a: int, tv, kv, sym_set) -> None:
    """Moves ``kv`` of mover ``a`` toward ``tv`` (runs ``r``) that end fighting: the pair's rung
    falls to at most the action's ``lowers_to`` (the armed attacks between the two end), its
    baseline moves, and a move that ``ends_attack`` ends the target's attack on the mover. An
    offer's ending waits for the target's answer (``settle_offers``)."""
    if params.action_lowers_to is None:
        return
    if params.action_offer is not None and params.action_offer[kv].any():
        keep = ~params.action_offer[kv]
        r, tv, kv = r[keep], tv[keep], kv[keep]
    _end_fighting(params, state, r, a, tv, kv, sym_set)
    ends = params.action_ends_attack[kv]
    if ends.any():
        state.aggressor[r[ends], a, tv[ends]] = False


def _end_fighting(params, state: State, r, a, tv, kv, sym_set) -> None:
    """The pairs (a, tv) of runs ``r`` fall to at most the rung of ``kv``'s ``lowers_to``, the
    armed attacks between them end, and their baseline moves by its ``baseline``."""
    cap = params.action_lowers_to[kv]
    low = cap >= 0
    if low.any():
        rl, tl = r[low], tv[low]
        sym_set(state.rung, rl, a, tl, np.minimum(state.rung[rl, a, tl], cap[low]))
        state.aggressor[rl, a, tl] = False
        state.aggressor[rl, tl, a] = False
    base = params.action_baseline[kv]
    moved = base != 0
    if moved.any():
        rb, tb = r[moved], tv[moved]
        sym_set(state.baseline, rb, a, tb, np.clip(state.baseline[rb, a, tb] + base[moved], 0, 100))


def settle_offers(params, state: State, moves: np.ndarray, sym_set=_sym_set) -> np.ndarray | None:
    """The numpy definition of game.engine.tempo.settle_offers."""
    if params.action_offer is None or not params.action_offer.any():
        return None
    k = params.cand_action[moves]
    t = params.cand_target[moves]
    made = (k >= 0) & params.action_offer[np.maximum(k, 0)] & ~state.done[:, None]
    accepted = np.zeros(moves.shape, dtype=bool)
    if not made.any():
        return accepted
    rows, movers = np.nonzero(made)
    targets = t[rows, movers]
    mutual = (
        made[rows, targets] & (t[rows, targets] == movers) & (k[rows, targets] == k[rows, movers])
    )
    calm = state.last_hostility[rows, targets, movers] <= 0
    will, weary = will_to_fight(state, rows, targets, movers)
    willing = weary > will
    ok = mutual | (calm & willing)
    accepted[rows[ok], movers[ok]] = True
    once = ok & ~(mutual & (movers > targets))  # a pair's mutual offers end its war once
    for a in np.unique(movers[once]):
        sel = once & (movers == a)
        r, tv, kv = rows[sel], targets[sel], k[rows[sel], a]
        _end_fighting(params, state, r, int(a), tv, kv, sym_set)
        sym_set(
            state.tension,
            r,
            int(a),
            tv,
            np.minimum(state.tension[r, a, tv], state.baseline[r, a, tv]),
        )
    return accepted


def balance_of_forces(params, state: State, moves: np.ndarray) -> None:
    """The numpy definition of game.engine.tempo.balance_of_forces."""
    if params.action_balance is None or not params.action_balance.any():
        return
    k = params.cand_action[moves]
    made = (k >= 0) & params.action_balance[np.maximum(k, 0)] & ~state.done[:, None]
    if not made.any():
        return
    rows, movers = np.nonzero(made)
    targets = params.cand_target[moves[rows, movers]]
    kv = k[rows, movers]
    cost, damage = balance_factors(_share(state, rows, movers, targets))
    m = ATTR["military"]
    np.add.at(state.attr[:, :, m], (rows, movers), params.action_self[kv, m] * (cost - 1.0))
    np.add.at(state.attr[:, :, m], (rows, targets), params.action_target[kv, m] * (damage - 1.0))
    runs = np.unique(rows)  # the runs that made such a move
    state.attr[runs] = np.clip(state.attr[runs], 0.0, None)


def ally_unease(params, state: State, moves: np.ndarray) -> None:
    """The numpy definition of game.engine.tempo.ally_unease."""
    gain = params.action_ally_tension
    if gain is None or not gain.any() or params.allied is None:
        return
    k = params.cand_action[moves]
    add = np.where(k >= 0, gain[np.maximum(k, 0)], 0.0) * ~state.done[:, None]
    if not add.any():
        return
    # Only the runs where some mover's action has an ally tension (the others add nothing).
    rows = np.nonzero(add.any(axis=1))[0]
    add = add[rows]
    t = params.cand_target[moves[rows]]  # (R, A)
    # [r, a, q]: q is a's ally and counts a's target a rival
    worried = params.allied[None, :, :] & params.rivals.T[t]
    delta = add[:, :, None] * worried
    state.tension[rows] += delta + np.swapaxes(delta, 1, 2)
    np.clip(state.tension, 0.0, 100.0, out=state.tension)


def incidents(params: Params, state: State):
    """The numpy definition of game.engine.step._incidents."""
    b = state.batch
    n_f = params.fp_pairs.shape[0]
    kind = np.zeros((b, n_f), dtype=np.int8)
    by = np.full((b, n_f), -1, dtype=np.int16)
    if n_f == 0:
        return kind, by
    u = rng.uniforms(state.keys, state.turn, rng.STREAM_INCIDENT, 3 * n_f).reshape(b, n_f, 3)
    armed = params.thresholds["armed_clash"]
    live = ~state.done
    for f in range(n_f):
        i, j = params.fp_pairs[f]
        ten = state.tension[:, i, j] / 100.0
        base = draws.at(params, state, "fp_base", f, params.fp_base[f])
        p = base + draws.at(params, state, "fp_slope", f, params.fp_slope[f]) * ten * ten
        happen = live & (u[:, f, 0] < p)
        if not happen.any():
            continue
        serious = happen & (
            u[:, f, 1] < draws.at(params, state, "fp_serious", f, params.fp_serious[f])
        )
        starter = np.where(u[:, f, 2] < 0.5, i, j).astype(np.int16)
        kind[happen, f] = np.where(serious[happen], 2, 1)
        r = np.nonzero(happen)[0]
        added = draws.at(params, state, "fp_tension", f, params.fp_tension[f])
        _add_tension(state, r, i, j, added[r] if np.ndim(added) else added)
        rs = np.nonzero(serious)[0]
        if rs.size:
            by[rs, f] = starter[rs]
            _raise_rung(state, rs, i, j, params.fp_rung[f])
            if params.fp_rung[f] >= armed:
                victim = np.where(starter[rs] == i, j, i)
                state.aggressor[rs, victim, starter[rs]] = True
                g = params.fp_theatre[f]
                where = params.attack_theatre[victim, starter[rs]] if g < 0 else g
                th.place(state.front, rs, i, j, where)
    return kind, by


def drift(params: Params, state: State, hostile: np.ndarray) -> None:
    """The numpy definition of game.engine.step._drift."""
    decay = draws.at(params, state, "tension_decay", 0, params.tension_decay)
    if np.ndim(decay):
        decay = decay[:, None, None]
    state.tension += decay * (state.baseline - state.tension)
    up_at, down_at = params.drift_at
    up = state.tension >= np.take(up_at, state.rung)
    hit = hostile > 0
    calm = ~(hit | np.swapaxes(hit, 1, 2)) & ~up
    down = (state.tension < np.take(down_at, state.rung)) & calm
    new = state.rung + up
    new -= down
    n_a = params.n_actors
    new[:, np.arange(n_a), np.arange(n_a)] = 0
    state.rung = new
    state.aggressor &= state.rung >= params.thresholds["armed_clash"]


def _any_counterpart(mask: np.ndarray) -> np.ndarray:
    """(B, A) ``mask.any(axis=2)`` of a (B, A, A) mask."""
    out = mask[:, :, 0].copy()
    for j in range(1, mask.shape[2]):
        out |= mask[:, :, j]
    return out


def war_costs(params: Params, state: State, nuclear_before: np.ndarray) -> None:
    """The numpy definition of game.engine.step._war_costs."""
    war = params.thresholds["war"]
    attr = state.attr
    mil, econ, stab = (attr[:, :, ATTR[c]] for c in ("military", "economy", "stability"))
    at_war = _any_counterpart(state.rung >= war)  # (B, A)
    np.multiply(mil, 1.0 - _WAR_MIL, out=mil, where=at_war)
    np.subtract(econ, _WAR_ECON, out=econ, where=at_war)
    np.subtract(stab, _WAR_STAB, out=stab, where=at_war)
    nuc = params.thresholds["nuclear_use"]
    hit = _any_counterpart((state.rung >= nuc) & ~nuclear_before)
    if hit.any():
        np.subtract(econ, _NUC_DAMAGE, out=econ, where=hit)
        np.subtract(stab, _NUC_DAMAGE, out=stab, where=hit)
    np.clip(state.attr, 0.0, None, out=state.attr)
    state.attr[:, :, ATTR["readiness"]] = np.minimum(state.attr[:, :, ATTR["readiness"]], 100.0)
    state.attr[:, :, ATTR["stability"]] = np.minimum(state.attr[:, :, ATTR["stability"]], 100.0)
