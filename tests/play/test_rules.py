"""The action picker's catalogue agrees with the engine on what is open, and says why not."""

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest

from game.ai.policy import valid_moves
from game.engine import legality, treaty_active
from game.play import rules
from game.play.headlines import month_headlines
from game.play.session import Session
from game.scenario import load_scenario
from tests.engine.states import random_states

SHIPPED = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.toml"))


def sessions(scenario, months=(0, 6, 14)):
    p = scenario.params
    for player in range(p.n_actors):
        s = Session(scenario, player, 3)
        done = 0
        for m in months:
            while done < m and not s.over:
                s.end_turn(None)
                done += 1
            yield s


def test_catalogue_matches_valid_moves(scenario):
    p = scenario.params
    for s in sessions(scenario):
        valid = valid_moves(p, s.state, treaty_active(p, s.state))[0]
        seen = set()
        for target in range(p.n_actors):
            if target == s.player:
                continue
            opts = rules.options(s, target)
            assert opts[0].action == -1 and opts[0].open
            assert len(opts) == len(p.action_ids) + 1
            for o in opts[1:]:
                if o.cand is not None:
                    assert o.open == bool(valid[o.cand])
                    seen.add(o.cand)
                if not o.open:
                    assert o.reason and o.short
                    if o.cand is None:
                        assert o.reason
        lo, hi = p.actor_cand_start[s.player], p.actor_cand_start[s.player + 1]
        moves = {c for c in range(lo, hi) if p.cand_action[c] >= 0}
        assert moves == seen, "every move of the player appears in the catalogue"


def test_reasons_name_the_rule(scenario):
    p = scenario.params
    s = Session(scenario, p.actor_ids.index("KOR"), 1)
    prk = p.actor_ids.index("PRK")
    by_id = {p.action_ids[o.action]: o for o in rules.options(s, prk) if o.action >= 0}
    if "nuclear_strike" in by_id:
        assert "nuclear" in by_id["nuclear_strike"].reason.lower()
    if "summit" in by_id and not by_id["summit"].open:
        assert "partner" in by_id["summit"].reason.lower()
    closed_by_rung = [o for o in by_id.values() if o.cand is not None and not o.open]
    assert closed_by_rung, "some of KOR's moves toward PRK are closed in the first month"
    for o in closed_by_rung:
        name = legality.REASONS[o.code][0]
        if name in ("rung_low", "rung_high"):
            assert p.rung_names[int(s.rung[s.player, prk])] in o.reason, o.reason


def states_of_play(sc, months=(0, 5, 12, 24), seed=3):
    """A game of the scenario at several months: (month, session of each state)."""
    p = sc.params
    s = Session(sc, 0, seed)
    for m in months:
        while s.turn < m and not s.over:
            s.end_turn(None)
        yield m, [Session(sc, player, seed, state=s.state) for player in range(p.n_actors)]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_closed_option_has_a_specific_reason(path):
    """Every shipped scenario, several months into play, for every state and target: each
    closed option carries one of the engine's reasons and its own words."""
    sc = load_scenario(path)
    p = sc.params
    counts: dict[str, int] = {}
    for month, sessions in states_of_play(sc):
        for s in sessions:
            for target in range(p.n_actors):
                for o in rules.options(s, target):
                    if o.open:
                        assert o.code == legality.OPEN and not o.reason
                        continue
                    name = legality.REASONS[o.code][0]
                    assert name != "open", (month, s.player_id, o)
                    assert (o.reason, o.short) == rules.explain(s, o.code, o.action, target)
                    assert o.reason and o.short and "{" not in o.reason + o.short
                    counts[name] = counts.get(name, 0) + 1
    assert "doctrine" in counts and "rung_low" in counts, counts


def test_words_for_every_reason():
    assert set(rules.WORDS) == {name for name, _ in legality.REASONS[1:]}


