"""How precise a batch is, and how many runs a question needs.

Every reported probability (outcomes, thresholds crossed, forecast questions, clauses invoked)
has a 95% Wilson interval; its half-width is the precision. A target is absolute (a half-width
in shares of runs, e.g. 0.005 = half a percentage point) or relative (a fraction of the
estimate, e.g. 10%; probabilities no run reached are left out, having no relative precision).
``convergence`` gives the standard error of each outcome and threshold as the runs accumulate,
the data of the convergence plot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

GROUPS = ("outcomes", "thresholds", "questions", "clauses")


@dataclass(frozen=True)
class Target:
    value: float
    relative: bool

    def describe(self) -> str:
        if self.relative:
            return f"{self.value:.0%} of each estimate (relative)"
        return f"{self.value * 100:g} percentage points (absolute)"


def parse_target(text: str) -> Target:
    """'10%' is relative (half-width within 10% of each estimate); '0.005' is absolute (half a
    percentage point)."""
    t = text.strip()
    relative = t.endswith("%")
    try:
        v = float(t[:-1]) / 100 if relative else float(t)
    except ValueError:
        raise ValueError(
            f"--precision takes a share like 0.005 (absolute) or a percentage like 10% "
            f"(relative), got '{text}'"
        ) from None
    if not (math.isfinite(v) and 0 < v < 1):
        raise ValueError(f"--precision must be above 0 and below 1 (or 100%), got '{text}'")
    return Target(v, relative)


def half_widths(summary: dict) -> list[dict]:
    """Every reported probability with the larger half of its 95% interval."""
    out = []
    for group in GROUPS:
        for ident, d in summary.get(group, {}).items():
            lo, hi = d["ci95"]
            out.append(
                {
                    "group": group,
                    "id": ident,
                    "p": d["p"],
                    "count": d["count"],
                    "half": max(d["p"] - lo, hi - d["p"]),
                }
            )
    return out


def _gap(row: dict, target: Target) -> float | None:
    """How far the row is from the target (ratio of half-width to allowed); None: exempt."""
    if target.relative:
        if row["count"] == 0:
            return None
        return row["half"] / (target.value * row["p"])
    return row["half"] / target.value


def check(summary: dict, target: Target) -> dict:
    """Whether every reported probability meets the target, the worst one, and an estimate
    of the runs that would meet it (half-widths shrink as one over the square root of runs)."""
    rows = [(r, _gap(r, target)) for r in half_widths(summary)]
    rows = [(r, g) for r, g in rows if g is not None]
    n = summary["runs"]
    if not rows:
        return {"met": True, "worst": None, "runs_needed": n}
    worst, gap = max(rows, key=lambda rg: rg[1])
    return {
        "target": target.value,
        "kind": "relative" if target.relative else "absolute",
        "met": gap <= 1.0,
        "worst": {**worst, "ratio": round(gap, 4)},
        "runs_needed": int(math.ceil(n * gap * gap)),
    }


FIRST_POINT = 50  # the runs of the convergence plot's first point (fewer say little)


def _next_point(n: int) -> int:
    """The runs of the point after one at ``n``: a tenth more, rounded up (in integers)."""
    return max(n + 1, -(-n * 11 // 10))


class RunningCounts:
    """A batch's sink (``runner.ChunkSink``) that notes, as chunks arrive in run order, the runs
    so far and how many of them ended in each outcome and crossed each threshold: the data of
    the convergence plot when the batch keeps no rows. A point is kept at ``FIRST_POINT`` runs
    and then each time the runs grow by a tenth, inside a chunk as well as at its end, so a
    batch of any size and any chunking keeps a few dozen to a few hundred."""

    wants_csv = False

    def __init__(self, params):
        self.n_o = len(params.outcomes)
        self.counts = np.zeros(self.n_o + len(params.thresholds), dtype=np.int64)
        self.n = 0
        self.kept: list[tuple[int, list[int]]] = []

    def add(self, part: dict) -> None:
        """Count the runs of a chunk's rows ``part``, the runs following those counted."""
        self.add_rows(part["outcome"], part["first_cross"] >= 0)

    def add_rows(self, outcome: np.ndarray, crossed: np.ndarray) -> None:
        """Count runs following those counted: each one's outcome index, (m,), and whether it
        crossed each threshold, (m, thresholds)."""
        m = int(outcome.shape[0])
        if m == 0:
            return
        hit = np.column_stack([outcome == i for i in range(self.n_o)] + [crossed])
        so_far = np.cumsum(hit, axis=0, dtype=np.int64)  # (m, outcomes + thresholds)
        want = _next_point(self.kept[-1][0]) if self.kept else FIRST_POINT
        while want <= self.n + m:
            self.kept.append((want, (self.counts + so_far[want - self.n - 1]).tolist()))
            want = _next_point(want)
        self.n += m
        self.counts += so_far[-1]

    def close(self, result=None) -> None:
        pass

    def points(self) -> list[tuple[int, list[int]]]:
        """(runs so far, counts: outcomes then thresholds crossed), the last one included."""
        if self.n and (not self.kept or self.kept[-1][0] != self.n):
            return [*self.kept, (self.n, self.counts.tolist())]
        return list(self.kept)


def convergence(r, points: int = 40) -> dict:
    """Standard error of each outcome and threshold share after the first n runs, for n on a
    log-spaced grid (from the rows when the batch kept them, else at the chunk ends noted by
    ``RunningCounts``): {"runs": [...], "series": {id: {"name", "p", "se"}}}."""
    from game.engine.outcome import threshold_label

    n = r.n
    if n < 2:
        return {"runs": [], "series": {}}
    p = r.params
    names = [(f"outcome:{o.id}", o.name) for o in p.outcomes]
    names += [(f"crossed:{h}", "crossed: " + threshold_label(h).lower()) for h in p.thresholds]
    if r.runs.size >= n:
        grid = np.unique(np.geomspace(min(50, n), n, points).astype(np.int64))
        x = np.column_stack([r.outcome == i for i in range(len(p.outcomes))] + [r.first_cross >= 0])
        counts = np.cumsum(x, axis=0)[grid - 1]
    else:
        kept = r.extra.get("running") or []
        grid = np.array([k for k, _ in kept], dtype=np.int64)
        counts = np.array([c for _, c in kept], dtype=np.int64).reshape(len(kept), len(names))
        if grid.size == 0:
            return {"runs": [], "series": {}}
    series = {}
    for col, (key, name) in enumerate(names):
        c = counts[:, col]
        ps = c / grid
        se = np.sqrt(ps * (1 - ps) / grid)
        series[key] = {"name": name, "p": ps.tolist(), "se": se.tolist()}
    return {"runs": grid.tolist(), "series": series}
