"""The AI's month as numpy defined it before the compiled kernels (game.ai.kernel): the
oracle the kernels are tested against, bit for bit (tests/engine/test_ai_kernel.py).

Dense (runs, targets, actions) float32 blocks with element-wise numpy operations: the pair
features of every (mover, target) pair, each block's scores, the anticipation of what a move
sets off, the softmax weights and the running-sum draws of the main and the signal move.
"""

from __future__ import annotations

import numpy as np

from game.ai.moves import REFERENCE_TOP
from game.engine import commitments as cm
from game.engine import draws, rng, stance
from game.engine.legality import PairFacts, failures
from game.engine.params import ATTR, ATTR_COLS, MoveBlock, Params
from game.engine.state import State
from game.engine.step import Context

_F32 = np.float32


class PairContext(PairFacts):
    """Per-pair quantities of one month: the engine's facts that decide which moves are open
    (``PairFacts``), and the doctrine-weighted features that score them."""

    def __init__(self, params: Params, state: State, active: np.ndarray):
        super().__init__(params, state, active)
        self.rung = state.rung.astype(_F32)  # (B, A, A)
        self._state = state
        self.turn = state.turn
        self._top = _F32(max(len(params.rung_ids) - 1, 1))
        self._combos = None
        self._com = None

    def opened_until(self):
        return self._state.opened_until

    def combos(self):
        """(B, A, A, 5) float32 doctrine-weighted features of every (mover, target) pair.

        Columns: hostility term (aggression x tension and rung, reciprocity x provocation),
        hostile-part term (loyalty x coordination and threatened partners), escalation term
        (-caution x deterrence), attack term (resolve, at war), peace term (weariness, at war).
        """
        if self._combos is not None:
            return self._combos
        params, state, top = self.params, self._state, self._top
        c = params.doctrine_coef  # (A, 8)
        col = lambda j: c[:, j][None, :, None]  # noqa: E731  (mover axis)
        b, n_a = state.batch, params.n_actors
        out = np.empty((b, n_a, n_a, 5), dtype=_F32)
        tension = state.tension.astype(_F32) / _F32(100)
        provoked = np.maximum(np.swapaxes(state.last_hostility, 1, 2), 0).astype(_F32)
        provoked += state.aggressor
        pos = params.rung_position
        if pos is not None:  # positions on the reference ladder (game.ai.moves)
            place = lambda r: pos.astype(_F32)[r.astype(np.intp)] / _F32(REFERENCE_TOP)  # noqa: E731
        else:
            place = lambda r: r / top  # noqa: E731
        out[..., 0] = col(0) * tension + col(1) * place(self.rung) + col(2) * provoked
        # A treaty partner of the mover is threatened by the target.
        threat = np.zeros((b, n_a, n_a), dtype=_F32)
        for q, insts in params.inst_by_ally:
            on = self._active[:, params.inst_treaty[insts]][:, :, None]  # (B, n, 1)
            r = np.where(on, self.rung[:, params.inst_party[insts], :], _F32(0))
            threat[:, q, :] = r.max(axis=1)
        idx = np.arange(n_a)
        threat[:, idx, idx] = 0
        out[..., 1] = col(3) * (state.coord > 0) + col(4) * place(threat)
        # Deterrence of mover a by target t and the allies that credibly defend it.
        attr = state.attr
        conv = (
            attr[:, :, ATTR["military"]] * (0.5 + attr[:, :, ATTR["readiness"]] / 200.0)
        ).astype(_F32)
        arsenal = (attr[:, :, ATTR["warheads"]] * attr[:, :, ATTR["delivery"]]).astype(_F32)
        nuc = np.minimum(_F32(1), np.log10(_F32(1) + arsenal) / _F32(3.7))
        # The target's own strength; its allies enter through anticipation (commitments).
        share = conv[:, None, :] / (conv[:, None, :] + conv[:, :, None] + _F32(1e-6))
        out[..., 2] = -col(5) * (_F32(0.5) * share + _F32(0.5) * nuc[:, None, :])
        war = self.at_war.astype(_F32)
        out[..., 3] = col(6) * war
        out[..., 4] = col(7) * war
        self._combos = out
        return out

    def commitments(self):
        """(reading, plain, attack): how the commitments stand this month and the force a move
        would set off against its mover from each rung with each target (float32)."""
        if self._com is None:
            p, st = self.params, self._state
            rd = cm.read(
                p.commit,
                st.attr,
                st.rung,
                st.cred,
                self._active,
                st.turn,
                self.war_level,
                ATTR_COLS,
            )
            plain, attack = cm.set_off(p.commit, rd.eff, rd.power, rd.nuclear, self._active)
            self._com = (rd, plain.astype(_F32), attack.astype(_F32))
        return self._com


