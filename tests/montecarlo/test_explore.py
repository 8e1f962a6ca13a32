"""Experiment designs: points, common random numbers, tables, ranking and the tornado plot."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from game.montecarlo.explore import (
    ExploreError,
    Vary,
    design,
    exact_fit,
    explore,
    parse_vary,
    sensitivity,
)
from game.montecarlo.runner import simulate
from game.scenario import load_scenario
from tests.conftest import DEFAULT
from tests.helpers import pact

AGG = "actors.PRK.doctrine.aggression"
CAU = "actors.USA.doctrine.caution"


def test_lhs_has_one_point_in_every_stratum_of_every_key():
    v = [Vary(AGG, 0.5, 2.0), Vary(CAU, 0.0, 4.0)]
    x = design(v, "lhs", 8, seed=1)
    assert x.shape == (8, 2)
    for c, k in enumerate(v):
        strata = np.floor((x[:, c] - k.lo) / (k.hi - k.lo) * 8).clip(0, 7)
        assert sorted(strata.astype(int)) == list(range(8))
    g = design(v, "grid", 3)
    assert g.shape == (9, 2) and sorted(set(g[:, 0])) == [0.5, 1.25, 2.0]


@pytest.mark.parametrize("text", ["nokey", "a.b=1", "a.b=2:1", "a.b=x:2", "=1:2"])
def test_bad_vary_is_refused(text):
    with pytest.raises(ExploreError):
        parse_vary(text)


def test_sensitivity_recovers_a_linear_effect():
    v = [Vary("a", 0, 10), Vary("b", 0, 1)]
    x = design(v, "grid", 4)
    rows = [{"m": {"p": 0.1 + 0.02 * a - 0.05 * b}} for a, b in x]
    s = sensitivity(v, x, rows)["m"]
    assert s["effects"]["a"]["effect"] == pytest.approx(0.2)
    assert s["effects"]["b"]["effect"] == pytest.approx(-0.05)
    assert s["ranking"] == ["a", "b"]


def test_a_fit_without_residuals_is_named():
    """Fewer points than keys + 2 leave the linear fit no residual to give intervals by."""
    assert exact_fit(2, 1) and exact_fit(3, 2) and "--points 4" in exact_fit(3, 2)
    assert exact_fit(3, 1) is None and exact_fit(4, 2) is None


def test_every_point_is_the_batch_with_its_values(default_scenario):
    v = [Vary(AGG, 0.5, 2.0), Vary(CAU, 0.5, 2.0)]
    doc = explore(DEFAULT, v, "lhs", 3, runs=60, seed=2, workers=1, turns=8)
    assert len(doc["points"]) == 3 and not doc["interrupted"]
    # Three points for two keys: the fit passes through them, and the document says so.
    assert "Use --points 4 or more" in doc["fit_note"]
    assert doc["ranking"] == []  # nothing to rank the keys by
    base = simulate(default_scenario, runs=60, seed=2, workers=1, turns=8)
    assert doc["baseline"]["crossed:armed_clash"]["count"] == int(
        (base.first_cross[:, 1] >= 0).sum()
    )
    pt = doc["points"][1]
    sc = load_scenario(DEFAULT, pt["values"])
    r = simulate(sc, runs=60, seed=2, workers=1, turns=8)
    for i, o in enumerate(r.params.outcomes):
        d = pt["measures"][f"outcome:{o.id}"]
        assert d["count"] == int((r.outcome == i).sum())
        # The paired difference is taken run by run against the baseline (common random numbers).
        assert d["diff"] == pytest.approx((r.outcome == i).mean() - (base.outcome == i).mean())
        assert d["diff_ci95"][0] <= d["diff"] <= d["diff_ci95"][1]
    # Marks are Holm-adjusted over every point and measure shown.
    marked = [pt["measures"][m] for pt in doc["points"] for m in doc["shown"]]
    assert all("significant" in d for d in marked) and "Holm" in doc["test_method"]
    if any(d["significant"] for d in marked):  # Holm's first step: the smallest p-value
        assert min(d["p_value"] for d in marked) <= 0.05 / len(marked)
    assert all(d["p_value"] <= 0.05 for d in marked if d["significant"])


@pytest.mark.slow
def test_explore_command_writes_tables_ranking_and_tornado(tmp_path):
    out = tmp_path / "e"
    res = pact(
        "explore",
        "treaty-2024",
        "--vary",
        f"{AGG}=0.5:2",
        "--vary",
        f"{CAU}=0.5:2",
        "--design",
        "lhs",
        "--points",
        "4",
        "--runs",
        "80",
        "--turns",
        "6",
        "--workers",
        "1",
        "--out",
        str(out),
    )
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO((out / "experiments.csv").read_text())))
    assert [r["point"] for r in rows] == ["0", "1", "2", "3", "4"]
    assert all(0.5 <= float(r[AGG]) <= 2 for r in rows[1:])
    assert all(0 <= float(r["p:crossed:armed_clash"]) <= 1 for r in rows)
    joined = list(csv.DictReader(io.StringIO((out / "results.csv").read_text())))
    assert {r["point"] for r in joined} == {"0", "1", "2", "3", "4"}
    assert (out / "sensitivity.csv").read_text().count(AGG) >= 1
    assert (out / "tornado.png").read_bytes()[:4] == b"\x89PNG"
    doc = json.loads((out / "explore.json").read_text())
    assert {r["key"] for r in doc["ranking"]} == {AGG, CAU}
    assert "Sensitivity ranking" in res.stdout
    assert doc["fit_note"] is None and "Warning" not in res.stdout  # 4 points, 2 keys: a fit
    assert doc["first_run"] == 0 and doc["made_by"]["command_line"][:2] == ["pact", "explore"]


def test_explore_refuses_bad_input_in_one_line(tmp_path):
    res = pact("explore", "treaty-2024", "--vary", f"{AGG}=2:1", "--out", str(tmp_path / "x"))
    assert res.returncode == 2 and "Traceback" not in res.stderr and AGG in res.stderr
    res = pact(
        "explore",
        "treaty-2024",
        "--vary",
        f"{AGG}=0:9",
        "--runs",
        "10",
        "--out",
        str(tmp_path / "y"),
    )
    assert res.returncode == 2 and "Traceback" not in res.stderr and "aggression" in res.stderr
    assert f"--vary {AGG}: " in res.stderr  # the option as given, not '--set'
    assert len(res.stderr.strip().splitlines()) == 1
