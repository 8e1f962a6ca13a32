"""Tempo (game.engine.tempo): a signal move beside the main move, tests of the strategic arsenal,
force posture, and wars that end - a ceasefire, Kursk retaken."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.ai import doctrine_policy
from game.engine import initial_state, step
from game.engine.context import treaty_active
from game.engine.legality import OPEN, move_codes
from game.engine.names import ATTRIBUTES
from game.montecarlo.tempo import tally
from game.scenario import load_scenario
from game.scenario.errors import ScenarioError
from game.sim import months, turn_events

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
DEFAULT = SCENARIOS / "treaty-2024.toml"


@pytest.fixture(scope="module")
def params():
    return load_scenario(DEFAULT).params


def _signals_of(params, seed, rows, turns):
    out = []
    for rec, _ in months(params, initial_state(params, seed, rows), turns):
        out.append(rec.signals.copy())
    return np.stack(out, axis=1)  # (B, T, A)


def test_signal_moves_are_open_signals_and_never_the_main_move(params):
    state = initial_state(params, 3, np.arange(300))
    hold = params.actor_cand_start[:-1]
    made = 0
    for _ in range(6):
        codes = move_codes(params, state, treaty_active(params, state))
        state, rec = step(params, state, doctrine_policy)
        sig = rec.signals
        some = sig != hold[None, :]
        made += some.sum()
        k = params.cand_action[sig[some]]
        assert params.action_signal[k].all(), "only actions marked signal are drawn as signals"
        rows = np.nonzero(some)[0]
        assert (codes[rows, sig[some]] == OPEN).all(), "a signal is an open move"
        assert not (sig[some] == rec.moves[some]).any(), "the main move is not made twice"
        assert (params.cand_actor[sig] == np.arange(params.n_actors)[None, :]).all()
    assert made > 0


def test_signals_replay_alone_and_do_not_depend_on_the_batch(params):
    whole = _signals_of(params, 5, np.arange(40), 8)
    alone = _signals_of(params, 5, np.array([17]), 8)
    chunk = _signals_of(params, 5, np.arange(30, 40), 8)
    assert np.array_equal(whole[17], alone[0])
    assert np.array_equal(whole[30:40], chunk)
    other_seed = _signals_of(params, 6, np.arange(40), 8)
    assert not np.array_equal(whole, other_seed)


def test_the_main_draw_is_the_same_with_or_without_signals(params):
    """The signal has its own stream: in the first month (same state) the main moves match."""
    quiet = load_scenario(
        DEFAULT,
        {f"actions.{k}.signal": False for k in params.action_ids if _is_signal(params, k)},
    ).params
    a = step(params, initial_state(params, 9, np.arange(200)), doctrine_policy)[1]
    b = step(quiet, initial_state(quiet, 9, np.arange(200)), doctrine_policy)[1]
    assert b.signals is None
    assert np.array_equal(a.moves, b.moves)


def _is_signal(params, action_id) -> bool:
    return bool(params.action_signal[params.action_ids.index(action_id)])


def _policy_making(c_main, c_sig=None):
    """A policy whose every run makes main move c_main (a candidate) and signal c_sig."""

    def policy(params, state, ctx):
        out = np.broadcast_to(params.actor_cand_start[:-1], (state.batch, params.n_actors)).copy()
        if c_main is not None:
            out[:, params.cand_actor[c_main]] = c_main
        return out

    if c_sig is not None:

        def signals(params, state, ctx, moves):
            out = np.broadcast_to(params.actor_cand_start[:-1], moves.shape).copy()
            out[:, params.cand_actor[c_sig]] = c_sig
            return out

        policy.signals = signals
    return policy


def _cand(params, actor, action, target):
    a, k, t = (params.actor_ids.index(actor), params.action_ids.index(action), None)
    t = params.actor_ids.index(target)
    hit = (params.cand_actor == a) & (params.cand_action == k) & (params.cand_target == t)
    return int(np.nonzero(hit)[0][0])


def test_a_signal_is_applied_as_the_same_move_made_as_main_move(params):
    """One definition of move application: a missile test as a signal leaves the world exactly
    as the same test made as the main move does."""
    c = _cand(params, "PRK", "icbm_test", "JPN")
    s0 = initial_state(params, 1, np.arange(4))
    as_main, rec_main = step(params, s0, _policy_making(c))
    as_signal, rec_sig = step(params, s0, _policy_making(None, c))
    for name in ("tension", "rung", "attr", "last_hostility", "aggressor", "baseline"):
        assert np.array_equal(getattr(as_main, name), getattr(as_signal, name)), name
    a = params.actor_ids.index("PRK")
    assert (rec_sig.signals[:, a] == c).all() and (rec_main.moves[:, a] != c).sum() == 0
    ev = [e for e in turn_events(params, rec_sig) if e["kind"] == "action"]
    assert ev and ev[0]["action"] == "icbm_test" and ev[0]["signal"] is True
    assert "intercontinental" in ev[0]["headline"]
    assert not any(e.get("signal") for e in turn_events(params, rec_main))


def test_a_players_state_makes_no_signal(params):
    s0 = initial_state(params, 1, np.arange(50))
    fixed = np.full((50, params.n_actors), -1)
    kor = params.actor_ids.index("KOR")
    fixed[:, kor] = params.actor_cand_start[kor]
    _, rec = step(params, s0, doctrine_policy, fixed=fixed)
    assert (rec.signals[:, kor] == params.actor_cand_start[kor]).all()


def test_dprk_launches_per_year_in_the_record_range(params):
    """The record: roughly 10 to 40 DPRK missile launches a year. The median run lies within
    8-30; without signal moves (one move a month) it falls far below."""
    out = tally(params, 1, 300, "PRK", ["missile_test", "icbm_test"], None)
    med = float(np.median(out["per_year"]))
    assert 8 <= med <= 30, med
    quiet = load_scenario(
        DEFAULT, {"actions.missile_test.signal": False, "actions.icbm_test.signal": False}
    ).params
    off = float(
        np.median(tally(quiet, 1, 300, "PRK", ["missile_test", "icbm_test"], None)["per_year"])
    )
    assert off < 6 < med, (off, med)


def test_a_russia_ukraine_ceasefire_happens_in_some_runs(params):
    """The war can end: in some runs of the default one side offers a ceasefire; the other
    side refuses most offers (it agrees only when both want it), while with offers switched
    off every offer ends the war; with the move switched off no side offers one."""
    runs = 400
    out = tally(params, 2, runs, "PRK", [], "ceasefire")
    assert out["pairs"] == ["RUS-UKR"]
    on = out["ceasefire"][:, 0].mean()
    assert on >= 0.015, on  # at least 6 in 400 (about 3% expected)
    agreed = out["agreed"][:, 0]
    assert agreed.mean() < on / 2 and not (agreed & ~out["ceasefire"][:, 0]).any()
    one_sided = load_scenario(DEFAULT, {"actions.ceasefire.offer": False}).params
    off_offer = tally(one_sided, 2, runs, "PRK", [], "ceasefire")
    assert np.array_equal(off_offer["agreed"], off_offer["ceasefire"])
    assert off_offer["agreed"][:, 0].mean() >= 0.015
    off_params = load_scenario(DEFAULT, {"actions.ceasefire.actors": []}).params
    off = tally(off_params, 2, runs, "PRK", [], "ceasefire")["ceasefire"][:, 0].mean()
    assert off == 0.0
    assert on > off


def test_a_ceasefire_brings_the_war_pair_down_the_ladder(params):
    r, u = params.actor_ids.index("RUS"), params.actor_ids.index("UKR")
    c = _cand(params, "RUS", "ceasefire", "UKR")
    s0 = initial_state(params, 1, np.arange(3))
    s1, rec = step(params, s0, _both_making(c, _cand(params, "UKR", "ceasefire", "RUS")))
    war = params.thresholds["war"]
    assert (s0.rung[:, r, u] >= war).all()
    assert (s1.rung[:, r, u] < war).all() and (s1.rung[:, u, r] == s1.rung[:, r, u]).all()
    assert not s1.aggressor[:, r, u].any() and not s1.aggressor[:, u, r].any()
    shift = params.action_baseline[params.action_ids.index("ceasefire")]
    np.testing.assert_allclose(s1.baseline[:, r, u], s0.baseline[:, r, u] + shift)
    assert (s1.tension[:, r, u] <= s1.baseline[:, r, u] + 1e-9).all()
    heads = [e["headline"] for e in turn_events(params, rec) if e["kind"] == "action"]
    assert any("ceasefire" in h for h in heads)


def test_kursk_can_be_retaken():
    """After Ukraine's incursion Russia drives its forces out in some runs while the war goes
    on: the attack on Russian territory ends (Art. 4's trigger with it); with the move switched
    off it never ends while the war lasts."""

    def retaken(p):
        r, u = p.actor_ids.index("RUS"), p.actor_ids.index("UKR")
        war = p.thresholds["war"]
        seen_attack = np.zeros(300, dtype=bool)
        back = np.zeros(300, dtype=bool)
        before = initial_state(p, 4, np.arange(300))
        for _, st in months(p, before, 18):
            attacked = st.aggressor[:, r, u]
            # The attack ended in a month the pair stayed at war (not by a ceasefire).
            was = before.aggressor[:, r, u] & (before.rung[:, r, u] >= war)
            back |= was & ~attacked & (st.rung[:, r, u] >= war)
            seen_attack |= attacked
            before = st
        return seen_attack.mean(), back.mean()

    p = load_scenario(DEFAULT).params
    seen, back = retaken(p)
    assert seen > 0.9 and back > 0.2, (seen, back)
    off = load_scenario(DEFAULT, {"actions.counteroffensive.actors": []}).params
    seen_off, back_off = retaken(off)
    assert seen_off > 0.9 and back_off == 0.0, (seen_off, back_off)


def test_new_moves_appear_in_logs(params):
    seen = set()
    for rec, _ in months(params, initial_state(params, 1, np.arange(300)), 36):
        for mv in (rec.moves, rec.signals):
            seen.update(params.action_ids[k] for k in np.unique(params.cand_action[mv]) if k >= 0)
    for k in (
        "icbm_test",
        "nuclear_test",
        "reinforce",
        "troop_cut",
        "ceasefire",
        "counteroffensive",
    ):
        assert k in seen, k


@pytest.mark.parametrize(
    "sets, where, words",
    [
        ({"actions.blockade.signal": True}, "signal", "cannot be an armed attack"),
        (
            {"actions.nuclear_alert.signal": True, "actions.nuclear_alert.rung": "limited_nuclear"},
            "signal",
            "nuclear use",
        ),
        ({"actions.counteroffensive.needs": []}, "ends_attack", "needs 'attacked'"),
        ({"actions.ceasefire.lowers_to": "armistice"}, "lowers_to", "unknown rung"),
    ],
)
def test_bad_tempo_fields_are_named(sets, where, words):
    with pytest.raises(ScenarioError) as e:
        load_scenario(DEFAULT, sets)
    text = str(e.value)
    assert where in text and words in text, text


def test_the_signal_gain_sets_how_often_states_signal(params):
    def made(p):
        n = 0
        hold = p.actor_cand_start[:-1][None, :]
        for rec, _ in months(p, initial_state(p, 2, np.arange(200)), 6):
            n += int((rec.signals != hold).sum())
        return n

    base = made(params)
    fewer = made(load_scenario(DEFAULT, {"ai.signal": -1.0}).params)
    none = made(load_scenario(DEFAULT, {"ai.signal": -20.0}).params)
    assert base > fewer > none == 0, (base, fewer, none)


def _both_making(*cands):
    """A policy whose every run makes each of the given main moves (one per actor)."""

    def policy(params, state, ctx):
        out = np.broadcast_to(params.actor_cand_start[:-1], (state.batch, params.n_actors)).copy()
        for c in cands:
            out[:, params.cand_actor[c]] = c
        return out

    return policy


def _war_between(params, state, a="RUS", b="UKR"):
    i, j = params.actor_ids.index(a), params.actor_ids.index(b)
    return state.rung[:, i, j] >= params.thresholds["war"]


def test_a_ceasefire_is_an_offer_the_other_side_must_accept(params):
    """A war ends when both sides want it: Ukraine's offer in July 2024 is refused (Russia's
    resolve and the way the war goes for it outweigh its war-weariness) and logged so; offered
    by both it takes effect; a Russia worn down accepts, unless it attacks that month; with the
    mechanism switched off, one side's move ends the war at once."""
    r = params.actor_ids.index("RUS")
    offer = _cand(params, "UKR", "ceasefire", "RUS")
    s0 = initial_state(params, 1, np.arange(3))
    s1, rec = step(params, s0, _both_making(offer))
    assert _war_between(params, s1).all() and not rec.accepted[:, params.cand_actor[offer]].any()
    heads = [e["headline"] for e in turn_events(params, rec) if e["kind"] == "action"]
    assert "Ukraine offers Russia a ceasefire; Russia refuses" in heads, heads
    both = _both_making(offer, _cand(params, "RUS", "ceasefire", "UKR"))
    s2, rec2 = step(params, s0, both)
    assert not _war_between(params, s2).any()
    heads = [e["headline"] for e in turn_events(params, rec2) if e["kind"] == "action"]
    assert any("agree a ceasefire" in h for h in heads), heads
    worn = s0.copy()
    worn.attr[:, r, ATTRIBUTES.index("stability")] = 20.0  # the home front gives way
    worn.attr[:, r, ATTRIBUTES.index("military")] = 20.0  # and the war goes badly
    s3, _ = step(params, worn, _both_making(offer))
    assert not _war_between(params, s3).any()
    s4, _ = step(params, worn, _both_making(offer, _cand(params, "RUS", "invade", "UKR")))
    assert _war_between(params, s4).all()
    one_sided = load_scenario(DEFAULT, {"actions.ceasefire.offer": False}).params
    s5, rec5 = step(one_sided, initial_state(one_sided, 1, np.arange(3)), _both_making(offer))
    assert not _war_between(one_sided, s5).any() and rec5.accepted is None


