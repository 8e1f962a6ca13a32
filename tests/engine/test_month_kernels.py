"""The compiled bookkeeping of a month (game.engine.month_kernels) equals its numpy definition
(tests/engine/oracle_statek.py) bit for bit: the end of each month (coordination, peaks,
threshold crossings, regions) on every month of many runs of the shipped scenarios and the
generated 16-actor scenario, and the batch's per-month tally and nuclear alerts on the same
months. A month
stepped in place (``step``'s ``in_place``, a batch's months) gives the state a month stepped on
a copy gives."""

from __future__ import annotations

import importlib
from dataclasses import replace

import numpy as np
import pytest

import game.engine.month_kernels as month_kernels
import game.engine.nuclear as nuclear
import game.montecarlo.runner as runner
from game.ai import doctrine_policy
from game.engine.state import initial_state
from game.montecarlo.runner import run_chunk
from game.scenario import load_scenario
from game.sim import months
from tests.engine import oracle_statek
from tests.engine.test_compiled_engine import ROOT, _same_state, _scenario

step_mod = importlib.import_module("game.engine.step")


def _record(monkeypatch, params, runs: int, seed: int = 5) -> dict:
    """Play ``runs`` runs with both month ends, tallies and nuclear alerts side by side; returns
    how many crossings, new regions, clauses, hostile moves and alerts the months held."""
    new_end, new_tally = step_mod._month_end, runner.tally_month
    seen = {
        "months": 0,
        "crossed": 0,
        "reached": 0,
        "clauses": 0,
        "hostile": 0,
        "alerts": 0,
        "events": 0,
    }

    def both_ends(params, state):
        ref_state = state.copy()
        before = int(state.reached.sum())
        ref = oracle_statek.month_end(params, ref_state)
        out = new_end(params, state)
        for name, x, y in zip(("crossed", "ended"), out, ref):
            assert x.dtype == y.dtype and x.tobytes() == y.tobytes(), f"{state.turn}: {name}"
        assert _same_state(state, ref_state) == [], f"month {state.turn}"
        seen["months"] += 1
        seen["crossed"] += int(out[0].sum())
        seen["reached"] += int(state.reached.sum()) - before
        return out

    def both_tallies(params, rec, live, hostile_action, *sums):
        ref = [x.copy() for x in sums]
        state = type("Done", (), {"done": np.zeros_like(live), "batch": live.shape[0]})()
        oracle_statek.tally(params, replace(rec, ended=live), state, *ref)
        new_tally(params, rec, live, hostile_action, *sums)
        for name, x, y in zip(("at_or_above", "clause_turn", "actions", "hostile"), sums, ref):
            assert x.tobytes() == y.tobytes(), f"month {rec.turn}: {name} differs"
        seen["clauses"] += int(sums[1][rec.turn].sum())
        seen["hostile"] += int(sums[3].sum())

    new_alert = nuclear.alert

    def both_alerts(params, state, stream_turn):
        ref_state = state.copy()
        ref = oracle_statek.alert(params, ref_state, stream_turn)
        out = new_alert(params, state, stream_turn)
        assert out.tobytes() == ref.tobytes(), f"month {state.turn}: alert differs"
        assert _same_state(state, ref_state) == [], f"month {state.turn}"
        seen["alerts"] += int(out.sum())
        return out

    new_events = step_mod._events

    def both_events(params, state, ctx):
        ref_state = state.copy()
        ref = oracle_statek.events(params, ref_state, step_mod.Context(params, ref_state))
        out = new_events(params, state, ctx)
        assert out.tobytes() == ref.tobytes(), f"month {state.turn}: events differ"
        assert _same_state(state, ref_state) == [], f"month {state.turn}"
        seen["events"] += int(out.sum())
        return out

    monkeypatch.setattr(step_mod, "_events", both_events)
    monkeypatch.setattr(nuclear, "alert", both_alerts)
    monkeypatch.setattr(step_mod, "_month_end", both_ends)
    monkeypatch.setattr(runner, "tally_month", both_tallies)
    run_chunk(params, seed, 0, runs, params.turns)
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["treaty-2024", "peninsula-clash", "generated-16"])
def test_compiled_month_end_and_tally_equal_the_numpy_definition(monkeypatch, tmp_path, scenario):
    params = _scenario(tmp_path, scenario)
    seen = _record(monkeypatch, params, runs=192)
    assert seen["months"] == params.turns
    # The recorded months exercise what the loops do: crossings, regions, clauses, hostility
    # (nuclear alerts are rare at the scenarios' rates: see the next test).
    seen.pop("alerts")
    assert min(seen.values()) > 0, seen


