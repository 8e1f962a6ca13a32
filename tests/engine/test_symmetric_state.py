"""The pair arrays the state declares symmetric (tension, baseline, rung, front) stay symmetric,
bit for bit, every month of whole games: the drift (game.engine.move_kernels.drift) and the
month end (game.engine.month_kernels.month_end) work each pair out once, from its upper
element, and would part from their numpy definitions on a state that is not."""

from __future__ import annotations

import numpy as np
import pytest

from game.engine.state import initial_state
from game.sim import months
from tests.engine.test_compiled_engine import _scenario

_SYMMETRIC = ("tension", "baseline", "rung", "front")


def _asymmetric(state) -> list[str]:
    """The symmetric arrays of ``state`` whose bits differ from their transposes'."""
    out = []
    for name in _SYMMETRIC:
        x = getattr(state, name)
        if x.tobytes() != np.ascontiguousarray(np.swapaxes(x, 1, 2)).tobytes():
            out.append(name)
    return out


def _play(params, runs: int, seed: int) -> dict:
    first = initial_state(params, seed, np.arange(runs))
    assert _asymmetric(first) == []
    seen = {"months": 0, "rung_moved": 0, "climbed": 0}
    for rec, state in months(params, first):
        assert _asymmetric(state) == [], f"month {rec.turn}"
        seen["months"] += 1
        seen["rung_moved"] += int((rec.rung_after != rec.rung_before).sum())
        seen["climbed"] = int((state.rung > first.rung).sum())
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["treaty-2024", "peninsula-clash", "generated-16"])
def test_the_symmetric_pair_arrays_stay_symmetric_every_month(tmp_path, scenario):
    params = _scenario(tmp_path, scenario)
    seen = _play(params, runs=128, seed=7)
    # The months moved rungs, and pairs climbed above where they started.
    assert seen["months"] > 0 and seen["rung_moved"] > 0 and seen["climbed"] > 0, seen


def test_the_symmetric_pair_arrays_stay_symmetric_on_a_short_game():
    """A quick version of the above, for the quick loop."""
    params = _scenario(None, "treaty-2024")
    seen = _play(params, runs=32, seed=3)
    assert seen["rung_moved"] > 0, seen


def test_an_asymmetric_pair_is_seen():
    """The check itself: one element of one run's tension changed, or a zero's sign."""
    params = _scenario(None, "treaty-2024")
    state = initial_state(params, 1, np.arange(4))
    state.tension[2, 0, 1] = np.nextafter(state.tension[2, 0, 1], 200.0)
    assert _asymmetric(state) == ["tension"]
    state = initial_state(params, 1, np.arange(4))
    state.baseline[0, 0, 1], state.baseline[0, 1, 0] = -0.0, 0.0
    assert _asymmetric(state) == ["baseline"]


def test_a_state_array_seen_by_run_is_the_same_memory_or_an_error():
    """The compiled loops write into (runs, n) views of the state's (runs, ...) arrays: a view
    always (a write reaches the state), and an error, never a silent copy, for an array whose
    runs are not contiguous."""
    from game.engine.state import by_run

    x = np.zeros((4, 3, 3))
    by_run(x)[1, 4] = 7.0
    assert x[1, 1, 1] == 7.0
    with pytest.raises(ValueError, match="contiguous"):
        by_run(np.zeros((3, 4, 3)).transpose(1, 0, 2))
