"""Compare: clauses in one scenario only are shown as such; marks are Holm-adjusted."""

from __future__ import annotations

import numpy as np
import pytest

from game.montecarlo.report import compare, plot_compare
from game.montecarlo.runner import simulate
from game.scenario import load_scenario
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def pair(default_scenario):
    other = load_scenario(ROOT / "scenarios" / "treaty-2000.toml")
    a = simulate(default_scenario, runs=400, seed=4, workers=1, turns=12)
    b = simulate(other, runs=400, seed=4, workers=1, turns=12)
    return a, b


def test_clauses_in_one_scenario_only_are_not_differences(pair):
    a, b = pair
    cmp = compare(a, b)
    only_a = set(a.params.clause_keys) - set(b.params.clause_keys)
    only_b = set(b.params.clause_keys) - set(a.params.clause_keys)
    assert only_a and not only_b
    for key, d in cmp["clauses"].items():
        if key in only_a or key in only_b:
            assert d["diff"] is None and d["ci95"] is None and "significant" not in d
            assert d["only_in"] == ("a" if key in only_a else "b")
            assert d["p_b" if key in only_a else "p_a"] is None
        else:
            assert d["ci95"][0] <= d["diff"] <= d["ci95"][1]
    assert plot_compare(cmp)[:4] == b"\x89PNG"


def test_marks_are_holm_adjusted(pair):
    a, b = pair
    cmp = compare(a, b)
    rows = [d for t in ("outcomes", "clauses") for d in cmp[t].values() if d["diff"] is not None]
    m = len(rows)
    p = sorted(d["p_value"] for d in rows)
    # Holm: the smallest p-value needs alpha / m, not alpha.
    sig = [d for d in rows if d["significant"]]
    assert all(d["p_value"] <= 0.05 for d in sig)
    if sig:
        assert p[0] <= 0.05 / m
    # Fewer marks than unadjusted tests would give whenever a p-value lies between.
    unadjusted = sum(d["p_value"] <= 0.05 for d in rows)
    assert len(sig) <= unadjusted
    assert "Holm" in cmp["test_method"]


def test_a_batch_against_itself_marks_nothing(pair):
    a, _ = pair
    cmp = compare(a, a)
    for table in ("outcomes", "clauses", "hostile_moves", "tension"):
        for d in cmp[table].values():
            assert not d.get("significant")
            if d["diff"] is not None:
                assert d["diff"] == 0
    assert np.isclose(cmp["outcomes"][a.params.outcomes[0].id]["p_value"], 1.0)


def test_the_compare_plots_axis_reads_zero_as_zero():
    """The axis of differences in percentage points: signed, but no '+0.0' at the middle."""
    from game.montecarlo.report import _points_label

    assert [_points_label(v) for v in (0.0, -0.0, 0.0004, -0.0004)] == ["0"] * 4
    assert [_points_label(v) for v in (0.015, -0.005, 0.001)] == ["+1.5", "-0.5", "+0.1"]
