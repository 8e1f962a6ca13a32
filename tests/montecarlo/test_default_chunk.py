"""The chunk a batch chooses when none is asked: even shares, bounded, within the memory."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from game.montecarlo.report import MAX_CHUNK, default_chunk
from game.montecarlo.runner import chunk_bytes, chunk_that_fits, memory_problem, simulate


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
