"""Cross-reference checks of a validated scenario: every name points at something that exists.

Pydantic checks each table on its own; here the whole file is known, so unknown actors,
rungs, treaties, clauses, events and actions are found, with a suggestion for near misses,
and expressions are compiled to find their mistakes before any run starts.
"""

from __future__ import annotations

import re

from game.engine.expr import ExprError, Names, compile_expr
from game.engine.outcome import REQUIRED_THRESHOLDS
from game.engine.params import ATTRIBUTES

from .errors import PathT, suggest
from .model import Scenario

MAX_INSTANCES = 2048  # clause instances (clause x covered party x other party) over all treaties


def names_of(s: Scenario) -> Names:
    rungs = {r.id: i for i, r in enumerate(s.ladder.rungs)}
    thresholds = {k: rungs[v] for k, v in s.ladder.thresholds.items() if v in rungs}
    clauses: dict[str, int] = {}
    for t in s.treaties:
        for c in t.clauses:
            clauses.setdefault(f"{t.id}.{c.id}", len(clauses))
    return Names(
        actors={a.id: i for i, a in enumerate(s.actors)},
        rungs=rungs,
        thresholds=thresholds,
        treaties={t.id: i for i, t in enumerate(s.treaties)},
        clauses=clauses,
        events={e.id: i for i, e in enumerate(s.events)},
        attributes={a: i for i, a in enumerate(ATTRIBUTES)},
        actions={a.id: i for i, a in enumerate(s.actions)},
        flags=flags_of(s),
    )


def every_effect(s: Scenario) -> list:
    """Every effect the scenario writes: its events', then its dilemmas' options' (which apply
    as events' do)."""
    out = [eff for e in s.events for eff in e.effects]
    return out + [eff for d in s.dilemmas for o in d.options for eff in o.effects]


def flags_of(s: Scenario) -> dict[str, int]:
    """The flags effects set, in the order they first appear (``every_effect``)."""
    out: dict[str, int] = {}
    for eff in every_effect(s):
        if eff.kind == "flag":
            out.setdefault(eff.flag, len(out))
    return out


