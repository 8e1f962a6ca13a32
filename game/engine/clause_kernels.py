"""Compiled loops of the month's treaty clauses (``game.engine.step._clauses``).

Each kernel walks the runs of a batch one by one and, in each run, only the clause entries that
can fire (``Params.clause_lists``): (instance, counterpart) pairs with the counterpart outside
the treaty. The work of a month is a few comparisons per entry, and the effects of the few
clauses that do fire. Every write follows the order of the numpy definition it replaces
(instances, then counterparts, ascending; additions to one number in the same sequence), so the
floating-point sums are the same bits; the tests hold the two side by side
(tests/engine/test_clause_kernels.py).

Decisions on triggered pledges stay in numpy (``step._Decisions``): they are rare, and read the
whole month's reading of the commitments.
"""

from __future__ import annotations

import numpy as np

from .jit import kernel

# Columns of ClauseLists.table (game.engine.params.INST_COLS).
_TR, _P, _Q, _TRIG, _CI, _DELAY, _RESP, _COORD, _CLAUSE = range(9)


@kernel
def consult_and_scan(
    live, active, rung, aggressor, attacked, front, consult_level, due, done, declined,
    pending, tension, attr, coord, clause_count, consult, held,
    ic, ia, can_fire, table, amounts, cover, read,
):  # fmt: skip
    """Consultations (levels, the record ``consult``, their effects but the clip of tension),
    then which assistance entries are under attack: those not are cleared, those that are
    listed (run, pledge, counterpart, fresh). Returns (consultations held, the list).

    A clause instance's row of counterparts is one short branch-free loop (the entries that
    cannot fire, ``can_fire`` false, take their reset values in it); only a row where
    something happens is walked again to record it."""
    n_b, n_a = live.shape[0], rung.shape[1]
    n_ia = ia.shape[0]
    n_g = cover.shape[1] - 1
    cap = 0
    for ll in range(n_ia):
        for o in range(n_a):
            cap += can_fire[ia[ll], o]
    out_r = np.empty(n_b * cap, np.int64)
    out_l = np.empty(n_b * cap, np.int64)
    out_o = np.empty(n_b * cap, np.int64)
    out_f = np.empty(n_b * cap, np.bool_)
    n_ua = 0
    ev_i = np.empty(ic.shape[0] * n_a, np.int64)
    ev_o = np.empty(ic.shape[0] * n_a, np.int64)
    nw = np.empty(n_a, np.bool_)
    ua = np.empty(n_a, np.bool_)
    held_n = 0
    for r in range(n_b):
        ne = 0
        for ii in range(ic.shape[0]):
            i = ic[ii]
            tr, p, trig = table[i, _TR], table[i, _P], table[i, _TRIG]
            on = live[r] & active[r, tr]
            rp_row, agg, att = rung[r, p], aggressor[r, p], attacked[r, p]
            level, fire = consult_level[r, i], can_fire[i]
            some = False
            for o in range(n_a):
                rp, lv, on_o = rp_row[o], level[o], on & fire[o]
                new = on_o & (rp >= trig) & ((rp > lv) | (agg[o] & (not att[o])))
                calm = (not on_o) | (rp < trig - 1)
                nw[o] = new
                level[o] = rp if new else (-1 if calm else lv)
                some |= new
            if some:
                for o in range(n_a):
                    if nw[o]:
                        consult[r, i, o] = True
                        held[r, i] = True
                        ev_i[ne] = i
                        ev_o[ne] = o
                        ne += 1
        # Effects in the numpy definition's order: tension of every consultation (the step
        # clips afterwards), the readiness of the parties, then of the allies.
        for k in range(ne):
            i, o = ev_i[k], ev_o[k]
            q = table[i, _Q]
            a, b = min(q, o), max(q, o)
            tension[r, a, b] += amounts[i, 0]
            tension[r, b, a] += amounts[i, 0]
        for k in range(ne):
            i = ev_i[k]
            attr[r, table[i, _P], read] += amounts[i, 1]
        for k in range(ne):
            i, o = ev_i[k], ev_o[k]
            q = table[i, _Q]
            attr[r, q, read] += amounts[i, 1]
            c = np.int16(table[i, _COORD])
            if coord[r, q, o] < c:
                coord[r, q, o] = c
            clause_count[r, table[i, _CLAUSE]] += 1
        held_n += ne
        # Assistance: which entries are under a covered, consulted armed attack.
        for ll in range(n_ia):
            i = ia[ll]
            tr, p, trig, ci = table[i, _TR], table[i, _P], table[i, _TRIG], table[i, _CI]
            on = live[r] & active[r, tr]
            rp_row, agg, g_row, fire = rung[r, p], aggressor[r, p], front[r, p], can_fire[i]
            consulted = consult_level[r, max(ci, 0)]
            d_row, dn_row, dc_row, pd_row = due[r, i], done[r, i], declined[r, i], pending[r, ll]
            some = False
            for o in range(n_a):
                g = g_row[o]
                u = on & fire[o] & agg[o] & (rp_row[o] >= trig) & ((ci < 0) | (consulted[o] >= 0))
                u = u & cover[i, g if g >= 0 else n_g]
                ua[o] = u
                d_row[o] = d_row[o] if u else -1
                dn_row[o] = dn_row[o] & u
                dc_row[o] = dc_row[o] & u
                pd_row[o] = pd_row[o] & u
                some |= u
            if some:
                for o in range(n_a):
                    if ua[o]:
                        out_r[n_ua] = r
                        out_l[n_ua] = ll
                        out_o[n_ua] = o
                        out_f[n_ua] = d_row[o] < 0 and not dn_row[o] and not dc_row[o]
                        n_ua += 1
    return held_n, out_r[:n_ua], out_l[:n_ua], out_o[:n_ua], out_f[:n_ua]


