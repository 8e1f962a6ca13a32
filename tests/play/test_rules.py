"""The action picker's catalogue agrees with the engine on what is open, and says why not."""

import numpy as np
import pytest

from game.ai.policy import valid_moves
from game.engine import treaty_active
from game.play import rules
from game.play.headlines import month_headlines
from game.play.session import Session


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
    assert all(o.reason for o in closed_by_rung)


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
