"""Every scenario shipped in scenarios/ loads, plays and classifies its runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.engine.outcome import classify
from game.scenario import load_scenario
from game.scenario.load import check_file
from game.sim import play

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
SHIPPED = sorted(SCENARIOS.glob("*.toml"))


def test_the_default_and_the_article_scenarios_are_shipped():
    names = {p.stem for p in SHIPPED}
    assert {
        "treaty-2024",
        "rok-lethal-aid",
        "tech-transfer",
        "peninsula-clash",
        "treaty-2000",
        "treaty-1961",
        "sino-russian-rift",
        "us-missiles-asia",
    } <= names


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_scenario_opens_with_its_question_assumptions_and_sources(path):
    head = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        head.append(line)
    text = "\n".join(head)
    assert head, "a scenario opens with a comment"
    for word in ("Question", "Assumes", "Sources"):
        assert word in text, f"the opening comment says nothing under '{word}'"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_scenario_loads_plays_and_classifies(path):
    sc = load_scenario(path)
    p = sc.params
    assert sc.id == path.stem, "the scenario id matches its file name"
    ids = [o.id for o in p.outcomes]
    assert ids and len(set(ids)) == len(ids)
    assert all(o.when is not None for o in p.outcomes[:-1]) and p.outcomes[-1].when is None
    state = play(p, seed=3, runs=np.arange(8), turns=12)
    assert state.turn == 12 or bool(state.done.all())
    assert np.isfinite(state.tension).all() and (state.tension >= 0).all()
    assert (state.tension <= 100).all()
    found = classify(p, state)
    assert found.shape == (8,)
    assert ((found >= 0) & (found < len(ids))).all()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_no_decision_is_both_scripted_and_asked(path):
    """A variant that scripts a decision (an event) removes the dilemma that asks it: Seoul's
    lethal aid sent by event in November 2024 was still put to Seoul as a dilemma, and
    sometimes declined, the same month."""
    p = load_scenario(path).params
    scripted = {e.id for e in p.events}
    asked = {d.id for d in p.dilemmas}
    assert not scripted & asked


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_a_shipped_scenario_validates_without_warnings(path):
    """What a scenario ships with is clean: a warning there would print on every batch of it
    (peninsula-clash's inherited 2000 treaty, replaced before it opens, did)."""
    report = check_file(path)
    assert report.ok and not report.problems, [str(p) for p in report.problems]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_tension_stays_within_0_and_100_every_month(path):
    """Every rule that writes a tension clips what it writes: the clause loops rely on it and
    clip only the tensions they add to (game.engine.clause_kernels). A rule that left one
    outside the bounds would show here, month by month, as nothing else clips it later."""
    from game.engine import initial_state
    from game.sim import months

    p = load_scenario(path).params
    for _, state in months(p, initial_state(p, 5, np.arange(48)), recycle=True):
        t = state.tension
        assert ((t >= 0) & (t <= 100)).all(), f"month {state.turn}: a tension off 0-100"
        b = state.baseline
        assert ((b >= 0) & (b <= 100)).all(), f"month {state.turn}: a baseline off 0-100"
