"""Compile a validated scenario into the engine's fixed parameters."""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace

import numpy as np

from game.ai.moves import build_moves
from game.engine import stance as stance_rules
from game.engine import tempo
from game.engine.expr import compile_expr
from game.engine.legality import links_ever
from game.engine.names import ATTR, ATTRIBUTES, KIND, NEEDS, OBJECTIVES
from game.engine.nuclear import NuclearRules
from game.engine.params import (
    EventSpec,
    OutcomeSpec,
    Params,
    freeze,
    instances_by_ally,
    instances_of_kind,
)
from game.engine.theatres import attack_theatres

from .check import names_of
from .commitments import build_commitments
from .model import Scenario

NEVER = 1 << 20  # a turn that never comes


def month_index(d: _dt.date) -> int:
    return d.year * 12 + d.month - 1


def compile_scenario(s: Scenario) -> Params:
    names = names_of(s)
    start = month_index(s.scenario.start)

    def turn_of(d: _dt.date | None, default: int) -> int:
        return default if d is None else month_index(d) - start

    rung_ix = names.rungs
    top = len(s.ladder.rungs) - 1
    thresholds = {k: rung_ix[v] for k, v in s.ladder.thresholds.items()}
    actors = [a.id for a in s.actors]
    ax = names.actors
    n_a = len(actors)

    attr0 = np.array(
        [[float(getattr(a, name)) for name in ATTRIBUTES] for a in s.actors], dtype=np.float64
    )
    tension0 = np.full((n_a, n_a), s.defaults.tension)
    baseline = tension0.copy()
    rung0 = np.zeros((n_a, n_a), dtype=np.int16)
    aggressor0 = np.zeros((n_a, n_a), dtype=bool)
    fps = []
    for rel in s.relations:
        i, j = ax[rel.pair[0]], ax[rel.pair[1]]
        tension0[i, j] = tension0[j, i] = rel.tension
        base = rel.tension if rel.baseline is None else rel.baseline
        baseline[i, j] = baseline[j, i] = base
        if rel.rung is not None:
            rung0[i, j] = rung0[j, i] = rung_ix[rel.rung]
        if rel.aggressor is not None:
            att = ax[rel.aggressor]
            victim = j if att == i else i
            aggressor0[victim, att] = True
        if rel.flashpoint is not None:
            fps.append((i, j, rel.flashpoint))
    idx = np.arange(n_a)
    for m in (tension0, baseline):
        m[idx, idx] = 0.0
    on_map = np.array([a.on_map for a in s.actors])
    regional = on_map[:, None] & on_map[None, :] & ~np.eye(n_a, dtype=bool)

    up = np.array([np.inf if r.up is None else r.up for r in s.ladder.rungs])
    down = np.array([r.down for r in s.ladder.rungs])

    # Treaties and their clauses.
    t_start = np.array([turn_of(t.in_force or t.signed, 0) for t in s.treaties], dtype=np.int64)
    t_end = np.array([turn_of(t.lapses, NEVER) for t in s.treaties], dtype=np.int64)
    tix = names.treaties
    for n, t in enumerate(s.treaties):
        if t.replaces is not None:
            old = tix[t.replaces]
            t_end[old] = min(t_end[old], t_start[n])
    parties = np.zeros((len(s.treaties), n_a), dtype=bool)
    for n, t in enumerate(s.treaties):
        for p in t.parties:
            parties[n, ax[p]] = True

    clause_keys, clause_names, clause_treaty, clause_kind = [], [], [], []
    inst = []  # dict rows
    for n, t in enumerate(s.treaties):
        for c in t.clauses:
            q_ix = len(clause_keys)
            clause_keys.append(f"{t.id}.{c.id}")
            clause_names.append(c.article)
            clause_treaty.append(n)
            clause_kind.append(KIND[c.kind])
            if c.kind == "consultation":
                trig = rung_ix[c.trigger] if c.trigger else thresholds.get("threat", 0)
            else:
                trig = rung_ix[c.trigger] if c.trigger else thresholds["armed_clash"]
            resp = rung_ix[c.response] if c.response else thresholds["war"]
            covered = t.parties if c.covers is None else c.covers
            for p in covered:
                for q in t.parties:
                    if p == q:
                        continue
                    inst.append(
                        dict(
                            clause=q_ix,
                            treaty=n,
                            kind=KIND[c.kind],
                            party=ax[p],
                            by=ax[q],
                            trigger=trig,
                            delay=c.delay_by.get(q, c.delay),
                            cred=c.credibility_by.get(q, c.credibility),
                            response=resp,
                            tension=c.tension,
                            readiness=c.readiness,
                            coord=c.coordination,
                            on_map_only=c.attackers == "on_map",
                            theatres=c.theatres,
                        )
                    )
    # Instances of one kind are contiguous (consultation first): the engine takes them as
    # slices of its (runs, instances, counterparts) arrays. The sort is stable, and comes
    # before the links below, which are positions in the sorted list.
    inst.sort(key=lambda r: r["kind"])
    # Each assistance instance waits for the first consultation of the same treaty, party and
    # ally (if the treaty has one).
    first_consult: dict[tuple[int, int, int], int] = {}
    for m, row in enumerate(inst):
        if row["kind"] == KIND["consultation"]:
            first_consult.setdefault((row["treaty"], row["party"], row["by"]), m)
    for row in inst:
        row["consult"] = -1
        if row["kind"] == KIND["assistance"]:
            row["consult"] = first_consult.get((row["treaty"], row["party"], row["by"]), -1)

    def col(key, dtype):
        return np.array([r[key] for r in inst], dtype=dtype)

    # Assistance already under way when the scenario opens (relations' 'engaged' allies).
    assist_done0 = np.zeros((len(inst), n_a), dtype=bool)
    for rel in s.relations:
        if rel.aggressor is None or not rel.engaged:
            continue
        att = ax[rel.aggressor]
        victim = ax[rel.pair[1]] if rel.pair[0] == rel.aggressor else ax[rel.pair[0]]
        allies = {ax[x] for x in rel.engaged}
        for m, row in enumerate(inst):
            if row["kind"] == KIND["assistance"] and row["party"] == victim and row["by"] in allies:
                assist_done0[m, att] = True

    # Actions.
    acts = s.actions
    n_k = len(acts)

    def rung_or(v, default):
        return default if v is None else rung_ix[v]

    act_self = np.zeros((n_k, len(ATTRIBUTES)))
    act_target = np.zeros((n_k, len(ATTRIBUTES)))
    for k, a in enumerate(acts):
        for key, v in a.self_effects.items():
            act_self[k, ATTR[key]] = v
        for key, v in a.target_effects.items():
            act_target[k, ATTR[key]] = v
    act_rung = np.array([rung_or(a.rung, -1) for a in acts], dtype=np.int64)
    act_host = np.array([a.hostility for a in acts])
    needs = np.array([[n in a.needs for n in NEEDS] for a in acts], dtype=bool).reshape(
        n_k, len(NEEDS)
    )

    # Candidate moves, laid out for the AI (game.ai.moves).
    act_min = np.array([rung_or(a.min_rung, 0) for a in acts], dtype=np.int64)
    act_max = np.array([rung_or(a.max_rung, top) for a in acts], dtype=np.int64)
    inst_kind, inst_party, inst_by = (
        col("kind", np.int64),
        col("party", np.int64),
        col("by", np.int64),
    )
    tech_link = links_ever(inst_kind, inst_party, inst_by, n_a, "tech_cooperation")
    moves = build_moves(s, ax, act_rung, act_min, act_max, needs, top, tech_link)
    commit = build_commitments(
        s, ax, inst, rung_ix, thresholds, turn_of, clause_keys, moves["move_blocks"]
    )

    # Events and outcomes.
    def eff(e) -> dict:
        k = e.kind
        if k == "tension":
            out = {"kind": k, "pair": (ax[e.pair[0]], ax[e.pair[1]])}
            for key in ("add", "set", "baseline", "baseline_add"):
                if getattr(e, key) is not None:
                    out[key] = getattr(e, key)
            return out
        if k == "rung":
            out = {"kind": k, "pair": (ax[e.pair[0]], ax[e.pair[1]])}
            if e.raise_to is not None:
                out["raise"] = rung_ix[e.raise_to]
            if e.set is not None:
                out["set"] = rung_ix[e.set]
            return out
        if k == "attack":
            r = rung_ix[e.rung] if e.rung else thresholds["armed_clash"]
            return {"kind": k, "by": ax[e.by], "on": ax[e.on], "rung": r, "tension": e.tension}
        if k == "attr":
            out = {"kind": k, "actor": ax[e.actor], "attr": ATTR[e.attr]}
            for key in ("add", "set", "mul"):
                if getattr(e, key) is not None:
                    out[key] = getattr(e, key)
            return out
        if k == "flag":
            out = {"kind": k, "flag": names.flags[e.flag]}
            for key in ("set", "add"):
                if getattr(e, key) is not None:
                    out[key] = getattr(e, key)
            return out
        return {"kind": "treaty", "treaty": tix[e.treaty], "to": e.to}

    events = [
        EventSpec(
            id=e.id,
            name=e.name,
            headline=e.headline or e.name,
            turn=None if e.date is None else turn_of(e.date, 0),
            until=None if e.until is None else turn_of(e.until, 0),
            when=None if e.when is None else compile_expr(e.when, names),
            probability=e.probability,
            repeat=e.repeat,
            effects=[eff(x) for x in e.effects],
        )
        for e in s.events
    ]
    dilemmas = compile_dilemmas(s, ax, names, turn_of, eff, events, commit)
    outcomes = [
        OutcomeSpec(
            id=o.id,
            name=o.name,
            description=o.description,
            when=None if o.when is None else compile_expr(o.when, names),
        )
        for o in s.outcomes
    ]
    objectives = np.array(
        [[getattr(a.objectives, name) for name in OBJECTIVES] for a in s.actors]
    ).reshape(n_a, len(OBJECTIVES))
    rivals_m = np.zeros((n_a, n_a), dtype=bool)
    partners_m = np.zeros((n_a, n_a), dtype=bool)
    for a_ix, actor in enumerate(s.actors):
        for r in actor.doctrine.rivals:
            rivals_m[a_ix, ax[r]] = True
        for r in actor.doctrine.partners:
            partners_m[a_ix, ax[r]] = True

    watch = np.array(sorted(names.moves, key=names.moves.get), dtype=np.int64).reshape(-1, 3)
    params = Params(
        move_watch=watch,
        flag_ids=tuple(names.flags),
        scenario_id=s.scenario.id,
        scenario_name=s.scenario.name,
        start_year=s.scenario.start.year,
        start_month=s.scenario.start.month,
        turns=s.scenario.turns,
        actor_ids=actors,
        actor_names=[a.name for a in s.actors],
        on_map=on_map,
        attr0=attr0,
        tension0=tension0,
        baseline=baseline,
        rung0=rung0,
        aggressor0=aggressor0,
        regional_pair_mask=regional,
        tension_decay=s.defaults.decay,
        rung_ids=[r.id for r in s.ladder.rungs],
        rung_names=[r.name for r in s.ladder.rungs],
        rung_groups=[r.group for r in s.ladder.rungs],
        rung_up=up,
        rung_down=down,
        thresholds=thresholds,
        fp_pairs=np.array([[i, j] for i, j, _ in fps], dtype=np.int64).reshape(-1, 2),
        fp_base=np.array([f.base for _, _, f in fps]),
        fp_slope=np.array([f.slope for _, _, f in fps]),
        fp_rung=np.array(
            [rung_ix[f.rung] if f.rung else thresholds["armed_clash"] for _, _, f in fps],
            dtype=np.int64,
        ),
        fp_serious=np.array([f.serious for _, _, f in fps]),
        fp_tension=np.array([f.tension for _, _, f in fps]),
        fp_names=[f.name for _, _, f in fps],
        treaty_ids=[t.id for t in s.treaties],
        treaty_names=[t.name for t in s.treaties],
        treaty_start=t_start,
        treaty_end=t_end,
        treaty_parties=parties,
        clause_keys=clause_keys,
        clause_names=clause_names,
        clause_treaty=np.array(clause_treaty, dtype=np.int64),
        clause_kind=np.array(clause_kind, dtype=np.int64),
        inst_clause=col("clause", np.int64),
        inst_treaty=col("treaty", np.int64),
        inst_kind=inst_kind,
        inst_party=inst_party,
        inst_by=inst_by,
        inst_trigger=col("trigger", np.int64),
        inst_delay=col("delay", np.int64),
        inst_cred=col("cred", np.float64),
        inst_response=col("response", np.int64),
        inst_tension=col("tension", np.float64),
        inst_readiness=col("readiness", np.float64),
        inst_coord=col("coord", np.int64),
        inst_consult=col("consult", np.int64),
        inst_on_map_only=col("on_map_only", bool),
        inst_of_kind=instances_of_kind(inst_kind),
        inst_by_ally=instances_by_ally(inst_by, n_a),
        assist_done0=assist_done0,
        action_ids=[a.id for a in acts],
        action_names=[a.name for a in acts],
        action_headlines=[a.headline for a in acts],
        action_category=[a.category for a in acts],
        action_hostility=act_host,
        action_rung=act_rung,
        action_tension=np.array([a.tension for a in acts]),
        action_attack=np.array([a.attack for a in acts], dtype=bool),
        action_sanction=np.array([a.sanction for a in acts], dtype=bool),
        action_self=act_self,
        action_target=act_target,
        action_spill_tension=np.array([a.spill_tension for a in acts]),
        action_spill_rung=np.array([rung_or(a.spill_rung, -1) for a in acts], dtype=np.int64),
        action_spill_at=np.array(
            [rung_or(a.spill_at, thresholds.get("threat", thresholds["war"])) for a in acts],
            dtype=np.int64,
        ),
        action_min_rung=act_min,
        action_max_rung=act_max,
        action_needs=needs,
        action_target_kind=[a.target for a in acts],
        **tempo.compile_actions(acts, rung_ix, moves, s.ai.signal),
        **moves,
        events=events,
        outcomes=outcomes,
        objectives=objectives,
        rivals=rivals_m,
        commit=commit,
        partners=partners_m,
        extra={
            "blocs": [a.bloc for a in s.actors],
            "description": s.scenario.description,
            "questions": [
                {
                    "id": q.id,
                    "name": q.name,
                    "description": q.description,
                    "when": compile_expr(q.when, names),
                    "by": turn_of(q.by, 0),
                }
                for q in s.questions
            ],
        },
        goals=compile_goals(s, ax, names),
        dilemmas=dilemmas,
        **_theatres(s, ax, inst, fps, aggressor0),
        nuclear=_nuclear(s, rung_ix, thresholds, attr0),
        stance=_stance(s, ax, moves, rung0, aggressor0, thresholds, rivals_m, inst_by, inst_party),
        **_draws(s, ax, fps, inst, clause_keys, commit),
    )
    return freeze(params)


