"""Compiled loops of the month's moves and what follows them, run by run.

Each kernel walks the runs of a batch one by one and, in each run, only what exists there: the
movers' chosen moves (:func:`apply_moves`, the main moves and then the signal moves, through
``game.engine.step._moves``), the balance of forces of the moves that follow it and the offers
made (``game.engine.tempo``), the flashpoints (:func:`incidents`), the pairs' drift with tension
(:func:`drift`) and the costs of war (:func:`war_costs`). They write the state in place. Within
a run the writes follow the numpy definitions' order, so every sum and clip gives the same
bits; the tests hold the two side by side (tests/engine/test_compiled_engine.py, oracles
tests/engine/oracle_moves.py). The tables they read are ``Params.move_lists``.

Clips follow numpy's: ``np.clip(x, 0, 100)`` keeps a negative zero, ``np.clip(x, 0, None)``
(a maximum) gives a positive one; both keep a NaN.
"""

from __future__ import annotations

import numpy as np
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from .jit import kernel, part
from .params import ACT_F, ACT_I, COM_COLS, FP_I
from .rng_kernels import draw as _uniform  # rng's draw of one key at one counter

# Columns of ClauseLists.table (game.engine.params.INST_COLS).
_TR, _P, _Q, _CLAUSE = 0, 1, 2, 8
# Columns of MoveLists.act_i / act_f / com / fp_i, by name.
_RUNG, _SP_RUNG, _SP_AT = ACT_I.index("rung"), ACT_I.index("spill_rung"), ACT_I.index("spill_at")
_LOWERS, _ATTACK, _OFFER = ACT_I.index("lowers_to"), ACT_I.index("attack"), ACT_I.index("offer")
_SANCTION, _ENDS = ACT_I.index("sanction"), ACT_I.index("ends_attack")
_TECH, _BALANCE = ACT_I.index("tech"), ACT_I.index("balance")
_TENSION, _HOST = ACT_F.index("tension"), ACT_F.index("hostility")
_SP_TENSION, _BASELINE = ACT_F.index("spill_tension"), ACT_F.index("baseline")
_ALLY = ACT_F.index("ally_tension")
_BY, _PARTY, _ACTION = COM_COLS.index("by"), COM_COLS.index("party"), COM_COLS.index("action")
_TARGET, _START, _END = COM_COLS.index("target"), COM_COLS.index("start"), COM_COLS.index("end")
_FI, _FJ, _FRUNG, _FTHEATRE = (FP_I.index(c) for c in ("i", "j", "rung", "theatre"))


@kernel
def _clip100(v):
    """``np.clip(v, 0, 100)`` of one value."""
    return min(max(v, 0.0), 100.0)


@kernel
def _set_tension(tension, r, i, j, v):
    tension[r, i, j] = v
    tension[r, j, i] = v


@part
def _end_fighting(rung, aggressor, baseline, act_i, act_f, r, a, t, k):
    """The pair (a, t) of run r falls to at most the rung of action k's ``lowers_to`` (the armed
    attacks between the two end), and its baseline moves by the action's ``baseline``."""
    cap = act_i[k, _LOWERS]
    if cap >= 0:
        g = np.int16(min(rung[r, a, t], cap))
        rung[r, a, t] = g
        rung[r, t, a] = g
        aggressor[r, a, t] = False
        aggressor[r, t, a] = False
    base = act_f[k, _BASELINE]
    if base != 0:
        v = _clip100(baseline[r, a, t] + base)
        baseline[r, a, t] = v
        baseline[r, t, a] = v


@kernel
def _share(attr, r, a, t, mil, rd):
    """a's share of the conventional power of a and t in run r (a half when both have none):
    ``game.engine.tempo._share``."""
    mine = attr[r, a, mil] * (0.5 + attr[r, a, rd] / 200.0)
    theirs = attr[r, t, mil] * (0.5 + attr[r, t, rd] / 200.0)
    both = mine + theirs
    return mine / both if both > 0 else 0.5


