"""Batches: reproducible for any workers and batch size, replayable run by run, sound sums."""

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from game.montecarlo.runner import simulate
from game.sim import run_log
from tests.helpers import pact

ROOT = Path(__file__).resolve().parents[2]


def _drop_time(summary):
    return {k: v for k, v in summary.items() if "time" not in k and "seconds" not in k}


@pytest.fixture(scope="module")
def batch_one_worker(default_scenario):
    return simulate(default_scenario, runs=600, seed=3, workers=1, turns=18, chunk=256)


def test_workers_and_batch_size_do_not_change_results(default_scenario, batch_one_worker, tmp_path):
    two = simulate(default_scenario, runs=600, seed=3, workers=2, turns=18, chunk=100)
    a, b = batch_one_worker, two
    for name in (
        "runs",
        "outcome",
        "end_turn",
        "first_cross",
        "clause_count",
        "peak",
        "at_or_above",
        "clause_turn",
        "actions",
        "hostile",
        "tension",
        "cred",
        "honoured",
        "declined",
        "red_line_count",
        "event_count",
        "question_month",
    ):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert _drop_time(a.summary()) == _drop_time(b.summary())
    a.to_csv(tmp_path / "a.csv")
    b.to_csv(tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_replaying_run_k_reproduces_row_k(default_scenario, batch_one_worker):
    p = default_scenario.params
    for k in (0, 17, 599):
        log = run_log(p, seed=3, run=k, turns=18)
        out = log["outcome"]
        assert out["id"] == p.outcomes[batch_one_worker.outcome[k]].id
        assert out["end_turn"] == batch_one_worker.end_turn[k]
        counts = {
            key: int(batch_one_worker.clause_count[k, q])
            for q, key in enumerate(p.clause_keys)
            if batch_one_worker.clause_count[k, q]
        }
        assert out["clauses_invoked"] == counts


@pytest.mark.slow
def test_cli_run_replays_a_row_of_the_csv(tmp_path):
    out = tmp_path / "b"
    pact(
        "batch",
        "scenarios/treaty-2024.toml",
        "--runs",
        "50",
        "--seed",
        "9",
        "--turns",
        "12",
        "--out",
        str(out),
        "--quiet",
        "--no-plots",
        check=True,
    )
    rows = list(csv.DictReader((out / "runs.csv").open()))
    assert len(rows) == 50 and rows[31]["run"] == "31" and rows[31]["seed"] == "9"
    res = pact(
        "run",
        "scenarios/treaty-2024.toml",
        "--seed",
        "9",
        "--run",
        "31",
        "--turns",
        "12",
        "--json",
        check=True,
    )
    doc = json.loads(res.stdout)
    assert doc["outcome"]["id"] == rows[31]["outcome"]
    assert str(doc["outcome"]["end_turn"]) == rows[31]["end_turn"]


def test_probabilities_sum_to_one_and_intervals_contain_estimates(batch_one_worker):
    s = batch_one_worker.summary()
    assert sum(d["count"] for d in s["outcomes"].values()) == s["runs"] == 600
    assert sum(d["p"] for d in s["outcomes"].values()) == pytest.approx(1.0)
    for group in ("outcomes", "clauses", "thresholds"):
        for d in s[group].values():
            lo, hi = d["ci95"]
            assert 0 <= lo <= d["p"] <= hi <= 1
    assert "Wilson" in s["interval_method"]


def test_interrupt_keeps_completed_runs(default_scenario):
    calls = []

    def progress(k):
        calls.append(k)
        if len(calls) == 2:
            raise KeyboardInterrupt

    res = simulate(
        default_scenario, runs=500, seed=1, workers=1, turns=6, chunk=100, progress=progress
    )
    assert res.interrupted and res.n == 200 and list(res.runs) == list(range(200))


@pytest.mark.slow
def test_batch_writes_all_outputs(tmp_path):
    out = tmp_path / "res"
    res = pact(
        "batch",
        "scenarios/treaty-2024.toml",
        "--runs",
        "300",
        "--seed",
        "2",
        "--turns",
        "12",
        "--out",
        str(out),
        "--quiet",
        "--workers",
        "1",
    )
    assert res.returncode == 0, res.stderr
    for name in ("summary.json", "runs.csv", "outcomes.png", "escalation.png", "clauses.png"):
        assert (out / name).stat().st_size > 0
    s = json.loads((out / "summary.json").read_text())
    assert s["runs"] == 300 and s["seed"] == 2 and s["turns"] == 12
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert "Heightened tensions" in res.stdout


def test_set_overrides_are_validated(tmp_path):
    res = pact(
        "batch",
        "scenarios/treaty-2024.toml",
        "--runs",
        "10",
        "--set",
        "actors.PRK.military=-5",
        "--out",
        str(tmp_path / "x"),
        "--quiet",
    )
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "military" in res.stderr


@pytest.mark.slow
def test_compare_prints_differences_with_intervals(tmp_path):
    res = pact(
        "compare",
        "scenarios/treaty-2024.toml",
        "tests/data/clause-cascade.toml",
        "--runs",
        "200",
        "--turns",
        "6",
        "--out",
        str(tmp_path / "c"),
        "--workers",
        "1",
    )
    assert res.returncode == 0, res.stderr
    doc = json.loads((tmp_path / "c" / "compare.json").read_text())
    assert doc["first_run"] == 0 and set(doc["made_by"]) == {"a", "b"}
    assert doc["made_by"]["a"]["scenario_sha256"] != doc["made_by"]["b"]["scenario_sha256"]
    for d in doc["outcomes"].values():
        if d["in_a"] and d["in_b"]:
            assert d["ci95"][0] <= d["diff"] <= d["ci95"][1]
        else:  # an outcome one scenario lacks is shown as such, not as a difference
            assert d["diff"] is None and d["only_in"] in ("a", "b")
    assert "A - B" in res.stdout and "Holm" in res.stdout


@pytest.mark.slow
def test_compare_names_the_tested_clauses_it_does_not_show(tmp_path):
    """The terminal leaves out the clauses both scenarios have and neither invoked, as the
    plot does; its footnote counts them among the comparisons Holm's adjustment is for, so it
    names them, and says how its intervals and its tests differ."""
    res = pact(
        "compare", "treaty-2024", "treaty-2000", "--runs", "200", "--turns", "6",
        "--workers", "1", "--no-plots", "--out", str(tmp_path / "c"),
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    doc = json.loads((tmp_path / "c" / "compare.json").read_text())
    text = " ".join(res.stdout.split())
    unseen = [k for k, d in doc["clauses"].items() if d["in_a"] and d["in_b"] and not d["p_a"]]
    unseen = [k for k in unseen if not doc["clauses"][k]["p_b"]]
    assert unseen  # a clause of both that six months never invoke
    tested = sum("significant" in d for g in ("outcomes", "clauses") for d in doc[g].values())
    assert f"for {tested} comparisons" in text
    assert f"{len(unseen)} of them of clauses invoked in neither" in text
    assert all(k in text.split("invoked in neither", 1)[1] for k in unseen)
    assert doc["interval_note"] in text


@pytest.mark.slow
def test_quiet_prints_one_line_and_json_the_summary(tmp_path):
    common = ["--runs", "40", "--turns", "4", "--workers", "1", "--no-plots"]
    res = pact("batch", "treaty-2024", *common, "--out", str(tmp_path / "q"), "--quiet", check=True)
    assert len(res.stdout.strip().splitlines()) == 1 and "40 runs" in res.stdout
    res = pact("batch", "treaty-2024", *common, "--out", str(tmp_path / "j"), "--json", check=True)
    assert json.loads(res.stdout) == json.loads((tmp_path / "j" / "summary.json").read_text())
    res = pact(
        "compare",
        "treaty-2024",
        "treaty-2000",
        *common,
        "--out",
        str(tmp_path / "c"),
        "--json",
        check=True,
    )
    assert json.loads(res.stdout)["runs"] == 40
    res = pact(
        "sweep",
        "treaty-2024",
        "actors.PRK.doctrine.aggression=1,2",
        *common,
        "--out",
        str(tmp_path / "s"),
        "--quiet",
        check=True,
    )
    assert len(res.stdout.strip().splitlines()) == 1