def _stance(
    s: Scenario, ax: dict, moves: dict, rung0, aggressor0, thresholds, held, inst_by, inst_party
):
    """The compiled stances (game.engine.stance): opening lines and each block's fit."""
    given = {}
    for rel in s.relations:
        for x, st in rel.stances.items():
            other = rel.pair[1] if x == rel.pair[0] else rel.pair[0]
            given[(ax[x], ax[other])] = stance_rules.of_id(st)
    threat = thresholds.get("threat", thresholds["armed_clash"])
    attack = np.array([a.attack for a in s.actions], dtype=bool)
    return stance_rules.build(
        s.ai.stance,
        np.array([a.doctrine.stickiness for a in s.actors], dtype=np.float64),
        moves["temperature"],
        moves["move_blocks"],
        attack,
        held,
        stance_rules.opening(rung0, aggressor0, threat, given),
        inst_by,
        inst_party,
    )


def _draws(s: Scenario, ax: dict, fps: list, inst: list, clause_keys: list, commit) -> dict:
    """The uncertain numbers (game.scenario.draws), each with the engine numbers it sets."""
    from game.engine.draws import index

    n_a, n_attr = len(ax), len(ATTRIBUTES)
    fp_of = {}  # relation entry -> flashpoint index
    f = 0
    for n, rel in enumerate(s.relations):
        if rel.flashpoint is not None:
            fp_of[n] = f
            f += 1
    specs = []
    for found in getattr(s, "_draws", None) or ():
        path, targets = found.path, []
        top = path[0]
        if path == ("defaults", "tension"):  # every pair [[relations]] does not list
            listed = {frozenset((ax[r.pair[0]], ax[r.pair[1]])) for r in s.relations}
            targets = [
                (name, x * n_a + y)
                for name in ("tension0", "baseline")
                for x in range(n_a)
                for y in range(n_a)
                if x != y and frozenset((x, y)) not in listed
            ]
        elif top in ("defaults", "ai", "nuclear"):
            name = {"decay": "tension_decay"}.get(path[-1], path[-1])
            targets = [(name, 0)]
        elif top == "actors":
            targets = [("attr0", path[1] * n_attr + ATTR[path[2]])]
        elif top == "relations" and len(path) == 3:
            rel = s.relations[path[1]]
            i, j = ax[rel.pair[0]], ax[rel.pair[1]]
            names = ["tension0"] if path[2] == "tension" else []
            if path[2] == "baseline" or rel.baseline is None:
                names.append("baseline")  # an unset baseline is the starting tension
            targets = [(n, x * n_a + y) for n in names for x, y in ((i, j), (j, i))]
        elif top == "relations":
            targets = [(f"fp_{path[3]}", fp_of[path[1]])]
        elif top == "treaties":
            t, c = s.treaties[path[1]], s.treaties[path[1]].clauses[path[3]]
            q = clause_keys.index(f"{t.id}.{c.id}")
            if path[4] == "credibility_by":
                by = {ax[path[5]]}
            else:
                by = set(range(n_a)) - {ax[x] for x in c.credibility_by}
            for n in range(commit.n_assist):
                row = inst[commit.inst[n]]
                if row["clause"] == q and row["by"] in by:
                    targets.append(("cred0", n))
        elif top == "red_lines":
            rows = range(commit.n_assist, len(commit.keys))
            targets = [("cred0", n) for n in rows if commit.red_line_of[n] == path[1]]
        elif top == "events":
            targets = [("event_probability", path[1])]
        elif top == "dilemmas":
            targets = [("dilemma_probability", path[1])]
        specs.append(replace(found.spec, targets=tuple(targets)))
    return {"draws": tuple(specs), "draw_at": index(specs)}


