"""Forecast questions: a batch's answer per run equals the single run's; shares and curves."""

from __future__ import annotations

import numpy as np
import pytest

from game.montecarlo.runner import simulate
from game.montecarlo.timeseries import pairs_that_matter
from game.scenario import load_scenario
from game.scenario.errors import ScenarioError
from game.sim import questions, run_log
from tests.conftest import DEFAULT


@pytest.fixture(scope="module")
def batch(default_scenario):
    return simulate(default_scenario, runs=300, seed=11, workers=1, turns=20, chunk=128)


def test_each_run_resolves_as_its_replay(default_scenario, batch):
    p = default_scenario.params
    qs = questions(p)
    assert [q["id"] for q in qs][:1] == ["prk_kor_clash_2025"]
    yes = np.nonzero((batch.question_month >= 0).any(axis=1))[0]
    for k in [0, 150, *yes[:3].tolist()]:
        log = run_log(p, 11, int(k), 20)
        for q, spec in enumerate(qs):
            got = log["questions"][spec["id"]]
            m = int(batch.question_month[k, q])
            # A question dated after the 20 months played is open, unless it came true.
            unsettled = "open" if spec["by"] >= 20 else "no"
            assert got["resolved"] == ("yes" if m >= 0 else unsettled)
            if m >= 0:
                assert got["month"] == m and m <= spec["by"]


def test_shares_and_curves(batch):
    s = batch.summary()["questions"]
    for q, d in enumerate(s.values()):
        col = batch.question_month[:, q]
        assert d["count"] == int((col >= 0).sum())
        lo, hi = d["ci95"]
        assert lo <= d["p"] <= hi
        ps = [m["p"] for m in d["by_month"]]
        assert ps == sorted(ps)  # resolved by a month stays resolved
        assert ps[-1] == pytest.approx(d["p"])
    # Questions dated after the 20 months played say so.
    assert s["nuclear_use_2027"]["horizon_short"] and not s["prk_kor_clash_2025"]["horizon_short"]


def test_question_condition_holds_at_the_month_it_resolves(default_scenario):
    """A question on a threshold resolves the month the batch records the crossing."""
    sc = load_scenario(
        DEFAULT,
        {"actors.PRK.doctrine.aggression": 3.0},
    )
    r = simulate(sc, runs=200, seed=1, workers=1, turns=18)
    q = [x["id"] for x in questions(r.params)].index("prk_kor_clash_2025")
    m = r.question_month[:, q]
    assert (m >= 0).any()
    p = r.params
    i, j = p.actor_ids.index("PRK"), p.actor_ids.index("KOR")
    col = pairs_that_matter(p).index((i, j))
    peak_clash = r.peak[:, col] >= p.thresholds["armed_clash"]
    # 18 months end in 2025-12, the question's date: it resolved yes exactly when the pair's
    # peak reached a clash.
    assert ((m >= 0) == peak_clash).all()


def test_a_question_dated_before_the_start_is_refused(tmp_path):
    text = (
        DEFAULT.read_text()
        + '\n[[questions]]\nid = "early"\nname = "x"\nwhen = "turn >= 0"\nby = "2020-01"\n'
    )
    path = tmp_path / "s.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as e:
        load_scenario(path)
    assert "before the scenario starts" in e.value.one_line()


def test_a_question_is_open_only_while_its_run_could_still_go_on(default_scenario):
    """A run stopped (--turns) before a question's date leaves it open, not 'no'; a run that
    ended (the game over) settles it 'no'; a question that came true is 'yes' either way."""
    from game.sim import question_results

    p = default_scenario.params
    qs = questions(p)
    first = np.full(len(qs), -1)
    first[0] = 3
    stopped = question_results(p, first, 6)
    over = question_results(p, first, 6, ended=True)
    whole = question_results(p, first, p.turns)
    for q, spec in enumerate(qs):
        got = [r[spec["id"]]["resolved"] for r in (stopped, over, whole)]
        if q == 0:
            assert got == ["yes"] * 3
        else:
            assert spec["by"] > 5
            assert got == ["open", "no", "no"]
            assert "before the question's date" in stopped[spec["id"]]["note"]