@kernel
def _clip_row(attr, r, a):
    """``np.clip(attr, 0, None)`` of actor a's attributes in run r."""
    for c in range(attr.shape[2]):
        if attr[r, a, c] <= 0.0:
            attr[r, a, c] = 0.0


@kernel
def _clip_attr(attr, r):
    """``np.clip(attr, 0, None)`` of run r's attributes."""
    for a in range(attr.shape[1]):
        _clip_row(attr, r, a)


def _emit_prefetch(builder, ptr):
    """LLVM's prefetch of the cache line at ``ptr``, for writing (it computes nothing and
    changes nothing)."""
    i8p, i32 = cgutils.voidptr_t, cgutils.int32_t  # numba's own LLVM types
    fnty = cgutils.ir.FunctionType(cgutils.ir.VoidType(), [i8p, i32, i32, i32])
    fn = cgutils.get_or_insert_function(builder.module, fnty, "llvm.prefetch.p0")
    builder.call(fn, [builder.bitcast(ptr, i8p), i32(1), i32(3), i32(1)])


@intrinsic
def _prefetch(typingctx, arr, r, i, j):
    """Ask the processor to fetch the cache line of element (r, i, j) of a 3-d array."""

    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        at = cgutils.get_item_pointer(context, builder, aryty, ary, args[1:], wraparound=False)
        _emit_prefetch(builder, at)
        return context.get_dummy_value()

    return types.void(arr, r, i, j), codegen


# The score and clause loops fetch a run's blocks ahead of its use only in the larger states,
# where a run's (A, A) float64 block is larger than this: in the smaller ones the processor's
# own prefetcher keeps up with a batch's consecutive runs, and asking costs more than it
# brings (8 actors, 512 bytes: they run faster without; 16 actors, 2 KB: no slower with).
# apply_moves fetches nothing ahead: its moves touch a few rows of each block, and at 16
# actors fetching its four blocks whole cost about 5% of the move kernels' time.
_AHEAD_BYTES = 1024


@part
def _ahead(n_a):
    """Whether the loops fetch a run's blocks ahead in a state of ``n_a`` actors."""
    return n_a * n_a * 8 > _AHEAD_BYTES


@intrinsic
def _prefetch_bytes(typingctx, arr, r, off):
    """Ask the processor to fetch the cache line ``off`` bytes into run ``r``'s block of an
    array whose runs are contiguous (as ``_prefetch``)."""

    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        stride = cgutils.unpack_tuple(builder, ary.strides, aryty.ndim)[0]
        at = builder.add(builder.mul(args[1], stride), args[2])
        _emit_prefetch(builder, builder.gep(builder.bitcast(ary.data, cgutils.voidptr_t), [at]))
        return context.get_dummy_value()

    return types.void(arr, types.intp, types.intp), codegen


@kernel
def _prefetch_block(arr, r):
    """Fetch run r's block of an array whose runs are contiguous ahead of its use: one request
    for each cache line of the block, whatever the width of its rows."""
    for off in range(0, arr.strides[0], 64):
        _prefetch_bytes(arr, r, off)


