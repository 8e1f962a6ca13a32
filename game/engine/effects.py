"""Effects of events and of dilemmas' options, applied to the runs of a batch: tension, rungs,
armed attacks, attributes, flags and treaties, as the scenario's [[events]] write them."""

from __future__ import annotations

import numpy as np

from . import memory
from . import theatres as th
from .params import Params
from .state import State


def _sym_set(arr, b, i, j, values):
    arr[b, i, j] = values
    arr[b, j, i] = values


def _raise_rung(state: State, rows, i, j, floor):
    """Raise the rung of pairs (i, j) in the given rows to at least ``floor``."""
    cur = state.rung[rows, i, j]
    new = np.maximum(cur, floor).astype(np.int16)
    _sym_set(state.rung, rows, i, j, new)


def _add_tension(state: State, rows, i, j, delta):
    new = np.clip(state.tension[rows, i, j] + delta, 0.0, 100.0)
    _sym_set(state.tension, rows, i, j, new)


# The fields of the state each kind of effect writes (``apply_effects``): what a copy of a run
# must own to have effects applied to it while the rest is shared (game.engine.dilemmas).
EFFECT_WRITES = {
    "tension": ("tension", "baseline"),
    "rung": ("rung",),
    "attack": ("aggressor", "front", "rung", "tension"),
    "attr": ("attr",),
    "flag": ("flags",),
    "treaty": ("revoked", "forced"),
}


def effect_writes(effects: list[dict]) -> tuple[str, ...]:
    """The fields of the state ``effects`` write, each once (a tension effect writes the
    baseline only when it names it)."""
    out = []
    for e in effects:
        names = EFFECT_WRITES[e["kind"]]
        if e["kind"] == "tension" and "baseline" not in e and "baseline_add" not in e:
            names = ("tension",)
        out.extend(names)
    return tuple(dict.fromkeys(out))


def apply_effects(params: Params, state: State, effects: list[dict], mask: np.ndarray) -> None:
    """Apply compiled event effects to the runs where ``mask`` is true (the fields written:
    ``EFFECT_WRITES``)."""
    rows = np.nonzero(mask)[0]
    n = rows.size
    if n == 0:
        return
    # Where the effects reach every run (an event due in all of them), the runs are taken as
    # a slice, a view, rather than gathered and scattered by index: the same entries.
    at = slice(None) if n == state.batch else rows
    for eff in effects:
        k = eff["kind"]
        if k == "tension":
            i, j = eff["pair"]
            if "set" in eff:
                _sym_set(state.tension, at, i, j, np.full(n, eff["set"]))
            if "add" in eff:
                _add_tension(state, at, i, j, eff["add"])
            if "baseline" in eff:
                _sym_set(state.baseline, at, i, j, np.full(n, eff["baseline"]))
            if "baseline_add" in eff:
                new = np.clip(state.baseline[at, i, j] + eff["baseline_add"], 0.0, 100.0)
                _sym_set(state.baseline, at, i, j, new)
        elif k == "rung":
            i, j = eff["pair"]
            if "set" in eff:
                _sym_set(state.rung, at, i, j, np.full(n, eff["set"], np.int16))
            if "raise" in eff:
                _raise_rung(state, at, i, j, eff["raise"])
        elif k == "attack":
            by, on = eff["by"], eff["on"]
            state.aggressor[at, on, by] = True
            th.place(state.front, rows, on, by, params.attack_theatre[on, by])
            _raise_rung(state, at, on, by, eff["rung"])
            _add_tension(state, at, on, by, eff.get("tension", 0.0))
        elif k == "attr":
            a, col = eff["actor"], eff["attr"]
            if "set" in eff:
                state.attr[at, a, col] = eff["set"]
            if "add" in eff:
                state.attr[at, a, col] += eff["add"]
            if "mul" in eff:
                state.attr[at, a, col] *= eff["mul"]
            state.attr[at, a, col] = np.maximum(state.attr[at, a, col], 0.0)
        elif k == "flag":
            memory.apply_flag(state, at, eff)
        elif k == "treaty":
            t = eff["treaty"]
            if eff["to"] == "lapse":
                state.revoked[at, t] = True
                state.forced[at, t] = False
            else:
                state.forced[at, t] = True
                state.revoked[at, t] = False
        else:  # pragma: no cover - the scenario compiler only emits the kinds above
            raise ValueError(f"unknown effect kind {k!r}")
