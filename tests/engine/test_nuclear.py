"""The top of the ladder: alerts in wars between nuclear powers, the world's answer to use."""

from pathlib import Path

import numpy as np
import pytest

from game.report import describe
from game.scenario import load_scenario
from game.sim import play, run_log

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
RUNS = 1500


def _alert_share(sets: dict | None) -> float:
    """Share of US-Russia and US-China wars in the peninsula clash that reach nuclear alert."""
    p = load_scenario(SCENARIOS / "peninsula-clash.toml", sets).params
    ax = p.actor_ids.index
    st = play(p, 1, np.arange(RUNS))
    alert = p.rung_ids.index("nuclear_alert")
    peaks = np.concatenate([st.peak[:, ax("USA"), ax("RUS")], st.peak[:, ax("USA"), ax("CHN")]])
    wars = peaks >= p.thresholds["war"]
    assert wars.sum() > 100
    return float((peaks[wars] >= alert).mean())


@pytest.mark.slow
def test_great_power_wars_bring_nuclear_alert_and_not_without_the_mechanism():
    on = _alert_share(None)
    off = _alert_share({"nuclear.alert_base": 0.0})
    assert 0.15 < on < 0.6, on
    assert off < 0.05, off


def _first_nuclear_use(scenario: str):
    """(params, run) of the first run of seed 1 in which a state uses nuclear weapons."""
    p = load_scenario(SCENARIOS / f"{scenario}.toml").params
    st = play(p, 1, np.arange(3000))
    used = (st.peak >= p.thresholds["nuclear_use"]).any(axis=(1, 2))
    assert used.any()
    return p, int(np.nonzero(used)[0][0])


def test_nuclear_use_sets_off_a_world_reaction_in_the_log():
    p, run = _first_nuclear_use("peninsula-clash")
    log = run_log(p, seed=1, run=run)
    events = [ev for m in log["turns"] for ev in m["events"]]
    reactions = [ev for ev in events if ev["kind"] == "world_reaction"]
    assert reactions, "nuclear use without the world's answer"
    ev = reactions[0]
    user = ev["user"]
    assert ev["sanctions"] and user not in ev["sanctions"]
    assert all(x in p.actor_ids and x != user for x in ev["alerts"] + ev["partners_break"])
    assert describe(p, ev).startswith("WORLD")
    # The answer is visible in the world: every other state's tension with the user is high
    # at the end, and the other nuclear powers stand on alert against it.
    final = play(p, 1, [run])
    u = p.actor_ids.index(user)
    alert = p.rung_ids.index("nuclear_alert")
    for x in ev["alerts"]:
        assert final.peak[0, u, p.actor_ids.index(x)] >= alert