@kernel
def apply_moves(
    signal, moves, cand_action, cand_target, done, active, turn,
    tension, rung, aggressor, front, baseline, attr, hostility, clause_count, cred, other, crossed,
    opp, tech, table, amounts, act_i, act_f, act_self, act_target, attack_theatre,
    com, n_assist, exercise, exercise_growth, threat, entrapment, host_neg_zero,
):  # fmt: skip
    """Apply the candidate moves ``moves`` (B, A) of every actor (``step._moves``).

    Each mover in turn, in each live run: allies opposing a sanction on a party (clause
    instances ``opp``: invoked, the sanction's damage halved, tension with the mover), the move's
    tension and rung floor, an armed attack placed, the fighting it ends (an offer's ending
    waits for its answer, ``settle_offers``), attributes of the mover and the target, the move's
    hostility and its spill-over on the target's enemies. Then the technology clauses its moves
    invoke, the attributes clipped, the red lines crossed, the allies' exercises by a threatened
    party and the entrapment a protected party's hostile move brings. The main moves
    (``signal`` false) write ``hostility`` afresh; the signal moves merge theirs into it (the
    signal's where the main move said nothing, else the more hostile) and add to ``other`` and
    ``crossed``."""
    n_b, n_a = moves.shape
    n_com = com.shape[0]
    kk = np.empty(n_a, np.int64)
    tt = np.empty(n_a, np.int64)
    damp = np.empty(n_a)
    sig = np.zeros(n_a)  # the hostility of one signal move (0 between two moves)
    moved = np.zeros(n_a, np.bool_)  # the attributes a signal move changed, by actor
    for r in range(n_b):
        live = not done[r]
        if not signal:
            hostility[r, :, :] = 0.0
        for a in range(n_a):
            c = moves[r, a]
            kk[a] = cand_action[c] if live else -1
            tt[a] = cand_target[c]
            damp[a] = 1.0
            moved[a] = False
        for a in range(n_a):
            k = kk[a]
            if k < 0:
                if signal and host_neg_zero:
                    for x in range(n_a):
                        if hostility[r, a, x] == 0:
                            hostility[r, a, x] = 0.0
                continue
            t = tt[a]
            for j in range(opp.shape[0] if act_i[k, _SANCTION] else 0):
                i = opp[j]
                p, q = table[i, _P], table[i, _Q]
                if a == p or a == q:  # noqa: SIM109 (compiled)
                    continue
                if t == p and active[r, table[i, _TR]]:
                    other[r, i, a] = True
                    damp[p] = 0.5
                    _set_tension(tension, r, q, a, _clip100(tension[r, q, a] + amounts[i, 0]))
                    clause_count[r, table[i, _CLAUSE]] += 1
            _set_tension(tension, r, a, t, _clip100(tension[r, a, t] + act_f[k, _TENSION]))
            fl = act_i[k, _RUNG]
            if fl >= 0:
                g = np.int16(max(rung[r, a, t], fl))
                rung[r, a, t] = g
                rung[r, t, a] = g
            if act_i[k, _ATTACK]:
                g = attack_theatre[t, a]
                if g >= 0:
                    front[r, a, t] = g
                    front[r, t, a] = g
                aggressor[r, t, a] = True
            if not act_i[k, _OFFER]:
                # Asked before entering the part, which costs references on every entry
                # (game.engine.jit.part): the move that does either is rare.
                if act_i[k, _LOWERS] >= 0 or act_f[k, _BASELINE] != 0:
                    _end_fighting(rung, aggressor, baseline, act_i, act_f, r, a, t, k)
                if act_i[k, _ENDS]:
                    aggressor[r, a, t] = False
            # Every column is added, zeros too, in one loop without a branch (most moves change
            # one or two attributes, a different one or two from move to move: a branch asking
            # each column mispredicts). A zero added changes only a negative zero, to a
            # positive one, which the clip below gives too (every row after the main moves,
            # the rows a signal moved after the signals).
            for c in range(attr.shape[2]):
                attr[r, a, c] += act_self[k, c]
            d = damp[t]
            for c in range(attr.shape[2]):
                attr[r, t, c] += act_target[k, c] * d
            h = hostility[r, a] if not signal else sig
            h[t] = act_f[k, _HOST]
            spt, spr = act_f[k, _SP_TENSION], act_i[k, _SP_RUNG]
            spill = spt != 0 or spr >= 0
            if spill:
                for x in range(n_a):
                    if x == a or x == t or rung[r, t, x] < act_i[k, _SP_AT]:  # noqa: SIM109
                        continue
                    _set_tension(tension, r, a, x, _clip100(tension[r, a, x] + spt))
                    if spr >= 0:
                        g = np.int16(max(rung[r, a, x], spr))
                        rung[r, a, x] = g
                        rung[r, x, a] = g
                    h[x] = max(h[x], 0.5)
            if signal:
                moved[a] = True
                moved[t] = True
                # sig is 0 but at t and the spill-over's states: only where a negative zero
                # may stand in hostility (host_neg_zero) does a 0 of sig write anything.
                every = spill or host_neg_zero
                for x in range(n_a) if every else range(t, t + 1):
                    m, s = hostility[r, a, x], sig[x]
                    if m == 0:
                        hostility[r, a, x] = s
                    elif s != 0:
                        hostility[r, a, x] = max(m, s)
                for x in range(n_a) if spill else range(t, t + 1):
                    sig[x] = 0.0
        if not signal:
            _clip_attr(attr, r)
        for a in range(n_a if signal else 0):
            # The main moves left every attribute clipped: only the rows moved now need it.
            if moved[a]:
                _clip_row(attr, r, a)
        if not live:
            continue
        for j in range(tech.shape[0]):
            i = tech[j]
            p, q = table[i, _P], table[i, _Q]
            k = kk[q]
            if k >= 0 and tt[q] == p and active[r, table[i, _TR]] and act_i[k, _TECH]:
                other[r, i, q] = True
                clause_count[r, table[i, _CLAUSE]] += 1
        for n in range(n_assist, n_com):
            w = com[n, _PARTY]
            tgt = com[n, _TARGET]
            now = com[n, _START] <= turn and turn < com[n, _END]
            if now and kk[w] == com[n, _ACTION] and (tgt < 0 or tt[w] == tgt):
                crossed[r, n] = True
        if exercise_growth > 0:
            # Standing by a threatened party: the ally exercises against a state threatening it.
            for n in range(n_assist):
                q, p = com[n, _BY], com[n, _PARTY]
                k, x = kk[q], tt[q]
                if k < 0 or not exercise[k]:
                    continue
                if x != p and rung[r, p, x] >= threat:
                    c = cred[r, n]
                    cred[r, n] = c + exercise_growth * c * (1.0 - c)
        if entrapment > 0:
            # A protected party's hostile move worries the allies pledged to defend it: each
            # worry added to its pair, one orientation then the other, then clipped. Worries
            # are positive and tensions never negative, so a pair two pledges share (a mutual
            # treaty's) ends on the same bits whether it is clipped after each worry or once
            # after both, as the numpy definition does (only the clip at 100 can bind, and
            # once a sum passes 100 every later one does).
            for n in range(n_assist):
                q, p = com[n, _BY], com[n, _PARTY]
                k = kk[p]
                if k < 0 or not act_f[k, _HOST] > 0 or tt[p] == q:
                    continue
                w = act_f[k, _HOST] * (entrapment * cred[r, n])
                if w != 0:
                    i, j = min(q, p), max(q, p)
                    tension[r, i, j] += w
                    tension[r, j, i] += w
                    tension[r, i, j] = _clip100(tension[r, i, j])
                    tension[r, j, i] = _clip100(tension[r, j, i])


