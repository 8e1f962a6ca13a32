"""Events that move a pair's baseline: tension then relaxes toward the new value for good, in
the runs where the event fired and only there."""

from pathlib import Path

import numpy as np

from game.engine import initial_state, step
from game.scenario import load_scenario

DATA = Path(__file__).resolve().parents[1] / "data"

CHILD = """
extends = "{parent}"

[scenario]
id = "baseline-shift"
name = "Baseline shift (test)"
turns = 14

[defaults]
decay = 0.25

[[events]]
id = "sour"
name = "ATK and ALY fall out for good"
date = "2030-03"
effects = [ {{ kind = "tension", pair = ["ATK", "ALY"], baseline = 70 }} ]

[[events]]
id = "maybe"
name = "ATK and DEF grow closer, in some runs"
date = "2030-03"
probability = 0.5
effects = [ {{ kind = "tension", pair = ["DEF", "ATK"], baseline_add = -100 }} ]

[[events]]
id = "noticed"
name = "Conditions can read a baseline"
when = "baseline(ATK, ALY) >= 70"
effects = [ {{ kind = "attr", actor = "ALY", attr = "readiness", add = 1 }} ]
"""


def _hold(params, state, ctx):
    """Every actor holds (its first candidate) every month."""
    return np.broadcast_to(params.actor_cand_start[:-1], (state.batch, params.n_actors)).copy()


def test_tension_relaxes_toward_a_moved_baseline(tmp_path):
    child = tmp_path / "child.toml"
    child.write_text(CHILD.format(parent=(DATA / "clause-cascade.toml").as_posix()))
    sc = load_scenario(child)
    p = sc.params
    atk, dfn, aly = (p.actor_ids.index(a) for a in ("ATK", "DEF", "ALY"))
    state = initial_state(p, seed=5, runs=np.arange(64))
    history = []
    for _ in range(p.turns):
        state, _rec = step(p, state, _hold)
        history.append(state.tension[:, atk, aly].copy())
    # The baseline moved in month 2 in every run, symmetrically; tension climbs toward it
    # month after month and ends close to it.
    assert np.all(state.baseline[:, atk, aly] == 70) and np.all(state.baseline[:, aly, atk] == 70)
    path = np.array(history)  # (turns, runs)
    assert np.all(np.diff(path[2:], axis=0) > 0)
    assert np.all(np.abs(path[-1] - 70) < 2)
    assert np.all(path[-1] > path[1] + 50)
    ids = [e.id for e in p.events]
    assert np.all(state.event_count[:, ids.index("noticed")] == 1)
    # A shift is clipped to 0-100, and only the runs where the probable event fired have it.
    fired = state.event_count[:, [e.id for e in p.events].index("maybe")] > 0
    assert 0 < fired.sum() < fired.size
    assert np.all(state.baseline[fired, dfn, atk] == 0)
    assert np.all(state.baseline[~fired, dfn, atk] == p.baseline[dfn, atk])


def test_baseline_effects_are_checked():
    from game.scenario.load import check_text

    bad = (DATA / "clause-cascade.toml").read_text() + (
        '\n[[events]]\nid = "x"\nname = "X"\ndate = "2030-02"\n'
        'effects = [ { kind = "tension", pair = ["ATK", "DEF"], baseline = 120 } ]\n'
    )
    report = check_text(bad, "bad.toml")
    msgs = [pr.message for pr in report.problems if pr.level == "error"]
    assert any("at most 100" in m for m in msgs), msgs
    empty = bad.replace(", baseline = 120", "")
    report = check_text(empty, "empty.toml")
    assert any("'baseline'" in pr.message for pr in report.problems)


BOUNDS = """
extends = "{parent}"

[scenario]
id = "bounds"
name = "Events at probability 0 and 1 (test)"
turns = 6
"""

EVENT_AT = """
[[events]]
id = "{id}"
name = "A condition that holds, at probability {p}"
when = "tension(ATK, ALY) >= 0"
probability = {p}
repeat = true
effects = [ {{ kind = "attr", actor = "ALY", attr = "readiness", add = 1 }} ]
"""


def test_a_condition_at_probability_0_never_fires_and_at_1_always(tmp_path):
    """Neither takes a draw (the month takes only those it reads), and neither needs one."""
    child = tmp_path / "bounds.toml"
    text = BOUNDS.format(parent=(DATA / "clause-cascade.toml").as_posix())
    child.write_text(text + EVENT_AT.format(id="never", p=0) + EVENT_AT.format(id="always", p=1))
    p = load_scenario(child).params
    ids = [e.id for e in p.events]
    state = initial_state(p, seed=3, runs=np.arange(64))
    for _ in range(p.turns):
        state, _rec = step(p, state, _hold)
    assert np.all(state.event_count[:, ids.index("never")] == 0)
    assert np.all(state.event_count[:, ids.index("always")] == p.turns)
