"""The compiled scan of the month's treaty clauses (``game.engine.step._clauses``).

The scan walks the runs of a batch one by one and, in each run, the rows of the consultation
and assistance instances (``Params.clause_lists``): it moves the consultation levels, clears the
assistance entries no longer under attack, and lists what fired. The effects of the few clauses
that fire, and the decisions on triggered pledges, stay in numpy on those lists (they are rare,
and the decisions read the month's reading of the commitments). The tests hold the scan and
the numpy definition side by side (tests/engine/test_compiled_engine.py).
"""

from __future__ import annotations

import numpy as np

from .jit import kernel

# Columns of ClauseLists.table (game.engine.params.INST_COLS).
_TR, _P, _TRIG, _CI = 0, 1, 3, 4


@kernel
def scan(
    live, active, rung, aggressor, attacked, front, consult_level, due, done, declined, pending,
    ic, ia, can_fire, table, cover,
):  # fmt: skip
    """Consultation levels, then which assistance entries are under a covered, consulted armed
    attack: those not are cleared. Returns the consultations held (run, instance, counterpart)
    and the entries under attack (run, pledge, counterpart, fresh: undecided), each in the
    order of ``np.nonzero`` over (runs, instances, counterparts).

    A clause instance's row of counterparts is one short branch-free loop (the entries that
    cannot fire, ``can_fire`` false, take their reset values in it); only a row where
    something happens is walked again to list it."""
    n_b, n_a = live.shape[0], rung.shape[1]
    n_g = cover.shape[1] - 1
    cap_c, cap_a = 0, 0
    for o in range(n_a):
        for ii in range(ic.shape[0]):
            cap_c += can_fire[ic[ii], o]
        for ll in range(ia.shape[0]):
            cap_a += can_fire[ia[ll], o]
    ev = np.empty(n_b * cap_c * 3, np.int64)
    ua_ev = np.empty(n_b * cap_a * 3, np.int64)
    fresh = np.empty(n_b * cap_a, np.bool_)
    n_ev, n_ua = 0, 0
    hit = np.empty(n_a, np.bool_)
    for r in range(n_b):
        for ii in range(ic.shape[0]):
            i = ic[ii]
            p, trig = table[i, _P], table[i, _TRIG]
            on = live[r] & active[r, table[i, _TR]]
            some = False
            for o in range(n_a):
                rp, lv, on_o = rung[r, p, o], consult_level[r, i, o], on & can_fire[i, o]
                renewed = aggressor[r, p, o] & (not attacked[r, p, o])
                new = on_o & (rp >= trig) & ((rp > lv) | renewed)
                calm = (not on_o) | (rp < trig - 1)
                consult_level[r, i, o] = rp if new else (-1 if calm else lv)
                hit[o] = new
                some |= new
            for o in range(n_a if some else 0):
                if hit[o]:
                    ev[3 * n_ev] = r
                    ev[3 * n_ev + 1] = i
                    ev[3 * n_ev + 2] = o
                    n_ev += 1
        for ll in range(ia.shape[0]):
            i = ia[ll]
            p, trig, ci = table[i, _P], table[i, _TRIG], table[i, _CI]
            on = live[r] & active[r, table[i, _TR]]
            some = False
            for o in range(n_a):
                g = front[r, p, o]
                u = on & can_fire[i, o] & aggressor[r, p, o] & (rung[r, p, o] >= trig)
                u = u & ((ci < 0) | (consult_level[r, max(ci, 0), o] >= 0))
                u = u & cover[i, g if g >= 0 else n_g]
                if not u:
                    due[r, i, o] = -1
                    done[r, i, o] = False
                    declined[r, i, o] = False
                    pending[r, ll, o] = False
                hit[o] = u
                some |= u
            for o in range(n_a if some else 0):
                if hit[o]:
                    ua_ev[3 * n_ua] = r
                    ua_ev[3 * n_ua + 1] = ll
                    ua_ev[3 * n_ua + 2] = o
                    fresh[n_ua] = (due[r, i, o] < 0) & (not done[r, i, o]) & (not declined[r, i, o])
                    n_ua += 1
    return ev[: 3 * n_ev].reshape(n_ev, 3), ua_ev[: 3 * n_ua].reshape(n_ua, 3), fresh[:n_ua]