def test_picker_and_ai_agree_on_random_states():
    """200 random states over the shipped scenarios (25 each): for every candidate of every
    state, the action picker's open/closed and reason agree with the AI's mask."""
    total = 0
    per = 200 // len(SHIPPED)
    for n, path in enumerate(SHIPPED):
        sc = load_scenario(path)
        p = sc.params
        for state, rows in random_states(p, per + (n < 200 % len(SHIPPED)), seed=n):
            mask = valid_moves(p, state, treaty_active(p, state))
            for i in rows:
                total += 1
                one = state.take([int(i)])
                for player in range(p.n_actors):
                    s = Session(sc, player, 0, state=one)
                    lo, hi = p.actor_cand_start[player], p.actor_cand_start[player + 1]
                    seen = set()
                    for target in range(p.n_actors):
                        for o in rules.options(s, target)[1:]:
                            if o.cand is None:
                                assert not o.open and o.reason
                                continue
                            assert o.open == bool(mask[i, o.cand]), (path.stem, o)
                            assert bool(o.reason) != o.open
                            seen.add(o.cand)
                    moves = {c for c in range(lo, hi) if p.cand_action[c] >= 0}
                    assert seen == moves
    assert total == 200


@pytest.mark.parametrize("player", ["KOR", "RUS", "PRK"])
def test_preview_lines(scenario, player):
    p = scenario.params
    s = Session(scenario, p.actor_ids.index(player), 1)
    for target in range(p.n_actors):
        if target == s.player:
            continue
        for o in rules.options(s, target):
            lines = rules.preview(s, o.action, o.target)
            assert lines and all(isinstance(ln.text, str) and ln.text for ln in lines)
            if o.action >= 0 and p.action_tension[o.action] != 0:
                assert any(ln.label == "Tension" for ln in lines)


def test_headlines_cover_every_event(scenario):
    s = Session(scenario, 0, 2)
    for _ in range(10):
        month = s.end_turn(None)
        heads = month_headlines(s.params, month.events, s.player_id)
        assert len(heads) == len(month.events)
        assert all(h.text for h in heads)
        weights = [h.weight for h in heads]
        assert weights == sorted(weights, reverse=True)


def test_commitment_dispatches_read_as_words_and_a_players_decision_has_no_odds(scenario):
    """A red line crossed, a decision awaited and a decision taken: each dispatch has its tag
    in words and its text whole (the log's two-word tag once left 'LINE' in the text); the
    odds of a decision are the AI's draw, so the player's own decision shows none."""
    p = scenario.params
    com = p.commit
    n = next(i for i in range(com.n_assist, com.n))  # a red line
    by, party = p.actor_ids[com.by[n]], p.actor_ids[com.party[n]]
    base = {"commitment": com.keys[n], "name": com.names[n], "type": "red_line", "by": by,
            "party": party, "action": p.action_ids[com.action[n]]}  # fmt: skip
    decision = {**base, "kind": "decision", "against": party, "honoured": False, "odds": 0.42,
                "credibility_before": 0.6, "credibility_after": 0.31}  # fmt: skip
    crossed = month_headlines(p, [{**base, "kind": "red_line"}], party)[0]
    assert crossed.tag == "RED LINE" and crossed.text.startswith(p.actor_names[com.party[n]])
    ai = month_headlines(p, [decision], party)[0]
    mine = month_headlines(p, [decision], by)[0]
    assert ai.tag == mine.tag == "DECLINED"
    assert "odds 42%, credibility 60% -> 31%" in ai.text
    assert "odds" not in mine.text and "credibility 60% -> 31%" in mine.text
    asked = month_headlines(p, [{**base, "kind": "asked", "against": party}], by)[0]
    assert asked.tag == "DECIDE" and asked.text.startswith(p.actor_names[com.by[n]])
    # The player's own decision leads the month's dispatches (it was ninth, behind the
    # month's moves): awaited first, taken beside its choices and moves.
    move = {"kind": "move", "actor": party, "action": p.action_ids[0], "target": by}
    stories = [move, {**base, "kind": "asked", "against": party}]
    assert month_headlines(p, stories, by)[0].tag == "DECIDE"
    assert month_headlines(p, [move, decision], by)[0].tag == "DECLINED"
    assert asked.weight > mine.weight >= 70 > ai.weight