@kernel
def assist(
    turn, ua_r, ua_l, ua_o, honour, decline, due, done, declined, assist_rec, declined_rec,
    rung, tension, aggressor, front, coord, clause_count,
    ia, table, amounts, territory, allied, defence_is_attack,
):  # fmt: skip
    """The entries under attack after the month's decisions: a pledge honoured falls due
    after its delay, one declined is remembered; assistance due is given (rungs, tension but
    its clip, the ally's entry into the war, coordination, the clause's count). Returns the
    number of assistance given."""
    n = ua_r.shape[0]
    n_a = rung.shape[1]
    n_g = territory.shape[0]
    ev = np.empty(n, np.int64)  # entries given assistance, in order
    g_of = np.empty(n, np.int16)
    given = 0
    k0 = 0
    while k0 < n:
        r = ua_r[k0]
        k1 = k0
        while k1 < n and ua_r[k1] == r:
            k1 += 1
        ne = 0
        for k in range(k0, k1):
            i, o = ia[ua_l[k]], ua_o[k]
            d = due[r, i, o]
            if honour[k]:
                d = turn + table[i, _DELAY]
            if decline[k]:
                declined[r, i, o] = True
                declined_rec[r, i, o] = True
            if d >= 0 and d <= turn:
                d = -1
                done[r, i, o] = True
                assist_rec[r, i, o] = True
                ev[ne] = k
                ne += 1
            due[r, i, o] = d
        for m in range(ne):
            k = ev[m]
            i, o = ia[ua_l[k]], ua_o[k]
            q, resp = table[i, _Q], np.int16(table[i, _RESP])
            if rung[r, q, o] < resp:
                rung[r, q, o] = resp
            if rung[r, o, q] < resp:
                rung[r, o, q] = resp
        for m in range(ne):
            k = ev[m]
            i, o = ia[ua_l[k]], ua_o[k]
            q = table[i, _Q]
            a, b = min(q, o), max(q, o)
            tension[r, a, b] += amounts[i, 0]
            tension[r, b, a] += amounts[i, 0]
        # The allies enter the war in the theatre of the attack (read before any is placed).
        for m in range(ne):
            k = ev[m]
            i, o = ia[ua_l[k]], ua_o[k]
            g_of[m] = front[r, table[i, _P], o]
        for m in range(ne):
            if g_of[m] >= 0:
                k = ev[m]
                front[r, table[ia[ua_l[k]], _Q], ua_o[k]] = g_of[m]
        for m in range(ne):
            if g_of[m] >= 0:
                k = ev[m]
                front[r, ua_o[k], table[ia[ua_l[k]], _Q]] = g_of[m]
        if defence_is_attack:
            for m in range(ne):
                k = ev[m]
                aggressor[r, ua_o[k], table[ia[ua_l[k]], _Q]] = True
        elif n_g > 0:
            # The entry strikes the attacker's allies whose territory lies in that theatre.
            for phase in range(3):
                for m in range(ne):
                    g = g_of[m]
                    if g < 0:
                        continue
                    k = ev[m]
                    i, o = ia[ua_l[k]], ua_o[k]
                    p, q, resp = table[i, _P], table[i, _Q], np.int16(table[i, _RESP])
                    for x in range(n_a):
                        if x == p or x == q or x == o:  # noqa: SIM109 (compiled)
                            continue
                        if not (territory[g, x] and allied[o, x]):
                            continue
                        if phase == 0:
                            aggressor[r, x, q] = True
                            if rung[r, q, x] < resp:
                                rung[r, q, x] = resp
                            if rung[r, x, q] < resp:
                                rung[r, x, q] = resp
                        elif phase == 1:
                            front[r, q, x] = g
                        else:
                            front[r, x, q] = g
        for m in range(ne):
            k = ev[m]
            i, o = ia[ua_l[k]], ua_o[k]
            q = table[i, _Q]
            c = np.int16(table[i, _COORD])
            if coord[r, q, o] < c:
                coord[r, q, o] = c
            clause_count[r, table[i, _CLAUSE]] += 1
        given += ne
        k0 = k1
    return given
