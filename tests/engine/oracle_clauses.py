"""The numpy definition of the month's treaty clauses, kept as the oracle of the compiled
clause step (game.engine.clause_kernels, used by game.engine.step._clauses): the consultations,
the assistance, the decisions on pledges and red lines (weighed and applied over the whole
batch, reading the commitments of every run), the allies' entry into the war and the red
lines' answers. The tests run both on the same recorded states and require the same bits."""

from __future__ import annotations

import numpy as np

from game.engine import commitments as cm
from game.engine import rng
from game.engine import theatres as th
from game.engine.params import ATTR, ATTR_COLS, Params
from game.engine.state import State
from tests.engine.oracle_moves import _pair_add


def _clauses(
    params: Params,
    state: State,
    active: np.ndarray,
    attacked_before: np.ndarray,
    crossed_lines: np.ndarray,
    decisions: _Decisions,
):
    """Consultation, then assistance, for every clause instance and counterpart at once.

    All instances read the state as it stands after the month's moves and incidents; what
    one ally's intervention triggers under other treaties is seen the next month.
    """
    b = state.batch
    t = state.turn
    consult = np.zeros(state.consult_level.shape, dtype=bool)
    assist = np.zeros_like(consult)
    declined = np.zeros_like(consult)
    live = ~state.done[:, None, None]
    outsiders = ~params.treaty_parties  # (T, A)
    # Consultation clauses first: the log must show consultation before assistance.
    ic = params.inst_of_kind["consultation"]
    if params.inst_count(ic):
        tr, p, q = params.inst_treaty[ic], params.inst_party[ic], params.inst_by[ic]
        trig = params.inst_trigger[ic][None, :, None]
        on = live & active[:, tr][:, :, None] & outsiders[tr][None]
        rp = state.rung[:, p, :]  # (B, Ic, A)
        level = state.consult_level[:, ic, :]
        # Consult when a threat appears and again whenever it climbs past the last level
        # consulted on; the clause re-arms once the pair falls clearly below the trigger.
        # A new armed attack on the party is a fresh threat even on a rung already consulted on.
        fresh_attack = state.aggressor[:, p, :] & ~attacked_before[:, p, :]
        only = params.inst_on_map_only[ic]
        if only.any():
            # Threats from off-map actors (a fight with the party's forces abroad) do not count.
            on = on & (~only[None, :, None] | params.on_map[None, None, :])
        new = on & (rp >= trig) & ((rp > level) | fresh_attack)
        calm = ~on | (rp < trig - 1)
        state.consult_level[:, ic, :] = np.where(new, rp, np.where(calm, -1, level))
        if new.any():
            consult[:, ic, :] = new
            rr, ii, oo = np.nonzero(new)
            qq, pp = q[ii], p[ii]
            _pair_add(state, rr, qq, oo, params.inst_tension[ic][ii])
            read = ATTR["readiness"]
            np.add.at(state.attr, (rr, pp, read), params.inst_readiness[ic][ii])
            np.add.at(state.attr, (rr, qq, read), params.inst_readiness[ic][ii])
            np.maximum.at(state.coord, (rr, qq, oo), params.inst_coord[ic][ii].astype(np.int16))
            np.add.at(state.clause_count, (rr, params.inst_clause[ic][ii]), 1)
    ia = params.inst_of_kind["assistance"]
    n_ia = params.inst_count(ia)
    if n_ia:
        tr, p, q = params.inst_treaty[ia], params.inst_party[ia], params.inst_by[ia]
        on = live & active[:, tr][:, :, None] & outsiders[tr][None]
        trig = params.inst_trigger[ia][None, :, None]
        under_attack = on & state.aggressor[:, p, :] & (state.rung[:, p, :] >= trig)
        # Only attacks in the theatres the clause covers (an attack not placed: column -1).
        cover = params.inst_cover[ia]
        under_attack &= cover[np.arange(n_ia)[None, :, None], state.front[:, p, :]]
        only = params.inst_on_map_only[ia]
        if only.any():
            # Attacks by off-map actors (fighting the party's forces abroad) do not count.
            under_attack &= ~only[None, :, None] | params.on_map[None, None, :]
        ci = params.inst_consult[ia]
        has = ci >= 0
        if has.any():
            consulted = state.consult_level[:, np.where(has, ci, 0), :] >= 0
            under_attack &= consulted | ~has[None, :, None]
        due_at = state.assist_due[:, ia, :]
        done = state.assist_done[:, ia, :]
        dec = state.assist_declined[:, ia, :]
        # An attack that has ended clears the clause for the next one (and any decision a
        # player was asked for).
        due_at = np.where(under_attack, due_at, -1)
        done &= under_attack
        dec &= under_attack
        state.pending[:, :n_ia, :] &= under_attack
        fresh = under_attack & (due_at < 0) & ~done & ~dec
        if fresh.any():
            # The ally decides (pledge n is the n-th assistance instance).
            honour, new_dec = decisions.decide(0, fresh, rng.STREAM_CREDIBILITY)
            due_at = np.where(honour, t + params.inst_delay[ia][None, :, None], due_at)
            dec |= new_dec
            declined[:, ia, :] = new_dec
        now = under_attack & (due_at >= 0) & (due_at <= t)
        due_at = np.where(now, -1, due_at)
        done |= now
        state.assist_due[:, ia, :] = due_at
        state.assist_done[:, ia, :] = done
        state.assist_declined[:, ia, :] = dec
        if now.any():
            assist[:, ia, :] = now
            rr, ii, oo = np.nonzero(now)
            qq = q[ii]
            resp = params.inst_response[ia][ii].astype(np.int16)
            np.maximum.at(state.rung, (rr, qq, oo), resp)
            np.maximum.at(state.rung, (rr, oo, qq), resp)
            _pair_add(state, rr, qq, oo, params.inst_tension[ia][ii])
            _intervene(params, state, rr, p[ii], qq, oo, resp)
            np.maximum.at(state.coord, (rr, qq, oo), params.inst_coord[ia][ii].astype(np.int16))
            np.add.at(state.clause_count, (rr, params.inst_clause[ia][ii]), 1)
    com = params.commit
    na = com.n_assist
    if na and com.consult_gain > 0 and consult.any():
        # Allies that consult stand more credibly behind their pledge to the threatened party.
        ci = com.consult[:na]
        held = consult[:, np.maximum(ci, 0), :].any(axis=2) & (ci >= 0)[None, :]
        c = state.cred[:, :na]
        c += np.where(held, cm.grow(com.consult_gain, c), 0.0)
    answered = np.zeros((b, com.n), dtype=bool)
    if com.n > na:
        _red_lines(params, state, crossed_lines, decisions, answered)
    return consult, assist, declined, answered


