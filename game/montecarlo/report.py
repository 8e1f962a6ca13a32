"""What a batch writes: summary.json, runs.csv and plots, plus the tables printed at the end."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from game.atomic import write_bytes, write_text
from game.engine import Params
from game.engine.commitments import TYPE_NAMES
from game.engine.outcome import CROSSING_RULE, threshold_label

from .stats import NEWCOMBE_PAIRED, WILSON, mean_interval, paired_difference, wilson
from .tally import Tally

DEFAULT_CHUNK = 1024


@dataclass
class BatchResult:
    """The rows and monthly counts of a batch; see ``summary()`` and ``to_csv()``."""

    params: Params
    scenario: str
    seed: int
    turns: int
    requested: int
    runs: np.ndarray
    outcome: np.ndarray
    end_turn: np.ndarray
    first_cross: np.ndarray
    clause_count: np.ndarray
    event_count: np.ndarray
    peak: np.ndarray
    at_or_above: np.ndarray  # (T, H) runs with some pair at or above each threshold
    clause_turn: np.ndarray  # (T, Q) invocations of each clause in each month
    actions: np.ndarray  # (A, K + 1) moves chosen; column 0 = holding
    hostile: np.ndarray  # (B, A, A) int16 hostile moves per run, mover -> target
    tension: np.ndarray  # (B, A(A-1)/2) float32 tension of every pair i < j at the end
    cred: np.ndarray  # (B, N) float32 credibility of each commitment at the end
    honoured: np.ndarray  # (B, N) int16 decisions to honour each commitment
    declined: np.ndarray  # (B, N) int16 decisions to decline it
    red_line_count: np.ndarray  # (B, L) int32 answers given under each red line
    seconds: float = 0.0
    interrupted: bool = False
    workers: int = 1
    chunk: int = DEFAULT_CHUNK
    extra: dict = field(default_factory=dict)
    tally: Tally | None = None  # the batch's totals (every run, kept rows or not)
    first_run: int = 0
    missing: list = field(default_factory=list)  # (start, stop, why) of chunks whose worker died

    def __post_init__(self) -> None:
        if self.tally is None:  # built from rows alone
            self.tally = Tally.empty(self.params, self.turns)
            if self.runs.size:
                self.tally.add(vars(self))

    @property
    def n(self) -> int:
        """Runs completed (also when their rows were not kept)."""
        return self.tally.n

    def summary(self) -> dict:
        return summarize(self)

    def to_csv(self, path) -> None:
        write_runs_csv(self, path)

    def write(self, out_dir, plots: bool = True) -> list:
        return write_all(self, out_dir, plots=plots)


def pairs_that_matter(params: Params) -> list[tuple[int, int]]:
    """Pairs (i < j) in which one side counts the other a rival: the ones reported per run."""
    out = []
    for i in range(params.n_actors):
        for j in range(i + 1, params.n_actors):
            if params.rivals[i, j] or params.rivals[j, i]:
                out.append((i, j))
    return out


def _p_ci(k: int, n: int) -> dict:
    lo, hi = wilson(k, n)
    return {
        "count": int(k),
        "p": (k / n) if n else 0.0,
        "ci95": [round(float(lo), 6), round(float(hi), 6)],
    }


def summarize(r: BatchResult) -> dict:
    """The batch summary (the content of summary.json)."""
    p = r.params
    n = r.n
    tally = r.tally
    outcomes = {}
    for i, o in enumerate(p.outcomes):
        d = _p_ci(int(tally["outcome"][i]), n)
        outcomes[o.id] = {"name": o.name, **d}
    clauses = {}
    for q, key in enumerate(p.clause_keys):
        d = _p_ci(int(tally["clause_any"][q]), n)
        clauses[key] = {
            "article": p.clause_names[q],
            **d,
            "mean_invocations": round(int(tally["clause_sum"][q]) / n, 4) if n else 0.0,
        }
    thresholds = {}
    for h, (name, level) in enumerate(p.thresholds.items()):
        d = _p_ci(int(tally["first_hist"][h].sum()), n)
        med = tally.median_first(h)
        thresholds[name] = {
            "name": threshold_label(name),
            "rung": p.rung_ids[level],
            **d,
            "median_turn": med,
            "median_date": None if med is None else p.date_label(int(round(med))),
        }
    return {
        "scenario": p.scenario_id,
        "scenario_name": p.scenario_name,
        **commitments_summary(r),
        "runs": n,
        "requested_runs": r.requested,
        "seed": r.seed,
        "turns": r.turns,
        "first_run": r.first_run,
        "start": p.date_label(0),
        "interrupted": r.interrupted,
        "missing_runs": r.tally.missing(r.first_run, r.first_run + r.requested),
        "made_by": r.extra.get("provenance", {}),
        "interval_method": WILSON,
        "outcomes": outcomes,
        "clauses": clauses,
        "thresholds": thresholds,
        "time_seconds": round(r.seconds, 3),
        "time_runs_per_second": round(n / r.seconds, 1) if r.seconds > 0 else None,
    }


def _mean_ci(m: float, lo: float, hi: float) -> dict:
    """Mean of a per-run quantity with its normal 95% interval, rounded for the summary."""
    return {"mean": round(m, 6), "ci95": [round(lo, 6), round(hi, 6)]}


def commitments_summary(r: BatchResult) -> dict:
    """Commitments (credibility at the end, decisions), red lines and hostile moves per pair."""
    p = r.params
    com = p.commit
    n = r.n
    tally = r.tally
    out: dict = {"commitments": {}, "red_lines": {}, "hostile_moves": {}}
    for j, key in enumerate(com.keys):
        out["commitments"][key] = {
            "name": com.names[j],
            "type": TYPE_NAMES[com.kind[j]],
            "by": p.actor_ids[com.by[j]],
            "party": p.actor_ids[com.party[j]],
            "credibility_start": round(float(com.cred0[j]), 6),
            "credibility_end": _mean_ci(*tally.cred_interval(j)),
            "weighed": _p_ci(int(tally["weighed"][j]), n),
            "honoured": _p_ci(int(tally["honoured"][j]), n),
            "declined": _p_ci(int(tally["declined"][j]), n),
        }
    for li, rid in enumerate(com.red_line_ids):
        out["red_lines"][rid] = {
            "name": com.red_line_names[li],
            "answered": _p_ci(int(tally["answered"][li]), n),
        }
    ids = p.actor_ids
    for a in range(p.n_actors):
        for t in range(p.n_actors):
            if n and tally["hostile_sum"][a, t]:
                out["hostile_moves"][f"{ids[a]}>{ids[t]}"] = _mean_ci(*tally.hostile_interval(a, t))
    return out


def csv_header(r: BatchResult | Params) -> list[str]:
    p = r.params if isinstance(r, BatchResult) else r
    cols = ["run", "seed", "outcome", "end_turn"]
    cols += [f"peak_{p.actor_ids[i]}_{p.actor_ids[j]}" for i, j in pairs_that_matter(p)]
    cols += [f"first_{name}" for name in p.thresholds]
    cols += [f"clause_{key}" for key in p.clause_keys]
    cols += [f"credibility_{key}" for key in p.commit.keys]
    cols += [f"honoured_{key}" for key in p.commit.keys]
    cols += [f"declined_{key}" for key in p.commit.keys]
    cols += [f"answered_{rid}" for rid in p.commit.red_line_ids]
    return cols


def csv_block(params: Params, seed: int, part) -> str:
    """The runs.csv lines of one chunk's rows (a ``run_chunk`` dict or a ``BatchResult``)."""
    ids = np.array([o.id for o in params.outcomes], dtype=object)
    m = len(part["runs"])
    first = part["first_cross"].astype(object)
    first[first < 0] = ""
    block = np.column_stack(
        [
            part["runs"].astype(object),
            np.full(m, seed, dtype=object),
            ids[part["outcome"]],
            part["end_turn"].astype(object),
            part["peak"].astype(object),
            first,
            part["clause_count"].astype(object),
            np.round(part["cred"].astype(np.float64), 4).astype(object),
            part["honoured"].astype(object),
            part["declined"].astype(object),
            part["red_line_count"].astype(object),
        ]
    )
    buf = io.StringIO()
    csv.writer(buf).writerows(block.tolist())
    return buf.getvalue()


