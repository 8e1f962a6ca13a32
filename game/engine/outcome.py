"""Classifying a run's outcome and scoring each actor's objectives."""

from __future__ import annotations

import numpy as np

from game.text import sentence_case

from .context import Context
from .names import OBJECTIVES as OBJECTIVES  # the objective names, re-exported
from .params import ATTR, KIND, Params
from .state import State
from .theatres import REGION_LABELS

# The named thresholds of the ladder, lowest first. Every scenario names the required four; the
# engine reads them (crossings, war costs, the end of a run) and consultation clauses read
# 'threat'. A scenario may name others: they are counted and shown under their own names.
THRESHOLDS = ("threat", "armed_clash", "war", "nuclear_use", "general_nuclear_war")
REQUIRED_THRESHOLDS = ("armed_clash", "war", "nuclear_use", "general_nuclear_war")
THRESHOLD_LABELS = {
    "threat": "Threat",
    "armed_clash": "Armed clash",
    "war": "War",
    "nuclear_use": "Nuclear use",
    "general_nuclear_war": "General nuclear war",
}
_SHORT_LABELS = {"general_nuclear_war": "All-out"}
# How a crossing is counted (``step.counted_pairs``), in words for tables, plots and panels.
CROSSING_RULE = "pairs that stood below it; below nuclear use, only pairs of states on the map"
# A question whose date lies past the runs' last month: what its share can say.
AFTER_THE_RUNS = "after the runs end"
# Why a run ends early: it crossed this threshold.
END_THRESHOLD = "general_nuclear_war"


def threshold_label(name: str, short: bool = False) -> str:
    """The words for a named threshold ("Armed clash"); ``short`` for tight spaces."""
    if short and name in _SHORT_LABELS:
        return _SHORT_LABELS[name]
    return THRESHOLD_LABELS.get(name) or name.replace("_", " ").capitalize()


def where_words(where: dict) -> str:
    """'War: Northeast Asia; Nuclear use: off the map' from {threshold: [regions]} (a run's
    outcome, game.engine.theatres.where_reached)."""
    parts = []
    for key, places in where.items():
        parts.append(f"{threshold_label(key)}: {' and '.join(REGION_LABELS[r] for r in places)}")
    return "; ".join(parts)


def end_reason() -> str:
    """Why a run that ended early ended, in words ("general nuclear war")."""
    return threshold_label(END_THRESHOLD).lower()


def classify(params: Params, state: State) -> np.ndarray:
    """(B,) index into ``params.outcomes``: the first outcome whose condition holds."""
    ctx = Context(params, state)
    out = np.full(state.batch, -1, dtype=np.int32)
    for n, spec in enumerate(params.outcomes):
        hit = np.ones(state.batch, dtype=bool) if spec.when is None else spec.when.truth(ctx)
        out = np.where((out < 0) & hit, n, out)
    return np.where(out < 0, len(params.outcomes) - 1, out)


# What each standing reads of the state (``objective_components``): a standing worked out on
# one state holds for another that differs from it only in other fields (game.engine.dilemmas
# weighs a dilemma's options so).
STANDING_READS = {
    "security": ("rung",),
    "alliance": ("assist_done", "assist_declined"),
    "economy": ("attr",),
    "peace": ("peak",),
}


def objective_components(
    params: Params,
    state: State,
    actor: int | None = None,
    keep: np.ndarray | None = None,
    changed: tuple[str, ...] = (),
) -> np.ndarray:
    """(B, A, 4) each actor's standing on security, alliance, economy and peace, 0-100; with
    ``actor``, (B, 1, 4) that actor's alone (the same numbers). ``keep``: the components of a
    state this one differs from only in the fields ``changed``; the standings that read none of
    those (``STANDING_READS``) are taken from it."""
    who = slice(None) if actor is None else slice(actor, actor + 1)
    cols = []
    for k, name in enumerate(OBJECTIVES):
        if keep is not None and not set(STANDING_READS[name]) & set(changed):
            cols.append(keep[:, :, k])
        else:
            cols.append(_STANDINGS[name](params, state, who, actor))
    return np.stack(cols, axis=2)


