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


def test_nuclear_users_read_only_the_movers_as_the_whole_batch_would():
    # users() reads the (run, mover) entries of the month's nuclear moves only; the batch-wide
    # definition is the oracle, on states where such moves and their conditions vary.
    from game.engine import nuclear
    from game.engine.state import initial_state

    p = load_scenario(SCENARIOS / "peninsula-clash.toml").params
    rng = np.random.default_rng(5)
    n_b, n_a = 400, p.n_actors
    nuclear_moves = nuclear.nuclear_moves(p)
    assert nuclear_moves.any()
    starts = p.actor_cand_start
    nuc = p.thresholds["nuclear_use"]
    for trial in range(6):
        st = initial_state(p, 0, np.arange(n_b))
        st.rung[:] = rng.integers(0, len(p.rung_ids), st.rung.shape).astype(st.rung.dtype)
        st.done[:] = rng.random(n_b) < 0.2
        before = rng.random(st.rung.shape) < 0.3
        moves = np.empty((n_b, n_a), dtype=np.int64)
        for a in range(n_a):
            cands = np.arange(starts[a], starts[a + 1])
            nukes = cands[nuclear_moves[cands]]
            pick = rng.choice(cands, n_b)
            if nukes.size and trial:  # trial 0: (almost) no nuclear move at all
                pick = np.where(rng.random(n_b) < 0.3, rng.choice(nukes, n_b), pick)
            moves[:, a] = pick
        t = p.cand_target[moves]
        b, a = np.arange(n_b)[:, None], np.arange(n_a)[None, :]
        oracle = nuclear_moves[moves] & (st.rung[b, a, t] >= nuc) & ~before[b, a, t]
        oracle &= ~st.done[:, None]
        got = nuclear.users(p, st, moves, before)
        assert got.dtype == bool and np.array_equal(got, oracle)
        assert trial == 0 or got.any()


def test_the_worlds_answer_changes_only_the_users_runs():
    """The answer to a use in run 0 clips run 0's attributes and leaves run 1's as they stand,
    a negative entry included (clipping the whole batch would make run 1 depend on run 0)."""
    from game.engine import initial_state, nuclear
    from game.engine.names import ATTR

    p = load_scenario(SCENARIOS / "peninsula-clash.toml").params
    st = initial_state(p, 1, [0, 1])
    rus = p.actor_ids.index("RUS")
    st.attr[1, rus, ATTR["economy"]] = -5.0
    before = st.attr[1].copy()
    used = np.zeros((2, p.n_actors), dtype=bool)
    used[0, rus] = True
    nuclear.react(p, st, used)
    assert np.array_equal(st.attr[1], before)
    assert (st.attr[0] >= 0).all()
    assert st.attr[0, rus, ATTR["economy"]] < p.attr0[rus, ATTR["economy"]]