def csv_header_line(r: BatchResult | Params) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerow(csv_header(r))
    return buf.getvalue()


def write_runs_csv(r: BatchResult, path) -> None:
    """One row per run (peaks are rung indices; first_* are turns, empty if never)."""

    def write(f):
        f.write(csv_header_line(r))
        step = 50_000
        for s in range(0, r.runs.size, step):
            rows = {k: getattr(r, k)[s : s + step] for k in CSV_FIELDS}
            f.write(csv_block(r.params, r.seed, rows))

    from game.atomic import write_atomic

    write_atomic(path, write)


CSV_FIELDS = (
    "runs",
    "outcome",
    "end_turn",
    "peak",
    "first_cross",
    "clause_count",
    "cred",
    "honoured",
    "declined",
    "red_line_count",
)


def _fig_bytes(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buf.getvalue()


def _titled_png(fig, title: str, size: int) -> bytes:
    """A figure's PNG with a left-aligned title over all its panels."""
    fig.suptitle(title, x=0.01, ha="left", fontsize=size)
    fig.tight_layout()
    return _fig_bytes(fig)


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False})
    return plt


def plot_outcomes(r: BatchResult, summary: dict) -> bytes:
    plt = _plt()
    items = list(summary["outcomes"].items())
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(items) + 1.4))
    ys = np.arange(len(items))[::-1]
    ps = np.array([d["p"] for _, d in items])
    lo = np.array([d["ci95"][0] for _, d in items])
    hi = np.array([d["ci95"][1] for _, d in items])
    colors = plt.cm.RdYlGn(np.linspace(0.05, 0.95, len(items)))
    ax.barh(ys, ps, color=colors, edgecolor="#333", linewidth=0.5)
    ax.errorbar(ps, ys, xerr=[ps - lo, hi - ps], fmt="none", ecolor="#111", capsize=3, lw=1)
    for y, pv, h in zip(ys, ps, hi):
        ax.text(h + 0.01, y, _pct_label(pv), va="center", fontsize=8)
    ax.set_yticks(ys, [d["name"] for _, d in items])
    ax.set_xlim(0, min(1.0, max(hi.max() * 1.25, 0.05)))
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_title(
        f"{summary['scenario_name']}: outcomes of {summary['runs']:,} runs "
        f"({summary['turns']} months, seed {summary['seed']})\nbars: 95% Wilson intervals",
        loc="left",
    )
    return _fig_bytes(fig)


