"""Uncertain numbers in a scenario file: which keys may be a distribution, and reading them.

A number may be written as a distribution: ``{ low = 1.0, high = 1.6 }`` (uniform) or
``{ mean = 0.9, sd = 0.05 }`` (normal). Before the file is validated, every distribution is
taken out and replaced by its central value (the midpoint or the mean), which is validated
like any number; the distributions are checked here and given to the compiler, and each run
draws its own value (game.engine.draws). Only the keys in :data:`VARIABLE` may vary from run to
run: the engine carries their per-run values. Any other key given a distribution is an error
at that key, never silently replaced by its mean.

Bounds: a range must lie within the key's bounds (a probability within 0-1) or it is refused;
the mean of a normal must lie within them, and its draws are clipped to them.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import Any

from game.engine.draws import DrawSpec
from game.engine.names import ATTRIBUTES

from .errors import PathT
from .model import (
    Actor,
    AIWeights,
    Clause,
    Defaults,
    Dilemma,
    Event,
    Flashpoint,
    NuclearRules,
    RedLine,
    Relation,
)

UNIFORM = ("low", "high")
NORMAL = ("mean", "sd")
_WORDS = set(UNIFORM) | set(NORMAL)
# Warheads are a count (an integer key); the other attributes may vary.
_ATTRS = frozenset(a for a in ATTRIBUTES if a != "warheads")

# The keys that may be distributions: (path pattern, model, field). In a pattern, ``int`` is
# any entry of an array, ``str`` any key of a table, a frozenset any of its keys; the model's
# field gives the bounds (None: the last key of the path names the field).
VARIABLE: tuple[tuple[tuple, type, str | None], ...] = (
    (("defaults", frozenset({"decay", "tension"})), Defaults, None),
    (("ai", "jump"), AIWeights, "jump"),
    (("actors", int, _ATTRS), Actor, None),
    (("relations", int, frozenset({"tension", "baseline"})), Relation, None),
    (
        ("relations", int, "flashpoint", frozenset({"base", "slope", "serious", "tension"})),
        Flashpoint,
        None,
    ),
    (("treaties", int, "clauses", int, "credibility"), Clause, "credibility"),
    (("treaties", int, "clauses", int, "credibility_by", str), Clause, "credibility"),
    (("red_lines", int, "credibility"), RedLine, "credibility"),
    (("events", int, "probability"), Event, "probability"),
    (("dilemmas", int, "probability"), Dilemma, "probability"),
    (("nuclear", frozenset({"alert_base", "alert_territory"})), NuclearRules, None),
)


def documented() -> list[str]:
    """The keys that may be distributions, as the format reference lists them."""
    out = []
    for pattern, _, _ in VARIABLE:
        parts = []
        for p in pattern:
            if p is int:
                parts.append("[]" if parts else "")
            elif p is str:
                parts.append(".<party>")
            elif isinstance(p, frozenset):
                parts.append("." + "|".join(sorted(p)))
            else:
                parts.append(("." if parts else "") + p)
        out.append("".join(parts).replace(".[]", "[]"))
    return out


def _matches(pattern: tuple, path: PathT) -> bool:
    if len(pattern) != len(path):
        return False
    for p, x in zip(pattern, path):
        if p is int or p is str:
            if not isinstance(x, p):
                return False
        elif isinstance(p, frozenset):
            if x not in p:
                return False
        elif p != x:
            return False
    return True


def rule_of(path: PathT) -> tuple[type, str] | None:
    """(model, field) whose bounds hold for a key that may vary, or None if it may not."""
    for pattern, model, name in VARIABLE:
        if _matches(pattern, path):
            return model, name or str(path[-1])
    return None


def bounds(model: type, name: str) -> tuple[float, float]:
    """(lowest, highest) value the model allows for a field."""
    lo, hi = -math.inf, math.inf
    for m in model.model_fields[name].metadata:
        if getattr(m, "ge", None) is not None:
            lo = max(lo, float(m.ge))
        if getattr(m, "gt", None) is not None:
            lo = max(lo, float(m.gt))
        if getattr(m, "le", None) is not None:
            hi = min(hi, float(m.le))
        if getattr(m, "lt", None) is not None:
            hi = min(hi, float(m.lt))
    return lo, hi


def is_distribution(value: Any) -> bool:
    """A table written as a distribution: only the keys low, high, mean and sd."""
    return isinstance(value, dict) and bool(value) and set(value) <= _WORDS


def _misspelt(node: dict, path: PathT) -> bool:
    """A table where a number that may vary stands, with a key of a distribution or one close
    to it: a distribution misspelt ({ low = .., hi = .. }), told as one."""
    if not node or rule_of(path) is None:  # most tables: asked first, it is the cheaper
        return False
    return any(difflib.get_close_matches(k, sorted(_WORDS), 1, 0.5) for k in map(str, node))


def label(raw: dict, path: PathT) -> str:
    """The dotted name of a key, with array entries by id (relations by pair), as ``--set``
    takes it: e.g. 'actors.PRK.delivery', 'relations.PRK-KOR.flashpoint.serious'."""
    parts: list[str] = []
    cur: Any = raw
    for p in path:
        if isinstance(p, int) and isinstance(cur, list) and p < len(cur):
            item = cur[p]
            name = str(p)
            if isinstance(item, dict):
                if isinstance(item.get("id"), str):
                    name = item["id"]
                elif isinstance(item.get("pair"), list):
                    name = "-".join(str(x) for x in item["pair"])
            parts.append(name)
            cur = item
        else:
            parts.append(str(p))
            cur = cur.get(p) if isinstance(cur, dict) else None
    return ".".join(parts)


@dataclass(frozen=True)
class Found:
    """A distribution found in a scenario document."""

    path: PathT
    spec: DrawSpec


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _check(raw: dict, path: PathT, d: dict) -> tuple[DrawSpec | None, str | None, Any]:
    """(spec, problem, value to validate in its place) of one distribution."""
    keys = set(d)
    stand_in = next((d[k] for k in ("mean", "low", "high") if _number(d.get(k))), 0.0)
    if keys == set(UNIFORM):
        kind, a, b = "uniform", d["low"], d["high"]
    elif keys == set(NORMAL):
        kind, a, b = "normal", d["mean"], d["sd"]
    else:
        shown = ", ".join(sorted(keys))
        odd = [
            f"'{k}'" + (f" (did you mean '{near[0]}'?)" if near else "")
            for k in sorted(map(str, keys - _WORDS))
            for near in [difflib.get_close_matches(k, sorted(_WORDS - keys), 1, 0.5)]
        ]
        return (
            None,
            (
                f"a distribution is {{ low = .., high = .. }} or {{ mean = .., sd = .. }}, "
                f"not {{ {shown} }}"
                + (f": it has no key{'s' if len(odd) > 1 else ''} {', '.join(odd)}" if odd else "")
            ),
            stand_in,
        )
    names = UNIFORM if kind == "uniform" else NORMAL
    for k, v in zip(names, (a, b)):
        if not _number(v):
            return None, f"'{k}' of a distribution must be a finite number", stand_in
    rule = rule_of(path)
    key = label(raw, path)
    if rule is None:
        return (
            None,
            (
                f"{key} cannot vary from run to run: give a single value (the keys that may be "
                f"distributions are listed under 'Uncertain numbers' in scenarios/README.md)"
            ),
            stand_in,
        )
    lo, hi = bounds(*rule)
    if kind == "uniform":
        if a > b:
            return None, f"low ({a:g}) is above high ({b:g})", stand_in
        if a < lo or b > hi:
            return (
                None,
                (f"the range {a:g} to {b:g} leaves the bounds of {path[-1]} ({lo:g} to {hi:g})"),
                stand_in,
            )
    elif b < 0:
        return None, f"sd ({b:g}) must be 0 or more", stand_in
    spec = DrawSpec(key, kind, float(a), float(b), lo, hi)
    return spec, None, spec.central


def extract(raw: dict) -> tuple[dict, list[Found], list[tuple[PathT, str]]]:
    """(the document with each distribution replaced by its central value, the distributions,
    the problems found in them). ``raw`` is left as it is."""
    found: list[Found] = []
    problems: list[tuple[PathT, str]] = []

    def walk(node: Any, path: PathT) -> Any:
        if isinstance(node, dict):
            if path and (is_distribution(node) or _misspelt(node, path)):
                spec, problem, value = _check(raw, path, node)
                if problem is not None:
                    problems.append((path, problem))
                else:
                    found.append(Found(path, spec))
                return value
            return {k: walk(v, (*path, k)) if path or k in tables else v for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, (*path, n)) for n, v in enumerate(node)]
        return node

    # A table the scenario does not have is left as it is: the schema names it unknown, and
    # what it holds is no scenario's number (it is most often a known table misspelt).
    tables = _top_level_keys()
    return walk(raw, ()), found, problems


def _top_level_keys() -> set[str]:
    """The keys a scenario document may have at its top level."""
    from .model import Scenario

    return {f.alias or name for name, f in Scenario.model_fields.items()} | set(
        Scenario.model_fields
    )


def model_of(raw: dict):
    """The validated scenario of a merged document already known to be valid (a batch worker
    compiles it again from its content), with its uncertain numbers."""
    from .model import Scenario

    central, found, problems = extract(raw)
    if problems:
        path, message = problems[0]
        raise ValueError(f"{'.'.join(map(str, path))}: {message}")
    model = Scenario.model_validate(central)
    model._draws = found
    return model
