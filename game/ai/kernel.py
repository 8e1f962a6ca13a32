"""The AI's month as two compiled kernels: scoring every candidate move, and the draws.

``score_kernel`` loops over runs, then over each actor's move blocks, targets and actions, and
computes each candidate's score from the state as the doctrine policy defines it
(``game.ai.policy``): the five doctrine-weighted pair features of the (mover, target) pair,
their product with the action's weights, the block's table row at the pair's current rung, the
stance, the run's own ``ai.jump``, the anticipation of what the move sets off through the
commitments in force, the moves an answer to a red line has opened, and -inf where a
run-dependent cause of ``game.engine.legality`` closes the move. Only the pairs that have
candidates are computed, and nothing larger than one run's scores is built.

``draw_kernel`` draws each actor's main move from the softmax weights by the running sum over
every candidate of the run, then its signal move (``game.ai.signal``) the same way.

Every float32 operation follows the order of the numpy definition it replaced (kept in the
tests as an oracle), so scores and moves are the same bits: the dot product of the features
with the action's weights is summed feature by feature from zero, as numpy's einsum does for
blocks of two actions or more; for a block of one action einsum reduces the five products as
a vector, ((1 + 5) + 2) + (3 + 4), and so does the kernel (the order of numpy's AVX2 loop: a
numpy built or dispatched otherwise may sum such blocks in another order, which the tests
against the oracle would show). The exponential is numpy's, applied between the two kernels:
numpy's float32 ``exp`` is its own vectorised routine and differs from the C library's in the
last bits for about a third of arguments. A run's scores and moves read only that run's row
of each array, so they do not depend on the batch around it.

The flat index tables the kernels read are built once per ``Params`` (:func:`tables`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.engine import tempo
from game.engine.jit import kernel
from game.engine.names import NEED, NEEDS

from .moves import REFERENCE_TOP

_F32 = np.float32
_N_NEEDS = len(NEEDS)
_NUCLEAR, _TECH, _AT_WAR, _NOT_AT_WAR = (
    NEED["nuclear"],
    NEED["tech_clause"],
    NEED["at_war"],
    NEED["not_at_war"],
)
_THREATENED, _TARGET_AT_WAR, _ATTACKED = (
    NEED["target_threatened"],
    NEED["target_at_war"],
    NEED["attacked"],
)


@dataclass(frozen=True)
class Tables:
    """The compiled layout of a scenario's candidate moves, for the kernels."""

    cand_start: np.ndarray  # (A + 1,) candidates of actor a: [start[a], start[a + 1])
    pass_bias: np.ndarray  # (A,) float32
    coef8: np.ndarray  # (A, 8) float32 doctrine coefficients (game.ai.moves.COEF)
    pos: np.ndarray  # (R,) float32 rung positions on the reference ladder (or the rungs)
    pos_div: float  # what a position is divided by: REFERENCE_TOP, or the top rung
    # Move blocks, in Params.move_blocks order: (NB,) each
    b_actor: np.ndarray
    b_start: np.ndarray  # first candidate
    b_nt: np.ndarray  # targets
    b_nk: np.ndarray  # actions
    b_toff: np.ndarray  # offset into targets
    b_koff: np.ndarray  # offset into the per-action arrays
    b_tab: np.ndarray  # offset into table / climb (T, R, K each)
    b_fit: np.ndarray  # offset into fit (S, K), -1: the stance does not shape the block
    b_slot: np.ndarray  # offset into the per-(target, action) arrays (T, K)
    b_ant: np.ndarray  # bool: the block weighs hostile moves and red lines (anticipation)
    targets: np.ndarray  # flat
    coef: np.ndarray  # (sum K, 5) float32 action weights of the pair features
    table: np.ndarray  # flat float32
    climb: np.ndarray  # flat float32 (zeros where a block has none)
    fit: np.ndarray  # flat float32
    needs: np.ndarray  # (sum K,) int64: bit j set where the action has need j (NEEDS)
    hostile: np.ndarray  # (sum K,) bool: hostility > 0 (no-hostile-alliance clauses)
    h_on: np.ndarray  # (sum K,) bool: a hostile move anticipation weighs
    h_floor: np.ndarray  # (sum K,) the rung it leaves the pair on at least
    h_attack: np.ndarray  # (sum K,) bool: an armed attack
    h_gain: np.ndarray  # (sum K,) float32: the mover's anticipation gain x its hostility
    line_n: np.ndarray  # (sum T x K,) the red line the move crosses (the last listed), -1
    open_m: np.ndarray  # (sum T x K,) the opened move it is (the last listed), -1
    gain: np.ndarray  # (A,) float32 anticipation gain
    open_bonus: np.ndarray  # (A,) float32
    # Clause instances in which each ally responds (the threat to its partners)
    ally_start: np.ndarray  # (A + 1,)
    ally_treaty: np.ndarray
    ally_party: np.ndarray
    # Instances of the clause kinds that open or close moves: (party, by, treaty) each
    tech: tuple
    nha: tuple
    has_tech: bool
    has_nha: bool
    war: int
    threat: int
    stance_on: bool
    commitments: bool  # some block weighs anticipation (the commitments must be read)
    # The signal draw (game.ai.signal): each actor's hold then its signal candidates
    signals: bool  # some actor has a signal candidate
    sig_cand: np.ndarray  # (S,)
    sig_start: np.ndarray  # (A + 1,)
    sig_actor: np.ndarray  # (S,) their movers
    sig_target: np.ndarray  # (S,) their targets
    sig_gain: float  # exp(ai.signal), float32; 0: ai.signal is 0


