"""The compiled loop of the month's stance changes (``game.engine.stance.update``), run by run
and pair by pair.

Each held pair is settled by the first of the rules (in the module's order) that applies to it,
as the numpy definition's masks settle it; the draws are taken by the caller. The tests hold the
two side by side (tests/engine/test_compiled_engine.py, oracle tests/engine/oracle_stance.py).
"""

from __future__ import annotations

import numpy as np

from .jit import kernel, part
from .rng_kernels import bits as _bits
from .rng_kernels import uniform as _uniform


@kernel
def update(
    hi, hj, pair_of, stance, quiet_in, done, k_all, t_all, hostility, attack, aggressor,
    attacked_before, rung, rung_before, inc_kind, fp_p, com_start, com_n, answered, ri, ii, oi,
    inst_by, inst_party, keys, counter, draw_index, below, above, stick, talks_rate, pressure_rate,
    quiet_months, war, clash, armed, threat, event, quiet_cap, codes, new, reason, detail, before,
):  # fmt: skip
    """Fill ``before``, ``new``, ``reason`` and ``detail`` (B, P) for the held pairs (hi, hj),
    and write the new stances and months of quiet into ``stance`` and ``quiet_in``;
    ``war``, ``armed``: the threshold rungs (-1: the scenario has none), ``clash``, ``threat``:
    the rungs below which talks and quiet apply; ``talks_rate``, ``pressure_rate``: float32;
    a pair's draw (:func:`_beats`) is the run's key (``keys``) at ``counter`` plus the pair's
    ``draw_index``, its bounds ``below`` and ``above`` (2, P, K), ``stick`` (P,) the pair's
    mover's stickiness; ``codes``: the stances and the reasons, in game.engine.stance's order
    (WAIT..COERCION, ATTACKED..QUIET);
    ``com_start``, ``com_n``: the commitments of each held pair, ascending (the last answered
    gives the reason's detail).

    The (B, A, A) arrays (``stance``, ``quiet_in``, ``aggressor``, ``attacked_before``, ``rung``,
    ``rung_before``) come flat, (B, A * A): a run's pairs are read at their places and their
    mirrors' (unsigned indices: the compiled code does not check them for negative values).
    A pair with nothing between its two sides this month - neither's move toward the other, no
    attack begun on the mover, no red line or pledge of its own, no treaty invoked by either
    against the other, no rung climbed - meets none of rules 1 to 8: it counts a month of quiet
    and is settled by rule 9 alone. A pair's draw is taken only where rule 6 or 7 reads it."""
    WAIT, DETENTE, DETERRENCE, COERCION = codes[0], codes[1], codes[2], codes[3]  # noqa: N806
    ATTACKED, ATTACKING, RED_LINE, TREATY, THRESHOLD = codes[4:9]  # noqa: N806
    TALKS, PRESSURE, INITIATIVE, QUIET = codes[9], codes[10], codes[11], codes[12]  # noqa: N806
    b_n, n_p = new.shape
    n_a = pair_of.shape[0]
    none = np.iinfo(np.int64).max
    # Each pair's first clause invoked, in the runs that invoked any (a run's row is filled
    # when its first entry comes); the others read a row of none, not a batch of them.
    first = np.empty((b_n, n_p), dtype=np.int64)
    some = np.zeros(b_n, dtype=np.bool_)
    nothing = np.full(n_p, none, dtype=np.int64)
    for x in range(ri.shape[0]):
        if not some[ri[x]]:
            first[ri[x]] = none
            some[ri[x]] = True
        for mover in (inst_by[ii[x]], inst_party[ii[x]]):
            p = pair_of[mover, oi[x]]
            if p >= 0 and ii[x] < first[ri[x], p]:
                first[ri[x], p] = ii[x]
    own_at = np.empty(n_p, np.uint64)  # pair p's place in a run's flat (A, A) block
    mirror_at = np.empty(n_p, np.uint64)  # and its mirror's
    pledged = np.empty(n_p, np.bool_)  # it has red lines or pledges (rule 3)
    mirror_p = np.empty(n_p, np.int64)  # the pair the other way round (-1: not held)
    for p in range(n_p):
        own_at[p] = np.uint64(hi[p] * n_a + hj[p])
        mirror_at[p] = np.uint64(hj[p] * n_a + hi[p])
        pledged[p] = com_start[p] != com_start[p + 1]
        mirror_p[p] = pair_of[hj[p], hi[p]]
    for r in range(b_n):
        st, qu, ag, at = stance[r], quiet_in[r], aggressor[r], attacked_before[r]
        gr, gb, kr, tr = rung[r], rung_before[r], k_all[r], t_all[r]
        nw, rs, dt, bf = new[r], reason[r], detail[r], before[r]
        fr = first[r] if some[r] else nothing
        key = keys[r]
        off = done[r]
        for p in range(n_p):
            ac, ca = own_at[p], mirror_at[p]
            a, c = hi[p], hj[p]
            s0 = st[ac]
            was = qu[ac]
            bf[p] = s0
            nw[p] = s0
            rs[p] = 0
            dt[p] = 0
            if off:
                continue
            ko, kt = kr[a], kr[c]
            g = gr[ac]
            g0 = gb[ac]
            own = (ko >= 0) & (tr[a] == c)
            theirs = (kt >= 0) & (tr[c] == a)
            # A clause the counterpart invoked against the state (it consulted, assisted or was
            # the party threatened): no change of line, but no quiet month either.
            mp = mirror_p[p]
            against = mp >= 0 and fr[max(mp, 0)] != none
            if not (
                own
                | theirs
                | ag[ac] & (not at[ac])
                | (fr[p] != none)
                | (g > g0)
                | pledged[p]
                | against
            ):
                # Nothing between the two this month: a month of quiet, and rule 9 alone.
                q = min(was + 1, quiet_cap)
                qu[ac] = q
                if q >= quiet_months[p] and s0 != WAIT and g < threat:  # 9. quiet
                    nw[p] = WAIT
                    rs[p] = QUIET
                    dt[p] = q
                    st[ac] = WAIT
                continue
            own_h = hostility[ko] if own else np.float32(0.0)
            theirs_h = hostility[kt] if theirs else np.float32(0.0)
            own_k = ko if own else -1
            theirs_k = kt if theirs else -1
            their_attack = theirs and attack[kt]
            q = 0 if (own_h != 0 or theirs_h != 0) else min(was + 1, quiet_cap)
            qu[ac] = q
            to, why, det = -1, 0, 0
            if ag[ac] and not at[ac]:  # 1. attacked
                det = -1 - theirs_k if their_attack else event
                for f in range(fp_p.shape[0]):
                    if inc_kind[r, f] == 2 and (fp_p[f, 0] == p or fp_p[f, 1] == p):
                        det = f
                if s0 != COERCION:  # a state already coercing keeps its line
                    to, why = DETERRENCE, ATTACKED
            began = ag[ca] and not at[ca]
            if why == 0 and began and own and attack[ko]:  # 2. attacking
                to, why, det = COERCION, ATTACKING, own_k
            if why == 0:  # 3. a red line answered
                for j in range(com_start[p], com_start[p + 1]):
                    if answered[r, com_n[j]]:
                        to, why, det = COERCION, RED_LINE, com_n[j]
            if why == 0 and fr[p] != none and s0 != COERCION:  # 4. treaty
                to, why, det = DETERRENCE, TREATY, fr[p]
            if why == 0 and g > g0 and s0 != COERCION:  # 5. thresholds
                if war >= 0 and g0 < war and g >= war:
                    to, why, det = DETERRENCE, THRESHOLD, war
                elif armed >= 0 and g0 < armed and g >= armed:
                    to, why, det = DETERRENCE, THRESHOLD, armed
            lined = s0 in (DETERRENCE, COERCION)
            soft = s0 in (WAIT, DETENTE)
            if why == 0 and lined and theirs_h < 0 and g < clash:  # 6. talks
                dw = counter + draw_index[p]
                b_lo, b_hi = below[0, p, kt], above[0, p, kt]
                if own_h < 0 or _beats(-theirs_h * talks_rate, key, dw, b_lo, b_hi, stick[p]):
                    to, why, det = DETENTE, TALKS, theirs_k
            if why == 0 and soft and theirs_h != 0 and not their_attack:  # 7. pressure
                dw = counter + draw_index[p]
                b_lo, b_hi = below[1, p, kt], above[1, p, kt]
                if _beats(theirs_h * pressure_rate, key, dw, b_lo, b_hi, stick[p]):
                    to, why, det = DETERRENCE, PRESSURE, theirs_k
            if why == 0 and own_h < 0 and s0 != DETENTE and g < clash:  # 8. initiative
                to, why, det = DETENTE, INITIATIVE, own_k
            if why == 0 and own_h > 0 and soft:
                to, why, det = DETERRENCE, INITIATIVE, own_k
            if (why > 0 or against) and q > 0:
                # A line taken or held for a reason this month, or a clause invoked against the
                # state: its months of quiet start again.
                q = 0
                qu[ac] = 0
            if why == 0 and q >= quiet_months[p] and s0 != WAIT and g < threat:  # 9. quiet
                to, why, det = WAIT, QUIET, q
            if why > 0 and to != s0:
                nw[p] = to
                rs[p] = why
                dt[p] = det
                st[ac] = to


@part
def _beats(x, key, at, below, above, stick):
    """Whether float32 ``x`` exceeds the pair's exponential draw, the draw of ``key`` at
    ``at`` (:func:`beats`)."""
    return beats(x, _bits(key, at), below, above, stick)


@kernel
def beats(x, b, below, above, stick):
    """Whether float32 ``x`` exceeds ``float32(-log1p(-u) x stick)``, u the uniform of the 53
    bits ``b`` (game.engine.stance.draw_bounds): bits below ``below`` surely give true, from
    ``above`` on surely false; only those between take the logarithm."""
    if b < below:
        return True
    if b >= above:
        return False
    return x > np.float32(-np.log1p(-_uniform(b)) * stick)