def test_nuclear_alerts_weighed_in_the_wars_only_equal_the_numpy_definition(monkeypatch):
    """Wars between nuclear powers made to climb to alert often (peninsula-clash)."""
    params = load_scenario(ROOT / "scenarios" / "peninsula-clash.toml").params
    params = replace(params, nuclear=replace(params.nuclear, alert_base=50.0))
    seen = _record(monkeypatch, params, runs=64, seed=5)
    assert seen["alerts"] > 0, seen


def test_the_pairs_between_two_rungs_are_those_numpy_finds_in_its_order():
    """The nuclear alert's search (``month_kernels.pairs_between``): the listed pairs of the
    live runs at or above one rung and below another, as ``np.nonzero`` lists them."""
    gen = np.random.default_rng(3)
    rung = gen.integers(0, 9, (200, 7, 7)).astype(np.int16)
    done = gen.random(200) < 0.2
    pi, pj = np.array([0, 1, 1, 4, 2]), np.array([3, 2, 6, 5, 0])
    cells = (pi * 7 + pj).astype(np.uint64)
    runs, pairs = month_kernels.pairs_between(rung.reshape(200, -1), done, cells, 4, 7)
    r = rung[:, pi, pj]
    want = np.nonzero((r >= 4) & (r < 7) & ~done[:, None])
    assert np.array_equal(runs, want[0]) and np.array_equal(pairs, want[1])
    assert 16 < runs.size < r.size and done.any()  # its lists grew past their first room
    none = month_kernels.pairs_between(rung.reshape(200, -1), np.ones(200, bool), cells, 4, 7)
    assert none[0].size == 0 and none[1].size == 0


def test_compiled_month_end_equals_the_numpy_definition_on_a_short_game(monkeypatch):
    """A quick version of the above, for the quick loop."""
    params = load_scenario(ROOT / "scenarios" / "treaty-2024.toml").params
    seen = _record(monkeypatch, params, runs=48, seed=2)
    assert seen["crossed"] > 0 and seen["hostile"] > 0, seen


def test_an_altered_month_end_is_caught(monkeypatch):
    """The comparison can fail: a month end that leaves a coordination on the diagonal does."""
    params = load_scenario(ROOT / "scenarios" / "treaty-2024.toml").params
    real = month_kernels.month_end

    def altered(rung, front, peak, coord, *rest):
        real(rung, front, peak, coord, *rest)
        coord[:, 0] = 1  # the cell (0, 0) of each run's flat (A, A) block

    monkeypatch.setattr(month_kernels, "month_end", altered)
    with pytest.raises(AssertionError, match="month 0"):
        _record(monkeypatch, params, runs=8, seed=2)


def test_a_month_stepped_into_the_state_before_last_equals_a_month_stepped_anew():
    params = load_scenario(ROOT / "scenarios" / "treaty-2024.toml").params
    start = initial_state(params, 4, np.arange(64))
    fresh = [s.copy() for _, s in months(params, start, 12)]
    recycled = [
        _same_state(s, fresh[n]) for n, (_, s) in enumerate(months(params, start, 12, recycle=True))
    ]
    assert recycled == [[]] * 12
    # The start state the caller gave is never written into.
    assert _same_state(start, initial_state(params, 4, np.arange(64))) == []


