"""Uncertain numbers: scenario numbers given as a range, drawn once per run.

A scenario may give some numbers as a distribution (``{ low = 1.0, high = 1.6 }`` or
``{ mean = 0.9, sd = 0.05 }``; game.scenario.draws says which keys). The parameters keep the
central value (the midpoint or the mean); each run draws its own value from the counter-based
generator, keyed by the run's key and the number's name (stream ``rng.STREAM_DRAW``), so run K
gets the same values in any batch, chunk or worker, and when replayed alone. The draws are kept
in ``State.drawn`` (runs x draws); the engine reads a drawn number through :func:`at` (one
element: each run's value, or the scenario's single value when nothing was drawn for it) or
:func:`vary` (a whole array with each run's draws laid over it).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from . import rng

KINDS = ("uniform", "normal")


@dataclass(frozen=True)
class DrawSpec:
    """One uncertain number of a compiled scenario."""

    label: str  # the scenario key, e.g. "defaults.decay", "actors.PRK.delivery"
    kind: str  # "uniform": a = low, b = high; "normal": a = mean, b = sd
    a: float
    b: float
    lo: float  # bounds of the key: normal draws are clipped to them
    hi: float
    # (Params field, flat index) of every engine number this draw sets
    targets: tuple[tuple[str, int], ...] = ()

    @property
    def central(self) -> float:
        """The value the parameters keep: the midpoint of a range, the mean of a normal."""
        return (self.a + self.b) / 2.0 if self.kind == "uniform" else self.a

    def describe(self) -> str:
        """The distribution as written, e.g. 'uniform 1.0-1.6' or 'normal 0.9 sd 0.05'."""
        if self.kind == "uniform":
            return f"uniform {self.a:g} to {self.b:g}"
        return f"normal mean {self.a:g} sd {self.b:g} (within {self.lo:g} to {self.hi:g})"


def draw_column(label: str) -> str:
    """The runs.csv column of an uncertain number, e.g. 'draw:defaults.decay'."""
    return f"draw:{label}"


def counter_of(label: str) -> int:
    """The counter index of a number's first uniform (the second is the next one)."""
    return zlib.crc32(label.encode("utf-8")) & 0xFFFFFFFE


def sample(specs, keys: np.ndarray) -> np.ndarray:
    """(B, D) float64: each run's value of every uncertain number."""
    keys = np.asarray(keys, dtype=np.uint64)
    out = np.empty((keys.shape[0], len(specs)), dtype=np.float64)
    if not specs:
        return out
    first = np.array([counter_of(s.label) for s in specs], dtype=np.uint64)
    u = rng.keyed_uniforms(keys, rng.STREAM_DRAW, np.concatenate([first, first + np.uint64(1)]))
    n = len(specs)
    for d, s in enumerate(specs):
        if s.kind == "uniform":
            out[:, d] = s.a + u[:, d] * (s.b - s.a)
        else:  # Box-Muller; 1 - u is in (0, 1]
            z = np.sqrt(-2.0 * np.log1p(-u[:, d])) * np.cos(2.0 * np.pi * u[:, n + d])
            out[:, d] = np.clip(s.a + s.b * z, s.lo, s.hi)
    return out


def index(specs) -> dict[tuple[str, int], int]:
    """{(Params field, flat index): draw column} of every engine number a draw sets."""
    return {t: d for d, s in enumerate(specs) for t in s.targets}


def at(params, state, name: str, j: int, value):
    """Element ``j`` of Params field ``name``: (B,) each run's drawn value, or ``value`` (the
    scenario's single value) when nothing is drawn for it."""
    col = params.draw_at.get((name, j))
    return value if col is None else state.drawn[:, col]


def delta(params, state, name: str, j: int = 0):
    """(B,) each run's draw of element ``j`` of ``name`` minus the central value the
    parameters keep, or None when nothing is drawn for it."""
    col = params.draw_at.get((name, j))
    if col is None:
        return None
    return state.drawn[:, col] - params.draws[col].central


def drawn_elements(params, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(flat indices, columns of State.drawn) of the elements of Params field ``name`` drawn
    per run, in flat order."""
    hits = sorted((j, d) for (n, j), d in params.draw_at.items() if n == name)
    return (
        np.array([j for j, _ in hits], dtype=np.int64),
        np.array([d for _, d in hits], dtype=np.int64),
    )


def vary(params, state, name: str, base: np.ndarray) -> np.ndarray:
    """``base`` (a Params array) for every run, (B, *base.shape), with each run's draws laid
    over the elements drawn; ``base`` itself (unbatched) when nothing is drawn for it."""
    flat, cols = params.kept("drawn_" + name, lambda p: drawn_elements(p, name))
    if not flat.size:
        return base
    base = np.asarray(base, dtype=np.float64)
    b = state.drawn.shape[0]
    if flat.size == base.size:  # every element drawn: the draws' columns, in order
        out = np.take(state.drawn, cols, axis=1)
    else:
        out = np.empty((b, base.size), dtype=np.float64)
        out[:] = base.reshape(-1)
        out[:, flat] = np.take(state.drawn, cols, axis=1)
    return out.reshape((b, *base.shape))


def per_run(params, state, name: str, base: np.ndarray) -> np.ndarray:
    """(B, *base.shape): ``base`` for every run, with each run's draws laid over it (e.g. the
    credibility each commitment of a game started at)."""
    out = vary(params, state, name, base)
    if out is base:
        return np.broadcast_to(base, (state.drawn.shape[0], *np.shape(base)))
    return out


# Params fields of the opening and the State arrays they start.
_OPENING = {"attr0": "attr", "tension0": "tension", "baseline": "baseline", "cred0": "cred"}


def start(params, state, opening: bool = True) -> None:
    """Draw each run's uncertain numbers by its key; with ``opening``, lay those that set
    where the scenario opens (attributes, tensions, baselines, credibility) into the state."""
    state.drawn = sample(params.draws, state.keys)
    if not opening:
        return
    laid: dict[str, tuple[list, list]] = {}
    for (name, j), d in params.draw_at.items():
        field = _OPENING.get(name)
        if field is not None:
            js, ds = laid.setdefault(field, ([], []))
            js.append(j)
            ds.append(d)
    for field, (js, ds) in laid.items():  # each element is drawn once: one write per field
        arr = getattr(state, field)
        flat = arr.reshape(arr.shape[0], -1)  # a view: the state's arrays are contiguous
        flat[:, js] = state.drawn[:, ds]
