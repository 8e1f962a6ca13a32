"""Experiment designs: many scenario keys varied at once (a full grid or a Latin hypercube),
every point run with the same seed and runs as the baseline (common random numbers).

What comes out: the experiments table (one row per point with its values), each point's
outcome and threshold probabilities joined to it, each point's paired difference against the
baseline (the scenario as written) with Newcombe's interval, and a sensitivity ranking: a
linear fit of every measure on the varied values scaled to 0-1, so each key's coefficient is
the change in the measure from its LO to its HI with the others held; the tornado plot draws
those changes.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from dataclasses import dataclass

import numpy as np

from game.engine.outcome import threshold_label

from .stats import (
    HOLM,
    NEWCOMBE_PAIRED,
    WILSON,
    holm,
    mcnemar_p,
    paired_counts,
    paired_difference_counts,
    wilson,
)

DESIGNS = ("grid", "lhs")
MAX_POINTS = 400


class ExploreError(ValueError):
    """A design that cannot be built (bad --vary, too many points)."""


@dataclass(frozen=True)
class Vary:
    key: str
    lo: float
    hi: float
    integer: bool = False

    @property
    def short(self) -> str:
        parts = self.key.split(".")
        return ".".join(parts[-2:]) if len(parts) > 1 else self.key


def parse_vary(text: str) -> Vary:
    """``KEY=LO:HI`` (numbers; both whole numbers makes the key vary over whole numbers)."""
    key, sep, rng = text.partition("=")
    key = key.strip()
    lo_s, colon, hi_s = rng.partition(":")
    if not sep or not key or not colon:
        raise ExploreError(
            f"expected KEY=LO:HI, e.g. actors.PRK.doctrine.aggression=0.5:2, got '{text}'"
        )
    try:
        lo, hi = float(lo_s), float(hi_s)
    except ValueError:
        raise ExploreError(f"{key}: LO and HI must be numbers, got '{rng}'") from None
    if not (math.isfinite(lo) and math.isfinite(hi)) or not lo < hi:
        raise ExploreError(f"{key}: LO must be a number below HI, got '{rng}'")
    integer = _is_int(lo_s) and _is_int(hi_s)
    return Vary(key, lo, hi, integer)


def _is_int(s: str) -> bool:
    try:
        int(s.strip())
    except ValueError:
        return False
    return True


def design(varies: list[Vary], kind: str, points: int, seed: int = 0) -> np.ndarray:
    """(P, K) values of every point. ``grid``: ``points`` evenly spaced values per key, every
    combination; ``lhs``: ``points`` points of a Latin hypercube (scipy.stats.qmc) drawn with
    ``seed``."""
    k = len(varies)
    if k == 0:
        raise ExploreError("give at least one --vary KEY=LO:HI")
    if len({v.key for v in varies}) < k:
        raise ExploreError("a key is varied twice")
    if kind not in DESIGNS:
        raise ExploreError(f"--design must be one of {', '.join(DESIGNS)}, got '{kind}'")
    if kind == "grid":
        if not 2 <= points <= MAX_POINTS:
            raise ExploreError(f"--points for a grid must be between 2 and {MAX_POINTS}")
        if points**k > MAX_POINTS:
            raise ExploreError(
                f"a grid of {points} values for {k} keys has {points**k} points "
                f"(at most {MAX_POINTS}); use --design lhs"
            )
        unit = np.array(list(itertools.product(np.linspace(0, 1, points), repeat=k)))
    else:
        if not 2 <= points <= MAX_POINTS:
            raise ExploreError(f"--points must be between 2 and {MAX_POINTS}")
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=k, seed=seed).random(points)
    lo = np.array([v.lo for v in varies])
    hi = np.array([v.hi for v in varies])
    values = lo + unit * (hi - lo)
    for c, v in enumerate(varies):
        values[:, c] = np.round(values[:, c]) if v.integer else np.round(values[:, c], 6)
    return values


def _value(v: Vary, x: float):
    return int(round(x)) if v.integer else float(x)


def load_design(path, varies: list[Vary], values: np.ndarray, sets: dict | None = None) -> list:
    """The scenario at the baseline and at every point, each validated like the file (a bad
    value raises ScenarioError naming the key) before anything runs."""
    from game.scenario import load_scenario

    base = load_scenario(path, dict(sets or {}))
    out = [base]
    shown = {v.key: f"--vary {v.key}" for v in varies}
    for row in values:
        over = {**(sets or {}), **{v.key: _value(v, x) for v, x in zip(varies, row)}}
        out.append(load_scenario(path, over, shown=shown))
    return out


def measures(r) -> dict[str, np.ndarray]:
    """Per-run indicators of every measure: ``outcome:<id>`` and ``crossed:<threshold>``."""
    p = r.params
    out = {f"outcome:{o.id}": r.outcome == i for i, o in enumerate(p.outcomes)}
    for h, name in enumerate(p.thresholds):
        out[f"crossed:{name}"] = r.first_cross[:, h] >= 0
    return out


def measure_names(params) -> dict[str, str]:
    out = {f"outcome:{o.id}": o.name for o in params.outcomes}
    out.update(
        {f"crossed:{n}": "crossed: " + threshold_label(n).lower() for n in params.thresholds}
    )
    return out


def point_row(r, base_measures: dict[str, np.ndarray] | None) -> dict:
    """Every measure of one point: share with its Wilson interval and, against the baseline's
    runs, the paired difference with Newcombe's interval."""
    n = r.n
    row = {}
    for mid, x in measures(r).items():
        k = int(x.sum())
        lo, hi = wilson(k, n)
        d = {"count": k, "p": k / n if n else 0.0, "ci95": [float(lo), float(hi)]}
        if base_measures is not None and mid in base_measures:
            both, a_only, b_only, neither = paired_counts(x, base_measures[mid][:n])
            diff, dlo, dhi = paired_difference_counts(both, a_only, b_only, neither)
            d["diff"] = diff
            d["diff_ci95"] = [dlo, dhi]
            d["p_value"] = mcnemar_p(a_only, b_only)
        row[mid] = d
    return row