@kernel
def balance(moves, cand_action, cand_target, done, attr, act_i, act_self, act_target, mil, rd):
    """The balance of forces of the month's ``balance`` moves (``tempo.balance_of_forces``),
    before the moves are applied: a mover holding less than half of the two sides' power pays
    more military and destroys less. The attributes of the runs that made one are clipped
    (clipping every run's would make a run depend on the moves of the others in its batch)."""
    n_b, n_a = moves.shape
    kb = np.empty(n_a, np.int64)
    tb = np.empty(n_a, np.int64)
    cost = np.empty(n_a)
    damage = np.empty(n_a)
    for r in range(n_b):
        some = False
        for a in range(n_a):
            c = moves[r, a]
            k = cand_action[c]
            kb[a] = -1
            if done[r] or k < 0 or not act_i[k, _BALANCE]:
                continue
            kb[a], tb[a] = k, cand_target[c]
            mine = _share(attr, r, a, tb[a], mil, rd)
            ratio = 1.0
            if mine < 0.5:
                rest = 1.0 - mine
                ratio = mine / (rest if rest >= 1e-9 else 1e-9)
            cost[a] = min(1.0 / (ratio if ratio >= 1e-9 else 1e-9), 2.0)
            damage[a] = ratio
            some = True
        if not some:
            continue
        for a in range(n_a):
            if kb[a] >= 0:
                attr[r, a, mil] += act_self[kb[a], mil] * (cost[a] - 1.0)
        for a in range(n_a):
            if kb[a] >= 0:
                attr[r, tb[a], mil] += act_target[kb[a], mil] * (damage[a] - 1.0)
        _clip_attr(attr, r)


