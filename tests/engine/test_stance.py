"""Stances: the line each state pursues toward each rival persists, shapes its moves, changes for
reasons the log names, and makes runs more coherent than independent draws."""

from __future__ import annotations

import numpy as np
import pytest

from game.ai.policy import scores
from game.engine import initial_state, step
from game.engine import stance as st
from game.engine.coherence import Coherence
from game.engine.step import Context
from game.report import describe
from game.scenario import load_scenario
from game.sim import months, turn_events

from ..conftest import DEFAULT

PENINSULA = DEFAULT.parent / "peninsula-clash.toml"


def _cand(params, actor: str, action: str, target: str) -> int:
    a, k, t = (
        params.actor_ids.index(actor),
        params.action_ids.index(action),
        params.actor_ids.index(target),
    )
    hit = np.nonzero(
        (params.cand_actor == a) & (params.cand_action == k) & (params.cand_target == t)
    )[0]
    assert hit.size == 1, (actor, action, target)
    return int(hit[0])


def _holding(params) -> np.ndarray:
    """(1, A) every state holds its position."""
    return params.actor_cand_start[:-1][None, :].copy()


def _holds(params, state, ctx):
    """A policy under which every state holds its position (the test's moves override it)."""
    return np.broadcast_to(params.actor_cand_start[:-1], (state.batch, params.n_actors)).copy()


def _one_month(params, state, moves: dict):
    fixed = _holding(params)
    for actor, action, target in moves:
        fixed[0, params.actor_ids.index(actor)] = _cand(params, actor, action, target)
    return step(params, state, _holds, fixed=fixed)


def _line(params, rec, actor: str) -> str:
    evs = [e for e in turn_events(params, rec) if e["kind"] == "stance" and e["actor"] == actor]
    assert len(evs) == 1, evs
    return describe(params, evs[0])


def test_an_armed_attack_turns_its_victim_to_deterrence_and_the_log_says_why(default_scenario):
    p = default_scenario.params
    jpn, prk = p.actor_ids.index("JPN"), p.actor_ids.index("PRK")
    s0 = initial_state(p, 3, [0])
    assert s0.stance[0, jpn, prk] == st.WAIT
    s1, rec = _one_month(p, s0, [("PRK", "strike", "JPN")])
    assert s1.stance[0, jpn, prk] == st.DETERRENCE
    assert rec.stance.reason_of(0, jpn, prk) == st.ATTACKED
    line = _line(p, rec, "JPN")
    assert line == (
        "STANCE      Japan turns to deterrence toward North Korea after North Korea's armed attack "
        f"({p.action_names[p.action_ids.index('strike')].lower()})"
    )
    # The line persists through quiet months until the quiet is long enough.
    state = s1
    for m in range(int(st.QUIET_MONTHS) - 1):
        state, rec = _one_month(p, state, [])
        assert state.stance[0, jpn, prk] == st.DETERRENCE, m


def test_talks_open_when_both_reach_out(default_scenario):
    p = default_scenario.params
    kor, prk = p.actor_ids.index("KOR"), p.actor_ids.index("PRK")
    s0 = initial_state(p, 3, [0])
    assert s0.stance[0, kor, prk] == st.DETERRENCE  # the pair opens at a show of force
    s1, rec = _one_month(p, s0, [("KOR", "negotiate", "PRK"), ("PRK", "negotiate", "KOR")])
    assert s1.stance[0, kor, prk] == st.DETENTE
    assert rec.stance.reason_of(0, kor, prk) == st.TALKS
    assert "South Korea turns to détente toward North Korea as talks open" in _line(p, rec, "KOR")


def test_a_long_quiet_ends_a_line(default_scenario):
    p = default_scenario.params
    jpn, prk = p.actor_ids.index("JPN"), p.actor_ids.index("PRK")
    state = initial_state(p, 3, [0])
    state.stance[0, jpn, prk] = st.COERCION
    state.rung[0, jpn, prk] = state.rung[0, prk, jpn] = 0
    seen = []
    for _ in range(int(st.QUIET_MONTHS) + 1):
        state, rec = _one_month(p, state, [])
        seen.append(rec.stance.reason_of(0, jpn, prk))
    assert state.stance[0, jpn, prk] == st.WAIT
    assert seen.count(st.QUIET) == 1 and seen[-1] in (st.QUIET, st.NONE)


