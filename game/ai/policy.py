"""The doctrine-driven stochastic policy.

Every actor scores each move open to it (an action toward a target, or holding its position).
A move's score is its base appeal plus pair features weighted by the actor's doctrine and the
action's nature:

* hostility x (aggression x tension and rung, reciprocity x what the target did to it last
  month or an attack under way) - hostile moves grow likelier as a pair sours;
* hostile part x loyalty x (allies asked it to coordinate, a treaty partner is threatened by
  the target) - allies stand together after consulting;
* - escalation level x caution x deterrence, where deterrence is the target coalition's
  conventional share and nuclear reach, counting allies by the credibility of their
  assistance clauses - credible alliances deter;
* at war: attacks gain with resolve, peace moves with war-weariness;
* - caution x the number of rungs the move climbs above the pair's current rung.

A move is drawn from the softmax of the scores at the actor's temperature with one
counter-based uniform per actor and month, so a batch explores the space and every run stays
reproducible. The work is done in float32 by the compiled kernels of ``game.ai.kernel``, one
run at a time, so a run's choice does not depend on the batch it is in.
"""

from __future__ import annotations

import numpy as np

from game.engine import commitments as cm
from game.engine import draws, rng
from game.engine.legality import OPEN, move_codes
from game.engine.params import ATTR, Params
from game.engine.state import State
from game.engine.step import Context

_F32 = np.float32


def _kernels():
    """game.ai.kernel, imported on first use: numba loads only in a process that plays a month
    (validating or showing a scenario does not pay for it)."""
    from . import kernel

    return kernel


def _c(x, dtype=None):
    return np.ascontiguousarray(x, dtype=dtype)


def _nuclear(params: Params, state: State, attr: np.ndarray) -> tuple:
    """(arsenal, the AI's nuclear reach (float32), the commitments' (float64, as
    game.engine.commitments reads it)), (B, A) each; the commitments' is a placeholder when no
    move block weighs anticipation (the kernel reads nothing then).

    Arsenals seldom change from month to month, and the logarithms cost more than the rest of
    the scores' inputs: a batch keeps the month's reaches with its state and works them out
    again only where an arsenal changed (NaN included, as unequal to itself). Each entry is
    the elementwise function of its own arsenal, so the values are those worked out afresh."""
    arsenal = attr[:, :, ATTR["warheads"]] * attr[:, :, ATTR["delivery"]]
    wanted = _kernels().tables(params).commitments
    kept = state.__dict__.get("_ai_nuclear")
    if kept is None or kept[0].shape != arsenal.shape or kept[3] != wanted:
        nuc64 = _c(cm.reach(arsenal), np.float64) if wanted else np.zeros((1, 1))
        kept = (arsenal, _c(cm.reach(arsenal, _F32)), nuc64, wanted)
        state.__dict__["_ai_nuclear"] = kept
        return kept[:3]
    old, nuc, nuc64, _ = kept
    changed = arsenal != old
    if changed.any():
        now = arsenal[changed]
        old[changed] = now
        nuc[changed] = cm.reach(now, _F32)
        if wanted:
            nuc64[changed] = cm.reach(now)
    return old, nuc, nuc64


