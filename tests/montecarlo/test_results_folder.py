"""Batch folders: totals without rows, parts that merge into the whole, unique names, folders
that are never replaced by mistake, modes from the umask, and batches that fit in memory."""

from __future__ import annotations

import csv
import json
import os
import shutil
import stat
import subprocess
import sys

import numpy as np
import pyarrow.parquet as pq
import pytest

from game.montecarlo.folder import FolderError, ResultsFolder, check_destination, unique_folder
from game.montecarlo.runner import memory_problem, simulate
from game.montecarlo.stats import mean_interval
from game.montecarlo.tally import Tally
from tests.helpers import ROOT, pact


def _drop_time(summary):
    return {k: v for k, v in summary.items() if "time" not in k}


def test_a_batch_without_rows_has_the_same_summary(default_scenario):
    kept = simulate(default_scenario, runs=500, seed=6, workers=1, turns=10, chunk=128)
    bare = simulate(
        default_scenario, runs=500, seed=6, workers=1, turns=10, chunk=77, keep_rows=False
    )
    assert bare.n == 500 and bare.runs.size == 0 and bare.cred.shape[0] == 0
    assert _drop_time(bare.summary()) == _drop_time(kept.summary())


def test_totals_of_parts_add_up_to_the_whole(default_scenario):
    def part(first, runs, chunk):
        return simulate(
            default_scenario, runs=runs, seed=2, workers=1, turns=8, chunk=chunk, first_run=first
        )

    whole = part(0, 400, 400)
    a, b = part(0, 150, 64), part(150, 250, 100)
    merged = b.tally.merge(a.tally)
    assert merged.to_json() == whole.tally.to_json()
    assert Tally.from_json(json.loads(json.dumps(merged.to_json()))).to_json() == merged.to_json()
    assert list(b.runs) == list(range(150, 400))
    with pytest.raises(ValueError, match="in both"):
        whole.tally.merge(a.tally)


def test_totals_give_the_figures_of_the_rows(default_scenario):
    r = simulate(default_scenario, runs=300, seed=4, workers=1, turns=12, chunk=100)
    t = r.tally
    for h in range(len(default_scenario.params.thresholds)):
        ft = r.first_cross[:, h]
        crossed = ft[ft >= 0]
        assert t.median_first(h) == (float(np.median(crossed)) if crossed.size else None)
        assert int(t.ever_crossed(h)[-1]) == crossed.size
    for j in range(default_scenario.params.commit.n):
        got, want = t.cred_interval(j), mean_interval(r.cred[:, j])
        assert got == pytest.approx(want, abs=1e-6)
    assert t.missing(0, 300) == [] and t.missing(0, 310) == [[300, 310]]


def test_an_interrupted_pool_keeps_every_finished_chunk_in_order(default_scenario):
    calls = []

    def progress(k):
        calls.append(k)
        if len(calls) == 3:
            raise KeyboardInterrupt

    res = simulate(
        default_scenario, runs=3000, seed=1, workers=2, turns=4, chunk=100, progress=progress
    )
    assert res.interrupted and res.n >= 300 and res.n % 100 == 0
    assert list(res.runs) == sorted(res.runs)
    got = {int(k) for k in res.runs}
    for s, e in res.tally.missing(0, 3000):
        assert not got & set(range(s, e))
    assert res.summary()["missing_runs"][-1][1] == 3000


def test_unique_folder_names(tmp_path):
    a = unique_folder(tmp_path, "x-20260101-000000")
    b = unique_folder(tmp_path, "x-20260101-000000")
    assert a.name == "x-20260101-000000" and b.name == "x-20260101-000000-2"


