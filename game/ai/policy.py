"""The doctrine-driven stochastic policy.

Every actor scores each move open to it (an action toward a target, or holding its position)
as a weighted sum of features of the pair: tension, the current rung, how well the target is
deterred-protected by credible allies and its own arsenal, whether the target provoked it last
month, whether its allies asked it to coordinate, whether the pair is at war, and whether a
treaty partner is threatened by the target. The weights come from the actor's doctrine in the
scenario (aggression, caution, reciprocity, loyalty, preferences), compiled once into one row
of weights per candidate move. A move is then drawn from the softmax of the scores at the
actor's temperature, with one counter-based uniform per actor and month, so a batch explores
the space and every run stays reproducible.
"""

from __future__ import annotations

import numpy as np

from game.engine import rng
from game.engine.params import ATTR, KIND, NFEAT, Params
from game.engine.state import State
from game.engine.step import Context


def _defence_links(params: Params, active: np.ndarray) -> np.ndarray:
    """(B, A, A): credibility with which ally q will defend party p ([p, q]) this month."""
    b = active.shape[0]
    n_a = params.n_actors
    out = np.zeros((b, n_a, n_a))
    for i in np.nonzero(params.inst_kind == KIND["assistance"])[0]:
        p, q = params.inst_party[i], params.inst_by[i]
        c = np.where(active[:, params.inst_treaty[i]], params.inst_cred[i], 0.0)
        out[:, p, q] = np.maximum(out[:, p, q], c)
    return out


def _links(params: Params, active: np.ndarray, kind: str) -> np.ndarray:
    """(B, A, A) bool: a clause of this kind binds a and t (either way) in force."""
    b = active.shape[0]
    n_a = params.n_actors
    out = np.zeros((b, n_a, n_a), dtype=bool)
    for i in np.nonzero(params.inst_kind == KIND[kind])[0]:
        p, q = params.inst_party[i], params.inst_by[i]
        on = active[:, params.inst_treaty[i]]
        out[:, p, q] |= on
        out[:, q, p] |= on
    return out


def pair_features(params: Params, state: State, active: np.ndarray) -> np.ndarray:
    """(B, A, A, NFEAT) features of every ordered pair (mover, target)."""
    b, n_a = state.batch, params.n_actors
    top = max(len(params.rung_ids) - 1, 1)
    attr = state.attr
    conv = attr[:, :, ATTR["military"]] * (0.5 + attr[:, :, ATTR["readiness"]] / 200.0)
    arsenal = attr[:, :, ATTR["warheads"]] * attr[:, :, ATTR["delivery"]]
    nuc = np.minimum(1.0, np.log10(1.0 + arsenal) / 3.7)
    defends = _defence_links(params, active)  # [p, q]
    coal_conv = conv + np.einsum("bpq,bq->bp", defends, conv)
    coal_nuc = np.maximum(nuc, (defends * nuc[:, None, :]).max(axis=2))
    # deterrence of mover a by target t's coalition
    share = coal_conv[:, None, :] / (coal_conv[:, None, :] + conv[:, :, None] + 1e-9)
    deter = 0.5 * share + 0.5 * coal_nuc[:, None, :]
    feats = np.empty((b, n_a, n_a, NFEAT))
    feats[..., 0] = state.tension / 100.0
    feats[..., 1] = state.rung / top
    feats[..., 2] = deter
    feats[..., 3] = np.maximum(np.swapaxes(state.last_hostility, 1, 2), 0.0) + np.where(
        state.aggressor, 1.0, 0.0
    )
    feats[..., 4] = state.coord > 0
    feats[..., 5] = state.rung >= params.thresholds["war"]
    threat = np.zeros((b, n_a, n_a))
    for i in range(params.inst_party.shape[0]):
        p, q = params.inst_party[i], params.inst_by[i]
        on = active[:, params.inst_treaty[i]][:, None]
        threat[:, q, :] = np.maximum(threat[:, q, :], np.where(on, state.rung[:, p, :], 0))
    idx = np.arange(n_a)
    threat[:, idx, idx] = 0
    feats[..., 6] = threat / top
    return feats


