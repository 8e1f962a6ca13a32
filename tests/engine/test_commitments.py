"""Commitments: decisions to honour, credibility as state, red lines, and what they deter.

Single runs, driven through the engine's decision point: a state crosses a red line, the
declaring state is a player who answers, and the answer's effect on credibility and on the
next month's choices is read off the engine and the AI.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.ai import doctrine_policy
from game.ai.policy import scores
from game.engine import initial_state, step
from game.engine.step import Context
from game.play.rules import candidate_table
from game.play.session import Session
from game.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "scenarios" / "treaty-2024.toml"


@pytest.fixture(scope="module")
def sc():
    return load_scenario(DEFAULT)


def _cand(p, actor: str, action: str, target: str) -> int:
    """The candidate move (actor, action, target), from the picker's own table."""
    a = p.actor_ids.index(actor)
    return candidate_table(p, a)[(p.action_ids.index(action), p.actor_ids.index(target))]


def _cross_red_line(p, seed: int = 3):
    """One run in which Seoul sends arms to Kyiv in July 2024, with Russia as a player."""
    com = p.commit
    n = com.keys.index("putin_warning_2024:RUS>KOR")
    kor = p.actor_ids.index("KOR")
    rus = p.actor_ids.index("RUS")
    asked = np.zeros(p.n_actors, dtype=bool)
    asked[rus] = True
    fixed = np.full((1, p.n_actors), -1, dtype=np.int64)
    fixed[0, kor] = _cand(p, "KOR", "arms_supply", "UKR")
    state = initial_state(p, seed, [0])
    state, rec = step(p, state, doctrine_policy, fixed, asked=asked)
    return state, rec, n, kor, rus, asked


def test_crossing_a_red_line_asks_the_player_and_waits(sc):
    p = sc.params
    state, rec, n, kor, rus, asked = _cross_red_line(p)
    assert rec.red_line[0, n]
    assert rec.asked[0, n, kor] and state.pending[0, n, kor]
    assert not rec.honour[0, n].any() and not rec.decline[0, n].any()
    # unchanged from this run's own opening (its credibility may be drawn per run)
    assert state.cred[0, n] == pytest.approx(initial_state(p, 3, [0]).cred[0, n])
    # Unanswered, the decision stays open month after month; the AI never takes it.
    later, rec2 = step(p, state, doctrine_policy, asked=asked)
    assert later.pending[0, n, kor] and rec2.asked[0, n, kor]
    assert not rec2.honour[0, n, kor] and not rec2.decline[0, n, kor]


@pytest.mark.parametrize("answer", [0, 1])
def test_the_answer_moves_credibility_and_the_answer_follows(sc, answer):
    p = sc.params
    com = p.commit
    state, _, n, kor, rus, asked = _cross_red_line(p)
    reply = np.full((1, com.n, p.n_actors), -1, dtype=np.int8)
    reply[0, n, kor] = answer
    c0 = state.cred[0, n]
    after, rec = step(p, state, doctrine_policy, asked=asked, answers=reply)
    assert not after.pending[0, n, kor]
    assert rec.honour[0, n, kor] == bool(answer) and rec.decline[0, n, kor] == (not answer)
    assert rec.cred_before[0, n] == c0
    if answer:
        assert rec.cred_after[0, n] > c0
        # The answer is due after the red line's delay: Russia climbs against Seoul then.
        nxt, rec3 = step(p, after, doctrine_policy, asked=asked)
        assert rec3.answered[0, n]
        assert nxt.rung[0, rus, kor] >= com.response[n]
        assert nxt.red_line_count[0, com.red_line_of[n]] == 1
    else:
        assert rec.cred_after[0, n] < c0 * (1 - com.decline_loss) + 0.02
        assert (after.answer_due[0] < 0).all()


def test_a_declined_red_line_deters_less_afterwards(sc):
    """The same run, the same month: Seoul's appeal of arming Kyiv again is higher once Moscow
    has let its red line pass than once it has honoured it - and, with anticipation switched
    off, the answer makes no difference to Seoul's choice."""
    p = sc.params
    com = p.commit
    arms = _cand(p, "KOR", "arms_supply", "UKR")

    def appeal(params, answer: int) -> tuple[float, float]:
        state, _, n, kor, rus, asked = _cross_red_line(params)
        reply = np.full((1, com.n, params.n_actors), -1, dtype=np.int8)
        reply[0, n, kor] = answer
        after, _ = step(params, state, doctrine_policy, asked=asked, answers=reply)
        return float(scores(params, after, Context(params, after))[0, arms]), after.cred[0, n]

    declined, c_declined = appeal(p, 0)
    honoured, c_honoured = appeal(p, 1)
    assert c_declined < c_honoured
    assert declined > honoured + 0.2, (declined, honoured)
    off = load_scenario(DEFAULT, {"ai.anticipation": 0.0}).params
    assert appeal(off, 0)[0] == pytest.approx(appeal(off, 1)[0])


