"""What a batch writes: summary.json, runs.csv and plots, plus the tables printed at the end."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from game.atomic import write_bytes, write_text
from game.engine import Params
from game.engine.commitments import TYPE_NAMES
from game.engine.draws import draw_column
from game.engine.outcome import CROSSING_RULE, threshold_label
from game.engine.theatres import REGION_LABELS, REGIONS, REPORTED, region_word
from game.sim import questions
from game.text import counted

from .stats import (
    HOLM,
    NEWCOMBE_PAIRED,
    WILSON,
    Z95,
    holm,
    mcnemar_p,
    mean_interval,
    mean_p,
    paired_counts,
    paired_difference_counts,
    wilson,
)
from .tally import Tally
from .timeseries import pairs_that_matter

MAX_CHUNK = 4096  # runs stepped together at most, unless a batch asks for more


def default_chunk(runs: int, workers: int, fits: int | None = None) -> int:
    """The runs stepped together where a batch does not say: the batch cut into the fewest
    chunks of at most ``MAX_CHUNK`` runs (and at most ``fits``: ``runner.chunk_cap``, what the
    cache serves well and the memory holds) that
    give every worker the same number of chunks, all of one size but the last. Each month of a
    chunk pays a fixed cost of Python and numpy calls, so fewer, larger chunks are faster, up
    to a few thousand runs; and chunks that share out evenly keep every worker busy to the
    end."""
    cap = max(1, min(MAX_CHUNK, int(fits) if fits else MAX_CHUNK))
    per = -(-max(1, int(runs)) // max(1, int(workers)))  # one worker's share
    return -(-per // -(-per // cap))


@dataclass
class BatchResult:
    """The result of a batch (``game.simulate``): per-run numpy arrays, one row per run in run
    order, and monthly totals.

    Tables: ``to_frame()`` (runs, labelled pandas frame), ``timeseries()`` (each run's months,
    when the batch kept them), ``monthly()`` (monthly totals), ``summary()`` (shares with 95%
    intervals: the content of summary.json). Files: ``to_csv(path)``, ``write(folder)`` (every
    file 'pact batch' writes, report.html included).

    Per-run arrays: ``runs`` (index), ``outcome`` (index into ``params.outcomes``), ``end_turn``,
    ``first_cross`` (month each threshold was first crossed, -1 never), ``peak`` (peak rung of
    each rival pair, see ``pairs_that_matter``), ``clause_count``, ``event_count``, ``tension``
    (every pair at the end), ``cred``/``honoured``/``declined`` (commitments), ``hostile``
    (hostile moves, mover x target), ``question_month`` (month each question resolved yes, -1).
    Totals: ``at_or_above`` (runs at or above each threshold, per month), ``clause_turn``
    (invocations per month), ``actions`` (moves chosen per actor; column 0 is holding).
    """

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
    chunk: int = MAX_CHUNK
    extra: dict = field(default_factory=dict)
    tally: Tally | None = None  # the batch's totals (every run, kept rows or not)
    first_run: int = 0
    missing: list = field(default_factory=list)  # (start, stop, why) of chunks whose worker died

    def __post_init__(self) -> None:
        if self.tally is None:  # built from rows alone
            self.tally = Tally.empty(self.params, self.turns)
            if self.runs.size:
                self.tally.add(vars(self))

    question_month: np.ndarray | None = None  # (B, Q) int16 month each question resolved yes, -1
    reached: np.ndarray | None = None  # (B, H, 2) bool: threshold crossed in each region
    drawn: np.ndarray | None = None  # (B, D) each run's uncertain numbers (Params.draws)

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

    def to_frame(self):
        """The runs as a labelled pandas frame, one row per run (see game.montecarlo.frames)."""
        from .frames import runs_frame

        return runs_frame(self)

    def timeseries(self):
        """Each run's months as a labelled pandas frame: tension and rung of the rival pairs
        and every state's move, one row per run and month. Needs ``simulate(...,
        timeseries=True or a path)``."""
        from .frames import timeseries_frame

        source = self.extra.get("timeseries")
        if source is None:
            raise ValueError("this batch kept no time series: simulate(..., timeseries=True)")
        return timeseries_frame(source, self.params)

    def monthly(self):
        """Monthly totals (threshold shares, clause invocations per run) as a pandas frame."""
        from .frames import monthly_frame

        return monthly_frame(self)

    def __repr__(self) -> str:
        state = ", interrupted" if self.interrupted else ""
        return (
            f"<BatchResult {self.scenario}: {self.n:,} runs of {self.requested:,}, "
            f"{self.turns} months, seed {self.seed}{state}>"
        )


def _p_ci(k: int, n: int) -> dict:
    lo, hi = wilson(k, n)
    return {
        "count": int(k),
        "p": (k / n) if n else 0.0,
        "ci95": [round(float(lo), 6), round(float(hi), 6)],
    }


def shares(p: Params, tally: Tally) -> dict:
    """Every reported probability of a batch's totals (outcomes, clauses invoked, thresholds
    crossed, forecast questions) with its 95% Wilson interval: the part of summary.json that
    ``--precision`` checks, also while the batch runs."""
    n = tally.n
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
        "runs": n,
        "outcomes": outcomes,
        "clauses": clauses,
        "thresholds": thresholds,
        "questions": questions_summary(p, tally),
    }


def summarize(r: BatchResult) -> dict:
    """The batch summary (the content of summary.json)."""
    p = r.params
    n = r.n
    got = shares(p, r.tally)
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
        "outcomes": got["outcomes"],
        "clauses": got["clauses"],
        "thresholds": got["thresholds"],
        "moves": moves_summary(r),
        "dilemmas": dilemmas_summary(p, r.tally),
        "questions": got["questions"],
        **({"precision": r.extra["precision"]} if "precision" in r.extra else {}),
        "where": where_summary(r),
        **({"uncertain": uncertain_summary(p)} if p.draws else {}),
        "time_seconds": round(r.seconds, 3),
        "time_runs_per_second": round(n / r.seconds, 1) if r.seconds > 0 else None,
    }


def uncertain_summary(p: Params) -> dict:
    """The scenario's uncertain numbers (game.engine.draws): each run drew its own value, kept
    in its runs.csv column, so the batch's shares carry that uncertainty."""
    return {
        s.label: {
            "distribution": s.kind,
            **({"low": s.a, "high": s.b} if s.kind == "uniform" else {"mean": s.a, "sd": s.b}),
            "bounds": [s.lo, s.hi],
            "described": s.describe(),
            "column": draw_column(s.label),
        }
        for s in p.draws
    }


