"""The compiled draws (game.engine.rng_kernels) against the numpy definition they replaced, kept
here as the oracle: rng.mix64, SplitMix64's finaliser over numpy uint64 arrays (the form a new
state's keys use), bit for bit."""

from __future__ import annotations

import numpy as np

from game.engine import rng

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def unit(x: np.ndarray) -> np.ndarray:
    return (rng.mix64(x) >> np.uint64(11)).astype(np.float64) * (1.0 / float(1 << 53))


def uniforms_at(keys, turn, stream, index) -> np.ndarray:
    idx = rng.counter(turn, stream) + np.asarray(index, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return unit(keys[:, None] ^ (idx[None, :] * _GOLDEN))


def keyed_uniforms(keys, stream, idx) -> np.ndarray:
    c = np.uint64(stream & 0xFF) << np.uint64(32)
    idx = c | (np.asarray(idx, dtype=np.uint64) & np.uint64(0xFFFFFFFF))
    with np.errstate(over="ignore"):
        return unit(keys[:, None] ^ (idx[None, :] * _GOLDEN))


def uniforms_each(keys, turn, stream, index) -> np.ndarray:
    idx = rng.counter(turn, stream) + np.asarray(index, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return unit(np.asarray(keys, dtype=np.uint64) ^ (idx * _GOLDEN))


def test_the_compiled_mixer_is_the_numpy_one():
    from game.engine import rng_kernels

    x = np.concatenate(
        [rng.run_keys(2, np.arange(1000)), np.array([0, 1, 2**63, 2**64 - 1], dtype=np.uint64)]
    )
    want = rng.mix64(x)
    assert np.array_equal(np.array([rng_kernels.mix(v) for v in x], dtype=np.uint64), want)


def test_draws_are_the_oracles_bit_for_bit():
    gen = np.random.default_rng(5)
    edge = np.array([0, 2**64 - 1], dtype=np.uint64)
    keys = np.concatenate([rng.run_keys(9, np.arange(500)), edge])
    for turn, stream in [(0, 0), (1, rng.STREAM_AI), (35, rng.STREAM_STANCE), (2**24 + 5, 255)]:
        idx = np.concatenate([np.arange(40), [2**32 - 1, 2**40]]).astype(
            np.uint64
        )  # exact in float64
        want = uniforms_at(keys, turn, stream, idx)
        got = rng.uniforms_at(keys, turn, stream, idx)
        assert got.dtype == np.float64 and np.array_equal(got.view(np.uint64), want.view(np.uint64))
        assert np.array_equal(rng.uniforms(keys, turn, stream, 7), want[:, :7])
        each = gen.integers(0, 2**20, keys.size)
        assert np.array_equal(
            rng.uniforms_each(keys, turn, stream, each), uniforms_each(keys, turn, stream, each)
        )
        # A single index for every key, as the callers with one counter pass it.
        assert np.array_equal(
            rng.uniforms_each(keys, turn, stream, 3), uniforms_each(keys, turn, stream, 3)
        )
    named = gen.integers(0, 2**34, 50)  # names hash above 2**32 are masked to 32 bits
    assert np.array_equal(
        rng.keyed_uniforms(keys, rng.STREAM_DRAW, named),
        keyed_uniforms(keys, rng.STREAM_DRAW, named),
    )


def test_an_altered_mixer_shows():
    """The comparison can fail: the oracle with another multiplier gives other draws."""
    keys = rng.run_keys(1, np.arange(50))
    got = rng.uniforms_at(keys, 2, 1, np.arange(5))
    idx = rng.counter(2, 1) + np.arange(5, dtype=np.uint64)
    with np.errstate(over="ignore"):
        other = unit(keys[:, None] ^ (idx[None, :] * (_GOLDEN + np.uint64(2))))
    assert not np.array_equal(got, other)


def test_empty_inputs_give_empty_draws():
    keys = np.zeros(0, dtype=np.uint64)
    assert rng.uniforms_at(keys, 1, 1, np.arange(3)).shape == (0, 3)
    assert rng.uniforms_each(keys, 1, 1, np.zeros(0, np.int64)).shape == (0,)