def compile_goals(s, ax: dict, names) -> list:
    """The [[goals]] of the scenario, compiled (``game.engine.params.GoalSpec``)."""
    from game.engine.params import GoalSpec

    return [
        GoalSpec(
            actor=ax[g.actor],
            id=g.id,
            name=g.name,
            why=g.why,
            weight=float(g.weight),
            standing=OBJECTIVES.index(g.standing) if g.standing is not None else -1,
            value=None if g.value is None else compile_expr(g.value, names),
            worst=float(g.worst),
            best=float(g.best),
        )
        for g in s.goals
    ]


def _option_coef(s, a: int) -> tuple[float, float, float]:
    """How actor ``a`` weighs a dilemma's options: the [ai] gains times its doctrine, over its
    temperature (game.engine.dilemmas.option_values)."""
    d, g = s.actors[a].doctrine, s.ai
    t = d.temperature
    return (g.dilemma_goals / t, g.dilemma_stake * d.loyalty / t, g.dilemma_risk * d.caution / t)


def _lines_crossed_by(s, ax: dict, names, commit, actor: int, move) -> list[int]:
    """The red lines (commitments) a move of ``actor`` crosses: those warning it against that
    action toward that target, or toward any."""
    if move is None:
        return []
    k, t = names.actions[move.action], ax[move.target]
    return [
        n
        for n in range(commit.n_assist, commit.n)
        if commit.party[n] == actor and commit.action[n] == k and commit.target[n] in (-1, t)
    ]