def sensitivity(varies: list[Vary], values: np.ndarray, rows: list[dict]) -> dict:
    """For every measure, each key's linear effect from LO to HI (least squares on the points
    with the values scaled to 0-1), its 95% interval when the fit has residual degrees of
    freedom, and the keys ranked by the size of the effect."""
    from scipy import stats

    lo = np.array([v.lo for v in varies])
    hi = np.array([v.hi for v in varies])
    unit = (values - lo) / (hi - lo)
    x = np.column_stack([np.ones(len(unit)), unit])
    dof = x.shape[0] - x.shape[1]
    out = {}
    for mid in rows[0]:
        y = np.array([r[mid]["p"] for r in rows])
        coef, *_ = np.linalg.lstsq(x, y, rcond=None)
        resid = y - x @ coef
        if dof > 0:
            s2 = float(resid @ resid) / dof
            cov = s2 * np.linalg.pinv(x.T @ x)
            se = np.sqrt(np.clip(np.diag(cov), 0, None))
            t = float(stats.t.ppf(0.975, dof))
        else:
            se, t = np.full(x.shape[1], np.nan), float("nan")
        sd_y = float(y.std())
        centre = float(coef[0] + coef[1:].sum() * 0.5)
        effects = {}
        for c, v in enumerate(varies):
            e = float(coef[c + 1])
            src = e * float(unit[:, c].std()) / sd_y if sd_y > 0 else 0.0
            half = t * float(se[c + 1])
            effects[v.key] = {
                "effect": e,
                "ci95": [e - half, e + half] if math.isfinite(half) else None,
                "src": src,
                "low": centre - 0.5 * e,
                "high": centre + 0.5 * e,
            }
        ranking = sorted(effects, key=lambda k: -abs(effects[k]["effect"]))
        out[mid] = {
            "mean": float(y.mean()),
            "centre": centre,
            "r2": 1 - float(resid @ resid) / float(((y - y.mean()) ** 2).sum())
            if sd_y > 0
            else None,
            "effects": effects,
            "ranking": ranking,
        }
    return out


def overall_ranking(sens: dict, shown: list[str]) -> list[dict]:
    """Keys ranked by their largest absolute effect over the measures ``shown``."""
    keys = list(next(iter(sens.values()))["effects"]) if sens else []
    rows = []
    for k in keys:
        best = max(shown, key=lambda m: abs(sens[m]["effects"][k]["effect"]))
        rows.append({"key": k, "measure": best, "effect": sens[best]["effects"][k]["effect"]})
    return sorted(rows, key=lambda r: -abs(r["effect"]))


# The measures an experiment compares and ranks (``shown_measures``), in words.
SHOWN = "the outcomes that occur and the thresholds from armed clash up"


def exact_fit(n_points: int, n_keys: int) -> str | None:
    """What to say when the points leave the linear fit no residual (fewer than keys + 2): its
    effects pass through every point, with no interval, and may exceed what a share can do."""
    if n_points >= n_keys + 2:
        return None
    keys = f"{n_keys} key{'s' if n_keys > 1 else ''}"
    return (
        f"{n_points} points are too few to judge a linear fit of {keys} (it needs "
        f"{n_keys + 2}): the fit passes through every point, so its effects have no interval and "
        "can be larger than any share can change; the keys are not ranked. Use --points "
        f"{n_keys + 2} or more to rank them"
    )


