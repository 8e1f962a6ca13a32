"""Tempo: a signal move beside the main move, and moves that end fighting.

A state does more than one thing a month where reality does: besides its main move, each
state may make one *signal* move - an action the scenario marks ``signal = true`` (a missile
or nuclear test, an exercise, a statement). The policy draws it (``game.ai.signal``) from the
month's scores restricted to the mover's open signals and holding, with its own random stream
(``rng.STREAM_SIGNAL``), so replay and worker independence hold; the engine applies it through
the same move application as the main move (``step._moves``), after it.

Wars can end: a move may lower its pair's rung to at most a given rung and its baseline (a
ceasefire or armistice: the armed attacks between the two end with it), or end the target's
armed attack on the mover's territory while the war goes on (Kursk retaken).

A war ends only when both sides want it: a move marked ``offer`` (a ceasefire) is an offer, and
its ending takes effect only if the target accepts it that month (``settle_offers``). The
target accepts when it made the same offer to the mover, or when it made no hostile move
toward the mover and its war-weariness (how far its home front has worn: 1 - stability / 100)
outweighs its will to fight on (its resolve times how the war goes for it: twice its share of
the two sides' conventional power, 1 at parity). A refused offer is logged as refused.

Battles follow the balance of forces: a move marked ``balance`` (a conventional attack) made
against a stronger target costs its mover more military the stronger the target is, and
destroys less of the target's the weaker the mover is (``balance_factors``); against a weaker
or equal target it costs and destroys what the action says. An offensive by the weaker side
wears it down faster than its enemy, and a side whose forces are spent does no more damage;
the stronger side's war is unchanged.
"""

from __future__ import annotations

import numpy as np

from .commitments import power
from .params import ATTR
from .state import State

# The words for an offer's answer (``game.sim`` logs them).
REFUSED = "{target} refuses {actor}'s offer ({action})"


def compile_actions(acts, rung_ix: dict[str, int], moves: dict, signal_gain: float) -> dict:
    """The tempo fields of ``Params`` from the scenario's actions, the candidate layout
    (``game.ai.moves.build_moves``) and the ``[ai] signal`` gain."""
    signal = np.array([a.signal for a in acts], dtype=bool)
    offer = np.array([bool(getattr(a, "offer", False)) for a in acts], dtype=bool)
    balance = np.array([bool(getattr(a, "balance", False)) for a in acts], dtype=bool)
    unease = np.array([float(getattr(a, "ally_tension", 0.0)) for a in acts], dtype=np.float64)
    lowers = np.array([rung_ix[a.lowers_to] if a.lowers_to else -1 for a in acts], np.int64)
    cand_sig, start = signal_layout(
        moves["cand_action"], moves["actor_cand_start"], signal.reshape(len(acts))
    )
    return dict(
        action_signal=signal.reshape(len(acts)),
        action_lowers_to=lowers.reshape(len(acts)),
        action_baseline=np.array([a.baseline for a in acts], dtype=np.float64),
        action_ends_attack=np.array([a.ends_attack for a in acts], dtype=bool),
        action_offer=offer.reshape(len(acts)),
        action_refused=[getattr(a, "refused", None) or REFUSED for a in acts],
        action_balance=balance.reshape(len(acts)),
        action_ally_tension=unease.reshape(len(acts)),
        signal_cand=cand_sig,
        signal_start=start,
        signal_gain=float(signal_gain),
    )


def signal_layout(cand_action: np.ndarray, actor_start: np.ndarray, signal: np.ndarray):
    """(signal_cand, signal_start): for each actor, its hold candidate then its candidates
    whose action is a signal, in candidate order. An actor without signals keeps only its
    hold (so it never makes a signal move)."""
    out, start = [], [0]
    for a in range(actor_start.size - 1):
        lo, hi = int(actor_start[a]), int(actor_start[a + 1])
        out.append(lo)
        k = cand_action[lo + 1 : hi]
        out.extend((lo + 1 + np.nonzero(signal[np.maximum(k, 0)] & (k >= 0))[0]).tolist())
        start.append(len(out))
    return np.array(out, dtype=np.int64), np.array(start, dtype=np.int64)


def has_signals(params) -> bool:
    """Some actor has a signal candidate."""
    s = params.signal_cand
    return s is not None and s.size > params.n_actors