class _Decisions:
    """The month's decisions on triggered commitments, and what they do to credibility.

    The committed state decides: a player's state through ``answers`` (a decision the engine
    asks for and keeps pending until answered), every other state by weighing the odds of
    :func:`game.engine.commitments.honour_odds` against a counter-based uniform draw.
    """

    def __init__(self, params: Params, state: State, active, asked, answers):
        self.params, self.state, self.com = params, state, params.commit
        self.active, self.asked, self.answers = active, asked, answers
        shape = (state.batch, self.com.n, params.n_actors)
        self.honour = np.zeros(shape, dtype=bool)
        self.decline = np.zeros(shape, dtype=bool)
        self.odds = np.zeros(shape, dtype=np.float32)
        self.waiting = np.zeros(shape, dtype=bool)
        self._ctx = None

    def reading(self) -> cm.Reading:
        """How the commitments stand this month (computed once, when first needed)."""
        if self._ctx is None:
            st, p = self.state, self.params
            self._ctx = cm.read(
                self.com,
                st.attr,
                st.rung,
                st.cred,
                self.active,
                st.turn,
                p.thresholds["war"],
                ATTR_COLS,
            )
        return self._ctx

    def decide(self, lo: int, mask: np.ndarray, stream: int):
        """Decide commitments ``lo .. lo + L`` where ``mask`` (B, L, A) is set (triggered
        against that counterpart, undecided); returns (honour, decline), each (B, L, A)."""
        honour = np.zeros(mask.shape, dtype=bool)
        decline = np.zeros(mask.shape, dtype=bool)
        rows, ll, o = np.nonzero(mask)
        if rows.size == 0:
            return honour, decline
        h, d = self.decide_at(lo, mask.shape[1], rows, ll, o, stream)
        honour[rows[h], ll[h], o[h]] = True
        decline[rows[d], ll[d], o[d]] = True
        return honour, decline

    def decide_at(self, lo: int, n_l: int, rows, ll, o, stream: int):
        """Decide commitment ``lo + ll[k]`` against ``o[k]`` in run ``rows[k]`` for every k
        (triggered, undecided; runs ascending, then ``ll``, then ``o``, as ``np.nonzero``
        lists them) among commitments ``lo .. lo + n_l``; returns (honour, decline), (k,) each.
        """
        com, st = self.com, self.state
        n_a = self.params.n_actors
        n = lo + ll
        player = np.zeros(rows.size, dtype=bool) if self.asked is None else self.asked[com.by[n]]
        ans = (
            np.full(rows.size, -1, dtype=np.int8)
            if self.answers is None
            else self.answers[rows, n, o].astype(np.int8)
        )
        odds = cm.honour_odds(com, n, o, rows, self.reading())
        odds = cm.in_the_fight(com, n, o, st.rung, rows, self.params.thresholds, odds)
        # Draws depend only on (seed, run, month, stream, index): drawing them only in months
        # and for the entries that need them changes nothing.
        u = rng.uniforms_each(st.keys[rows], st.turn, stream, ll * n_a + o)
        yes = np.where(player, ans == 1, u < odds)
        decided = ~player | (ans >= 0)
        st.pending[rows, n, o] = ~decided
        self.waiting[rows, n, o] = ~decided
        self.odds[rows, n, o] = np.where(player, 0.0, odds)
        h, d = decided & yes, decided & ~yes
        self.honour[rows[h], n[h], o[h]] = True
        self.decline[rows[d], n[d], o[d]] = True
        rr, nn, hh = rows[decided], n[decided], yes[decided]
        cm.update_credibility(com, st.cred, rr, nn, hh)
        np.add.at(st.honoured, (rr[hh], nn[hh]), 1)
        np.add.at(st.declined, (rr[~hh], nn[~hh]), 1)
        # A pledge declined sours the pair of the ally and the party let down.
        sour = ~hh & (com.kind[nn] == cm.ASSIST)
        if sour.any() and com.decline_tension:
            s_n = nn[sour]
            _pair_add(st, rr[sour], com.by[s_n], com.party[s_n], com.decline_tension)
        return h, d


