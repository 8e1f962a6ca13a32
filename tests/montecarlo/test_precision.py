"""Precision: targets, the check against them, the convergence data and --precision."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from game.commands.main import main
from game.montecarlo.precision import (
    RunningCounts,
    Target,
    check,
    convergence,
    half_widths,
    parse_target,
)
from game.montecarlo.runner import chunk_spans, simulate
from tests.helpers import pact


def test_targets_are_read_as_absolute_or_relative():
    assert parse_target("0.005") == Target(0.005, False)
    assert parse_target("10%") == Target(0.10, True)
    for bad in ("0", "1.5", "abc", "-3%", "100%"):
        with pytest.raises(ValueError):
            parse_target(bad)


def _summary(n, counts):
    from game.montecarlo.stats import wilson

    out = {}
    for k, c in counts.items():
        lo, hi = wilson(c, n)
        out[k] = {"count": c, "p": c / n, "ci95": [float(lo), float(hi)]}
    return {"runs": n, "outcomes": out}


def test_check_finds_the_worst_and_the_runs_it_needs():
    s = _summary(10_000, {"common": 5_000, "rare": 10, "never": 0})
    absolute = check(s, Target(0.01, False))
    # p = 0.5 at n = 10,000: half-width about 0.0098, within one point.
    assert absolute["met"] and absolute["worst"]["id"] == "common"
    relative = check(s, Target(0.10, True))
    # 10 of 10,000 is known to within about +-80%: far from 10%; the empty one is left out.
    assert not relative["met"] and relative["worst"]["id"] == "rare"
    assert relative["runs_needed"] > 300_000
    assert all(r["id"] != "never" or r["count"] == 0 for r in half_widths(s))
    tight = check(s, Target(0.002, False))
    assert not tight["met"] and tight["runs_needed"] == pytest.approx(
        10_000 * (tight["worst"]["half"] / 0.002) ** 2, rel=1e-3
    )


def test_convergence_ends_at_the_batch_estimate(default_scenario):
    r = simulate(default_scenario, runs=500, seed=3, workers=1, turns=8)
    conv = convergence(r)
    assert conv["runs"][-1] == 500 and conv["runs"] == sorted(conv["runs"])
    s = conv["series"]["crossed:threat"]
    p = float((r.first_cross[:, 0] >= 0).mean())
    assert s["p"][-1] == pytest.approx(p)
    assert s["se"][-1] == pytest.approx(math.sqrt(p * (1 - p) / 500))


def test_the_convergence_plot_draws_series_of_the_same_runs_as_one_line(default_scenario):
    """The outcome 'Nuclear use' and the threshold it is defined by count the same runs: one
    line named by both, where two would lie on top of each other; every other series is a line
    of its own."""
    from game.montecarlo.report import convergence_lines

    r = simulate(default_scenario, runs=2000, seed=7, workers=1)
    conv = convergence(r)
    lines = convergence_lines(conv)
    names = [n for ns, _, _ in lines for n in ns]
    assert sorted(names) == sorted(s["name"] for s in conv["series"].values())
    shared = [ns for ns, _, _ in lines if len(ns) > 1]
    assert shared and all(
        len({tuple(conv["series"][k]["p"]) for k in conv["series"] if conv["series"][k]["name"]
             in ns}) == 1
        for ns in shared
    )  # fmt: skip
    assert len({(tuple(p), tuple(se)) for _, p, se in lines}) == len(lines)


def test_running_counts_keep_the_same_points_whatever_the_chunks(default_scenario):
    """The convergence plot's points without rows: at 50 runs, then each time the runs grow
    by a tenth, and at the end, each with the counts of the runs before it, for one chunk
    as for many (a batch of one chunk once drew a single point: an empty plot)."""
    r = simulate(default_scenario, runs=400, seed=3, workers=1, turns=6)
    params = r.params
    hit = np.column_stack(
        [r.outcome == i for i in range(len(params.outcomes))] + [r.first_cross >= 0]
    )

    def points(cuts):
        rc = RunningCounts(params)
        for lo, hi in zip(cuts[:-1], cuts[1:]):
            rc.add({"runs": r.runs[lo:hi], "outcome": r.outcome[lo:hi],
                    "first_cross": r.first_cross[lo:hi]})  # fmt: skip
        return rc.points()

    whole = points([0, 400])
    assert [n for n, _ in whole[:3]] == [50, 55, 61] and whole[-1][0] == 400
    assert len(whole) > 15
    for n, counts in whole:
        assert counts == hit[:n].sum(axis=0).tolist()
    assert points([0, 7, 50, 51, 130, 399, 400]) == whole


@pytest.mark.slow
def test_precision_adds_runs_until_met_and_equals_a_plain_batch(tmp_path):
    common = ["--turns", "4", "--workers", "1", "--batch-size", "100", "--no-plots"]
    res = pact(
        "batch",
        "treaty-2024",
        "--runs",
        "100",
        "--precision",
        "0.03",
        *common,
        "--out",
        str(tmp_path / "p"),
        check=True,
    )
    s = json.loads((tmp_path / "p" / "summary.json").read_text())
    assert s["precision"]["met"] and s["runs"] > 100 and s["runs"] % 100 == 0
    assert "Precision: every reported probability within 3 percentage points" in res.stdout
    plain = tmp_path / "plain"
    pact(
        "batch",
        "treaty-2024",
        "--runs",
        str(s["runs"]),
        *common,
        "--out",
        str(plain),
        "--quiet",
        check=True,
    )
    assert (plain / "runs.csv").read_bytes() == (tmp_path / "p" / "runs.csv").read_bytes()
    capped = pact(
        "batch",
        "treaty-2024",
        "--runs",
        "100",
        "--precision",
        "5%",
        "--max-runs",
        "300",
        *common,
        "--out",
        str(tmp_path / "c"),
        check=True,
    )
    assert "Precision not met at 300 runs" in capped.stdout
    # A cap below --runs (its default, 10,000) holds; and --quiet still says it was not met.
    below = pact(
        "batch", "treaty-2024", "--precision", "5%", "--max-runs", "300", *common,
        "--out", str(tmp_path / "b"), "--quiet", check=True,
    )  # fmt: skip
    assert below.stdout.startswith("treaty-2024: 300 runs")
    assert "Precision not met at 300 runs" in below.stdout


@pytest.mark.parametrize("least, head, chunk", [(100, 50, 4096), (10_000, 3334, 4096), (7, 3, 5)])
def test_a_batch_that_may_stop_early_cuts_its_runs_in_chunks_that_grow(least, head, chunk):
    """Past the runs it steps at the least, a batch that stops once its target is met steps
    chunks of a quarter of the runs before them (at least the first chunks' size, at most the
    cap): stopped at the end of a chunk, it has stepped at most a quarter more than it needed,
    or one first chunk more."""
    first, runs = 20, 1_000_000
    spans = chunk_spans(first, runs, chunk, least, head)
    assert spans[0][0] == first and spans[-1][1] == first + runs
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert first + least in {e for _, e in spans}  # the least runs end on a chunk
    for s, e in spans:
        done = s - first
        if done >= least:
            assert e - s <= max(head, done // 4) and e - s <= chunk
        else:
            assert e - s <= head
    # Without a least, chunks of the cap, as any batch.
    plain = chunk_spans(first, 10_000, 4096)
    assert [e - s for s, e in plain] == [4096, 4096, 1808]


def test_a_batch_to_a_precision_stops_near_the_runs_it_needs(tmp_path):
    """Without --batch-size, a batch run to --precision stops within about a quarter of the
    runs its target needs (chunks of the default size, about four thousand runs, would step
    ten times too many here)."""
    out = tmp_path / "p"
    argv = ["batch", "treaty-2024", "--runs", "100", "--precision", "0.05", "--turns", "4"]
    argv += ["--workers", "1", "--no-plots", "--no-timeseries", "--quiet", "--out", str(out)]
    assert main(argv) == 0
    s = json.loads((out / "summary.json").read_text())
    assert s["precision"]["met"] and 100 < s["runs"] <= 1.25 * s["precision"]["runs_needed"] + 100
    # Its chunks grew, and its rows are those of a plain batch of as many runs.
    plain = tmp_path / "plain"
    argv = ["batch", "treaty-2024", "--runs", str(s["runs"]), "--turns", "4", "--workers", "1"]
    assert main([*argv, "--no-plots", "--no-timeseries", "--quiet", "--out", str(plain)]) == 0
    assert (plain / "runs.csv").read_bytes() == (out / "runs.csv").read_bytes()


def test_a_cap_without_a_precision_is_refused(tmp_path):
    """--max-runs only caps a batch run to --precision: alone it would be ignored, the batch
    running --runs runs where the user asked for at most --max-runs."""
    proc = pact("batch", "treaty-2024", "--runs", "10", "--max-runs", "5", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert "--max-runs caps a batch run to --precision" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not any(tmp_path.iterdir())
