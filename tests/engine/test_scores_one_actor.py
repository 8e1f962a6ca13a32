"""One actor's score worked out alone (what a dilemma's chooser weighs) equals its column of
every actor's score, bit for bit, and standings kept from a state that differs only in fields
they do not read equal those worked out afresh."""

import numpy as np
import pytest

from game.engine.outcome import STANDING_READS, objective_components, score
from game.scenario import load_scenario
from game.sim import play


@pytest.mark.parametrize("name", ["treaty-2024", "peninsula-clash"])
def test_one_actor_s_score_is_its_column(name):
    from tests.conftest import ROOT

    p = load_scenario(ROOT / "scenarios" / f"{name}.toml").params
    state = play(p, 4, np.arange(200), turns=14)
    every = score(p, state)
    comp = objective_components(p, state)
    for a in range(p.n_actors):
        np.testing.assert_array_equal(score(p, state, a), every[:, a])
        np.testing.assert_array_equal(objective_components(p, state, a)[:, 0], comp[:, a])


def test_standings_kept_where_the_fields_they_read_did_not_change(default_scenario):
    p = default_scenario.params
    state = play(p, 4, np.arange(100), turns=12)
    a = p.actor_ids.index("KOR")
    before = objective_components(p, state, a)
    after = state.copy()
    after.attr[:, a, 3] += 7.0  # the economy moves; rungs, peaks and assistance do not
    fresh = objective_components(p, after, a)
    kept = objective_components(p, after, a, keep=before, changed=("attr",))
    np.testing.assert_array_equal(kept, fresh)
    assert not np.array_equal(fresh, before)
    assert set(STANDING_READS) == {"security", "alliance", "economy", "peace"}
