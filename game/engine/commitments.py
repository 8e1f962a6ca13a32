"""Commitments: pledges to allies and red lines toward adversaries, with credibility as state.

A commitment binds a committed state (``by``) to answer when it is triggered:

* an *assistance pledge* (one per assistance clause instance of a treaty) is triggered by an
  armed attack on the party it protects; its answer is entering the war;
* a *red line* (declared toward one warned state) is triggered when that state makes a named
  move (Russia's June 2024 warning to Seoul against lethal arms for Kyiv); its answer is a
  climb on the ladder against the violator, and moves the answer makes likelier.

Every run keeps the current credibility of every commitment (``State.cred``). It starts at the
scenario's value and moves with conduct: honouring raises it, declining lowers it and sours the
pair, consultations and exercises against a threatening state raise it, a share of every change
passes to the committed state's other commitments (its standing), and it drifts slowly back.
An ally already fighting elsewhere is less credible (overstretch) when it decides and when
others weigh it.

Two uses read the same numbers: the committed state's decision to honour (:func:`honour_odds`)
and every state's anticipation of what a move would set off (:func:`set_off`), which the AI
weighs against a hostile move. Deterrence, emboldening and restraint come out of these.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ASSIST, RED_LINE = 0, 1
TYPE_NAMES = ("assistance", "red_line")  # by kind, in logs and reports

# Gains from good conduct grow credibility logistically (GROWTH x gain x c x (1 - c), equal to
# the gain at c = 0.5): a pledge nobody believes (c = 0) is not revived by consultations.
GROWTH = 4.0

# Columns of Commitments.honour_coef (doctrine x gains of the scenario's [ai] table).
HONOUR_TERMS = ("stake", "risk", "load", "reputation")


@dataclass(frozen=True)
class Commitments:
    """The compiled commitments of a scenario and the rules their credibility follows.

    Assistance pledges come first, in the order of the assistance clause instances (pledge
    ``n < n_assist`` is the n-th assistance instance), then red lines, one per warned state.
    """

    kind: np.ndarray  # (N,) int8: ASSIST or RED_LINE
    by: np.ndarray  # (N,) the committed state
    party: np.ndarray  # (N,) the protected party (assistance) or the warned state (red line)
    inst: np.ndarray  # (N,) clause instance of an assistance pledge, -1 for a red line
    consult: np.ndarray  # (N,) the consultation instance that comes first, -1 if none
    treaty: np.ndarray  # (N,) treaty of an assistance pledge, -1 for a red line
    action: np.ndarray  # (N,) red line: the move that crosses it; -1 for assistance
    target: np.ndarray  # (N,) red line: the move's target, -1 = any target
    start: np.ndarray  # (N,) red line: first turn it stands
    end: np.ndarray  # (N,) red line: first turn it no longer stands
    cred0: np.ndarray  # (N,) starting credibility
    response: np.ndarray  # (N,) rung of the answer against the counterpart
    tension: np.ndarray  # (N,) tension the answer adds
    delay: np.ndarray  # (N,) months from the trigger to the answer
    weight: np.ndarray  # (N,) cost of the answer to its target, as a share of a war (0-1)
    keys: list[str]  # "treaty.clause:BY>PARTY" or "red_line_id:BY>WARNED"
    names: list[str]  # "Russia-DPRK Treaty ..., Art. 4" or "Putin's warning to Seoul"
    n_assist: int
    red_line_ids: list[str]  # one per [[red_lines]] entry
    red_line_names: list[str]
    red_line_of: np.ndarray  # (N,) index into red_line_ids, -1 for assistance
    others: np.ndarray  # (N,) number of other commitments of the same committed state
    # Moves a red line's answer makes likelier for the committed state.
    open_com: np.ndarray  # (M,) commitment whose answer opens it
    open_actor: np.ndarray  # (M,)
    open_action: np.ndarray  # (M,)
    open_target: np.ndarray  # (M,)
    open_months: np.ndarray  # (M,)
    # How credibility moves ([commitments] of the scenario).
    honour_gain: float
    decline_loss: float
    decline_tension: float
    reputation: float
    consult_gain: float
    exercise_gain: float
    exercise_actions: np.ndarray  # (K,) bool
    overstretch: float
    recovery: float
    entrapment: float
    # How states weigh commitments ([ai] gains times doctrine).
    honour_coef: np.ndarray  # (A, 4) columns HONOUR_TERMS
    partners: np.ndarray  # (A, A) bool: [a, b] b is among a's partners
    anticipation: np.ndarray  # (A,) gain x caution over temperature
    open_bonus: np.ndarray  # (A,) appeal of opened moves over temperature
    # Look-ahead: every clause instance that protects a party (assistance and consultation).
    protect_com: np.ndarray  # (P,) commitment of an assistance instance, -1 for consultation
    protect_treaty: np.ndarray  # (P,)
    protect_party: np.ndarray  # (P,)
    protect_by: np.ndarray  # (P,)
    protect_weight: np.ndarray  # (P,) share of a war its answer costs the mover
    risk_plain: np.ndarray  # (P, R) chance a move leaving the pair on rung r sets it off
    risk_attack: np.ndarray  # (P, R) the same for an armed attack
    protected: np.ndarray  # (A,) bool: some clause instance protects the actor
    protect_groups: list  # [(actor, its look-ahead rows)] for every protected actor
    # Per AI move block (Params.move_blocks): (target slot, action slot, commitment) of each
    # red line its moves can cross, and (target slot, action slot, opened row) of each move
    # an answer can open - each a (3, n) int array.
    block_lines: list
    block_opened: list
    # Per AI move block: (hostile action slots, their rung floors, attack flags, weights =
    # hostility) - what anticipation reads for each of the block's hostile moves.
    block_hostile: list

    @property
    def n(self) -> int:
        return int(self.kind.shape[0])


def power(attr: np.ndarray, military: int, readiness: int) -> np.ndarray:
    """(B, A) conventional power: strength scaled by readiness."""
    return attr[:, :, military] * (0.5 + attr[:, :, readiness] / 200.0)


def nuclear_reach(attr: np.ndarray, warheads: int, delivery: int) -> np.ndarray:
    """(B, A) nuclear reach 0-1: a log scale of the warheads that can be delivered."""
    return reach(attr[:, :, warheads] * attr[:, :, delivery])


def reach(arsenal: np.ndarray, dtype=np.float64) -> np.ndarray:
    """Nuclear reach 0-1 of each arsenal (warheads x delivery), elementwise, worked out in
    ``dtype`` (the AI's deterrence feature reads it in float32)."""
    one = dtype(1)
    return np.minimum(one, np.log10(one + arsenal.astype(dtype, copy=False)) / dtype(3.7))


@dataclass(frozen=True)
class Reading:
    """How the commitments stand in one month: what deciders and anticipating movers read."""

    eff: np.ndarray  # (B, N) effective credibility
    power: np.ndarray  # (B, A)
    nuclear: np.ndarray  # (B, A)
    wars: np.ndarray  # (B, A)
    coalition: np.ndarray  # (B, A)


def read(com: Commitments, attr, rung, cred, active, turn: int, war: int, cols) -> Reading:
    """The month's reading of every commitment; ``cols`` are the attribute columns
    (military, readiness, warheads, delivery)."""
    mil, ready, heads, deliv = cols
    pw = power(attr, mil, ready)
    wars = wars_fought(rung, war)
    eff = effective(com, cred, active, turn, wars)
    return Reading(eff, pw, nuclear_reach(attr, heads, deliv), wars, coalition(com, eff, pw))


def wars_fought(rung: np.ndarray, war: int) -> np.ndarray:
    """(B, A) int64: the pairs at war or above each state stands in. Each run's row of bytes
    (one a pair) is summed by a product with ones: the same counts as a sum over the last axis,
    several times faster on its short rows (a state has at most 24 counterparts: no byte
    overflows)."""
    at_war = (rung >= war).view(np.uint8)
    return (at_war @ np.ones(rung.shape[-1], dtype=np.uint8)).astype(np.int64)


def effective(com: Commitments, cred, active, turn: int, wars) -> np.ndarray:
    """(B, N) credibility as others read it this month: zero for a pledge whose treaty does
    not bind or a red line not standing, lowered for each war the committed state fights."""
    b = cred.shape[0]
    on = np.ones((b, com.n), dtype=bool)
    na = com.n_assist
    if na:
        on[:, :na] = active[:, com.treaty[:na]]
    if com.n > na:
        rl = slice(na, com.n)
        on[:, rl] = ((com.start[rl] <= turn) & (turn < com.end[rl]))[None, :]
    return np.where(on, cred * overstretched(com, wars[:, com.by]), 0.0)


def overstretched(com: Commitments, wars: np.ndarray) -> np.ndarray:
    """(1 - overstretch) to the power of each count of ``wars``, looked up: the same numbers
    as the power taken for every entry (each power is the same whatever the table's length)."""
    powers = (1.0 - com.overstretch) ** np.arange(max(int(wars.max(initial=0)) + 1, 1))
    return powers[wars]


def coalition(com: Commitments, eff, pw) -> np.ndarray:
    """(B, A) each actor's power plus the credible part of its allies' power."""
    out = pw.copy()
    na = com.n_assist
    for n in range(na):
        out[:, com.party[n]] += eff[:, n] * pw[:, com.by[n]]
    return out


class Columns:
    """The month's reading (``read``) a column at a time: a state's power, nuclear reach, wars
    and coalition, or a commitment's effective credibility, each worked out when first asked
    and kept, with ``read``'s arithmetic on that column alone (the same numbers as its column).
    A reader that needs a few of them pays for those, not for every pair of the grid. ``rung``
    may be any array-like whose ``rung[:, x]`` reads a state's row."""

    def __init__(self, com: Commitments, attr, rung, cred, active, turn: int, war: int, cols):
        self.com, self.attr, self.rung, self.cred, self.active = com, attr, rung, cred, active
        self.turn, self.war, self.cols = turn, war, cols
        self._kept: dict = {}

    def _get(self, key, build):
        got = self._kept.get(key)
        if got is None:
            got = self._kept[key] = build()
        return got

    def power(self, x: int) -> np.ndarray:
        """(B,) state ``x``'s conventional power."""
        mil, ready = self.cols[:2]
        return self._get(("power", x), lambda: power(self.attr[:, x : x + 1], mil, ready)[:, 0])

    def nuclear(self, x: int) -> np.ndarray:
        """(B,) state ``x``'s nuclear reach."""
        heads, deliv = self.cols[2:]
        return self._get(
            ("nuclear", x), lambda: nuclear_reach(self.attr[:, x : x + 1], heads, deliv)[:, 0]
        )

    def wars(self, x: int) -> np.ndarray:
        """(B,) the wars state ``x`` fights."""
        return self._get(("wars", x), lambda: wars_fought(self.rung[:, x][:, None], self.war)[:, 0])

    def eff(self, n: int) -> np.ndarray:
        """(B,) commitment ``n``'s effective credibility."""

        def build():
            com = self.com
            if n < com.n_assist:
                on = self.active[:, com.treaty[n]]
            else:
                on = bool(com.start[n] <= self.turn < com.end[n])
            stretch = overstretched(com, self.wars(int(com.by[n])))
            return np.where(on, self.cred[:, n] * stretch, 0.0)

        return self._get(("eff", n), build)

    def coalition(self, x: int) -> np.ndarray:
        """(B,) state ``x``'s power plus the credible part of its allies' (``coalition``'s sum,
        in its order)."""

        def build():
            com = self.com
            out = self.power(x).copy()
            for n in range(com.n_assist):
                if com.party[n] == x:
                    out += self.eff(n) * self.power(int(com.by[n]))
            return out

        return self._get(("coalition", x), build)


def set_off(com: Commitments, eff, pw, nuc, active) -> tuple[np.ndarray, np.ndarray]:
    """(B, A, R) twice: the force a move brings against its mover when it leaves the pair with
    each target on each rung - for an ordinary move, and for an armed attack.

    A protecting clause instance contributes its ally's power (doubled by full nuclear reach)
    times its effective credibility (consultations: 1 while the treaty binds), the share of a
    war its answer costs, and the chance of setting it off from that rung: one step of
    look-ahead, certain at the trigger for an attack, geometric odds below it.
    """
    b, n_a = pw.shape
    n_r = com.risk_plain.shape[1]
    if com.protect_by.size == 0:
        z = np.zeros((b, n_a, n_r))
        return z, z.copy()
    rows = com.protect_com
    cred = np.where(rows >= 0, eff[:, np.maximum(rows, 0)], active[:, com.protect_treaty])
    force = answer_force(cred, pw, nuc, com.protect_by, com.protect_weight)  # (B, P)
    plain = np.zeros((b, n_a, n_r))
    attack = np.zeros((b, n_a, n_r))
    for party, sel in com.protect_groups:  # small products, one per protected actor
        f = force[:, sel]
        plain[:, party, :] = f @ com.risk_plain[sel]
        attack[:, party, :] = f @ com.risk_attack[sel]
    return plain, attack


def grow(gain, c):
    """Credibility gained from good conduct: logistic, so a dead letter (c = 0) stays dead."""
    return GROWTH * gain * c * (1.0 - c)


def answer_force(cred, pw, nuc, q, weight) -> np.ndarray:
    """(B, n) force an answer would bring against the mover: the answering states' ``q`` power,
    doubled at full nuclear reach, times its credibility and the share of a war it is."""
    return cred * pw[:, q] * (1.0 + nuc[:, q]) * weight


def after_decision(com: Commitments, c, honoured):
    """Credibility of a commitment after it is honoured (True) or declined (False): the one
    rule the engine applies and the game shows the player before asking."""
    return np.where(honoured, c + com.honour_gain * (1.0 - c), c - com.decline_loss * c)


def honour_odds(com: Commitments, n, o, rows, rd: Reading) -> np.ndarray:
    """Probability that the committed state honours commitment ``n`` against ``o`` in runs
    ``rows`` (arrays of equal length).

    Its current effective credibility (its record) is moved by its stake in the partner, the
    risk of answering (the opposing coalition and its nuclear reach, scaled by what the answer
    is), the wars it already fights, and its standing: the other commitments that declining
    would cheapen. Zero credibility gives zero.
    """
    q, p = com.by[n], com.party[n]
    eff, pw, nuc, wars, coal = rd.eff, rd.power, rd.nuclear, rd.wars, rd.coalition
    c = eff[rows, n]
    safe = np.clip(c, 1e-6, 1 - 1e-6)
    coef = com.honour_coef[q]  # (L, 4)
    assist = com.kind[n] == ASSIST
    stake = coef[:, 0] * (com.partners[q, p] & assist)
    opp = coal[rows, o]
    share = opp / (opp + pw[rows, q] + np.where(assist, pw[rows, p], 0.0) + 1e-9)
    risk = coef[:, 1] * com.weight[n] * (0.5 * share + 0.5 * nuc[rows, o])
    load = coef[:, 2] * com.weight[n] * wars[rows, q]
    standing = coef[:, 3] * com.others[n] / (1.0 + com.others[n])
    z = np.log(safe / (1.0 - safe)) + stake - risk - load + standing
    return np.where(c > 0, 1.0 / (1.0 + np.exp(-z)), 0.0)


def in_the_fight(com: Commitments, n, o, rung, rows, thresholds: dict, odds) -> np.ndarray:
    """``odds`` (``honour_odds``) of the pledges ``n[k]`` against ``o[k]`` in runs ``rows[k]``,
    with those of an ally already fighting the attacker (an assistance pledge, their pair at an
    armed clash or above) at 1: it is in the fight. A dead letter (odds 0: no credibility) is
    never honoured."""
    armed = thresholds.get("armed_clash", thresholds["war"])
    fight = (com.kind[n] == ASSIST) & (rung[rows, com.by[n], o] >= armed)
    return np.where(fight & (odds > 0), 1.0, odds)


def update_credibility(com: Commitments, cred, rows, n, honoured) -> None:
    """Move credibility after decisions taken in runs ``rows`` on commitments ``n``.

    Honouring closes ``honour_gain`` of the gap to 1, declining loses ``decline_loss`` of the
    value; the committed state's other commitments move by ``reputation`` times the same
    change (gains logistic, so a dead letter stays dead).
    """
    if rows.size == 0:
        return
    # Decisions of one run are applied one after another: pass k takes each run's k-th.
    order = np.argsort(rows, kind="stable")
    rows, n, honoured = rows[order], n[order], np.asarray(honoured)[order]
    first = np.r_[True, rows[1:] != rows[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(rows.size), 0))
    rank = np.arange(rows.size) - start
    ids = np.arange(com.n)
    for k in range(int(rank.max()) + 1):
        sel = rank == k
        r, j = rows[sel], n[sel]
        cred[r, j] = after_decision(com, cred[r, j], honoured[sel])
        if com.reputation > 0:
            up = np.where(honoured[sel], com.honour_gain, 0.0)
            down = np.where(honoured[sel], 0.0, com.decline_loss)
            # The committed state's other commitments move by a share of the same change.
            same = (com.by[None, :] == com.by[j][:, None]) & (ids[None, :] != j[:, None])
            cur = cred[r]
            gain = grow(up[:, None], cur)
            cred[r] = np.where(same, cur + com.reputation * (gain - down[:, None] * cur), cur)
    np.clip(cred, 0.0, 1.0, out=cred)


def relax(com: Commitments, cred, cred0=None) -> None:
    """Credibility drifts back toward its starting value (memories fade); ``cred0``: each
    run's starting values (B, N) when they were drawn per run (game.engine.draws)."""
    if com.recovery > 0:
        start = com.cred0[None, :] if cred0 is None or cred0.ndim == 1 else cred0
        cred += com.recovery * (start - cred)