def compile_dilemmas(s, ax: dict, names, turn_of, eff, events: list, commit) -> list:
    """The [[dilemmas]] of the scenario, compiled (``game.engine.params.DilemmaSpec``); each
    option becomes an event appended to ``events`` that never fires by itself (probability 0):
    it applies when the option is chosen."""
    from game.engine.params import DilemmaSpec

    out = []
    for d in s.dilemmas:
        first = len(events)
        for o in d.options:
            events.append(
                EventSpec(
                    id=f"{d.id}.{o.id}",
                    name=f"{d.name}: {o.label}",
                    headline=o.headline or f"{d.name}: {o.label}",
                    turn=None,
                    until=None,
                    when=None,
                    probability=0.0,
                    repeat=False,
                    effects=[eff(x) for x in o.effects],
                )
            )
        out.append(
            DilemmaSpec(
                id=d.id,
                name=d.name,
                actor=ax[d.actor],
                question=d.question,
                turn=None if d.date is None else turn_of(d.date, 0),
                until=None if d.until is None else turn_of(d.until, 0),
                when=None if d.when is None else compile_expr(d.when, names),
                probability=d.probability,
                events=list(range(first, len(events))),
                labels=[o.label for o in d.options],
                says=[o.says for o in d.options],
                value_coef=_option_coef(s, ax[d.actor]),
                lines=[
                    _lines_crossed_by(s, ax, names, commit, ax[d.actor], o.as_move)
                    for o in d.options
                ],
            )
        )
    return out


