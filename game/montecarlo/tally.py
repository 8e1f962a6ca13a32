"""Mergeable batch totals: everything summary.json and the plots need, without the rows.

A ``Tally`` takes one chunk's rows at a time (``add``) and two tallies of the same scenario add
up (``merge``), so a batch of any size holds only its totals, and batches run on different
machines over different runs combine into the one batch of all their runs. Every total is an
integer (credibility is summed on a grid of 2^-32), so the result does not depend on how the
runs were cut into chunks, nor on the order in which chunks arrive.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from game.engine import Params
from game.sim import questions

from .stats import Z95

GRID = 2**32  # credibility is summed in units of 2^-32: exact integer sums in any order


def _spans_union(spans: list[list[int]]) -> list[list[int]]:
    """Sorted [start, stop) ranges with touching ones joined."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


@dataclass
class Tally:
    """Totals over the runs added so far (see the module's description)."""

    turns: int
    n_outcomes: int
    n_thresholds: int
    n_clauses: int
    n_commit: int
    n_red_lines: int
    n_actors: int
    n_moves: int
    n: int = 0
    n_questions: int = 0
    done: list = field(default_factory=list)  # [start, stop) ranges of runs added
    arrays: dict = field(default_factory=dict)

    @classmethod
    def empty(cls, params: Params, turns: int) -> Tally:
        t = cls(
            turns=turns,
            n_outcomes=len(params.outcomes),
            n_thresholds=len(params.thresholds),
            n_clauses=len(params.clause_keys),
            n_commit=params.commit.n,
            n_red_lines=len(params.commit.red_line_ids),
            n_actors=params.n_actors,
            n_moves=len(params.action_ids) + 1,
            n_questions=len(questions(params)),
        )
        h, q, c, a = t.n_thresholds, t.n_clauses, t.n_commit, t.n_actors
        shapes = {
            "outcome": (t.n_outcomes,),
            "clause_any": (q,),
            "clause_sum": (q,),
            "first_hist": (h, turns),  # runs whose first crossing of threshold h is month t
            "question_hist": (t.n_questions, turns),  # runs whose question q resolved in month t
            "at_or_above": (turns, h),
            "clause_turn": (turns, q),
            "actions": (a, t.n_moves),
            "cred_sum": (c,),
            "weighed": (c,),
            "honoured": (c,),
            "declined": (c,),
            "answered": (t.n_red_lines,),
            "hostile_sum": (a, a),
            "hostile_sq": (a, a),
            "reached": (h, 2),  # runs crossing threshold h in Northeast Asia / off the map
            "event_any": (len(params.events),),  # runs in which event e fired (dilemmas' options)
        }
        t.arrays = {k: np.zeros(s, dtype=np.int64) for k, s in shapes.items()}
        t.arrays["cred_sq"] = [0] * c  # Python integers: squares on the grid overflow int64
        return t

    def __getitem__(self, key: str):
        return self.arrays[key]

    def add(self, part: dict) -> None:
        """Add one chunk (the dict ``run_chunk`` returns)."""
        a = self.arrays
        runs = part["runs"]
        if runs.size == 0:
            return
        self.n += int(runs.size)
        self.done = _spans_union(self.done + [[int(runs[0]), int(runs[-1]) + 1]])
        a["outcome"] += np.bincount(part["outcome"], minlength=self.n_outcomes)
        cc = part["clause_count"]
        a["clause_any"] += (cc > 0).sum(axis=0)
        a["clause_sum"] += cc.sum(axis=0, dtype=np.int64)
        fc = part["first_cross"]
        for h in range(self.n_thresholds):
            col = fc[:, h]
            a["first_hist"][h] += np.bincount(col[col >= 0], minlength=self.turns)[: self.turns]
        qm = part.get("question_month")
        for q in range(self.n_questions if qm is not None else 0):
            col = qm[:, q]
            col = col[(col >= 0) & (col < self.turns)]
            a["question_hist"][q] += np.bincount(col, minlength=self.turns)[: self.turns]
        a["at_or_above"] += part["at_or_above"]
        a["clause_turn"] += part["clause_turn"]
        a["actions"] += part["actions"]
        grid = np.rint(part["cred"].astype(np.float64) * GRID).astype(np.int64)
        a["cred_sum"] += grid.sum(axis=0)
        sq = np.rint(part["cred"].astype(np.float64) ** 2 * GRID).astype(np.int64)
        for j in range(self.n_commit):
            a["cred_sq"][j] += int(sq[:, j].sum())
        hon, dec = part["honoured"], part["declined"]
        a["weighed"] += ((hon.astype(np.int64) + dec) > 0).sum(axis=0)
        a["honoured"] += (hon > 0).sum(axis=0)
        a["declined"] += (dec > 0).sum(axis=0)
        a["answered"] += (part["red_line_count"] > 0).sum(axis=0)
        a["event_any"] += (part["event_count"] > 0).sum(axis=0)
        if part.get("reached") is not None:
            a["reached"] += part["reached"].sum(axis=0, dtype=np.int64)
        hm = part["hostile"].astype(np.int64)
        a["hostile_sum"] += hm.sum(axis=0)
        a["hostile_sq"] += (hm * hm).sum(axis=0)

    def merge(self, other: Tally) -> Tally:
        """The tally of both sets of runs; they must not overlap."""
        for s, e in other.done:
            for s2, e2 in self.done:
                if s < e2 and s2 < e:
                    raise ValueError(f"runs {max(s, s2)}-{min(e, e2) - 1} are in both batches")
        out = Tally(**{k: v for k, v in vars(self).items() if k not in ("arrays", "done", "n")})
        out.n = self.n + other.n
        out.done = _spans_union(self.done + other.done)
        if set(self.arrays) != set(other.arrays):
            raise ValueError("the two tallies were made by different versions of pact")
        out.arrays = {}
        for k, v in self.arrays.items():
            w = other.arrays[k]
            out.arrays[k] = [x + y for x, y in zip(v, w)] if isinstance(v, list) else v + w
        return out

    def to_json(self) -> dict:
        """A JSON form (integers only) from which ``from_json`` rebuilds the tally."""
        d = {k: v for k, v in vars(self).items() if k != "arrays"}
        d["arrays"] = {
            k: (v if isinstance(v, list) else v.tolist()) for k, v in self.arrays.items()
        }
        return d

    @classmethod
    def from_json(cls, d: dict) -> Tally:
        t = cls(**{k: v for k, v in d.items() if k != "arrays"})
        t.arrays = {
            k: (list(map(int, v)) if k == "cred_sq" else np.asarray(v, dtype=np.int64))
            for k, v in d["arrays"].items()
        }
        return t

    # --- Derived figures ---------------------------------------------------------------------

    def missing(self, start: int, stop: int) -> list[list[int]]:
        """[start, stop) ranges of runs in ``start`` to ``stop - 1`` that were not added."""
        out, at = [], start
        for s, e in self.done:
            if s > at:
                out.append([at, min(s, stop)])
            at = max(at, e)
        if at < stop:
            out.append([at, stop])
        return [r for r in out if r[0] < r[1]]

    def median_first(self, h: int) -> float | None:
        """Median month of the first crossing of threshold ``h`` among runs that crossed it."""
        hist = self.arrays["first_hist"][h]
        m = int(hist.sum())
        if m == 0:
            return None
        cum = np.cumsum(hist)
        lo = int(np.searchsorted(cum, (m - 1) // 2 + 1))
        hi = int(np.searchsorted(cum, m // 2 + 1))
        return (lo + hi) / 2

    def questions_by(self, q: int) -> np.ndarray:
        """Runs in which question ``q`` resolved yes by each month."""
        return np.cumsum(self.arrays["question_hist"][q])

    def ever_crossed(self, h: int) -> np.ndarray:
        """Runs that crossed threshold ``h`` by each month."""
        return np.cumsum(self.arrays["first_hist"][h])

    def cred_interval(self, j: int) -> tuple[float, float, float]:
        """Mean credibility at the end of commitment ``j`` with its normal 95% interval."""
        s = Fraction(int(self.arrays["cred_sum"][j]), GRID)
        ss = Fraction(int(self.arrays["cred_sq"][j]), GRID)
        return sums_interval(self.n, s, ss)

    def hostile_interval(self, a: int, t: int) -> tuple[float, float, float]:
        """Mean hostile moves per run of ``a`` against ``t`` with its normal 95% interval."""
        return sums_interval(
            self.n, int(self.arrays["hostile_sum"][a, t]), int(self.arrays["hostile_sq"][a, t])
        )


def sums_interval(n: int, s, ss, z: float = Z95) -> tuple[float, float, float]:
    """(mean, lo, hi) of a per-run quantity from its exact sum and sum of squares."""
    if n == 0:
        return 0.0, 0.0, 0.0
    mean = Fraction(s) / n
    if n == 1:
        return float(mean), float(mean), float(mean)
    var = max(Fraction(0), (Fraction(ss) - Fraction(s) * s / n) / (n - 1))
    half = z * math.sqrt(float(var)) / math.sqrt(n)
    m = float(mean)
    return m, m - half, m + half
