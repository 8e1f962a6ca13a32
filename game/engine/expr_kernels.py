"""The compiled reduction behind the expression language's whole-state functions.

``max_rung()``, ``max_peak()``, ``regional_peak()``, ``new_peak()`` and ``regional_new_peak()``
(``game.engine.expr``) each take, in every run, the highest rung over a set of pairs. Written
in numpy, each made three (runs x actors x actors) temporaries and a reduction along rows of
A x A elements, about half a millisecond a call at a thousand runs and 16 actors; the loop
below reads each run's block once. It gives numpy's value exactly: the maximum over every
pair of the pair's rung where it counts and 0 where it does not, as a float64 (the tests hold
it to the numpy definition, tests/engine/test_expr_kernels.py).
"""

from __future__ import annotations

import numpy as np

from .jit import kernel


@kernel
def pair_max(values, floor, out):
    """``out[b]`` = max over the pairs k of ``values[b, k]`` where it stands above ``floor[k]``
    and 0 where it does not. ``values`` (B, A x A) int16, ``floor`` (A x A,) int32: below every
    int16 for a pair that always counts, above every int16 for one that never does. ``out``
    (B,) float64. Each run's pairs in one loop without a branch (it runs on vectors)."""
    n_b, n_p = values.shape[0], values.shape[1]
    zero = np.int32(0)
    for b in range(n_b):
        row = values[b]
        v = np.int32(row[0])
        best = v if v > floor[0] else zero
        for k in range(1, n_p):
            v = np.int32(row[k])
            best = max(best, v if v > floor[k] else zero)
        out[b] = np.float64(best)
