"""Theatres: where an attack happens, which clauses it sets off, and where war is reported."""

import csv
from pathlib import Path

import numpy as np
import pytest

from game.ai import doctrine_policy
from game.engine import initial_state, step
from game.engine.outcome import where_words
from game.engine.theatres import attack_theatres, region_word, where_reached
from game.montecarlo.runner import simulate
from game.scenario import load_scenario
from game.scenario.errors import ScenarioError

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def clash():
    return load_scenario(SCENARIOS / "peninsula-clash.toml")


def _hold(params, state, ctx):
    """Every state holds (its first candidate)."""
    first = np.asarray(params.actor_cand_start[:-1])
    assert (params.cand_action[first] == -1).all()
    return np.broadcast_to(first, (state.batch, first.size))


def _theatre(p, victim: str, attacker: str) -> str:
    g = p.attack_theatre[p.actor_ids.index(victim), p.actor_ids.index(attacker)]
    return p.theatre_ids[g] if g >= 0 else ""


def test_an_attack_happens_where_the_victims_territory_meets_the_attacker(default_scenario):
    p = default_scenario.params
    assert _theatre(p, "KOR", "PRK") == "peninsula"
    assert _theatre(p, "RUS", "UKR") == "ukraine"  # Kursk, not the Russian Far East
    assert _theatre(p, "RUS", "JPN") == "far_east"
    assert _theatre(p, "UKR", "RUS") == "ukraine"


def test_attack_theatres_rule_without_theatres_places_nothing():
    assert (attack_theatres(np.zeros((0, 3), dtype=bool)) == -1).all()


def test_us_japan_art5_covers_only_japan(default_scenario):
    p = default_scenario.params
    key = p.clause_keys.index("us_japan_1960.art5")
    rows = np.nonzero(p.inst_clause == key)[0]
    covered = {p.theatre_ids[g] for g in np.nonzero(p.inst_cover[rows[0], :-1])[0]}
    assert covered == {"japan"}


def test_the_allies_defensive_entry_is_no_attack_on_the_dprk(clash):
    p = clash.params
    prk, usa = p.actor_ids.index("PRK"), p.actor_ids.index("USA")
    state = initial_state(p, 1, np.arange(400))
    entered = np.zeros(400, dtype=bool)
    for _ in range(3):
        state, rec = step(p, state, _hold)
        entered |= rec.assist.any(axis=(1, 2))
    war = state.rung[:, usa, prk] >= p.thresholds["war"]
    assert (entered & war).any()
    # Nobody moved (every state held): the US fights the DPRK without having attacked it.
    assert not state.aggressor[entered & war, prk, usa].any()
    # Read as an attack (the comparison switch), the same entry would be one.
    off = load_scenario(
        SCENARIOS / "peninsula-clash.toml", {"commitments.defence_is_attack": True}
    ).params
    s2 = initial_state(off, 1, np.arange(400))
    for _ in range(3):
        s2, _ = step(off, s2, _hold)
    assert s2.aggressor[entered & war, prk, usa].all()


def test_a_clause_naming_an_unknown_theatre_is_an_error():
    with pytest.raises(ScenarioError, match="unknown theatre 'nowhere'"):
        load_scenario(
            SCENARIOS / "treaty-2024.toml",
            {"treaties.us_japan_1960.clauses.art5.theatres": ["nowhere"]},
        )


def test_batches_say_where_war_happened(clash, tmp_path):
    res = simulate(clash, runs=300, seed=3, workers=1, chunk=128)
    s = res.summary()
    war = s["where"]["war"]["regions"]
    assert war["northeast_asia"]["p"] > 0.8  # the peninsula war
    res.to_csv(tmp_path / "runs.csv")
    with open(tmp_path / "runs.csv") as f:
        rows = list(csv.DictReader(f))
    assert (
        sum(r["where_war"] in ("northeast_asia", "both") for r in rows)
        == war["northeast_asia"]["count"]
    )
    # One run alone says the same as its row.
    k = next(i for i, r in enumerate(rows) if r["where_war"])
    state = initial_state(clash.params, 3, [k])
    for _ in range(clash.params.turns):
        state, _ = step(clash.params, state, doctrine_policy)
    war_h = list(clash.params.thresholds).index("war")
    assert rows[k]["where_war"] == region_word(state.reached[:, war_h])[0]
    assert "War:" in where_words(where_reached(clash.params, state, 0))
