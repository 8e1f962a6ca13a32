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


def _move_kernels():
    """game.engine.move_kernels, imported on first use (numba loads only in a process that
    plays a month)."""
    from . import move_kernels

    return move_kernels


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


def settle_offers(params, state: State, moves: np.ndarray) -> np.ndarray | None:
    """Answer the month's offers (main moves of ``offer`` actions, after every move of the
    month is made): an offer from a to t takes effect (``lowers_to``, ``baseline``, the pair's
    tension falls to its new baseline) when t made the same offer to a, or when t's moves of
    the month said nothing hostile to a and t's war-weariness outweighs its will to fight a on
    (``will_to_fight``). (B, A) bool: each actor's offer accepted; None without offers. Run by
    run in a compiled loop (game.engine.move_kernels.settle_offers), which sets both halves of
    each pair itself."""
    if params.action_offer is None or not params.action_offer.any():
        return None
    accepted = np.zeros(moves.shape, dtype=bool)
    _move_kernels().settle_offers(
        np.ascontiguousarray(moves, dtype=np.int64),
        params.cand_action,
        params.cand_target,
        params.kept("offer_moves", lambda p: _candidates_of(p, p.action_offer)),
        state.done,
        state.last_hostility,
        state.attr,
        state.rung,
        state.aggressor,
        state.baseline,
        state.tension,
        params.move_lists.act_i,
        params.move_lists.act_f,
        accepted,
        ATTR["resolve"],
        ATTR["stability"],
        ATTR["military"],
        ATTR["readiness"],
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
    balance of forces makes (``balance_factors``), run by run in a compiled loop
    (game.engine.move_kernels.balance)."""
    if params.action_balance is None or not params.action_balance.any():
        return
    _move_kernels().balance(
        np.ascontiguousarray(moves, dtype=np.int64),
        params.cand_action,
        params.cand_target,
        state.done,
        state.attr,
        params.move_lists.act_i,
        params.action_self,
        params.action_target,
        ATTR["military"],
        ATTR["readiness"],
    )


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
    to a common assistance treaty, ``Params.allied``) that counts the move's target a rival.
    Run by run in a compiled loop (game.engine.move_kernels.ally_unease)."""
    gain = params.action_ally_tension
    if gain is None or not gain.any() or params.allied is None:
        return
    _move_kernels().ally_unease(
        np.ascontiguousarray(moves, dtype=np.int64),
        params.cand_action,
        params.cand_target,
        params.kept("ally_moves", lambda p: _candidates_of(p, p.action_ally_tension != 0)),
        state.done,
        state.tension,
        params.move_lists.act_f,
        params.allied,
        params.rivals,
    )


def _candidates_of(params, actions) -> np.ndarray:
    """(C,) bool: the candidate moves whose action is one of ``actions`` (A,) bool (holding is
    none), for the compiled loops to pass over the runs without such a move at a glance."""
    k = params.cand_action
    return (k >= 0) & np.asarray(actions, dtype=bool)[np.maximum(k, 0)]


def uneasy_allies(params, action: int, mover: int, target: int) -> list[int]:
    """The allies of ``mover`` whose tension with it a move of ``action`` toward ``target``
    raises (``ally_unease``)."""
    if params.action_ally_tension is None or params.allied is None:
        return []
    if params.action_ally_tension[action] == 0:
        return []
    return [int(q) for q in np.nonzero(params.allied[mover] & params.rivals[:, target])[0]]