def check(s: Scenario) -> list[tuple[PathT, str]]:
    """Every cross-reference problem, as (key path, message)."""
    out: list[tuple[PathT, str]] = []
    actors = [a.id for a in s.actors]
    rungs = [r.id for r in s.ladder.rungs]
    treaties = [t.id for t in s.treaties]
    actions = [a.id for a in s.actions]

    def dup(items, path, what):
        seen = set()
        for i, x in enumerate(items):
            if x in seen:
                out.append(((*path, i, "id"), f"duplicate {what} id '{x}'"))
            seen.add(x)

    def actor(v, path):
        if v not in actors:
            out.append((path, unknown_actor(v, actors)))

    def rung(v, path):
        if v is not None and v not in rungs:
            out.append((path, f"unknown rung '{v}'{suggest(v, rungs)}"))

    def effect(eff, p):
        """An event's or a dilemma option's effect (they apply alike): its references and the
        keys its kind needs."""
        for k, x in enumerate(getattr(eff, "pair", []) or []):
            actor(x, (*p, "pair", k))
        for key in ("by", "on", "actor"):
            v = getattr(eff, key, None)
            if v is not None:
                actor(v, (*p, key))
        pair = getattr(eff, "pair", None)
        if pair is not None and len(pair) == 2 and pair[0] == pair[1]:
            out.append(((*p, "pair"), "a pair needs two different actors"))
        if eff.kind == "rung":
            rung(eff.raise_to, (*p, "raise"))
            rung(eff.set, (*p, "set"))
            if eff.raise_to is None and eff.set is None:
                out.append((p, "a rung effect needs 'raise' or 'set'"))
        if eff.kind == "attack":
            rung(eff.rung, (*p, "rung"))
            if eff.by == eff.on:
                out.append((p, "an actor cannot attack itself"))
        if eff.kind == "tension" and all(
            getattr(eff, k) is None for k in ("add", "set", "baseline", "baseline_add")
        ):
            out.append((p, "a tension effect needs 'add', 'set', 'baseline' or 'baseline_add'"))
        if eff.kind == "flag" and eff.add is None and eff.set is None:
            out.append((p, "a flag effect needs 'set' or 'add'"))
        if eff.kind == "attr" and eff.add is None and eff.set is None and eff.mul is None:
            out.append((p, "an attr effect needs 'add', 'set' or 'mul'"))
        if eff.kind == "treaty" and eff.treaty not in treaties:
            out.append(
                ((*p, "treaty"), f"unknown treaty '{eff.treaty}'{suggest(eff.treaty, treaties)}")
            )

    dup(actors, ("actors",), "actor")
    dup([r.id for r in s.ladder.rungs], ("ladder", "rungs"), "rung")
    dup(treaties, ("treaties",), "treaty")
    dup(actions, ("actions",), "action")
    dup([e.id for e in s.events], ("events",), "event")
    dup([d.id for d in s.dilemmas], ("dilemmas",), "dilemma")
    dup([o.id for o in s.outcomes], ("outcomes",), "outcome")
    dup([q.id for q in s.questions], ("questions",), "question")
    if out:
        # An id given twice is, most often, another id mistyped or copied: the references to
        # that one then all read as unknown. The duplicates alone are the cause to fix first.
        return out

    for name, rid in s.ladder.thresholds.items():
        rung(rid, ("ladder", "thresholds", name))
    for req in REQUIRED_THRESHOLDS:
        if req not in s.ladder.thresholds:
            out.append((("ladder", "thresholds"), f"missing required threshold '{req}'"))
    _threshold_order(s, out)
    for i, r in enumerate(s.ladder.rungs):
        if r.up is not None and r.down > r.up:
            out.append((("ladder", "rungs", i, "down"), f"down ({r.down}) is above up ({r.up})"))
    if s.scenario.default_player is not None:
        actor(s.scenario.default_player, ("scenario", "default_player"))

    for i, a in enumerate(s.actors):
        for j, r in enumerate(a.doctrine.rivals):
            actor(r, ("actors", i, "doctrine", "rivals", j))
            if r == a.id:
                out.append(
                    (("actors", i, "doctrine", "rivals", j), "an actor cannot be its own rival")
                )
        for j, r in enumerate(a.doctrine.partners):
            actor(r, ("actors", i, "doctrine", "partners", j))
            if r in a.doctrine.rivals:
                out.append(
                    (("actors", i, "doctrine", "partners", j), f"'{r}' is both rival and partner")
                )
        for j, k in enumerate(a.doctrine.avoid):
            if k not in actions:
                out.append(
                    (
                        ("actors", i, "doctrine", "avoid", j),
                        f"unknown action '{k}'{suggest(k, actions)}",
                    )
                )
        for tgt, table in a.doctrine.prefer_toward.items():
            actor(tgt, ("actors", i, "doctrine", "prefer_toward", tgt))
            for k in table:
                if k not in actions:
                    out.append(
                        (
                            ("actors", i, "doctrine", "prefer_toward", tgt, k),
                            f"unknown action '{k}'{suggest(k, actions)}",
                        )
                    )
        for tgt, ks in a.doctrine.avoid_toward.items():
            actor(tgt, ("actors", i, "doctrine", "avoid_toward", tgt))
            for j, k in enumerate(ks):
                if k not in actions:
                    out.append(
                        (
                            ("actors", i, "doctrine", "avoid_toward", tgt, j),
                            f"unknown action '{k}'{suggest(k, actions)}",
                        )
                    )
        for k in a.doctrine.prefer:
            if k not in actions:
                out.append(
                    (
                        ("actors", i, "doctrine", "prefer", k),
                        f"unknown action '{k}'{suggest(k, actions)}",
                    )
                )

    seen_pairs: set[frozenset] = set()
    for i, rel in enumerate(s.relations):
        for j, x in enumerate(rel.pair):
            actor(x, ("relations", i, "pair", j))
        if rel.pair[0] == rel.pair[1]:
            out.append((("relations", i, "pair"), "a pair needs two different actors"))
        key = frozenset(rel.pair)
        if key in seen_pairs:
            out.append((("relations", i, "pair"), f"pair {rel.pair[0]}-{rel.pair[1]} listed twice"))
        seen_pairs.add(key)
        rung(rel.rung, ("relations", i, "rung"))
        nuclear = s.ladder.thresholds.get("nuclear_use")
        if rel.rung in rungs and nuclear in rungs and rungs.index(rel.rung) >= rungs.index(nuclear):
            out.append(
                (
                    ("relations", i, "rung"),
                    f"starts on '{rel.rung}', at or above nuclear use ('{nuclear}'): every run "
                    f"would count as nuclear use from the first month",
                )
            )
        for k, x in enumerate(rel.engaged):
            actor(x, ("relations", i, "engaged", k))
        if rel.engaged and rel.aggressor is None:
            out.append((("relations", i, "engaged"), "'engaged' needs an 'aggressor'"))
        if rel.aggressor is not None and rel.aggressor not in rel.pair:
            out.append(
                (("relations", i, "aggressor"), f"aggressor '{rel.aggressor}' is not in the pair")
            )
        if rel.flashpoint is not None:
            rung(rel.flashpoint.rung, ("relations", i, "flashpoint", "rung"))
        for x in rel.stances:
            if x not in rel.pair:
                out.append((("relations", i, "stances", x), f"'{x}' is not in the pair"))

    instances = 0
    for i, t in enumerate(s.treaties):
        for c in t.clauses:
            instances += len(set(c.covers or t.parties)) * (len(set(t.parties)) - 1)
        if instances > MAX_INSTANCES:
            out.append(
                (
                    ("treaties", i, "clauses"),
                    f"too many clause instances: every clause counts once per (covered party, "
                    f"other party), and the treaties up to here have {instances} (at most "
                    f"{MAX_INSTANCES})",
                )
            )
            break

    for i, t in enumerate(s.treaties):
        for j, p in enumerate(t.parties):
            actor(p, ("treaties", i, "parties", j))
        if len(set(t.parties)) != len(t.parties):
            out.append((("treaties", i, "parties"), "a party is listed twice"))
        start = t.in_force or t.signed
        if t.in_force is not None and t.in_force < t.signed:
            out.append((("treaties", i, "in_force"), "enters into force before it is signed"))
        if t.lapses is not None and t.lapses <= start:
            out.append((("treaties", i, "lapses"), "lapses before it enters into force"))
        if t.replaces is not None:
            if t.replaces not in treaties:
                out.append(
                    (
                        ("treaties", i, "replaces"),
                        f"unknown treaty '{t.replaces}'{suggest(t.replaces, treaties)}",
                    )
                )
            elif t.replaces == t.id:
                out.append((("treaties", i, "replaces"), "a treaty cannot replace itself"))
        cids = [c.id for c in t.clauses]
        dup(cids, ("treaties", i, "clauses"), "clause")
        for j, c in enumerate(t.clauses):
            rung(c.trigger, ("treaties", i, "clauses", j, "trigger"))
            for k, x in enumerate(c.covers or []):
                if x not in t.parties:
                    out.append(
                        (
                            ("treaties", i, "clauses", j, "covers", k),
                            f"'{x}' is not a party of this treaty",
                        )
                    )
            rung(c.response, ("treaties", i, "clauses", j, "response"))
            for key in ("credibility_by", "delay_by"):
                for x in getattr(c, key):
                    if x not in t.parties:
                        out.append(
                            (
                                ("treaties", i, "clauses", j, key, x),
                                f"'{x}' is not a party of this treaty{suggest(x, t.parties)}",
                            )
                        )
            if c.kind == "assistance":
                _response_above_trigger(s, c, ("treaties", i, "clauses", j), out)
            if c.kind in ("consultation", "assistance") and c.trigger is None:
                default = "threat" if c.kind == "consultation" else "armed_clash"
                if default not in s.ladder.thresholds:
                    out.append(
                        (
                            ("treaties", i, "clauses", j, "trigger"),
                            f"no trigger given and the ladder has no '{default}' threshold",
                        )
                    )

    for i, a in enumerate(s.actors):
        for j, k in enumerate(a.doctrine.repertoire or []):
            if k not in actions:
                out.append(
                    (
                        ("actors", i, "doctrine", "repertoire", j),
                        f"unknown action '{k}'{suggest(k, actions)}",
                    )
                )
    for i, a in enumerate(s.actions):
        for j, x in enumerate(a.actors or []):
            actor(x, ("actions", i, "actors", j))
        for key in ("rung", "spill_rung", "spill_at", "min_rung", "max_rung", "lowers_to"):
            rung(getattr(a, key), ("actions", i, key))
        out.extend(_tempo_problems(s, i, a, rungs))
        if (
            a.min_rung in rungs
            and a.max_rung in rungs
            and rungs.index(a.min_rung) > rungs.index(a.max_rung)
        ):
            out.append((("actions", i, "min_rung"), "min_rung is above max_rung"))
        bad = _placeholders(a.headline)
        if bad:
            out.append(
                (
                    ("actions", i, "headline"),
                    f"{bad}; write {{actor}}, {{target}} or {{action}} (and {{{{ }}}} for a brace)",
                )
            )

    def action(v, path):
        if v not in actions:
            out.append((path, f"unknown action '{v}'{suggest(v, actions)}"))

    dup([r.id for r in s.red_lines], ("red_lines",), "red line")
    for i, rl in enumerate(s.red_lines):
        at = ("red_lines", i)
        actor(rl.by, (*at, "by"))
        for j, x in enumerate(rl.toward):
            actor(x, (*at, "toward", j))
            if x == rl.by:
                out.append(((*at, "toward", j), "a state cannot warn itself"))
        if len(set(rl.toward)) < len(rl.toward):
            out.append(((*at, "toward"), "a warned state is listed twice"))
        action(rl.action, (*at, "action"))
        if rl.target is not None:
            actor(rl.target, (*at, "target"))
        rung(rl.response, (*at, "response"))
        if rl.response is None and "threat" not in s.ladder.thresholds:
            out.append(
                ((*at, "response"), "no response given and the ladder has no 'threat' threshold")
            )
        if rl.declared and rl.lapses and rl.lapses <= rl.declared:
            out.append(((*at, "lapses"), "lapses before it is declared"))
        for j, o in enumerate(rl.opens):
            action(o.action, (*at, "opens", j, "action"))
            actor(o.target, (*at, "opens", j, "target"))
            if o.target == rl.by:
                out.append(
                    ((*at, "opens", j, "target"), "a move toward the declaring state itself")
                )
    for j, a in enumerate(s.commitments.exercise_actions or []):
        action(a, ("commitments", "exercise_actions", j))

    names = names_of(s)
    for i, e in enumerate(s.events):
        if e.when is not None:
            _expr(e.when, names, ("events", i, "when"), out)
        if e.until is not None and e.date is not None and e.until < e.date:
            out.append((("events", i, "until"), "'until' is before 'date'"))
        for j, eff in enumerate(e.effects):
            effect(eff, ("events", i, "effects", j))

    actor_ids = [a.id for a in s.actors]
    seen_goals = set()
    for i, g in enumerate(s.goals):
        if g.actor not in actor_ids:
            out.append((("goals", i, "actor"), unknown_actor(g.actor, actor_ids)))
        if (g.actor, g.id) in seen_goals:
            out.append((("goals", i, "id"), f"{g.actor} has two goals with id '{g.id}'"))
        seen_goals.add((g.actor, g.id))
        if g.value is not None:
            _expr(g.value, names, ("goals", i, "value"), out)

    for i, d in enumerate(s.dilemmas):
        actor(d.actor, ("dilemmas", i, "actor"))
        if d.when is not None:
            _expr(d.when, names, ("dilemmas", i, "when"), out)
        if d.until is not None and d.date is not None and d.until < d.date:
            out.append((("dilemmas", i, "until"), "'until' is before 'date'"))
        seen_options: set = set()
        for k, o in enumerate(d.options):
            if o.id in seen_options:
                out.append((("dilemmas", i, "options", k, "id"), f"two options with id '{o.id}'"))
            seen_options.add(o.id)
            for j, eff in enumerate(o.effects):
                effect(eff, ("dilemmas", i, "options", k, "effects", j))
            if o.as_move is not None:
                at = ("dilemmas", i, "options", k, "as_move")
                action(o.as_move.action, (*at, "action"))
                actor(o.as_move.target, (*at, "target"))
                if o.as_move.target == d.actor:
                    out.append(((*at, "target"), "a move toward the choosing state itself"))

    for i, o in enumerate(s.outcomes):
        last = i == len(s.outcomes) - 1
        if o.when is None and not last:
            out.append((("outcomes", i, "when"), "only the last outcome may omit 'when'"))
        if o.when is not None:
            _expr(o.when, names, ("outcomes", i, "when"), out)
        if last and o.when is not None:
            out.append((("outcomes", i), "the last outcome is the default: omit its 'when'"))
    for i, q in enumerate(s.questions):
        _expr(q.when, names, ("questions", i, "when"), out)
        if (q.by.year, q.by.month) < (s.scenario.start.year, s.scenario.start.month):
            out.append((("questions", i, "by"), "the date is before the scenario starts"))
    _check_theatres(s, actor, dup, out)
    for key in ("alert_rung", "reaction_alert", "reaction_sanctions"):
        rung(getattr(s.nuclear, key), ("nuclear", key))
    return out