def _theatres(s: Scenario, ax: dict, inst: list, fps: list, aggressor0: np.ndarray) -> dict:
    """The theatres' fields of the parameters (see game.engine.theatres)."""
    n_a, n_g = len(ax), len(s.theatres)
    gx = {g.id: n for n, g in enumerate(s.theatres)}
    territory = np.zeros((n_g, n_a), dtype=bool)
    for n, g in enumerate(s.theatres):
        for x in g.territory:
            territory[n, ax[x]] = True
    attack = attack_theatres(territory)
    fp = np.array([-1 if f.theatre is None else gx[f.theatre] for _, _, f in fps], dtype=np.int16)
    cover = np.ones((len(inst), n_g + 1), dtype=bool)
    for m, row in enumerate(inst):
        if row["theatres"] is not None:
            cover[m, :n_g] = False
            cover[m, [gx[g] for g in row["theatres"]]] = True
    allied = np.zeros((n_a, n_a), dtype=bool)
    for row in inst:
        if row["kind"] == KIND["assistance"]:
            allied[row["party"], row["by"]] = allied[row["by"], row["party"]] = True
    front0 = np.full((n_a, n_a), -1, dtype=np.int16)
    v, a = np.nonzero(aggressor0)
    front0[v, a] = front0[a, v] = attack[v, a]
    return dict(
        theatre_ids=[g.id for g in s.theatres],
        theatre_names=[g.name for g in s.theatres],
        theatre_on_map=np.array([g.on_map for g in s.theatres], dtype=bool),
        territory=territory,
        attack_theatre=attack,
        fp_theatre=fp,
        inst_cover=cover,
        allied=allied,
        front0=front0,
        defence_is_attack=s.commitments.defence_is_attack,
    )


def _nuclear(s: Scenario, rung_ix: dict, thresholds: dict, attr0: np.ndarray) -> NuclearRules:
    """The compiled [nuclear] table (see game.engine.nuclear)."""
    n = s.nuclear
    armed = np.nonzero(attr0[:, ATTR["warheads"]] > 0)[0]
    pairs = np.array(
        [(i, j) for k, i in enumerate(armed) for j in armed[k + 1 :]], dtype=np.int64
    ).reshape(-1, 2)

    def rung(v, default):
        return default if v is None else rung_ix[v]

    return NuclearRules(
        alert_base=n.alert_base,
        alert_territory=n.alert_territory,
        alert_rung=rung(n.alert_rung, thresholds["nuclear_use"] - 1),
        pairs=pairs,
        world_tension=n.world_tension,
        reaction_alert=rung(n.reaction_alert, -1),
        reaction_sanctions=rung(n.reaction_sanctions, -1),
        sanction_economy=n.sanction_economy,
        partner_break=n.partner_break,
    )