def apply_endings(params, state: State, r, a: int, tv, kv, sym_set) -> None:
    """Moves ``kv`` of mover ``a`` toward ``tv`` (runs ``r``) that end fighting: the pair's rung
    falls to at most the action's ``lowers_to`` (the armed attacks between the two end), its
    baseline moves, and a move that ``ends_attack`` ends the target's attack on the mover. An
    offer's ending waits for the target's answer (``settle_offers``)."""
    if params.action_lowers_to is None:
        return
    if params.action_offer is not None and params.action_offer[kv].any():
        keep = ~params.action_offer[kv]
        r, tv, kv = r[keep], tv[keep], kv[keep]
    _end_fighting(params, state, r, a, tv, kv, sym_set)
    ends = params.action_ends_attack[kv]
    if ends.any():
        state.aggressor[r[ends], a, tv[ends]] = False


def _end_fighting(params, state: State, r, a, tv, kv, sym_set) -> None:
    """The pairs (a, tv) of runs ``r`` fall to at most the rung of ``kv``'s ``lowers_to``, the
    armed attacks between them end, and their baseline moves by its ``baseline``."""
    cap = params.action_lowers_to[kv]
    low = cap >= 0
    if low.any():
        rl, tl = r[low], tv[low]
        sym_set(state.rung, rl, a, tl, np.minimum(state.rung[rl, a, tl], cap[low]))
        state.aggressor[rl, a, tl] = False
        state.aggressor[rl, tl, a] = False
    base = params.action_baseline[kv]
    moved = base != 0
    if moved.any():
        rb, tb = r[moved], tv[moved]
        sym_set(state.baseline, rb, a, tb, np.clip(state.baseline[rb, a, tb] + base[moved], 0, 100))


def _share(state: State, rows, a, t) -> np.ndarray:
    """[k] a[k]'s share of the conventional power of a[k] and t[k] in run rows[k] (a half when
    both have none): the engine's one reckoning of how a fight between the two goes."""
    attr = state.attr
    m, r = ATTR["military"], ATTR["readiness"]
    mine = power(attr[rows, a][:, None, :], m, r)[:, 0]
    theirs = power(attr[rows, t][:, None, :], m, r)[:, 0]
    both = mine + theirs
    return np.where(both > 0, mine / np.where(both > 0, both, 1.0), 0.5)


def will_to_fight(state: State, rows, t, a) -> tuple[np.ndarray, np.ndarray]:
    """(will, weariness), [k] each: how much t[k] wants to fight a[k] on in run rows[k] - its
    resolve times twice its share of the two sides' conventional power - and how far t[k]'s
    home front has worn (1 - stability / 100). A state accepts an offer to stop fighting only
    when its weariness outweighs its will."""
    will = state.attr[rows, t, ATTR["resolve"]] * 2.0 * _share(state, rows, t, a)
    weary = 1.0 - np.clip(state.attr[rows, t, ATTR["stability"]], 0.0, 100.0) / 100.0
    return will, weary


def settle_offers(params, state: State, moves: np.ndarray, sym_set) -> np.ndarray | None:
    """Answer the month's offers (main moves of ``offer`` actions, after every move of the
    month is made): an offer from a to t takes effect (``lowers_to``, ``baseline``, the pair's
    tension falls to its new baseline) when t made the same offer to a, or when t's moves of
    the month said nothing hostile to a and t's war-weariness outweighs its will to fight a on
    (``will_to_fight``). (B, A) bool: each actor's offer accepted; None without offers."""
    if params.action_offer is None or not params.action_offer.any():
        return None
    k = params.cand_action[moves]
    t = params.cand_target[moves]
    made = (k >= 0) & params.action_offer[np.maximum(k, 0)] & ~state.done[:, None]
    accepted = np.zeros(moves.shape, dtype=bool)
    if not made.any():
        return accepted
    rows, movers = np.nonzero(made)
    targets = t[rows, movers]
    mutual = (
        made[rows, targets] & (t[rows, targets] == movers) & (k[rows, targets] == k[rows, movers])
    )
    calm = state.last_hostility[rows, targets, movers] <= 0
    will, weary = will_to_fight(state, rows, targets, movers)
    willing = weary > will
    ok = mutual | (calm & willing)
    accepted[rows[ok], movers[ok]] = True
    once = ok & ~(mutual & (movers > targets))  # a pair's mutual offers end its war once
    for a in np.unique(movers[once]):
        sel = once & (movers == a)
        r, tv, kv = rows[sel], targets[sel], k[rows[sel], a]
        _end_fighting(params, state, r, int(a), tv, kv, sym_set)
        sym_set(
            state.tension,
            r,
            int(a),
            tv,
            np.minimum(state.tension[r, a, tv], state.baseline[r, a, tv]),
        )
    return accepted


