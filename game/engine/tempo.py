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
"""

from __future__ import annotations

import numpy as np

from .state import State


def compile_actions(acts, rung_ix: dict[str, int], moves: dict, signal_gain: float) -> dict:
    """The tempo fields of ``Params`` from the scenario's actions, the candidate layout
    (``game.ai.moves.build_moves``) and the ``[ai] signal`` gain."""
    signal = np.array([a.signal for a in acts], dtype=bool)
    lowers = np.array([rung_ix[a.lowers_to] if a.lowers_to else -1 for a in acts], np.int64)
    cand_sig, start = signal_layout(
        moves["cand_action"], moves["actor_cand_start"], signal.reshape(len(acts))
    )
    return dict(
        action_signal=signal.reshape(len(acts)),
        action_lowers_to=lowers.reshape(len(acts)),
        action_baseline=np.array([a.baseline for a in acts], dtype=np.float64),
        action_ends_attack=np.array([a.ends_attack for a in acts], dtype=bool),
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
    baseline moves, and a move that ``ends_attack`` ends the target's attack on the mover."""
    if params.action_lowers_to is None:
        return
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
    ends = params.action_ends_attack[kv]
    if ends.any():
        state.aggressor[r[ends], a, tv[ends]] = False


def merge_hostility(main: np.ndarray, signal: np.ndarray) -> np.ndarray:
    """(B, A, A) what each mover's moves of the month said to each target: the signal's where
    the main move said nothing, else the more hostile of the two."""
    both = np.maximum(main, signal)
    return np.where(main == 0, signal, np.where(signal == 0, main, both))


def no_signal(params, batch: int) -> np.ndarray:
    """(B, A) every actor's hold candidate: no signal move."""
    return np.broadcast_to(params.actor_cand_start[:-1][None, :], (batch, params.n_actors)).copy()
