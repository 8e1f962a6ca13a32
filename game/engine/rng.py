"""Counter-based random numbers: every draw is a pure function of (seed, run, turn, stream, index).

No generator state is carried between turns or runs, so run 48,213 of a batch can be replayed
alone, bit for bit, whatever the batch size, chunking or number of worker processes. The mixer
is the SplitMix64 finaliser applied to a combination of the counters, in uint64 arithmetic
(which wraps on overflow, as the hash requires). The month's draws are filled by the compiled
mixer of ``game.engine.rng_kernels``, imported on first use; the run keys and the draws a new
state takes once (:func:`run_keys`, :func:`keyed_uniforms`) use its numpy form, :func:`mix64`,
so that opening a game loads no compiler. The tests hold the two forms equal bit for bit.
"""

from __future__ import annotations

import numpy as np

# Named streams keep the draws of different mechanisms independent of one another.
STREAM_AI = 1
STREAM_INCIDENT = 2
STREAM_EVENT = 3
STREAM_CREDIBILITY = 4
STREAM_PLAYER = 5
STREAM_RED_LINE = 6
STREAM_DILEMMA = 7
STREAM_NUCLEAR = 8
STREAM_SIGNAL = 9  # signal moves beside the main move (game.ai.signal)
STREAM_STANCE = 10  # stance changes (game.engine.stance)
STREAM_DRAW = 11  # a scenario's uncertain numbers, drawn once per run (game.engine.draws)


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_INV53 = 1.0 / float(1 << 53)


def _k():
    from . import rng_kernels

    return rng_kernels


def _u64(x) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.uint64)


def mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: a bijective avalanche of a uint64 array (``rng_kernels.mix``)."""
    x = np.asarray(x, dtype=np.uint64)
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * _M1
        x = (x ^ (x >> np.uint64(27))) * _M2
        return x ^ (x >> np.uint64(31))


def run_keys(seed: int, runs: np.ndarray) -> np.ndarray:
    """One 64-bit key per run, derived from the batch seed and the run's index in the batch."""
    s = mix64(np.array([int(seed) & 0xFFFFFFFFFFFFFFFF], dtype=np.uint64))
    r = np.asarray(runs, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return mix64(s ^ mix64(r * _GOLDEN + np.uint64(1)))


def uniforms(keys: np.ndarray, turn: int, stream: int, n: int) -> np.ndarray:
    """Uniform floats in [0, 1), shape (len(keys), n), for one turn and stream."""
    return uniforms_at(keys, turn, stream, np.arange(n, dtype=np.uint64))


def counter(turn: int, stream: int) -> np.uint64:
    """The counter of draw 0 of a turn and stream (draw i is at ``counter + i``): the month in
    its top 24 bits, the stream in the next 8."""
    return (np.uint64(turn & 0xFFFFFF) << np.uint64(40)) | (
        np.uint64(stream & 0xFF) << np.uint64(32)
    )


def uniforms_at(keys: np.ndarray, turn: int, stream: int, index: np.ndarray) -> np.ndarray:
    """The draws ``uniforms(keys, turn, stream, n)[:, index]``, computed for those indices
    only: shape (len(keys), len(index))."""
    keys, index = _u64(keys), _u64(index)
    out = np.empty((keys.size, index.size))
    _k().fill_at(keys, counter(turn, stream), index, out)
    return out


def keyed_uniforms(keys: np.ndarray, stream: int, idx: np.ndarray) -> np.ndarray:
    """Uniform floats in [0, 1), shape (len(keys), len(idx)), at turn 0 of ``stream`` for the
    given counter indices (below 2**32): a draw that belongs to a name rather than a position,
    so adding another draw leaves it unchanged."""
    counter = np.uint64(stream & 0xFF) << np.uint64(32)
    idx = counter | (np.asarray(idx, dtype=np.uint64) & np.uint64(0xFFFFFFFF))
    with np.errstate(over="ignore"):
        x = keys[:, None] ^ (idx[None, :] * _GOLDEN)
    return (mix64(x) >> np.uint64(11)).astype(np.float64) * _INV53


def uniforms_each(keys: np.ndarray, turn: int, stream: int, index: np.ndarray) -> np.ndarray:
    """One draw per key: ``uniforms(keys, turn, stream, n)[k, index[k]]`` for every k, shape
    (len(keys),) - the draws a few (run, index) entries need, without the rest of the rows."""
    keys = _u64(keys)
    index = np.broadcast_to(_u64(index), keys.shape)
    out = np.empty(keys.size)
    _k().fill_each(keys, counter(turn, stream), np.ascontiguousarray(index), out)
    return out