def _scores(
    params: Params, state: State, active: np.ndarray, weights: bool, draw=None
) -> np.ndarray:
    """(B, C) float32 scores of every candidate (``score_kernel``); with ``weights``, the
    softmax weights instead (numpy's exp of each score less its actor's best), in the kernels'
    lanes: (groups of kernel.LANES runs, C, LANES). With ``draw``, (moves, signals) as
    :func:`_draw` takes them, the moves are drawn from the weights as the kernel makes them,
    into those arrays, and the weights are not kept (None is returned)."""
    tb = _kernels().tables(params)
    rd = tb.reading
    b = state.batch
    attr = _c(state.attr, np.float64)
    arsenal, nuc, nuc64 = _nuclear(params, state, attr)
    jump = draws.delta(params, state, "jump")  # each run's own ai.jump, if drawn
    jump32 = np.zeros(b, dtype=_F32) if jump is None else jump.astype(_F32)
    n_c = params.cand_actor.shape[0]
    lanes = _kernels().LANES
    out = np.empty((1, 1) if weights else (b, n_c), dtype=_F32)
    keep = weights and draw is None
    tiles = np.empty(((b + lanes - 1) // lanes if keep else 0, n_c, lanes), dtype=_F32)
    moves, sig = draw if draw is not None else (np.zeros((0, 0), np.int64),) * 2
    _kernels().score_kernel(
        tb.cand_start,
        tb.pass_bias,
        tb.coef8,
        tb.place,
        tb.b_actor,
        tb.b_start,
        tb.b_nt,
        tb.b_nk,
        tb.b_toff,
        tb.b_koff,
        tb.b_tab,
        tb.b_fit,
        tb.targets,
        tb.coef5,
        tb.table,
        tb.climb,
        tb.fit,
        tb.needs,
        tb.hostile,
        tb.h_c,
        tb.h_gain,
        tb.hc_start,
        tb.h_floor,
        tb.h_attack,
        *tb.line,
        *tb.opened,
        tb.gain,
        tb.open_bonus,
        tb.ally_start,
        tb.ally_party,
        tb.ally_tstart,
        tb.ally_treaty,
        *tb.tech,
        *tb.nha,
        tb.has_tech,
        tb.has_nha,
        tb.war,
        tb.threat,
        tb.commitments,
        rd.n_assist,
        rd.by,
        rd.party,
        rd.treaty,
        rd.start,
        rd.end,
        rd.cred_f,
        rd.stretch,
        rd.p_com,
        rd.p_treaty,
        rd.p_by,
        rd.p_weight,
        rd.g_start,
        rd.g_rows,
        rd.risk,
        rd.col_plain,
        rd.col_attack,
        int(state.turn),
        _c(state.tension, np.float64),
        _c(state.last_hostility, np.float64),
        _c(state.aggressor, bool),
        _c(state.rung, np.int16),
        _c(state.coord, np.int16),
        _c(state.stance, np.int8),
        _c(state.opened_until, np.int32),
        _c(active, bool),
        attr,
        ATTR["military"],
        ATTR["readiness"],
        nuc64,
        nuc,
        arsenal > 0,
        _c(state.cred, np.float64),
        jump32,
        jump is not None,
        weights,
        out,
        tiles,
        draw is not None,
        _draw_args(tb, state, moves, sig),
    )
    return (tiles if keep else None) if weights else out


def valid_moves(params: Params, state: State, active: np.ndarray) -> np.ndarray:
    """(B, C) bool: which candidate moves are open in each run (holding is always open); the
    engine's reason code is 0 (``game.engine.legality.move_codes``)."""
    return move_codes(params, state, active) == OPEN


def scores(params: Params, state: State, ctx: Context) -> np.ndarray:
    """(B, C) float32 score of every candidate move in units of its actor's temperature;
    -inf where the move is not open."""
    return _scores(params, state, ctx.treaty_active(), weights=False)


def softmax_weights(params: Params, state: State, ctx: Context) -> np.ndarray:
    """float32 exp(score - the actor's best score) of every candidate: the weights both draws
    read, in the kernels' lanes (``game.ai.kernel.weight_rows`` gives them as (B, C)). The
    exponential is numpy's (see game.ai.kernel)."""
    return _scores(params, state, ctx.treaty_active(), weights=True)


def _draw_args(tb, state: State, moves: np.ndarray, sig: np.ndarray) -> tuple:
    """The draw kernel's ``draws`` (one tuple, which the score kernel takes too): the runs'
    keys and counters, the moves and signals to write, the signal tables."""
    return (
        _c(state.keys, np.uint64),
        rng.counter(state.turn, rng.STREAM_AI),
        moves,
        sig,
        tb.sig_cand,
        tb.sig_start,
        tb.sig_actor,
        tb.sig_target,
        _F32(tb.sig_gain),
        tb.sig_gain != 0,
        rng.counter(state.turn, rng.STREAM_SIGNAL),
    )


def _draw(params, state, w, moves, draw_main: bool):
    """The main moves into ``moves`` (with ``draw_main``) and the signal moves beside them
    (an empty array when the scenario has none), from the weights ``w``."""
    tb = _kernels().tables(params)
    sig = np.empty_like(moves) if tb.signals else np.zeros((0, 0), dtype=np.int64)
    _kernels().draw_kernel(
        w,
        state.batch,
        tb.cand_start,
        draw_main,
        _c(state.rung, np.int16),
        tb.war,
        _draw_args(tb, state, moves, sig),
    )
    return sig


def doctrine_policy(params: Params, state: State, ctx: Context) -> np.ndarray:
    """(B, A) candidate index chosen by every actor: a softmax draw over its scored moves.

    One pass over all candidates: subtract each actor's best score, exponentiate, take a
    running sum, and count for every actor the candidates whose running sum stays at or below
    its uniform draw times its total. The signal moves beside these moves are drawn in the
    same pass (``doctrine_signals`` returns them).
    """
    moves = np.empty((state.batch, params.n_actors), dtype=np.int64)
    if getattr(ctx, "moves_fixed", False):
        # A player's moves replace some of these: the weights are kept for the signals drawn
        # beside them (doctrine_signals).
        w = softmax_weights(params, state, ctx)
        ctx.move_weights = w
        sig = _draw(params, state, w, moves, True)
    else:
        # Drawn from as the score kernel makes them, LANES runs at a time, and not kept.
        signals = _kernels().tables(params).signals
        sig = np.empty_like(moves) if signals else np.zeros((0, 0), dtype=np.int64)
        _scores(params, state, ctx.treaty_active(), weights=True, draw=(moves, sig))
        ctx.move_weights = None
    ctx.drawn_signals = (moves.copy(), sig)
    return moves


def doctrine_signals(params: Params, state: State, ctx: Context, moves: np.ndarray) -> np.ndarray:
    """(B, A) each actor's signal move beside its main move ``moves`` (game.ai.signal), from the
    month's weights of ``doctrine_policy`` (scored afresh if the policy did not run)."""
    drawn = getattr(ctx, "drawn_signals", None)
    if drawn is not None and drawn[1].size and np.array_equal(drawn[0], moves):
        return drawn[1].copy()
    w = getattr(ctx, "move_weights", None)
    if w is None:
        w = softmax_weights(params, state, ctx)
    if not _kernels().tables(params).signals:
        return np.broadcast_to(params.actor_cand_start[:-1], moves.shape).copy()
    return _draw(params, state, w, np.array(moves, dtype=np.int64), False)


doctrine_policy.signals = doctrine_signals  # the engine asks a policy for signals (step._signals)
