"""The compiled loops of the month's bookkeeping, run by run: the end of a month in ``step``
(coordination running down, peaks, threshold crossings, where they happened) and the batch's
per-month tally (``game.montecarlo.runner.run_chunk``).

Both give the bits of the numpy definitions they replaced; the tests hold them side by side
(tests/engine/test_month_kernels.py, oracle tests/engine/oracle_statek.py).
"""

from __future__ import annotations

import numpy as np

from .jit import kernel
from .rng_kernels import draw


@kernel
def month_end(
    rung, front, peak, coord, first_cross, reached, done, turn, at_level, counted, regional,
    mirror, on_map, pair_mask, placed, gnw, crossed, ended, n_a,
):  # fmt: skip
    """End of the month, in place: ``coord`` (B, A, A) runs down by one (never below 0, 0 on
    the diagonal), ``peak`` keeps the highest rung, ``crossed`` (B, H) says whether some pair
    counted for threshold h (``step.counted_pairs``) stands at or above the threshold's rung,
    ``first_cross`` (B, H) takes the turn of a first crossing, and ``reached`` (B, H, 2) adds
    the region of each pair whose crossing of h is reported by region (started below it, off
    the diagonal) at or above the level: Northeast Asia (0) when the pair's ``front`` theatre
    is ``on_map`` (or, not ``placed`` or never placed, ``pair_mask`` says so), else off the map
    (1). ``ended`` (B,): a run not ``done`` crossed threshold ``gnw``.

    The thresholds are bits, 64 to a word (``step.MonthLists``): ``at_level`` (W, R) the
    thresholds at or below each rung, ``counted`` and ``regional`` (W, A * A) those each pair
    counts for and reports by region. A pair adds the bits of both its lists and its rung's, at
    a few instructions without a branch. A run's (A, A) blocks are contiguous: the running
    down and the peaks go over each as one flat loop, long enough for the processor's vector
    instructions. Rungs and fronts are symmetric (``State``), so where the lists are symmetric
    too (``mirror``) a pair adds what its mirror adds, and only the pairs on and above the
    diagonal are visited. Indices are unsigned, so that the compiled code does not check them
    for negative values as a Python index would. The (B, A, A) arrays (``rung``, ``front``,
    ``peak``, ``coord``) come flat, (B, A * A), as ``state.by_run`` gives them."""
    n_b, n_aa = rung.shape[0], rung.shape[1]
    n_h = crossed.shape[1]
    n_w, top = at_level.shape[0], np.uint64(at_level.shape[1] - 1)
    n_u, zero, one = np.uint64(n_a), np.uint64(0), np.uint64(1)
    for b in range(n_b):
        rr, pr, cr, fr = rung[b], peak[b], coord[b], front[b]
        for k in range(np.uint64(n_aa)):
            c = cr[k]
            cr[k] = c - 1 if c > 0 else 0
            pr[k] = max(pr[k], rr[k])
        for i in range(n_u):
            cr[i * n_u + i] = 0
        for w in range(n_w):
            lw, cw, rw = at_level[w], counted[w], regional[w]
            some, near, far = 0, 0, 0
            for i in range(n_u):
                for k in range(i * n_u + (i if mirror else zero), (i + one) * n_u):
                    m = lw[min(np.uint64(rr[k]), top)]  # a rung is never negative
                    some |= m & cw[k]
                    m &= rw[k]
                    if m:
                        g = fr[k]
                        if on_map[np.uint64(g)] if placed and g >= 0 else pair_mask[k]:
                            near |= m
                        else:
                            far |= m
            for h in range(64 * w, min(64 * w + 64, n_h)):
                bit = h - 64 * w
                if (some >> bit) & 1:
                    crossed[b, h] = True
                if (near >> bit) & 1:
                    reached[b, h, 0] = True
                if (far >> bit) & 1:
                    reached[b, h, 1] = True
        for h in range(n_h):
            if crossed[b, h] and first_cross[b, h] < 0:
                first_cross[b, h] = turn
        ended[b] = crossed[b, gnw] and not done[b]


