"""The moves open to each actor, laid out for fast batched scoring.

Each actor's candidates are its 'hold' move followed by dense blocks: one block pairs its rivals
with the actions aimed at rivals, one pairs its partners with the actions aimed at partners
(actions aimed at 'any' go in both). Scoring a block is then a handful of broadcast
operations on (runs, targets, actions) arrays, with no gathers.
"""

from __future__ import annotations

import numpy as np

from game.engine import legality as lg
from game.engine.params import MoveBlock

# Columns of Params.doctrine_coef: doctrine numbers multiplied by the scenario's AI gains.
COEF = (
    "tension",
    "rung",
    "provoked",
    "coordination",
    "ally_threat",
    "deterrence",
    "war_attack",
    "war_peace",
)


# The AI reads rungs as positions on a reference ladder, so that a ladder's length does not by
# itself change its temperament: the named thresholds keep the positions they have on the
# 12-rung ladder of the shipped scenarios, and the rungs between two thresholds share the
# distance between them evenly. A rung inserted between two others makes each climb across
# that stretch shorter, not the stretch longer.
REFERENCE = {"threat": 3, "armed_clash": 6, "war": 8, "nuclear_use": 10, "general_nuclear_war": 11}
REFERENCE_TOP = 11


def rung_positions(n_rungs: int, thresholds: dict[str, int]) -> np.ndarray:
    """(n_rungs,) the position of each rung on the reference ladder (0 .. about 11)."""
    top = max(n_rungs - 1, 1)
    anchors = [(0, 0.0)]
    for name, pos in sorted(REFERENCE.items(), key=lambda kv: kv[1]):
        r = thresholds.get(name)
        if r is not None and anchors[-1][0] < r <= top and anchors[-1][1] < pos:
            anchors.append((r, float(pos)))
    if anchors[-1][0] < top:
        last_r, last_pos = anchors[-1]
        span = (top - last_r) * (REFERENCE_TOP - last_pos) / max(REFERENCE_TOP - last_pos, 1)
        anchors.append((top, last_pos + max(span, top - last_r if last_r else REFERENCE_TOP)))
    idx, pos = zip(*anchors)
    return np.interp(np.arange(n_rungs), idx, pos)


def rung_climb(positions: np.ndarray, to, frm) -> np.ndarray:
    """How far (in reference positions) a pair climbs from rung ``frm`` to rung ``to``; 0
    when ``to`` is not above it or is -1 (no rung)."""
    to = np.asarray(to)
    up = positions[np.maximum(to, 0)] - positions[np.asarray(frm)]
    return np.where(to >= 0, np.maximum(up, 0.0), 0.0)


def _gaining_warheads(model) -> set[str]:
    """Actors that some event can give warheads (their nuclear moves stay candidates)."""
    return {
        e.actor
        for ev in model.events
        for e in ev.effects
        if e.kind == "attr" and e.attr == "warheads"
    }