def _last_slot(entries: np.ndarray, n_t: int, n_k: int) -> np.ndarray:
    """(T x K,) the third row of the (3, n) (target, action, value) entries at each slot: the
    last listed wins, as a numpy fancy assignment does; -1 where none."""
    out = np.full(n_t * n_k, -1, dtype=np.int64)
    for ti, ki, v in entries.T:
        out[ti * n_k + ki] = v
    return out


def _instances(params, kind: str) -> tuple:
    insts = np.arange(params.inst_kind.shape[0])[params.inst_of_kind[kind]]
    return (
        params.inst_party[insts].astype(np.int64),
        params.inst_by[insts].astype(np.int64),
        params.inst_treaty[insts].astype(np.int64),
    )


def build(params) -> Tables:
    """The kernels' tables of a compiled scenario."""
    from game.engine.legality import threat_rung

    blocks = params.move_blocks
    com = params.commit
    rules = params.stance
    stance_on = rules is not None and rules.on
    n_r = len(params.rung_ids)
    n_a = params.n_actors
    if params.rung_position is not None:
        pos = params.rung_position.astype(_F32)
        pos_div = float(REFERENCE_TOP)
    else:
        pos = np.arange(n_r, dtype=_F32)
        pos_div = float(max(n_r - 1, 1))
    gain = com.anticipation.astype(_F32)
    arr = {k: [] for k in ("actor", "start", "nt", "nk", "toff", "koff", "tab", "fit", "slot")}
    ant = []
    targets, coef, table, climb, fit, needs, hostile = [], [], [], [], [], [], []
    h_on, h_floor, h_attack, h_gain, line_n, open_m = [], [], [], [], [], []
    toff = koff = tab = fo = slot = 0
    for bi, blk in enumerate(blocks):
        n_t, n_k = len(blk.targets), len(blk.actions)
        a = blk.actor
        f = rules.fit[bi] if stance_on else None
        for k, v in zip(
            ("actor", "start", "nt", "nk", "toff", "koff", "tab", "fit", "slot"),
            (a, blk.start, n_t, n_k, toff, koff, tab, fo if f is not None else -1, slot),
        ):
            arr[k].append(v)
        targets.append(blk.targets)
        coef.append(np.ascontiguousarray(blk.coef.T))
        table.append(blk.table.reshape(-1))
        c = blk.climb if blk.climb is not None else np.zeros(blk.table.shape, dtype=_F32)
        climb.append(np.ascontiguousarray(c, dtype=_F32).reshape(-1))
        if f is not None:
            fit.append(np.ascontiguousarray(f, dtype=_F32).reshape(-1))
            fo += f.size
        needs.append((blk.needs.astype(np.int64) << np.arange(_N_NEEDS)).sum(axis=1))
        hostile.append(blk.hostility > 0)
        cols, floors, attack_cols, host = com.block_hostile[bi]
        lines, opened = com.block_lines[bi], com.block_opened[bi]
        g = gain[a]
        ant.append(bool(g != 0 and (cols.size or lines.shape[1])))
        on = np.zeros(n_k, dtype=bool)
        fl = np.zeros(n_k, dtype=np.int64)
        at = np.zeros(n_k, dtype=bool)
        hg = np.zeros(n_k, dtype=_F32)
        on[cols] = True
        fl[cols] = floors
        at[cols] = attack_cols
        hg[cols] = g * host  # float32 x float32, as anticipation multiplies
        h_on.append(on)
        h_floor.append(fl)
        h_attack.append(at)
        h_gain.append(hg)
        line_n.append(_last_slot(lines, n_t, n_k))
        open_m.append(_last_slot(opened, n_t, n_k))
        toff += n_t
        koff += n_k
        tab += blk.table.size
        slot += n_t * n_k
    ally_start, ally_treaty, ally_party = [0] * (n_a + 1), [], []
    by_ally = dict(params.inst_by_ally)
    for q in range(n_a):
        insts = by_ally.get(q, np.zeros(0, dtype=np.int64))
        ally_treaty.extend(params.inst_treaty[insts].tolist())
        ally_party.extend(params.inst_party[insts].tolist())
        ally_start[q + 1] = len(ally_treaty)

    def cat(xs, dtype, shape=(0,)):
        return (
            np.ascontiguousarray(np.concatenate(xs), dtype=dtype) if xs else np.zeros(shape, dtype)
        )

    tech = _instances(params, "tech_cooperation")
    signals = tempo.has_signals(params)
    sig = np.array(params.signal_cand if signals else [], dtype=np.int64)
    nha = _instances(params, "no_hostile_alliance")
    i64 = np.int64
    return Tables(
        cand_start=params.actor_cand_start.astype(i64),
        pass_bias=params.pass_bias.astype(_F32),
        coef8=np.ascontiguousarray(params.doctrine_coef, dtype=_F32),
        pos=pos,
        pos_div=pos_div,
        b_actor=np.array(arr["actor"], dtype=i64),
        b_start=np.array(arr["start"], dtype=i64),
        b_nt=np.array(arr["nt"], dtype=i64),
        b_nk=np.array(arr["nk"], dtype=i64),
        b_toff=np.array(arr["toff"], dtype=i64),
        b_koff=np.array(arr["koff"], dtype=i64),
        b_tab=np.array(arr["tab"], dtype=i64),
        b_fit=np.array(arr["fit"], dtype=i64),
        b_slot=np.array(arr["slot"], dtype=i64),
        b_ant=np.array(ant, dtype=bool),
        targets=cat(targets, i64),
        coef=cat(coef, _F32, (0, 5)),
        table=cat(table, _F32),
        climb=cat(climb, _F32),
        fit=cat(fit, _F32),
        needs=cat(needs, i64),
        hostile=cat(hostile, bool),
        h_on=cat(h_on, bool),
        h_floor=cat(h_floor, i64),
        h_attack=cat(h_attack, bool),
        h_gain=cat(h_gain, _F32),
        line_n=cat(line_n, i64),
        open_m=cat(open_m, i64),
        gain=gain,
        open_bonus=com.open_bonus.astype(_F32),
        ally_start=np.array(ally_start, dtype=i64),
        ally_treaty=np.array(ally_treaty, dtype=i64),
        ally_party=np.array(ally_party, dtype=i64),
        tech=tech,
        nha=nha,
        has_tech=bool(tech[0].size),
        has_nha=bool(nha[0].size),
        war=int(params.thresholds["war"]),
        threat=int(threat_rung(params)),
        stance_on=bool(stance_on),
        commitments=bool(any(ant)),
        signals=signals,
        sig_cand=sig,
        sig_start=np.array(params.signal_start if signals else [0], dtype=i64),
        sig_actor=params.cand_actor[sig].astype(i64),
        sig_target=params.cand_target[sig].astype(i64),
        sig_gain=float(_F32(np.exp(params.signal_gain))) if params.signal_gain else 0.0,
    )