def valid_moves(params: Params, state: State, active: np.ndarray) -> np.ndarray:
    """(B, C) bool: which candidate moves are open in each run (holding is always open)."""
    n_a = params.n_actors
    pair = params.cand_actor * n_a + params.cand_target
    rung_c = state.rung.reshape(state.batch, -1)[:, pair]
    k = params.cand_action
    ks = np.where(k >= 0, k, 0)
    ok = (rung_c >= params.action_min_rung[ks]) & (rung_c <= params.action_max_rung[ks])
    needs = params.action_needs[ks]  # (C, 4)
    war = params.thresholds["war"]
    if needs[:, 0].any():
        arsenal = state.attr[:, :, ATTR["warheads"]] * state.attr[:, :, ATTR["delivery"]]
        ok &= ~needs[None, :, 0] | (arsenal[:, params.cand_actor] > 0)
    if needs[:, 1].any():
        tech = _links(params, active, "tech_cooperation").reshape(state.batch, -1)[:, pair]
        ok &= ~needs[None, :, 1] | tech
    ok &= ~needs[None, :, 2] | (rung_c >= war)
    ok &= ~needs[None, :, 3] | (rung_c < war)
    if needs[:, 4].any() or needs[:, 5].any():
        worst = state.rung.max(axis=2)[:, params.cand_target]  # (B, C): target's worst pair
        threat = params.thresholds.get("threat", war)
        ok &= ~needs[None, :, 4] | (worst >= threat)
        ok &= ~needs[None, :, 5] | (worst >= war)
    hostile = params.action_hostility[ks] > 0
    if hostile.any() and (params.inst_kind == KIND["no_hostile_alliance"]).any():
        nha = _links(params, active, "no_hostile_alliance").reshape(state.batch, -1)[:, pair]
        ok &= ~(hostile[None, :] & nha)
    ok |= (k < 0)[None, :]
    return ok


def scores(params: Params, state: State, ctx: Context) -> np.ndarray:
    """(B, C) score of every candidate move; -inf where the move is not open."""
    active = ctx.treaty_active()
    n_a = params.n_actors
    feats = pair_features(params, state, active).reshape(state.batch, n_a * n_a, NFEAT)
    pair = params.cand_actor * n_a + params.cand_target
    fc = feats[:, pair, :]  # (B, C, F)
    s = params.cand_bias[None, :] + np.einsum("bcf,cf->bc", fc, params.cand_weights)
    k = params.cand_action
    ks = np.where(k >= 0, k, 0)
    rung_c = state.rung.reshape(state.batch, -1)[:, pair]
    jump = np.maximum(params.action_rung[ks][None, :] - rung_c, 0)
    s = s - params.cand_jump[None, :] * jump
    return np.where(valid_moves(params, state, active), s, -np.inf)


def doctrine_policy(params: Params, state: State, ctx: Context) -> np.ndarray:
    """(B, A) candidate index chosen by every actor: a softmax draw over its scored moves."""
    s = scores(params, state, ctx)
    u = rng.uniforms(state.keys, state.turn, rng.STREAM_AI, params.n_actors)
    out = np.empty((state.batch, params.n_actors), dtype=np.int64)
    starts = params.actor_cand_start
    for a in range(params.n_actors):
        lo, hi = starts[a], starts[a + 1]
        block = s[:, lo:hi] / params.temperature[a]
        block = block - block.max(axis=1, keepdims=True)
        w = np.exp(block)
        cum = np.cumsum(w, axis=1)
        thr = u[:, a : a + 1] * cum[:, -1:]
        pick = (cum <= thr).sum(axis=1)
        out[:, a] = lo + np.minimum(pick, hi - lo - 1)
    return out