def _pct_label(v: float) -> str:
    return f"{v:.2%}" if 0 < v < 0.01 else f"{v:.1%}"


def _month_axis(ax, p, turns: int) -> None:
    t = np.arange(turns)
    ticks = t[:: max(1, len(t) // 9)]
    ax.set_xticks(ticks, [p.date_label(int(k)) for k in ticks], rotation=30)


def plot_escalation(r: BatchResult, summary: dict) -> bytes:
    plt = _plt()
    p = r.params
    n = max(r.n, 1)
    t = np.arange(r.turns)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [1, 1]})
    colors = plt.cm.plasma(np.linspace(0.1, 0.85, len(p.thresholds)))
    war = p.thresholds["war"]
    for h, (name, level) in enumerate(p.thresholds.items()):
        now = r.at_or_above[:, h] / n
        ever = r.tally.ever_crossed(h) / n
        label = f"{threshold_label(name)} ({p.rung_names[level]})"
        for ax, show in ((axes[0], True), (axes[1], level >= war)):
            if show:
                ax.plot(t, now, color=colors[h], lw=2, label=label)
                ax.plot(t, ever, color=colors[h], lw=1, ls="--")
    for ax in axes:
        _month_axis(ax, p, r.turns)
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: _pct_label(v)))
    axes[0].set_ylim(0, 1)
    axes[0].set_ylabel("share of runs")
    axes[0].set_title("All named thresholds", loc="left")
    axes[1].set_ylim(bottom=0)
    axes[1].set_title("War and nuclear thresholds (own scale)", loc="left")
    axes[0].legend(fontsize=8, frameon=False, loc="center right")
    return _titled_png(
        fig,
        "Escalation over time: share of runs with a pair at or above each threshold\n"
        f"solid: in that month; dashed: crossed by then ({CROSSING_RULE})",
        10,
    )


