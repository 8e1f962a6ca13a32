"""The compiled loops of the month's treaty clauses (``game.engine.step._clauses``).

Each loop walks the runs of a batch one by one and, in each run, the rows of the clause
instances (``Params.clause_lists``) or the commitments decided:

* ``scan`` moves the consultation levels and applies the consultations held (tension, readiness,
  coordination, the clause's count), clears the assistance entries no longer under attack, and
  lists what fired;
* ``settle`` applies the decisions taken on the pledges triggered, then the assistance that
  falls due (the ally's entry into the war) and the credibility consultations earn;
* ``answer`` applies the decisions on red lines and the answers that fall due.

The decisions themselves (the odds, with numpy's ``exp``, and the draws) are weighed in numpy
between the loops (``step._Decisions``). Wherever numpy clipped a whole array after adding to
a few entries of it, the loops clip what that clip could change, right after the additions:
the credibility of every run a decision moved (its row), and of tension the entries added to
(``_pair_add``). Every other tension stands within 0 and 100 already, as every rule that
writes a tension clips what it writes (tests/test_shipped_scenarios.py checks it month by
month in every shipped scenario), so the clip of the whole array leaves it as it is; clipping
every run's block each month would cost a read of the whole (A, A) grid of every run, work
that grows with the square of the actors, not with what happens. So every entry goes through
the same operations in the same order. The tests hold the loops and the numpy definition side
by side (tests/engine/test_compiled_engine.py).
"""

from __future__ import annotations

import numpy as np

from .commitments import ASSIST, GROWTH
from .jit import kernel, part
from .move_kernels import _ahead, _prefetch, _prefetch_block

# Columns of ClauseLists.table (game.engine.params.INST_COLS).
_TR, _P, _BY, _TRIG, _CI, _DELAY, _RESP, _COORD, _CLAUSE = range(9)


@kernel
def _grown(buf, n):
    """``buf`` with room for ``n`` more rows of its width (doubled when full)."""
    if buf.shape[0] >= n:
        return buf
    out = np.empty((max(n, 2 * buf.shape[0]), buf.shape[1]), buf.dtype)
    # Element by element: a slice assignment would compile numba's whole broadcasting code.
    for i in range(buf.shape[0]):
        for j in range(buf.shape[1]):
            out[i, j] = buf[i, j]
    return out


@kernel
def _grown_flags(flags, n, used):
    """``flags`` in an array of ``n``, its first ``used`` entries copied."""
    out = np.empty(n, np.bool_)
    for k in range(used):  # element by element, as in _grown
        out[k] = flags[k]
    return out


@part
def _clip_row(cred, r):
    """``np.clip(cred, 0, 1)`` on the row of run ``r``."""
    for n in range(cred.shape[1]):
        v = cred[r, n]
        if v < 0.0:
            cred[r, n] = 0.0
        elif v > 1.0:
            cred[r, n] = 1.0


@part
def _pair_add(ten, r, qs, os, deltas, k0, k1):
    """The numpy definition's ``_pair_add`` (tests/engine/oracle_moves.py) for entries
    ``k0 .. k1`` of one run: each pair in one orientation, the upper halves' additions in
    order, then the lower halves', then the pairs added to clipped to 0..100 (the rest of the
    block stands within the bounds: module docstring)."""
    for k in range(k0, k1):
        a, b = min(qs[k], os[k]), max(qs[k], os[k])
        ten[r, a, b] += deltas[k]
    for k in range(k0, k1):
        a, b = min(qs[k], os[k]), max(qs[k], os[k])
        ten[r, b, a] += deltas[k]
    for k in range(k0, k1):
        a, b = qs[k], os[k]
        for x, y in ((a, b), (b, a)):
            v = ten[r, x, y]
            if v < 0.0:
                ten[r, x, y] = 0.0
            elif v > 100.0:
                ten[r, x, y] = 100.0