@part
def _some_move(flags, moves, r):
    """Whether some actor's move in run r is one of the candidates ``flags`` (C,) bool marks."""
    some = False
    for a in range(moves.shape[1]):
        some |= flags[moves[r, a]]
    return some


@kernel
def settle_offers(
    moves, cand_action, cand_target, offers, done, hostility, attr, rung, aggressor, baseline,
    tension, act_i, act_f, accepted, resolve, stab, mil, rd,
):  # fmt: skip
    """The month's offers answered (``tempo.settle_offers``): an offer is accepted when its
    target made the same offer back, or said nothing hostile to the mover and its war-weariness
    outweighs its will to fight on; an accepted offer ends the pair's fighting (once for mutual
    offers) and its tension falls to its new baseline. Sets ``accepted`` (B, A). ``offers``
    (C,) bool: the candidates that are offers (a run without one is passed over at a glance:
    most are)."""
    n_b, n_a = moves.shape
    kk = np.empty(n_a, np.int64)
    tt = np.empty(n_a, np.int64)
    made = np.zeros(n_a, np.bool_)
    once = np.zeros(n_a, np.bool_)
    for r in range(n_b):
        if done[r] or not _some_move(offers, moves, r):
            continue
        some = False
        for a in range(n_a):
            c = moves[r, a]
            kk[a], tt[a] = cand_action[c], cand_target[c]
            made[a] = kk[a] >= 0 and act_i[max(kk[a], 0), _OFFER] != 0
            some |= made[a]
        if not some:
            continue
        for a in range(n_a):
            once[a] = False
            if not made[a]:
                continue
            t = tt[a]
            mutual = made[t] and tt[t] == a and kk[t] == kk[a]
            calm = hostility[r, t, a] <= 0
            will = attr[r, t, resolve] * 2.0 * _share(attr, r, t, a, mil, rd)
            weary = 1.0 - _clip100(attr[r, t, stab]) / 100.0
            ok = mutual or (calm and weary > will)
            accepted[r, a] = ok
            once[a] = ok and not (mutual and a > t)
        for a in range(n_a):
            if once[a]:
                t = tt[a]
                _end_fighting(rung, aggressor, baseline, act_i, act_f, r, a, t, kk[a])
                v, b = tension[r, a, t], baseline[r, a, t]
                _set_tension(tension, r, a, t, v if v < b else b)


@kernel
def ally_unease(moves, cand_action, cand_target, uneasy, done, tension, act_f, allied, rivals):
    """Talks with an ally's rival cost standing with the ally (``tempo.ally_unease``): each
    main move with an ``ally_tension`` adds it to the tension of the mover with each ally that
    counts the move's target a rival; a pair both of whose sides worry takes both additions.
    ``uneasy`` (C,) bool: the candidates with an ``ally_tension`` (a run without one is passed
    over at a glance: most are)."""
    n_b, n_a = moves.shape
    add = np.empty(n_a)
    tt = np.empty(n_a, np.int64)
    for r in range(n_b):
        if done[r] or not _some_move(uneasy, moves, r):
            continue
        some = False
        for a in range(n_a):
            c = moves[r, a]
            k = cand_action[c]
            add[a] = act_f[k, _ALLY] if k >= 0 else 0.0
            tt[a] = cand_target[c]
            some |= add[a] != 0
        if not some:
            continue
        for a in range(n_a):
            if add[a] == 0:
                continue
            for q in range(n_a):
                if not (allied[a, q] and rivals[q, tt[a]]):
                    continue
                back = add[q] != 0 and allied[q, a] and rivals[a, tt[q]]
                if back and q < a:
                    continue  # added from q's side
                s = add[a] + add[q] if back and q != a else add[a]
                tension[r, a, q] = _clip100(tension[r, a, q] + s)
                if q != a:
                    tension[r, q, a] = _clip100(tension[r, q, a] + s)


