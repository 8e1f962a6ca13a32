"""The expression language's whole-state functions (``max_rung()``, ``max_peak()``,
``regional_peak()``, ``new_peak()``, ``regional_new_peak()``) equal their first numpy
definitions (kept here as the oracle) bit for bit: on every month of games of the shipped
scenarios and the generated 16-actor one, and on random states whose rungs and pair sets are
not symmetric. Both of their paths: the compiled reduction, taken once a process has loaded the
engine's compiled loops, and numpy's, taken before."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType, SimpleNamespace

import numpy as np
import pytest

from game.engine.expr import FUNCTIONS
from game.engine.state import initial_state
from game.scenario import load_scenario
from game.sim import months
from tests.engine.test_compiled_engine import ROOT, _scenario


def _flat_max(p: np.ndarray) -> np.ndarray:
    return p.reshape(p.shape[0], -1).max(axis=1).astype(np.float64)


def _oracle(name: str, c) -> np.ndarray:
    """The numpy definitions the compiled reduction replaced."""
    st, params = c.state, c.params
    if name == "max_rung":
        return _flat_max(st.rung)
    if name == "max_peak":
        return _flat_max(st.peak)
    if name == "regional_peak":
        return _flat_max(np.where(params.regional_pair_mask[None], st.peak, 0))
    above = st.peak > params.rung0[None]
    if name == "new_peak":
        return _flat_max(np.where(above, st.peak, 0))
    assert name == "regional_new_peak"
    return _flat_max(np.where(params.regional_pair_mask[None] & above, st.peak, 0))


NAMES = ("max_rung", "max_peak", "regional_peak", "new_peak", "regional_new_peak")
KERNELS = "game.engine.month_kernels"


def _loading() -> ModuleType:
    """The compiled loops' module as another thread's import leaves it for a while: in
    ``sys.modules``, its kernels not yet defined (the window loads the engine in a thread while
    the first frames read the state)."""
    return ModuleType(KERNELS)


@pytest.fixture(params=["compiled", "numpy", "loading"])
def path(request, monkeypatch):
    """The compiled loops loaded in the process, or not, or being loaded (the functions then
    take numpy)."""
    if request.param == "compiled":
        monkeypatch.setitem(sys.modules, KERNELS, importlib.import_module(KERNELS))
    elif request.param == "numpy":
        monkeypatch.delitem(sys.modules, KERNELS, raising=False)
    else:
        monkeypatch.setitem(sys.modules, KERNELS, _loading())
    return request.param


def _check(c) -> dict:
    """Each function against its oracle on ``c``; returns each one's highest value seen."""
    seen = {}
    for name in NAMES:
        got = FUNCTIONS[name][1](c)
        want = _oracle(name, c)
        assert got.dtype == want.dtype == np.float64, name
        assert got.tobytes() == want.tobytes(), name
        seen[name] = float(got.max())
    return seen


@pytest.mark.parametrize("scenario", ["treaty-2024", "peninsula-clash", "generated-16"])
def test_the_whole_state_functions_equal_numpy_on_every_month_of_games(scenario, tmp_path, path):
    params = _scenario(tmp_path, scenario)
    start = initial_state(params, 3, np.arange(96))
    top = dict.fromkeys(NAMES, 0.0)
    for _, state in months(params, start, 24):
        # Stepping a month loads the compiled loops: the path asked for is set again.
        if path == "numpy":
            sys.modules.pop(KERNELS, None)
        elif path == "loading":
            sys.modules[KERNELS] = _loading()
        seen = _check(SimpleNamespace(state=state, params=params))
        top = {k: max(top[k], seen[k]) for k in NAMES}
    # The games climbed: the functions were compared on states where pairs stand above zero.
    assert top["max_peak"] > 0 and top["new_peak"] > 0, top


def test_the_whole_state_functions_equal_numpy_on_random_asymmetric_states(path):
    """Rungs and starting rungs drawn at random, not symmetric, and pair sets of every kind:
    empty, one pair, every pair, the diagonal, a random half."""
    params = load_scenario(ROOT / "scenarios" / "treaty-2024.toml").params
    gen = np.random.default_rng(11)
    n_a, top = params.n_actors, len(params.rung_ids) - 1
    state = initial_state(params, 1, np.arange(64))
    one = np.zeros((n_a, n_a), dtype=bool)
    one[2, 5] = True
    masks = [
        np.zeros((n_a, n_a), dtype=bool),
        one,
        np.ones((n_a, n_a), dtype=bool),
        np.eye(n_a, dtype=bool),
        gen.random((n_a, n_a)) < 0.5,
    ]
    for mask in masks:
        state.rung = gen.integers(0, top + 1, (64, n_a, n_a)).astype(np.int16)
        state.peak = np.maximum(state.rung, gen.integers(0, top + 1, state.rung.shape)).astype(
            np.int16
        )
        rung0 = gen.integers(0, top + 1, (n_a, n_a)).astype(np.int16)
        _check(SimpleNamespace(state=state, params=_Params(n_a, mask, rung0)))


class _Params(SimpleNamespace):
    """What the whole-state functions read of the parameters, with the lists they derive."""

    def __init__(self, n_actors, regional_pair_mask, rung0):
        super().__init__(n_actors=n_actors, regional_pair_mask=regional_pair_mask, rung0=rung0)

    def kept(self, name, build):
        return build(self)
