"""Parameter sweeps: one batch per value of a scenario key, every batch with the same seed.

Every point runs the same run indices with the same seed (common random numbers), so the
curves move with the parameter and not with sampling noise from point to point; each point's
numbers are exactly those of ``pact batch --set KEY=VALUE`` with that seed.
"""

from __future__ import annotations

import csv
import io
import math
from typing import Any

import numpy as np

from game.engine.outcome import threshold_label

from .runner import BatchResult
from .stats import WILSON


class SweepValuesError(ValueError):
    """The values of a sweep cannot be read."""


def parse_values(text: str) -> list[Any]:
    """The values of ``KEY=VALUES``: a comma list (``0.2,0.5,0.8``; TOML values, so strings,
    booleans and numbers) or an inclusive range ``LO:HI:N`` of N evenly spaced numbers."""
    from game.scenario.load import parse_value

    text = text.strip()
    if not text:
        raise SweepValuesError("no values: give a list like 0.2,0.5,0.8 or a range like 0:1:5")
    parts = text.split(":")
    if len(parts) == 3 and all(_is_number(p) for p in parts[:2]):
        lo, hi = float(parts[0]), float(parts[1])
        try:
            n = int(parts[2])
        except ValueError:
            raise SweepValuesError(f"range {text}: N must be a whole number") from None
        if not 2 <= n <= 200:
            raise SweepValuesError(f"range {text}: N must be between 2 and 200")
        if not (math.isfinite(lo) and math.isfinite(hi)) or lo == hi:
            raise SweepValuesError(f"range {text}: LO and HI must be two different numbers")
        out = [round(float(v), 10) for v in np.linspace(lo, hi, n)]
        if all(_is_number(p, int) for p in parts[:2]) and all(v == int(v) for v in out):
            return [int(v) for v in out]
        return out
    if len(parts) == 2 and all(_is_number(p) for p in parts):
        raise SweepValuesError(
            f"range {text}: give the number of values too, LO:HI:N (e.g. {text}:5)"
        )
    values = [parse_value(v.strip()) for v in text.split(",")]
    if any(isinstance(v, str) and not v for v in values):
        raise SweepValuesError(f"empty value in '{text}'")
    if len(values) > 200:
        raise SweepValuesError("at most 200 values")
    return values


def _is_number(s: str, kind: type = float) -> bool:
    """Whether the text reads as a number of this kind (float or int)."""
    try:
        kind(s)
    except ValueError:
        return False
    return True


def load_points(path, key: str, values: list, sets: dict | None = None) -> list:
    """The scenario at every value of the key, each validated like the file (a bad value
    raises ScenarioError naming the key) before anything runs."""
    from game.scenario import load_scenario

    return [
        load_scenario(path, {**(sets or {}), key: v}, shown={key: f"{key}={_shown(v)}"})
        for v in values
    ]


def _shown(value) -> str:
    """A swept value as the user wrote it on the command line."""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def sweep(
    path, key: str, values: list, *, runs=10_000, seed=0, workers=None, turns=None, sets=None
) -> dict:
    """Python API: run the sweep and return its document (the content of sweep.json)."""
    from .runner import simulate

    results = [
        simulate(sc, runs=runs, seed=seed, workers=workers, turns=turns)
        for sc in load_points(path, key, values, sets)
    ]
    return sweep_doc(key, values, results)


def sweep_doc(key: str, values: list, results: list[BatchResult]) -> dict:
    """The content of sweep.json: the key, the values and each completed point's batch
    summary (outcomes, thresholds and clauses with their intervals), timing apart."""
    summaries = [r.summary() for r in results]
    first = summaries[0]
    points = []
    for v, s in zip(values, summaries):
        points.append(
            {
                "value": v,
                "runs": s["runs"],
                "outcomes": s["outcomes"],
                "thresholds": s["thresholds"],
                "clauses": s["clauses"],
            }
        )
    seconds = sum(r.seconds for r in results)
    return {
        "scenario": first["scenario"],
        "scenario_name": first["scenario_name"],
        "key": key,
        "values": values[: len(points)],
        "runs": first["runs"],
        "seed": first["seed"],
        "turns": first["turns"],
        "interval_method": WILSON,
        "points": points,
        "time_seconds": round(seconds, 3),
    }


def sweep_csv(doc: dict) -> str:
    """Tidy rows, one per (value, measure): value, kind, id, name, count, p, ci95_lo, ci95_hi."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["value", "kind", "id", "name", "count", "p", "ci95_lo", "ci95_hi"])
    for pt in doc["points"]:
        for kind, table in (
            ("outcome", pt["outcomes"]),
            ("threshold", pt["thresholds"]),
            ("clause", pt["clauses"]),
        ):
            for ident, d in table.items():
                name = d.get("name") or d.get("article") or d.get("rung") or ident
                lo, hi = d["ci95"]
                w.writerow([pt["value"], kind, ident, name, d["count"], d["p"], lo, hi])
    return buf.getvalue()


def _numeric(values: list) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def plot_sweep(doc: dict, thresholds: tuple[str, ...] = ()) -> bytes:
    """Small multiples against the swept value: one panel per outcome that occurs and per
    threshold of ``thresholds`` (those from armed clash up, crossed or not), each on its own
    scale (rare events stay readable), with the 95% interval as a band."""
    from .report import _plt, _titled_png

    plt = _plt()
    from matplotlib.ticker import PercentFormatter

    pts = doc["points"]
    values = [pt["value"] for pt in pts]
    xs = np.array(values, dtype=float) if _numeric(values) else np.arange(len(values))
    panels = [
        ("outcomes", oid, pts[0]["outcomes"][oid]["name"], "#2e6f9e")
        for oid in pts[0]["outcomes"]
        if any(pt["outcomes"][oid]["p"] for pt in pts)
    ]
    panels += [
        ("thresholds", name, "crossed: " + threshold_label(name).lower(), "#b03a2e")
        for name in (thresholds or tuple(pts[0]["thresholds"]))
    ]
    ncols = min(4, len(panels))
    nrows = -(-len(panels) // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(3.2 * ncols, 2.5 * nrows + 0.9), sharex=True, squeeze=False
    )
    for ax, (table, ident, title, colour) in zip(axes.flat, panels):
        p = np.array([pt[table][ident]["p"] for pt in pts])
        lo = np.array([pt[table][ident]["ci95"][0] for pt in pts])
        hi = np.array([pt[table][ident]["ci95"][1] for pt in pts])
        ax.fill_between(xs, lo, hi, color=colour, alpha=0.22, lw=0)
        ax.plot(xs, p, marker="o", ms=3, color=colour, lw=1.5)
        ax.set_title(title, fontsize=8, loc="left")
        ax.set_ylim(bottom=0, top=max(hi.max() * 1.1, 1e-3))
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.tick_params(labelsize=7)
    for ax in axes.flat[len(panels) :]:
        ax.set_visible(False)
    for c in range(ncols):
        # The lowest panel of each column carries the value axis.
        ax = axes[(len(panels) - 1 - c) // ncols][c]
        ax.xaxis.set_tick_params(labelbottom=True)
        ax.set_xlabel(doc["key"].rsplit(".", 1)[-1], fontsize=8)
        if not _numeric(values):
            ax.set_xticks(xs, [str(v) for v in values], rotation=30)
    return _titled_png(
        fig,
        f"{doc['scenario_name']}: share of runs against {doc['key']}\n"
        f"{doc['runs']:,} runs per value, {doc['turns']} months, seed {doc['seed']} "
        "(the same runs at every value); bands: 95% Wilson intervals",
        9,
    )