def anticipate(ctx: PairContext, bi: int, blk: MoveBlock, s: np.ndarray) -> None:
    """Weigh what each move would set off through the commitments in force (in place).

    A hostile move leaves its pair with the target on some rung; the clauses of the target's
    allies (assistance by its current credibility, consultation) that this could set off bring
    force against the mover, which the mover sets against its own power and the credible part
    of its allies' (emboldening); red lines the move crosses count the same way. The cost is
    the share of that force in the balance, times the move's hostility (red lines: 1), times
    the mover's anticipation gain. Moves an answer to a red line has opened gain appeal.
    """
    params = ctx.params
    com = params.commit
    a, tg = blk.actor, blk.targets
    gain = _F32(com.anticipation[a])
    lines, opened = com.block_lines[bi], com.block_opened[bi]
    cols, floors, attack_cols, host = com.block_hostile[bi]
    if gain != 0 and (cols.size or lines.shape[1]):
        rd, plain, attack = ctx.commitments()
        own = rd.coalition[:, a].astype(_F32)[:, None, None]
        if cols.size:
            # The force a move sets off grows with the rung it leaves the pair on, which is the
            # higher of the pair's rung now and the move's floor: the larger of the two lookups.
            r = ctx.rung_int[:, a, tg]
            b = np.arange(r.shape[0])[:, None]
            now = plain[b, tg[None, :], r][:, :, None]  # (B, T, 1)
            force = np.maximum(now, plain[:, tg[:, None], floors[None, :]])  # (B, T, Kh)
            if attack_cols.any():
                fa = floors[attack_cols]
                now_a = attack[b, tg[None, :], r][:, :, None]
                force[:, :, attack_cols] = np.maximum(now_a, attack[:, tg[:, None], fa[None, :]])
            force /= force + own + _F32(1e-6)
            force *= gain * host
            s[:, :, cols] -= force
        if lines.shape[1]:
            ti, ki, n = lines
            f = cm.answer_force(rd.eff[:, n], rd.power, rd.nuclear, com.by[n], com.weight[n])
            f = f.astype(_F32)
            s[:, ti, ki] -= gain * f / (f + own[:, :, 0] + _F32(1e-6))
    if opened.shape[1]:
        ti, ki, m = opened
        on = ctx.opened_until()[:, m] > ctx.turn
        s[:, ti, ki] += np.where(on, _F32(com.open_bonus[a]), _F32(0))


def block_scores(ctx: PairContext, blk: MoveBlock, bi: int) -> np.ndarray:
    """(B, T, K) float32 scores of block ``bi`` (in temperature units); -inf where not open."""
    a, tg = blk.actor, blk.targets
    feats = ctx.combos()[:, a, tg, :]  # (B, T, 5)
    s = np.einsum("btf,fk->btk", feats, blk.coef)
    rows = blk.rows(ctx.rung_int[:, a, tg])  # (B, T): each pair's current rung
    # -inf where the engine's code table closes the move (fixed causes, rung range) ...
    s += np.take(blk.table_rows, rows, axis=0)
    # ... plus what the mover's stance toward each target makes of each move ...
    stance.shape(ctx.params.stance, ctx._state.stance, bi, blk, s)
    jump = draws.delta(ctx.params, ctx._state, "jump")  # each run's own ai.jump, if drawn
    if jump is not None:
        s -= jump.astype(_F32)[:, None, None] * np.take(blk.climb_rows, rows, axis=0)
    anticipate(ctx, bi, blk, s)
    # ... and where a run-dependent cause of game.engine.legality closes it this month.
    for cols, fail, _ in failures(ctx, blk):
        sub = s[:, :, cols]
        sub[np.broadcast_to(fail[:, :, None], sub.shape)] = -np.inf
        s[:, :, cols] = sub
    return s