def plot_clauses(r: BatchResult, summary: dict) -> bytes:
    plt = _plt()
    p = r.params
    n = max(r.n, 1)
    t = np.arange(r.turns)
    consult = {q for q in range(len(p.clause_keys)) if p.clause_kind[q] == 0}
    groups = (
        ("Consultation clauses", [q for q in sorted(consult)]),
        (
            "Assistance and other clauses",
            [q for q in range(len(p.clause_keys)) if q not in consult],
        ),
    )
    fig, axes = plt.subplots(2, 1, figsize=(10, 6.4), sharex=True)
    for ax, (title, qs) in zip(axes, groups):
        used = [q for q in qs if r.clause_turn[:, q].sum() > 0]
        cmap = plt.cm.tab10(np.linspace(0, 1, max(len(used), 1)))
        for c, q in zip(cmap, used):
            ax.plot(
                t,
                r.clause_turn[:, q] / n,
                color=c,
                lw=1.6,
                label=f"{p.clause_keys[q]} ({p.clause_names[q]})",
            )
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_ylabel("invocations per run")
        ax.set_ylim(bottom=0)
        if used:
            ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        else:
            ax.text(0.5, 0.5, "none invoked", transform=ax.transAxes, ha="center")
    _month_axis(axes[1], p, r.turns)
    return _titled_png(fig, "Treaty clause invocations per month (mean per run)", 9)


def write_all(r: BatchResult, out_dir, plots: bool = True) -> list[Path]:
    """Write runs.csv (from the rows kept), the plots and summary.json into ``out_dir`` as one
    step (see ``folder.ResultsFolder``); return the paths written."""
    from .folder import ResultsFolder

    if r.runs.size < r.n:
        raise ValueError("this batch kept no rows: write its folder as it runs (sinks)")
    out = Path(out_dir)
    folder = ResultsFolder(out)
    with folder as tmp:
        write_runs_csv(r, tmp / "runs.csv")
        names = ["runs.csv", *finish_folder(r, tmp, plots=plots)]
        folder.publish()
    return [out / name for name in names]


def finish_folder(r: BatchResult, folder: Path, plots: bool = True) -> list[str]:
    """Write the plots, tally.json (the totals, for merging batches) and summary.json, last,
    into a batch's staging folder; return the file names written."""
    summary = summarize(r)
    names = []
    if plots and r.n:
        for name, fn in (
            ("outcomes.png", plot_outcomes),
            ("escalation.png", plot_escalation),
            ("clauses.png", plot_clauses),
        ):
            write_bytes(folder / name, fn(r, summary))
            names.append(name)
    write_text(folder / "tally.json", json.dumps(r.tally.to_json()) + "\n")
    write_text(folder / "summary.json", json.dumps(summary, indent=2, default=str) + "\n")
    return [*names, "tally.json", "summary.json"]


def compare(a: BatchResult, b: BatchResult) -> dict:
    """Differences A - B of every outcome and clause share, paired run by run."""
    n = min(a.n, b.n)
    out = {
        "a": a.params.scenario_id,
        "b": b.params.scenario_id,
        "runs": n,
        "seed": a.seed,
        "turns": a.turns,
        "interval_method": NEWCOMBE_PAIRED,
        "outcomes": {},
        "clauses": {},
    }
    ids_a = [o.id for o in a.params.outcomes]
    ids_b = [o.id for o in b.params.outcomes]
    names = {o.id: o.name for o in a.params.outcomes + b.params.outcomes}
    for oid in ids_a + [x for x in ids_b if x not in ids_a]:
        xa = a.outcome[:n] == ids_a.index(oid) if oid in ids_a else np.zeros(n, bool)
        xb = b.outcome[:n] == ids_b.index(oid) if oid in ids_b else np.zeros(n, bool)
        d, lo, hi = paired_difference(xa, xb)
        out["outcomes"][oid] = {
            "name": names[oid],
            "p_a": float(xa.mean()) if n else 0.0,
            "p_b": float(xb.mean()) if n else 0.0,
            "diff": d,
            "ci95": [lo, hi],
        }
    ka, kb = a.params.clause_keys, b.params.clause_keys
    for key in ka + [x for x in kb if x not in ka]:
        xa = a.clause_count[:n, ka.index(key)] > 0 if key in ka else np.zeros(n, bool)
        xb = b.clause_count[:n, kb.index(key)] > 0 if key in kb else np.zeros(n, bool)
        d, lo, hi = paired_difference(xa, xb)
        out["clauses"][key] = {
            "p_a": float(xa.mean()) if n else 0.0,
            "p_b": float(xb.mean()) if n else 0.0,
            "diff": d,
            "ci95": [lo, hi],
        }
    out["hostile_moves"] = _compare_hostile(a, b, n)
    out["tension"] = _compare_tension(a, b, n)
    out["commitments"] = _compare_commitments(a, b, n)
    return out