def shown_measures(params, rows: list[dict]) -> list[str]:
    """The measures worth a tornado panel, compared and ranked: outcomes that occur at some
    point and the thresholds from armed clash up (``SHOWN``)."""
    armed = params.thresholds["armed_clash"]
    out = [m for m in rows[0] if m.startswith("outcome:") and any(r[m]["count"] for r in rows)]
    out += [
        f"crossed:{n}"
        for n, lvl in params.thresholds.items()
        if lvl >= armed and any(r[f"crossed:{n}"]["count"] for r in rows)
    ]
    return out


def explore_doc(params, varies, kind, values, base_row, rows, seed, runs, turns, seconds) -> dict:
    """The content of explore.json, from the baseline's and each point's measures."""
    sens = sensitivity(varies, values[: len(rows)], rows) if len(rows) > len(varies) else {}
    shown = shown_measures(params, [base_row, *rows])
    exact = exact_fit(len(rows), len(varies)) if sens else None
    # Marks: exact McNemar tests of every point against the baseline on the measures shown,
    # Holm-adjusted over that family.
    tested = [r[m] for r in rows for m in shown]
    for d, sig in zip(tested, holm([d["p_value"] for d in tested])):
        d["significant"] = bool(sig)
    return {
        "scenario": params.scenario_id,
        "scenario_name": params.scenario_name,
        "design": kind,
        "keys": [{"key": v.key, "lo": v.lo, "hi": v.hi, "integer": v.integer} for v in varies],
        "runs": runs,
        "seed": seed,
        "turns": turns,
        "interval_method": WILSON,
        "difference_method": NEWCOMBE_PAIRED + ", against the baseline's runs",
        "test_method": f"exact McNemar tests against the baseline, {HOLM}, over the points and "
        f"{SHOWN}",
        "sensitivity_method": "least squares of each measure on the values scaled to 0-1: the "
        "effect is the change from LO to HI with the other keys held; 95% t interval",
        "measure_names": measure_names(params),
        "shown": shown,
        "baseline": base_row,
        "points": [
            {
                "point": i + 1,
                "values": {v.key: _value(v, x) for v, x in zip(varies, values[i])},
                "measures": row,
            }
            for i, row in enumerate(rows)
        ],
        "sensitivity": sens,
        # Keys are ranked only by a fit with something to judge it by (exact_fit).
        "ranking": overall_ranking(sens, shown) if sens and shown and not exact else [],
        "fit_note": exact,
        "time_seconds": round(seconds, 3),
    }


def experiments_csv(doc: dict) -> str:
    """One row per point with its values (point 0: the baseline, the scenario as written),
    joined to the share of runs of every measure (columns ``p:<measure>``)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    keys = [k["key"] for k in doc["keys"]]
    ms = list(doc["baseline"])
    w.writerow(["point", *keys, *(f"p:{m}" for m in ms)])
    w.writerow([0, *([""] * len(keys)), *(doc["baseline"][m]["p"] for m in ms)])
    for pt in doc["points"]:
        w.writerow(
            [pt["point"], *(pt["values"][k] for k in keys), *(pt["measures"][m]["p"] for m in ms)]
        )
    return buf.getvalue()


def results_csv(doc: dict) -> str:
    """The experiments joined to the outcomes: one row per point and measure with the share,
    its interval, and the paired difference against the baseline with its interval."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    keys = [k["key"] for k in doc["keys"]]
    w.writerow(
        ["point", *keys, "measure", "name", "count", "p", "ci95_lo", "ci95_hi"]
        + ["diff", "diff_ci95_lo", "diff_ci95_hi"]
    )
    names = doc["measure_names"]
    for pt in [{"point": 0, "values": {}, "measures": doc["baseline"]}, *doc["points"]]:
        for mid, d in pt["measures"].items():
            dl, dh = d.get("diff_ci95", ["", ""])
            w.writerow(
                [pt["point"], *(pt["values"].get(k, "") for k in keys), mid, names[mid]]
                + [d["count"], d["p"], *d["ci95"], d.get("diff", ""), dl, dh]
            )
    return buf.getvalue()