# What each clause kind reads, beyond id, kind, article and summary (see the engine's step).
CLAUSE_KEYS = {
    "consultation": ("trigger", "tension", "readiness", "coordination", "covers", "attackers"),
    "assistance": (
        "trigger",
        "delay",
        "credibility",
        "credibility_by",
        "delay_by",
        "response",
        "tension",
        "coordination",
        "covers",
        "attackers",
        "theatres",
    ),
    "no_hostile_alliance": ("covers",),
    "tech_cooperation": ("covers",),
    "oppose_sanctions": ("tension", "covers"),
}
_ALWAYS = {"id", "kind", "article", "summary"}


def clause_keys(c, path: PathT, out: list) -> None:
    """Keys given to a clause whose kind does not read them (a warning: see lint)."""
    used = CLAUSE_KEYS.get(c.kind, ())
    for key in sorted(c.model_fields_set - _ALWAYS - set(used)):
        owners = [k for k, keys in CLAUSE_KEYS.items() if key in keys]
        out.append(
            (
                (*path, key),
                f"'{key}' means nothing for a {c.kind} clause, which reads "
                f"{', '.join(used) or 'nothing but its parties'} (it is read by "
                f"{', '.join(owners) or 'no'} clauses)",
            )
        )


def _response_above_trigger(s: Scenario, c, path: PathT, out: list) -> None:
    ix = {r.id: n for n, r in enumerate(s.ladder.rungs)}
    th = s.ladder.thresholds
    trig = c.trigger if c.trigger is not None else th.get("armed_clash")
    resp = c.response if c.response is not None else th.get("war")
    if trig in ix and resp in ix and ix[resp] < ix[trig]:
        at = (*path, "response" if c.response is not None else "trigger")
        out.append(
            (
                at,
                f"the response '{resp}' is below the trigger '{trig}': the ally would answer "
                f"an attack by standing lower on the ladder than the attack itself",
            )
        )