@kernel
def incidents(
    keys, counter, done, drawn, fp_i, fp_f, fp_col, armed, tension, rung, aggressor, front,
    attack_theatre, kind, by,
):  # fmt: skip
    """Random incidents at the flashpoints (``step._incidents``), each run's flashpoints in
    turn: one happens with odds rising with the square of the pair's tension, adds tension,
    and a serious one raises the rung (an armed attack by the side that started it, placed in
    the flashpoint's theatre). The draws are ``rng.uniforms`` of the month's incident stream
    (``counter``), three per flashpoint; the second and third are drawn only where needed.
    The runs are independent, so the loop over them is the inner one (one flashpoint's pair
    at a time, at a steady stride through the batch's tensions)."""
    n_b, n_f = done.shape[0], fp_i.shape[0]
    for f in range(n_f):
        i, j = fp_i[f, _FI], fp_i[f, _FJ]
        for r in range(n_b):
            if r + 8 < n_b:
                # The pair's tension a few runs on, a cache line of its own in each run's block,
                # arrives while this run's draw is hashed.
                _prefetch(tension, r + 8, i, j)
            if done[r]:
                continue
            key = keys[r]
            c0, c1, c2, c3 = fp_col[f, 0], fp_col[f, 1], fp_col[f, 2], fp_col[f, 3]
            base = drawn[r, c0] if c0 >= 0 else fp_f[f, 0]
            slope = drawn[r, c1] if c1 >= 0 else fp_f[f, 1]
            ten = tension[r, i, j] / 100.0
            p = base + slope * ten * ten
            at = counter + np.uint64(3 * f)
            if not _uniform(key, at) < p:
                continue
            ser = drawn[r, c2] if c2 >= 0 else fp_f[f, 2]
            serious = _uniform(key, at + np.uint64(1)) < ser
            starter = i if _uniform(key, at + np.uint64(2)) < 0.5 else j
            kind[r, f] = np.int8(2 if serious else 1)
            added = drawn[r, c3] if c3 >= 0 else fp_f[f, 3]
            _set_tension(tension, r, i, j, _clip100(tension[r, i, j] + added))
            if not serious:
                continue
            by[r, f] = np.int16(starter)
            fl = fp_i[f, _FRUNG]
            g = np.int16(max(rung[r, i, j], fl))
            rung[r, i, j] = g
            rung[r, j, i] = g
            if fl >= armed:
                victim = j if starter == i else i
                aggressor[r, victim, starter] = True
                where = fp_i[f, _FTHEATRE]
                if where < 0:
                    where = attack_theatre[victim, starter]
                if where >= 0:
                    front[r, i, j] = np.int16(where)
                    front[r, j, i] = np.int16(where)


