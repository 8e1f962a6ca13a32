"""The AI answers a dilemma by what its options would do, not by weights written beside them.

Each claim is an ordering over a batch with separated intervals, and each is checked again with
its rule switched off (the [ai] gain at 0), where the effect must vanish: so the tests hold the
mechanism, not the scenario's numbers."""

from pathlib import Path

import numpy as np
import pytest

from game.engine import dilemmas
from game.engine.step import Context
from game.montecarlo.stats import wilson
from game.scenario import load_scenario
from game.sim import play

RUNS = 4000
DEFAULT = Path(__file__).resolve().parents[2] / "scenarios" / "treaty-2024.toml"


def variant(folder: Path, name: str, body: str):
    path = folder / f"{name}.toml"
    path.write_text(
        f'extends = "{DEFAULT.as_posix()}"\n[scenario]\nid = "{name}"\n{body}', encoding="utf-8"
    )
    return load_scenario(path).params


def shares(params, dilemma_id: str, turns: int = 10):
    """(counts of each option, the runs in which the dilemma was answered)."""
    final = play(params, 3, np.arange(RUNS), turns=turns)
    d = next(d for d in params.dilemmas if d.id == dilemma_id)
    counts = np.array([int(final.event_count[:, e].sum()) for e in d.events])
    return counts, int(counts.sum())


def interval(params, dilemma_id: str, option: int, turns: int = 10):
    counts, n = shares(params, dilemma_id, turns)
    assert n > RUNS / 2, "the dilemma should be posed in most runs"
    return wilson(int(counts[option]), n)


def apart(lower, higher) -> bool:
    return lower[1] < higher[0]


def overlap(a, b) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


LETHAL = 0  # rok_lethal_aid: lethal, non-lethal, stay out
CUT = 1  # usa_troops_korea: keep, cut, reinforce


def test_a_nuclear_armed_russia_deters_seoul_from_lethal_arms(tmp_path):
    """Seoul sends shells to Kyiv more often when Russia has no warheads: the risk of souring
    relations with a nuclear-armed state holds it back. With the risk rule off, Russia's arsenal
    makes no difference to Seoul's choice."""
    armed = variant(tmp_path, "armed", "")
    bare = variant(tmp_path, "bare", '[[actors]]\nid = "RUS"\nwarheads = 0\n')
    deterred = interval(armed, "rok_lethal_aid", LETHAL, turns=5)
    free = interval(bare, "rok_lethal_aid", LETHAL, turns=5)
    assert apart(deterred, free)
    off = "[ai]\ndilemma_risk = 0\n"
    armed_off = variant(tmp_path, "armed_off", off)
    bare_off = variant(tmp_path, "bare_off", off + '[[actors]]\nid = "RUS"\nwarheads = 0\n')
    a = interval(armed_off, "rok_lethal_aid", LETHAL, turns=5)
    b = interval(bare_off, "rok_lethal_aid", LETHAL, turns=5)
    assert overlap(a, b)
    # Without the risk, nothing holds Seoul back: it arms Kyiv more often than when deterred.
    assert apart(deterred, a)


def test_washington_keeps_its_troops_for_the_alliance_it_wants(tmp_path):
    """Cutting the troops in Korea sours Seoul, which Washington's goal (the alliances close)
    counts against: it is rare, far rarer than keeping them. With the goals' rule off, the cut
    is no longer rare."""
    wanted = variant(tmp_path, "wanted", "")
    counts, n = shares(wanted, "usa_troops_korea")
    keep, cut = wilson(int(counts[0]), n), wilson(int(counts[CUT]), n)
    assert apart(cut, keep)
    unwanted = variant(tmp_path, "unwanted", "[ai]\ndilemma_goals = 0\n")
    assert apart(cut, interval(unwanted, "usa_troops_korea", CUT))


@pytest.fixture(scope="module")
def chn(scenario):
    """The default scenario's China dilemma, posed in the first month of 64 runs."""
    from game.engine.state import initial_state

    p = scenario.params
    d = next(k for k, x in enumerate(p.dilemmas) if x.id == "chn_stand_by")
    state = initial_state(p, 5, np.arange(64))
    return p, d, state


