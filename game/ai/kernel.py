"""The AI's month as two compiled kernels: scoring every candidate move, and the draws.

``score_kernel`` loops over runs, then over each actor's move blocks, targets and actions, and
computes each candidate's score from the state as the doctrine policy defines it
(``game.ai.policy``): the five doctrine-weighted pair features of the (mover, target) pair,
their product with the action's weights, the block's table row at the pair's current rung, the
stance, the run's own ``ai.jump``, the anticipation of what the move sets off through the
commitments in force, the moves an answer to a red line has opened, and -inf where a
run-dependent cause of ``game.engine.legality`` closes the move. Only the pairs that have
candidates are computed, and nothing larger than one run's scores is built. Each run first
reads its commitments as ``game.engine.commitments`` defines it (``read``, ``set_off``,
``answer_force``; :func:`_read`), and with ``shift`` the scores end as the softmax weights:
numpy's float32 exp of each score less its actor's best (:func:`exp_shifted`).

``draw_kernel`` draws each actor's main move from the softmax weights by the running sum over
every candidate of the run, then its signal move (``game.ai.signal``) the same way, each with
the actor's counter-based uniform of the month (``game.engine.rng.uniforms``, computed there).

Every float32 operation follows the order of the numpy definition it replaced (kept in the
tests as an oracle), so scores and moves are the same bits: the dot product of the features
with the action's weights is summed feature by feature from zero, as numpy's einsum does for
blocks of two actions or more; for a block of one action einsum reduces the five products as
a vector, ((1 + 5) + 2) + (3 + 4), and so does the kernel (the order of numpy's AVX2 loop: a
numpy built or dispatched otherwise may sum such blocks in another order, which the tests
against the oracle would show). Two routines are numpy's own and are copied step by step:
the float32 ``exp`` (its AVX2 + FMA3 loop, which differs from the C library's in the last
bits for about a third of arguments; the copy was compared with it on every float32), and
the look-ahead's matrix products, which numpy hands to OpenBLAS: its kernel sums each product
row by row with fused multiply-adds from zero, and so does :func:`_read` (for batches of four
rows or more; OpenBLAS sums the last one to three rows of a batch, and a batch of one, in
another order, so there the float64 force may differ in its last bit, which the float32 the
AI reads all but never shows). A run's scores and moves read only that run's row of each
array, so they do not depend on the batch around it.

The flat index tables the kernels read are built once per ``Params`` (:func:`tables`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from game.engine import tempo
from game.engine.jit import kernel, part
from game.engine.move_kernels import _prefetch_block
from game.engine.names import NEED, NEEDS
from game.engine.rng_kernels import draw as _uniform

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
    place: np.ndarray  # (R,) float32 pos / pos_div: where each rung places a pair
    # Move blocks, in Params.move_blocks order: (NB,) each
    b_actor: np.ndarray
    b_start: np.ndarray  # first candidate
    b_nt: np.ndarray  # targets
    b_nk: np.ndarray  # actions
    b_toff: np.ndarray  # offset into targets
    b_koff: np.ndarray  # offset into the per-action arrays
    b_tab: np.ndarray  # offset into table / climb (T, R, K each)
    b_fit: np.ndarray  # offset into fit (S, K), -1: the stance does not shape the block
    b_ant: np.ndarray  # bool: the block weighs hostile moves and red lines (anticipation)
    targets: np.ndarray  # flat: pair row b_toff[bi] + ti is (b_actor[bi], targets[...])
    coef: np.ndarray  # (sum K, 5) float32 action weights of the pair features
    coef5: np.ndarray  # (5, sum K) the same, each feature's weights contiguous
    table: np.ndarray  # flat float32
    climb: np.ndarray  # flat float32 (zeros where a block has none)
    fit: np.ndarray  # flat float32
    needs: np.ndarray  # (sum K,) int64: bit j set where the action has need j (NEEDS)
    hostile: np.ndarray  # (sum K,) bool: hostility > 0 (no-hostile-alliance clauses)
    # The hostile moves anticipation weighs, per action slot (as coef): the slot's (floor,
    # attack) pair among its block's, hc_start[bi] + h_c (-1: the move is not weighed), and the
    # mover's anticipation gain x its hostility (float32)
    h_c: np.ndarray
    h_gain: np.ndarray
    # The distinct (floor, attack) pairs of each block's hostile moves: hc_start[bi] ..
    hc_start: np.ndarray
    h_floor: np.ndarray  # the rung the move leaves the pair on at least
    h_attack: np.ndarray  # bool: an armed attack
    # Per pair row: the red line each move crosses (the last listed), and the opened move it
    # is (the last listed): (start (rows + 1,), action slot, commitment / opened row)
    line: tuple
    opened: tuple
    gain: np.ndarray  # (A,) float32 anticipation gain
    open_bonus: np.ndarray  # (A,) float32
    # The partners each ally responds for (the threat to its partners): actor a's partners
    # ally_party[ally_start[a]:ally_start[a + 1]], partner j linked through the treaties
    # ally_treaty[ally_tstart[j]:ally_tstart[j + 1]] (those of its clause instances)
    ally_start: np.ndarray  # (A + 1,)
    ally_party: np.ndarray
    ally_tstart: np.ndarray
    ally_treaty: np.ndarray
    # Instances of the clause kinds that open or close moves: (party, by, treaty) each
    tech: tuple
    nha: tuple
    has_tech: bool
    has_nha: bool
    war: int
    threat: int
    stance_on: bool
    reading: Reading  # the commitments' layout
    commitments: bool  # some block weighs anticipation (the commitments must be read)
    # The signal draw (game.ai.signal): each actor's hold then its signal candidates
    signals: bool  # some actor has a signal candidate
    sig_cand: np.ndarray  # (S,)
    sig_start: np.ndarray  # (A + 1,)
    sig_actor: np.ndarray  # (S,) their movers
    sig_target: np.ndarray  # (S,) their targets
    sig_gain: float  # exp(ai.signal), float32; 0: ai.signal is 0


def _entries(pairs: list, n_rows: int) -> tuple:
    """(start (n_rows + 1,), action slot, value): the (row, slot, value) entries grouped by row,
    each row's in slot order, for the kernels to loop over the entries of one row."""
    pairs = sorted(pairs)
    start = np.zeros(n_rows + 1, dtype=np.int64)
    for row, _, _ in pairs:
        start[row + 1] += 1
    return (
        np.cumsum(start),
        np.array([k for _, k, _ in pairs], dtype=np.int64),
        np.array([v for _, _, v in pairs], dtype=np.int64),
    )