def tables(params) -> Tables:
    """The kernels' tables of ``params``, built on first use and kept with it."""
    t = params.__dict__.get("_ai_tables")
    if t is None:
        t = build(params)
        object.__setattr__(params, "_ai_tables", t)  # Params is frozen: derived data only
    return t


@kernel
def _links(b, p_, q_, tr_, active, out):
    """out (A, A) bool: a clause instance (party p, ally q, treaty tr) in force links the
    pair, either way, in run b."""
    out[:, :] = False
    for i in range(p_.shape[0]):
        if active[b, tr_[i]]:
            out[p_[i], q_[i]] = True
            out[q_[i], p_[i]] = True


@kernel
def score_kernel(
    # tables
    cand_start,
    pass_bias,
    coef8,
    pos,
    pos_div,
    b_actor,
    b_start,
    b_nt,
    b_nk,
    b_toff,
    b_koff,
    b_tab,
    b_fit,
    b_slot,
    b_ant,
    targets,
    coef,
    table,
    climb,
    fit,
    needs,
    hostile,
    h_on,
    h_floor,
    h_attack,
    h_gain,
    line_n,
    open_m,
    gain,
    open_bonus,
    ally_start,
    ally_treaty,
    ally_party,
    tech_p,
    tech_q,
    tech_tr,
    nha_p,
    nha_q,
    nha_tr,
    has_tech,
    has_nha,
    war,
    threat_level,
    stance_on,
    # the month
    turn,
    tension,
    last_hostility,
    aggressor,
    rung,
    coord,
    stance,
    opened_until,
    active,
    conv,
    nuc,
    has_nuclear,
    jump,
    has_jump,
    plain,
    attack,
    own,
    line_force,
    shift,
    out,
):
    """(B, C) float32 scores into ``out``; with ``shift``, each actor's best score is
    subtracted from its candidates' (the softmax's first step)."""
    n_b = rung.shape[0]
    n_a = rung.shape[1]
    n_r = pos.shape[0]
    zero = np.float32(0.0)
    one = np.float32(1.0)
    half = np.float32(0.5)
    hundred = np.float32(100.0)
    eps = np.float32(1e-6)
    div = np.float32(pos_div)
    ninf = np.float32(-np.inf)
    tech = np.zeros((n_a, n_a), dtype=np.bool_)
    nha = np.zeros((n_a, n_a), dtype=np.bool_)
    worst = np.zeros(n_a, dtype=np.int64)
    for b in range(n_b):
        if has_tech:
            _links(b, tech_p, tech_q, tech_tr, active, tech)
        if has_nha:
            _links(b, nha_p, nha_q, nha_tr, active, nha)
        for t in range(n_a):
            w = rung[b, t, 0]
            for j in range(1, n_a):
                if rung[b, t, j] > w:
                    w = rung[b, t, j]
            worst[t] = w
        for a in range(n_a):
            out[b, cand_start[a]] = pass_bias[a]
        for bi in range(b_actor.shape[0]):
            a = b_actor[bi]
            n_k = b_nk[bi]
            ko = b_koff[bi]
            c0 = coef8[a, 0]
            c1 = coef8[a, 1]
            c2 = coef8[a, 2]
            c3 = coef8[a, 3]
            c4 = coef8[a, 4]
            c5 = coef8[a, 5]
            c6 = coef8[a, 6]
            c7 = coef8[a, 7]
            g = gain[a]
            ant = b_ant[bi]
            own_a = own[b, a] if ant else zero
            fo = b_fit[bi]
            for ti in range(b_nt[bi]):
                t = targets[b_toff[bi] + ti]
                r = rung[b, a, t]
                # The pair's five doctrine-weighted features (game.ai.policy's docstring).
                ten = np.float32(tension[b, a, t]) / hundred
                lh = last_hostility[b, t, a]
                if not (lh >= 0.0 or np.isnan(lh)):
                    lh = 0.0
                prov = np.float32(lh) + (one if aggressor[b, a, t] else zero)
                f0 = c0 * ten + c1 * (pos[r] / div) + c2 * prov
                thr = zero
                for i in range(ally_start[a], ally_start[a + 1]):
                    x = np.float32(rung[b, ally_party[i], t]) if active[b, ally_treaty[i]] else zero
                    if i == ally_start[a] or x > thr:
                        thr = x
                if a == t:
                    thr = zero
                f1 = c3 * (one if coord[b, a, t] > 0 else zero) + c4 * (pos[np.intp(thr)] / div)
                share = conv[b, t] / (conv[b, t] + conv[b, a] + eps)
                f2 = -c5 * (half * share + half * nuc[b, t])
                at_war = r >= war
                wf = one if at_war else zero
                f3 = c6 * wf
                f4 = c7 * wf
                # The run-dependent causes that close moves (game.engine.legality.failures).
                unmet = 0
                if not has_nuclear[b, a]:
                    unmet |= 1 << _NUCLEAR
                if not tech[a, t]:
                    unmet |= 1 << _TECH
                if at_war:
                    unmet |= 1 << _NOT_AT_WAR
                else:
                    unmet |= 1 << _AT_WAR
                if worst[t] < threat_level:
                    unmet |= 1 << _THREATENED
                if worst[t] < war:
                    unmet |= 1 << _TARGET_AT_WAR
                if not aggressor[b, a, t]:
                    unmet |= 1 << _ATTACKED
                bound = has_nha and nha[a, t]
                row = b_tab[bi] + (ti * n_r + r) * n_k
                st = stance[b, a, t]
                now_p = zero
                now_a = zero
                if ant:
                    now_p = plain[b, t, r]
                    now_a = attack[b, t, r]
                base = b_start[bi] + ti * n_k
                slot = b_slot[bi] + ti * n_k
                for k in range(n_k):
                    kk = ko + k
                    tab_k = table[row + k]
                    # Closed by the code table (-inf stays -inf: every term added is finite)
                    # or by a run-dependent cause.
                    if tab_k == ninf or (needs[kk] & unmet) != 0 or (bound and hostile[kk]):
                        out[b, base + k] = ninf
                        continue
                    s = zero
                    if n_k > 1:
                        s += f0 * coef[kk, 0]
                        s += f1 * coef[kk, 1]
                        s += f2 * coef[kk, 2]
                        s += f3 * coef[kk, 3]
                        s += f4 * coef[kk, 4]
                    else:  # numpy sums a lone action's products as its vector reduction does
                        p0 = f0 * coef[kk, 0]
                        p4 = f4 * coef[kk, 4]
                        s += ((p0 + p4) + f1 * coef[kk, 1]) + (f2 * coef[kk, 2] + f3 * coef[kk, 3])
                    s += tab_k
                    if fo >= 0:
                        s += fit[fo + st * n_k + k]
                    if has_jump:
                        s -= jump[b] * climb[row + k]
                    if ant:
                        if h_on[kk]:
                            fl = h_floor[kk]
                            if h_attack[kk]:
                                force = max(now_a, attack[b, t, fl])
                            else:
                                force = max(now_p, plain[b, t, fl])
                            force = force / (force + own_a + eps)
                            force = force * h_gain[kk]
                            s -= force
                        n = line_n[slot + k]
                        if n >= 0:
                            f = line_force[b, n]
                            s -= g * f / (f + own_a + eps)
                    m = open_m[slot + k]
                    if m >= 0:
                        s += open_bonus[a] if opened_until[b, m] > turn else zero
                    out[b, base + k] = s
        if shift:
            for a in range(n_a):
                lo = cand_start[a]
                hi = cand_start[a + 1]
                best = out[b, lo]
                for c in range(lo + 1, hi):
                    if out[b, c] > best:
                        best = out[b, c]
                for c in range(lo, hi):
                    out[b, c] = out[b, c] - best


