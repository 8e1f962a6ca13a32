"""Compiled parameters never change, and a finished run's state never changes either."""

from __future__ import annotations

import dataclasses
import importlib
import typing

import numpy as np
import pytest

from game.ai import doctrine_policy
from game.engine import State, initial_state, step
from game.engine.params import Params

step_module = importlib.import_module("game.engine.step")  # the module, not the function


def test_params_are_frozen(default_scenario):
    p = default_scenario.params
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.turns = 1
    with pytest.raises(ValueError):
        p.rung0[0, 0] = 1
    with pytest.raises(ValueError):
        p.move_blocks[0].table[0, 0, 0] = 0
    for f in dataclasses.fields(Params):
        v = getattr(p, f.name)
        if isinstance(v, np.ndarray):
            assert not v.flags.writeable, f.name


def test_playing_leaves_params_unchanged(default_scenario):
    """What the step and the AI derive from the scenario is computed once, at compile time."""
    p = default_scenario.params
    before = {f.name: repr(getattr(p, f.name)) for f in dataclasses.fields(Params)}
    state = initial_state(p, 1, np.arange(4))
    for _ in range(3):
        state, _ = step(p, state, doctrine_policy)
    after = {f.name: repr(getattr(p, f.name)) for f in dataclasses.fields(Params)}
    assert before == after


def test_every_per_run_field_is_frozen_or_documented(default_scenario):
    """Every array of the state with a batch axis is frozen for finished runs, except the
    bookkeeping fields named in step._NOT_FROZEN; a new field cannot be missed."""
    hints = typing.get_type_hints(State)
    p = default_scenario.params
    state = initial_state(p, 1, np.arange(3))
    per_run = {
        f.name
        for f in dataclasses.fields(State)
        if isinstance(getattr(state, f.name), np.ndarray)
        and getattr(state, f.name).shape[:1] == (3,)
    }
    assert per_run == {n for n, t in hints.items() if t is np.ndarray}
    assert set(step_module._FROZEN) == per_run - set(step_module._NOT_FROZEN)
    assert set(step_module._NOT_FROZEN) <= per_run


def test_done_runs_do_not_change(default_scenario):
    p = default_scenario.params
    state = initial_state(p, 5, np.arange(6))
    for _ in range(4):
        state, _ = step(p, state, doctrine_policy)
    state.done[[1, 4]] = True
    nxt, _ = step(p, state, doctrine_policy)
    for _ in range(3):
        nxt, _ = step(p, nxt, doctrine_policy)
    for name in step_module._FROZEN:
        old, new = getattr(state, name), getattr(nxt, name)
        assert np.array_equal(old[[1, 4]], new[[1, 4]]), name
    assert (nxt.end_turn[[1, 4]] == state.end_turn[[1, 4]]).all()
    changed = [
        n for n in step_module._FROZEN if not np.array_equal(getattr(state, n), getattr(nxt, n))
    ]
    assert "tension" in changed, "the live runs still move"
