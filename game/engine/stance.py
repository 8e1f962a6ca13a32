"""Stances: the line a state pursues toward each counterpart, kept from month to month.

A stance is held by a mover toward each of its rivals (``State.stance``, (B, A, A), [mover,
counterpart]): the counterparts it may press or ease with (a partner is offered only
cooperative moves, so there is no line to keep with it). It is the one definition of these
words; the AI, the log, reports and the play window ask this module for them.

* **wait-and-see** - no line yet: the state watches; its moves are scored as its doctrine
  gives them.
* **détente** - easing the relationship: conciliatory moves gain, hostile moves lose.
* **deterrence** - holding the line: signals of resolve (warnings, sanctions, exercises,
  deployments) gain, conciliatory moves lose, armed attacks neither gain nor lose.
* **coercion** - pressing the counterpart to give way: hostile moves (armed attacks too)
  gain, conciliatory moves lose.

A move's score gains ``fit[stance, action] x |hostility| x gain`` (:data:`FIT`), where the gain
is the scenario's ``ai.stance`` times the mover's ``doctrine.stickiness`` over its temperature:
a stance shapes the doctrine's scores, it does not choose.

A stance changes for a reason the log names (:data:`REASONS`), checked after each month in this
order, the first that applies winning:

1. *attacked* - the counterpart made an armed attack on the state (a strike, an armed clash at a
   flashpoint, an event): deterrence (a state already coercing keeps its line).
2. *attacking* - the state made an armed attack on the counterpart: coercion.
3. *red line* - the counterpart crossed a red line of the state and the state answered it:
   coercion.
4. *treaty* - a clause was invoked against the counterpart in which the state consults,
   assists or is the party threatened: deterrence (a state already coercing keeps its line).
5. *threshold* - the pair crossed into armed clash or war: deterrence (coercion stays).
6. *talks* - the counterpart made a conciliatory move toward a state in deterrence or
   coercion, on a pair below armed clash: détente, for certain when the state reached out in
   the same month, else with probability ``1 - exp(-|hostility| x TALKS_RATE / stickiness)``.
7. *pressure* - the counterpart made a hostile move (not an attack) toward a state in
   wait-and-see or détente: deterrence with probability
   ``1 - exp(-hostility x PRESSURE_RATE / stickiness)``.
8. *initiative* - the state's own move toward the counterpart: a conciliatory move turns a
   state in wait-and-see, deterrence or coercion (on a pair below armed clash) to détente; a
   hostile one turns a state in wait-and-see or détente to deterrence.
9. *quiet* - no signed move between them for ``QUIET_MONTHS x stickiness`` months and the pair
   below a threat: wait-and-see. The months of quiet count from the last signed move between
   the two, the last month one of rules 1 to 8 applied to the pair (a line taken or held for
   a reason, such as a red line answered, is not ended by the quiet before it) and the last
   month the counterpart invoked a treaty clause against the state.

The draws come from their own counter-based stream (``rng.STREAM_STANCE``), one per (mover,
counterpart) and month, so replay and batch independence hold.

The opening stances follow the same words: a state under armed attack at the start is in
deterrence, its attacker in coercion; a pair at a threat or above: deterrence; else
wait-and-see, unless the scenario's relations say what line a state pursues (``stances``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.text import lower_first

from . import rng
from .names import KIND
from .state import by_run

WAIT, DETENTE, DETERRENCE, COERCION = 0, 1, 2, 3
IDS = ("wait", "detente", "deterrence", "coercion")
NAMES = ("wait-and-see", "détente", "deterrence", "coercion")
MEANINGS = (
    "no line yet: it watches, and scores its moves as its doctrine gives them",
    "easing the relationship: conciliatory moves gain, hostile moves lose",
    "holding the line: signals of resolve gain, conciliatory moves lose",
    "pressing the counterpart to give way: hostile moves gain, conciliatory moves lose",
)

# fit[stance] = (hostile signal, armed attack, conciliatory): times the move's |hostility|.
FIT = np.array(
    [
        (0.0, 0.0, 0.0),  # wait-and-see
        (-1.0, -1.0, 0.25),  # détente
        (0.25, 0.0, -1.0),  # deterrence
        (0.5, 0.25, -1.0),  # coercion
    ]
)

# Reasons a stance changes (0: it did not); the order is the rules' priority.
NONE, ATTACKED, ATTACKING, RED_LINE, TREATY, THRESHOLD, TALKS, PRESSURE, INITIATIVE, QUIET = range(
    10
)
REASONS = (
    "",
    "attacked",
    "attacking",
    "red_line",
    "treaty",
    "threshold",
    "talks",
    "pressure",
    "initiative",
    "quiet",
)
# Where a reason's detail points (``StanceChange.detail``): by reason, what the index means.
#   attacked: flashpoint index (an incident), else -1 - action index (a move), else -10000 (an
#   event); attacking: action index; red line: commitment index; treaty: clause instance;
#   threshold: rung; talks, pressure, initiative: action index; quiet: months of quiet.
_EVENT = -10_000

QUIET_MONTHS = 6.0  # model: half a year without a signed move between them ends a line
TALKS_RATE = 1.5  # model: a summit (hostility -0.6) turns a line to détente 6 times in 10
PRESSURE_RATE = 1.0  # model: a sanction (hostility 0.5) turns a watcher to deterrence 4 in 10
_QUIET_CAP = 10_000
# The stances and the reasons, in order, as the compiled loop (game.engine.stance_kernels) reads
# them.
_CODES = (WAIT, DETENTE, DETERRENCE, COERCION, ATTACKED, ATTACKING, RED_LINE, TREATY, THRESHOLD)
_CODES += (TALKS, PRESSURE, INITIATIVE, QUIET)


@dataclass(frozen=True)
class StanceRules:
    """Compiled stances of a scenario (see the module's docstring)."""

    initial: np.ndarray  # (A, A) int8 opening stance [mover, counterpart]
    held: np.ndarray  # (A, A) bool: pairs that hold a stance (the counterpart is a rival)
    stickiness: np.ndarray  # (A,) doctrine.stickiness
    fit: tuple  # per move block: (S, K) float32 score gained under each stance, x the gain;
    #             None for a block without a held pair (a block of partners)
    on: bool  # the scenario's ai.stance gain is not 0 (stances shape moves)
    pairs: tuple  # (hi, hj): the held pairs [mover, counterpart], (P,) each
    pair_of: np.ndarray  # (A, A) int: index of each held pair, -1 for the others
    draw_index: np.ndarray  # (P,) uint64: each pair's draw (mover x A + counterpart)
    flat: tuple  # (P,) intp each: pair p's place in a flattened (A, A) array, and its mirror
    quiet_months: np.ndarray  # (A,) months of quiet that end a line
    inst_mover: np.ndarray  # (I, P) bool: the pair's mover consults or assists in the clause
    #                         instance, or is the party it protects
    inst_of_mover: tuple  # (its instances, its pairs) for every mover taking part in some


def name(stance: int) -> str:
    """The name of a stance, e.g. 'deterrence'."""
    return NAMES[int(stance)]


def meaning(stance: int) -> str:
    return MEANINGS[int(stance)]


def of_id(stance_id: str) -> int:
    return IDS.index(stance_id)


def line(params, stance: np.ndarray, mover: int, counterpart: int) -> str | None:
    """'deterrence - holding the line: ...': the stance ``mover`` holds toward ``counterpart``
    in one run's (A, A) stances, with its meaning; None where it holds none (not a rival)."""
    rules = params.stance
    if rules is None or not rules.held[mover, counterpart]:
        return None
    s = int(stance[mover, counterpart])
    return f"{NAMES[s]} \u2013 {MEANINGS[s]}"


def action_fit(hostility: np.ndarray, attack: np.ndarray) -> np.ndarray:
    """(S, K) how well each action fits each stance (before the gain)."""
    h = np.asarray(hostility, dtype=np.float64)
    col = np.where(h < 0, 2, np.where(np.asarray(attack, dtype=bool), 1, 0))
    return np.where(h[None, :] != 0, FIT[:, col] * np.abs(h)[None, :], 0.0)


def build(
    gain: float,
    stickiness: np.ndarray,
    temperature: np.ndarray,
    blocks: list,
    action_attack: np.ndarray,
    held: np.ndarray,
    initial: np.ndarray,
    inst_by: np.ndarray,
    inst_party: np.ndarray,
) -> StanceRules:
    """The compiled rules: each move block's fit table, times its mover's gain."""
    held = np.asarray(held, dtype=bool)
    fit = []
    for blk in blocks:
        g = gain * stickiness[blk.actor] / temperature[blk.actor]
        f = action_fit(blk.hostility, action_attack[blk.actions]) * g
        fit.append(f.astype(np.float32) if held[blk.actor, blk.targets].any() else None)
    hi, hj = np.nonzero(held)
    pair_of = np.full(held.shape, -1, dtype=np.int64)
    pair_of[hi, hj] = np.arange(hi.size)
    stickiness = np.asarray(stickiness, dtype=np.float64)
    return StanceRules(
        initial=np.where(held, initial, WAIT).astype(np.int8),
        held=held,
        stickiness=stickiness,
        fit=tuple(fit),
        on=bool(gain != 0),
        pairs=(hi, hj),
        pair_of=pair_of,
        draw_index=(hi * held.shape[0] + hj).astype(np.uint64),
        flat=((hi * held.shape[0] + hj).astype(np.intp), (hj * held.shape[0] + hi).astype(np.intp)),
        quiet_months=np.maximum(np.ceil(QUIET_MONTHS * stickiness), 1),
        inst_mover=(inst_by[:, None] == hi[None, :]) | (inst_party[:, None] == hi[None, :]),
        inst_of_mover=tuple(
            (np.nonzero((inst_by == a) | (inst_party == a))[0], np.nonzero(hi == a)[0])
            for a in np.unique(hi)
            if ((inst_by == a) | (inst_party == a)).any()
        ),
    )


def opening(
    rung0: np.ndarray, aggressor0: np.ndarray, threat: int, given: dict | None = None
) -> np.ndarray:
    """(A, A) int8 opening stances by the rules (``given``: {(mover, counterpart): stance}
    from the scenario's relations, which win)."""
    out = np.where(rung0 >= threat, DETERRENCE, WAIT)
    out = np.where(aggressor0, DETERRENCE, out)  # [victim, attacker]
    out = np.where(aggressor0.T, COERCION, out)  # [attacker, victim]
    for (a, t), s in (given or {}).items():
        out[a, t] = s
    np.fill_diagonal(out, WAIT)
    return out.astype(np.int8)


def shape(rules: StanceRules | None, stance: np.ndarray, bi: int, blk, s: np.ndarray) -> None:
    """Add to block ``bi``'s scores ``s`` (B, T, K) what the mover's stance toward each target
    makes of each move (in place)."""
    if rules is None or not rules.on or rules.fit[bi] is None:
        return
    s += np.take(rules.fit[bi], stance[:, blk.actor, blk.targets], axis=0)


@dataclass
class StanceChange:
    """The stances of the held pairs (``StanceRules.pairs``) before and after a month, and why
    they changed: (B, P) arrays."""

    pairs: tuple  # (mover, counterpart) index arrays, (P,) each
    before: np.ndarray  # int8
    after: np.ndarray  # int8
    reason: np.ndarray  # int8: REASONS index, 0 none
    detail: np.ndarray  # int32: see _EVENT and the comment above it

    def reason_of(self, row: int, mover: int, counterpart: int) -> int:
        """Why the stance of ``mover`` toward ``counterpart`` changed in run ``row`` (0: it
        did not, or the pair holds none)."""
        hi, hj = self.pairs
        p = np.nonzero((hi == mover) & (hj == counterpart))[0]
        return int(self.reason[row, p[0]]) if p.size else NONE


def update(
    params,
    state,
    moves: np.ndarray,
    rung_before: np.ndarray,
    attacked_before: np.ndarray,
    inc_kind: np.ndarray,
    consult: np.ndarray,
    assist: np.ndarray,
    answered: np.ndarray,
    invoked: tuple | None = None,
) -> StanceChange | None:
    """Apply the month's reasons to ``state.stance`` and ``state.stance_quiet`` (in place).

    Only the held pairs are read and written: (B, P) arrays, pair p = (hi[p], hj[p]).
    ``invoked`` lists the clauses invoked (runs, instances, counterparts), the entries set in
    ``consult | assist``, when the caller has them. The rules are applied run by run in a
    compiled loop (game.engine.stance_kernels), which takes a pair's draw where rule 6 or 7
    reads it (:func:`draw_bounds`)."""
    rules = params.stance
    if rules is None or not rules.pairs[0].size:
        return None
    hi, hj = rules.pairs
    pair_of = rules.pair_of
    b, n_p = state.batch, hi.size
    if invoked is None:
        invoked = np.nonzero(consult | assist)
    ri, ii, oi = invoked
    lists = params.kept("stance_lists", _lists)
    if params.commit is None:
        answered = np.zeros((b, 0), dtype=bool)
    k_all, t_all = params.cand_action[moves], params.cand_target[moves]
    clash = params.thresholds.get("armed_clash", len(params.rung_ids))
    new = np.empty((b, n_p), dtype=np.int8)
    reason = np.empty((b, n_p), dtype=np.int8)
    detail = np.empty((b, n_p), dtype=np.int32)
    before = np.empty((b, n_p), dtype=np.int8)
    flat = [by_run(x) for x in (state.stance, state.stance_quiet)]
    flat += [by_run(x) for x in (state.aggressor, attacked_before, state.rung, rung_before)]
    _kernel().update(
        hi, hj, pair_of, flat[0], flat[1], state.done, k_all, t_all,
        lists.hostility, params.action_attack,
        flat[2], flat[3], flat[4], flat[5], inc_kind,
        lists.fp_p, lists.com_start, lists.com_n, answered, ri, ii, oi, params.inst_by,
        params.inst_party,
        state.keys, rng.counter(state.turn, rng.STREAM_STANCE), rules.draw_index,
        lists.below, lists.above, lists.stickiness, np.float32(TALKS_RATE),
        np.float32(PRESSURE_RATE), rules.quiet_months[hi],
        params.thresholds.get("war", -1), clash, params.thresholds.get("armed_clash", -1),
        params.thresholds.get("threat", clash),
        _EVENT, _QUIET_CAP, _CODES, new, reason, detail, before,
    )  # fmt: skip
    return StanceChange(rules.pairs, before, new, reason, detail)


# How far a bound of the draws stands from the value compared (relative): wider than the
# float32 rounding of a draw (6e-8) and the error of the float64 logarithm (a few 1e-16).
_MARGIN = 1e-6
_TOP = 1 << 53  # a draw's 53 bits: u = bits x 2 ** -53, below 1


def draw_bounds(x: np.ndarray, stick: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(below, above) uint64, shaped as ``x`` and ``stick`` broadcast: which of a pair's draws
    the rules' comparison ``x > e`` settles without the logarithm, where ``e`` =
    float32(-log1p(-u) x stick) is the exponential draw times the mover's stickiness (so that
    ``x > e`` comes true with probability ``1 - exp(-x / stick)``, the rules' odds) and u the
    uniform of 53 bits. ``e`` grows with u: draws of fewer bits than ``below`` leave ``e``
    under ``x`` less the margin (true), draws from ``above`` on leave it over ``x`` plus the
    margin (false), both by more than the rounding can move it; the few between are worked
    out in full. Bisection over the 53 bits, with the same logarithm as the draws."""
    x = np.asarray(x, dtype=np.float64)
    stick = np.asarray(stick, dtype=np.float64)
    x, stick = np.broadcast_arrays(x, stick)
    lo_at = x - _MARGIN * np.abs(x)
    hi_at = x + _MARGIN * np.abs(x)

    def first(over) -> np.ndarray:
        # The fewest bits whose draw satisfies ``over`` (the top: none does); ``over`` holds
        # from some number of bits on, as e grows with u.
        lo = np.zeros(x.shape, dtype=np.int64)
        hi = np.full(x.shape, _TOP, dtype=np.int64)
        while (lo < hi).any():
            mid = (lo + hi) // 2
            u = mid.astype(np.float64) / _TOP
            with np.errstate(divide="ignore", invalid="ignore"):
                e = -np.log1p(-u) * stick
            ok = over(e) & (lo < hi)
            hi = np.where(ok, mid, hi)
            lo = np.where(~ok & (lo < hi), mid + 1, lo)
        return lo.astype(np.uint64)

    below = first(lambda e: e > lo_at)
    above = first(lambda e: e >= hi_at)
    return below, above


@dataclass(frozen=True)
class StanceLists:
    """What the compiled loop reads of the parameters, built once (``Params.kept``)."""

    hostility: np.ndarray  # (K,) float32 each action's hostility
    fp_p: np.ndarray  # (F, 2) the held pairs (i, j) and (j, i) of each flashpoint (-1: none)
    com_start: np.ndarray  # (P + 1,) the red lines and pledges of held pair p (its ally toward
    com_n: np.ndarray  # its party): com_n[com_start[p]:com_start[p + 1]], ascending
    stickiness: np.ndarray  # (P,) the stickiness of each held pair's mover
    below: np.ndarray  # (2, P, K) uint64 draw_bounds of the talks (0) and the pressure (1)
    above: np.ndarray  # of the counterpart's action k on pair p


def _lists(params) -> StanceLists:
    pair_of = params.stance.pair_of
    n_p = params.stance.pairs[0].size
    com = params.commit
    com_p = pair_of[com.by, com.party] if com is not None else np.zeros(0, dtype=np.int64)
    order = np.argsort(com_p, kind="stable")
    order = order[com_p[order] >= 0]
    start = np.searchsorted(com_p[order], np.arange(n_p + 1))
    fp_p = np.array(
        [(pair_of[x, y], pair_of[y, x]) for x, y in params.fp_pairs], dtype=np.int64
    ).reshape(-1, 2)
    hostility = params.action_hostility.astype(np.float32)
    stick = params.stance.stickiness[params.stance.pairs[0]]
    # The values the rules compare with a pair's draw (as float32 products, as the loop takes
    # them): talks, the conciliation of the counterpart's move; pressure, its hostility.
    talks = -hostility * np.float32(TALKS_RATE)
    pressure = hostility * np.float32(PRESSURE_RATE)
    below, above = draw_bounds(np.stack([talks, pressure])[:, None, :], stick[None, :, None])
    return StanceLists(
        hostility,
        fp_p,
        start.astype(np.int64),
        order.astype(np.int64),
        stick,
        np.ascontiguousarray(below),
        np.ascontiguousarray(above),
    )


def _kernel():
    """game.engine.stance_kernels, imported on first use: numba loads only when a month is
    stepped."""
    from . import stance_kernels

    return stance_kernels


def because(params, reason: int, detail: int, counterpart: int) -> str:
    """The words of a stance change's reason for the log, e.g. 'after the armed clash at the DMZ
    incident'."""
    n = params.actor_names
    act = lambda k: lower_first(params.action_names[k])  # noqa: E731
    other = n[counterpart]
    if reason == ATTACKED:
        if detail == _EVENT:
            return f"after the armed attack by {other}"
        if detail < 0:
            return f"after {other}'s armed attack ({act(-1 - detail)})"
        return f"after the armed clash at the {params.fp_names[detail]}"
    if reason == ATTACKING:
        return f"as it attacks ({act(detail)})"
    if reason == RED_LINE:
        return f"after {other} crossed its red line ({params.commit.names[detail]})"
    if reason == TREATY:
        q = params.inst_clause[detail]
        treaty = params.treaty_names[params.clause_treaty[q]]
        if params.inst_kind[detail] == KIND["consultation"]:
            return f"after consultations under the {treaty} ({params.clause_names[q]})"
        return f"as the {treaty} is invoked ({params.clause_names[q]})"
    if reason == THRESHOLD:
        return f"as the pair crosses into {lower_first(params.rung_names[detail])}"
    if reason == TALKS:
        return f"as talks open ({other}: {act(detail)})"
    if reason == PRESSURE:
        return f"after {other}'s pressure ({act(detail)})"
    if reason == INITIATIVE:
        if params.action_hostility[detail] < 0:
            return f"as it reaches out ({act(detail)})"
        return f"as it applies pressure ({act(detail)})"
    if reason == QUIET:
        return f"after {detail} quiet months"
    return ""


def changes(params, change: StanceChange | None, row: int = 0) -> list[dict]:
    """The stance changes of one run in one month, for its log."""
    if change is None:
        return []
    ids, out = params.actor_ids, []
    hi, hj = change.pairs
    for p in np.nonzero(change.reason[row])[0]:
        a, t = int(hi[p]), int(hj[p])
        r, d = int(change.reason[row, p]), int(change.detail[row, p])
        out.append(
            {
                "kind": "stance",
                "actor": ids[a],
                "target": ids[t],
                "from": IDS[int(change.before[row, p])],
                "stance": IDS[int(change.after[row, p])],
                "reason": REASONS[r],
                "because": because(params, r, d, t),
            }
        )
    return out


def describe(params, ev: dict) -> str:
    """One log line, e.g. 'South Korea turns to deterrence toward North Korea after ...'."""
    n = lambda x: params.actor_names[params.actor_ids.index(x)]  # noqa: E731
    s = name(of_id(ev["stance"]))
    verb = "returns to" if ev["stance"] == "wait" else "turns to"
    return f"{n(ev['actor'])} {verb} {s} toward {n(ev['target'])} {ev['because']}"