def _paired_row(xa, xb) -> dict:
    """Means of a per-run quantity in A and B and their difference, run by run, with its
    normal 95% interval."""
    d, lo, hi = mean_interval(np.asarray(xa, dtype=float) - np.asarray(xb, dtype=float))
    return {
        "mean_a": float(np.mean(xa)) if len(xa) else 0.0,
        "mean_b": float(np.mean(xb)) if len(xb) else 0.0,
        "diff": d,
        "ci95": [lo, hi],
    }


def _compare_hostile(a: BatchResult, b: BatchResult, n: int) -> dict:
    """Hostile moves per run of every directed pair present in both scenarios."""
    ia, ib = a.params.actor_ids, b.params.actor_ids
    out = {}
    for x in ia:
        for y in ia:
            if x == y or x not in ib or y not in ib:
                continue
            xa = a.hostile[:n, ia.index(x), ia.index(y)]
            xb = b.hostile[:n, ib.index(x), ib.index(y)]
            if xa.any() or xb.any():
                out[f"{x}>{y}"] = _paired_row(xa, xb)
    return out


def _compare_tension(a: BatchResult, b: BatchResult, n: int) -> dict:
    """Tension at the end of every pair present in both scenarios, run by run."""
    ia, ib = a.params.actor_ids, b.params.actor_ids
    ua, va = np.triu_indices(len(ia), 1)
    ub, vb = np.triu_indices(len(ib), 1)
    col_b = {frozenset((ib[i], ib[j])): c for c, (i, j) in enumerate(zip(ub, vb))}
    out = {}
    for c, (i, j) in enumerate(zip(ua, va)):
        other = col_b.get(frozenset((ia[i], ia[j])))
        if other is not None:
            out[f"{ia[i]}-{ia[j]}"] = _paired_row(a.tension[:n, c], b.tension[:n, other])
    return out


def _compare_commitments(a: BatchResult, b: BatchResult, n: int) -> dict:
    """Credibility at the end and share of runs in which each commitment was weighed."""
    ka, kb = a.params.commit.keys, b.params.commit.keys
    out = {}
    for key in ka + [x for x in kb if x not in ka]:
        in_a, in_b = key in ka, key in kb
        ca = a.cred[:n, ka.index(key)] if in_a else np.full(n, np.nan)
        cb = b.cred[:n, kb.index(key)] if in_b else np.full(n, np.nan)
        wa = (a.honoured[:n, ka.index(key)] + a.declined[:n, ka.index(key)] > 0) if in_a else None
        wb = (b.honoured[:n, kb.index(key)] + b.declined[:n, kb.index(key)] > 0) if in_b else None
        row = {
            "in_a": in_a,
            "in_b": in_b,
            "credibility_a": float(np.mean(ca)) if in_a else None,
            "credibility_b": float(np.mean(cb)) if in_b else None,
            "weighed_a": float(wa.mean()) if in_a and n else None,
            "weighed_b": float(wb.mean()) if in_b and n else None,
        }
        if in_a and in_b:
            d, lo, hi = mean_interval(ca - cb)
            row.update(credibility_diff=d, ci95=[lo, hi])
        out[key] = row
    return out


def plot_compare(cmp: dict) -> bytes:
    plt = _plt()
    rows = [(v["name"], v) for v in cmp["outcomes"].values()]
    rows += [(k, v) for k, v in cmp["clauses"].items() if v["p_a"] or v["p_b"]]
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(rows) + 1.5))
    ys = np.arange(len(rows))[::-1]
    d = np.array([v["diff"] for _, v in rows])
    lo = np.array([v["ci95"][0] for _, v in rows])
    hi = np.array([v["ci95"][1] for _, v in rows])
    colors = ["#c0392b" if x > 0 else "#2e86c1" for x in d]
    ax.barh(ys, d, color=colors, alpha=0.8)
    ax.errorbar(d, ys, xerr=[d - lo, hi - d], fmt="none", ecolor="#111", capsize=2, lw=1)
    ax.axvline(0, color="#333", lw=0.8)
    ax.set_yticks(ys, [name for name, _ in rows], fontsize=7)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:+.0%}"))
    ax.set_title(
        f"{cmp['a']} minus {cmp['b']}: difference in share of runs ({cmp['runs']:,} paired runs)"
        "\nbars: 95% intervals (Newcombe, paired)",
        loc="left",
    )
    return _fig_bytes(fig)
