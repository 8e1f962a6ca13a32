"""What authors can say: moves reserved to some states, repertoires, per-party credibility and
delay, conditions on past moves and on months since an event, flags set by effects."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from game.ai.policy import doctrine_policy
from game.engine import legality as lg
from game.engine.state import initial_state
from game.engine.step import Context, step
from game.scenario.load import check_file, load_scenario
from tests.helpers import ROOT

HERE = Path(__file__).resolve().parent
MINI = HERE / "data" / "mini.toml"


def variant(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "v.toml"
    path.write_text(f'extends = "{MINI.as_posix()}"\n[scenario]\nid = "v"\n{body}', "utf-8")
    return path


def candidate(params, actor: str, action: str, target: str) -> int:
    a = params.actor_ids.index(actor)
    k = params.action_ids.index(action)
    t = params.actor_ids.index(target)
    hits = np.nonzero(
        (params.cand_actor == a) & (params.cand_action == k) & (params.cand_target == t)
    )[0]
    assert hits.size == 1, (actor, action, target)
    return int(hits[0])


def hold(params, actor: str) -> int:
    return int(params.actor_cand_start[params.actor_ids.index(actor)])


def test_reserved_action_and_repertoire(tmp_path):
    path = variant(
        tmp_path,
        '[[actions]]\nid = "exercise"\nactors = ["USA"]\n'
        '[[actors]]\nid = "PRK"\n[actors.doctrine]\nrepertoire = ["talks", "missile_test"]\n',
    )
    sc = load_scenario(path)
    p = sc.params
    ex = p.action_ids.index("exercise")
    usa, kor, prk = (p.actor_ids.index(x) for x in ("USA", "KOR", "PRK"))
    assert p.no_move_reason[kor, ex, prk] == lg.RESERVED
    assert (p.cand_action[p.cand_actor == usa] == ex).any()
    prk_actions = {p.action_ids[k] for k in p.cand_action[p.cand_actor == prk] if k >= 0}
    assert prk_actions == {"talks", "missile_test"}
    # without the restriction (the mechanism off) South Korea may hold exercises
    base = load_scenario(MINI).params
    assert (base.cand_action[base.cand_actor == kor] == ex).any()


def test_credibility_and_delay_per_responding_party(tmp_path):
    path = variant(
        tmp_path,
        '[[treaties]]\nid = "tri"\nname = "Trilateral"\nparties = ["USA", "KOR", "CHN"]\n'
        'signed = "2020-01"\n  [[treaties.clauses]]\n  id = "defend"\n  kind = "assistance"\n'
        '  article = "Art. 1"\n  credibility = 0.8\n  delay = 1\n'
        "  credibility_by = { CHN = 0.2 }\n  delay_by = { CHN = 4 }\n",
    )
    p = load_scenario(path).params
    q = p.clause_keys.index("tri.defend")
    rows = np.nonzero(p.inst_clause == q)[0]
    by = {p.actor_ids[p.inst_by[i]]: (p.inst_cred[i], p.inst_delay[i]) for i in rows}
    assert by["CHN"] == (0.2, 4)
    assert by["USA"] == (0.8, 1) and by["KOR"] == (0.8, 1)


def test_moves_since_and_flags_in_conditions(tmp_path):
    path = variant(
        tmp_path,
        '[[events]]\nid = "start"\nname = "Start"\ndate = "2025-01"\n'
        'effects = [ { kind = "flag", flag = "alarm", set = 2 }, '
        '{ kind = "flag", flag = "alarm", add = 1 } ]\n'
        '[[events]]\nid = "answer"\nname = "Answer"\n'
        'when = "moves(KOR, exercise, PRK) >= 2 and moves(KOR, exercise, any) >= 2"\n'
        '[[outcomes]]\nid = "flagged"\nname = "Flagged"\nwhen = "flag(alarm) == 3 and since(start) >= 2"\n'
        'before = "general_nuclear_war"\n',
    )
    report = check_file(path)
    assert report.ok, [str(x) for x in report.problems]
    p = report.loaded.params
    assert p.flag_ids == ("alarm",) and len(p.move_watch) == 2
    state = initial_state(p, 0, np.arange(2))
    fixed = np.full((2, p.n_actors), -1)
    kor = p.actor_ids.index("KOR")
    fixed[0, kor] = candidate(p, "KOR", "exercise", "PRK")  # run 0: exercises against Pyongyang
    fixed[1, kor] = hold(p, "KOR")  # run 1: holds
    answer = [e.id for e in p.events].index("answer")
    for _ in range(3):
        state, _rec = step(p, state, doctrine_policy, fixed=fixed)
    assert state.move_count[:, 0].tolist() == [3, 0]
    assert state.event_count[:, answer].tolist() == [1, 0]  # fired once the count reached 2
    flagged = next(o for o in p.outcomes if o.id == "flagged")
    assert flagged.when.truth(Context(p, state)).tolist() == [True, True]
    assert state.flags[:, 0].tolist() == [3.0, 3.0]


def test_unknown_names_in_the_new_conditions_are_located(tmp_path):
    path = variant(
        tmp_path,
        '[[events]]\nid = "x"\nname = "X"\nwhen = "flag(alrm) > 0 or moves(KOR, excercise, any) > 0"\n'
        'effects = [ { kind = "flag", flag = "alarm", set = 1 } ]\n',
    )
    [e] = check_file(path).errors
    assert e.line == 7 and "unknown flag 'alrm' (did you mean 'alarm'?)" in e.message


def test_a_flag_set_by_a_dilemma_option_is_known_and_read(tmp_path):
    """A dilemma's option applies as an event does, flags included: a flag only an option sets
    is known to conditions (it was refused as 'no effect sets it', and a flag no condition read
    broke the compiler), and it is set in the runs where that option was chosen."""
    body = """