@kernel
def tally(
    t, crossed, live, words, cells, per_run, n_o, inst_clause, moves, cand_action, cand_target,
    hostile_action, at_or_above, clause_turn, actions, hostile,
):  # fmt: skip
    """The month ``t`` of a chunk's tally, in place: ``at_or_above`` (T, H) counts the live runs
    standing at or above each threshold, ``clause_turn`` (T, Q) the clause instances invoked
    (consulted, assisted or otherwise, every run and counterpart), ``actions`` (A, K + 1) the
    moves of the live runs per actor (column 0: holding), ``hostile`` (B, A, A) the hostile
    moves of the live runs per (mover, target).

    A (B, I', A) record of clauses invoked comes flat, as bytes ``cells`` and as 64-bit
    ``words`` over the same memory: a word of eight cells none of which was invoked (nearly
    all) is passed over at once. ``per_run``: I' x A cells, ``n_o``: A, ``inst_clause``: the
    clause of each of the I' instances."""
    n_b, n_h = crossed.shape
    n_a = moves.shape[1]
    n_c = cand_action.shape[0]
    flat = hostile.reshape(-1)
    n_w = words.shape[0]
    for w in range(n_w + (cells.shape[0] - 8 * n_w)):
        if w < n_w:
            if words[w] == 0:
                continue
            first, last = 8 * w, 8 * w + 8
        else:  # the cells after the last whole word, one by one
            first, last = 8 * n_w + (w - n_w), 8 * n_w + (w - n_w) + 1
        for pos in range(first, last):
            if cells[pos]:
                clause_turn[t, inst_clause[(pos % per_run) // n_o]] += 1
    for b in range(n_b):
        if not live[b]:
            continue
        for h in range(n_h):
            if crossed[b, h]:
                at_or_above[t, h] += 1
        for a in range(n_a):
            m = moves[b, a]
            if m < 0:
                m += n_c
            k = cand_action[m] + 1
            actions[a, k] += 1
            if hostile_action[k]:
                # A hostile move has a target; the flat cell reads as numpy's index would.
                cell = (b * n_a + a) * n_a + cand_target[m]
                flat[cell if cell >= 0 else cell + flat.shape[0]] += 1


@kernel
def events_due(
    keys, counter, done, event_count, drawn, take, plain, repeat, prob, col, reads, never, u,
    fired, hit,
):  # fmt: skip
    """The month's event draws and which of the ``plain`` events (E,) bool - due this month,
    without a condition - fire in each run, in place: ``u`` (B, E), ``fired`` (B, E) and ``hit``
    (E,) (some run).

    The draws are ``game.engine.rng.uniforms`` of each run's key, ``counter`` the turn and
    stream as rng lays them out, taken for the events ``take`` lists (the other columns of ``u``
    are not written). A run that has not ended fires an event that may repeat or has not fired
    yet, when its draw is below its probability: ``prob``, or the run's ``drawn`` value in
    column ``col`` (-1: none), where a draw decides it (``reads``: else it fires without one),
    unless it ``never`` fires (``step.MonthLists``). Such an event reads nothing that the
    month's earlier events change, so all are settled before any applies."""
    n_b = fired.shape[0]
    for b in range(n_b):
        key = keys[b]
        for k in take:
            u[b, k] = draw(key, counter + np.uint64(k))
    for e in range(fired.shape[1]):
        if not plain[e] or never[e]:
            continue
        c = col[e]
        for b in range(n_b):
            ok = not done[b] and (repeat[e] or event_count[b, e] == 0)
            if ok and reads[e]:
                ok = u[b, e] < (drawn[b, c] if c >= 0 else prob[e])
            fired[b, e] = ok
            if ok:
                hit[e] = True


@kernel
def highest(values, floor, out):
    """``out`` (B,) float64: each run's highest value of ``values`` (B, A * A) int16 over the
    pairs that count, those whose value is above their ``floor`` (A * A,) int16, and 0 where none
    counts (values are never below 0: rungs and peaks). ``game.engine.expr``'s whole-state
    functions, in one pass a run: a floor of -1 counts every value, the pair's starting rung
    only those above it, the largest int16 none. The pass has no branch, so that the compiler
    takes a run's pairs sixteen at a time."""
    n_b, n_c = values.shape
    zero = np.int16(0)
    for b in range(n_b):
        row = values[b]
        m = zero
        for k in range(n_c):
            v = row[k]
            m = max(m, v if v > floor[k] else zero)
        out[b] = np.float64(m)


@kernel
def pairs_between(rung, done, cells, lo, hi):
    """(runs, pairs): the pairs of the runs not ``done`` whose rung stands at or above ``lo``
    and below ``hi``, in ``np.nonzero``'s order over (runs, pairs). ``rung`` comes flat,
    (B, A * A), and the pairs as their places in a run's block, ``cells`` (P,) uint64 (an
    unsigned index is not checked for counting from the end). One pass over the runs counts
    them, reading only those places of each (nearly always none is found); a second lists
    them where some are. (Lists grown inside the pass would take and drop a reference to
    their arrays at every pair.)"""
    n_b, n_p = rung.shape[0], cells.shape[0]
    n = 0
    for b in range(n_b):
        for k in range(n_p):
            g = rung[b, cells[k]]
            n += (lo <= g) & (g < hi) & (not done[b])
    runs = np.empty(n, np.int64)
    pairs = np.empty(n, np.int64)
    m = 0
    for b in range(n_b if n else 0):
        for k in range(n_p):
            g = rung[b, cells[k]]
            if (lo <= g) & (g < hi) & (not done[b]):
                runs[m] = b
                pairs[m] = k
                m += 1
    return runs, pairs