_ORDER = ("armed_clash", "war", "nuclear_use", "general_nuclear_war")


def _threshold_order(s: Scenario, out: list) -> None:
    """The required thresholds name rungs in rising order (and 'threat' is not above the
    armed clash): classification and the engine rely on it."""
    ix = {r.id: n for n, r in enumerate(s.ladder.rungs)}
    th = s.ladder.thresholds
    named = [(k, ix[th[k]]) for k in _ORDER if th.get(k) in ix]
    for (lo, a), (hi, b) in zip(named, named[1:]):
        if b <= a:
            out.append(
                (
                    ("ladder", "thresholds", hi),
                    f"'{hi}' ({th[hi]}) must stand above '{lo}' ({th[lo]}) on the ladder: the "
                    f"thresholds go {' < '.join(_ORDER)}",
                )
            )
    threat, clash = ix.get(th.get("threat", "")), ix.get(th.get("armed_clash", ""))
    if threat is not None and clash is not None and threat > clash:
        out.append(
            (
                ("ladder", "thresholds", "threat"),
                f"'threat' ({th['threat']}) stands above 'armed_clash' "
                f"({th['armed_clash']}): a threat comes before a clash",
            )
        )


# Common names of states that are not their ids here (checked when an actor id is unknown).
ALIASES = {
    "ROK": ("KOR",),
    "SK": ("KOR",),
    "DPRK": ("PRK",),
    "NK": ("PRK",),
    "US": ("USA",),
    "USA": ("US",),
    "UK": ("GBR",),
    "GB": ("GBR",),
    "JP": ("JPN",),
    "JA": ("JPN",),
    "PRC": ("CHN",),
    "CN": ("CHN",),
    "ROC": ("TWN",),
    "TW": ("TWN",),
    "RU": ("RUS",),
    "UA": ("UKR",),
    "IN": ("IND",),
    "PK": ("PAK",),
    "AU": ("AUS",),
    "PH": ("PHL",),
    "VN": ("VNM",),
}


