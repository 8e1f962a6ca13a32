"""The numpy definitions of the month's stance changes, kept as the oracles of
game.engine.stance.update (a compiled loop over the runs, game.engine.stance_kernels, which reads
the list of clauses invoked): :func:`update` reads the clauses invoked from the dense (runs,
instances, counterparts) records, or from their list as the engine's numpy code did before the
loop was compiled. The tests run all three on the same recorded months."""

from __future__ import annotations

import numpy as np

from game.engine import rng
from game.engine.stance import (
    _EVENT,
    _QUIET_CAP,
    ATTACKED,
    ATTACKING,
    COERCION,
    DETENTE,
    DETERRENCE,
    INITIATIVE,
    PRESSURE,
    PRESSURE_RATE,
    QUIET,
    RED_LINE,
    TALKS,
    TALKS_RATE,
    THRESHOLD,
    TREATY,
    WAIT,
    StanceChange,
)


def update(
    params,
    state,
    moves: np.ndarray,
    rung_before: np.ndarray,
    attacked_before: np.ndarray,
    inc_kind: np.ndarray,
    consult: np.ndarray,
    assist: np.ndarray,
    answered: np.ndarray,
    invoked: tuple | None = None,
) -> StanceChange | None:
    """Apply the month's reasons to ``state.stance`` and ``state.stance_quiet`` (in place).

    Only the held pairs are read and written: (B, P) arrays, pair p = (hi[p], hj[p]). Given
    ``invoked`` (runs, instances, counterparts), the clauses invoked are read from that list,
    else from the dense records ``consult | assist``."""
    rules = params.stance
    if rules is None or not rules.pairs[0].size:
        return None
    hi, hj = rules.pairs
    pair_of = rules.pair_of
    b, n_p = state.batch, hi.size
    flat, flat_back = rules.flat  # pair p at [mover, counterpart] and [counterpart, mover]

    def at(arr, where=flat):  # (B, A, A) -> (B, P)
        return arr.reshape(b, -1)[:, where]

    before = at(state.stance)
    new = before.copy()
    reason = np.zeros((b, n_p), dtype=np.int8)
    detail = np.zeros((b, n_p), dtype=np.int32)
    free = np.broadcast_to(~state.done[:, None], (b, n_p))

    def put(mask, stance, why, det):
        nonlocal free
        m = mask & free
        if not m.any():
            return
        change = m & (new != stance)
        np.copyto(new, stance, where=change, casting="unsafe")
        np.copyto(reason, why, where=change, casting="unsafe")
        np.copyto(detail, det, where=change, casting="unsafe")
        free = free & ~m  # a reason that applies settles the pair this month

    k = params.cand_action[moves]  # (B, A) the month's moves
    t = params.cand_target[moves]
    kk = np.maximum(k, 0)
    h = np.where(k >= 0, params.action_hostility[kk], 0.0).astype(np.float32)
    att = (k >= 0) & params.action_attack[kk]
    # The mover's move toward the counterpart, and the counterpart's toward the mover.
    own = (t[:, hi] == hj[None, :]) & (k[:, hi] >= 0)
    own_h = np.where(own, h[:, hi], 0.0)
    own_k = np.where(own, k[:, hi], -1)
    theirs = (t[:, hj] == hi[None, :]) & (k[:, hj] >= 0)
    theirs_h = np.where(theirs, h[:, hj], 0.0)
    theirs_k = np.where(theirs, k[:, hj], -1)
    # 1-2. Armed attacks begun this month (by a move, an incident or an event).
    began = state.aggressor & ~attacked_before  # [victim, attacker]
    fresh = at(began)  # on the mover
    if fresh.any():
        det = np.where(theirs & att[:, hj], -1 - theirs_k, _EVENT).astype(np.int32)
        for f in np.nonzero((inc_kind == 2).any(axis=0))[0]:
            hit = inc_kind[:, f] == 2
            for x, y in (params.fp_pairs[f], params.fp_pairs[f][::-1]):
                p = pair_of[x, y]
                if p >= 0:
                    det[hit, p] = np.where(fresh[hit, p], f, det[hit, p])
        put(fresh & (new != COERCION), DETERRENCE, ATTACKED, det)
    attacking = at(began, flat_back) & own & att[:, hi]
    put(attacking, COERCION, ATTACKING, own_k)
    # 3. Red lines answered: the declaring state coerces the violator.
    com = params.commit
    if com is not None and answered.any():
        rn, nn = np.nonzero(answered)
        _put_at(put, (b, n_p), rn, pair_of[com.by[nn], com.party[nn]], nn, COERCION, RED_LINE)
    # 4. Treaty clauses invoked against a counterpart: the ally and the party hold the line.
    invoked_on = np.zeros((b, n_p), dtype=bool)  # (mover, counterpart): one invoked by mover
    if invoked is not None:
        ri, ii, oi = invoked
    if invoked is not None and ri.size:
        # Clause instances in which the mover consults, assists or is the party, against the
        # counterpart: the pairs (ally, counterpart) and (party, counterpart) of each.
        m = np.zeros((b, n_p), dtype=bool)
        first = np.full((b, n_p), np.iinfo(np.int64).max)
        for mover in (params.inst_by[ii], params.inst_party[ii]):
            p = pair_of[mover, oi]
            ok = p >= 0
            m[ri[ok], p[ok]] = True
            np.minimum.at(first, (ri[ok], p[ok]), ii[ok])
        invoked_on = m
        put(m & (new != COERCION), DETERRENCE, TREATY, 0)
        rr, pp = np.nonzero(reason == TREATY)
        if rr.size:  # the first such instance is named
            detail[rr, pp] = first[rr, pp]
    dense = consult | assist  # (B, I, A)
    if invoked is None and dense.any():
        # Clause instances in which the mover consults, assists or is the party, against the
        # counterpart, mover by mover.
        m = np.zeros((b, n_p), dtype=bool)
        for insts, ps in rules.inst_of_mover:
            m[:, ps] = dense[:, insts, :].any(axis=1)[:, hj[ps]]
        invoked_on = m
        put(m & (new != COERCION), DETERRENCE, TREATY, 0)
        rr, pp = np.nonzero(reason == TREATY)
        if rr.size:  # the first such instance is named
            first = dense[rr, :, hj[pp]] & rules.inst_mover[:, pp].T
            detail[rr, pp] = first.argmax(axis=1)
    # 5. Thresholds crossed by the pair.
    rung = at(state.rung)
    r0 = at(rung_before)
    rose = rung > r0
    if rose.any():
        for name_ in ("war", "armed_clash"):
            lvl = params.thresholds.get(name_)
            if lvl is not None:
                up = rose & (r0 < lvl) & (rung >= lvl) & (new != COERCION)
                put(up, DETERRENCE, THRESHOLD, lvl)
    u = rng.uniforms_at(state.keys, state.turn, rng.STREAM_STANCE, rules.draw_index)
    # u < 1 - exp(-x / stickiness) exactly when x > e, an exponential draw times stickiness.
    e = (-np.log1p(-u) * rules.stickiness[hi][None, :]).astype(np.float32)
    # 6. Talks: the counterpart reaches out to a state with a hostile line.
    clash = params.thresholds.get("armed_clash", len(params.rung_ids))
    lined = (new == DETERRENCE) | (new == COERCION)
    talks = lined & (theirs_h < 0) & (rung < clash) & ((own_h < 0) | (-theirs_h * TALKS_RATE > e))
    put(talks, DETENTE, TALKS, theirs_k)
    # 7. Pressure on a state that watches or eases.
    soft = (new == WAIT) | (new == DETENTE)
    press = soft & (theirs_h * PRESSURE_RATE > e) & ~(theirs & att[:, hj])
    put(press, DETERRENCE, PRESSURE, theirs_k)
    # 8. The state's own initiative.
    put((own_h < 0) & (new != DETENTE) & (rung < clash), DETENTE, INITIATIVE, own_k)
    put((own_h > 0) & soft, DETERRENCE, INITIATIVE, own_k)
    # 9. A long quiet ends a line.
    was = at(state.stance_quiet)
    quiet = np.where((own_h != 0) | (theirs_h != 0), 0, np.minimum(was + 1, _QUIET_CAP))
    # A reason applied, or a clause the counterpart invoked against the state: from 0.
    against = np.zeros((b, n_p), dtype=bool)
    mirror = pair_of[hj, hi]
    held = mirror >= 0
    against[:, held] = invoked_on[:, mirror[held]]
    quiet = np.where((~free | against) & ~state.done[:, None], 0, quiet)
    quiet = np.where(state.done[:, None], was, quiet).astype(np.int16)
    state.stance_quiet[:, hi, hj] = quiet
    threat = params.thresholds.get("threat", clash)
    long = quiet >= rules.quiet_months[hi][None, :]
    put(long & (new != WAIT) & (rung < threat), WAIT, QUIET, quiet.astype(np.int32))
    state.stance[:, hi, hj] = new
    return StanceChange(rules.pairs, before, new, reason, detail)


def _put_at(put, shape, rows, pairs, det, stance, why) -> None:
    """``put`` for the (row, pair) entries listed (pairs -1: not held), with detail ``det``."""
    ok = pairs >= 0
    m = np.zeros(shape, dtype=bool)
    d = np.zeros(shape, dtype=np.int32)
    m[rows[ok], pairs[ok]] = True
    d[rows[ok], pairs[ok]] = det[ok]
    put(m, stance, why, d)