def _security(params: Params, state: State, who: slice, actor) -> np.ndarray:
    """Distance from its rivals up the ladder."""
    top = max(len(params.rung_ids) - 1, 1)
    rivals = params.rivals[who]  # (A or 1, A)
    n_riv = np.maximum(rivals.sum(axis=1), 1)
    riv_rung = (state.rung[:, who] * rivals[None]).sum(axis=2) / n_riv[None]
    return 100.0 * (1.0 - riv_rung / top)


def _alliance(params: Params, state: State, who: slice, actor) -> np.ndarray:
    """Of the assistance this actor could call on while attacked, how much came."""
    ass = params.inst_kind == KIND["assistance"]
    first = 0 if actor is None else actor
    asked = np.zeros((state.batch, params.n_actors if actor is None else 1))
    got = np.zeros_like(asked)
    for i in np.nonzero(ass)[0]:
        p = params.inst_party[i]
        if actor is not None and p != actor:
            continue
        asked[:, p - first] += (state.assist_done[:, i, :] | state.assist_declined[:, i, :]).sum(
            axis=1
        )
        got[:, p - first] += state.assist_done[:, i, :].sum(axis=1)
    return np.where(asked > 0, 100.0 * got / np.maximum(asked, 1), 100.0)


def _economy(params: Params, state: State, who: slice, actor) -> np.ndarray:
    """Its economy index."""
    return np.clip(state.attr[:, who, ATTR["economy"]], 0.0, 150.0) / 1.5


def _peace(params: Params, state: State, who: slice, actor) -> np.ndarray:
    """No new war, and no nuclear use anywhere."""
    war = params.thresholds["war"]
    new_war = (state.peak[:, who] >= war) & (params.rung0[who][None] < war)
    nuc = (state.peak >= params.thresholds["nuclear_use"]).any(axis=(1, 2))
    peace = np.where(new_war.any(axis=2), 30.0, 100.0)
    return np.where(nuc[:, None], 0.0, peace)


_STANDINGS = {"security": _security, "alliance": _alliance, "economy": _economy, "peace": _peace}


def reads_standings(params: Params, actor: int) -> bool:
    """Whether the actor's score reads the engine's standings: it has no goals (its objective
    weights are scored), or one of its goals is a standing."""
    goals = [g for g in params.goals if g.actor == actor]
    return not goals or any(g.standing >= 0 for g in goals)


def goal_standings(
    params: Params, state: State, comp: np.ndarray | None = None, actor: int | None = None
) -> np.ndarray:
    """(B, G) standing of every goal of the scenario (``params.goals``), 0-100: 0 where its
    measure is at the goal's ``worst``, 100 at its ``best``. With ``actor``, only that actor's
    goals are worked out (the others' columns stay 0) and ``comp`` is its components alone."""
    out = np.zeros((state.batch, len(params.goals)))
    ctx = None
    for k, g in enumerate(params.goals):
        if actor is not None and g.actor != actor:
            continue
        if g.standing >= 0:
            comp = objective_components(params, state, actor) if comp is None else comp
            v = comp[:, 0 if actor is not None else g.actor, g.standing]
        else:
            ctx = Context(params, state) if ctx is None else ctx
            v = np.asarray(g.value(ctx), dtype=np.float64)
        # Plus zero: a goal whose best lies below its worst gives -0.0 at its worst, which would
        # print as "-0".
        out[:, k] = np.clip((v - g.worst) / (g.best - g.worst), 0.0, 1.0) * 100.0 + 0.0
    return out


def score(
    params: Params, state: State, actor: int | None = None, comp: np.ndarray | None = None
) -> np.ndarray:
    """(B, A) score of every actor, 0-100: the weighted mean of its goals' standings
    ([[goals]]) for a state that has goals, else of its objective weights. With ``actor``,
    (B,) that actor's alone (the same numbers, without working out the others'); ``comp``: the
    state's components for it (``objective_components``), if already worked out."""
    who = slice(None) if actor is None else slice(actor, actor + 1)
    goals = [k for k, g in enumerate(params.goals) if actor is None or g.actor == actor]
    weighs_goals = bool(goals)
    if actor is not None and weighs_goals:
        # Its goals alone: the components are worked out only if a goal reads them.
        standing = goal_standings(params, state, comp, actor)
        comp = None
    else:
        comp = objective_components(params, state, actor) if comp is None else comp
        standing = goal_standings(params, state, comp, actor) if weighs_goals else None
    if comp is None:
        out = np.zeros((state.batch, 1))
    else:
        w = params.objectives[who]
        w = w / np.maximum(w.sum(axis=1, keepdims=True), 1e-9)
        out = (comp * w[None]).sum(axis=2)
    if weighs_goals:
        weight, total = params.kept("goal_weights", _goal_weights)
        # The product over every actor's column, one actor's taken after: the same sums in the
        # same order as the whole batch's (another shape could sum in another order).
        mean = (standing @ weight / np.maximum(total, 1e-9))[:, who]
        out = np.where((total > 0)[who][None], mean, out)
    return out if actor is None else out[:, 0]


