"""Warnings: things a valid scenario may do but probably does not mean.

An event that can never fire, a treaty that never binds within the scenario's months, a rung
nothing can reach, a consultation that triggers above the same treaty's assistance, an action
no actor can take, an outcome no run can reach. These never stop a scenario from loading;
``pact validate`` prints them and still exits 0.
"""

from __future__ import annotations

import ast
import datetime as _dt
from types import SimpleNamespace

import numpy as np

from game.engine.expr import compile_expr
from game.engine.params import Params
from game.text import SHORT_NAME_ROOM, short_goal

from .check import clause_keys, every_effect, names_of
from .compile import month_index
from .errors import PathT
from .model import Scenario

_TIME_NAMES = {"turn", "month"}
_PURE_FUNCTIONS = {"abs", "min", "max"}
_RESERVED = {"turn", "month", "true", "false", "True", "False"}


PAST = "before the scenario starts"  # in the message of warnings about the scenario's past


def lint(s: Scenario, params: Params) -> list[tuple[PathT, str]]:
    """Every warning for a scenario that passed validation, as (key path, message).

    Warnings about entries dated before the start contain :data:`PAST`; a variant that moves
    the start later inherits many of those, and reports them together.
    """
    out: list[tuple[PathT, str]] = []
    _events(s, out)
    _treaties(s, params, out)
    _clauses(s, out)
    reachable_actions = _actions(s, params, out)
    _rungs(s, reachable_actions, out)
    _drift_gaps(s, out)
    _outcomes(s, out)
    _always_true(s, params, out)
    _names(s, out)
    return out


# --- helpers ---------------------------------------------------------------------------------


def _label(s: Scenario, turn: int) -> str:
    m = month_index(s.scenario.start) + turn
    return f"{m // 12:04d}-{m % 12 + 1:02d}"


def _turn(s: Scenario, d: _dt.date) -> int:
    return month_index(d) - month_index(s.scenario.start)


def _time_only(src: str) -> bool:
    """Whether a condition reads nothing of the world: only numbers, rungs, turn and month."""
    try:
        tree = ast.parse(src.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id in _PURE_FUNCTIONS):
                return False
        elif isinstance(node, ast.Attribute):
            return False
    return True


def _holds(s: Scenario, src: str, turns) -> list[bool] | None:
    """The value of a world-independent condition at each of ``turns``; None if it depends on
    the world (or cannot be evaluated)."""
    if not _time_only(src):
        return None
    try:
        expr = compile_expr(src, names_of(s))
    except (ValueError, SyntaxError, RecursionError, MemoryError):
        return None
    state = SimpleNamespace(tension=np.zeros((1, 1, 1)))
    out = []
    start = month_index(s.scenario.start)
    with np.errstate(all="ignore"):
        for t in turns:
            ctx = SimpleNamespace(turn=t, month=(start + t) % 12 + 1, state=state, params=None)
            try:
                out.append(bool(np.asarray(expr.truth(ctx)).any()))
            except Exception:  # a warning is never worth a crash: give up quietly
                return None
    return out


# --- events ----------------------------------------------------------------------------------


def _events(s: Scenario, out: list) -> None:
    """Events and dilemmas (events with options) whose date, span or condition leaves them no
    month of the scenario: they never fire (a dilemma is never posed)."""
    _never(s, s.events, "events", ("it never fires", "the event never fires", "fire"), out)
    _never(
        s,
        s.dilemmas,
        "dilemmas",
        ("it is never posed", "the dilemma is never posed", "be posed"),
        out,
    )


