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
reproducible. The work is done on dense (runs, targets, actions) blocks in float32 with
element-wise numpy operations only, so a run's choice does not depend on the batch it is in.
"""

from __future__ import annotations

import numpy as np

from game.engine import rng
from game.engine.params import ATTR, KIND, MoveBlock, Params
from game.engine.state import State
from game.engine.step import Context

_F32 = np.float32


def _defence_links(params: Params, active: np.ndarray) -> np.ndarray:
    """(B, A, A): credibility with which ally q will defend party p ([p, q]) this month."""
    b, n_a = active.shape[0], params.n_actors
    out = np.zeros((b, n_a, n_a), dtype=_F32)
    for i in np.nonzero(params.inst_kind == KIND["assistance"])[0]:
        p, q = params.inst_party[i], params.inst_by[i]
        c = np.where(active[:, params.inst_treaty[i]], _F32(params.inst_cred[i]), _F32(0))
        out[:, p, q] = np.maximum(out[:, p, q], c)
    return out


def _links(params: Params, active: np.ndarray, kind: str) -> np.ndarray | None:
    """(B, A, A) bool: a clause of this kind binds a and t in force; None if no such clause."""
    insts = np.nonzero(params.inst_kind == KIND[kind])[0]
    if insts.size == 0:
        return None
    b, n_a = active.shape[0], params.n_actors
    out = np.zeros((b, n_a, n_a), dtype=bool)
    for i in insts:
        p, q = params.inst_party[i], params.inst_by[i]
        on = active[:, params.inst_treaty[i]]
        out[:, p, q] |= on
        out[:, q, p] |= on
    return out


class PairContext:
    """Per-pair quantities of one month, shared by scoring and the 'is this move open' check."""

    def __init__(self, params: Params, state: State, active: np.ndarray):
        self.params = params
        n_a = params.n_actors
        top = _F32(max(len(params.rung_ids) - 1, 1))
        self.rung = state.rung.astype(_F32)  # (B, A, A)
        war = params.thresholds["war"]
        self.at_war = state.rung >= war
        arsenal = state.attr[:, :, ATTR["warheads"]] * state.attr[:, :, ATTR["delivery"]]
        self.has_nuclear = arsenal > 0  # (B, A)
        self.worst = state.rung.max(axis=2)  # (B, A): each actor's most dangerous pair
        self.threat_level = params.thresholds.get("threat", war)
        self.war_level = war
        self._active = active
        self._state = state
        self._top = top
        self._tech = None
        self._nha = None
        self._combos = None

    def tech(self):
        if self._tech is None:
            self._tech = _links(self.params, self._active, "tech_cooperation")
        return self._tech

    def nha(self):
        if self._nha is None:
            self._nha = _links(self.params, self._active, "no_hostile_alliance")
        return self._nha

    def combos(self):
        """(X_h, X_hp, X_e, W_att, W_peace), each (B, A, A) float32: doctrine-weighted features."""
        if self._combos is not None:
            return self._combos
        params, state, top = self.params, self._state, self._top
        c = params.doctrine_coef  # (A, 8)
        col = lambda j: c[:, j][None, :, None]  # noqa: E731  (mover axis)
        tension = state.tension.astype(_F32) / _F32(100)
        provoked = np.maximum(np.swapaxes(state.last_hostility, 1, 2), 0).astype(_F32)
        provoked += state.aggressor
        x_h = col(0) * tension + col(1) * (self.rung / top) + col(2) * provoked
        # A treaty partner of the mover is threatened by the target.
        b, n_a = state.batch, params.n_actors
        threat = np.zeros((b, n_a, n_a), dtype=_F32)
        for i in range(params.inst_party.shape[0]):
            p, q = params.inst_party[i], params.inst_by[i]
            on = self._active[:, params.inst_treaty[i]][:, None]
            threat[:, q, :] = np.maximum(threat[:, q, :], np.where(on, self.rung[:, p, :], 0))
        idx = np.arange(n_a)
        threat[:, idx, idx] = 0
        x_hp = col(3) * (state.coord > 0) + col(4) * (threat / top)
        # Deterrence of mover a by target t and the allies that credibly defend it.
        attr = state.attr
        conv = (
            attr[:, :, ATTR["military"]] * (0.5 + attr[:, :, ATTR["readiness"]] / 200.0)
        ).astype(_F32)
        arsenal = (attr[:, :, ATTR["warheads"]] * attr[:, :, ATTR["delivery"]]).astype(_F32)
        nuc = np.minimum(_F32(1), np.log10(_F32(1) + arsenal) / _F32(3.7))
        defends = _defence_links(params, self._active)  # [p, q]
        coal_conv = conv + (defends * conv[:, None, :]).sum(axis=2)
        coal_nuc = np.maximum(nuc, (defends * nuc[:, None, :]).max(axis=2))
        share = coal_conv[:, None, :] / (coal_conv[:, None, :] + conv[:, :, None] + _F32(1e-6))
        deter = _F32(0.5) * share + _F32(0.5) * coal_nuc[:, None, :]
        x_e = -col(5) * deter
        war = self.at_war.astype(_F32)
        self._combos = (x_h, x_hp, x_e, col(6) * war, col(7) * war)
        return self._combos


def block_open(ctx: PairContext, blk: MoveBlock) -> np.ndarray:
    """(B, T, K) bool: which moves of the block are open this month."""
    a, tg = blk.actor, blk.targets
    r = ctx.rung[:, a, tg][:, :, None]
    ok = (r >= blk.min_rung) & (r <= blk.max_rung)
    if not blk.all_finite:
        ok &= np.isfinite(blk.bias)[None]
    nd = blk.needs
    if nd[:, 0].any():
        ok &= ~nd[:, 0] | ctx.has_nuclear[:, a][:, None, None]
    if nd[:, 1].any():
        tech = ctx.tech()
        link = tech[:, a, tg] if tech is not None else np.zeros(r.shape[:2], dtype=bool)
        ok &= ~nd[:, 1] | link[:, :, None]
    if nd[:, 2].any() or nd[:, 3].any():
        w = ctx.at_war[:, a, tg][:, :, None]
        ok &= ~nd[:, 2] | w
        ok &= ~nd[:, 3] | ~w
    if nd[:, 4].any() or nd[:, 5].any():
        worst = ctx.worst[:, tg][:, :, None]
        ok &= ~nd[:, 4] | (worst >= ctx.threat_level)
        ok &= ~nd[:, 5] | (worst >= ctx.war_level)
    if (blk.hostility > 0).any():
        nha = ctx.nha()
        if nha is not None:
            ok &= ~((blk.hostility > 0) & nha[:, a, tg][:, :, None])
    return ok


def block_scores(ctx: PairContext, blk: MoveBlock) -> np.ndarray:
    """(B, T, K) float32 scores of a block; -inf where a move is not open."""
    a, tg = blk.actor, blk.targets
    x_h, x_hp, x_e, w_att, w_peace = ctx.combos()
    # Terms whose action column is all zero are skipped: adding 0.0 would not change a bit.
    s = blk.bias[None] + x_h[:, a, tg][:, :, None] * blk.hostility
    if blk.any_hostile:
        s += x_hp[:, a, tg][:, :, None] * blk.hostile
    if blk.any_level:
        s += x_e[:, a, tg][:, :, None] * blk.level
        climb = np.maximum(blk.rung - ctx.rung[:, a, tg][:, :, None], _F32(0))
        s -= blk.jump * climb
    war = ctx.at_war[:, a, tg]
    if war.any():
        if blk.any_attack:
            s += w_att[:, a, tg][:, :, None] * blk.attack
        if blk.any_peace:
            s += w_peace[:, a, tg][:, :, None] * blk.peace
    s[~block_open(ctx, blk)] = -np.inf
    return s


def valid_moves(params: Params, state: State, active: np.ndarray) -> np.ndarray:
    """(B, C) bool: which candidate moves are open in each run (holding is always open)."""
    ctx = PairContext(params, state, active)
    out = np.ones((state.batch, params.cand_actor.shape[0]), dtype=bool)
    for blk in params.move_blocks:
        ok = block_open(ctx, blk)
        out[:, blk.start : blk.start + ok.shape[1] * ok.shape[2]] = ok.reshape(state.batch, -1)
    return out


def scores(params: Params, state: State, ctx: Context) -> np.ndarray:
    """(B, C) float32 score of every candidate move; -inf where the move is not open."""
    pc = PairContext(params, state, ctx.treaty_active())
    out = np.empty((state.batch, params.cand_actor.shape[0]), dtype=_F32)
    starts = params.actor_cand_start
    out[:, starts[:-1]] = params.pass_bias[None, :]
    for blk in params.move_blocks:
        s = block_scores(pc, blk)
        out[:, blk.start : blk.start + s.shape[1] * s.shape[2]] = s.reshape(state.batch, -1)
    return out


def doctrine_policy(params: Params, state: State, ctx: Context) -> np.ndarray:
    """(B, A) candidate index chosen by every actor: a softmax draw over its scored moves."""
    s = scores(params, state, ctx)
    u = rng.uniforms(state.keys, state.turn, rng.STREAM_AI, params.n_actors)
    out = np.empty((state.batch, params.n_actors), dtype=np.int64)
    starts = params.actor_cand_start
    for a in range(params.n_actors):
        lo, hi = starts[a], starts[a + 1]
        block = s[:, lo:hi] * _F32(1.0 / params.temperature[a])
        block -= block.max(axis=1, keepdims=True)
        w = np.exp(block, out=block)
        cum = np.cumsum(w, axis=1, dtype=np.float64)
        thr = u[:, a : a + 1] * cum[:, -1:]
        pick = (cum <= thr).sum(axis=1)
        out[:, a] = lo + np.minimum(pick, hi - lo - 1)
    return out