def _goal_weights(params: Params) -> tuple[np.ndarray, np.ndarray]:
    """(G, A) each goal's weight in its actor's column, and (A,) each actor's total."""
    weight = np.zeros((len(params.goals), params.n_actors))
    for k, g in enumerate(params.goals):
        weight[k, g.actor] = g.weight
    return weight, weight.sum(axis=0)


def score_terms(params: Params, actor: int) -> list[tuple[str, float, int]]:
    """What ``score`` weighs for a state, (name, weight, column): its goals (column: the goal's
    index in ``params.goals``) where it has some, else its four objectives (column: the
    objective's, counted from -4 so that it is never a goal's)."""
    goals = [(g.name, float(g.weight), k) for k, g in enumerate(params.goals) if g.actor == actor]
    if goals:
        return goals
    w = params.objectives[actor]
    return [(sentence_case(n), float(w[k]), k - len(OBJECTIVES)) for k, n in enumerate(OBJECTIVES)]


def nuclear_disaster(params: Params, state: State, actor: int) -> np.ndarray:
    """(B,) bool: a nuclear weapon was used by or against ``actor`` (a pair with it reached
    nuclear use, from below), or the run ended in general nuclear war, which spares no one. A
    disaster for that state whatever its other numbers say."""
    nuc = params.thresholds["nuclear_use"]
    new = (state.peak[:, actor, :] >= nuc) & (params.rung0[actor] < nuc)[None]
    ended = state.first_cross[:, list(params.thresholds).index(END_THRESHOLD)] >= 0
    return new.any(axis=1) | ended


# The verdict of a game compares the player's score with the AI's for the same state in the
# same scenario, in bands centred on the median of the AI's futures and as wide as their spread
# (the interquartile range, but at least VERDICT_MIN_WIDTH points, so that a result is judged by
# how much better it is, not only by how often). An AI-played game sits in the middle band by
# construction. The outer verdicts need a result beyond one and a half widths (about the AI's
# best or worst twentieth): a Triumph is rare, a Disaster a real one, and a state whose futures
# barely differ (Mongolia's) reads a small cost as a setback. Lowest bound first, in widths from
# the AI's median.
VERDICT_MIN_WIDTH = 8.0
RELATIVE_VERDICTS = (
    (-np.inf, "Disaster"),
    (-1.5, "Setback"),
    (-0.35, "Stalemate"),
    (0.35, "Success"),
    (1.5, "Triumph"),
)


def share_beaten(value, futures: np.ndarray) -> np.ndarray:
    """Share of ``futures`` (scores) that ``value`` beats, ties counting half; any shape of
    ``value``."""
    f = np.sort(np.asarray(futures, dtype=np.float64).ravel())
    v = np.asarray(value, dtype=np.float64)
    below = np.searchsorted(f, v, side="left")
    upto = np.searchsorted(f, v, side="right")
    return (below + 0.5 * (upto - below)) / max(f.size, 1)


def verdict_position(value, futures: np.ndarray) -> np.ndarray:
    """How far ``value`` stands from the median of the AI's ``futures``, in band widths."""
    f = np.asarray(futures, dtype=np.float64).ravel()
    q25, q50, q75 = np.percentile(f, [25, 50, 75])
    return (np.asarray(value, dtype=np.float64) - q50) / max(q75 - q25, VERDICT_MIN_WIDTH)


def relative_verdict(position: float, disaster: bool = False) -> str:
    """The word for a result at ``position`` (``verdict_position``); ``disaster``: nuclear use
    by or against the state, a disaster whatever the numbers say."""
    if disaster:
        return "Disaster"
    word = RELATIVE_VERDICTS[0][1]
    for bound, name in RELATIVE_VERDICTS:
        if position >= bound:
            word = name
    return word