def _pledges(params, by: str, party: str) -> list[int]:
    com, ids = params.commit, params.actor_ids
    return [
        n
        for n in range(com.n_assist)
        if com.by[n] == ids.index(by) and com.party[n] == ids.index(party)
    ]


def test_a_patron_pledged_to_defend_its_ally_values_calming_its_ally_s_crisis(chn):
    """Entrapment: China's pledge to defend North Korea (the 1961 treaty) makes pressing
    Pyongyang to step back from its crisis with Seoul worth more to China, the more credible the
    pledge. With the risk rule off, the pledge changes nothing."""
    import dataclasses

    p, d, state = chn
    ids = [p.events[e].id for e in p.dilemmas[d].events]
    restrain = ids.index("chn_stand_by.restrain")
    calm = ids.index("chn_stand_by.ambiguity")  # no pair of Pyongyang's with another moves

    def lead(params, st):
        """Restraint's value over the call for calm, in each run."""
        v = dilemmas.option_values(params, st, d, np.arange(st.batch), active)
        return v[:, restrain] - v[:, calm]

    pledges = _pledges(p, "CHN", "PRK")
    assert pledges
    active = Context(p, state).treaty_active()
    loose = state.copy()
    loose.cred[:, pledges] = 0.0
    assert (lead(p, state) > lead(p, loose) + 1e-6).all()
    g, s, _ = p.dilemmas[d].value_coef
    off = dataclasses.replace(p.dilemmas[d], value_coef=(g, s, 0.0))
    q = dataclasses.replace(p, dilemmas=[off if k == d else x for k, x in enumerate(p.dilemmas)])
    np.testing.assert_array_equal(lead(q, state), lead(q, loose))


def test_an_option_s_value_in_a_run_depends_on_that_run_alone(chn):
    """The values of a run are the same whether it is weighed alone, with every run, or in
    another order: a batch's choices do not depend on the batch."""
    p, d, state = chn
    active = Context(p, state).treaty_active()
    rows = np.arange(state.batch)
    whole = dilemmas.option_values(p, state, d, rows, active)
    some = np.array([40, 3, 17])
    np.testing.assert_array_equal(dilemmas.option_values(p, state, d, some, active), whole[some])