def unknown_actor(word: str, actors) -> str:
    """The error for an actor id the file does not define: a suggestion, and the ids it has."""
    return f"unknown actor '{word}'{suggest_actor(word, actors)} (known: {', '.join(actors)})"


def suggest_actor(word: str, actors) -> str:
    """' (did you mean 'KOR'?)' for an unknown actor id: common abbreviations first (ROK is
    South Korea, not 'PRK'), then close spellings."""
    for alias in ALIASES.get(str(word).upper(), ()):
        if alias in actors:
            return f" (did you mean '{alias}'?)"
    return suggest(word, actors)


def _check_theatres(s: Scenario, actor, dup, out: list) -> None:
    """Theatres: unique ids, known states in their territory, known theatres where named."""
    ids = [g.id for g in s.theatres]
    dup(ids, ("theatres",), "theatre")
    for i, g in enumerate(s.theatres):
        for j, x in enumerate(g.territory):
            actor(x, ("theatres", i, "territory", j))

    def theatre(v, path):
        if v not in ids:
            known = ", ".join(ids) if ids else "none: add [[theatres]]"
            out.append((path, f"unknown theatre '{v}'{suggest(v, ids)} (known: {known})"))

    for i, rel in enumerate(s.relations):
        if rel.flashpoint is not None and rel.flashpoint.theatre is not None:
            theatre(rel.flashpoint.theatre, ("relations", i, "flashpoint", "theatre"))
    for i, t in enumerate(s.treaties):
        for j, c in enumerate(t.clauses):
            for k, v in enumerate(c.theatres or []):
                theatre(v, ("treaties", i, "clauses", j, "theatres", k))