def _slot_entries(entries: np.ndarray, n_t: int, n_k: int, row0: int) -> list:
    """(pair row, action slot, value) of each slot of the (3, n) (target, action, value)
    entries of a block whose first pair row is ``row0``: the last listed wins, as a numpy
    fancy assignment does."""
    last = {}
    for ti, ki, v in entries.T:
        last[(int(ti), int(ki))] = int(v)
    return [(row0 + ti, ki, v) for (ti, ki), v in last.items()]


@dataclass(frozen=True)
class Reading:
    """The compiled layout of the commitments anticipation reads (game.engine.commitments)."""

    n_assist: int
    by: np.ndarray  # (N,) the committed state
    party: np.ndarray  # (N,)
    treaty: np.ndarray  # (N,) -1 for a red line
    start: np.ndarray  # (N,) red line: first turn it stands
    end: np.ndarray  # (N,)
    cred_f: np.ndarray  # (N,) float64 weight of the answer (answer_force)
    stretch: np.ndarray  # (A + 1,) float64 (1 - overstretch) ** wars, as numpy's power gives
    p_com: np.ndarray  # (P,) look-ahead rows: commitment, -1 for consultation
    p_treaty: np.ndarray  # (P,)
    p_by: np.ndarray  # (P,)
    p_weight: np.ndarray  # (P,) float64
    g_start: np.ndarray  # (A + 1,) the rows protecting actor a: g_rows[g_start[a]:g_start[a+1]]
    g_rows: np.ndarray
    # The look-ahead's risk of each row at each rung, plain and armed (game.engine.commitments
    # risk_plain, risk_attack): their distinct columns (P, D) float64, and which column each
    # rung reads (R,) each. Equal columns give equal sums, so each is summed once.
    risk: np.ndarray
    col_plain: np.ndarray
    col_attack: np.ndarray


def _reading(params) -> Reading:
    com = params.commit
    n_a = params.n_actors
    g_start = np.zeros(n_a + 1, dtype=np.int64)
    rows = []
    for a in range(n_a):
        for party, sel in com.protect_groups:
            if party == a:
                rows.extend(int(j) for j in sel)
        g_start[a + 1] = len(rows)
    i64 = np.int64
    return Reading(
        n_assist=int(com.n_assist),
        by=com.by.astype(i64),
        party=com.party.astype(i64),
        treaty=com.treaty.astype(i64),
        start=com.start.astype(i64),
        end=com.end.astype(i64),
        cred_f=np.ascontiguousarray(com.weight, dtype=np.float64),
        stretch=np.ascontiguousarray((1.0 - com.overstretch) ** np.arange(n_a + 1)),
        p_com=com.protect_com.astype(i64),
        p_treaty=com.protect_treaty.astype(i64),
        p_by=com.protect_by.astype(i64),
        p_weight=np.ascontiguousarray(com.protect_weight, dtype=np.float64),
        g_start=g_start,
        g_rows=np.array(rows, dtype=i64),
        **_risk_columns(com.risk_plain, com.risk_attack),
    )


