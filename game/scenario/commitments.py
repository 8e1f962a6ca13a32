"""Compile the commitments of a scenario: assistance pledges and red lines (see
:mod:`game.engine.commitments`)."""

from __future__ import annotations

import numpy as np

from game.ai.moves import rung_climb, rung_positions
from game.engine.commitments import ASSIST, RED_LINE, Commitments
from game.engine.params import KIND

from .model import Scenario

NEVER = 1 << 20


def build_commitments(
    s: Scenario,
    ax: dict[str, int],
    inst: list[dict],
    rung_ix: dict[str, int],
    thresholds: dict[str, int],
    turn_of,
    clause_keys: list[str],
    blocks: list,
) -> Commitments:
    """One row per assistance clause instance (in instance order), then per warned state of
    every red line."""
    n_a = len(s.actors)
    n_r = len(s.ladder.rungs)
    war = thresholds["war"]
    positions = rung_positions(n_r, thresholds)

    def weight(response: int) -> float:
        """How much a response weighs, against entering a war (1)."""
        return min(1.0, positions[max(response, 0)] / max(positions[war], 1e-9))

    actors = [a.id for a in s.actors]
    tnames = [t.name for t in s.treaties]
    act_ix = {a.id: k for k, a in enumerate(s.actions)}
    rows: list[dict] = []
    for m, r in enumerate(inst):
        if r["kind"] != KIND["assistance"]:
            continue
        key = clause_keys[r["clause"]]
        treaty = s.treaties[r["treaty"]]
        article = next(c.article for c in treaty.clauses if f"{treaty.id}.{c.id}" == key)
        rows.append(
            dict(
                kind=ASSIST,
                by=r["by"],
                party=r["party"],
                inst=m,
                consult=r["consult"],
                treaty=r["treaty"],
                action=-1,
                target=-1,
                start=-NEVER,
                end=NEVER,
                cred0=r["cred"],
                response=r["response"],
                tension=r["tension"],
                delay=r["delay"],
                weight=weight(r["response"]),
                key=f"{key}:{actors[r['by']]}>{actors[r['party']]}",
                name=f"{tnames[r['treaty']]}, {article}",
                rl=-1,
            )
        )
    n_assist = len(rows)
    threat = thresholds.get("threat", 0)
    opens = []
    for li, rl in enumerate(s.red_lines):
        resp = rung_ix[rl.response] if rl.response else threat
        for w in rl.toward:
            n = len(rows)
            rows.append(
                dict(
                    kind=RED_LINE,
                    by=ax[rl.by],
                    party=ax[w],
                    inst=-1,
                    consult=-1,
                    treaty=-1,
                    action=act_ix[rl.action],
                    target=-1 if rl.target is None else ax[rl.target],
                    start=turn_of(rl.declared, -NEVER),
                    end=turn_of(rl.lapses, NEVER),
                    cred0=rl.credibility,
                    response=resp,
                    tension=rl.tension,
                    delay=rl.delay,
                    weight=weight(resp),
                    key=f"{rl.id}:{rl.by}>{w}",
                    name=rl.name,
                    rl=li,
                )
            )
            for o in rl.opens:
                opens.append((n, ax[rl.by], act_ix[o.action], ax[o.target], rl.opens_months))

    def col(key, dtype):
        return np.array([r[key] for r in rows], dtype=dtype)

    by = col("by", np.int64)
    others = np.array([int((by == b).sum()) - 1 for b in by], dtype=np.float64)

    # Look-ahead rows: every assistance and consultation instance.
    risk = s.ai.escalation_risk
    levels = np.arange(n_r)
    p_rows = []
    com_of_inst = {r["inst"]: n for n, r in enumerate(rows) if r["kind"] == ASSIST}
    for m, r in enumerate(inst):
        if r["kind"] == KIND["assistance"]:
            w = weight(r["response"])
            com = com_of_inst[m]
        elif r["kind"] == KIND["consultation"]:
            w = s.ai.consult_weight
            com = -1
        else:
            continue
        gap = rung_climb(positions, np.full(n_r, r["trigger"]), levels)
        plain = risk ** (gap + (1 if r["kind"] == KIND["assistance"] else 0))
        attack = risk**gap
        p_rows.append((com, r["treaty"], r["party"], r["by"], w, plain, attack))
    protected = np.zeros(n_a, dtype=bool)
    for row in p_rows:
        protected[row[2]] = True

    def pcol(i, dtype):
        return np.array([row[i] for row in p_rows], dtype=dtype)

    coef = np.zeros((n_a, 4))
    partners = np.zeros((n_a, n_a), dtype=bool)
    anticipation = np.zeros(n_a)
    open_bonus = np.zeros(n_a)
    g = s.ai
    for a, actor in enumerate(s.actors):
        d = actor.doctrine
        coef[a] = [
            g.honour_stake * d.loyalty,
            g.honour_risk * d.caution,
            g.honour_load,
            g.honour_reputation,
        ]
        for x in d.partners:
            partners[a, ax[x]] = True
        anticipation[a] = g.anticipation * d.caution / d.temperature
        open_bonus[a] = g.opened_bonus / d.temperature
    rules = s.commitments
    ex = np.zeros(len(s.actions), dtype=bool)
    shows = rules.exercise_actions
    if shows is None:
        shows = [x for x in ("exercise",) if x in act_ix]
    for x in shows:
        ex[act_ix[x]] = True
    op = np.array(opens, dtype=np.int64).reshape(-1, 5)
    # Where each red line and each opened move sits in the AI's move blocks, and the hostile
    # moves of each block with the rung each would leave its pair on at least.
    block_lines, block_opened, block_hostile = [], [], []
    rung_floor = np.array([rung_ix[a.rung] if a.rung else -1 for a in s.actions], dtype=np.int64)
    for blk in blocks:
        cols = np.nonzero(blk.hostility > 0)[0]
        kk = blk.actions[cols]
        block_hostile.append(
            (
                cols,
                np.maximum(rung_floor[kk], 0),
                np.array([s.actions[k].attack for k in kk], dtype=bool),
                blk.hostility[cols].astype(np.float32),
            )
        )
        a, tg, acts = blk.actor, list(blk.targets), list(blk.actions)
        lines = [
            (ti, acts.index(r["action"]), n)
            for n, r in enumerate(rows)
            if r["kind"] == RED_LINE and r["party"] == a and r["action"] in acts
            for ti, t in enumerate(tg)
            if r["target"] in (-1, t)
        ]
        opened = [
            (tg.index(o[3]), acts.index(o[2]), m)
            for m, o in enumerate(opens)
            if o[1] == a and o[3] in tg and o[2] in acts
        ]
        block_lines.append(np.array(lines, dtype=np.int64).reshape(-1, 3).T.copy())
        block_opened.append(np.array(opened, dtype=np.int64).reshape(-1, 3).T.copy())
    return Commitments(
        kind=col("kind", np.int8),
        by=by,
        party=col("party", np.int64),
        inst=col("inst", np.int64),
        consult=col("consult", np.int64),
        treaty=col("treaty", np.int64),
        action=col("action", np.int64),
        target=col("target", np.int64),
        start=col("start", np.int64),
        end=col("end", np.int64),
        cred0=col("cred0", np.float64),
        response=col("response", np.int64),
        tension=col("tension", np.float64),
        delay=col("delay", np.int64),
        weight=col("weight", np.float64),
        keys=[r["key"] for r in rows],
        names=[r["name"] for r in rows],
        n_assist=n_assist,
        red_line_ids=[rl.id for rl in s.red_lines],
        red_line_names=[rl.name for rl in s.red_lines],
        red_line_of=col("rl", np.int64),
        others=others,
        open_com=op[:, 0],
        open_actor=op[:, 1],
        open_action=op[:, 2],
        open_target=op[:, 3],
        open_months=op[:, 4],
        honour_gain=rules.honour_gain,
        decline_loss=rules.decline_loss,
        decline_tension=rules.decline_tension,
        reputation=rules.reputation,
        consult_gain=rules.consult_gain,
        exercise_gain=rules.exercise_gain,
        exercise_actions=ex,
        overstretch=rules.overstretch,
        recovery=rules.recovery,
        entrapment=rules.entrapment,
        honour_coef=coef,
        partners=partners,
        anticipation=anticipation,
        open_bonus=open_bonus,
        protect_com=pcol(0, np.int64),
        protect_treaty=pcol(1, np.int64),
        protect_party=pcol(2, np.int64),
        protect_by=pcol(3, np.int64),
        protect_weight=pcol(4, np.float64),
        risk_plain=np.array([row[5] for row in p_rows], dtype=np.float64).reshape(-1, n_r),
        risk_attack=np.array([row[6] for row in p_rows], dtype=np.float64).reshape(-1, n_r),
        protected=protected,
        protect_groups=[
            (int(a), np.array([j for j, row in enumerate(p_rows) if row[2] == a], dtype=np.int64))
            for a in np.nonzero(protected)[0]
        ],
        block_lines=block_lines,
        block_opened=block_opened,
        block_hostile=block_hostile,
    )