@kernel
def draw_kernel(
    w,
    cand_start,
    u,
    draw_main,
    moves,
    signals,
    sig_cand,
    sig_start,
    sig_actor,
    sig_target,
    rung,
    war,
    sig_gain,
    has_gain,
    u_sig,
):
    """Each actor's main move into ``moves`` (with ``draw_main``; else ``moves`` holds them)
    and, when ``signals`` has rows, its signal move: the candidate whose running sum over the
    run's weights ``w`` first passes the actor's uniform times its block's total."""
    n_b = w.shape[0]
    n_a = cand_start.shape[0] - 1
    zero = np.float32(0.0)
    width = 1
    for a in range(n_a):
        width = max(width, cand_start[a + 1] - cand_start[a])
    cum = np.empty(width, dtype=np.float32)
    for b in range(n_b):
        if draw_main:
            run = zero
            for a in range(n_a):
                lo = cand_start[a]
                hi = cand_start[a + 1]
                before = run
                for c in range(lo, hi):
                    run += w[b, c]
                    cum[c - lo] = run
                thr = before + u[b, a] * (run - before)
                n = 0
                for c in range(hi - lo):
                    if cum[c] <= thr:
                        n += 1
                moves[b, a] = lo + min(n, hi - lo - 1)
        if signals.shape[0] == 0:
            continue
        run = zero
        for a in range(n_a):
            lo = sig_start[a]
            hi = sig_start[a + 1]
            before = run
            mv = moves[b, a]
            for j in range(lo, hi):
                c = sig_cand[j]
                x = w[b, c]
                if j > lo:
                    if c == mv:
                        x = zero
                    if has_gain:
                        x = x * sig_gain
                if rung[b, sig_actor[j], sig_target[j]] >= war:
                    x = zero
                run += x
                cum[j - lo] = run
            thr = before + u_sig[b, a] * (run - before)
            n = 0
            for j in range(hi - lo):
                if cum[j] <= thr:
                    n += 1
            signals[b, a] = sig_cand[lo + min(n, hi - lo - 1)]