def questions_summary(p: Params, tally: Tally) -> dict:
    """Each forecast question: the share of runs in which it resolved yes by its date, with its
    Wilson interval, and the same share by each month up to the date (the curve)."""
    n = tally.n
    out = {}
    for q, spec in enumerate(questions(p)):
        by = tally.questions_by(q)
        last = min(spec["by"], tally.turns - 1)
        curve = []
        for t in range(max(last + 1, 0)):
            k = int(by[t])
            lo, hi = wilson(k, n)
            curve.append(
                {
                    "month": t,
                    "date": p.date_label(t),
                    "p": k / n if n else 0.0,
                    "ci95": [round(float(lo), 6), round(float(hi), 6)],
                }
            )
        out[spec["id"]] = {
            "name": spec["name"],
            "description": spec["description"],
            "by": p.date_label(spec["by"]),
            **_p_ci(int(by[-1]) if by.size else 0, n),
            "horizon_short": spec["by"] > tally.turns - 1,
            "by_month": curve,
            # The share resolved yes half-way to the date: how early the answer comes.
            "half_way": curve[len(curve) // 2] if curve else None,
        }
    return out


def dilemmas_summary(p: Params, tally: Tally) -> dict:
    """Each dilemma: in how many runs it was answered, and the share of those that took each
    option, with its Wilson interval."""
    out = {}
    for dl in p.dilemmas:
        counts = [int(tally["event_any"][e]) for e in dl.events]
        answered = sum(counts)
        out[dl.id] = {
            "name": dl.name,
            "actor": p.actor_ids[dl.actor],
            "answered": _p_ci(answered, tally.n),
            "options": {
                p.events[e].id.split(".", 1)[1]: {"label": label, **_p_ci(k, answered)}
                for e, label, k in zip(dl.events, dl.labels, counts)
            },
        }
    return out


def moves_summary(r: BatchResult) -> dict:
    """Moves chosen per actor over every run and month: count and share of its months, by action
    ('hold': no move), most frequent first."""
    p = r.params
    out = {}
    names = ["hold", *p.action_ids]
    for a, aid in enumerate(p.actor_ids):
        row = r.actions[a]
        total = int(row.sum())
        order = np.argsort(-row, kind="stable")
        out[aid] = {
            names[k]: {"count": int(row[k]), "share": round(row[k] / total, 6) if total else 0.0}
            for k in order
            if row[k]
        }
    return out


def where_summary(r: BatchResult) -> dict:
    """Where war and nuclear use happened: for each reported threshold, the share of runs in
    which a pair crossed it in Northeast Asia and off the map (game.engine.theatres)."""
    p = r.params
    names = list(p.thresholds)
    out: dict = {}
    for key in REPORTED:
        if key not in names:
            continue
        h = names.index(key)
        out[key] = {
            "name": threshold_label(key),
            "regions": {
                region: {"name": REGION_LABELS[region], **_p_ci(int(r.tally["reached"][h, g]), r.n)}
                for g, region in enumerate(REGIONS)
            },
        }
    return out


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
        col = p.draw_at.get(("cred0", j))
        if col is not None:
            # Each run draws its own: the start above is the distribution's centre.
            out["commitments"][key]["credibility_start_drawn"] = p.draws[col].describe()
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
    cols += [f"event_{e.id}" for e in p.events]
    cols += [f"question_{q['id']}" for q in questions(p)]
    cols += [f"where_{key}" for key in REPORTED if key in p.thresholds]
    cols += [draw_column(s.label) for s in p.draws]
    return cols


def _draw_values(params: Params, part) -> list:
    drawn = part.get("drawn") if isinstance(part, dict) else getattr(part, "drawn", None)
    if not params.draws:
        return []
    return list(np.round(np.asarray(drawn, dtype=np.float64), 6).astype(object).T)


def csv_block(params: Params, seed: int, part) -> str:
    """The runs.csv lines of one chunk's rows (a ``run_chunk`` dict or a ``BatchResult``)."""
    ids = np.array([o.id for o in params.outcomes], dtype=object)
    rung_ids = np.array(params.rung_ids, dtype=object)
    m = len(part["runs"])
    first = part["first_cross"].astype(object)
    first[first < 0] = ""
    qm = part["question_month"]
    if qm is None:
        qm = np.full((m, len(questions(params))), -1, dtype=np.int16)
    qmonth = qm.astype(object)
    qmonth[qm < 0] = ""
    block = np.column_stack(
        [
            part["runs"].astype(object),
            np.full(m, seed, dtype=object),
            ids[part["outcome"]],
            part["end_turn"].astype(object),
            rung_ids[part["peak"].astype(np.int64)],
            first,
            part["clause_count"].astype(object),
            np.round(part["cred"].astype(np.float64), 4).astype(object),
            part["honoured"].astype(object),
            part["declined"].astype(object),
            part["red_line_count"].astype(object),
            part["event_count"].astype(object),
            qmonth,
            *_where_columns(params, part["reached"]),
            *_draw_values(params, part),
        ]
    )
    buf = io.StringIO()
    csv.writer(buf).writerows(block.tolist())
    return buf.getvalue()


def _where_columns(params: Params, reached) -> list:
    """runs.csv's where_* columns: '', northeast_asia, off_map or both."""
    names = list(params.thresholds)
    return [region_word(reached[:, names.index(key)]) for key in REPORTED if key in names]


def csv_header_line(r: BatchResult | Params) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerow(csv_header(r))
    return buf.getvalue()


def write_runs_csv(r: BatchResult, path) -> None:
    """One row per run (peaks are rung ids; first_* are months, empty if never; see the data
    dictionary written beside it)."""

    def write(f):
        f.write(csv_header_line(r))
        step = 50_000
        for s in range(0, r.runs.size, step):
            rows = {k: getattr(r, k) for k in CSV_FIELDS}
            rows = {k: None if v is None else v[s : s + step] for k, v in rows.items()}
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
    "event_count",
    "question_month",
    "reached",
    "drawn",
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
    import logging

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # A font missing from matplotlib's font cache (one another installation built) falls back to
    # DejaVu Sans, which draws every figure; the warning it logs for each text drawn (the log
    # axis's tick labels) is not the user's concern.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

    plt.rcParams.update({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False})
    return plt


def plot_outcomes(r: BatchResult, summary: dict) -> bytes:
    """Outcome shares on a log axis, so rare outcomes stay visible, each with its 95% Wilson
    interval; an outcome no run reached shows its upper bound only."""
    plt = _plt()
    items = list(summary["outcomes"].items())
    n = max(summary["runs"], 1)
    fig, ax = plt.subplots(figsize=(8, 0.42 * len(items) + 1.6))
    ys = np.arange(len(items))[::-1]
    ps = np.array([d["p"] for _, d in items])
    lo = np.array([d["ci95"][0] for _, d in items])
    hi = np.array([d["ci95"][1] for _, d in items])
    floor = 10 ** np.floor(np.log10(0.3 / n))
    colors = plt.cm.RdYlGn(np.linspace(0.05, 0.95, len(items)))
    for y, p, a, b, c, (_, d) in zip(ys, ps, lo, hi, colors, items):
        if p > 0:
            ax.plot([a, b], [y, y], color="#111", lw=1.2, clip_on=False)
            ax.plot(p, y, "o", ms=7, color=c, mec="#111", mew=0.6, clip_on=False)
            label = f"{_pct_label(p)}  ({counted(d['count'], 'run')})"
        else:
            ax.plot([floor, b], [y, y], color="#777", lw=1.2, ls=":")
            ax.plot(b, y, "|", ms=9, color="#111")
            label = f"0 runs (below {_pct_label(b)})"
        # Beyond the interval, outside the axis where it ends near 100% (which the axis ends at).
        ax.text(b * 1.25, y, label, va="center", fontsize=8, clip_on=False)
    ax.set_xscale("log")
    ax.set_xlim(floor, 1.0)
    ax.set_yticks(ys, [d["name"] for _, d in items])
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: _pct_label(v) if v <= 1 else ""))
    ax.set_xlabel("share of runs (log scale)")
    ax.grid(axis="x", color="#ddd", lw=0.6)
    ax.set_title(
        f"{summary['scenario_name']}: outcomes of {summary['runs']:,} runs "
        f"({summary['turns']} months, seed {summary['seed']})\ndots: share of runs; lines: 95% "
        "Wilson intervals (log scale: rare outcomes stay visible)",
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
        now_lo, now_hi = wilson(r.at_or_above[:, h], n)
        ever_lo, ever_hi = wilson(np.round(ever * n), n)
        for ax, show in ((axes[0], True), (axes[1], level >= war)):
            if not show:
                continue
            ax.plot(t, now, color=colors[h], lw=2, label=label, zorder=3)
            ax.plot(t, ever, color=colors[h], lw=1, ls="--", zorder=3)
            # On the own scale a threshold no run crossed would be all band: the upper bound
            # of nothing seen, which hides the lines of those that some run did cross.
            if ax is axes[0] or ever[-1] > 0:
                ax.fill_between(t, now_lo, now_hi, color=colors[h], alpha=0.2, lw=0)
                ax.fill_between(t, ever_lo, ever_hi, color=colors[h], alpha=0.1, lw=0)
    for ax in axes:
        _month_axis(ax, p, r.turns)
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: _pct_label(v)))
    axes[0].set_ylim(0, 1)
    axes[0].set_ylabel("share of runs")
    axes[0].set_title("All named thresholds", loc="left")
    axes[1].set_ylim(bottom=0)
    axes[1].set_title("War and nuclear thresholds (own scale)", loc="left")
    for ax in axes:  # what the two line styles are, below the thresholds' colours
        ax.plot([], [], color="#777", lw=1.6, label="solid: in that month")
        ax.plot([], [], color="#777", lw=1, ls="--", label="dashed: crossed by then")
    axes[0].legend(fontsize=8, frameon=False, loc="center right")
    axes[1].legend(fontsize=8, frameon=False, loc="upper left")
    return _titled_png(
        fig,
        "Escalation over time: share of runs with a pair at or above each threshold\n"
        f"solid: in that month; dashed: crossed by then ({CROSSING_RULE})\n"
        "bands: 95% Wilson intervals (on the right, of the thresholds some run crossed)",
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
            mean = r.clause_turn[:, q] / n
            half = Z95 * np.sqrt(r.clause_turn[:, q]) / n  # Poisson approximation
            ax.plot(t, mean, color=c, lw=1.6, label=f"{p.clause_keys[q]} ({p.clause_names[q]})")
            ax.fill_between(t, np.maximum(mean - half, 0), mean + half, color=c, alpha=0.2, lw=0)
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_ylabel("invocations per run")
        ax.set_ylim(bottom=0)
        if used:
            ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        else:
            ax.text(0.5, 0.5, "none invoked", transform=ax.transAxes, ha="center")
    _month_axis(axes[1], p, r.turns)
    ax.set_xlabel("month")
    return _titled_png(
        fig,
        "Treaty clause invocations per month (mean per run); bands: 95% intervals "
        "(Poisson approximation of the month's count)",
        9,
    )


def convergence_lines(conv: dict) -> list[tuple[list[str], np.ndarray, np.ndarray]]:
    """(names, shares, standard errors) of each line of the convergence plot: series that count
    the same runs (an outcome and the threshold that defines it) are one line, named by both,
    where two lines on top of each other would show one."""
    lines: dict[tuple, list[str]] = {}
    for s in conv["series"].values():
        lines.setdefault((tuple(s["p"]), tuple(s["se"])), []).append(s["name"])
    return [(names, np.array(p), np.array(se)) for (p, se), names in lines.items()]


def plot_convergence(r, summary: dict, target=None) -> bytes:
    """Relative standard error (standard error over the estimate) of each outcome and
    threshold against the runs so far, log-log; the 1/sqrt(n) slope is the law it follows."""
    from .precision import convergence

    plt = _plt()
    conv = convergence(r)
    fig, ax = plt.subplots(figsize=(9, 4.6))
    runs = np.array(conv["runs"], dtype=float)
    lines = convergence_lines(conv)
    colors = plt.cm.tab20(np.linspace(0, 1, max(len(lines), 1)))
    few = runs.size < 8  # too few points for a line to show: each one is marked
    for c, (names, p, se) in zip(colors, lines):
        ok = p > 0
        if not ok.any() or p[-1] >= 0.999:
            continue
        ax.plot(
            runs[ok],
            se[ok] / p[ok],
            color=c,
            lw=1.4,
            marker="o" if few else None,
            ms=4,
            label=f"{' = '.join(names)} ({p[-1]:.2%})",
        )
    if runs.size:
        ax.plot(
            runs,
            1 / np.sqrt(runs / runs[0]) * 0.5,
            color="#999",
            ls=":",
            lw=1,
            label="slope 1/sqrt(runs)",
        )
    if target is not None and target.relative:
        ax.axhline(
            target.value / 1.96,
            color="#c0392b",
            lw=1,
            ls="--",
            label=f"target: half-width {target.value:.0%} of the estimate",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("runs")
    ax.set_ylabel("standard error / estimate")
    ax.grid(color="#eee", lw=0.6)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    else:
        ax.text(
            0.5,
            0.5,
            "too few runs for a standard error",
            transform=ax.transAxes,
            ha="center",
            color="#777",
        )
    return _titled_png(
        fig,
        f"Precision: relative standard error of each share as runs accumulate "
        f"({summary['runs']:,} runs)\nhalf-width of the 95% interval is about 1.96 x this; "
        "a rare outcome needs runs in proportion to 1/p",
        9,
    )


def plot_questions(r: BatchResult, summary: dict) -> bytes:
    """Each forecast question: the share of runs resolved yes by each month up to its date,
    with its 95% Wilson band."""
    plt = _plt()
    qs = summary.get("questions", {})
    fig, ax = plt.subplots(figsize=(9, 4.2))
    colors = plt.cm.tab10(np.linspace(0, 1, 10))
    for c, d in zip(colors, qs.values()):
        curve = d["by_month"]
        t = np.array([m["month"] for m in curve])
        ps = np.array([m["p"] for m in curve])
        lo = np.array([m["ci95"][0] for m in curve])
        hi = np.array([m["ci95"][1] for m in curve])
        ax.step(t, ps, where="post", color=c, lw=1.8, label=f"{d['name']}: {_pct_label(d['p'])}")
        ax.fill_between(t, lo, hi, step="post", color=c, alpha=0.18, lw=0)
    ax.set_yscale("symlog", linthresh=0.01)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: _pct_label(v)))
    ax.set_ylabel("share of runs resolved yes (log above 1%)")
    _month_axis(ax, r.params, r.turns)
    ax.set_xlabel("month")
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _titled_png(
        fig,
        f"Forecast questions: share of {summary['runs']:,} runs resolved yes by each month "
        "(to each question's date); bands: 95% Wilson intervals",
        9,
    )


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
    pngs = {}
    if plots and r.n:
        for name, fn in (
            ("outcomes.png", plot_outcomes),
            ("escalation.png", plot_escalation),
            ("clauses.png", plot_clauses),
            *((("questions.png", plot_questions),) if summary.get("questions") else ()),
            ("convergence.png", plot_convergence),
        ):
            pngs[name] = fn(r, summary)
            write_bytes(folder / name, pngs[name])
            names.append(name)
    write_text(folder / "tally.json", json.dumps(r.tally.to_json()) + "\n")
    write_text(folder / "summary.json", json.dumps(summary, indent=2, default=str) + "\n")
    names += ["tally.json", "summary.json", *write_data_files(r, folder)]
    from .html import batch_report

    write_text(folder / "report.html", batch_report(summary, pngs))
    return [*names, "report.html"]