def test_a_line_held_for_a_reason_counts_its_quiet_again(default_scenario):
    """Months of quiet count from the last month a reason applied to the pair, not only from
    the last move between the two: Japan, holding deterrence toward North Korea after months of
    quiet, sees the pair climb to a show of force with no move between them, and the United
    States consult with it under their treaty (rule 4). Its count starts again: the line is not
    ended by the quiet before the consultation."""
    p = default_scenario.params
    jpn, prk = p.actor_ids.index("JPN"), p.actor_ids.index("PRK")
    threat = p.thresholds["threat"]
    state = initial_state(p, 3, [0])
    state.stance[0, jpn, prk] = st.DETERRENCE
    state.stance_quiet[0, jpn, prk] = 5
    for a, b in ((jpn, prk), (prk, jpn)):
        state.rung[0, a, b] = threat - 1
        state.tension[0, a, b] = state.baseline[0, a, b] = 100.0
    state, rec = _one_month(p, state, [])
    assert state.rung[0, jpn, prk] == threat  # the climb, by drift: no move between them
    held = rec.consult[0][:, prk] & (p.inst_party == jpn)
    assert held.any()  # a consultation in which Japan is the party threatened
    assert state.stance[0, jpn, prk] == st.DETERRENCE
    assert state.stance_quiet[0, jpn, prk] == 0
    # Quiet from then on counts one a month.
    state.rung[0, jpn, prk] = state.rung[0, prk, jpn] = threat - 2
    state.tension[0, jpn, prk] = state.tension[0, prk, jpn] = 0.0
    state.baseline[0, jpn, prk] = state.baseline[0, prk, jpn] = 0.0
    state, rec = _one_month(p, state, [])
    assert state.stance_quiet[0, jpn, prk] == 1


def test_a_clause_invoked_against_a_state_ends_its_quiet_toward_the_invoker(default_scenario):
    """Russia consults with North Korea on the threat from Japan (the 2024 treaty): Japan's
    count of quiet months toward Russia starts again, though nothing moved between the two
    and Japan's line toward Russia stays as it was."""
    p = default_scenario.params
    jpn, prk, rus = (p.actor_ids.index(x) for x in ("JPN", "PRK", "RUS"))
    threat = p.thresholds["threat"]
    state = initial_state(p, 3, [0])
    state.stance_quiet[0, jpn, rus] = 4
    state.stance_quiet[0, jpn, prk] = 4
    for a, b in ((jpn, prk), (prk, jpn)):
        state.rung[0, a, b] = threat - 1
        state.tension[0, a, b] = state.baseline[0, a, b] = 100.0
    line = state.stance[0, jpn, rus]
    state, rec = _one_month(p, state, [])
    held = rec.consult[0][:, jpn] & (p.inst_by == rus) & (p.inst_party == prk)
    assert held.any()  # Russia consulted on the threat from Japan
    assert state.stance[0, jpn, rus] == line
    assert state.stance_quiet[0, jpn, rus] == 0


def _coherence(path, sets, runs=1500, seed=5):
    params = load_scenario(path, sets).params
    tally = Coherence(params, runs)
    for rec, state in months(params, initial_state(params, seed, np.arange(runs))):
        tally.on_turn(rec, state)
    return tally


@pytest.mark.parametrize("path", [DEFAULT, PENINSULA], ids=["treaty-2024", "peninsula-clash"])
def test_stances_make_runs_more_coherent_than_switched_off(path):
    on = _coherence(path, None)
    off = _coherence(path, {"ai.stance": 0.0})
    lo_on, hi_on = on.interval()
    lo_off, hi_off = off.interval()
    assert hi_on < lo_off, (on.share(), (lo_on, hi_on), off.share(), (lo_off, hi_off))
    # The state that contradicts itself most often without a line does so less with one.
    jpn = on.params.actor_ids.index("JPN")
    assert on.share(jpn)[0] < off.share(jpn)[0]


def _scores(params, state):
    return scores(params, state, Context(params, state))