@part
def _decide(
    r, k0, k1, ns, os, yes, decided, odds, pending, waiting, odds_out, honour, decline, cred,
    honoured, declined, by, honour_gain, decline_loss, reputation,
):  # fmt: skip
    """The decisions ``k0 .. k1`` of run ``r`` on commitments ``ns`` against ``os``: what they
    record, the credibility they move (one after another, as
    ``commitments.update_credibility``; the clip is the caller's) and the counts."""
    for k in range(k0, k1):
        n, o, d = ns[k], os[k], decided[k]
        pending[r, n, o] = not d
        waiting[r, n, o] = not d
        odds_out[r, n, o] = np.float32(odds[k])
        if d and yes[k]:
            honour[r, n, o] = True
        elif d:
            decline[r, n, o] = True
    for k in range(k0, k1):
        if not decided[k]:
            continue
        j, h = ns[k], yes[k]
        c = cred[r, j]
        cred[r, j] = c + honour_gain * (1.0 - c) if h else c - decline_loss * c
        if reputation > 0:
            up = honour_gain if h else 0.0
            down = 0.0 if h else decline_loss
            for x in range(cred.shape[1]):
                if by[x] == by[j] and x != j:
                    cur = cred[r, x]
                    gain = GROWTH * up * cur * (1.0 - cur)
                    cred[r, x] = cur + reputation * (gain - down * cur)
    for k in range(k0, k1):
        if decided[k] and yes[k]:
            honoured[r, ns[k]] += 1
        elif decided[k]:
            declined[r, ns[k]] += 1


@part
def _consulted(rung, aggressor, attacked, consult_level, can_fire, r, i, p, o, lo):
    """(held, level): whether consultation instance ``i`` (party ``p``, trigger rung ``lo`` + 1)
    is held against counterpart ``o`` this month of run ``r`` (the pair climbs past the level
    last consulted, or a fresh armed attack renews it), and the level the entry takes: the
    rung where held, kept while the pair stays at the trigger's eve or above, else -1."""
    rp, lv, cf = rung[r, p, o], consult_level[r, i, o], can_fire[i, o]
    renewed = aggressor[r, p, o] > attacked[r, p, o]
    new = cf & (rp > lo) & ((rp > lv) | renewed)
    keep = cf & (rp >= lo)
    return new, (rp if new else (lv if keep else np.int16(-1)))


@kernel
def _struck(table, i, o, th, y, territory, allied):
    """Whether the entry of ally ``table[i]`` against ``o`` in theatre ``th`` strikes ``y``:
    an ally of the attacker, other than the three, whose territory lies in the theatre."""
    p, q = table[i, _P], table[i, _BY]
    return th >= 0 and territory[th, y] and allied[o, y] and y != p and y != q and y != o


@part
def _attackers(aggressor, r, p, att, n_att):
    """The attackers of party ``p`` in run ``r``, in order: ``att[p, :n_att[p]]`` (looked over
    first: most parties are under no attack)."""
    n_a = aggressor.shape[1]
    some = False
    for o in range(n_a):
        some |= aggressor[r, p, o]
    n = 0
    for o in range(n_a if some else 0):
        att[p, n] = o
        n += 1 if aggressor[r, p, o] else 0
    n_att[p] = n


