"""Treaty clauses: consultation on the threat, then assistance after the delay, and neither
before the treaty enters into force."""

from pathlib import Path

import pytest

from game.scenario import load_scenario
from game.sim import run_log

DATA = Path(__file__).resolve().parents[1] / "data"


def _clause_turns(log, kind, party="DEF"):
    """(turn, event) of every event of a kind; clause events only where ``party`` is covered."""
    return [
        (m["turn"], e)
        for m in log["turns"]
        for e in m["events"]
        if e["kind"] == kind and e.get("party", party) == party
    ]


def test_consultation_then_assistance_after_entry_into_force():
    sc = load_scenario(DATA / "clause-cascade.toml")
    log = run_log(sc.params, seed=3)
    consult = _clause_turns(log, "consultation")
    assist = _clause_turns(log, "assistance")
    # The attack comes in month 1 (2030-02); the treaty binds from month 3 (2030-04).
    assert [t for t, _ in consult] == [3]
    assert [t for t, _ in assist] == [5]  # the clause's two-month delay
    _, c = consult[0]
    assert (c["treaty"], c["clause"], c["party"], c["by"], c["against"]) == (
        "pact",
        "consult",
        "DEF",
        "ALY",
        "ATK",
    )
    _, a = assist[0]
    assert (a["treaty"], a["clause"], a["party"], a["by"], a["against"]) == (
        "pact",
        "assist",
        "DEF",
        "ALY",
        "ATK",
    )
    # The ally is now at war with the attacker, and itself threatened: the clause now covers it.
    assert [t for t, _ in _clause_turns(log, "consultation", party="ALY")] == [6]
    rungs = [e for t, e in _clause_turns(log, "rung") if t == 5]
    assert any(set(e["pair"]) == {"ALY", "ATK"} and e["to"] == "war" for e in rungs)


def test_consultation_on_the_turn_the_threat_appears_when_in_force():
    sc = load_scenario(DATA / "clause-cascade.toml", {"treaties.pact.in_force": "2030-01"})
    log = run_log(sc.params, seed=3)
    assert [t for t, _ in _clause_turns(log, "consultation")] == [1]
    assert [t for t, _ in _clause_turns(log, "assistance")] == [3]


def test_nothing_while_the_treaty_is_not_in_force():
    sc = load_scenario(DATA / "clause-cascade.toml", {"treaties.pact.in_force": "2031-01"})
    log = run_log(sc.params, seed=3)
    assert _clause_turns(log, "consultation") == []
    assert _clause_turns(log, "assistance") == []


@pytest.mark.parametrize("cred, expected", [(0.0, 0), (1.0, 1)])
def test_credibility_decides_whether_assistance_comes(cred, expected):
    sc = load_scenario(
        DATA / "clause-cascade.toml",
        {"treaties.pact.in_force": "2030-01", "treaties.pact.clauses.assist.credibility": cred},
    )
    log = run_log(sc.params, seed=3)
    assert len(_clause_turns(log, "assistance")) == expected
    decisions = _clause_turns(log, "decision")
    assert len(decisions) == 1
    _, ev = decisions[0]
    assert ev["honoured"] is bool(expected)
    assert ev["credibility_before"] == cred
    # Honouring a fully credible pledge leaves it so; declining a dead letter leaves it dead.
    assert ev["credibility_after"] == cred


def test_lapsed_treaty_does_not_bind():
    sc = load_scenario(
        DATA / "clause-cascade.toml",
        {"treaties.pact.in_force": "2030-01", "treaties.pact.lapses": "2030-02"},
    )
    log = run_log(sc.params, seed=3)
    assert _clause_turns(log, "consultation") == []


def test_allies_engaged_at_the_start_count_as_having_assisted():
    war = {"pair": ["ATK", "DEF"], "tension": 90, "rung": "war", "aggressor": "ATK"}
    base = {"treaties.pact.in_force": "2029-12"}
    fresh = run_log(
        load_scenario(DATA / "clause-cascade.toml", {**base, "relations": [war]}).params, 3
    )
    assert [t for t, _ in _clause_turns(fresh, "consultation")] == [0]
    assert [t for t, _ in _clause_turns(fresh, "assistance")] == [2]
    engaged = {**war, "engaged": ["ALY"]}
    log = run_log(
        load_scenario(DATA / "clause-cascade.toml", {**base, "relations": [engaged]}).params, 3
    )
    assert _clause_turns(log, "assistance") == []
    assert _clause_turns(log, "declined") == []


def test_a_fresh_attack_is_consulted_on_even_without_a_climb():
    # The pair already stands at the clash rung, consulted on; a new attack comes in month 1.
    clash = {"pair": ["ATK", "DEF"], "tension": 80, "rung": "clash"}
    sc = load_scenario(
        DATA / "clause-cascade.toml", {"treaties.pact.in_force": "2029-12", "relations": [clash]}
    )
    log = run_log(sc.params, 3)
    assert [t for t, _ in _clause_turns(log, "consultation")] == [1]
    assert [t for t, _ in _clause_turns(log, "assistance")] == [3]