def test_a_month_stepped_in_place_equals_a_month_stepped_on_a_copy():
    """Also where some runs have finished: their rows are kept as they stood."""
    params = load_scenario(ROOT / "scenarios" / "treaty-2024.toml").params
    state = initial_state(params, 6, np.arange(32))
    state.done[::3] = True
    copied, rec = step_mod.step(params, state, doctrine_policy)
    again = state.copy()
    stepped, rec_in_place = step_mod.step(params, again, doctrine_policy, in_place=True)
    assert stepped is again and copied is not state
    assert _same_state(stepped, copied) == []
    for name in ("moves", "rung_before", "rung_after", "crossed", "events", "cred_after"):
        assert getattr(rec, name).tobytes() == getattr(rec_in_place, name).tobytes(), name
    assert rec.turn == rec_in_place.turn == 0
    assert (state.rung[::3] == copied.rung[::3]).all()


@pytest.mark.parametrize(
    ("turn", "stream", "n"), [(0, 3, 25), (35, 7, 10), (1000, 8, 3), (0xFFFFFF + 5, 255, 40)]
)
def test_compiled_draws_equal_the_counter_based_draws(turn, stream, n):
    """The events' compiled hash gives rng.uniforms' bits, turn and stream bits wrapped
    alike; a draw of another index would differ."""
    from game.engine import rng

    keys = rng.run_keys(7, np.arange(2000))
    want = rng.uniforms(keys, turn, stream, n)
    got = np.empty_like(want)
    none = np.zeros(n, dtype=bool)
    month_kernels.events_due(
        keys, rng.counter(turn, stream), np.zeros(2000, bool), np.zeros((2000, n), np.int32),
        np.zeros((2000, 0)), np.arange(n), none, none, np.ones(n), np.full(n, -1), none, none,
        got, np.zeros((2000, n), bool), none.copy(),
    )  # fmt: skip
    assert got.tobytes() == want.tobytes()
    assert not np.array_equal(got[:, 1:], want[:, :-1])


def test_the_events_take_only_the_draws_the_month_reads():
    """Events of probability 0 never fire and of 1 fire without a draw, so their draws are not
    taken; an event drawn run by run, or of a probability between, compares its draw; an
    event with a condition (not plain) has its draw taken for numpy and is not settled here."""
    from game.engine import rng

    n_b = 500
    keys = rng.run_keys(11, np.arange(n_b))
    gen = np.random.default_rng(2)
    done = gen.random(n_b) < 0.2
    drawn = gen.random((n_b, 1))
    prob = np.array([0.0, 1.0, 0.3, 0.0, 0.7])
    col = np.array([-1, -1, -1, 0, -1])
    plain = np.array([True, True, True, True, False])
    take = np.array([2, 3, 4])
    reads = np.array([False, False, True, True, True])
    never = np.array([True, False, False, False, False])
    u = np.full((n_b, 5), -7.0)
    fired = np.zeros((n_b, 5), bool)
    hit = np.zeros(5, bool)
    counter = rng.counter(4, rng.STREAM_EVENT)
    month_kernels.events_due(
        keys, counter, done, np.zeros((n_b, 5), np.int32), drawn, take, plain,
        np.ones(5, bool), prob, col, reads, never, u, fired, hit,
    )  # fmt: skip
    want = rng.uniforms(keys, 4, rng.STREAM_EVENT, 5)
    assert u[:, take].tobytes() == want[:, take].tobytes()
    assert (u[:, :2] == -7.0).all()
    live = ~done
    assert not fired[:, 0].any() and (fired[:, 1] == live).all()
    assert (fired[:, 2] == (live & (want[:, 2] < 0.3))).all()
    assert (fired[:, 3] == (live & (want[:, 3] < drawn[:, 0]))).all()
    assert not fired[:, 4].any()
    assert hit.tolist() == [False, True, True, True, False]


