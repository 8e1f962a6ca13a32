"""report.html: self-contained (plots embedded), and it renders in headless Chromium."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import numpy as np
import pytest

from game.engine.outcome import AFTER_THE_RUNS, CROSSING_RULE
from game.montecarlo.html import pct
from game.montecarlo.runner import simulate

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def report(default_scenario, tmp_path_factory):
    out = tmp_path_factory.mktemp("rep")
    res = simulate(default_scenario, runs=200, seed=2, workers=1, turns=12)
    res.write(out)
    return out / "report.html", res


def test_report_is_self_contained_with_tables_and_plots(report):
    path, res = report
    text = path.read_text()
    # Every image is embedded; nothing is fetched from elsewhere.
    srcs = re.findall(r'src="([^"]*)"', text)
    assert len(srcs) >= 4 and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert "href=" not in text
    for o in res.params.outcomes:
        assert o.name in text
    assert "DPRK-ROK armed clash by 2025-12" in text


def test_report_says_which_pairs_count_and_where_it_happened(report):
    """The page gives what the terminal gives: the crossing rule beside the thresholds, and the
    share of runs in each region for every threshold reported by region."""
    path, res = report
    text = path.read_text()
    assert f"Thresholds crossed ({CROSSING_RULE})" in text
    where = res.summary()["where"]
    assert where, "the default scenario reports thresholds by region"
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>", text)
    for d in where.values():
        for r in d["regions"].values():
            assert (html.escape(d["name"]), html.escape(r["name"]), pct(r["p"])) in rows


def test_report_gives_each_questions_share_half_way_to_its_date(report):
    """The questions table gives the terminal's half-way share and date (one definition, in
    the summary), and says where a question's date lies after the runs end."""
    path, res = report
    text = path.read_text()
    qs = res.summary()["questions"]
    assert any(d["horizon_short"] for d in qs.values())  # 12 months: some dates lie past them
    rows = re.findall(r"<tr>((?:<td>[^<]*</td>){5})</tr>", text)
    cells = [re.findall(r"<td>([^<]*)</td>", r) for r in rows]
    for d in qs.values():
        h = d["half_way"]
        assert h["month"] == len(d["by_month"]) // 2
        by = d["by"] + (f" ({AFTER_THE_RUNS})" if d["horizon_short"] else "")
        half = f"{pct(h['p'])} by {h['date']}"
        assert [html.escape(d["name"]), html.escape(by), pct(d["p"])] in [c[:3] for c in cells]
        assert half in [c[4] for c in cells if c[0] == html.escape(d["name"])]


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
def test_report_renders_in_headless_chromium(report, tmp_path):
    path, _ = report
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1200,2400",
            f"--screenshot={shot}",
            path.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    import matplotlib.image as mpimg

    px = mpimg.imread(shot)
    assert px.shape[0] == 2400 and px.shape[1] == 1200
    # The page is drawn: far from a blank white screen (text, tables and plots).
    assert (px[..., :3].mean(axis=2) < 0.5).mean() > 0.01
    assert np.unique(px.reshape(-1, px.shape[-1]), axis=0).shape[0] > 50
