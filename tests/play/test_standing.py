"""What each state wants and how a game is judged: goals per state with their reasons, a score
read against what the AI achieves for the same state, verdicts centred on the AI by
construction, and nuclear use by or against the player's state a disaster."""

from collections import Counter

import numpy as np
import pytest

from game.engine import initial_state
from game.engine.outcome import goal_standings, relative_verdict, score
from game.play.savefile import repo_root
from game.play.session import Session
from game.play.standing import ai_baseline, hold_candidate, play_as, verdicts
from game.scenario import load_scenario

GAMES = 200


def absolute_verdict(value: float) -> str:
    """The verdict before it was read against the AI: fixed bands of the score (the mechanism
    switched off)."""
    for bound, word in ((80, "Triumph"), (65, "Success"), (50, "Stalemate"), (35, "Setback")):
        if value >= bound:
            return word
    return "Disaster"


@pytest.fixture(scope="module")
def baseline(scenario):
    return ai_baseline(scenario.params, 1)


def test_every_state_has_goals_with_their_reasons_and_is_scored_on_them(scenario):
    p = scenario.params
    state = initial_state(p, 3, np.arange(4))
    standing = goal_standings(p, state)
    sc = score(p, state)
    for a in range(p.n_actors):
        mine = [(k, g) for k, g in enumerate(p.goals) if g.actor == a]
        assert len(mine) >= 3, p.actor_ids[a]
        assert all(len(g.why) > 20 for _, g in mine)
        w = np.array([g.weight for _, g in mine])
        expected = standing[:, [k for k, _ in mine]] @ w / w.sum()
        np.testing.assert_allclose(sc[:, a], expected)
    # States want different things: no two states share the same set of goals.
    kinds = [frozenset((g.id, g.standing) for g in p.goals if g.actor == a) for a in range(8)]
    assert len(set(kinds)) == p.n_actors


def _negotiate_with_most_tense_rival(p, a) -> int:
    row = p.tension0[a].copy()
    row[a] = -1
    rival, k = int(np.argmax(row)), p.action_ids.index("negotiate")
    lo, hi = p.actor_cand_start[a], p.actor_cand_start[a + 1]
    return next(
        (c for c in range(lo, hi) if p.cand_action[c] == k and p.cand_target[c] == rival),
        hold_candidate(p, a),
    )


def _order(p, actor: str, action: str, target: str) -> int:
    a, k, t = (p.actor_ids.index(actor), p.action_ids.index(action), p.actor_ids.index(target))
    hit = (p.cand_actor == a) & (p.cand_action == k) & (p.cand_target == t)
    return int(np.nonzero(hit)[0][0])


# The orders of the wars under way: an offensive, and ceasefires offered every month.
WAR_ORDERS = (
    ("UKR", "invade", "RUS"),
    ("UKR", "ceasefire", "RUS"),
    ("RUS", "ceasefire", "UKR"),
    ("PRK", "ceasefire", "UKR"),
)


def _tops(p, baseline, actor: str, cand: int) -> int:
    a = p.actor_ids.index(actor)
    final = play_as(p, 11, GAMES, a, lambda p, s, c=cand: np.full(s.batch, c))
    return Counter(verdicts(p, final, a, baseline))[relative_verdict(np.inf)]


@pytest.mark.slow
def test_neither_holding_nor_one_simple_order_wins_the_top_verdict_in_most_games(
    scenario, baseline
):
    p = scenario.params
    top = relative_verdict(np.inf)
    absolute_triumphs = 0
    for actor, action, target in WAR_ORDERS:
        tops = _tops(p, baseline, actor, _order(p, actor, action, target))
        assert tops < GAMES / 2, (actor, action, target, tops)
    for a in range(p.n_actors):
        for name, cand in (
            ("hold", hold_candidate(p, a)),
            ("negotiate", _negotiate_with_most_tense_rival(p, a)),
        ):
            final = play_as(p, 11, GAMES, a, lambda p, s, c=cand: np.full(s.batch, c))
            counts = Counter(verdicts(p, final, a, baseline))
            assert counts[top] < GAMES / 2, (p.actor_ids[a], name, counts)
            if name == "hold":
                absolute = Counter(absolute_verdict(float(x)) for x in score(p, final)[:, a])
                absolute_triumphs += absolute[top] > GAMES / 2
    # Mechanism off: judged on the absolute score instead, holding is a triumph for some.
    assert absolute_triumphs >= 1


def test_an_ai_played_game_sits_in_the_middle_of_the_verdict_scale(scenario, baseline):
    p = scenario.params
    others = ai_baseline(p, 12345, runs=GAMES).scores[-1]  # another batch of AI games
    for a in range(p.n_actors):
        pos = baseline.position(p.turns, a, others[:, a])
        assert abs(float(np.median(pos))) < 0.35, p.actor_ids[a]
        assert relative_verdict(float(np.median(pos))) == "Stalemate"
        # The baseline's own futures: as many above its median as below, by construction.
        own = baseline.position(p.turns, a, baseline.futures(p.turns, a))
        assert float(np.median(own)) == pytest.approx(0.0, abs=1e-9)


def test_nuclear_use_by_or_against_the_player_is_a_disaster(scenario):
    p = scenario.params
    kor, prk = p.actor_ids.index("KOR"), p.actor_ids.index("PRK")
    s = Session(scenario, kor, 4)
    assert s.verdict() != "Disaster" and not s.disaster()
    peak = s.state.peak.copy()
    peak[0, prk, kor] = peak[0, kor, prk] = p.thresholds["nuclear_use"]
    s.state.peak = peak
    s.version += 1
    assert s.disaster() and s.verdict() == "Disaster"
    assert s.disaster(prk)  # the state that used it, too
    assert not s.disaster(p.actor_ids.index("MNG"))


def test_the_score_shown_is_the_share_of_the_ai_futures_beaten(scenario):
    s = Session(scenario, scenario.params.actor_ids.index("PRK"), 9)
    futures = s.baseline().futures(0, s.player)
    mine = float(s.scores()[s.player])
    expected = (np.sum(futures < mine) + 0.5 * np.sum(futures == mine)) / futures.size
    assert s.beaten() == pytest.approx(expected)


@pytest.mark.slow
def test_a_one_sided_ceasefire_would_win_the_war_for_whoever_offers_it():
    """Mechanism off: when one side's ceasefire ends the war at once (no acceptance, game.engine
    .tempo), offering it every month is a top verdict in most games for Ukraine."""
    path = repo_root() / "scenarios" / "treaty-2024.toml"
    p = load_scenario(path, {"actions.ceasefire.offer": False}).params
    tops = _tops(p, ai_baseline(p, 1), "UKR", _order(p, "UKR", "ceasefire", "RUS"))
    assert tops > GAMES / 2, tops


def test_a_goal_whose_best_lies_below_its_worst_stands_at_a_plain_zero(scenario):
    """At its worst such a goal's standing was -0.0, shown as "-0" on the end screen."""
    from dataclasses import replace

    from game.engine.outcome import objective_components

    p = scenario.params
    k = next(i for i, g in enumerate(p.goals) if g.standing >= 0)
    state = initial_state(p, 1, np.arange(2))
    now = objective_components(p, state)[0, p.goals[k].actor, p.goals[k].standing]
    flipped = replace(p.goals[k], worst=float(now), best=float(now) - 10.0)
    goals = [flipped if i == k else g for i, g in enumerate(p.goals)]
    got = goal_standings(replace(p, goals=goals), state)[:, k]
    assert (got == 0).all() and not np.signbit(got).any()