def write_data_files(r: BatchResult, folder: Path) -> list[str]:
    """The time series (kept in memory, or streamed to a file: copied in if it is elsewhere),
    the monthly totals and the data dictionary, into ``folder``; return the file names."""
    from .frames import data_dictionary, data_markdown, monthly_csv
    from .timeseries import FILE

    names = []
    source = r.extra.get("timeseries")
    if isinstance(source, list):
        import pyarrow as pa

        from .timeseries import schema

        table = pa.concat_tables(source) if source else schema(r.params).empty_table()
        write_atomic_parquet(table, folder / FILE)
        names.append(FILE)
    elif source is not None and Path(source).is_file():
        if Path(source).resolve() != (folder / FILE).resolve():
            import shutil

            shutil.copyfile(source, folder / FILE)
        names.append(FILE)
    write_text(folder / "monthly.csv", monthly_csv(r))
    dd = data_dictionary(r.params, r.turns, r.seed)
    write_text(folder / "datadict.json", json.dumps(dd, indent=2, ensure_ascii=False) + "\n")
    write_text(folder / "data.md", data_markdown(dd))
    return [*names, "monthly.csv", "datadict.json", "data.md"]


def write_atomic_parquet(table, path: Path) -> None:
    import os

    import pyarrow.parquet as pq

    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


