"""The AI's month as two compiled kernels: scoring every candidate move, and the draws.

``score_kernel`` scores LANES runs side by side (16 with AVX-512, else 8), one in each lane of
a float32 vector (``game.engine.lanes``), and loops over each actor's move blocks, targets and
actions: each candidate's score from the state as the doctrine policy defines it
(``game.ai.policy``): the five doctrine-weighted pair features of the (mover, target) pair,
their product with the action's weights, the block's table row at the pair's current rung, the
stance, the run's own ``ai.jump``, the anticipation of what the move sets off through the
commitments in force, the moves an answer to a red line has opened, and -inf where a
run-dependent cause of ``game.engine.legality`` closes the move. A pair's features are worked
out run by run into the lanes; the candidates of the pair are then scored in all the lanes at
once, each lane reading the block's table at its own run's rung. Only the pairs that have
candidates are computed, and nothing larger than LANES runs' scores is built. Each run first
reads its commitments as ``game.engine.commitments`` defines it (``read``, ``set_off``,
``answer_force``; :func:`_read_lanes`), and with ``shift`` the scores end as the softmax
weights: numpy's float32 exp of each score less its actor's best (:func:`_softmax_lanes`).

``draw_kernel`` draws each actor's main move from the softmax weights by the running sum over
every candidate of the run, then its signal move (``game.ai.signal``) the same way, each with
the actor's counter-based uniform of the month (``game.engine.rng.uniforms``, computed there).
The weights stay in the score kernel's lanes, (groups of LANES runs, candidates, lanes), and
the draws run in them too (:func:`weight_rows` sets them out one row per run). The AI's month
draws inside the score kernel instead, each group of LANES runs as soon as its weights are
made (:func:`_draw_group`, the draw kernel's own loop body): the weights of a group, tens of
kilobytes, are still in the processor's cache, where a batch's, megabytes, would be written
out and read back.

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
row by row with fused multiply-adds from zero, and so does :func:`_read_lanes` (for batches of four
rows or more; OpenBLAS sums the last one to three rows of a batch, and a batch of one, in
another order, so there the float64 force may differ in its last bit, which the float32 the
AI reads all but never shows). A run's scores and moves read only that run's row of each
array, and a lane computes only from its own run, so they do not depend on the batch around
it (the lanes past a batch's last run score that run again, and are not written).

The flat index tables the kernels read are built once per ``Params`` (:func:`tables`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.engine import lanes as V
from game.engine import tempo
from game.engine.jit import kernel, part
from game.engine.move_kernels import _ahead, _prefetch_block
from game.engine.names import NEED, NEEDS
from game.engine.rng_kernels import draw as _uniform

from .moves import REFERENCE_TOP

_F32 = np.float32
_LANES = V.LANES  # runs scored side by side, one in each lane of a vector
LANES = _LANES
_N_NEEDS = len(NEEDS)
if 2 * _N_NEEDS > 63:  # the score kernel packs a state's causes as target and as mover in one int64
    raise RuntimeError(f"{_N_NEEDS} closing causes do not fit twice in a 64-bit word")
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
    # (R,) float32 where each rung places a pair: its position on the reference ladder over
    # REFERENCE_TOP, or the rung over the top rung
    place: np.ndarray
    # Move blocks, in Params.move_blocks order: (NB,) each
    b_actor: np.ndarray
    b_start: np.ndarray  # first candidate
    b_nt: np.ndarray  # targets
    b_nk: np.ndarray  # actions
    b_toff: np.ndarray  # offset into targets
    b_koff: np.ndarray  # offset into the per-action arrays
    b_tab: np.ndarray  # offset into table / climb (T, R, K each)
    b_fit: np.ndarray  # offset into fit (S, K), -1: the stance does not shape the block
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


def _padded(x: np.ndarray) -> np.ndarray:
    """x and LANES - 1 zeros past its end: a lane reads LANES consecutive entries from any
    place (``lanes.gather_rows``)."""
    return np.concatenate([x, np.zeros(_LANES - 1, dtype=x.dtype)])


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


_EXACT_F32 = 1 << 24  # the integers a float32 holds exactly


def build(params) -> Tables:
    """The kernels' tables of a compiled scenario."""
    from game.engine.legality import threat_rung

    blocks = params.move_blocks
    com = params.commit
    rules = params.stance
    stance_on = rules is not None and rules.on
    n_r = len(params.rung_ids)
    n_a = params.n_actors
    if len(params.cand_action) >= _EXACT_F32:
        raise ValueError("too many candidate moves: the draw compares their indices in float32")
    if params.rung_position is not None:
        pos = params.rung_position.astype(_F32)
        pos_div = float(REFERENCE_TOP)
    else:
        pos = np.arange(n_r, dtype=_F32)
        pos_div = float(max(n_r - 1, 1))
    gain = com.anticipation.astype(_F32)
    reading = _reading(params)
    arr = {k: [] for k in ("actor", "start", "nt", "nk", "toff", "koff", "tab", "fit")}
    weighing = False  # some block weighs anticipation
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
        weighing |= weighs
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
        place=pos / _F32(pos_div),
        b_actor=np.array(arr["actor"], dtype=i64),
        b_start=np.array(arr["start"], dtype=i64),
        b_nt=np.array(arr["nt"], dtype=i64),
        b_nk=np.array(arr["nk"], dtype=i64),
        b_toff=np.array(arr["toff"], dtype=i64),
        b_koff=np.array(arr["koff"], dtype=i64),
        b_tab=np.array(arr["tab"], dtype=i64),
        b_fit=np.array(arr["fit"], dtype=i64),
        targets=cat(targets, i64),
        coef=coef_all,
        coef5=np.ascontiguousarray(coef_all.T),
        table=_padded(cat(table, _F32)),
        climb=_padded(cat(climb, _F32)),
        fit=_padded(cat(fit, _F32)),
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
        reading=reading,
        commitments=weighing,
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
def exp_shifted(v, lo, hi, best):
    """v[lo:hi] = numpy's float32 exp of (v - best), in place, LANES at a time."""
    buf = np.zeros((1, _LANES), dtype=np.float32)
    shift = V.splat(best)
    for c0 in range(lo, hi, _LANES):
        n = min(_LANES, hi - c0)
        for j in range(n):
            buf[0, j] = v[c0 + j]
        V.store(buf, 0, V.exp(V.sub(V.load(buf, 0), shift)))
        for j in range(n):
            v[c0 + j] = buf[0, j]