def test_the_tally_counts_the_clauses_invoked_past_the_last_whole_word():
    """A record whose cells do not fill whole 64-bit words (7 runs x 5 instances x 3
    counterparts): the last cells are counted one by one, as numpy counts them all."""
    gen = np.random.default_rng(3)
    rec = gen.random((7, 5, 3)) < 0.2
    inst_clause = np.array([0, 2, 1, 2, 0])
    cells = rec.reshape(-1).view(np.uint8)
    words = cells[: 8 * (cells.size // 8)].view(np.uint64)
    clause_turn = np.zeros((2, 3), dtype=np.int64)
    empty = np.zeros((7, 0), dtype=np.int64)
    month_kernels.tally(
        1, np.zeros((7, 0), bool), np.zeros(7, bool), words, cells, 15, 3, inst_clause, empty,
        np.zeros(1, np.int64), np.zeros(1, np.int64), np.zeros(1, bool), np.zeros((2, 0), np.int64),
        clause_turn, np.zeros((0, 1), np.int64), np.zeros((7, 0, 0), np.int16),
    )  # fmt: skip
    want = np.zeros(3, dtype=np.int64)
    np.add.at(want, inst_clause, rec.sum(axis=(0, 2)))
    assert clause_turn[1].tolist() == want.tolist() and clause_turn[0].sum() == 0
    assert rec.reshape(-1)[8 * 13 :].any()  # the last cell counts


@pytest.mark.parametrize("n_h", [5, 70])
def test_the_month_end_counts_thresholds_in_more_than_one_word_of_bits(n_h):
    """The month end's thresholds are bits, 64 to a word: with 70 thresholds (two words) as
    with 5, each run crosses the thresholds some counted pair stands at or above and reaches
    them where the numpy definition says (random symmetric rungs, fronts and lists)."""
    from types import SimpleNamespace

    gen = np.random.default_rng(n_h)
    n_b, n_a, n_r, n_g = 64, 6, 12, 3
    upper = np.triu(gen.integers(0, n_r, (n_b, n_a, n_a)), 1)
    rung = (upper + upper.transpose(0, 2, 1)).astype(np.int16)
    upper = np.triu(gen.integers(-1, n_g, (n_b, n_a, n_a)), 1)
    front = (upper + upper.transpose(0, 2, 1)).astype(np.int16)
    levels = gen.integers(1, n_r, n_h)

    def symmetric(p):
        x = np.triu(gen.random((n_h, n_a, n_a)) < p, 1)
        return x | x.transpose(0, 2, 1)

    counted, regional = symmetric(0.5), symmetric(0.5)
    mask = symmetric(0.5)[0]
    on_map = np.array([True, False, True])
    params = SimpleNamespace(
        n_actors=n_a, rung_ids=list(range(n_r)), rung0=np.zeros((n_a, n_a), np.int16),
        regional_pair_mask=mask,
    )  # fmt: skip
    at_level, counted_bits, regional_bits, mirror = step_mod._month_bits(
        params, levels, counted, regional
    )
    assert mirror and at_level.shape[0] == (2 if n_h > 64 else 1)
    crossed = np.zeros((n_b, n_h), bool)
    reached = np.zeros((n_b, n_h, 2), bool)
    flat = [x.reshape(n_b, -1) for x in (rung, front, rung.copy(), np.zeros_like(rung))]
    month_kernels.month_end(
        *flat, np.full((n_b, n_h), -1, np.int32),
        reached, np.zeros(n_b, bool), 3, at_level, counted_bits, regional_bits, mirror, on_map,
        mask.reshape(-1), True, 0, crossed, np.zeros(n_b, bool), n_a,
    )  # fmt: skip
    at = rung[:, None] >= levels[None, :, None, None]  # (B, H, A, A)
    near = np.where(front >= 0, on_map[np.maximum(front, 0)], mask[None])[:, None]
    assert crossed.tolist() == (at & counted[None]).any(axis=(2, 3)).tolist()
    assert reached[..., 0].tolist() == (at & regional[None] & near).any(axis=(2, 3)).tolist()
    assert reached[..., 1].tolist() == (at & regional[None] & ~near).any(axis=(2, 3)).tolist()
    assert crossed.any() and not crossed.all() and reached.any() and not reached.all()