# What a reader of a paired comparison should know before reading an interval as a test.
INTERVAL_VS_TEST = (
    "The intervals are not adjusted for the number of comparisons, and they come from another "
    "method than the tests: an interval that just leaves out 0 may go with a difference that "
    "is not significant"
)


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
        xa = a.outcome[:n] == ids_a.index(oid) if oid in ids_a else None
        xb = b.outcome[:n] == ids_b.index(oid) if oid in ids_b else None
        out["outcomes"][oid] = {"name": names[oid], **_paired_share(xa, xb, n)}
    ka, kb = a.params.clause_keys, b.params.clause_keys
    for key in ka + [x for x in kb if x not in ka]:
        xa = a.clause_count[:n, ka.index(key)] > 0 if key in ka else None
        xb = b.clause_count[:n, kb.index(key)] > 0 if key in kb else None
        out["clauses"][key] = _paired_share(xa, xb, n)
    _holm_marks([*out["outcomes"].values(), *out["clauses"].values()])
    out["test_method"] = f"exact McNemar tests, {HOLM}, over the outcomes and clauses compared"
    out["interval_note"] = INTERVAL_VS_TEST
    out["hostile_moves"] = _compare_hostile(a, b, n)
    out["tension"] = _compare_tension(a, b, n)
    out["commitments"] = _compare_commitments(a, b, n)
    return out