def test_a_red_lines_preview_and_its_dispatch_give_the_same_credibility(scenario):
    """South Korea arms Kyiv across Russia's red line: the order's preview gives the
    credibility Russia's decision moves (and, apart, the lower one its wars leave it), the
    dispatch moves it from that figure, and the next preview starts where the dispatch ended."""
    p = scenario.params
    kor, prk, ukr = (p.actor_ids.index(x) for x in ("KOR", "PRK", "UKR"))
    move = {
        (p.action_ids[int(p.cand_action[c])], int(p.cand_target[c])): c
        for c in range(len(p.cand_action))
        if p.cand_actor[c] == kor and p.cand_action[c] >= 0
    }
    arms = p.action_ids.index("arms_supply")
    s = Session(scenario, kor, 3)
    s.end_turn(move[("exercise", prk)])
    before = [ln.text for ln in rules.set_off_lines(s, arms, ukr) if ln.label == "Red line"]
    month = s.end_turn(move[("arms_supply", ukr)])
    told = [h.text for h in month_headlines(p, month.events, "KOR") if h.tag == "DECLINED"]
    after = [ln.text for ln in rules.set_off_lines(s, arms, ukr) if ln.label == "Red line"]
    assert len(before) == len(told) == len(after) == 1
    held = re.search(r"\(credibility (\d+)%, (\d+)% while Russia fights its wars\)", before[0])
    moved = re.search(r"credibility (\d+)% -> (\d+)%", told[0])
    then = re.search(r"\(credibility (\d+)%", after[0])
    assert held and moved and then
    assert int(held.group(2)) < int(held.group(1))  # at war in Ukraine: stretched
    assert held.group(1) == moved.group(1) and moved.group(2) == then.group(1)


def test_a_clause_story_names_its_article_once(scenario):
    """A treaty whose name holds its clause's ("Camp David Commitment to Consult") is not
    followed by the clause's name again; an article numbered apart is."""
    p = scenario.params

    def told(treaty, article):
        ev = {"kind": "consultation", "by": "USA", "party": "KOR", "against": "PRK",
              "treaty": treaty, "article": article}  # fmt: skip
        return month_headlines(p, [ev], "KOR")[0].text

    assert told("camp_david_2023", "Commitment to Consult").count("Commitment to Consult") == 1
    assert told("us_rok_1953", "Art. III").endswith("Treaty, Art. III)")


def test_session_rejects_moves_of_other_states(scenario):
    p = scenario.params
    s = Session(scenario, p.actor_ids.index("KOR"), 1)
    other = int(p.actor_cand_start[p.actor_ids.index("JPN")])
    with pytest.raises(ValueError):
        s.end_turn(other)
    assert s.turn == 0


def test_player_move_is_applied(scenario):
    p = scenario.params
    kor, prk = p.actor_ids.index("KOR"), p.actor_ids.index("PRK")
    s = Session(scenario, kor, 4)
    opt = next(
        o
        for o in rules.options(s, prk)
        if o.open and o.action >= 0 and p.action_ids[o.action] == "exercise"
    )
    month = s.end_turn(opt.cand)
    assert month.player_move == opt.cand
    assert s.rung[kor, prk] >= p.action_rung[opt.action]
    assert np.any(
        [ev.get("action") == "exercise" and ev.get("actor") == "KOR" for ev in month.events]
    )


def test_the_preview_shows_an_orders_costs_and_gains_as_the_engine_applies_them(scenario):
    p = scenario.params
    ids = p.actor_ids
    s = Session(scenario, ids.index("KOR"), 1)
    sanction = p.action_ids.index("sanction")
    econ, stab = (rules.ATTRIBUTES.index(x) for x in ("economy", "stability"))
    costs, gains = rules.costs_and_gains(s, sanction, ids.index("PRK"))
    own = rules._fmt(p.action_self[sanction, econ])
    hit = [rules._fmt(p.action_target[sanction, k]) for k in (econ, stab)]
    assert f"your economy {own}" in costs and own.startswith("\u2212")
    assert f"PRK economy {hit[0]}, stability {hit[1]}" in gains
    assert f"tension {rules._fmt(p.action_tension[sanction], 0)} with PRK" in costs
    lines = {ln.label: ln for ln in rules.preview(s, sanction, ids.index("PRK"))}
    assert lines["Costs"].tone == "bad" and lines["Gains"].tone == "good"
    assert lines["Costs"].text == "; ".join(costs)
    # Aid to a partner: the partner's gains are the player's gains, the player's outlay a cost.
    aid = p.action_ids.index("aid")
    costs, gains = rules.costs_and_gains(s, aid, ids.index("USA"))
    assert any(c.startswith("your economy \u2212") for c in costs)
    assert any(g.startswith("USA economy +") for g in gains)
    # The preview reads the engine's numbers: with the mover's own effects switched off, the
    # sanction costs the player's economy nothing.
    off = dataclasses.replace(p, action_self=np.zeros_like(p.action_self))
    s_off = Session(dataclasses.replace(scenario, params=off), ids.index("KOR"), 1)
    costs, _ = rules.costs_and_gains(s_off, sanction, ids.index("PRK"))
    assert not any(c.startswith("your") for c in costs)