def test_a_folder_of_other_things_is_never_replaced(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(FolderError, match="not Pact results"):
        check_destination(tmp_path)
    res = pact(
        "batch", "scenarios/treaty-2024.toml", "--runs", "5", "--turns", "1", "--out", tmp_path
    )
    assert res.returncode == 2 and "not Pact results" in res.stderr
    assert "Traceback" not in res.stderr and [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    (tmp_path / "summary.json").write_text("{}")  # a results folder the user added notes to
    with pytest.raises(FolderError, match="notes.txt"):
        check_destination(tmp_path)
    (tmp_path / "notes.txt").unlink()
    check_destination(tmp_path)


def test_an_unpublished_folder_leaves_the_old_one(tmp_path):
    out = tmp_path / "res"
    out.mkdir()
    (out / "summary.json").write_text("old")
    with pytest.raises(RuntimeError), ResultsFolder(out) as tmp:
        (tmp / "summary.json").write_text("new")
        raise RuntimeError
    assert (out / "summary.json").read_text() == "old" and len(list(tmp_path.iterdir())) == 1
    folder = ResultsFolder(out)
    with folder as tmp:
        (tmp / "summary.json").write_text("new")
        folder.publish()
    assert [p.name for p in out.iterdir()] == ["summary.json"]
    assert (out / "summary.json").read_text() == "new" and len(list(tmp_path.iterdir())) == 1


def test_memory_bounds_name_the_option(default_scenario):
    p = default_scenario.params
    why = memory_problem(p, 1_000_000, 2, available=8 * 10**9)
    assert (
        why and why.startswith("--batch-size 1,000,000 needs about") and "use --batch-size" in why
    )
    fit = int(why.split("use --batch-size ")[1].split()[0].replace(",", ""))
    assert memory_problem(p, fit, 2, available=8 * 10**9) is None
    assert memory_problem(p, 1024, 2, available=8 * 10**9) is None
    kept = memory_problem(p, 1024, 2, kept_runs=100_000_000, available=8 * 10**9)
    assert kept and kept.startswith("--runs 100,000,000 keeps about")


@pytest.mark.slow
def test_parts_of_a_batch_merge_into_the_whole(tmp_path):
    common = ("scenarios/treaty-2024.toml", "--turns", "6", "--seed", "4", "--quiet")
    pact("batch", *common, "--runs", "500", "--out", tmp_path / "all", check=True)
    pact("batch", *common, "--runs", "300", "--out", tmp_path / "a", "--workers", "1", check=True)
    pact(
        "batch", *common, "--runs", "200", "--first-run", "300", "--out", tmp_path / "b", check=True
    )
    merged = pact(
        "merge",
        "scenarios/treaty-2024.toml",
        tmp_path / "b",
        tmp_path / "a",
        "--out",
        tmp_path / "m",
        check=True,
    )
    assert "Warning" not in merged.stderr
    # The convergence plot too: its points are read from the joined runs.csv, at the same
    # runs as a batch's, whatever its chunks.
    plots = ("outcomes.png", "escalation.png", "clauses.png", "convergence.png")
    for name in ("runs.csv", "tally.json", *plots):
        assert (tmp_path / "m" / name).read_bytes() == (tmp_path / "all" / name).read_bytes(), name

    def summary(d):
        s = json.loads((tmp_path / d / "summary.json").read_text())
        return {k: v for k, v in _drop_time(s).items() if k != "made_by"}

    assert summary("m") == summary("all")
    # The time series too: the same rows, in run order (in row groups of their own).
    series = [pq.read_table(tmp_path / d / "timeseries.parquet") for d in ("m", "all")]
    assert series[0].num_rows == 6 * 500 and series[0].equals(series[1])
    made = json.loads((tmp_path / "m" / "summary.json").read_text())["made_by"]
    assert [p["first_run"] for p in made["merged_from"]] == [300, 0]
    bad = pact(
        "merge",
        "scenarios/treaty-2024.toml",
        tmp_path / "a",
        tmp_path / "all",
        "--out",
        tmp_path / "n",
    )
    assert bad.returncode == 2 and "in both batches" in bad.stderr
    other = pact(
        "merge",
        "scenarios/treaty-2024.toml",
        tmp_path / "a",
        tmp_path / "b",
        "--set",
        "actors.PRK.doctrine.aggression=1.5",
        "--out",
        tmp_path / "n",
    )
    assert other.returncode == 2 and "other scenario content" in other.stderr
    assert not (tmp_path / "n").exists()
    # A part without its time series: the joined folder has none, as such a batch would not.
    pact(
        "batch", *common, "--runs", "200", "--first-run", "300", "--no-timeseries", "--no-plots",
        "--out", tmp_path / "c", check=True,
    )  # fmt: skip
    pact("merge", "scenarios/treaty-2024.toml", tmp_path / "a", tmp_path / "c", "--no-plots",
         "--out", tmp_path / "k", check=True)  # fmt: skip
    assert not (tmp_path / "k" / "timeseries.parquet").exists()
    # A part's time series that cannot be read: one line naming it, nothing written.
    shutil.copytree(tmp_path / "b", tmp_path / "d")
    (tmp_path / "d" / "timeseries.parquet").write_bytes(b"not parquet")
    broken = pact("merge", "scenarios/treaty-2024.toml", tmp_path / "a", tmp_path / "d",
                  "--no-plots", "--out", tmp_path / "z")  # fmt: skip
    assert broken.returncode == 2 and "timeseries.parquet: cannot read it" in broken.stderr
    assert "Traceback" not in broken.stderr and not (tmp_path / "z").exists()
    joined, whole = (tmp_path / d / "runs.csv" for d in ("k", "all"))
    assert joined.read_bytes() == whole.read_bytes()


@pytest.mark.slow
def test_summary_says_how_the_batch_was_made_and_files_follow_the_umask(tmp_path):
    out = tmp_path / "res"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "game", "batch", "scenarios/treaty-2024.toml", "--runs", "20"]
    cmd += ["--turns", "2", "--seed", "3", "--set", "actors.PRK.doctrine.aggression=1.5"]
    cmd += ["--quiet", "--no-plots", "--out", str(out)]
    subprocess.run(
        cmd, cwd=ROOT, env=env, check=True, capture_output=True, preexec_fn=lambda: os.umask(0o027)
    )
    assert stat.S_IMODE(out.stat().st_mode) == 0o750
    assert stat.S_IMODE((out / "runs.csv").stat().st_mode) == 0o640
    s = json.loads((out / "summary.json").read_text())
    made = s["made_by"]
    assert made["pact_version"] and len(made["scenario_sha256"]) == 64
    assert made["overrides"] == {"actors.PRK.doctrine.aggression": 1.5}
    assert list(made["scenario_files"]) == ["scenarios/treaty-2024.toml"]
    assert made["command_line"][:2] == ["pact", "batch"] and "--set" in made["command_line"]
    assert (s["seed"], s["runs"], s["turns"], s["first_run"]) == (3, 20, 2, 0)
    rows = list(csv.DictReader((out / "runs.csv").open()))
    assert len(rows) == 20


@pytest.mark.parametrize("workers", [1, 2])
def test_a_batch_stops_when_asked(default_scenario, workers):
    res = simulate(
        default_scenario,
        runs=5000,
        seed=3,
        workers=workers,
        turns=3,
        chunk=100,
        stop_when=lambda t: t.n >= 300,
    )
    assert res.n == 300 and res.requested == 300 and not res.interrupted
    assert list(res.runs) == list(range(300)) and res.summary()["missing_runs"] == []