def _never(s: Scenario, items, root: str, words: tuple[str, str, str], out: list) -> None:
    """``words``: (it never happens, the thing never happens, the verb of a condition's
    advice)."""
    last = s.scenario.turns - 1
    end_label = _label(s, last)
    start_label = _label(s, 0)
    it, never, verb = words
    for i, e in enumerate(items):
        p: PathT = (root, i)
        if e.probability == 0:
            out.append(((*p, "probability"), f"probability 0: {it}"))
            continue
        d = None if e.date is None else _turn(s, e.date)
        u = None if e.until is None else _turn(s, e.until)
        if u is not None and u < 0:
            out.append(
                (
                    (*p, "until"),
                    f"until {_label(s, u)} is before the scenario starts ({start_label}): {it}",
                )
            )
            continue
        if e.when is None:
            if d is None:  # a dilemma with neither: posed at the start
                continue
            if d < 0:
                out.append(
                    (
                        (*p, "date"),
                        f"date {_label(s, d)} is before the scenario starts ({start_label}): "
                        f"{it} (give it a 'when' condition to {verb} from the start)",
                    )
                )
            elif d > last:
                out.append(
                    (
                        (*p, "date"),
                        f"date {_label(s, d)} is after the scenario's last month ({end_label}, "
                        f"turn {last}): {it}",
                    )
                )
            continue
        lo = max(d or 0, 0)
        hi = last if u is None else min(u, last)
        if lo > hi:
            out.append(
                (
                    (*p, "date"),
                    f"date {_label(s, lo)} is after the scenario's last month ({end_label}): {it}",
                )
            )
            continue
        values = _holds(s, e.when, range(lo, hi + 1))
        if values is not None and not any(values):
            span = _label(s, lo) if lo == hi else f"{_label(s, lo)} to {_label(s, hi)}"
            what = f"never holds from {span}" if _uses_time(e.when) else "is always false"
            out.append(((*p, "when"), f"condition '{_short(e.when)}' {what}: {never}"))


