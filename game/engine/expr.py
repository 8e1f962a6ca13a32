"""A small, whitelisted expression language for scenario conditions, compiled to array code.

Scenario files say when an event may fire or how a run is classified with expressions such as
``rung(PRK, KOR) >= armed_clash and turn >= 3``. They are parsed with :mod:`ast` in ``eval``
mode and then walked node by node: only literals, names the scenario defines, comparisons,
boolean and arithmetic operators, and calls to the functions listed in ``FUNCTIONS`` are
accepted. Nothing is ever evaluated by Python; the result is a tree of closures that compute a
value for every run of a batch at once from the world state.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

MAX_LENGTH = 2000
MAX_DEPTH = 32
MAX_NODES = 400


class ExprError(ValueError):
    """An expression that cannot be compiled; ``col`` is 1-based within the expression."""

    def __init__(self, message: str, col: int | None = None):
        super().__init__(message)
        self.col = col


@dataclass(frozen=True)
class Names:
    """What an expression may refer to: actors, rungs, thresholds, treaties, clauses, events."""

    actors: dict[str, int]
    rungs: dict[str, int]
    thresholds: dict[str, int]
    treaties: dict[str, int]
    clauses: dict[str, int]  # "treaty.clause" -> index of the clause
    events: dict[str, int]
    attributes: dict[str, int]
    actions: dict[str, int] = field(default_factory=dict)
    flags: dict[str, int] = field(default_factory=dict)
    # (mover, action, target or -1) -> index: the moves conditions count, filled as they
    # are compiled (Params.move_watch)
    moves: dict[tuple[int, int, int], int] = field(default_factory=dict)


# Each function: (argument kinds, implementation). Kinds: "actor", "treaty", "clause", "event",
# "attr". Implementations receive the evaluation context and resolved indices.
def _tension(c, a, b):
    return c.state.tension[:, a, b].astype(np.float64)


def _baseline(c, a, b):
    return c.state.baseline[:, a, b]


def _rung(c, a, b):
    return c.state.rung[:, a, b].astype(np.float64)


def _peak(c, a, b):
    return c.state.peak[:, a, b].astype(np.float64)


def _attr(c, a, k):
    return c.state.attr[:, a, k].astype(np.float64)


def _at_war(c, a, b):
    return c.state.rung[:, a, b] >= c.params.thresholds["war"]


def _attacked(c, a, b):
    return c.state.aggressor[:, a, b]


def _in_force(c, t):
    return c.treaty_active()[:, t]


def _invoked(c, k):
    return c.state.clause_count[:, k].astype(np.float64)


def _fired(c, e):
    return c.state.event_count[:, e].astype(np.float64)


def _floors(params) -> np.ndarray:
    """(4, A x A) int16: the value above which each pair counts in ``_highest``, by
    ``2 x regional + new``: -1 where every value counts, the rung the pair started on where
    only the values above it count (``new``), the largest int16 for a pair off the region
    (``regional``): no value counts."""
    region = np.asarray(params.regional_pair_mask, dtype=bool).reshape(-1)
    start = np.asarray(params.rung0, dtype=np.int16).reshape(-1)
    never = np.iinfo(np.int16).max
    out = np.empty((4, region.size), dtype=np.int16)
    for regional in (False, True):
        for new in (False, True):
            floor = start.copy() if new else np.full(region.size, -1, dtype=np.int16)
            if regional:
                floor[~region] = never
            out[2 * regional + new] = floor
    return out


def _highest(c, name: str, regional: bool, new: bool) -> np.ndarray:
    """Each run's highest rung of the state's ``name`` (rung or peak) over every pair or the
    regional pairs, counting with ``new`` only the pairs above the rung they started on (0
    where no pair counts), as float64.

    In a process that has stepped a month, the engine's compiled loops are loaded, and the
    compiled reduction (``month_kernels.highest``, a run at a time) gives it; elsewhere (the
    window's first frames, a report) numpy does, so that no compiler loads to read a state:
    the pairs that do not count are multiplied by zero and each run's row reduced once. Both
    give the same numbers (tests/engine/test_expr_maxima.py)."""
    values = getattr(c.state, name)
    flat = values.reshape(values.shape[0], -1)
    floor = c.params.kept("expr_floors", _floors)[2 * regional + new]
    # The compiled loop once its module is whole: another thread (the window's loading of the
    # engine, a forecast) may be importing it, and its kernels then do not exist yet.
    highest = getattr(sys.modules.get("game.engine.month_kernels"), "highest", None)
    if highest is not None and flat.dtype == np.int16:
        out = np.empty(flat.shape[0])
        highest(np.ascontiguousarray(flat), floor, out)
        return out
    if regional or new:
        flat = flat * (flat > floor)
    return flat.max(axis=1).astype(np.float64)


def _max_rung(c):
    return _highest(c, "rung", regional=False, new=False)


def _max_peak(c):
    return _highest(c, "peak", regional=False, new=False)


def _regional_peak(c):
    return _highest(c, "peak", regional=True, new=False)


def _new_peak(c):
    """Highest rung reached in a pair above where that pair stood when the scenario began."""
    return _highest(c, "peak", regional=False, new=True)


def _regional_new_peak(c):
    """Like new_peak, over pairs of on-map actors only."""
    return _highest(c, "peak", regional=True, new=True)


def _mean_tension(c):
    m = c.params.regional_pair_mask
    t = np.where(m[None], c.state.tension, 0.0).reshape(c.state.tension.shape[0], -1)
    return t.sum(axis=1) / max(int(m.sum()), 1)


def _moves(c, m):
    return c.state.move_count[:, m].astype(np.float64)


def _since(c, e):
    from .memory import months_since

    return months_since(c.state, e)


def _flag(c, f):
    return c.state.flags[:, f]


def _abs(c, x):
    return np.abs(x)


def _min(c, x, y):
    return np.minimum(x, y)


def _max(c, x, y):
    return np.maximum(x, y)


FUNCTIONS: dict[str, tuple[tuple[str, ...], Callable[..., Any], str]] = {
    "tension": (("actor", "actor"), _tension, "tension of a pair, 0-100"),
    "baseline": (("actor", "actor"), _baseline, "tension a pair relaxes toward, 0-100"),
    "rung": (("actor", "actor"), _rung, "current ladder rung of a pair (index)"),
    "peak": (("actor", "actor"), _peak, "highest rung a pair has reached so far"),
    "attr": (("actor", "attr"), _attr, "an actor's attribute, e.g. attr(PRK, military)"),
    "at_war": (("actor", "actor"), _at_war, "true while a pair is at or above the war threshold"),
    "attacked": (("actor", "actor"), _attacked, "attacked(X, Y): X is under armed attack by Y"),
    "in_force": (("treaty",), _in_force, "true while a treaty binds"),
    "invoked": (("clause",), _invoked, "times a clause was invoked, e.g. invoked(t.art4)"),
    "fired": (("event",), _fired, "times an event has fired"),
    "moves": (
        ("actor", "action", "target"),
        _moves,
        "times a state made a move toward a target (any: toward anyone), e.g. "
        "moves(KOR, arms_supply, UKR)",
    ),
    "since": (("event",), _since, "months since an event last fired (10000 if it has not)"),
    "flag": (("flag",), _flag, "the value of a flag set by effects (0 until one sets it)"),
    "max_rung": ((), _max_rung, "highest current rung over all pairs"),
    "max_peak": ((), _max_peak, "highest rung reached by any pair"),
    "regional_peak": ((), _regional_peak, "highest rung reached by a pair of on-map actors"),
    "new_peak": ((), _new_peak, "highest rung reached by a pair above its starting rung"),
    "regional_new_peak": ((), _regional_new_peak, "new_peak over pairs of on-map actors"),
    "mean_tension": ((), _mean_tension, "mean tension over pairs of on-map actors"),
    "abs": (("num",), _abs, "absolute value"),
    "min": (("num", "num"), _min, "smaller of two values"),
    "max": (("num", "num"), _max, "larger of two values"),
}

_CMP = {
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
}
_BIN = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide}


class Expr:
    """A compiled expression: call with an evaluation context to get one value per run."""

    def __init__(self, source: str, fn: Callable[[Any], Any]):
        self.source = source
        self._fn = fn

    def __call__(self, ctx) -> np.ndarray:
        # Arithmetic that overflows gives +-inf (and inf - inf gives NaN, which compares false),
        # quietly: a condition is data, and its numbers are never an error of the program.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            out = self._fn(ctx)
        n = ctx.state.tension.shape[0]
        arr = np.asarray(out)
        if arr.ndim == 0:
            arr = np.full(n, arr)
        return arr

    def truth(self, ctx) -> np.ndarray:
        return self(ctx).astype(bool)

    def __repr__(self) -> str:
        return f"Expr({self.source!r})"


def _suggest(word: str, options) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def compile_expr(source: str, names: Names) -> Expr:
    """Parse and check ``source``; raise :class:`ExprError` naming the first problem."""
    if not isinstance(source, str):
        raise ExprError("an expression must be a string")
    if len(source) > MAX_LENGTH:
        raise ExprError(f"expression longer than {MAX_LENGTH} characters")
    if not source.strip():
        raise ExprError("empty expression")
    text = source.strip()
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as e:
        if e.offset:
            raise ExprError(f"syntax error: {e.msg}", e.offset) from None
        # Python gives no column where the text stops before the expression does.
        raise ExprError(f"syntax error: {e.msg}: the expression stops short", len(text)) from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise ExprError(f"expression too large ({count} nodes, at most {MAX_NODES})")
    fn = _compile(tree.body, names, 0)
    return Expr(source, fn)


def _col(node) -> int | None:
    off = getattr(node, "col_offset", None)
    return None if off is None else off + 1


def _compile(node, names: Names, depth: int):
    if depth > MAX_DEPTH:
        raise ExprError(f"expression nested deeper than {MAX_DEPTH}", _col(node))
    d = depth + 1
    if isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, bool):
            return lambda c, v=v: v
        if isinstance(v, int | float):
            if abs(v) > 1e12:
                raise ExprError(f"number {v!r} out of range", _col(node))
            return lambda c, v=float(v): v
        raise ExprError(f"only numbers and true/false are allowed here, not {v!r}", _col(node))
    if isinstance(node, ast.Name):
        return _name(node, names)
    if isinstance(node, ast.BoolOp):
        parts = [_compile(v, names, d) for v in node.values]
        if isinstance(node.op, ast.And):

            def f_and(c, parts=parts):
                out = np.asarray(parts[0](c)).astype(bool)
                for p in parts[1:]:
                    out = out & np.asarray(p(c)).astype(bool)
                return out

            return f_and

        def f_or(c, parts=parts):
            out = np.asarray(parts[0](c)).astype(bool)
            for p in parts[1:]:
                out = out | np.asarray(p(c)).astype(bool)
            return out

        return f_or
    if isinstance(node, ast.UnaryOp):
        inner = _compile(node.operand, names, d)
        if isinstance(node.op, ast.Not):
            return lambda c: ~np.asarray(inner(c)).astype(bool)
        if isinstance(node.op, ast.USub):
            return lambda c: -np.asarray(inner(c), dtype=np.float64)
        if isinstance(node.op, ast.UAdd):
            return inner
        raise ExprError("operator not allowed", _col(node))
    if isinstance(node, ast.BinOp):
        op = _BIN.get(type(node.op))
        if op is None:
            raise ExprError("only + - * / are allowed", _col(node))
        left, right = _compile(node.left, names, d), _compile(node.right, names, d)
        if op is np.divide:

            def f_div(c):
                num = np.asarray(left(c), dtype=np.float64)
                den = np.asarray(right(c), dtype=np.float64)
                with np.errstate(divide="ignore", invalid="ignore"):
                    return np.where(den == 0, 0.0, num / np.where(den == 0, 1.0, den))

            return f_div
        return lambda c: op(np.asarray(left(c), dtype=np.float64), right(c))
    if isinstance(node, ast.Compare):
        first = _compile(node.left, names, d)
        ops = []
        for op, comp in zip(node.ops, node.comparators):
            fn = _CMP.get(type(op))
            if fn is None:
                raise ExprError("only < <= > >= == != comparisons are allowed", _col(node))
            ops.append((fn, _compile(comp, names, d)))

        def f_cmp(c):
            left = first(c)
            out = None
            for fn, right in ops:
                r = right(c)
                res = fn(left, r)
                out = res if out is None else out & res
                left = r
            return out

        return f_cmp
    if isinstance(node, ast.Call):
        return _call(node, names, d)
    if isinstance(node, ast.Attribute):
        # t.clause is the only dotted form: a treaty clause reference, used inside invoked().
        raise ExprError(
            "attribute access is not allowed (write invoked(treaty.clause))", _col(node)
        )
    kind = type(node).__name__
    raise ExprError(f"'{kind}' is not allowed in an expression", _col(node))


def _name(node: ast.Name, names: Names):
    n = node.id
    if n.startswith("__"):
        raise ExprError(f"name '{n}' is not allowed", _col(node))
    if n in ("true", "True"):
        return lambda c: True
    if n in ("false", "False"):
        return lambda c: False
    if n == "turn":
        return lambda c: float(c.turn)
    if n == "month":
        return lambda c: float(c.month)
    if n in names.thresholds:
        v = float(names.thresholds[n])
        return lambda c, v=v: v
    if n in names.rungs:
        v = float(names.rungs[n])
        return lambda c, v=v: v
    known = ["turn", "month", "true", "false"] + list(names.thresholds) + list(names.rungs)
    raise ExprError(f"unknown name '{n}'{_suggest(n, known)}", _col(node))


def _ref(arg, kind: str, names: Names, fname: str):
    """Resolve a reference argument (actor, treaty, clause, event, attribute) to an index."""
    if kind == "clause":
        if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name):
            key = f"{arg.value.id}.{arg.attr}"
        elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            key = arg.value
        else:
            raise ExprError(f"{fname}() takes a clause as treaty.clause", _col(arg))
        if key not in names.clauses:
            raise ExprError(f"unknown clause '{key}'{_suggest(key, names.clauses)}", _col(arg))
        return names.clauses[key]
    if isinstance(arg, ast.Name):
        key = arg.id
    elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        key = arg.value
    else:
        raise ExprError(f"{fname}() expects a {kind} name here", _col(arg))
    if kind == "target":
        if key == "any":
            return -1
        kind = "actor"
    table = {
        "actor": names.actors,
        "treaty": names.treaties,
        "event": names.events,
        "attr": names.attributes,
        "action": names.actions,
        "flag": names.flags,
    }[kind]
    if key not in table:
        hint = " (no effect sets it)" if kind == "flag" else ""
        raise ExprError(f"unknown {kind} '{key}'{_suggest(key, table)}{hint}", _col(arg))
    return table[key]


def _call(node: ast.Call, names: Names, depth: int):
    if not isinstance(node.func, ast.Name):
        raise ExprError("only calls to the listed functions are allowed", _col(node))
    fname = node.func.id
    if fname not in FUNCTIONS:
        raise ExprError(f"unknown function '{fname}'{_suggest(fname, FUNCTIONS)}", _col(node))
    if node.keywords:
        raise ExprError(f"{fname}() takes no keyword arguments", _col(node))
    kinds, impl, _ = FUNCTIONS[fname]
    if len(node.args) != len(kinds):
        raise ExprError(
            f"{fname}() takes {len(kinds)} argument(s), got {len(node.args)}", _col(node)
        )
    resolved = []
    for arg, kind in zip(node.args, kinds):
        if kind == "num":
            resolved.append(("f", _compile(arg, names, depth)))
        else:
            resolved.append(("v", _ref(arg, kind, names, fname)))

    if fname == "moves":
        # count only the moves conditions ask about: register the triple
        key = tuple(int(v) for _, v in resolved)
        resolved = [("v", names.moves.setdefault(key, len(names.moves)))]

    def f_call(c, impl=impl, resolved=resolved):
        args = [r(c) if t == "f" else r for t, r in resolved]
        return impl(c, *args)

    return f_call