@kernel
def drift(
    decay_col, decay, drawn, tension, baseline, rung, hostile, aggressor, armed, up_at, down_at,
    n_a,
):  # fmt: skip
    """Tension relaxes toward each pair's baseline; a pair's rung rises one step once its
    tension reaches the next rung's, and falls one step below its own in a month without
    hostile moves between the two; then the armed attacks of the pairs below ``armed`` (the
    armed clash rung) are over (``step._drift``). Every run, every pair, in place; the
    (B, A, A) arrays come flat, (B, A * A).

    Tension, baseline and rung are symmetric (``State``), and so is the rule (hostile moves
    either way): each pair's rung is worked out once, from its upper element, and written to
    both; a tension and its mirror, the same sum of the same bits, are each relaxed in a row's
    one loop without a branch. Once a run's rungs are worked out, its attacks are cleared in one
    more loop without a branch, over its block while it is still in the cache: the pass over
    the whole batch that a numpy ``aggressor &= rung >= armed`` would make, and its temporary
    array, are saved. ``aggressor`` comes as bytes (a bool array's ``view(np.uint8)``), which
    the compiled loop combines as it does numbers. Indices are unsigned, so that the compiled
    code does not check them for negative values as a Python index would."""
    n_u, one = np.uint64(n_a), np.uint64(1)
    armed16 = np.int16(armed)
    for r in range(rung.shape[0]):
        d = drawn[r, decay_col] if decay_col >= 0 else decay
        tr, br, gr, hr, ar = tension[r], baseline[r], rung[r], hostile[r], aggressor[r]
        for i in range(n_u):
            row = i * n_u
            for k in range(row, row + n_u):
                t = tr[k]
                tr[k] = t + d * (br[k] - t)
            gr[row + i] = 0
            for j in range(i + one, n_u):
                k = row + j
                t = tr[k]
                g = gr[k]
                if t >= up_at[np.uint64(g)]:
                    g = np.int16(g + 1)
                elif t < down_at[np.uint64(g)] and not (hr[k] > 0 or hr[j * n_u + i] > 0):
                    g = np.int16(g - 1)
                else:
                    continue
                gr[k] = g
                gr[j * n_u + i] = g
        for k in range(n_u * n_u):
            ar[k] &= np.uint8(gr[k] >= armed16)


@kernel
def war_costs(rung, nuclear_before, attr, war, nuc, cols, keep, econ_loss, stab_loss, damage, n_a):
    """The costs of war (``step._war_costs``): a state at war loses military (times ``keep``),
    economy and stability; one newly hit by nuclear use loses ``damage`` of both; then every
    attribute is clipped at zero and readiness and stability at 100. ``cols``: the columns of
    military, economy, stability and readiness. The arrays come flat: ``rung`` and
    ``nuclear_before`` (B, A * A), ``attr`` (B, A * NATTR).

    Rungs are symmetric (``State``), and so is ``nuclear_before`` (the rungs at the start of
    the month at or above nuclear use): a state's pairs are its column as well as its row, so
    the states at war and those hit are taken row after row for all states at once, each row
    one loop without a branch. Indices are unsigned, so that the compiled code does not check
    them for negative values as a Python index would."""
    mil, econ, stab, read = cols[0], cols[1], cols[2], cols[3]
    n_c = attr.shape[1] // n_a
    at_war = np.zeros(n_a, np.uint8)
    hit = np.zeros(n_a, np.uint8)
    n_u = np.uint64(n_a)
    war16, nuc16 = np.int16(war), np.int16(nuc)
    for r in range(rung.shape[0]):
        rr, nr, ar = rung[r], nuclear_before[r], attr[r]
        for a in range(n_u):
            at_war[a] = 0
            hit[a] = 0
        for j in range(n_u):
            row = j * n_u
            for a in range(n_u):
                g = rr[row + a]
                at_war[a] |= g >= war16
                hit[a] |= (g >= nuc16) & (not nr[row + a])
        for a in range(n_a):
            if at_war[a]:
                ar[a * n_c + mil] *= keep
                ar[a * n_c + econ] -= econ_loss
                ar[a * n_c + stab] -= stab_loss
            if hit[a]:
                ar[a * n_c + econ] -= damage
                ar[a * n_c + stab] -= damage
        for k in range(np.uint64(n_a * n_c)):
            x = ar[k]
            ar[k] = 0.0 if x <= 0.0 else x
        for a in range(n_a):
            if ar[a * n_c + read] > 100.0:
                ar[a * n_c + read] = 100.0
            if ar[a * n_c + stab] > 100.0:
                ar[a * n_c + stab] = 100.0