def _reference_values(params, state, d, rows, active):
    """The three rules worked out the plain way: whole copies of the runs, every actor's score,
    every pair's tension and every state's strength compared before and after each option."""
    from game.engine import commitments as cm
    from game.engine.effects import apply_effects
    from game.engine.outcome import score

    dl = params.dilemmas[d]
    q = dl.actor
    g_goals, g_stake, g_risk = dl.value_coef
    before = state.take(rows)
    n, n_a = rows.size, params.n_actors
    top = len(params.rung_ids) - 1
    rd = cm.read(
        params.commit,
        before.attr,
        before.rung,
        before.cred,
        active[rows],
        state.turn,
        params.thresholds["war"],
        (0, 5, 1, 2),
    )
    partner, rival = params.partners[q], params.rivals[q]
    deter = 0.5 * rd.coalition / (rd.coalition + rd.power[:, q : q + 1] + 1e-9) + 0.5 * rd.nuclear
    exposed = np.zeros((n, n_a))
    exposed[:, q] = 1.0
    com = params.commit
    for m in range(com.n_assist):
        if com.by[m] == q and com.party[m] != q:
            exposed[:, com.party[m]] = np.maximum(exposed[:, com.party[m]], rd.eff[:, m])
    out = np.zeros((n, len(dl.events)))
    for k, e in enumerate(dl.events):
        after = before.copy()
        apply_effects(params, after, params.events[e].effects, np.ones(n, dtype=bool))
        goals = score(params, after)[:, q] - score(params, before)[:, q]
        stake = np.zeros(n)
        risk = np.zeros(n)
        for i in range(n_a):
            for j in range(i + 1, n_a):
                up = (after.tension[:, i, j] - before.tension[:, i, j]) / 100.0
                up = up + (after.rung[:, i, j] - before.rung[:, i, j].astype(float)) / top
                if not up.any():
                    continue
                if q in (i, j) and partner[j if i == q else i]:
                    stake -= up
                    continue
                w = np.zeros(n)
                for a, b in ((i, j), (j, i)):
                    if b != q and not partner[b]:
                        w = np.maximum(w, exposed[:, a] * deter[:, b])
                risk += up * w
        for line in dl.lines[k]:  # a red line crossed: its answer, as likely as it is credible
            if not com.start[line] <= state.turn < com.end[line]:
                continue
            by = com.by[line]
            climb = np.maximum(com.response[line] - before.rung[:, q, by], 0) / top
            answer = rd.eff[:, line] * (climb + com.tension[line] / 100.0)
            if partner[by]:
                stake -= answer
            else:
                risk += answer * deter[:, by]
        for x in range(n_a):
            sign = float(partner[x]) - float(rival[x])
            if x == q or not sign:
                continue
            pw0 = rd.power[:, x]
            pw1 = cm.power(after.attr, 0, 5)[:, x]
            e0, e1 = before.attr[:, x, 3], after.attr[:, x, 3]
            rel = np.where(pw0 > 0, (pw1 - pw0) / np.where(pw0 > 0, pw0, 1), 0.0)
            rel += np.where(e0 > 0, (e1 - e0) / np.where(e0 > 0, e0, 1), 0.0)
            rel += cm.nuclear_reach(after.attr, 1, 2)[:, x] - rd.nuclear[:, x]
            stake += sign * rel
        out[:, k] = g_goals * goals + g_stake * stake - g_risk * risk
    return out


@pytest.mark.parametrize("month", [3, 9])
def test_the_values_equal_the_plain_reckoning_of_the_three_rules(scenario, month):
    """The values, worked out on the pairs and states the options touch and on the standings
    they can move, equal the plain reckoning over whole copies of the runs, every pair and every
    state, for every dilemma of the default scenario, in all the runs and in some."""
    from game.engine.params import ATTR

    assert (ATTR["military"], ATTR["readiness"], ATTR["warheads"], ATTR["delivery"]) == (
        0,
        5,
        1,
        2,
    )
    assert ATTR["economy"] == 3
    p = scenario.params
    state = play(p, 11, np.arange(48), turns=month)
    active = Context(p, state).treaty_active()
    for d in range(len(p.dilemmas)):
        for rows in (np.arange(48), np.array([5, 30, 31, 47])):
            got = dilemmas.option_values(p, state, d, rows, active)
            ref = _reference_values(p, state, d, rows, active)
            # The values are defined up to a number the same for every option of a run (the
            # score before the options): their differences are what the softmax reads.
            np.testing.assert_allclose(got - got[:, :1], ref - ref[:, :1], rtol=0, atol=1e-12)