def _expr(src: str, names: Names, path: PathT, out: list) -> None:
    try:
        compile_expr(src, names)
    except ExprError as e:
        col = f" (column {e.col})" if e.col else ""
        msg = str(e)
        for node, words in _NODE_WORDS.items():
            msg = msg.replace(f"'{node}' is not allowed", f"{words} is not allowed")
        out.append((path, f"{_expr_hint(msg, src, names)}{col}"))
    except (ValueError, SyntaxError, RecursionError, MemoryError) as e:
        # ast.parse raises ValueError for a NUL character, and deep nesting can exhaust it
        reason = "it contains a NUL character" if "\x00" in src else type(e).__name__
        out.append((path, f"not a valid condition ({reason})"))


_HYPHENATED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)+")
_UNKNOWN_ACTOR = re.compile(r"unknown actor '([^']*)'( \(did you mean '[^']*'\?\))?")


def _expr_hint(msg: str, src: str, names: Names) -> str:
    """An expression error with a hint for the mistakes people make most."""
    msg = msg.replace("expects a event", "expects an event")
    m = _UNKNOWN_ACTOR.search(msg)
    if m:
        better = suggest_actor(m.group(1), names.actors)
        return msg[: m.start()] + f"unknown actor '{m.group(1)}'{better}" + msg[m.end() :]
    code = re.sub(r"\"[^\"]*\"|'[^']*'", '""', src)  # quoted names may hold anything
    if "&&" in code or "||" in code:
        return f"{msg}: write 'and' and 'or' (not && and ||)"
    if re.search(r"(?<![<>=!])=(?!=)", code):
        return f"{msg}: write '==' to compare ('=' alone is not a comparison)"
    hyphen = _HYPHENATED.search(code)
    if hyphen:
        word = hyphen.group(0)
        known = {**names.events, **names.treaties, **names.rungs, **names.thresholds}
        if word in known or "name" in msg or "unknown" in msg:
            return (
                f"{msg}: '-' reads as minus, so {word} is not one name; write the id in "
                f'quotes, e.g. fired("{word}")'
                + (", or use '_' in rung names" if word in names.rungs else "")
            )
    return msg