@part
def _softmax_lanes(tile, lo, hi):
    """tile[lo:hi, l] = numpy's float32 exp of each score less the lane's best: its running
    maximum from tile[lo, l] (NaN where that is NaN, other NaNs passed over), every lane at
    once."""
    best = V.load(tile, lo)
    for c in range(lo + 1, hi):
        x = V.load(tile, c)
        best = V.select(V.gt(x, best), x, best)
    # A candidate closed in every lane weighs +0 in each, without the exp: -inf less a best
    # that is neither NaN nor -inf is -inf.
    ninf = V.splat(np.float32(-np.inf))
    skip = not V.some(V.either(V.ne(best, best), V.eq(best, ninf)))
    for c in range(lo, hi):
        x = V.load(tile, c)
        if skip and V.every(V.eq(x, ninf)):
            V.store(tile, c, V.splat(np.float32(0.0)))
        else:
            V.store(tile, c, V.exp(V.sub(x, best)))


@kernel
def softmax_lanes(tile, lo, hi):
    """:func:`_softmax_lanes` on its own (for the tests)."""
    _softmax_lanes(tile, lo, hi)


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
def _read_lanes(
    runs,
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
    nuc,
    cred,
    active,
    work,
):
    """The reading of the commitments of the runs ``runs``, one in each lane, as
    game.engine.commitments.read, set_off and answer_force give it (float64, then float32):
    each actor's coalition power ``own``, the force a move sets off from each rung with each
    target ``plain`` and ``attack`` (rows t * R + r), and the force each commitment's answer
    brings ``line``. The look-ahead products are summed row by row with fused multiply-adds,
    the order of the BLAS kernel numpy calls. ``work`` holds the scratch, what the caller
    worked out of each run (``wars``, each state's wars, and ``pw``, its conventional power)
    and the results: (wars, pw, coal, eff, force, sp, nuc_l, own, plain, attack, line)."""
    wars, pw, coal, eff, force, sp, nuc_l, own, plain, attack, line = work
    n_a = pw.shape[0]
    n_r = col_plain.shape[0]
    n_d = risk.shape[1]
    n_c = c_by.shape[0]
    one = V.splat(1.0)
    zero = V.splat(0.0)
    # What each run holds, lane by lane.
    for ln in range(runs.shape[0]):
        b = runs[ln]
        for a in range(n_a):
            nuc_l[a, ln] = nuc[b, a]
        for n in range(n_c):
            if n < n_assist:
                on = active[b, c_treaty[n]]
            else:
                on = c_start[n] <= turn and turn < c_end[n]
            eff[n, ln] = cred[b, n] * stretch[wars[c_by[n], ln]] if on else 0.0
        for j in range(p_by.shape[0]):
            if p_com[j] < 0:  # a consultation's row: its treaty in force or not
                force[j, ln] = 1.0 if active[b, p_treaty[j]] else 0.0
    # The sums, every lane at once.
    for a in range(n_a):
        V.store(coal, a, V.load(pw, a))
    for n in range(n_assist):
        p = c_party[n]
        V.store(coal, p, V.add(V.load(coal, p), V.mul(V.load(eff, n), V.load(pw, c_by[n]))))
    for a in range(n_a):
        V.store(own, a, V.narrow(V.load(coal, a)))
    for n in range(n_c):
        q = c_by[n]
        x = V.mul(V.mul(V.load(eff, n), V.load(pw, q)), V.add(one, V.load(nuc_l, q)))
        V.store(line, n, V.narrow(V.mul(x, V.splat(c_weight[n]))))
    for j in range(p_by.shape[0]):
        q = p_by[j]
        c = V.load(eff, p_com[j]) if p_com[j] >= 0 else V.load(force, j)
        x = V.mul(V.mul(c, V.load(pw, q)), V.add(one, V.load(nuc_l, q)))
        V.store(force, j, V.mul(x, V.splat(p_weight[j])))
    for a in range(n_a):
        for d in range(n_d):
            V.store(sp, d, zero)
        for i in range(g_start[a], g_start[a + 1]):
            j = g_rows[i]
            fj = V.load(force, j)
            for d in range(n_d):
                V.store(sp, d, V.fma(fj, V.splat(risk[j, d]), V.load(sp, d)))
        for r in range(n_r):
            V.store(plain, a * n_r + r, V.narrow(V.load(sp, col_plain[r])))
            V.store(attack, a * n_r + r, V.narrow(V.load(sp, col_attack[r])))


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
    tiles,
    # the draws (read when ``draw``): draw_kernel's ``draws``
    draw,
    draws,
):
    """(B, C) float32 scores into ``out``; with ``shift``, numpy's float32 exp of each score
    less its actor's best (the softmax weights) into ``tiles`` instead, in the layout the draw
    reads: (groups of LANES runs, C, LANES), run g * LANES + l's weights in lane l of group g
    (:func:`weight_rows` gives them as (B, C)). With ``draw`` too, each group's moves are drawn
    from its weights as soon as they are made (into the moves and signals of ``draws``, as
    :func:`draw_kernel` does), while they are in the processor's cache; ``tiles`` may then
    have no groups, and the weights are not kept."""
    n_b = rung.shape[0]
    n_a = rung.shape[1]
    n_r = place.shape[0]
    n_c = c_by.shape[0]
    n_l = _LANES
    zero = np.float32(0.0)
    one = np.float32(1.0)
    half = np.float32(0.5)
    hundred = np.float32(100.0)
    eps = np.float32(1e-6)
    ninf = np.float32(-np.inf)
    # The commitments' reading in lanes (float64 scratch, then the float32 results below).
    wars = np.zeros((n_a, n_l), dtype=np.int64)  # the wars each state fights
    pw = np.zeros((n_a, n_l), dtype=np.float64)
    coal = np.zeros((n_a, n_l), dtype=np.float64)
    eff = np.zeros((max(1, n_c), n_l), dtype=np.float64)
    force = np.zeros((max(1, p_by.shape[0]), n_l), dtype=np.float64)
    sp = np.zeros((max(1, risk.shape[1]), n_l), dtype=np.float64)
    nuc_l = np.zeros((n_a, n_l), dtype=np.float64)
    # The tiles: each run of the group in its own lane, the last axis.
    runs = np.zeros(n_l, dtype=np.int64)
    n_cand = tiles.shape[1] if shift else out.shape[1]
    keep = shift and tiles.shape[0] > 0  # the weights are kept in ``tiles``
    room = _draw_room(cand_start)
    scratch = np.empty((n_cand, n_l), dtype=np.float32)
    own = np.zeros((n_a, n_l), dtype=np.float32)
    plain = np.zeros((n_a * n_r, n_l), dtype=np.float32)  # row t * n_r + r
    attack = np.zeros((n_a * n_r, n_l), dtype=np.float32)
    now = np.zeros((2, n_l), dtype=np.float32)  # a pair's force now, plain and armed attack
    line = np.zeros((max(1, n_c), n_l), dtype=np.float32)
    ratio = np.zeros((max(1, h_floor.shape[0]), n_l), dtype=np.float32)
    ally_on = np.zeros((max(1, ally_party.shape[0]), n_l), dtype=np.bool_)
    tech = np.zeros((n_l, n_a, n_a), dtype=np.bool_)
    nha = np.zeros((n_l, n_a, n_a), dtype=np.bool_)
    # Each state's causes that close moves against it (the low bits) and moves by it (the high).
    closing = np.zeros((n_a, n_l), dtype=np.int64)
    conv = np.zeros((n_a, n_l), dtype=np.float32)
    nuc32 = np.zeros((n_a, n_l), dtype=np.float32)
    jb = np.zeros((1, n_l), dtype=np.float32)
    # A pair's features, closing causes and table rows in each lane
    raw = np.zeros((6, n_l), dtype=np.float32)  # what the features are made of
    threat = np.zeros((1, n_l), dtype=np.float32)  # the target's rung against the partners
    rungs = np.zeros((n_a * n_a, n_l), dtype=np.float32)  # each pair's rung [i * A + j], lanes
    # The states whose rows of ``rungs`` the threats read: the partners (the other rows are
    # never written).
    partner = np.zeros(n_a, dtype=np.bool_)
    for j in range(ally_party.shape[0]):
        partner[ally_party[j]] = True
    unmet = np.zeros((1, n_l), dtype=np.int64)
    bound = np.zeros((1, n_l), dtype=np.bool_)
    row = np.zeros((1, n_l), dtype=np.uint64)
    fr = np.zeros((1, n_l), dtype=np.uint64)
    opened = np.zeros((1, n_l), dtype=np.bool_)
    tabs = np.zeros((n_l, n_l), dtype=np.float32)  # LANES candidates' table entries
    fits = np.zeros((n_l, n_l), dtype=np.float32)
    climbs = np.zeros((n_l, n_l), dtype=np.float32)
    # The (B, A, A) arrays flat: a pair's entry of every array at one index.
    nu = np.uint64(n_a)
    aa = nu * nu
    rung_f = rung.reshape(-1)
    tension_f = tension.reshape(-1)
    hostility_f = last_hostility.reshape(-1)
    aggressor_f = aggressor.reshape(-1)
    coord_f = coord.reshape(-1)
    stance_f = stance.reshape(-1)
    v_ninf = V.splat(ninf)
    v_zero = V.splat(zero)
    v_eps = V.splat(eps)
    v_half = V.splat(half)
    v_hundred = V.splat(hundred)
    c0s = coef5[0]
    c1s = coef5[1]
    c2s = coef5[2]
    c3s = coef5[3]
    c4s = coef5[4]
    ahead = _ahead(n_a)
    for g0 in range(0, n_b, n_l):
        tile = tiles[g0 // n_l] if keep else scratch
        for ln in range(n_l):
            # Lanes past the last run score the last run again, and are not written.
            b = min(g0 + ln, n_b - 1)
            runs[ln] = b
            # The next group's runs arrive while this group is scored: a pair reads a few
            # entries of each (A, A) block of each run, which the processor does not see coming
            # in the larger states (game.engine.move_kernels._AHEAD_BYTES).
            if ahead:
                nxt = min(g0 + n_l + ln, n_b - 1)
                _prefetch_block(rung, nxt)
                _prefetch_block(tension, nxt)
                _prefetch_block(last_hostility, nxt)
                _prefetch_block(aggressor, nxt)
                _prefetch_block(coord, nxt)
                _prefetch_block(stance, nxt)
                _prefetch_block(attr, nxt)
            # Which of the partners' treaties are in force in the run.
            for j in range(ally_party.shape[0]):
                on = False
                for i in range(ally_tstart[j], ally_tstart[j + 1]):
                    on |= active[b, ally_treaty[i]]
                ally_on[j, ln] = on
            if has_tech:
                _links(b, tech_p, tech_q, tech_tr, active, tech[ln])
            if has_nha:
                _links(b, nha_p, nha_q, nha_tr, active, nha[ln])
            for t in range(n_a):
                # The highest rung of each state, and the wars it fights.
                w = rung[b, t, 0]
                n = 0
                for j in range(n_a):
                    x = rung[b, t, j]
                    w = max(w, x)
                    n += 1 if x >= war else 0
                if partner[t]:
                    for j in range(n_a):
                        rungs[t * n_a + j, ln] = np.float32(rung[b, t, j])
                # The state's causes that close moves: against it as the target (its rungs),
                # and by it as the mover (shifted up: no warheads).
                ub = 0
                if w < threat_level:
                    ub |= 1 << _THREATENED
                if w < war:
                    ub |= 1 << _TARGET_AT_WAR
                if not has_nuclear[b, t]:
                    ub |= 1 << (_N_NEEDS + _NUCLEAR)
                closing[t, ln] = ub
                wars[t, ln] = n
                nuc32[t, ln] = nuc[b, t]  # its nuclear feature
                # Conventional power: the commitments' reading sums it in float64, the
                # features take its float32.
                power = attr[b, t, mil] * (0.5 + attr[b, t, ready] / 200.0)
                pw[t, ln] = power
                conv[t, ln] = np.float32(power)
            jb[0, ln] = jump[b] if has_jump else zero
        if anticipate:
            _read_lanes(
                runs, n_assist, c_by, c_party, c_treaty, c_start, c_end, c_weight, stretch,
                p_com, p_treaty, p_by, p_weight, g_start, g_rows, risk, col_plain, col_attack,
                turn, nuc64, cred, active,
                (wars, pw, coal, eff, force, sp, nuc_l, own, plain, attack, line),
            )  # fmt: skip
        for a in range(n_a):
            for ln in range(n_l):
                tile[cand_start[a], ln] = pass_bias[a]
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
            v_c0 = V.splat(c0)
            v_c1 = V.splat(c1)
            v_c2 = V.splat(c2)
            v_c3 = V.splat(c3)
            v_c4 = V.splat(c4)
            v_c5 = V.splat(-c5)
            v_c6 = V.splat(c6)
            v_c7 = V.splat(c7)
            g = gain[a]
            fo = b_fit[bi]
            cs = hc_start[bi]
            ce = hc_start[bi + 1]
            for ti in range(b_nt[bi]):
                pr = b_toff[bi] + ti
                t = np.uint64(targets[pr])
                base = np.uint64(b_start[bi] + ti * n_k)
                # The highest rung the target holds against a partner of a treaty in force
                # (0 with none: rungs are never below 0).
                th = v_zero
                for j in range(ally_start[a], ally_start[a + np.uint64(1)]):
                    x = V.load(rungs, ally_party[j] * n_a + t)
                    th = V.select(V.both(V.load_mask(ally_on, j), V.gt(x, th)), x, th)
                V.store(threat, 0, th)
                for ln in range(n_l):
                    b = runs[ln]
                    at_ = np.uint64(b) * aa + a * nu + t  # the pair's place in a run's block
                    ta_ = np.uint64(b) * aa + t * nu + a  # and its mirror's
                    r_now = rung_f[at_]
                    r = np.uint64(r_now)
                    # What the pair's five doctrine-weighted features are made of, worked out in
                    # lanes below (game.ai.policy's docstring).
                    raw[0, ln] = np.float32(tension_f[at_])
                    raw[1, ln] = place[r]
                    lh = hostility_f[ta_]
                    if not (lh >= 0.0 or np.isnan(lh)):
                        lh = 0.0
                    agg = aggressor_f[at_]
                    raw[2, ln] = np.float32(lh) + (one if agg else zero)
                    raw[3, ln] = one if coord_f[at_] > 0 else zero
                    raw[4, ln] = place[np.uint64(0 if a == t else np.int64(threat[0, ln]))]
                    at_war = r_now >= war
                    raw[5, ln] = one if at_war else zero
                    # The run-dependent causes that close moves (game.engine.legality.failures):
                    # the target's and the mover's, then the pair's.
                    u = (closing[t, ln] & ((1 << _N_NEEDS) - 1)) | (closing[a, ln] >> _N_NEEDS)
                    if not tech[ln, a, t]:
                        u |= 1 << _TECH
                    if at_war:
                        u |= 1 << _NOT_AT_WAR
                    else:
                        u |= 1 << _AT_WAR
                    if not agg:
                        u |= 1 << _ATTACKED
                    unmet[0, ln] = u
                    bound[0, ln] = has_nha and nha[ln, a, t]
                    row[0, ln] = b_tab[bi] + (ti * n_r + r_now) * n_k
                    fr[0, ln] = fo + stance_f[at_] * n_k if fo >= 0 else 0
                    if ce > cs:  # read only by the block's anticipation, below
                        now[0, ln] = plain[t * n_r + r, ln]
                        now[1, ln] = attack[t * n_r + r, ln]
                # The pair's five features in every lane.
                ten = V.div(V.load(raw, 0), v_hundred)
                f0 = V.add(
                    V.add(V.mul(v_c0, ten), V.mul(v_c1, V.load(raw, 1))),
                    V.mul(v_c2, V.load(raw, 2)),
                )
                f1 = V.add(V.mul(v_c3, V.load(raw, 3)), V.mul(v_c4, V.load(raw, 4)))
                conv_t = V.load(conv, t)
                share = V.div(conv_t, V.add(V.add(conv_t, V.load(conv, a)), v_eps))
                f2 = V.mul(v_c5, V.add(V.mul(v_half, share), V.mul(v_half, V.load(nuc32, t))))
                wf = V.load(raw, 5)
                f3 = V.mul(v_c6, wf)
                f4 = V.mul(v_c7, wf)
                # Anticipation of what a hostile move sets off: the force's share of the
                # balance, once per (floor, attack) pair of the block. The force grows with
                # the rung the move leaves the pair on, the higher of the pair's rung now and
                # the move's floor.
                if ce > cs:
                    own_t = V.load(own, a)
                    now_p = V.load(now, 0)
                    now_a = V.load(now, 1)
                    for ci in range(cs, ce):
                        at = t * n_r + h_floor[ci]
                        if h_attack[ci]:
                            x = V.load(attack, at)
                            fc = V.select(V.gt(x, now_a), x, now_a)
                        else:
                            x = V.load(plain, at)
                            fc = V.select(V.gt(x, now_p), x, now_p)
                        V.store(ratio, ci - cs, V.div(fc, V.add(V.add(fc, own_t), v_eps)))
                # Each candidate in every lane at once. A product with a feature of 0 adds a
                # zero, which leaves a sum from +0 as it is (such a sum is never -0).
                bd = V.load_mask(bound, 0)
                jv = V.load(jb, 0)
                # Whether every lane reads the same table rows (the pair on one rung and
                # stance in all of the group's runs, about three pairs in five of the default
                # scenario's groups): then each entry is read once, for every lane, in place
                # of the rows gathered and turned into lanes.
                row0 = row[0, 0]
                fr0 = fr[0, 0]
                uni = True
                for ln in range(1, n_l):
                    uni &= (row[0, ln] == row0) & (fr[0, ln] == fr0)
                for k in range(np.uint64(n_k)):
                    kk = np.uint64(ko) + k
                    j = k % np.uint64(n_l)
                    if uni:
                        tab_k = V.splat(table[row0 + k])
                    else:
                        if j == 0:
                            # The next LANES candidates' entries of each lane's table rows.
                            V.gather_rows(table, row, 0, k, tabs)
                            if fo >= 0:
                                V.gather_rows(fit, fr, 0, k, fits)
                            if has_jump:
                                V.gather_rows(climb, row, 0, k, climbs)
                        tab_k = V.load(tabs, j)
                    closed = V.either(V.eq(tab_k, v_ninf), V.any_bits(unmet, 0, needs[kk]))
                    closed = V.either(closed, V.both(bd, V.mask_if(hostile[kk])))
                    if V.every(closed):
                        # Closed in every lane (about a third of the candidates are): -inf,
                        # whatever the score.
                        V.store(tile, base + k, v_ninf)
                        continue
                    w0 = V.splat(c0s[kk])
                    w1 = V.splat(c1s[kk])
                    w2 = V.splat(c2s[kk])
                    w3 = V.splat(c3s[kk])
                    w4 = V.splat(c4s[kk])
                    if n_k > 1:
                        s = V.add(v_zero, V.mul(f0, w0))
                        s = V.add(s, V.mul(f1, w1))
                        s = V.add(s, V.mul(f2, w2))
                        s = V.add(s, V.mul(f3, w3))
                        s = V.add(s, V.mul(f4, w4))
                    else:
                        p04 = V.add(V.mul(f0, w0), V.mul(f4, w4))
                        p23 = V.add(V.mul(f2, w2), V.mul(f3, w3))
                        s = V.add(v_zero, V.add(V.add(p04, V.mul(f1, w1)), p23))
                    s = V.add(s, tab_k)
                    if fo >= 0:
                        s = V.add(s, V.splat(fit[fr0 + k]) if uni else V.load(fits, j))
                    if has_jump:
                        cl = V.splat(climb[row0 + k]) if uni else V.load(climbs, j)
                        s = V.sub(s, V.mul(jv, cl))
                    hc = h_c[kk]
                    if hc >= 0:
                        less = V.sub(s, V.mul(V.load(ratio, hc), V.splat(h_gain[kk])))
                        s = V.select(V.ne(s, v_ninf), less, s)
                    V.store(tile, base + k, V.select(closed, v_ninf, s))
                # Red lines crossed, moves opened.
                own_a = V.load(own, a)
                g_v = V.splat(g)
                ob_v = V.splat(open_bonus[a])
                for i in range(line_start[pr], line_start[pr + 1]):
                    ck = base + line_k[i]
                    f = V.load(line, line_n[i])
                    x = V.load(tile, ck)
                    less = V.sub(x, V.div(V.mul(g_v, f), V.add(V.add(f, own_a), v_eps)))
                    V.store(tile, ck, V.select(V.ne(x, v_ninf), less, x))
                for i in range(open_start[pr], open_start[pr + 1]):
                    ck = base + open_k[i]
                    m = open_m[i]
                    for ln in range(n_l):
                        opened[0, ln] = opened_until[runs[ln], m] > turn
                    x = V.load(tile, ck)
                    more = V.add(x, V.select(V.load_mask(opened, 0), ob_v, v_zero))
                    V.store(tile, ck, V.select(V.ne(x, v_ninf), more, x))
        if shift:
            # The exp of each score less its actor's best: the weights stay in their lanes.
            for a in range(n_a):
                _softmax_lanes(tile, cand_start[a], cand_start[a + 1])
            if draw:
                _draw_group(tile, g0, n_b, cand_start, True, rung, war, draws, room)
            continue
        # Each lane's scores into its run's row: LANES rows at a time, the rest one by one.
        n_w = min(n_l, n_b - g0)
        whole = n_cand - n_cand % n_l if n_w == n_l else 0
        for c in range(0, whole, n_l):
            V.store_columns(tile, c, out, g0)
        for ln in range(n_w):
            for c in range(whole, n_cand):
                out[g0 + ln, c] = tile[c, ln]


@part
def _count(sums, width, before, run, keys, g0, n_b, counter, us, counts):
    """counts[0, l] = how many of lane l's running sums ``sums[:width, l]`` stay at or below
    its share of the block: ``before`` plus its uniform (the key of run g0 + l at ``counter``)
    times the block's total ``run - before``, in float32."""
    for ln in range(us.shape[1]):
        b = min(g0 + ln, n_b - 1)
        us[0, ln] = np.float32(_uniform(keys[b], counter))
    thr = V.add(before, V.mul(V.load(us, 0), V.sub(run, before)))
    zero = V.splat(np.float32(0.0))
    one = V.splat(np.float32(1.0))
    n = zero
    for c in range(width):
        n = V.add(n, V.select(V.le(V.load(sums, c), thr), one, zero))
    V.store(counts, 0, n)


def weight_rows(tiles: np.ndarray, n_b: int) -> np.ndarray:
    """(B, C) the weights of ``tiles`` (the score kernel's lane layout), one row per run."""
    return tiles.transpose(0, 2, 1).reshape(-1, tiles.shape[1])[:n_b]


@part
def _draw_room(cand_start):
    """The draws' scratch: the running sums of the widest actor's block (width x LANES), then
    one row each of uniforms, counts, pairs at war and main moves."""
    n_l = _LANES
    width = 1
    for a in range(cand_start.shape[0] - 1):
        width = max(width, cand_start[a + 1] - cand_start[a])
    return (
        np.zeros((width, n_l), dtype=np.float32),
        np.zeros((1, n_l), dtype=np.float32),
        np.zeros((1, n_l), dtype=np.float32),
        np.zeros((1, n_l), dtype=np.bool_),
        np.zeros((1, n_l), dtype=np.float32),
    )


@part
def _draw_group(tile, g0, n_b, cand_start, draw_main, rung, war, draws, room):
    """The draws of the eight runs from ``g0`` (:func:`draw_kernel`), from their weights
    ``tile`` (C, LANES); ``room``: :func:`_draw_room`."""
    (keys, counter, moves, signals, sig_cand, sig_start, sig_actor, sig_target) = draws[:8]
    sig_gain, has_gain, counter_sig = draws[8:]
    n_a = cand_start.shape[0] - 1
    n_l = _LANES
    sums, us, counts, off, main = room
    v_zero = V.splat(np.float32(0.0))
    v_gain = V.splat(sig_gain)
    n_w = min(n_l, n_b - g0)
    run = v_zero
    for a in range(n_a if draw_main else 0):
        lo = cand_start[a]
        hi = cand_start[a + 1]
        before = run
        for c in range(lo, hi):
            run = V.add(run, V.load(tile, c))
            V.store(sums, c - lo, run)
        _count(sums, hi - lo, before, run, keys, g0, n_b, counter + np.uint64(a), us, counts)
        for ln in range(n_w):
            moves[g0 + ln, a] = lo + min(np.int64(counts[0, ln]), hi - lo - 1)
    # The signal draw: each actor's hold, then its signal candidates but the main move
    # (times the signal's gain), none on a pair at war.
    run = v_zero
    for a in range(n_a if signals.shape[0] else 0):
        lo = sig_start[a]
        hi = sig_start[a + 1]
        before = run
        # The actor's main move in each lane, as a float32 (exact: fewer than 2 ** 24
        # candidates), compared with each signal candidate at once.
        for ln in range(n_l):
            main[0, ln] = np.float32(moves[min(g0 + ln, n_b - 1), a])
        made = V.load(main, 0)
        pair = -1  # the pair whose war ``at_war`` holds (set by the first candidate)
        at_war = V.eq(v_zero, v_zero)
        for j in range(lo, hi):
            c = sig_cand[j]
            p = sig_actor[j]
            q = sig_target[j]
            if p * n_a + q != pair:  # a pair's candidates stand together: read it once
                pair = p * n_a + q
                for ln in range(n_l):
                    off[0, ln] = rung[min(g0 + ln, n_b - 1), p, q] >= war
                at_war = V.load_mask(off, 0)
            x = V.load(tile, c)
            if j > lo:
                x = V.select(V.eq(made, V.splat(np.float32(c))), v_zero, x)
                if has_gain:
                    x = V.mul(x, v_gain)
            x = V.select(at_war, v_zero, x)
            run = V.add(run, x)
            V.store(sums, j - lo, run)
        c_a = counter_sig + np.uint64(a)
        _count(sums, hi - lo, before, run, keys, g0, n_b, c_a, us, counts)
        for ln in range(n_w):
            signals[g0 + ln, a] = sig_cand[lo + min(np.int64(counts[0, ln]), hi - lo - 1)]


@kernel
def draw_kernel(w, n_b, cand_start, draw_main, rung, war, draws):
    """Each actor's main move into ``moves`` (with ``draw_main``; else ``moves`` holds them)
    and, when ``signals`` has rows, its signal move: the candidate whose running sum over the
    run's weights first passes the actor's uniform times its block's total. ``w`` holds the
    weights of ``n_b`` runs in the score kernel's lanes, (groups, C, LANES); eight runs are
    drawn side by side, each lane's running sum a chain of additions in its run's own order.
    ``draws``: (keys, counter, moves, signals, sig_cand, sig_start, sig_actor, sig_target,
    sig_gain, has_gain, counter_sig). The uniforms are ``rng.uniforms`` of the run's key at
    ``counter`` (main) and ``counter_sig`` (signal), actor a's at the counter plus a, in
    float32. (The score kernel draws the same way from each group's weights as it makes them,
    when asked to.)"""
    room = _draw_room(cand_start)
    for g0 in range(0, n_b, _LANES):
        _draw_group(w[g0 // _LANES], g0, n_b, cand_start, draw_main, rung, war, draws, room)