def scores(params: Params, state: State, ctx: Context) -> np.ndarray:
    """(B, C) float32 score of every candidate move in units of its actor's temperature;
    -inf where the move is not open."""
    pc = PairContext(params, state, ctx.treaty_active())
    out = np.empty((state.batch, params.cand_actor.shape[0]), dtype=_F32)
    starts = params.actor_cand_start
    out[:, starts[:-1]] = params.pass_bias[None, :]
    for bi, blk in enumerate(params.move_blocks):
        s = block_scores(pc, blk, bi)
        out[:, blk.start : blk.start + s.shape[1] * s.shape[2]] = s.reshape(state.batch, -1)
    return out


def doctrine_policy(params: Params, state: State, ctx: Context) -> np.ndarray:
    """(B, A) candidate index chosen by every actor: a softmax draw over its scored moves.

    One pass over all candidates: subtract each actor's best score, exponentiate, take a
    running sum, and count for every actor the candidates whose running sum stays at or below
    its uniform draw times its total.
    """
    u = rng.uniforms(state.keys, state.turn, rng.STREAM_AI, params.n_actors)
    w = softmax_weights(params, scores(params, state, ctx))
    ctx.move_weights = w  # the month's weights, reused by the signal draw (doctrine_signals)
    return pick_in_blocks(w, params.actor_cand_start, u)


def doctrine_signals(params: Params, state: State, ctx: Context, moves: np.ndarray) -> np.ndarray:
    """(B, A) each actor's signal move beside its main move ``moves`` (game.ai.signal), from the
    month's weights of ``doctrine_policy`` (scored afresh if the policy did not run)."""
    w = getattr(ctx, "move_weights", None)
    if w is None:
        w = softmax_weights(params, scores(params, state, ctx))
    return draw_signals(params, state, moves, w)


doctrine_policy.signals = doctrine_signals


def softmax_weights(params: Params, scores: np.ndarray) -> np.ndarray:
    """(B, C) float32 exp(score - the actor's best score) of every candidate, in place."""
    starts = params.actor_cand_start
    best = np.maximum.reduceat(scores, starts[:-1], axis=1)
    scores -= np.repeat(best, np.diff(starts), axis=1)
    return np.exp(scores, out=scores)


def draw_signals(params: Params, state: State, moves: np.ndarray, weights: np.ndarray):
    """(B, A) each actor's signal move: a candidate index, its hold candidate for none.

    ``weights`` (B, C) are the month's softmax weights of every candidate (any per-actor
    scale), ``moves`` (B, A) the main moves chosen from them.
    """
    idx, start = params.signal_cand, params.signal_start
    lo = start[:-1]
    counts = np.diff(start)
    w = weights[:, idx]  # (B, S): each actor's hold, then its signal candidates
    again = idx[None, :] == np.repeat(moves, counts, axis=1)
    again[:, lo] = False  # holding stays: no signal beside a main move of holding
    w[again] = 0
    if params.signal_gain:
        sig = np.ones(idx.size, dtype=bool)
        sig[lo] = False
        w[:, sig] *= _F32(np.exp(params.signal_gain))
    a, t = params.cand_actor[idx], params.cand_target[idx]
    w[state.rung[:, a, t] >= params.thresholds["war"]] = 0  # holding: a == t, rung 0
    u = rng.uniforms(state.keys, state.turn, rng.STREAM_SIGNAL, params.n_actors)
    return idx[pick_in_blocks(w, start, u)]


def pick_in_blocks(w: np.ndarray, starts: np.ndarray, u: np.ndarray) -> np.ndarray:
    """(B, A) the column drawn in each actor's block ``starts[a]:starts[a + 1]`` of the weights
    ``w`` (B, C), by its uniform ``u`` (B, A): the columns whose running sum stays at or below
    the draw times the block's total are counted, in one pass over every block."""
    lo = starts[:-1]
    counts = np.diff(starts)
    cum = np.cumsum(w, axis=1, dtype=_F32)  # at most a few dozen terms of at most 1
    end = cum[:, starts[1:] - 1]  # running sum at the end of each block
    before = np.concatenate([np.zeros((w.shape[0], 1), dtype=_F32), end[:, :-1]], axis=1)
    thr = before + u.astype(_F32) * (end - before)
    below = cum <= np.repeat(thr, counts, axis=1)
    pick = np.minimum(np.add.reduceat(below, lo, axis=1), counts[None, :] - 1)
    return lo[None, :] + pick
