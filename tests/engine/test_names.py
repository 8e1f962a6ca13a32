"""The named tables are defined once: the scenario format, its JSON schema, its reference and
the engine's arrays all follow game.engine.names."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import numpy as np

from game.engine import names
from game.engine.outcome import OBJECTIVES, objective_components
from game.engine.state import initial_state
from game.play import headlines, rules
from game.scenario import model as m
from game.scenario.reference import reference_markdown

ROOT = Path(__file__).resolve().parents[2]
TABLES = {
    "clause kinds": (m.ClauseKind, names.CLAUSE_KINDS),
    "attributes": (m.AttrName, names.ATTRIBUTES),
    "needs": (m.Need, names.NEEDS),
    "categories": (m.Category, names.ACTION_CATEGORIES),
    "target kinds": (m.TargetKind, names.TARGET_KINDS),
}


def _enums(node, out: list) -> list:
    if isinstance(node, dict):
        if "enum" in node:
            out.append(tuple(node["enum"]))
        for v in node.values():
            _enums(v, out)
    elif isinstance(node, list):
        for v in node:
            _enums(v, out)
    return out


def test_model_values_are_the_engine_tables():
    for what, (literal, table) in TABLES.items():
        assert typing.get_args(literal) == table, what
    assert set(names.ATTRIBUTES) <= set(m.Actor.model_fields), "every attribute is an actor key"
    assert tuple(m.Objectives.model_fields) == names.OBJECTIVES
    assert OBJECTIVES is names.OBJECTIVES


def test_schema_and_reference_list_the_engine_tables():
    schema = json.loads((ROOT / "scenarios" / "schema.json").read_text(encoding="utf-8"))
    enums = set(_enums(schema, []))
    reference = reference_markdown()
    for what, (_, table) in TABLES.items():
        assert table in enums, f"schema.json lists the {what} of the engine"
        listed = "one of " + ", ".join(f'`"{x}"`' for x in table)
        assert listed in reference, f"the reference lists the {what} of the engine"
    for name in names.OBJECTIVES:
        assert f"`{name}`" in reference


def test_engine_arrays_follow_the_tables(default_scenario):
    p = default_scenario.params
    assert p.attr0.shape[1] == len(names.ATTRIBUTES)
    assert p.action_needs.shape[1] == len(names.NEEDS)
    assert p.objectives.shape[1] == len(names.OBJECTIVES)
    assert set(int(k) for k in p.clause_kind) <= set(range(len(names.CLAUSE_KINDS)))
    assert set(p.action_category) <= set(names.ACTION_CATEGORIES)
    assert set(p.action_target_kind) <= set(names.TARGET_KINDS)
    comp = objective_components(p, initial_state(p, 0, [0]))
    assert comp.shape[2] == len(names.OBJECTIVES)
    # The scenario's own objective weights land in the named columns.
    for a, actor in enumerate(default_scenario.model.actors):
        for j, name in enumerate(names.OBJECTIVES):
            assert p.objectives[a, j] == getattr(actor.objectives, name)
    for k, act in enumerate(default_scenario.model.actions):
        assert [n for n in names.NEEDS if p.action_needs[k, names.NEED[n]]] == [
            n for n in names.NEEDS if n in act.needs
        ]


def test_one_hostility_cut_off(default_scenario):
    p = default_scenario.params
    cut = names.HOSTILE_CUTOFF
    assert names.hostility_kind(cut) == "neutral" == names.hostility_kind(-cut)
    assert names.hostility_kind(np.nextafter(cut, 1)) == "hostile"
    assert names.hostility_kind(np.nextafter(-cut, -1)) == "cooperative"
    for k in range(len(p.action_ids)):
        kind = names.hostility_kind(float(p.action_hostility[k]))
        assert kind in rules.stance(p, k)[0]
        ev = {"kind": "action", "actor": 0, "target": 1, "action": p.action_ids[k]}
        tone = headlines.month_headlines(p, [ev], p.actor_ids[2])[0].tone
        assert tone == {"hostile": "escalation", "cooperative": "calm"}.get(kind, "neutral")