def test_offering_a_ceasefire_every_month_no_longer_ends_the_war_at_once(params):
    """Ukraine offers every month: the war goes on in most games (Russia accepts only once it
    is worn down); switched off, every game's war ends in the first month."""
    u = params.actor_ids.index("UKR")
    c = _cand(params, "UKR", "ceasefire", "RUS")

    def ended(p, months):
        state = initial_state(p, 11, np.arange(200))
        for _ in range(months):
            fixed = np.full((200, p.n_actors), -1)
            fixed[:, u] = c
            state, _ = step(p, state, doctrine_policy, fixed)
        return float((~_war_between(p, state)).mean())

    on = ended(params, 12)
    off = ended(load_scenario(DEFAULT, {"actions.ceasefire.offer": False}).params, 1)
    assert on < 0.5 and off == 1.0, (on, off)


def test_an_offensive_follows_the_balance_of_forces(params):
    """Ukraine, the weaker side, loses more and destroys less in an offensive against Russia
    than the action's written effects (an exchange it loses), while Russia's offensive against
    Ukraine costs as written; switched off, both cost as written."""
    m = ATTRIBUTES.index("military")
    r, u = params.actor_ids.index("RUS"), params.actor_ids.index("UKR")
    off = load_scenario(DEFAULT, {"actions.invade.balance": False}).params

    def losses(p, mover, target):
        s0 = initial_state(p, 1, np.arange(2))
        s1, _ = step(p, s0, _both_making(_cand(p, mover, "invade", target)))
        return s0.attr[:, :, m] - s1.attr[:, :, m]

    on_u, off_u = losses(params, "UKR", "RUS"), losses(off, "UKR", "RUS")
    assert (on_u[:, u] > off_u[:, u] + 0.2).all() and (on_u[:, r] < off_u[:, r] - 0.2).all()
    assert (on_u[:, u] > on_u[:, r]).all()  # the weaker attacker loses the exchange
    assert (off_u[:, u] < off_u[:, r]).all()  # as written, the attacker wins every exchange
    on_r, off_r = losses(params, "RUS", "UKR"), losses(off, "RUS", "UKR")
    np.testing.assert_allclose(on_r, off_r)