def _risk_columns(plain: np.ndarray, attack: np.ndarray) -> dict:
    """The distinct columns (same bits) of the (P, R) risk tables, and where each rung's are."""
    both = np.hstack([plain, attack]).astype(np.float64)
    first: dict = {}
    col = np.array(
        [first.setdefault(both[:, i].tobytes(), len(first)) for i in range(both.shape[1])],
        dtype=np.int64,
    )
    keep = [int(np.argmax(col == d)) for d in range(len(first))]
    n_r = plain.shape[1]
    return {
        "risk": np.ascontiguousarray(both[:, keep].reshape(both.shape[0], len(keep))),
        "col_plain": col[:n_r].copy(),
        "col_attack": col[n_r:].copy(),
    }


def _share_key(reading: Reading, floor, attack) -> tuple:
    """What the force a hostile move sets off reads: the risk column at its floor and the
    columns at every rung (the pair's rung now), plain or armed."""
    col = reading.col_attack if attack else reading.col_plain
    return int(col[floor]), tuple(col.tolist())


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
    reading = _reading(params)
    arr = {k: [] for k in ("actor", "start", "nt", "nk", "toff", "koff", "tab", "fit")}
    ant = []
    targets, coef, table, climb, fit, needs, hostile = [], [], [], [], [], [], []
    h_c, h_gain = [], []
    hc_start, h_floor, h_attack = [0], [], []
    line_entries, open_entries = [], []
    toff = koff = tab = fo = 0
    for bi, blk in enumerate(blocks):
        n_t, n_k = len(blk.targets), len(blk.actions)
        a = blk.actor
        f = rules.fit[bi] if stance_on else None
        for k, v in zip(
            ("actor", "start", "nt", "nk", "toff", "koff", "tab", "fit"),
            (a, blk.start, n_t, n_k, toff, koff, tab, fo if f is not None else -1),
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
        weighs = bool(g != 0 and (cols.size or lines.shape[1]))
        ant.append(weighs)
        slot_c = np.full(n_k, -1, dtype=np.int64)
        slot_gain = np.zeros(n_k, dtype=_F32)
        if weighs:
            on = np.zeros(n_k, dtype=bool)
            fl = np.zeros(n_k, dtype=np.int64)
            at = np.zeros(n_k, dtype=bool)
            hg = np.zeros(n_k, dtype=_F32)
            on[cols] = True
            fl[cols] = floors
            at[cols] = attack_cols
            hg[cols] = g * host  # float32 x float32, as anticipation multiplies
            ks = np.nonzero(on)[0]
            # One (floor, attack) pair for all that read the same risk columns at every rung
            # (the same force, so the same share).
            same = {}
            for k in ks:
                same.setdefault(_share_key(reading, fl[k], at[k]), (int(fl[k]), bool(at[k])))
            combos = sorted(set(same.values()))
            for k in ks:
                slot_c[k] = combos.index(same[_share_key(reading, fl[k], at[k])])
            slot_gain[ks] = hg[ks]
            h_floor.extend(c[0] for c in combos)
            h_attack.extend(c[1] for c in combos)
            line_entries += _slot_entries(lines, n_t, n_k, toff)
        h_c.append(slot_c)
        h_gain.append(slot_gain)
        hc_start.append(len(h_floor))
        open_entries += _slot_entries(opened, n_t, n_k, toff)
        toff += n_t
        koff += n_k
        tab += blk.table.size
    ally_start, ally_party, ally_tstart, ally_treaty = [0] * (n_a + 1), [], [0], []
    by_ally = dict(params.inst_by_ally)
    for q in range(n_a):
        insts = by_ally.get(q, np.zeros(0, dtype=np.int64))
        linked: dict = {}  # partner: its treaties, each once (the instances repeat them)
        for i in insts.tolist():
            linked.setdefault(int(params.inst_party[i]), set()).add(int(params.inst_treaty[i]))
        for party in sorted(linked):
            ally_party.append(party)
            ally_treaty.extend(sorted(linked[party]))
            ally_tstart.append(len(ally_treaty))
        ally_start[q + 1] = len(ally_party)

    def cat(xs, dtype, shape=(0,)):
        return (
            np.ascontiguousarray(np.concatenate(xs), dtype=dtype) if xs else np.zeros(shape, dtype)
        )

    tech = _instances(params, "tech_cooperation")
    signals = tempo.has_signals(params)
    sig = np.array(params.signal_cand if signals else [], dtype=np.int64)
    nha = _instances(params, "no_hostile_alliance")
    i64 = np.int64
    coef_all = cat(coef, _F32, (0, 5))
    return Tables(
        cand_start=params.actor_cand_start.astype(i64),
        pass_bias=params.pass_bias.astype(_F32),
        coef8=np.ascontiguousarray(params.doctrine_coef, dtype=_F32),
        pos=pos,
        pos_div=pos_div,
        place=pos / _F32(pos_div),
        b_actor=np.array(arr["actor"], dtype=i64),
        b_start=np.array(arr["start"], dtype=i64),
        b_nt=np.array(arr["nt"], dtype=i64),
        b_nk=np.array(arr["nk"], dtype=i64),
        b_toff=np.array(arr["toff"], dtype=i64),
        b_koff=np.array(arr["koff"], dtype=i64),
        b_tab=np.array(arr["tab"], dtype=i64),
        b_fit=np.array(arr["fit"], dtype=i64),
        b_ant=np.array(ant, dtype=bool),
        targets=cat(targets, i64),
        coef=coef_all,
        coef5=np.ascontiguousarray(coef_all.T),
        table=cat(table, _F32),
        climb=cat(climb, _F32),
        fit=cat(fit, _F32),
        needs=cat(needs, i64),
        hostile=cat(hostile, bool),
        h_c=cat(h_c, i64),
        h_gain=cat(h_gain, _F32),
        hc_start=np.array(hc_start, dtype=i64),
        h_floor=np.array(h_floor, dtype=i64),
        h_attack=np.array(h_attack, dtype=bool),
        line=_entries(line_entries, toff),
        opened=_entries(open_entries, toff),
        gain=gain,
        open_bonus=com.open_bonus.astype(_F32),
        ally_start=np.array(ally_start, dtype=i64),
        ally_party=np.array(ally_party, dtype=i64),
        ally_tstart=np.array(ally_tstart, dtype=i64),
        ally_treaty=np.array(ally_treaty, dtype=i64),
        tech=tech,
        nha=nha,
        has_tech=bool(tech[0].size),
        has_nha=bool(nha[0].size),
        war=int(params.thresholds["war"]),
        threat=int(threat_rung(params)),
        stance_on=bool(stance_on),
        reading=reading,
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


@intrinsic
def _fma(typingctx, a, b, c):
    """a x b + c rounded once (the fused multiply-add of numpy's float32 exp and of BLAS)."""
    if not (a == b == c and isinstance(a, types.Float)):
        return None

    def codegen(context, builder, signature, args):
        return builder.fma(*args)

    return a(a, b, c), codegen


@intrinsic
def _add_exponent(typingctx, x, n):
    """The float32 x with the int32 n added to its exponent field (x 2^n while that stays a
    normal number), in 32-bit integer arithmetic."""
    if x != types.float32 or n != types.int32:
        return None

    def codegen(context, builder, signature, args):
        i32 = ir.IntType(32)
        bits = builder.bitcast(args[0], i32)
        bits = builder.add(bits, builder.shl(args[1], ir.Constant(i32, 23)))
        return builder.bitcast(bits, ir.FloatType())

    return types.float32(x, n), codegen


def _f32(bits: int):
    return np.uint32(bits).view(_F32)


# numpy's float32 exp (the AVX2 + FMA3 loop of numpy/_core/src/umath/loops_exponent_log):
# x = n ln 2 + r by Cody and Waite's reduction, a rational approximation of exp(r), and n added
# to the exponent (a division by a power of two where the result is subnormal).
_XMAX, _XMIN = _f32(0x42B17218), _f32(0xC2CFF1B5)
_LOG2E, _MAGIC = _f32(0x3FB8AA3B), _f32(0x4B400000)
_LN2_HI, _LN2_LO = _f32(0xBF317200), _f32(0xB5BFBE8E)
_P0, _P1, _P2 = _f32(0x3F800000), _f32(0x3F39CBD5), _f32(0x3E7D4C58)
_P3, _P4, _P5 = _f32(0x3D517D8C), _f32(0x3BDD7159), _f32(0x3A053DD8)
_Q0, _Q1, _Q2 = _f32(0x3F800000), _f32(0xBE8C6857), _f32(0x3CB0E832)


@kernel
def exp_shifted(v, lo, hi, best):
    """v[lo:hi] = numpy's float32 exp of (v - best), bit for bit (every float32 was compared
    once), in place. Written without branches, so the loop runs on vectors."""
    zero = np.float32(0.0)
    u = v[lo:hi]  # indices from 0: the loop runs on vectors
    for c in range(u.shape[0]):
        x = u[c] - best
        nan = x != x
        big = x >= _XMAX
        small = x <= _XMIN
        x = zero if (nan | big | small) else x
        q = x * _LOG2E
        q = (q + _MAGIC) - _MAGIC  # rounded to the nearest integer
        r = _fma(q, _LN2_HI, x)
        r = _fma(q, _LN2_LO, r)
        r = _fma(q, zero, r)
        num = _fma(_P5, r, _P4)
        num = _fma(num, r, _P3)
        num = _fma(num, r, _P2)
        num = _fma(num, r, _P1)
        num = _fma(num, r, _P0)
        den = _fma(_Q2, r, _Q1)
        den = _fma(den, r, _Q0)
        poly = num / den
        # poly x 2^n: n added to the exponent, at most down to 2^-125; below that numpy
        # divides by 2 to the rest (1 elsewhere), the same number, rounded once, as the
        # product with 2 to minus the rest (at most 2^-25, a normal number) gives.
        n_hi = np.int32(max(q, np.float32(-125.0)))
        n_lo = np.int32(min(q - np.float32(-125.0), zero))
        y = _add_exponent(poly, n_hi)
        y = y * _add_exponent(np.float32(1.0), n_lo)
        y = np.float32(np.nan) if nan else y
        y = np.float32(np.inf) if big else y
        u[c] = zero if small else y


@part
def _best(v, lo, hi):
    """The highest of v[lo:hi] as a running maximum from v[lo] finds it (NaN where v[lo] is
    NaN, other NaNs passed over), kept in four lanes so the comparisons do not wait one on
    another. Where the highest is a zero, the lanes may keep +0 where the running maximum kept
    -0 or the reverse: a difference from it is the same but for the sign of a zero, whose exp
    is 1 either way."""
    best = v[lo]
    m0 = best
    m1 = best
    m2 = best
    m3 = best
    c = lo + 1
    while c + 4 <= hi:
        x0 = v[c]
        x1 = v[c + 1]
        x2 = v[c + 2]
        x3 = v[c + 3]
        m0 = x0 if x0 > m0 else m0
        m1 = x1 if x1 > m1 else m1
        m2 = x2 if x2 > m2 else m2
        m3 = x3 if x3 > m3 else m3
        c += 4
    while c < hi:
        x0 = v[c]
        m0 = x0 if x0 > m0 else m0
        c += 1
    m0 = m1 if m1 > m0 else m0
    m2 = m3 if m3 > m2 else m2
    return m2 if m2 > m0 else m0


@part
def _links(b, p_, q_, tr_, active, out):
    """out (A, A) bool: a clause instance (party p, ally q, treaty tr) in force links the
    pair, either way, in run b."""
    out[:, :] = False
    for i in range(p_.shape[0]):
        if active[b, tr_[i]]:
            out[p_[i], q_[i]] = True
            out[q_[i], p_[i]] = True


@part
def _read(
    b,
    n_assist,
    c_by,
    c_party,
    c_treaty,
    c_start,
    c_end,
    c_weight,
    stretch,
    p_com,
    p_treaty,
    p_by,
    p_weight,
    g_start,
    g_rows,
    risk,
    col_plain,
    col_attack,
    turn,
    war,
    attr,
    mil,
    ready,
    nuc,
    rung,
    cred,
    active,
    work,
):
    """Run b's reading of the commitments, as game.engine.commitments.read, set_off and
    answer_force give it (float64, then float32): each actor's coalition power ``own``, the
    force a move sets off from each rung with each target ``plain`` and ``attack`` (A, R),
    and the force each commitment's answer brings ``line``. The look-ahead products are summed
    row by row with fused multiply-adds, the order of the BLAS kernel numpy calls. ``work``
    holds the scratch and the results: (wars, pw, coal, eff, force, sp, own, plain, attack, line)."""
    wars, pw, coal, eff, force, sp, own, plain, attack, line = work
    n_a = pw.shape[0]
    n_r = col_plain.shape[0]
    n_d = risk.shape[1]
    for a in range(n_a):
        w = 0
        for t in range(n_a):
            if rung[b, a, t] >= war:
                w += 1
        wars[a] = w
        pw[a] = attr[b, a, mil] * (0.5 + attr[b, a, ready] / 200.0)
    for n in range(c_by.shape[0]):
        if n < n_assist:
            on = active[b, c_treaty[n]]
        else:
            on = c_start[n] <= turn and turn < c_end[n]
        eff[n] = cred[b, n] * stretch[wars[c_by[n]]] if on else 0.0
    for a in range(n_a):
        coal[a] = pw[a]
    for n in range(n_assist):
        coal[c_party[n]] += eff[n] * pw[c_by[n]]
    for a in range(n_a):
        own[a] = np.float32(coal[a])
    for n in range(c_by.shape[0]):
        q = c_by[n]
        line[n] = np.float32(eff[n] * pw[q] * (1.0 + nuc[b, q]) * c_weight[n])
    for j in range(p_by.shape[0]):
        q = p_by[j]
        if p_com[j] >= 0:
            c = eff[p_com[j]]
        else:
            c = 1.0 if active[b, p_treaty[j]] else 0.0
        force[j] = c * pw[q] * (1.0 + nuc[b, q]) * p_weight[j]
    for a in range(n_a):
        for d in range(n_d):
            sp[d] = 0.0
        for i in range(g_start[a], g_start[a + 1]):
            j = g_rows[i]
            fj = force[j]
            for d in range(n_d):
                sp[d] = _fma(fj, risk[j, d], sp[d])
        for r in range(n_r):
            plain[a, r] = np.float32(sp[col_plain[r]])
            attack[a, r] = np.float32(sp[col_attack[r]])


@kernel
def score_kernel(
    # tables
    cand_start,
    pass_bias,
    coef8,
    place,
    b_actor,
    b_start,
    b_nt,
    b_nk,
    b_toff,
    b_koff,
    b_tab,
    b_fit,
    targets,
    coef5,
    table,
    climb,
    fit,
    needs,
    hostile,
    h_c,
    h_gain,
    hc_start,
    h_floor,
    h_attack,
    line_start,
    line_k,
    line_n,
    open_start,
    open_k,
    open_m,
    gain,
    open_bonus,
    ally_start,
    ally_party,
    ally_tstart,
    ally_treaty,
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
    # the commitments (read when ``anticipate``)
    anticipate,
    n_assist,
    c_by,
    c_party,
    c_treaty,
    c_start,
    c_end,
    c_weight,
    stretch,
    p_com,
    p_treaty,
    p_by,
    p_weight,
    g_start,
    g_rows,
    risk,
    col_plain,
    col_attack,
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
    attr,
    mil,
    ready,
    nuc64,
    nuc,
    has_nuclear,
    cred,
    jump,
    has_jump,
    shift,
    out,
):
    """(B, C) float32 scores into ``out``; with ``shift``, numpy's float32 exp of each score
    less its actor's best (the softmax weights)."""
    n_b = rung.shape[0]
    n_a = rung.shape[1]
    n_r = place.shape[0]
    n_c = c_by.shape[0]
    zero = np.float32(0.0)
    one = np.float32(1.0)
    half = np.float32(0.5)
    hundred = np.float32(100.0)
    eps = np.float32(1e-6)
    ratio = np.zeros(max(1, h_floor.shape[0]), dtype=np.float32)
    ninf = np.float32(-np.inf)
    tech = np.zeros((n_a, n_a), dtype=np.bool_)
    nha = np.zeros((n_a, n_a), dtype=np.bool_)
    worst = np.zeros(n_a, dtype=np.int64)
    conv = np.zeros(n_a, dtype=np.float32)
    wars = np.zeros(n_a, dtype=np.int64)
    pw = np.zeros(n_a, dtype=np.float64)
    coal = np.zeros(n_a, dtype=np.float64)
    eff = np.zeros(n_c, dtype=np.float64)
    force = np.zeros(p_by.shape[0], dtype=np.float64)
    sp = np.zeros(risk.shape[1], dtype=np.float64)
    own = np.zeros(n_a, dtype=np.float32)
    plain = np.zeros((n_a, n_r), dtype=np.float32)
    attack = np.zeros((n_a, n_r), dtype=np.float32)
    line = np.zeros(n_c, dtype=np.float32)
    work = (wars, pw, coal, eff, force, sp, own, plain, attack, line)
    finite = True  # every action weight is finite
    for j in range(coef5.shape[0]):
        for kk in range(coef5.shape[1]):
            finite = finite and np.isfinite(coef5[j, kk])
    c0s = coef5[0]
    c1s = coef5[1]
    c2s = coef5[2]
    c3s = coef5[3]
    c4s = coef5[4]
    ally_on = np.zeros(max(1, ally_party.shape[0]), dtype=np.bool_)
    for b in range(n_b):
        ob = out[b]
        if b + 1 < n_b:
            # The next run's pairs arrive while this run is scored: each pair row reads a few
            # entries of each (A, A) block, scattered over it, which the processor does not
            # see coming (at 16 actors a run's blocks are 7 KB, four times the 8-actor ones).
            _prefetch_block(rung, b + 1)
            _prefetch_block(tension, b + 1)
            _prefetch_block(last_hostility, b + 1)
            _prefetch_block(aggressor, b + 1)
            _prefetch_block(coord, b + 1)
            _prefetch_block(stance, b + 1)
            _prefetch_block(attr, b + 1)
        # Which of the partners' treaties are in force in the run.
        for j in range(ally_party.shape[0]):
            on = False
            for i in range(ally_tstart[j], ally_tstart[j + 1]):
                on |= active[b, ally_treaty[i]]
            ally_on[j] = on
        if has_tech:
            _links(b, tech_p, tech_q, tech_tr, active, tech)
        if has_nha:
            _links(b, nha_p, nha_q, nha_tr, active, nha)
        if anticipate:
            _read(
                b, n_assist, c_by, c_party, c_treaty, c_start, c_end, c_weight, stretch,
                p_com, p_treaty, p_by, p_weight, g_start, g_rows, risk, col_plain,
                col_attack, turn, war, attr, mil, ready, nuc64, rung, cred, active, work,
            )  # fmt: skip
        for t in range(n_a):
            w = rung[b, t, 0]
            for j in range(1, n_a):
                if rung[b, t, j] > w:
                    w = rung[b, t, j]
            worst[t] = w
            conv[t] = np.float32(attr[b, t, mil] * (0.5 + attr[b, t, ready] / 200.0))
        for a in range(n_a):
            ob[cand_start[a]] = pass_bias[a]
        jb = jump[b] if has_jump else zero
        for bi in range(b_actor.shape[0]):
            # Unsigned actors, targets and rungs: numba indexes with them as they are, where
            # a signed index is first checked for counting from the end.
            a = np.uint64(b_actor[bi])
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
            own_a = own[a]
            fo = b_fit[bi]
            cs = hc_start[bi]
            ce = hc_start[bi + 1]
            for ti in range(b_nt[bi]):
                pr = b_toff[bi] + ti
                t = np.uint64(targets[pr])
                r_now = rung[b, a, t]
                r = np.uint64(r_now)
                # The pair's five doctrine-weighted features (game.ai.policy's docstring).
                ten = np.float32(tension[b, a, t]) / hundred
                lh = last_hostility[b, t, a]
                if not (lh >= 0.0 or np.isnan(lh)):
                    lh = 0.0
                prov = np.float32(lh) + (one if aggressor[b, a, t] else zero)
                f0 = c0 * ten + c1 * place[r] + c2 * prov
                # The highest rung the target holds against a partner of a treaty in force
                # (0 with none: rungs are never below 0).
                thr = 0
                for j in range(ally_start[a], ally_start[a + np.uint64(1)]):
                    x = rung[b, ally_party[j], t]
                    if ally_on[j] and x > thr:
                        thr = x
                if a == t:
                    thr = 0
                f1 = c3 * (one if coord[b, a, t] > 0 else zero) + c4 * place[np.uint64(thr)]
                share = conv[t] / (conv[t] + conv[a] + eps)
                f2 = -c5 * (half * share + half * nuc[b, t])
                at_war = r_now >= war
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
                # A feature of 0 (either sign) times a finite weight adds a zero, which leaves
                # a sum from +0 as it is (such a sum is never -0): those products are skipped.
                f1_on = f1 != zero or not finite
                war_on = f3 != zero or f4 != zero or not finite
                # Anticipation of what a hostile move sets off: the force's share of the
                # balance, once per (floor, attack) pair of the block. The force grows with
                # the rung the move leaves the pair on, the higher of the pair's rung now and
                # the move's floor.
                if ce > cs:
                    now_p = plain[t, r]
                    now_a = attack[t, r]
                    for ci in range(cs, ce):
                        fl = h_floor[ci]
                        if h_attack[ci]:
                            fc = max(now_a, attack[t, fl])
                        else:
                            fc = max(now_p, plain[t, fl])
                        ratio[ci - cs] = fc / (fc + own_a + eps)
                row = np.uint64(b_tab[bi] + (ti * n_r + r_now) * n_k)
                base = np.uint64(b_start[bi] + ti * n_k)
                fr = np.uint64(fo + stance[b, a, t] * n_k)  # read only where fo >= 0
                for k in range(np.uint64(n_k)):
                    kk = np.uint64(ko) + k
                    tab_k = table[row + k]
                    if tab_k == ninf or (needs[kk] & unmet) != 0 or (bound and hostile[kk]):
                        ob[base + k] = ninf
                        continue
                    if n_k > 1:
                        s = zero + f0 * c0s[kk]
                        if f1_on:
                            s = s + f1 * c1s[kk]
                        s = s + f2 * c2s[kk]
                        if war_on:
                            s = s + f3 * c3s[kk]
                            s = s + f4 * c4s[kk]
                    else:
                        p0 = f0 * c0s[kk]
                        p4 = f4 * c4s[kk]
                        s = zero + (((p0 + p4) + f1 * c1s[kk]) + (f2 * c2s[kk] + f3 * c3s[kk]))
                    s = s + tab_k
                    if fo >= 0:
                        s = s + fit[fr + k]
                    if has_jump:
                        s = s - jb * climb[row + k]
                    hc = h_c[kk]
                    if hc >= 0 and s != ninf:
                        s = s - ratio[hc] * h_gain[kk]
                    ob[base + k] = s
                # Red lines crossed, moves opened.
                for i in range(line_start[pr], line_start[pr + 1]):
                    k = base + line_k[i]
                    if ob[k] != ninf:
                        f = line[line_n[i]]
                        ob[k] = ob[k] - g * f / (f + own_a + eps)
                for i in range(open_start[pr], open_start[pr + 1]):
                    k = base + open_k[i]
                    if ob[k] != ninf:
                        on = opened_until[b, open_m[i]] > turn
                        ob[k] = ob[k] + (open_bonus[a] if on else zero)
        if shift:
            # The exp of each score less its actor's best.
            for a in range(n_a):
                lo = cand_start[a]
                hi = cand_start[a + 1]
                exp_shifted(ob, lo, hi, _best(ob, lo, hi))


@kernel
def draw_kernel(
    w,
    cand_start,
    keys,
    counter,
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
    counter_sig,
):
    """Each actor's main move into ``moves`` (with ``draw_main``; else ``moves`` holds them)
    and, when ``signals`` has rows, its signal move: the candidate whose running sum over the
    run's weights ``w`` first passes the actor's uniform times its block's total. The uniforms
    are ``rng.uniforms`` of the run's key at ``counter`` (main) and ``counter_sig`` (signal),
    actor a's at the counter plus a, in float32."""
    n_b = w.shape[0]
    n_a = cand_start.shape[0] - 1
    zero = np.float32(0.0)
    width = 1
    for a in range(n_a):
        width = max(width, cand_start[a + 1] - cand_start[a])
    cum = np.empty(width, dtype=np.float32)
    cum1 = np.empty(width, dtype=np.float32)
    for b in range(n_b):
        if draw_main and b % 2 == 0:
            # Runs b and b1 side by side: each running sum is a chain of additions, in the
            # run's own order, and two chains keep the processor busy where one waits.
            b1 = min(b + 1, n_b - 1)
            run = zero
            run1 = zero
            for a in range(n_a):
                lo = cand_start[a]
                hi = cand_start[a + 1]
                before = run
                before1 = run1
                for c in range(lo, hi):
                    run += w[b, c]
                    cum[c - lo] = run
                    run1 += w[b1, c]
                    cum1[c - lo] = run1
                u = np.float32(_uniform(keys[b], counter + np.uint64(a)))
                thr = before + u * (run - before)
                u1 = np.float32(_uniform(keys[b1], counter + np.uint64(a)))
                thr1 = before1 + u1 * (run1 - before1)
                n = 0
                n1 = 0
                for c in range(hi - lo):
                    n += 1 if cum[c] <= thr else 0
                    n1 += 1 if cum1[c] <= thr1 else 0
                moves[b, a] = lo + min(n, hi - lo - 1)
                moves[b1, a] = lo + min(n1, hi - lo - 1)
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
            u = np.float32(_uniform(keys[b], counter_sig + np.uint64(a)))
            thr = before + u * (run - before)
            n = 0
            for j in range(hi - lo):
                if cum[j] <= thr:
                    n += 1
            signals[b, a] = sig_cand[lo + min(n, hi - lo - 1)]