def sensitivity_csv(doc: dict) -> str:
    """One row per measure and key: effect LO to HI, its interval, the standardised
    coefficient and the key's rank for that measure."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["measure", "name", "key", "rank", "effect", "ci95_lo", "ci95_hi", "src"])
    for mid, s in doc["sensitivity"].items():
        for rank, key in enumerate(s["ranking"], 1):
            e = s["effects"][key]
            lo, hi = e["ci95"] or ["", ""]
            w.writerow([mid, doc["measure_names"][mid], key, rank, e["effect"], lo, hi, e["src"]])
    return buf.getvalue()


def plot_tornado(doc: dict) -> bytes:
    """One panel per measure shown: for each key, the fitted measure with that key at LO and
    at HI (the others mid-range), keys sorted by the size of the effect; whiskers: the
    effect's 95% interval around the high end."""
    from .report import _plt, _titled_png

    plt = _plt()
    from matplotlib.ticker import MaxNLocator

    sens = doc["sensitivity"]
    shown = [m for m in doc["shown"] if m in sens]
    # The measures the keys move most first, at most six panels.
    shown = sorted(shown, key=lambda m: -max(abs(e["effect"]) for e in sens[m]["effects"].values()))
    shown = shown[:6]
    ncols = min(3, max(len(shown), 1))
    nrows = max(-(-len(shown) // ncols), 1)
    k = len(doc["keys"])
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(4.3 * ncols, (0.45 * k + 1.3) * nrows + 0.8), squeeze=False
    )
    for ax, mid in zip(axes.flat, shown):
        s = doc["sensitivity"][mid]
        keys = s["ranking"][::-1]
        ys = np.arange(len(keys))
        mean = s["centre"] * 100
        for y, key in zip(ys, keys):
            e = s["effects"][key]
            # A straight line's ends may leave 0-100%, where no share goes: drawn at the edge.
            lo_v, hi_v = (min(max(v * 100, 0.0), 100.0) for v in (e["low"], e["high"]))
            ax.barh(y, hi_v - mean, left=mean, color="#c0392b", alpha=0.85)
            ax.barh(y, lo_v - mean, left=mean, color="#2e86c1", alpha=0.85)
            if e["ci95"]:
                half = (e["ci95"][1] - e["effect"]) * 100
                ax.errorbar(hi_v, y, xerr=half, fmt="none", ecolor="#555", capsize=2, lw=0.8)
        ax.axvline(mean, color="#333", lw=0.8)
        short = {kk["key"]: kk["key"].split(".", 1)[-1] for kk in doc["keys"]}
        ax.set_yticks(ys, [short[kk] for kk in keys], fontsize=7)
        ax.set_xlabel("share of runs, %", fontsize=8)
        ax.set_title(doc["measure_names"][mid], loc="left", fontsize=9)
        ax.tick_params(labelsize=7)
        ax.xaxis.set_major_locator(MaxNLocator(5))
    for ax in list(axes.flat)[len(shown) :]:
        ax.set_visible(False)
    from matplotlib.patches import Patch

    fig.legend(
        handles=[
            Patch(color="#2e86c1", label="key at LO"),
            Patch(color="#c0392b", label="key at HI"),
        ],
        fontsize=8,
        frameon=False,
        loc="upper right",
    )
    ranges = "; ".join(f"{kk['key']} {kk['lo']:g} to {kk['hi']:g}" for kk in doc["keys"])
    some_ci = any(e["ci95"] for m in shown for e in sens[m]["effects"].values())
    whiskers = (
        "whiskers: 95% interval of the effect, drawn at the HI end"
        if some_ci
        else f"no whiskers: {len(doc['points'])} points leave no spread for an interval of "
        f"{k} effects (it needs at least {k + 2})"
    )
    return _titled_png(
        fig,
        f"{doc['scenario_name']}: sensitivity, {len(doc['points'])}-point {doc['design']} "
        f"design, {doc['runs']:,} runs per point (the same runs at every point)\n"
        f"{textwrap_fill(ranges)}\nbars: linear fit with each key at LO or HI, the others "
        f"mid-range, within 0-100%; {whiskers}",
        9,
    )


def textwrap_fill(text: str) -> str:
    import textwrap

    return textwrap.fill(text, 140)


def explore(
    path,
    varies: list[Vary],
    kind: str = "lhs",
    points: int = 8,
    *,
    runs: int = 2_000,
    seed: int = 0,
    workers=None,
    turns=None,
    sets=None,
    run=None,
) -> dict:
    """Python API: build the design, run the baseline and every point with the same seed and
    runs, and return the document (the content of explore.json). ``run(scenario, label)``
    replaces the plain ``simulate`` call (the CLI passes one with a progress bar)."""
    from .runner import simulate

    values = design(varies, kind, points, seed)
    scenarios = load_design(path, varies, values, sets)
    if run is None:

        def run(sc, label):
            return simulate(sc, runs=runs, seed=seed, workers=workers, turns=turns)

    base = run(scenarios[0], "baseline")
    if base.interrupted:
        raise KeyboardInterrupt
    base_m = measures(base)
    rows, seconds = [], base.seconds
    for i, sc in enumerate(scenarios[1:], 1):
        r = run(sc, f"point {i}/{len(values)}")
        if r.interrupted:
            break
        rows.append(point_row(r, base_m))  # each point reduced at once; its runs dropped
        seconds += r.seconds
    doc = explore_doc(
        base.params,
        varies,
        kind,
        values,
        point_row(base, None),
        rows,
        seed,
        base.n,
        base.turns,
        seconds,
    )
    doc["interrupted"] = len(rows) < len(values)
    return doc
