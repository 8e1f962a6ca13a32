"""Batches report commitments: credibility per run, decisions, red lines, hostile moves."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from game.montecarlo.report import compare
from game.montecarlo.runner import simulate
from game.scenario import load_scenario
from game.sim import play


@pytest.fixture(scope="module")
def batch(default_scenario):
    return simulate(default_scenario, runs=300, seed=9, workers=1, turns=24, chunk=128)


def test_rows_are_the_single_runs(default_scenario, batch):
    """Credibility, decisions and red-line answers of a row equal those of its run alone."""
    p = default_scenario.params
    for k in (0, 123, 299):
        st = play(p, seed=9, runs=[k], turns=24)
        assert np.array_equal(batch.cred[k], st.cred[0].astype(np.float32))
        assert np.array_equal(batch.honoured[k], st.honoured[0])
        assert np.array_equal(batch.declined[k], st.declined[0])
        assert np.array_equal(batch.red_line_count[k], st.red_line_count[0])
        iu, ju = np.triu_indices(p.n_actors, 1)
        assert np.array_equal(batch.tension[k], st.tension[0][iu, ju].astype(np.float32))


def test_summary_and_csv_carry_the_commitments(batch, tmp_path):
    s = batch.summary()
    keys = batch.params.commit.keys
    assert list(s["commitments"]) == keys
    dprk = s["commitments"]["rus_prk_2024.art4:PRK>RUS"]
    # The DPRK's pledge to Russia is weighed in (nearly) every run once the treaty binds.
    assert dprk["weighed"]["p"] > 0.8
    # Its start is drawn run by run: the summary gives the distribution beside its centre.
    assert dprk["credibility_start_drawn"] == "uniform 0.75 to 0.95"
    assert dprk["credibility_start"] == pytest.approx(0.85)
    for j, key in enumerate(keys):
        drawn = ("cred0", j) in batch.params.draw_at
        assert ("credibility_start_drawn" in s["commitments"][key]) == drawn
    lo, hi = dprk["credibility_end"]["ci95"]
    assert lo <= dprk["credibility_end"]["mean"] <= hi
    assert "putin_warning_2024" in s["red_lines"]
    assert s["hostile_moves"]["RUS>UKR"]["mean"] > 5
    path = tmp_path / "runs.csv"
    batch.to_csv(path)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == batch.n
    for j, key in enumerate(keys):
        got = np.array([float(r[f"credibility_{key}"]) for r in rows])
        assert np.allclose(got, batch.cred[:, j], atol=5e-5)
        assert [int(r[f"declined_{key}"]) for r in rows] == batch.declined[:, j].tolist()


def test_compare_reports_hostile_moves_tension_and_credibility(default_scenario, batch):
    other = load_scenario(default_scenario.path, {"red_lines.putin_warning_2024.credibility": 0.0})
    b = simulate(other, runs=300, seed=9, workers=1, turns=24, chunk=128)
    cmp = compare(batch, b)
    # With the warning a dead letter in B, its credibility ends at zero in every run of B.
    row = cmp["commitments"]["putin_warning_2024:RUS>KOR"]
    assert row["credibility_b"] == 0.0 and row["credibility_a"] > 0.3
    lo, hi = row["ci95"]
    assert lo <= row["credibility_diff"] <= hi and lo > 0
    for table in ("hostile_moves", "tension"):
        for d in cmp[table].values():
            assert d["ci95"][0] <= d["diff"] <= d["ci95"][1]
    assert "PRK>USA" in cmp["hostile_moves"] and "PRK-CHN" in cmp["tension"]
