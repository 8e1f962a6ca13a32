"""Compiled loops of applying one mover's moves (``game.engine.step._moves``), run by run.

The step calls :func:`before_endings` for each mover in turn (it also finds the runs where the
mover moves), then the tempo rules' own step on those runs (moves that end fighting,
``game.engine.tempo.apply_endings``), then :func:`after_endings`. Within a run the writes follow
the numpy definition's order, so every sum and clip gives the same bits; the tests hold the two
side by side (tests/engine/test_compiled_engine.py, oracle tests/engine/oracle_moves.py).
"""

from __future__ import annotations

import numpy as np

from .jit import kernel

# Columns of ClauseLists.table (game.engine.params.INST_COLS).
_TR, _P, _Q, _CLAUSE = 0, 1, 2, 8


@kernel
def before_endings(
    a, k_all, t_all, live, active, damp, tension, rung, aggressor, front, other, clause_count,
    opp, table, amounts, sanction, act_tension, act_rung, attack, attack_theatre,
):  # fmt: skip
    """Mover ``a``'s moves (actions ``k_all[:, a]`` toward ``t_all[:, a]``, -1: none) in the
    live runs: allies opposing sanctions on a party (clause instances ``opp``: invoked, the
    sanction's damage halved, tension with the mover), the move's tension and rung floor, and
    an armed attack placed. Returns the runs where ``a`` moved, its actions and targets."""
    n = 0
    for r in range(live.shape[0]):
        n += live[r] & (k_all[r, a] >= 0)
    rows = np.empty(n, np.int64)
    kv = np.empty(n, np.int64)
    tv = np.empty(n, np.int64)
    n = 0
    for r in range(live.shape[0]):
        if live[r] & (k_all[r, a] >= 0):
            rows[n], kv[n], tv[n] = r, k_all[r, a], t_all[r, a]
            n += 1
    for m in range(n):
        r, k, t = rows[m], kv[m], tv[m]
        for j in range(opp.shape[0]):
            i = opp[j]
            p, q = table[i, _P], table[i, _Q]
            if a == p or a == q:  # noqa: SIM109 (compiled)
                continue
            if sanction[k] and t == p and active[r, table[i, _TR]]:
                other[r, i, a] = True
                damp[r, p] = 0.5
                v = min(max(tension[r, q, a] + amounts[i, 0], 0.0), 100.0)
                tension[r, q, a] = tension[r, a, q] = v
                clause_count[r, table[i, _CLAUSE]] += 1
        v = min(max(tension[r, a, t] + act_tension[k], 0.0), 100.0)
        tension[r, a, t] = tension[r, t, a] = v
        if act_rung[k] >= 0:
            g = np.int16(max(rung[r, a, t], act_rung[k]))
            rung[r, a, t] = rung[r, t, a] = g
        if attack[k]:
            g = attack_theatre[t, a]
            if g >= 0:
                front[r, a, t] = g
                front[r, t, a] = g
            aggressor[r, t, a] = True
    return rows, kv, tv


@kernel
def after_endings(
    a, rows, kv, tv, damp, attr, hostility, tension, rung,
    act_self, act_target, act_host, spill_tension, spill_rung, spill_at,
):  # fmt: skip
    """Mover ``a``'s moves after the tempo rules: attributes of the mover and the target
    (sanction damage times ``damp``), the move's hostility, and its spill-over on the target's
    enemies (arming one side of a confrontation is hostile to the other)."""
    n_a, n_c = rung.shape[1], attr.shape[2]
    for m in range(rows.shape[0]):
        r, k, t = rows[m], kv[m], tv[m]
        for c in range(n_c):
            attr[r, a, c] += act_self[k, c]
        d = damp[r, t]
        for c in range(n_c):
            attr[r, t, c] += act_target[k, c] * d
        hostility[r, a, t] = act_host[k]
        if spill_tension[k] == 0 and spill_rung[k] < 0:
            continue
        for x in range(n_a):
            if x == a or x == t or rung[r, t, x] < spill_at[k]:  # noqa: SIM109
                continue
            v = min(max(tension[r, a, x] + spill_tension[k], 0.0), 100.0)
            tension[r, a, x] = tension[r, x, a] = v
            if spill_rung[k] >= 0:
                g = np.int16(max(rung[r, a, x], spill_rung[k]))
                rung[r, a, x] = rung[r, x, a] = g
            hostility[r, a, x] = max(hostility[r, a, x], 0.5)
