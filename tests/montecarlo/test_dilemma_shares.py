"""A batch says how its dilemmas were answered: each option's share of the runs that answered,
from the totals (so also when rows are not kept), equal to what the runs' rows count, in
summary.json, the terminal and report.html, and the same for any chunk size."""

import json

import numpy as np

from game.montecarlo.html import batch_report
from game.montecarlo.runner import simulate
from tests.helpers import pact


def test_each_option_s_share_comes_from_the_runs_that_answered(default_scenario):
    r = simulate(default_scenario, runs=600, seed=4, turns=12, chunk=600, workers=1)
    s = r.summary()
    p = default_scenario.params
    assert set(s["dilemmas"]) == {d.id for d in p.dilemmas}
    for dl in p.dilemmas:
        d = s["dilemmas"][dl.id]
        fired = (r.event_count[:, dl.events] > 0).sum(axis=0)  # the rows' own counts
        assert [o["count"] for o in d["options"].values()] == fired.tolist()
        assert d["answered"]["count"] == int(fired.sum()) <= 600
        assert abs(sum(o["p"] for o in d["options"].values()) - 1.0) < 1e-9
        lo, hi = d["options"][next(iter(d["options"]))]["ci95"]
        assert lo <= d["options"][next(iter(d["options"]))]["p"] <= hi
    small = simulate(default_scenario, runs=600, seed=4, turns=12, chunk=64, workers=1)
    assert small.summary()["dilemmas"] == s["dilemmas"]
    html = batch_report(s, {})
    assert "Dilemmas" in html and "Send shells to Kyiv" in html


def test_the_terminal_shows_the_dilemmas(tmp_path):
    out = tmp_path / "b"
    got = pact(
        "batch", "scenarios/treaty-2024.toml", "--runs", "200", "--turns", "12",
        "--workers", "1", "--no-plots", "--out", str(out),
    )  # fmt: skip
    assert got.returncode == 0, got.stderr
    assert "Dilemmas" in got.stdout and "Non-lethal aid only" in got.stdout
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert np.isclose(sum(o["p"] for o in s["dilemmas"]["rok_lethal_aid"]["options"].values()), 1)