@kernel
def scan(
    live, active, rung, aggressor, attacked, front, consult_level, due, done, declined, pending,
    ic, ia, can_fire, table, amounts, cover, tension, attr, read, coord, clause_count, consult,
    was, was_ua, known, parties, ic_slot, seen, was_on, track, memo,
):  # fmt: skip
    """Consultation levels and the consultations held, then which assistance entries are under
    a covered, consulted armed attack: those not are cleared. Returns the consultations held
    (run, instance, counterpart) and the entries under attack (run, pledge, counterpart,
    fresh: undecided), each in the order of ``np.nonzero`` over (runs, instances,
    counterparts). ``consult`` is cleared first at the cells ``was`` (run, instance,
    counterpart; runs ascending: what it held the month before).
    ``known``: the pledges under attack the month before, ``was_ua`` (run, pledge,
    counterpart, as this returns them), are the only entries of the runs then live that may
    stand off their reset values (the month before scanned every entry and reset the others,
    and only the decisions on those wrote them since); without it every row is read.

    A consultation held adds tension between the ally and the counterpart (clipped after),
    readiness to the party and the ally, coordination of the ally against the counterpart, and
    one to the clause's count.

    A clause instance's row of counterparts is read in one short branch-free loop that only
    compares (the entries that cannot fire, ``can_fire`` false, are due their reset values);
    only a row where something changes or a consultation is held is walked again to write
    and list it. An assistance row whose party is under attack walks only the attackers' entries
    where ``known`` holds (the others stand at their reset values, but for those under attack
    the month before, which are reset), so its cost follows the attacks, not the actors.

    With ``track`` (a batch stepped in place: ``step._KeptRecords``), the scan keeps what it
    saw: ``seen`` (B, S, A), the rungs of each party with consultation clauses (``parties``,
    slot ``ic_slot`` of each consultation row) as the scan read them, and ``was_on`` (B, I_c),
    whether each consultation row was in force and its run live. With ``memo`` (what the
    month before kept), a row in force now and then, whose party's rungs stand where the scan
    last saw them and which no fresh armed attack renews, is passed over: walking it would
    change nothing. Each entry's level is what the walk that saw those rungs left: the rung,
    where a consultation was held (then the rung is above the trigger's eve and not above the
    level: none is held, the level kept); the level before, where the pair stood at the eve or
    above and none was held (at the same rung, with no attack renewing it, none is held now);
    or -1, where the pair stood below the eve (it still does). Only this loop writes the
    levels, so nothing else can have moved them. Most months leave most parties' rungs where
    they were, so the rows walked follow what moves, not the instances times the actors
    (tests/engine/test_compiled_engine.py holds months stepped in place, which pass over
    rows, to months stepped anew, which walk them all)."""
    n_b, n_a = live.shape[0], rung.shape[1]
    n_s = parties.shape[0]
    moved_p = np.ones(max(1, n_s), np.bool_)  # a party's rungs moved, or an attack renews
    ic_tr = np.empty(ic.shape[0], np.int64)  # the treaty of each consultation row
    for ii in range(ic.shape[0]):
        ic_tr[ii] = table[ic[ii], _TR]
    n_g = cover.shape[1] - 1
    ev = np.empty((max(64, 16 * n_b), 3), np.int64)
    ua_ev = np.empty((max(16, n_b // 8), 3), np.int64)
    fresh = np.empty(ua_ev.shape[0], np.bool_)
    n_ev, n_ua = 0, 0
    hit = np.empty(n_a, np.bool_)
    # A run's consultations held, for the tension they add: at most one per row entry.
    qs = np.empty(max(1, ic.shape[0] * n_a), np.int64)
    os = np.empty(qs.shape[0], np.int64)
    dt = np.empty(qs.shape[0], np.float64)
    stale = np.zeros(ia.shape[0], np.bool_)
    st_lo = np.zeros(ia.shape[0], np.int64)  # a stale pledge's entries: was_ua[st_lo:st_hi]
    st_hi = np.zeros(ia.shape[0], np.int64)
    n_att = np.zeros(n_a, np.int64)  # the run's attackers of each party: att[p, :n_att[p]]
    att = np.empty((n_a, n_a), np.int64)
    att_run = np.full(n_a, -1, np.int64)  # the run whose attackers n_att[p], att[p] list
    every = np.arange(n_a)  # every counterpart, where the attackers alone are not enough
    w, wu = 0, 0
    ahead = _ahead(n_a)
    for r in range(n_b):
        e0 = n_ev
        while w < was.shape[0] and was[w, 0] == r:
            consult[r, was[w, 1], was[w, 2]] = False
            w += 1
        # The pledges of the run that may stand off their reset values (all, unless known).
        wu0 = wu
        while wu < was_ua.shape[0] and was_ua[wu, 0] == r:
            ll = was_ua[wu, 1]
            if not stale[ll]:
                stale[ll] = True
                st_lo[ll] = wu
            st_hi[ll] = wu + 1
            wu += 1
        reset = known and live[r]  # the pledges not stale stand at their reset values
        if ahead and r + 1 < n_b:
            # The next run's rows arrive while this run's are walked (in the larger states:
            # move_kernels._AHEAD_BYTES); the levels only where most rows will be walked.
            for ii in range(0 if memo else ic.shape[0]):
                _prefetch(consult_level, r + 1, ic[ii], 0)
            if track:
                _prefetch_block(seen, r + 1)
            more = wu < was_ua.shape[0] and was_ua[wu, 0] == r + 1
            for ll in range(0 if known and live[r + 1] and not more else ia.shape[0]):
                _prefetch(due, r + 1, ia[ll], 0)
                _prefetch(done, r + 1, ia[ll], 0)
                _prefetch(declined, r + 1, ia[ll], 0)
                _prefetch(pending, r + 1, ll, 0)
            _prefetch_block(rung, r + 1)
            _prefetch_block(aggressor, r + 1)
            _prefetch_block(attacked, r + 1)
        # Room for every entry the run's rows may list, made once a run: grown in the rows
        # that list something, the array took and dropped a reference in each of them.
        if n_ev + ic.shape[0] * n_a > ev.shape[0]:
            ev = _grown(ev, n_ev + ic.shape[0] * n_a)
        for x in range(n_s if track else 0):
            # Each party's rungs against those the scan saw last, and the attacks on it that
            # began this month; what moved is kept as seen now.
            p = parties[x]
            moved = False
            for o in range(n_a):
                moved |= seen[r, x, o] != rung[r, p, o]
                moved |= aggressor[r, p, o] > attacked[r, p, o]
            moved_p[x] = moved or not memo
            for o in range(n_a if moved_p[x] else 0):
                seen[r, x, o] = rung[r, p, o]
        lr = live[r]
        for ii in range(ic.shape[0]):
            on = lr and active[r, ic_tr[ii]]
            if track:
                if memo and on and was_on[r, ii] and not moved_p[ic_slot[ii]]:
                    continue  # walked last month, and nothing it reads has moved since
                was_on[r, ii] = on
            i = ic[ii]
            p, trig = table[i, _P], table[i, _TRIG]
            if not on:
                dirty = False
                for o in range(n_a):
                    dirty |= consult_level[r, i, o] != -1
                for o in range(n_a if dirty else 0):
                    consult_level[r, i, o] = -1
                continue
            some, moved = False, False
            lo = np.int16(trig - 1)
            for o in range(n_a):
                new, level = _consulted(
                    rung, aggressor, attacked, consult_level, can_fire, r, i, p, o, lo
                )
                some |= new
                moved |= level != consult_level[r, i, o]
            if not (some or moved):
                continue  # the row stays as it is (the usual case): nothing written
            # Walked again: the entries that change are written, those held listed.
            for o in range(n_a):
                new, level = _consulted(
                    rung, aggressor, attacked, consult_level, can_fire, r, i, p, o, lo
                )
                if level != consult_level[r, i, o]:
                    consult_level[r, i, o] = level
                if new:
                    ev[n_ev, 0] = r
                    ev[n_ev, 1] = i
                    ev[n_ev, 2] = o
                    n_ev += 1
        if n_ev > e0:
            m = n_ev - e0
            for k in range(m):
                i, o = ev[e0 + k, 1], ev[e0 + k, 2]
                consult[r, i, o] = True
                qs[k], os[k], dt[k] = table[i, _BY], o, amounts[i, 0]
            _pair_add(tension, r, qs, os, dt, 0, m)
            for k in range(m):
                i = ev[e0 + k, 1]
                attr[r, table[i, _P], read] += amounts[i, 1]
            for k in range(m):
                i = ev[e0 + k, 1]
                attr[r, table[i, _BY], read] += amounts[i, 1]
            for k in range(m):
                i, o = ev[e0 + k, 1], ev[e0 + k, 2]
                q = table[i, _BY]
                coord[r, q, o] = max(coord[r, q, o], np.int16(table[i, _COORD]))
                clause_count[r, table[i, _CLAUSE]] += 1
        if n_ua + ia.shape[0] * n_a > ua_ev.shape[0]:  # as for ``ev`` above
            ua_ev = _grown(ua_ev, n_ua + ia.shape[0] * n_a)
            fresh = _grown_flags(fresh, ua_ev.shape[0], n_ua)
        for ll in range(ia.shape[0]):
            i = ia[ll]
            p, trig, ci = table[i, _P], table[i, _TRIG], table[i, _CI]
            on = live[r] & active[r, table[i, _TR]]
            if on and att_run[p] != r:
                _attackers(aggressor, r, p, att, n_att)
                att_run[p] = r
            attack = on and n_att[p] > 0
            if not (on and attack):
                # No armed attack on the party: every entry is cleared (most rows are).
                if reset and not stale[ll]:
                    continue
                dirty = False
                for o in range(n_a):
                    dirty |= (due[r, i, o] != -1) | done[r, i, o] | declined[r, i, o]
                    dirty |= pending[r, ll, o]
                for o in range(n_a if dirty else 0):
                    due[r, i, o] = -1
                    done[r, i, o] = False
                    declined[r, i, o] = False
                    pending[r, ll, o] = False
                continue
            if reset:
                # Only the attackers' entries can be under attack, and the others stand at
                # their reset values but for those under attack the month before: those are
                # reset, the attackers' walked.
                for x in range(st_lo[ll] if stale[ll] else 0, st_hi[ll] if stale[ll] else 0):
                    o = was_ua[x, 2]
                    if not aggressor[r, p, o]:
                        due[r, i, o] = -1
                        done[r, i, o] = False
                        declined[r, i, o] = False
                        pending[r, ll, o] = False
                walk, n_walk = att[p], n_att[p]
            else:
                walk, n_walk = every, n_a
            some = False
            for x in range(n_walk):
                o = walk[x]
                g = front[r, p, o]
                u = can_fire[i, o] & aggressor[r, p, o] & (rung[r, p, o] >= trig)
                u = u & ((ci < 0) | (consult_level[r, max(ci, 0), o] >= 0))
                u = u & cover[i, g if g >= 0 else n_g]
                if not u:
                    due[r, i, o] = -1
                    done[r, i, o] = False
                    declined[r, i, o] = False
                    pending[r, ll, o] = False
                hit[x] = u
                some |= u
            if some:
                for x in range(n_walk):
                    if hit[x]:
                        o = walk[x]
                        ua_ev[n_ua, 0] = r
                        ua_ev[n_ua, 1] = ll
                        ua_ev[n_ua, 2] = o
                        fresh[n_ua] = (due[r, i, o] < 0) & (not done[r, i, o])
                        fresh[n_ua] &= not declined[r, i, o]
                        n_ua += 1
        for x in range(wu0, wu):
            stale[was_ua[x, 1]] = False
    return ev[:n_ev], ua_ev[:n_ua], fresh[:n_ua]


@kernel
def settle(
    t, ua, fresh, yes, decided, odds, ev, pending, waiting, odds_out, honour,
    decline, cred, honoured, declined_count, com_by, com_party, com_kind, com_consult, gains,
    due, done, declined, assist_out, declined_out, rung, tension, front, aggressor, coord,
    clause_count, ia, table, amounts, defence_is_attack, territory, allied, was_ua, was_given,
):  # fmt: skip
    """The decisions on the pledges triggered (entries of ``ua`` where ``fresh``: ``yes``,
    ``decided``, ``odds`` weighed by step._Decisions), then the assistance that falls due,
    then the credibility the consultations held (``ev``) earn. ``gains``: honour gain, decline
    loss, reputation, decline tension, consultation gain. ``territory`` has no rows when the
    scenario places no fights in theatres. Returns the assistance given (run, instance,
    counterpart) in the order of ``np.nonzero``.

    The month's records are cleared first, run by run, at the cells the month before wrote:
    ``was_ua`` (the pledges triggered then: their decisions and declines) and ``was_given``
    (the assistance given then), runs ascending."""
    n_b, n_a = cred.shape[0], tension.shape[1]
    n_i, na = table.shape[0], ia.shape[0]
    honour_gain, decline_loss, reputation, decline_tension, consult_gain = gains
    n_ua, n_ev = ua.shape[0], ev.shape[0]
    any_decided, any_sour = False, False
    for k in range(n_ua):
        if fresh[k] and decided[k]:
            any_decided = True
            if not yes[k] and com_kind[ua[k, 1]] == ASSIST:
                any_sour = True
    any_sour &= decline_tension != 0
    # The due turns after the decisions, and which fall due.
    now = np.empty(n_ua, np.bool_)
    due_at = np.empty(n_ua, np.int64)
    for k in range(n_ua):
        r, ll, o = ua[k, 0], ua[k, 1], ua[k, 2]
        i = ia[ll]
        d = np.int64(due[r, i, o])
        if fresh[k] and decided[k] and yes[k]:
            d = t + table[i, _DELAY]
        due_at[k] = d
        now[k] = (d >= 0) & (d <= t)
    gain_on = na > 0 and consult_gain > 0 and n_ev > 0
    # Room for every entry under attack: each falls due at most once. (Grown inside the loop,
    # the array would take and drop a reference in every run.)
    out = np.empty((max(16, n_ua), 3), np.int64)
    n_out = 0
    cap = n_a * na + 1
    xn, xo, xd = np.empty(cap, np.int64), np.empty(cap, np.int64), np.empty(cap, np.float64)
    xy, xk = np.empty(cap, np.bool_), np.empty(cap, np.bool_)
    gg = np.empty(cap, np.int64)
    got = np.zeros(n_i, np.bool_)
    k, e, wu, wg = 0, 0, 0, 0
    for r in range(n_b):
        while wu < was_ua.shape[0] and was_ua[wu, 0] == r:
            ll, o = was_ua[wu, 1], was_ua[wu, 2]
            declined_out[r, ia[ll], o] = False
            honour[r, ll, o] = False
            decline[r, ll, o] = False
            odds_out[r, ll, o] = 0.0
            waiting[r, ll, o] = False
            wu += 1
        while wg < was_given.shape[0] and was_given[wg, 0] == r:
            assist_out[r, was_given[wg, 1], was_given[wg, 2]] = False
            wg += 1
        k0 = k
        while k < n_ua and ua[k, 0] == r:
            k += 1
        # The decisions of the run, in the order of its entries.
        m = 0
        for x in range(k0, k):
            if fresh[x]:
                xn[m], xo[m], xd[m] = ua[x, 1], ua[x, 2], odds[x]
                xy[m], xk[m] = yes[x], decided[x]
                m += 1
        if m:
            _decide(
                r, 0, m, xn, xo, xy, xk, xd, pending, waiting, odds_out, honour, decline,
                cred, honoured, declined_count, com_by, honour_gain, decline_loss, reputation,
            )  # fmt: skip
        if any_decided:
            _clip_row(cred, r)
        if any_sour:
            s = 0
            for x in range(k0, k):
                n = ua[x, 1]
                if fresh[x] and decided[x] and not yes[x] and com_kind[n] == ASSIST:
                    xn[s], xo[s], xd[s] = com_by[n], com_party[n], decline_tension
                    s += 1
            _pair_add(tension, r, xn, xo, xd, 0, s)
        # Due dates, declines, and the assistance that falls due.
        m = 0
        for x in range(k0, k):
            ll, o = ua[x, 1], ua[x, 2]
            i = ia[ll]
            if fresh[x] and decided[x] and not yes[x]:
                declined[r, i, o] = True
                declined_out[r, i, o] = True
            due[r, i, o] = -1 if now[x] else due_at[x]
            if now[x]:
                xn[m], xo[m] = i, o
                m += 1
        for x in range(m):
            i, o = xn[x], xo[x]
            done[r, i, o] = True
            assist_out[r, i, o] = True
            out[n_out, 0], out[n_out, 1], out[n_out, 2] = r, i, o
            n_out += 1
        for x in range(m):
            i, o = xn[x], xo[x]
            q, resp = table[i, _BY], np.int16(table[i, _RESP])
            rung[r, q, o] = max(rung[r, q, o], resp)
            rung[r, o, q] = max(rung[r, o, q], resp)
        for x in range(m):
            i = xn[x]
            xd[x] = amounts[i, 0]
            gg[x] = table[i, _BY]
        if m:
            _pair_add(tension, r, gg, xo, xd, 0, m)
        # The allies enter the war in the theatre of the attack (step._intervene).
        for x in range(m):
            i, o = xn[x], xo[x]
            gg[x] = front[r, table[i, _P], o]
        for x in range(m):
            if gg[x] >= 0:
                front[r, table[xn[x], _BY], xo[x]] = gg[x]
        for x in range(m):
            if gg[x] >= 0:
                front[r, xo[x], table[xn[x], _BY]] = gg[x]
        if defence_is_attack:
            for x in range(m):
                aggressor[r, xo[x], table[xn[x], _BY]] = True
        elif territory.shape[0]:
            # It strikes the attacker's allies whose territory lies in that theatre.
            for x in range(m):
                q, resp = table[xn[x], _BY], np.int16(table[xn[x], _RESP])
                for y in range(n_a):
                    if _struck(table, xn[x], xo[x], gg[x], y, territory, allied):
                        aggressor[r, y, q] = True
                        rung[r, q, y] = max(rung[r, q, y], resp)
                        rung[r, y, q] = max(rung[r, y, q], resp)
            for half in range(2):
                for x in range(m):
                    q = table[xn[x], _BY]
                    for y in range(n_a):
                        if _struck(table, xn[x], xo[x], gg[x], y, territory, allied):
                            if half == 0:
                                front[r, q, y] = gg[x]
                            else:
                                front[r, y, q] = gg[x]
        for x in range(m):
            i, o = xn[x], xo[x]
            q = table[i, _BY]
            coord[r, q, o] = max(coord[r, q, o], np.int16(table[i, _COORD]))
            clause_count[r, table[i, _CLAUSE]] += 1
        # Allies that consult stand more credibly behind their pledge to the threatened party.
        if gain_on:
            e0 = e
            while e < n_ev and ev[e, 0] == r:
                got[ev[e, 1]] = True
                e += 1
            for n in range(na):
                ci = com_consult[n]
                c = cred[r, n]
                if ci >= 0 and got[ci]:
                    cred[r, n] = c + GROWTH * consult_gain * c * (1.0 - c)
                else:
                    cred[r, n] = c + 0.0
            for x in range(e0, e):
                got[ev[x, 1]] = False
    return out[:n_out]


@kernel
def answer(
    t, na, rows, lines, yes, decided, odds, done, pending, waiting, odds_out, honour,
    decline, cred, honoured, declined_count, com_by, com_party, gains, com_delay, com_response,
    com_tension, red_line_of, open_com, open_months, answer_due, rung, tension, red_line_count,
    answered, opened_until, was_rows, was_lines,
):  # fmt: skip
    """The decisions on red lines (``rows``, ``lines``: run and line of each, runs ascending,
    weighed by step._Decisions), then the answers that fall due: the declaring state climbs
    against the violator, tension rises, the moves the answer opens open. The decisions'
    records are cleared first at the red lines decided the month before (``was_rows``,
    ``was_lines``)."""
    n_b, n_l = answer_due.shape[0], com_by.shape[0] - na
    honour_gain, decline_loss, reputation = gains[0], gains[1], gains[2]
    n_k = rows.shape[0]
    for k in range(was_rows.shape[0]):
        r, n = was_rows[k], na + was_lines[k]
        o = com_party[n]
        honour[r, n, o] = False
        decline[r, n, o] = False
        odds_out[r, n, o] = 0.0
        waiting[r, n, o] = False
    any_decided = False
    ns, os = np.empty(n_k, np.int64), np.empty(n_k, np.int64)
    for k in range(n_k):
        any_decided |= decided[k]
        ns[k] = na + lines[k]
        os[k] = com_party[na + lines[k]]
    # The due turns after the decisions, and whether any answer falls due anywhere.
    due = np.empty((n_b, n_l), np.int64)
    for r in range(n_b):
        for ll in range(n_l):
            due[r, ll] = answer_due[r, na + ll]
    for k in range(n_k):
        if decided[k] and yes[k]:
            due[rows[k], lines[k]] = t + com_delay[ns[k]]
    xq = np.empty(n_l + 1, np.int64)
    xv = np.empty(n_l + 1, np.int64)
    xd = np.empty(n_l + 1, np.float64)
    now = np.empty(n_l + 1, np.bool_)
    k = 0
    for r in range(n_b):
        k0 = k
        while k < n_k and rows[k] == r:
            k += 1
        if k > k0:
            _decide(
                r, k0, k, ns, os, yes, decided, odds, pending, waiting, odds_out, honour,
                decline, cred, honoured, declined_count, com_by, honour_gain, decline_loss,
                reputation,
            )  # fmt: skip
        if any_decided:
            _clip_row(cred, r)
        m = 0
        for ll in range(n_l):
            n = na + ll
            d = due[r, ll]
            now[ll] = (d >= 0) & (d <= t) & (not done[r])
            answer_due[r, n] = -1 if now[ll] else d
            if now[ll]:
                xq[m], xv[m], xd[m] = com_by[n], com_party[n], com_tension[n]
                m += 1
        if m:
            for ll in range(n_l):
                if now[ll]:
                    n = na + ll
                    q, v, resp = com_by[n], com_party[n], np.int16(com_response[n])
                    rung[r, q, v] = max(rung[r, q, v], resp)
                    rung[r, v, q] = max(rung[r, v, q], resp)
            _pair_add(tension, r, xq, xv, xd, 0, m)
            for ll in range(n_l):
                if now[ll]:
                    n = na + ll
                    red_line_count[r, red_line_of[n]] += 1
                    answered[r, n] = True
            for x in range(open_com.shape[0]):
                if now[open_com[x] - na]:
                    opened_until[r, x] = t + 1 + open_months[x]