[[dilemmas]]
id = "choice"
name = "A choice"
actor = "KOR"
question = "Which?"
date = "2025-02"
[[dilemmas.options]]
id = "protest"
label = "Protest"
effects = [ { kind = "flag", flag = "protested", set = 1 } ]
[[dilemmas.options]]
id = "quiet"
label = "Keep quiet"
effects = [ { kind = "tension", pair = ["KOR", "PRK"], add = -2 } ]
[[events]]
id = "echo"
name = "Echo"
when = "flag(protested) > 0"
effects = [ { kind = "tension", pair = ["KOR", "USA"], add = 1 } ]
"""
    path = variant(tmp_path, body)
    assert not check_file(path).errors
    params = load_scenario(path).params
    assert "protested" in params.flag_ids
    state = initial_state(params, 2, np.arange(200))
    for _ in range(3):
        state, _ = step(params, state, doctrine_policy)
    d = params.dilemmas[0]
    chose = state.event_count[:, d.events[0]] > 0
    flag = state.flags[:, params.flag_ids.index("protested")]
    assert 0 < chose.sum() < 200
    np.testing.assert_array_equal(flag > 0, chose)
    echo = [e.id for e in params.events].index("echo")
    assert (state.event_count[chose, echo] > 0).all()


def test_ids_given_twice_in_a_whole_file_are_refused_for_dilemmas_and_options(tmp_path):
    """In a file that extends nothing, two dilemmas with one id (a batch would report one under
    the other's name) and two options of a dilemma with one id are refused where the second
    stands, as two events with one id are."""
    text = (ROOT / "scenarios" / "treaty-2024.toml").read_text(encoding="utf-8")
    lines = text.splitlines()
    second = text.replace('id = "rus_missile_tech"', 'id = "rok_lethal_aid"', 1)
    path = tmp_path / "dup-dilemma.toml"
    path.write_text(second, encoding="utf-8")
    [e] = check_file(path).errors
    line = 1 + lines.index('id = "rus_missile_tech"')
    assert (e.line, e.where) == (line, "dilemmas[1].id")
    assert "duplicate dilemma id 'rok_lethal_aid'" in e.message
    first = lines.index('id = "lethal"')
    other = next(i for i in range(first + 1, len(lines)) if lines[i].startswith('id = "'))
    lines[other] = 'id = "lethal"'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [e] = check_file(path).errors
    assert (e.line, e.where) == (other + 1, "dilemmas[0].options[1].id")
    assert "two options with id 'lethal'" in e.message