def build_moves(
    model,
    actor_index: dict[str, int],
    act_rung: np.ndarray,
    min_rung: np.ndarray,
    max_rung: np.ndarray,
    needs: np.ndarray,
    top: int,
    tech_link: np.ndarray,
) -> dict:
    """Candidate arrays, move blocks, doctrine coefficients and the reason each (mover,
    action, target) that is no candidate is none, for ``Params``.

    ``tech_link`` (A, A) says which pairs some treaty's defence-technology clause links.
    """
    g = model.ai
    acts = model.actions
    n_a = len(model.actors)
    ix = {r.id: i for i, r in enumerate(model.ladder.rungs)}
    named = {k: ix[v] for k, v in model.ladder.thresholds.items() if v in ix}
    positions = rung_positions(top + 1, named)
    c_actor, c_action, c_target, starts, blocks = [], [], [], [], []
    coef = np.zeros((n_a, len(COEF)))
    pass_bias = np.zeros(n_a)
    gaining = _gaining_warheads(model)
    # Why a (mover, action, target) is no candidate; cleared below for the candidates.
    absent = np.full((n_a, len(acts), n_a), lg.NOT_RIVAL_OR_PARTNER, dtype=np.int8)
    for a_ix, actor in enumerate(model.actors):
        d = actor.doctrine
        coef[a_ix] = [
            g.tension * d.aggression,
            g.rung * d.aggression,
            g.provoked * d.reciprocity,
            g.coordination * d.loyalty,
            g.ally_threat * d.loyalty,
            g.deterrence * d.caution,
            g.at_war_attack * actor.resolve,
            g.at_war_peace * (1.0 - actor.resolve),
        ]
        pass_bias[a_ix] = d.passivity / d.temperature
        starts.append(len(c_actor))
        c_actor.append(a_ix)
        c_action.append(-1)
        c_target.append(a_ix)
        rivals = [actor_index[x] for x in d.rivals]
        partners = [actor_index[x] for x in d.partners]
        usable = []
        for k, act in enumerate(acts):
            if act.id in d.avoid or (d.repertoire is not None and act.id not in d.repertoire):
                absent[a_ix, k] = lg.NOT_IN_REPERTOIRE
            elif act.actors is not None and actor.id not in act.actors:
                absent[a_ix, k] = lg.RESERVED
            elif "nuclear" in act.needs and actor.warheads == 0 and actor.id not in gaining:
                absent[a_ix, k] = lg.NO_NUCLEAR
            else:
                usable.append(k)
                if act.target == "rival":
                    absent[a_ix, k] = lg.RIVALS_ONLY
                elif act.target == "partner":
                    absent[a_ix, k] = lg.PARTNERS_ONLY
        absent[a_ix, :, a_ix] = lg.SELF
        for kind, targets in (("rival", rivals), ("partner", partners)):
            ks = [k for k in usable if acts[k].target in (kind, "any")]
            if not targets or not ks:
                continue
            bias = np.zeros((len(targets), len(ks)))
            avoided = np.zeros((len(targets), len(ks)), dtype=bool)
            for ti, t in enumerate(targets):
                tid = model.actors[t].id
                for ki, k in enumerate(ks):
                    act = acts[k]
                    h = act.hostility
                    b = act.base + d.prefer.get(act.id, 0.0)
                    b += d.prefer_toward.get(tid, {}).get(act.id, 0.0)
                    b += g.rival_bias * h if kind == "rival" else -g.partner_bias * h
                    avoided[ti, ki] = act.id in d.avoid_toward.get(tid, ())
                    bias[ti, ki] = b
            start = len(c_actor)
            for t in targets:
                for k in ks:
                    c_actor.append(a_ix)
                    c_action.append(k)
                    c_target.append(t)
            kk = np.array(ks, dtype=np.int64)
            tt = np.array(targets, dtype=np.int64)
            absent[a_ix, kk[None, :], tt[:, None]] = lg.OPEN
            host = np.array([acts[k].hostility for k in ks])
            attack = np.array([acts[k].attack for k in ks])
            inv_t = 1.0 / d.temperature
            # Columns match the pair features of game.ai.kernel: hostility, hostile part,
            # escalation level, attack (at war), peace move (at war).
            weights = np.stack(
                [
                    host,
                    np.maximum(host, 0.0),
                    np.where(act_rung[kk] >= 0, positions[np.maximum(act_rung[kk], 0)], 0.0)
                    / REFERENCE_TOP,
                    attack.astype(float),
                    ((host < 0) & ~attack).astype(float),
                ]
            )
            levels = np.arange(top + 1)[:, None]  # current rung of the pair
            climb = rung_climb(positions, act_rung[kk][None, :], levels)
            table = bias[:, None, :] - g.jump * d.caution * climb[None, :, :]
            fixed = lg.static_codes(needs[kk], avoided, tech_link[a_ix, tt])
            codes = lg.block_table(fixed, min_rung[kk], max_rung[kk], top)
            table = np.where(codes == lg.OPEN, table, -np.inf)  # closed by the engine's codes
            blocks.append(
                MoveBlock(
                    actor=a_ix,
                    start=start,
                    targets=tt,
                    actions=kk,
                    coef=(weights * inv_t).astype(np.float32),
                    table=(table * inv_t).astype(np.float32),
                    codes=codes,
                    hostility=host,
                    needs=needs[kk],
                    climb=np.broadcast_to(d.caution * climb * inv_t, table.shape).astype(
                        np.float32
                    ),
                )
            )
    starts.append(len(c_actor))
    return dict(
        cand_actor=np.array(c_actor, dtype=np.int64),
        cand_action=np.array(c_action, dtype=np.int64),
        cand_target=np.array(c_target, dtype=np.int64),
        actor_cand_start=np.array(starts, dtype=np.int64),
        move_blocks=blocks,
        doctrine_coef=coef.astype(np.float32),
        pass_bias=pass_bias.astype(np.float32),
        temperature=np.array([a.doctrine.temperature for a in model.actors]),
        no_move_reason=absent,
        rung_position=positions,
    )