def test_the_balance_of_forces_changes_only_the_runs_that_fight(params):
    """An offensive in run 0 clips run 0's attributes and leaves run 1's as they stand, a
    negative entry included (clipping every run would make run 1 depend on run 0's moves)."""
    from game.engine import tempo

    st = initial_state(params, 1, np.arange(2))
    moves = np.broadcast_to(params.actor_cand_start[:-1], (2, params.n_actors)).copy()
    c = _cand(params, "UKR", "invade", "RUS")
    moves[0, params.cand_actor[c]] = c
    st.attr[1, 0, ATTRIBUTES.index("economy")] = -5.0
    before = st.attr.copy()
    tempo.balance_of_forces(params, st, moves)
    assert np.array_equal(st.attr[1], before[1])
    assert not np.array_equal(st.attr[0], before[0])


def test_talks_with_an_allys_rival_cost_standing_with_the_ally(params):
    """Seoul opening talks with Pyongyang raises its tension with Washington (its treaty ally,
    whose rival the DPRK is) and not with Beijing or Kyiv; switched off, the ally takes no
    notice."""
    k, us, cn = (params.actor_ids.index(x) for x in ("KOR", "USA", "CHN"))
    talks = _cand(params, "KOR", "negotiate", "PRK")
    off = load_scenario(DEFAULT, {"actions.negotiate.ally_tension": 0}).params

    def after(p):
        s0 = initial_state(p, 1, np.arange(3))
        return step(p, s0, _both_making(talks))[0].tension

    on_t, off_t = after(params), after(off)
    d = on_t[:, k, us] - off_t[:, k, us]  # 3, less the month's relaxation
    assert ((d > 2.0) & (d <= 3.0)).all(), d
    assert (on_t[:, us, k] == on_t[:, k, us]).all()
    np.testing.assert_allclose(on_t[:, k, cn], off_t[:, k, cn])