def _uses_time(src: str) -> bool:
    try:
        tree = ast.parse(src.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return any(isinstance(n, ast.Name) and n.id in _TIME_NAMES for n in ast.walk(tree))


def _short(src: str) -> str:
    src = " ".join(src.split())
    return src if len(src) <= 60 else src[:57] + "..."


# --- treaties and clauses ----------------------------------------------------------------------


def _treaties(s: Scenario, params: Params, out: list) -> None:
    last = s.scenario.turns - 1
    forced = {e.treaty for e in every_effect(s) if e.kind == "treaty" and e.to == "force"}
    for i, t in enumerate(s.treaties):
        if t.id in forced:
            continue
        start, end = int(params.treaty_start[i]), int(params.treaty_end[i])
        key = "in_force" if t.in_force is not None else "signed"
        if start > last:
            out.append(
                (
                    ("treaties", i, key),
                    f"enters into force in {_label(s, start)}, after the scenario's last month "
                    f'({_label(s, last)}): it never binds (an event with kind = "treaty", '
                    f'to = "force" could bring it in earlier)',
                )
            )
        elif end <= 0 and t.lapses is not None and _turn(s, t.lapses) <= 0:
            # (A treaty replaced before the start is no mistake: the treaty replacing it names
            # it, 'replaces', a record a variant cannot delete; no warning is given.)
            out.append(
                (
                    ("treaties", i, "lapses"),
                    f"lapses in {_label(s, _turn(s, t.lapses))}, before the scenario starts "
                    f"({_label(s, 0)}): it never binds",
                )
            )
        elif end <= start:
            out.append((("treaties", i), "replaced before it enters into force: it never binds"))


def _clauses(s: Scenario, out: list) -> None:
    rung = {r.id: n for n, r in enumerate(s.ladder.rungs)}
    th = s.ladder.thresholds

    def trig(c) -> int | None:
        if c.trigger is not None:
            return rung.get(c.trigger)
        name = "threat" if c.kind == "consultation" else "armed_clash"
        return rung.get(th.get(name, ""), 0 if name == "threat" else None)

    for i, t in enumerate(s.treaties):
        for j, c in enumerate(t.clauses):
            clause_keys(c, ("treaties", i, "clauses", j), out)
            if c.kind != "consultation":
                continue
            tc = trig(c)
            covered = set(c.covers or t.parties)
            for a in t.clauses:
                if a.kind != "assistance" or not covered & set(a.covers or t.parties):
                    continue
                ta = trig(a)
                if tc is None or ta is None or tc <= ta:
                    continue
                path = ("treaties", i, "clauses", j, "trigger" if c.trigger else "kind")
                out.append(
                    (
                        path,
                        f"consultation triggers at '{s.ladder.rungs[tc].id}', above the "
                        f"assistance trigger '{s.ladder.rungs[ta].id}' of clause '{a.id}': "
                        f"assistance waits until the pair reaches '{s.ladder.rungs[tc].id}'",
                    )
                )
                break


# --- actions and rungs -------------------------------------------------------------------------


def _actions(s: Scenario, params: Params, out: list) -> set[int]:
    """Warn about actions no actor can take; return the indices of those some actor can."""
    open_ = {int(k) for k in np.asarray(params.cand_action) if k >= 0}
    for k, a in enumerate(s.actions):
        if k in open_:
            continue
        why = []
        allowed = [
            x
            for x in s.actors
            if a.id not in x.doctrine.avoid
            and (x.doctrine.repertoire is None or a.id in x.doctrine.repertoire)
            and (a.actors is None or x.id in a.actors)
        ]
        if not allowed:
            why.append("every actor avoids it, leaves it out of its repertoire or may not take it")
        else:
            side = {"rival": "rivals", "partner": "partners", "any": "rivals or partners"}[a.target]
            why.append(f"the actors that do not avoid it have no {side} to aim it at")
            if "nuclear" in a.needs:
                why.append("or no warheads")
            if "tech_clause" in a.needs:
                why.append("or no treaty with a tech_cooperation clause linking them")
        out.append((("actions", k), f"no actor can ever take this action: {' '.join(why)}"))
    return open_


def _rungs(s: Scenario, actions: set[int], out: list) -> None:
    ids = [r.id for r in s.ladder.rungs]
    ix = {r: n for n, r in enumerate(ids)}
    th = s.ladder.thresholds
    reach = {0}

    def put(r: str | None, default: str | None = None) -> None:
        name = r if r is not None else (th.get(default) if default else None)
        if name in ix:
            reach.add(ix[name])

    for k in actions:
        a = s.actions[k]
        put(a.rung)
        put(a.spill_rung)
    for x in every_effect(s):
        if x.kind == "rung":
            put(x.raise_to)
            put(x.set)
        elif x.kind == "attack":
            put(x.rung, "armed_clash")
    for t in s.treaties:
        for c in t.clauses:
            if c.kind == "assistance":
                put(c.response, "war")
    for rel in s.relations:
        put(rel.rung)
        if rel.flashpoint is not None and rel.flashpoint.serious > 0:
            put(rel.flashpoint.rung, "armed_clash")
    # Drift: up into a rung that has 'up', down out of a rung whose 'down' is above 0.
    changed = True
    while changed:
        changed = False
        for r in sorted(reach):
            if r + 1 < len(ids) and s.ladder.rungs[r + 1].up is not None and r + 1 not in reach:
                reach.add(r + 1)
                changed = True
            if r > 0 and s.ladder.rungs[r].down > 0 and r - 1 not in reach:
                reach.add(r - 1)
                changed = True
    for n, r in enumerate(s.ladder.rungs):
        if n not in reach:
            out.append(
                (
                    ("ladder", "rungs", n),
                    f"no pair can reach rung '{r.id}': it has no 'up', and no action, event, "
                    f"clause, flashpoint or relation puts a pair there (nor can a pair drift "
                    f"down into it)",
                )
            )


def _drift_gaps(s: Scenario, out: list) -> None:
    """A rung without 'up' between rungs that have one: pairs drifting up stop below it."""
    rungs = s.ladder.rungs
    for n in range(1, len(rungs) - 1):
        if rungs[n].up is None and rungs[n - 1].up is not None and rungs[n + 1].up is not None:
            out.append(
                (
                    ("ladder", "rungs", n),
                    f"rung '{rungs[n].id}' has no 'up' but the rungs on either side have one: "
                    f"pairs drifting up with tension stop below it and never reach "
                    f"'{rungs[n + 1].id}' by drift (give it an 'up' between "
                    f"{rungs[n - 1].up:g} and {rungs[n + 1].up:g})",
                )
            )


# --- outcomes and names --------------------------------------------------------------------------


def _outcomes(s: Scenario, out: list) -> None:
    last = s.scenario.turns
    for i, o in enumerate(s.outcomes):
        if o.when is None or _uses_time(o.when):
            continue
        values = _holds(s, o.when, [last])
        if values == [False]:
            out.append(
                (
                    ("outcomes", i, "when"),
                    f"condition '{_short(o.when)}' is always false: no run ends here",
                )
            )
        elif values == [True] and i < len(s.outcomes) - 1:
            out.append(
                (
                    ("outcomes", i, "when"),
                    f"condition '{_short(o.when)}' is always true: the outcomes after it are never reached",
                )
            )


def _worlds(params: Params):
    """Three very different final states: as the scenario starts, every pair calm on the
    lowest rung, every pair at the top of the ladder. A condition that holds in all three
    holds, for practical purposes, whatever a run does."""
    from game.engine.state import initial_state
    from game.engine.step import Context

    st = initial_state(params, 0, np.arange(3))
    top = len(params.rung_ids) - 1
    st.tension[1], st.rung[1], st.peak[1] = 0.0, 0, params.rung0
    st.attr[1], st.aggressor[1] = 0.0, False
    st.tension[2], st.rung[2], st.peak[2] = 100.0, top, top
    st.attr[2] *= 10.0
    st.aggressor[2] = ~np.eye(params.n_actors, dtype=bool)
    st.clause_count[2], st.event_count[2] = 5, 5
    st.turn = 0
    return Context(params, st)


def _always_true(s: Scenario, params: Params, out: list) -> None:
    """An outcome before the last whose condition holds in every kind of world: the outcomes
    after it are never reached."""
    specs = list(getattr(params, "outcomes", []))
    if len(specs) != len(s.outcomes):
        return
    ctx = None
    for i, (o, spec) in enumerate(zip(s.outcomes[:-1], specs)):
        if o.when is None or spec.when is None or _holds(s, o.when, [s.scenario.turns]):
            continue  # world-independent conditions are judged by _outcomes
        try:
            ctx = ctx or _worlds(params)
            with np.errstate(all="ignore"):
                always = bool(np.all(np.asarray(spec.when.truth(ctx))))
        except Exception:  # a warning is never worth a crash: give up quietly
            return
        if always:
            out.append(
                (
                    ("outcomes", i, "when"),
                    f"condition '{_short(o.when)}' holds in a calm world and at the top of the "
                    f"ladder alike: it looks always true, so the outcomes after it are never "
                    f"reached",
                )
            )


def _names(s: Scenario, out: list) -> None:
    for n, g in enumerate(s.goals):
        short = short_goal(g.name)
        if len(short) > SHORT_NAME_ROOM:
            out.append(
                (
                    ("goals", n, "name"),
                    f"the player card shows about {SHORT_NAME_ROOM} characters of a goal's name "
                    f"(the part before a colon), and '{short}' has {len(short)}: it is cut there; "
                    "put a short name before a colon ('Security: ...')",
                )
            )
    for n, r in enumerate(s.ladder.rungs):
        if r.id in _RESERVED:
            out.append(
                (
                    ("ladder", "rungs", n, "id"),
                    f"a rung named '{r.id}' is hidden in conditions by the built-in name '{r.id}'",
                )
            )
        elif "-" in r.id:
            out.append(
                (
                    ("ladder", "rungs", n, "id"),
                    f"conditions cannot name rung '{r.id}' (a '-' reads as minus); use '_' to compare with it",
                )
            )
    for name in s.ladder.thresholds:
        if name in _RESERVED:
            out.append(
                (
                    ("ladder", "thresholds", name),
                    f"a threshold named '{name}' is hidden in conditions by the built-in name",
                )
            )
        elif "-" in name:
            out.append(
                (
                    ("ladder", "thresholds", name),
                    f"conditions cannot name threshold '{name}' (a '-' reads as minus); use '_'",
                )
            )