def test_a_dead_letter_is_never_honoured_and_stays_dead(sc):
    p = load_scenario(DEFAULT, {"red_lines.putin_warning_2024.credibility": 0.0}).params
    n = p.commit.keys.index("putin_warning_2024:RUS>KOR")
    kor = p.actor_ids.index("KOR")
    fixed = np.full((1, p.n_actors), -1, dtype=np.int64)
    fixed[0, kor] = _cand(p, "KOR", "arms_supply", "UKR")
    state = initial_state(p, 5, [0])
    for _ in range(6):
        state, rec = step(p, state, doctrine_policy, fixed)
        assert not rec.honour[0, n].any() and not rec.answered[0, n]
    assert state.cred[0, n] == 0.0 and state.declined[0, n] == 6


def test_a_declined_pledge_sours_the_pair():
    """The DPRK as a player declines its Art. 4 pledge to Russia when it first binds."""
    sc = load_scenario(DEFAULT)
    p = sc.params
    s = Session(sc, p.actor_ids.index("PRK"), seed=7)
    while not s.decisions() and s.turn < 8:
        s.end_turn(None)
    pending = s.decisions()
    assert pending, "the DPRK's pledge to Russia should have been triggered by December 2024"
    d = pending[0]
    com = p.commit
    assert com.keys[d.commitment].startswith("rus_prk_2024.art4:PRK>RUS")
    assert "Honour" in d.question and "%" in d.decline
    rus, prk = p.actor_ids.index("RUS"), p.actor_ids.index("PRK")
    before = s.state.cred[0, d.commitment]
    month = s.end_turn(None, {(d.commitment, d.against): False})
    decisions = [e for e in month.events if e["kind"] == "decision"]
    assert decisions and decisions[0]["honoured"] is False
    assert decisions[0]["credibility_before"] == pytest.approx(before, abs=1e-3)
    assert s.state.cred[0, d.commitment] < before
    assert s.state.declined[0, d.commitment] == 1
    assert not s.decisions()
    # Declining also sours the pair: tension rose at least by the rule's amount before drift.
    assert s.state.tension[0, rus, prk] > p.tension0[rus, prk]


def test_a_pledge_card_knows_the_ally_is_already_at_war_with_the_attacker():
    """The DPRK, already at war with Ukraine (troops sent to Russia's war), is asked to honour
    Art. 4 for Russia against Ukraine: the card says it already fights Ukraine and that the
    answer leaves the pair where it stands, not that it would enter the conflict; an ally not
    yet fighting the attacker is told it enters it (the same card, the pair put back)."""
    sc = load_scenario(DEFAULT)
    p = sc.params
    prk, ukr = p.actor_ids.index("PRK"), p.actor_ids.index("UKR")
    s = Session(sc, prk, seed=3)
    move = {
        (p.action_ids[int(p.cand_action[c])], p.actor_ids[int(p.cand_target[c])]): c
        for c in range(len(p.cand_action))
        if p.cand_actor[c] == prk and p.cand_action[c] >= 0
    }
    plan = [("missile_test", "USA"), ("arms_supply", "RUS"), ("warning", "KOR")]
    plan += [("exercise", "KOR"), ("troops_abroad", "RUS"), ("icbm_test", "USA")]
    for mv in plan * 2:
        if s.decisions():
            break
        s.end_turn(move[mv])
    cards = [d for d in s.decisions() if d.against == ukr]
    assert cards, "the DPRK's pledge to Russia against Ukraine should be asked by then"
    d = cards[0]
    at = p.rung_names[int(s.state.rung[0, prk, ukr])]
    assert int(s.state.rung[0, prk, ukr]) >= p.commit.response[d.commitment]
    assert f"already at {at} with Ukraine" in d.honour and "enters" not in d.honour
    assert "goes on" in d.decline and d.risk.startswith(f"North Korea and Ukraine stay at {at}")
    s.state.rung[0, prk, ukr] = s.state.rung[0, ukr, prk] = 0
    fresh = next(x for x in s.decisions() if x.against == ukr)
    assert "enters the conflict against Ukraine" in fresh.honour
    assert "stays out" in fresh.decline and " stay at " not in fresh.risk


def test_preview_names_what_a_move_sets_off(sc):
    """The engine's preview of a move lists the pledges and red lines the AI weighs."""
    from game.engine import treaty_active
    from game.engine.anticipation import consequences

    def preview(params, mover, action, target, turn=6):
        st = initial_state(params, 1, [0])
        st.turn = turn
        ix, ak = params.actor_ids.index, params.action_ids.index
        act = treaty_active(params, st)
        return consequences(params, st, act, 0, ix(mover), ak(action), ix(target))

    p = sc.params
    line = [c for c in preview(p, "KOR", "arms_supply", "UKR") if c.kind == "red_line"]
    assert len(line) == 1 and line[0].by == p.actor_ids.index("RUS")
    assert (
        0 < line[0].credibility <= p.commit.cred0[p.commit.keys.index("putin_warning_2024:RUS>KOR")]
    )
    dead = load_scenario(DEFAULT, {"red_lines.putin_warning_2024.credibility": 0.0}).params
    assert not [c for c in preview(dead, "KOR", "arms_supply", "UKR") if c.kind == "red_line"]
    art4 = [c.name for c in preview(p, "USA", "exercise", "PRK") if c.kind == "assistance"]
    assert any("Russia-DPRK" in n and "Art. 4" in n for n in art4)
    old = load_scenario(ROOT / "scenarios" / "treaty-2000.toml").params
    art = [c.name for c in preview(old, "USA", "exercise", "PRK") if c.kind == "assistance"]
    assert not any("Russia" in n for n in art) and art  # China's 1961 pledge remains
    # A cooperative move sets nothing off.
    assert preview(p, "USA", "summit", "KOR") == []


