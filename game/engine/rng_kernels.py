"""The counter-based draws of ``game.engine.rng``, compiled.

The mixer is the SplitMix64 finaliser in uint64 arithmetic, which wraps on overflow as the hash
requires. A draw is the mixer of ``key ^ (counter * golden)``, its top 53 bits scaled into
[0, 1) exactly. The engine's other kernels call :func:`draw` for the draws they take inside
their loops; ``rng`` fills whole arrays of draws with :func:`fill_at` and :func:`fill_each`.
The run keys and a new state's draws are taken by the numpy form of the same mixer
(``rng.mix64``), so that opening a game loads no compiler; the tests hold the two equal.
"""

from __future__ import annotations

import numpy as np

from .jit import kernel

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_ONE = np.uint64(1)
_INV53 = 1.0 / float(1 << 53)


@kernel
def mix(x):
    """SplitMix64 finaliser: a bijective avalanche of one uint64."""
    x = (x ^ (x >> _S30)) * _M1
    x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


@kernel
def bits(key, counter):
    """The 53 bits of one run's key at one counter (uint64 both): the draw is them times
    2 ** -53."""
    return mix(key ^ (counter * GOLDEN)) >> _S11


@kernel
def uniform(b):
    """The uniform float in [0, 1) of 53 bits ``b`` (as :func:`bits` gives them)."""
    return np.float64(b) * _INV53


@kernel
def draw(key, counter):
    """The uniform float in [0, 1) of one run's key at one counter (uint64 both)."""
    return uniform(bits(key, counter))


@kernel
def fill_at(keys, counter, index, out):
    """``out[k, j]`` = the draw of ``keys[k]`` at ``counter + index[j]``: (K, J) float64."""
    for k in range(keys.shape[0]):
        key = keys[k]
        for j in range(index.shape[0]):
            out[k, j] = draw(key, counter + index[j])


@kernel
def fill_each(keys, counter, index, out):
    """``out[k]`` = the draw of ``keys[k]`` at ``counter + index[k]``: (K,) float64."""
    for k in range(keys.shape[0]):
        out[k] = draw(keys[k], counter + index[k])