def test_the_preview_shows_the_balance_of_forces_an_offers_answer_and_worried_allies(scenario):
    """What the engine will do, not what the catalogue says: Ukraine's offensive costs it more
    and destroys less than written (Russia is stronger), Russia's as written; Ukraine's
    ceasefire offer would be refused in July 2024; Seoul's talks with Pyongyang worry its US
    ally."""
    p, ids = scenario.params, scenario.params.actor_ids
    invade, cease, talks = (p.action_ids.index(x) for x in ("invade", "ceasefire", "negotiate"))
    ukr = Session(scenario, ids.index("UKR"), 1)
    costs, gains = rules.costs_and_gains(ukr, invade, ids.index("RUS"))
    mine = float(costs[0].split("military ")[1].split(",")[0].replace("\u2212", "-"))
    theirs = float(gains[0].split("military ")[1].split(",")[0].replace("\u2212", "-"))
    assert mine < -1.2 and -2.0 < theirs < -1.0, (costs, gains)
    costs, gains = rules.costs_and_gains(
        Session(scenario, ids.index("RUS"), 1), invade, ids.index("UKR")
    )
    assert "your military \u22121.0" in costs and gains[0].startswith("UKR military \u22122.0")
    costs, gains = rules.costs_and_gains(ukr, cease, ids.index("RUS"))
    assert "an end to the fighting if RUS accepts" in gains
    assert any(c.startswith("RUS would refuse") for c in costs), costs
    # A Russia worn out and unwilling would accept, but only if its own move is not hostile:
    # the preview says so, where it promised acceptance outright.
    from game.engine.params import ATTR

    rus = ids.index("RUS")
    ukr.state.attr[0, rus, ATTR["stability"]] = 0.0
    ukr.state.attr[0, rus, ATTR["resolve"]] = 0.0
    _, gains = rules.costs_and_gains(ukr, cease, rus)
    assert any(g.startswith("RUS would accept unless its own move is hostile") for g in gains)
    costs, _ = rules.costs_and_gains(
        Session(scenario, ids.index("KOR"), 1), talks, ids.index("PRK")
    )
    assert "tension +3 with your ally USA" in costs, costs


def test_every_order_but_words_costs_something_and_gains_something(scenario):
    """The designer's rule for the catalogue: an order that does more than talk (changes a
    state's numbers or climbs the ladder) has a cost and a gain for the state that gives it;
    holding and pure words (tension only) may be free."""
    p = scenario.params
    seen = 0
    for a in range(p.n_actors):
        s = Session(scenario, a, 1)
        for c in range(int(p.actor_cand_start[a]), int(p.actor_cand_start[a + 1])):
            k, t = int(p.cand_action[c]), int(p.cand_target[c])
            if k < 0:
                continue
            words = not (p.action_self[k].any() or p.action_target[k].any())
            words &= int(p.action_rung[k]) < 0 and not p.action_spill_tension[k]
            costs, gains = rules.costs_and_gains(s, k, t)
            assert gains or costs, (p.actor_ids[a], p.action_ids[k], p.actor_ids[t])
            if not words:
                assert costs and gains, (p.actor_ids[a], p.action_ids[k], p.actor_ids[t])
                seen += 1
    assert seen > 100


def test_the_player_s_answer_to_a_dilemma_and_the_red_line_it_crosses_lead_the_dispatches(
    scenario,
):
    """Seoul's shells for Kyiv, chosen by the player, and Putin's warning they cross come
    before the month's ordinary moves (they ranked 18th and 7th of 20)."""
    from game.play.session import Session

    s = Session(scenario, scenario.params.actor_ids.index("KOR"), 5)
    while not s.dilemmas():
        s.end_turn(ai_decides=True)
    (d,) = s.dilemmas()
    shells = d.labels.index("Send shells to Kyiv")
    month = s.end_turn(choices={d.index: shells})
    heads = month_headlines(s.params, month.events, s.player_id)
    tags = [h.tag for h in heads]
    choice, line = tags.index("YOUR CHOICE"), tags.index("RED LINE")
    ordinary = [k for k, h in enumerate(heads) if h.weight < 70]  # other states' moves, events
    assert ordinary and max(choice, line) < min(ordinary)
    mine = heads[choice]
    assert mine.text == "Seoul sends artillery shells to Ukraine" and mine.tone == "player"