def test_when_the_ai_plays_the_month_it_decides_for_the_player():
    """Autoplay: the player's pledge is decided by the AI, as for every other state."""
    sc = load_scenario(DEFAULT)
    p = sc.params
    s = Session(sc, p.actor_ids.index("PRK"), seed=7)
    decided = []
    while s.turn < 9:
        month = s.end_turn(None, ai_decides=True)
        decided += [e for e in month.events if e["kind"] == "decision" and e["by"] == "PRK"]
        assert not s.decisions()
    assert decided and decided[0]["commitment"].startswith("rus_prk_2024.art4:PRK>RUS")


@pytest.mark.parametrize("n_a", [2, 8, 16, 24])
def test_the_wars_each_state_fights_are_the_plain_counts(n_a):
    """commitments.wars_fought (a product of each run's bytes with ones) gives the plain count
    of pairs at war or above, and the stretch looked up by it the power taken entry by entry."""
    from game.engine import commitments as cm

    rng = np.random.default_rng(n_a)
    rung = rng.integers(0, 12, size=(300, n_a, n_a)).astype(np.int16)
    rung[:7] = 11  # every pair at war: the largest counts
    for war in (0, 8, 11):
        plain = (rung >= war).sum(axis=2)
        got = cm.wars_fought(rung, war)
        assert got.dtype == np.int64
        np.testing.assert_array_equal(got, plain)
    wars = cm.wars_fought(rung, 8)
    table = 0.85 ** np.arange(wars.max() + 1)
    np.testing.assert_array_equal(table[wars], 0.85**wars)


@pytest.mark.parametrize("path", [DEFAULT, ROOT / "scenarios" / "peninsula-clash.toml"])
def test_the_reading_column_by_column_equals_the_whole_reading(path):
    """commitments.Columns (what the dilemmas' weighing asks for) gives, column by column, the
    very numbers of commitments.read, on months of a batch where wars and pledges move (and on
    a state where every pair is at war, the largest overstretch)."""
    from game.engine import commitments as cm
    from game.engine.context import treaty_active
    from game.engine.params import ATTR_COLS

    p = load_scenario(path).params
    war = p.thresholds["war"]
    state = initial_state(p, 5, np.arange(200))
    for month in range(14):
        if month == 13:
            state.rung[:60] = np.maximum(state.rung[:60], war)
        active = treaty_active(p, state)
        args = (p.commit, state.attr, state.rung, state.cred, active, state.turn, war, ATTR_COLS)
        whole, cols = cm.read(*args), cm.Columns(*args)
        for x in range(p.n_actors):
            assert np.array_equal(cols.power(x), whole.power[:, x])
            assert np.array_equal(cols.nuclear(x), whole.nuclear[:, x])
            assert np.array_equal(cols.wars(x), whole.wars[:, x])
            assert np.array_equal(cols.coalition(x), whole.coalition[:, x])
        for n in range(p.commit.n):
            assert np.array_equal(cols.eff(n), whole.eff[:, n])
        state, _ = step(p, state, doctrine_policy)


def test_an_ally_already_fighting_the_attacker_honours_its_pledge(sc):
    """A pledge triggered against a state its ally already fights (their pair at an armed
    clash or above) is honoured by the AI: odds 1 (it was logged as declining, and lost half
    its credibility, in the month it attacked). A player's state is still asked."""
    from game.engine import rng
    from game.engine.context import treaty_active
    from game.engine.step import _Decisions

    p = sc.params
    com = p.commit
    usa, kor, prk = (p.actor_ids.index(x) for x in ("USA", "KOR", "PRK"))
    n = next(m for m in range(com.n_assist) if com.by[m] == usa and com.party[m] == kor)
    armed = p.thresholds["armed_clash"]
    state = initial_state(p, 1, np.arange(4))
    for r, g in enumerate((armed, p.thresholds["war"], armed - 1, 0)):
        state.rung[r, usa, prk] = state.rung[r, prk, usa] = g
    rows = np.arange(4)
    active = treaty_active(p, state)
    asked = np.zeros(p.n_actors, dtype=bool)
    asked[usa] = True
    ai, player = _Decisions(p, state, active, None, None), _Decisions(p, state, active, asked, None)
    for d in (ai, player):
        d.read(rows)
    args = (0, rows, np.full(4, n), np.full(4, prk), rng.STREAM_CREDIBILITY)
    yes, decided, odds = ai.weigh(*args)
    assert odds[:2].tolist() == [1.0, 1.0] and yes[:2].all() and decided.all()
    assert (odds[2:] < 1).all()
    yes, decided, _ = player.weigh(*args)
    assert not decided.any()  # waits for the player's answer
