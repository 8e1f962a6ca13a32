"""The chunk a batch chooses when none is asked: even shares, bounded, within the memory."""

import tracemalloc

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.montecarlo.report import MAX_CHUNK, default_chunk
from game.montecarlo.runner import (
    chunk_bytes,
    chunk_that_fits,
    memory_problem,
    run_chunk,
    simulate,
)
from game.scenario import load_scenario
from tests.helpers import ROOT, generated_scenario


@given(
    runs=st.integers(1, 3_000_000),
    workers=st.integers(1, 64),
    fits=st.one_of(st.none(), st.integers(1, 10_000)),
)
def test_the_default_chunk_shares_the_runs_evenly_within_its_bounds(runs, workers, fits):
    chunk = default_chunk(runs, workers, fits)
    assert 1 <= chunk <= min(MAX_CHUNK, fits or MAX_CHUNK)
    per = -(-runs // workers)  # one worker's share
    # Every worker's share is cut into the same number of chunks, the fewest within the bound.
    k = -(-per // chunk)
    assert (k - 1) * chunk < per <= k * chunk
    bound = min(MAX_CHUNK, fits or MAX_CHUNK)
    assert per <= k * bound and (k == 1 or per > (k - 1) * bound)
    # No chunk is larger than it needs to be: one run less and a worker would need more.
    assert chunk == 1 or -(-per // (chunk - 1)) > k


def test_a_default_batch_chooses_even_chunks_and_gives_the_same_rows(default_scenario):
    auto = simulate(default_scenario, runs=300, seed=5, workers=2, turns=6)
    assert auto.chunk == 150  # two chunks, one for each worker
    small = simulate(default_scenario, runs=300, seed=5, workers=1, turns=6, chunk=37)
    for name in ("runs", "outcome", "end_turn", "first_cross", "actions", "tension", "cred"):
        assert np.array_equal(getattr(auto, name), getattr(small, name)), name


def test_the_default_chunk_fits_the_memory_it_is_given(default_scenario):
    p = default_scenario.params
    avail = 5 * chunk_bytes(p, 1000) // 2  # 0.8 of it: two chunks of about 1,000 runs
    fits = chunk_that_fits(p, 2, avail)
    chunk = default_chunk(1_000_000, 2, fits)
    assert chunk <= fits < MAX_CHUNK
    assert memory_problem(p, chunk, 2, available=avail) is None
    assert memory_problem(p, MAX_CHUNK, 2, available=avail) is not None


@pytest.mark.parametrize("which", ["treaty-2024", "treaty-1961", "dense-16", "twin-16"])
def test_a_chunks_memory_estimate_is_near_what_a_chunk_holds(which, tmp_path):
    # The estimate sizes the default chunk and refuses a --batch-size that would not fit: it
    # must not fall below what stepping a chunk holds at its peak, nor far above it (a chunk
    # refused, or cut small, for memory it would never use).
    if which.endswith("-16"):
        path = generated_scenario(tmp_path, 16, shape=which.removesuffix("-16"))
    else:
        path = ROOT / "scenarios" / f"{which}.toml"
    p = load_scenario(path).params
    run_chunk(p, 1, 0, 8, 2)  # what a scenario keeps once (lists, compiled kernels) set aside
    runs = 1024
    tracemalloc.start()
    try:
        run_chunk(p, 1, 0, runs, 3)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak <= chunk_bytes(p, runs) <= 1.5 * peak


def test_the_default_chunk_keeps_its_state_within_the_cache_budget(default_scenario, tmp_path):
    """A larger world steps fewer runs at once by default, so that a chunk's state stays within
    CACHE_STATE_BYTES; the default scenario's, a quarter the size, steps three times as many."""
    from game.montecarlo import runner

    p8 = default_scenario.params
    path = generated_scenario(tmp_path, 16, shape="twin")
    p16 = load_scenario(path).params
    assert default_chunk(20_000, 1, runner.chunk_cap(p8, 1)) == 3334
    assert default_chunk(20_000, 2, runner.chunk_cap(p8, 2)) == 3334
    assert default_chunk(20_000, 2, runner.chunk_cap(p16, 2)) == 1000
    cap = runner.chunk_in_cache(p16)
    state = runner._state_bytes(p16)
    assert cap % 64 == 0
    assert cap * state <= runner.CACHE_STATE_BYTES < (cap + 64) * state
    assert cap == 1024 and 3 * cap < runner.chunk_in_cache(p8)
    assert default_chunk(20_000, 2, runner.chunk_cap(p16, 2)) <= cap
    # A batch left to choose steps chunks of that size at most.
    assert simulate(load_scenario(path), runs=cap + 10, seed=1, workers=1, turns=1).chunk <= cap