def test_a_climb_up_the_ladder_is_a_risk_as_tension_is(tmp_path):
    """An option that puts Japan and Russia at an armed clash costs Japan by Russia's
    deterrence, as tension raised does: its value falls by the risk rule (and only by it)
    against an option that does nothing, by about the share of the ladder it climbs."""
    import dataclasses

    body = """
[[dilemmas]]
id = "sakhalin"
name = "Off Sakhalin"
actor = "JPN"
question = "A Russian patrol boat rams a Japanese trawler. Does Tokyo answer in kind?"
date = "2024-08"
[[dilemmas.options]]
id = "clash"
label = "Answer in kind"
effects = [ { kind = "rung", pair = ["JPN", "RUS"], raise = "armed_clash" } ]
[[dilemmas.options]]
id = "nothing"
label = "Protest"
effects = [ { kind = "attr", actor = "JPN", attr = "stability", add = 0 } ]
"""
    p = variant(tmp_path, "clash", body)
    d = next(k for k, x in enumerate(p.dilemmas) if x.id == "sakhalin")
    from game.engine.state import initial_state

    state = initial_state(p, 2, np.arange(32))
    active = Context(p, state).treaty_active()
    rows = np.arange(32)
    values = dilemmas.option_values(p, state, d, rows, active)
    g, s, r = p.dilemmas[d].value_coef
    off = dataclasses.replace(p.dilemmas[d], value_coef=(g, s, 0.0))
    q = dataclasses.replace(p, dilemmas=[off if k == d else x for k, x in enumerate(p.dilemmas)])
    riskless = dilemmas.option_values(q, state, d, rows, active)
    risk = riskless - values  # what the risk rule takes from each option
    np.testing.assert_array_equal(risk[:, 1], 0.0)
    jpn, rus = p.actor_ids.index("JPN"), p.actor_ids.index("RUS")
    climb = (p.rung_ids.index("armed_clash") - state.rung[:, jpn, rus]) / (len(p.rung_ids) - 1)
    assert (climb > 0.3).all()
    # Russia's deterrence lies between its nuclear half and the whole.
    assert (risk[:, 0] > r * climb * 0.5).all() and (risk[:, 0] < r * climb).all()


def test_putin_s_warning_deters_seoul_from_the_lethal_option_that_crosses_it(tmp_path):
    """Sending shells to Kyiv amounts to the arms supply Putin's warning names: choosing it
    crosses the red line, and Seoul weighs the answer by the line's credibility. Without the
    warning Seoul takes the option more often; with the risk rule off, the warning changes
    nothing in its choice."""
    gone = '[[red_lines]]\nid = "putin_warning_2024"\nremove = true\n'
    warned = interval(variant(tmp_path, "warned", ""), "rok_lethal_aid", LETHAL, turns=5)
    free = interval(variant(tmp_path, "free", gone), "rok_lethal_aid", LETHAL, turns=5)
    assert apart(warned, free)
    off = "[ai]\ndilemma_risk = 0\n"
    a = interval(variant(tmp_path, "warned_off", off), "rok_lethal_aid", LETHAL, turns=5)
    b = interval(variant(tmp_path, "free_off", off + gone), "rok_lethal_aid", LETHAL, turns=5)
    assert overlap(a, b)


def test_choosing_the_lethal_option_crosses_the_red_line_and_moscow_decides(scenario):
    """In every run where Seoul sends shells, Putin's warning is crossed that month and Moscow
    decides whether to answer (honoured or declined); where Seoul stays out, the line is
    crossed only by arms Seoul sends as moves."""
    from game.engine.state import initial_state
    from game.engine.step import step

    p = scenario.params
    com = p.commit
    kor = p.actor_ids.index("KOR")
    line = next(n for n in range(com.n_assist, com.n) if com.party[n] == kor)
    d = next(x for x in p.dilemmas if x.id == "rok_lethal_aid")
    assert d.lines[LETHAL] == [line] and d.lines[1] == d.lines[2] == []
    state = initial_state(p, 8, np.arange(800))
    from game.ai.policy import doctrine_policy

    crossed_by_option = np.zeros(800, dtype=bool)
    for _ in range(6):
        before = state.event_count[:, d.events[LETHAL]].copy()
        state, rec = step(p, state, doctrine_policy)
        now = state.event_count[:, d.events[LETHAL]] > before
        assert rec.red_line[now, line].all()
        crossed_by_option |= now
    assert 40 < crossed_by_option.sum() < 400
    decided = (state.honoured[:, line] + state.declined[:, line]) > 0
    assert decided[crossed_by_option].all()


def test_every_run_named_in_another_order_is_weighed_in_that_order(chn):
    p, d, state = chn
    active = Context(p, state).treaty_active()
    rows = np.arange(state.batch)
    whole = dilemmas.option_values(p, state, d, rows, active)
    backwards = rows[::-1].copy()
    np.testing.assert_array_equal(
        dilemmas.option_values(p, state, d, backwards, active), whole[::-1]
    )
