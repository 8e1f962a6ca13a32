"""The forecast plays the engine's own futures and reads them with the engine's definitions:
from the scenario's start it agrees with ``pact batch`` exactly, and from the middle of a game
it counts the off-map theatre (Ukraine) as the batch does."""

import numpy as np
import pytest

from game.engine import initial_state
from game.engine.outcome import THRESHOLD_LABELS, THRESHOLDS, threshold_label
from game.engine.state import branch
from game.montecarlo.runner import simulate
from game.play.forecast import Forecast
from game.play.savefile import repo_root
from game.play.session import Session
from game.scenario import load_scenario
from game.sim import play


@pytest.mark.parametrize(
    "name, runs, months", [("treaty-2024", 300, 24), ("peninsula-clash", 200, 12)]
)
def test_forecast_from_the_start_is_the_batch(name, runs, months):
    sc = load_scenario(repo_root() / "scenarios" / f"{name}.toml")
    p = sc.params
    seed = 31
    s = Session(sc, 0, 99)  # the game's own seed plays no part: the futures take the forecast's
    f = Forecast(p, s.state, s.player, runs=runs, months=months, seed=seed, chunk=70).run()
    b = simulate(sc, runs=runs, seed=seed, workers=1, turns=months, chunk=128)
    summary = b.summary()
    crossed = 0
    for h, th in enumerate(p.thresholds):
        count = int((b.first_cross[:, h] >= 0).sum())
        assert f.odds[th] == count / runs, th
        assert f.odds[th] == summary["thresholds"][th]["p"]
        by_month = [
            ((b.first_cross[:, h] >= 0) & (b.first_cross[:, h] <= m)).mean() for m in range(months)
        ]
        assert f.cumulative[th] == pytest.approx(by_month, abs=0), th
        crossed += count > 0
    assert crossed >= 2, "too few crossings for the comparison to mean anything"
    for o in p.outcomes:
        assert f.outcomes[o.id] == summary["outcomes"][o.id]["p"], o.id


def test_mid_game_forecast_counts_the_off_map_theatre_as_the_batch_does(scenario):
    p = scenario.params
    s = Session(scenario, p.actor_ids.index("KOR"), 9)
    for _ in range(2):  # North Korea and Ukraine stand below war, and often climb to it
        s.end_turn(None)
    runs, months, seed = 200, 12, 4
    f = Forecast(p, s.state, s.player, runs=runs, months=months, seed=seed, chunk=64).run()
    # The same futures, played by the engine's loop, and read pair by pair here.
    start = s.rung
    war = p.thresholds["war"]
    ukr = p.actor_ids.index("UKR")
    assert not p.on_map[ukr]
    off_map = np.zeros((p.n_actors, p.n_actors), dtype=bool)
    off_map[ukr, :] = off_map[:, ukr] = True
    off_map[ukr, ukr] = False
    on_map_war = np.zeros(runs, dtype=bool)
    off_map_war = np.zeros(runs, dtype=bool)

    def read(rec, state):
        new = (state.rung >= war) & (start < war)[None]
        on_map_war[:] |= (new & p.regional_pair_mask[None]).any(axis=(1, 2))
        off_map_war[:] |= (new & off_map[None]).any(axis=(1, 2))

    play(p, seed, np.arange(runs), months, on_turn=read, state=s.state)
    assert (off_map_war & ~on_map_war).any(), "no future with a new war in Ukraine alone"
    assert f.odds["war"] == on_map_war.sum() / runs


def test_branching_the_start_is_the_batch(scenario):
    p = scenario.params
    runs = np.array([0, 5, 17, 40_000])
    a = branch(initial_state(p, 123, [0]), 8, runs, params=p)
    b = initial_state(p, 8, runs)
    for field in vars(b):
        got, want = getattr(a, field), getattr(b, field)
        np.testing.assert_array_equal(got, want, err_msg=field)


def test_playing_on_from_a_state_plays_the_months_left(scenario):
    p = scenario.params
    s = Session(scenario, 0, 2)
    for _ in range(3):
        s.end_turn(None)
    seen = []
    final = play(p, 5, [0, 1], on_turn=lambda rec, st: seen.append(rec.turn), state=s.state)
    assert seen[0] == 3 and (final.turn == p.turns or final.done.all())
    assert s.turn == 3  # the game's own state is left alone


def test_every_threshold_has_words():
    assert set(THRESHOLD_LABELS) == set(THRESHOLDS)
    assert threshold_label("general_nuclear_war", short=True) == "All-out"
    assert threshold_label("blockade_line") == "Blockade line"


def test_the_run_log_and_the_batch_table_use_the_engine_words(scenario):
    from game.report import format_outcome
    from game.sim import outcome_summary

    p = scenario.params
    final = play(p, 3, [0, 1, 2], 24)
    row = int(np.argmax((final.first_cross >= 0).sum(axis=1)))
    lines = format_outcome(p, outcome_summary(p, final, row))
    crossed = next(x for x in lines if "Thresholds first crossed" in x)
    assert "Threat in " in crossed and "threat in" not in crossed
    summary = simulate(scenario, runs=20, seed=1, workers=1, turns=2).summary()
    assert {k: d["name"] for k, d in summary["thresholds"].items()} == {
        k: threshold_label(k) for k in p.thresholds
    }


def test_a_forecast_played_in_parts_is_the_whole_forecast(scenario):
    """Parts of any cut, played with any chunk and put together in any order, give the whole
    forecast's result exactly; and a part alone is not a result."""
    from game.play.forecast import split_rows

    s = Session(scenario, scenario.params.actor_ids.index("KOR"), 5)
    for _ in range(3):
        s.end_turn(None)
    kw = dict(runs=230, months=10, seed=12)
    whole = Forecast(s.params, s.state, s.player, chunk=64, **kw).run()
    assert max(whole.odds.values()) > 0  # futures that climb: the comparison means something
    for n_parts, chunk in ((2, 50), (3, 1000), (7, 9)):
        rows = split_rows(kw["runs"], n_parts)
        assert rows[0][0] == 0 and rows[-1][1] == kw["runs"]
        assert all(a[1] == b[0] for a, b in zip(rows, rows[1:]))
        parts = []
        for lo_hi in rows:
            f = Forecast(s.params, s.state, s.player, chunk=chunk, rows=lo_hi, **kw)
            while not f.advance(1.0):
                pass
            assert f.result is None
            parts.append(f.part())
        joined = Forecast(s.params, s.state, s.player, **kw)
        for part in reversed(parts):
            joined.absorb(part)
        joined.finish()
        assert joined.result == whole, (n_parts, chunk)
    # A part missing shows: its futures count as never crossing anything.
    short = Forecast(s.params, s.state, s.player, **kw)
    short.absorb(parts[0])
    short.finish()
    assert short.result != whole


@pytest.mark.parametrize("runs, parts", [(1, 2), (5, 7), (2000, 2), (2001, 2), (10, 1)])
def test_rows_are_cut_into_near_equal_ranges(runs, parts):
    from game.play.forecast import split_rows

    rows = split_rows(runs, parts)
    sizes = [hi - lo for lo, hi in rows]
    assert sum(sizes) == runs and len(rows) == min(parts, runs)
    assert max(sizes) - min(sizes) <= 1


def test_rows_outside_the_forecast_are_refused(scenario):
    s = Session(scenario, 0, 5)
    with pytest.raises(ValueError, match="rows 10:40"):
        Forecast(s.params, s.state, s.player, runs=30, rows=(10, 40))