def _intervene(params: Params, state: State, rr, pp, qq, oo, resp) -> None:
    """Allies ``qq`` enter the war on parties ``pp`` against their attackers ``oo`` (runs
    ``rr``), in the theatre of the attack. The entry answers the attacker: it is no new armed
    attack on it (unless the scenario's rule says so), and it strikes the attacker's allies
    only where their territory lies in that theatre."""
    g = state.front[rr, pp, oo]
    th.place(state.front, rr, qq, oo, g)
    if params.defence_is_attack:
        state.aggressor[rr, oo, qq] = True
        return
    if not params.theatre_ids:
        return
    n_a = params.n_actors
    x = np.arange(n_a)[None, :]
    hit = params.territory[np.maximum(g, 0)] & (g >= 0)[:, None] & params.allied[oo]
    hit &= (x != pp[:, None]) & (x != qq[:, None]) & (x != oo[:, None])
    k, xs = np.nonzero(hit)
    if k.size:
        r, q = rr[k], qq[k]
        state.aggressor[r, xs, q] = True
        np.maximum.at(state.rung, (r, q, xs), resp[k])
        np.maximum.at(state.rung, (r, xs, q), resp[k])
        th.place(state.front, r, q, xs, g[k])


def _red_lines(params, state, crossed_lines, decisions: _Decisions, answered) -> None:
    """Red lines crossed this month (or awaiting a player's decision) are decided; answers
    that fall due are given: the declaring state climbs against the violator, tension rises,
    and the moves the answer opens become likelier for a while."""
    com = params.commit
    na, t = com.n_assist, state.turn
    rl = np.arange(na, com.n)
    w = com.party[rl]
    cols = np.arange(rl.size)
    due = state.answer_due[:, na:]
    mask = np.zeros((state.batch, rl.size, params.n_actors), dtype=bool)
    mask[:, cols, w] = (crossed_lines[:, na:] & (due < 0)) | state.pending[:, rl, w]
    honour, _ = decisions.decide(na, mask, rng.STREAM_RED_LINE)
    due = np.where(honour[:, cols, w], t + com.delay[rl][None, :], due)
    now = (due >= 0) & (due <= t) & ~state.done[:, None]
    state.answer_due[:, na:] = np.where(now, -1, due)
    if not now.any():
        return
    rr, ll = np.nonzero(now)
    n = na + ll
    q, v = com.by[n], com.party[n]
    resp = com.response[n].astype(np.int16)
    np.maximum.at(state.rung, (rr, q, v), resp)
    np.maximum.at(state.rung, (rr, v, q), resp)
    _pair_add(state, rr, q, v, com.tension[n])
    np.add.at(state.red_line_count, (rr, com.red_line_of[n]), 1)
    answered[rr, n] = True
    for m in range(com.open_com.shape[0]):
        hit = now[:, com.open_com[m] - na]
        state.opened_until[hit, m] = t + 1 + com.open_months[m]