def offer_answer(params, state: State, mover: int, target: int) -> tuple[bool, float, float]:
    """(accepts, will, weariness) of ``target`` to an offer from ``mover`` in run 0 of
    ``state``, if its moves of the month say nothing hostile to the mover (``settle_offers``)."""
    will, weary = will_to_fight(state, [0], [target], [mover])
    w, t = float(will[0]), float(weary[0])
    return t > w, w, t


def balance_factors(mine) -> tuple[np.ndarray, np.ndarray]:
    """(cost, damage): what a ``balance`` move's written military effects are multiplied by
    when its mover holds share ``mine`` of the two sides' conventional power. Against a
    stronger target the mover's own losses grow with the target's power over its own (up to
    twice as written) and the damage it does shrinks with its power over the target's; against
    a weaker or equal one both are as written."""
    mine = np.asarray(mine, dtype=np.float64)
    ratio = np.where(mine < 0.5, mine / np.maximum(1.0 - mine, 1e-9), 1.0)
    return np.minimum(1.0 / np.maximum(ratio, 1e-9), 2.0), ratio


def balance_of_forces(params, state: State, moves: np.ndarray) -> None:
    """Before the month's moves are applied (``step._moves`` applies each action's effects as
    written): adds to every ``balance`` move's military effects the difference that the
    balance of forces makes (``balance_factors``)."""
    if params.action_balance is None or not params.action_balance.any():
        return
    k = params.cand_action[moves]
    made = (k >= 0) & params.action_balance[np.maximum(k, 0)] & ~state.done[:, None]
    if not made.any():
        return
    rows, movers = np.nonzero(made)
    targets = params.cand_target[moves[rows, movers]]
    kv = k[rows, movers]
    cost, damage = balance_factors(_share(state, rows, movers, targets))
    m = ATTR["military"]
    np.add.at(state.attr[:, :, m], (rows, movers), params.action_self[kv, m] * (cost - 1.0))
    np.add.at(state.attr[:, :, m], (rows, targets), params.action_target[kv, m] * (damage - 1.0))
    np.clip(state.attr, 0.0, None, out=state.attr)


def military_effects(params, state: State, action: int, mover: int, target: int):
    """(mine, theirs): the military change a move of ``action`` by ``mover`` against
    ``target`` makes to each side in run 0 of ``state``, the balance of forces counted."""
    m = ATTR["military"]
    mine, theirs = float(params.action_self[action, m]), float(params.action_target[action, m])
    if params.action_balance is not None and params.action_balance[action]:
        cost, damage = balance_factors(_share(state, [0], [mover], [target])[0])
        mine, theirs = mine * float(cost), theirs * float(damage)
    return mine, theirs


def ally_unease(params, state: State, moves: np.ndarray) -> None:
    """Talks with an ally's rival cost standing with the ally: a main move whose action has an
    ``ally_tension`` adds it to the tension between the mover and each of its allies (parties
    to a common assistance treaty, ``Params.allied``) that counts the move's target a rival."""
    gain = params.action_ally_tension
    if gain is None or not gain.any() or params.allied is None:
        return
    k = params.cand_action[moves]
    add = np.where(k >= 0, gain[np.maximum(k, 0)], 0.0) * ~state.done[:, None]
    if not add.any():
        return
    # Only the runs where some mover's action has an ally tension (the others add nothing).
    rows = np.nonzero(add.any(axis=1))[0]
    add = add[rows]
    t = params.cand_target[moves[rows]]  # (R, A)
    # [r, a, q]: q is a's ally and counts a's target a rival
    worried = params.allied[None, :, :] & params.rivals.T[t]
    delta = add[:, :, None] * worried
    state.tension[rows] += delta + np.swapaxes(delta, 1, 2)
    np.clip(state.tension, 0.0, 100.0, out=state.tension)


def uneasy_allies(params, action: int, mover: int, target: int) -> list[int]:
    """The allies of ``mover`` whose tension with it a move of ``action`` toward ``target``
    raises (``ally_unease``)."""
    if params.action_ally_tension is None or params.allied is None:
        return []
    if params.action_ally_tension[action] == 0:
        return []
    return [int(q) for q in np.nonzero(params.allied[mover] & params.rivals[:, target])[0]]


def merge_hostility(main: np.ndarray, signal: np.ndarray) -> np.ndarray:
    """(B, A, A) what each mover's moves of the month said to each target: the signal's where
    the main move said nothing, else the more hostile of the two."""
    both = np.maximum(main, signal)
    return np.where(main == 0, signal, np.where(signal == 0, main, both))


def no_signal(params, batch: int) -> np.ndarray:
    """(B, A) every actor's hold candidate: no signal move."""
    return np.broadcast_to(params.actor_cand_start[:-1][None, :], (batch, params.n_actors)).copy()