def _paired_share(xa, xb, n: int) -> dict:
    """A share in A and B (None where the scenario lacks it) and, when both have it, the
    paired difference with its Newcombe interval and exact McNemar p-value."""
    row = {
        "in_a": xa is not None,
        "in_b": xb is not None,
        "p_a": float(xa.mean()) if xa is not None and n else (None if xa is None else 0.0),
        "p_b": float(xb.mean()) if xb is not None and n else (None if xb is None else 0.0),
    }
    if xa is None or xb is None:
        row.update(only_in="a" if xb is None else "b", diff=None, ci95=None, p_value=None)
        return row
    both, a_only, b_only, neither = paired_counts(xa, xb)
    d, lo, hi = paired_difference_counts(both, a_only, b_only, neither)
    row.update(diff=d, ci95=[lo, hi], p_value=mcnemar_p(a_only, b_only))
    return row


def _holm_marks(rows: list[dict]) -> None:
    """Set ``significant`` on every compared row: Holm's adjustment over the family."""
    tested = [r for r in rows if r.get("p_value") is not None]
    for r, sig in zip(tested, holm([r["p_value"] for r in tested])):
        r["significant"] = bool(sig)


def _paired_row(xa, xb) -> dict:
    """Means of a per-run quantity in A and B and their difference, run by run, with its
    normal 95% interval."""
    diff = np.asarray(xa, dtype=float) - np.asarray(xb, dtype=float)
    d, lo, hi = mean_interval(diff)
    return {
        "mean_a": float(np.mean(xa)) if len(xa) else 0.0,
        "mean_b": float(np.mean(xb)) if len(xb) else 0.0,
        "diff": d,
        "ci95": [lo, hi],
        "p_value": mean_p(diff),
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
    _holm_marks(list(out.values()))
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
    _holm_marks(list(out.values()))
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


def _points_label(v: float, _=None) -> str:
    """A difference of shares as signed percentage points on an axis: '+1.5', '-0.5', '0'."""
    x = round(v * 100, 1)
    return "0" if x == 0 else f"{x:+.1f}"


def plot_compare(cmp: dict) -> bytes:
    """Differences A - B in two panels, outcomes and clauses, each on its own scale; rows
    present in one scenario only are listed under the panel instead of drawn as +100%."""
    plt = _plt()
    from matplotlib.patches import Patch

    panels = []
    for key, title in (("outcomes", "Outcomes"), ("clauses", "Treaty clauses invoked")):
        rows = [
            (v.get("name", k), v)
            for k, v in cmp[key].items()
            if v["diff"] is not None and (v["p_a"] or v["p_b"])
        ]
        alone = [
            v.get("name", k) + f" (only in {v['only_in'].upper()})"
            for k, v in cmp[key].items()
            if v["diff"] is None
        ]
        panels.append((title, rows, alone))
    heights = [max(len(rows), 1) * 0.32 + 1.0 for _, rows, _ in panels]
    fig, axes = plt.subplots(
        2, 1, figsize=(8.5, sum(heights) + 1.2), gridspec_kw={"height_ratios": heights}
    )
    for ax, (title, rows, alone) in zip(axes, panels):
        ys = np.arange(len(rows))[::-1]
        d = np.array([v["diff"] for _, v in rows], dtype=float)
        lo = np.array([v["ci95"][0] for _, v in rows], dtype=float)
        hi = np.array([v["ci95"][1] for _, v in rows], dtype=float)
        sig = np.array([v.get("significant", False) for _, v in rows], dtype=bool)
        colors = ["#c0392b" if x > 0 else "#2e86c1" for x in d]
        ax.barh(
            ys,
            d,
            color=colors,
            alpha=0.85,
            edgecolor="#111",
            linewidth=[1.2 if g else 0 for g in sig],
        )
        ax.errorbar(d, ys, xerr=[d - lo, hi - d], fmt="none", ecolor="#111", capsize=2, lw=1)
        ax.axvline(0, color="#333", lw=0.8)
        ax.set_yticks(
            ys, [name + (" *" if g else "") for (name, _), g in zip(rows, sig)], fontsize=7
        )
        ax.xaxis.set_major_formatter(plt.FuncFormatter(_points_label))
        ax.set_xlabel("A - B, percentage points of runs (95% paired interval)")
        ax.set_title(title, loc="left", fontsize=10)
        if not rows:
            ax.text(0.5, 0.5, "nothing to compare", transform=ax.transAxes, ha="center")
        if alone:
            ax.set_title(
                title
                + "\n"
                + textwrap.fill("in one scenario only (not compared): " + "; ".join(alone), 110),
                loc="left",
                fontsize=9,
            )
    axes[0].legend(
        handles=[
            Patch(color="#c0392b", label="more often in A"),
            Patch(color="#2e86c1", label="more often in B"),
            Patch(facecolor="white", edgecolor="#111", label="* significant after Holm"),
        ],
        fontsize=7,
        frameon=False,
        loc="upper left",
    )
    return _titled_png(
        fig,
        f"A = {cmp['a']} minus B = {cmp['b']}: {cmp['runs']:,} paired runs (common random "
        "numbers)\nbars: 95% Newcombe paired intervals; *: exact McNemar test significant after "
        "Holm's adjustment",
        9,
    )