_FIELDS = ("actor", "target", "action")
_NODE_WORDS = {
    "Subscript": "indexing with [ ]",
    "Lambda": "lambda",
    "IfExp": "'x if c else y'",
    "List": "a list [ ]",
    "Tuple": "a tuple",
    "Dict": "a table { }",
    "Set": "a set { }",
    "ListComp": "a comprehension",
    "SetComp": "a comprehension",
    "DictComp": "a comprehension",
    "GeneratorExp": "a comprehension",
    "JoinedStr": "an f-string",
    "NamedExpr": "':='",
    "Starred": "'*'",
    "Await": "await",
    "Yield": "yield",
    "YieldFrom": "yield",
    "Slice": "a slice",
}


def _placeholders(text: str) -> str:
    """What is wrong with the {placeholders} of a headline, or ''.

    Only bare {actor}, {target} and {action} are allowed: a format spec or an attribute in a
    placeholder would let a scenario make the program build huge strings or read its objects.
    """
    import string

    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as e:
        return f"bad braces in headline ({e})"
    for _, name, spec, conv in parts:
        if name is None:
            continue
        if name not in _FIELDS or spec or conv:
            shown = "{" + name + ("!" + conv if conv else "") + (":" + spec if spec else "") + "}"
            return f"placeholder '{shown[:40]}' is not allowed in a headline"
    return ""


def _tempo_problems(s, i: int, a, rungs: list[str]) -> list[tuple[tuple, str]]:
    """What a signal or a move that ends fighting must not be (game.engine.tempo)."""
    out = []
    if a.signal and a.attack:
        out.append((("actions", i, "signal"), "a signal cannot be an armed attack (attack = true)"))
    nuclear = s.ladder.thresholds.get("nuclear_use")
    if (
        a.signal
        and a.rung in rungs
        and nuclear in rungs
        and rungs.index(a.rung) >= rungs.index(nuclear)
    ):
        out.append(
            (
                ("actions", i, "signal"),
                f"a signal cannot raise the pair to nuclear use ('{nuclear}'); its rung is "
                f"'{a.rung}'",
            )
        )
    if a.ends_attack and "attacked" not in a.needs:
        out.append(
            (
                ("actions", i, "ends_attack"),
                "ends_attack needs 'attacked' in needs (the target's attack on the mover must be "
                "under way)",
            )
        )
    return out