def test_stances_shape_scores_only_when_switched_on(default_scenario):
    on = default_scenario.params
    off = load_scenario(DEFAULT, {"ai.stance": 0.0}).params
    for p in (on, off):
        a = initial_state(p, 9, np.arange(40))
        a.stance[:] = st.WAIT
        b = a.copy()
        b.stance[:] = np.where(p.stance.held, st.COERCION, st.WAIT)
        sa, sb = _scores(p, a), _scores(p, b)
        k = np.maximum(p.cand_action, 0)
        held = p.stance.held[p.cand_actor, p.cand_target] & (p.cand_action >= 0)
        hostile = held & (p.action_hostility[k] > 0) & np.isfinite(sa[0])
        kind = held & (p.action_hostility[k] < 0) & np.isfinite(sa[0])
        assert hostile.any() and kind.any()
        if p is off:  # the stances are kept, but no score moves
            np.testing.assert_array_equal(sa, sb)
        else:  # coercion raises hostile moves and lowers conciliatory ones
            assert np.all(sb[:, hostile] > sa[:, hostile])
            assert np.all(sb[:, kind] < sa[:, kind])


def test_opening_stances_follow_the_world():
    rung = np.array([[0, 5, 0], [5, 0, 0], [0, 0, 0]])
    agg = np.zeros((3, 3), dtype=bool)
    agg[1, 0] = True  # 0 attacked 1
    out = st.opening(rung, agg, threat=3, given={(2, 0): st.DETENTE})
    assert out[1, 0] == st.DETERRENCE and out[0, 1] == st.COERCION
    assert out[2, 0] == st.DETENTE and out[0, 2] == st.WAIT
    assert [st.name(s) for s in range(4)] == list(st.NAMES)


def test_draws_for_some_indices_are_those_of_the_whole_stream():
    from game.engine import rng

    keys = rng.run_keys(4, np.arange(6))
    idx = np.array([3, 17, 63], dtype=np.uint64)
    np.testing.assert_array_equal(
        rng.uniforms_at(keys, 5, rng.STREAM_STANCE, idx),
        rng.uniforms(keys, 5, rng.STREAM_STANCE, 64)[:, idx.astype(np.intp)],
    )


def test_draw_bounds_settle_the_rules_draws_as_the_logarithm_does():
    """A pair's draw is compared with a move's hostility through bounds on its 53 bits, the
    logarithm taken only between them: at and around every bound, and at random bits, the
    comparison equals ``x > float32(-log1p(-u) x stickiness)``; the bits left to the
    logarithm are a few in a million."""
    from game.engine.stance_kernels import beats

    p = load_scenario(DEFAULT).params
    h = np.unique(p.action_hostility.astype(np.float32))
    rates = (np.float32(st.TALKS_RATE), np.float32(st.PRESSURE_RATE))
    xs = np.unique(np.concatenate([h * r for r in rates] + [-h * r for r in rates]))
    xs = np.concatenate([xs, np.float32([1e-30, 3.0e-8, 7.5, 40.0])]).astype(np.float32)
    sticks = np.array([0.0, 0.25, 1.0, 1.7, 5.0])
    below, above = st.draw_bounds(xs[:, None], sticks[None, :])
    top = 1 << 53
    rng = np.random.default_rng(7)
    checked = 0
    for i, x in enumerate(xs):
        for j, s in enumerate(sticks):
            lo, hi = int(below[i, j]), int(above[i, j])
            assert 0 <= lo <= hi <= top
            if x > 0 and s > 0 and x / s < 30:
                assert (hi - lo) / top < 1e-5, (x, s, lo, hi)
            probe = {0, 1, top - 1, lo, hi, (lo + hi) // 2}
            probe |= {lo - 1, hi - 1, lo + 1, hi + 1}
            probe |= {int(v) for v in rng.integers(0, top, 200)}
            probe |= {int(v) for v in rng.integers(max(lo - 50, 0), min(hi + 50, top), 50)}
            for b in sorted(v for v in probe if 0 <= v < top):
                u = b / top
                want = x > np.float32(-np.log1p(-u) * s)
                got = beats(x, np.uint64(b), np.uint64(lo), np.uint64(hi), s)
                assert got == want, (x, s, b, lo, hi)
                checked += 1
    assert checked > 10_000
