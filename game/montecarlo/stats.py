"""Interval estimates: Wilson score intervals and paired differences for proportions, and
normal intervals for means of per-run quantities.

Wilson (1927) score interval for one proportion; for the difference of two proportions
measured on the same runs (common random numbers), Newcombe's (1998) method 10, which
combines the two Wilson intervals with the correlation of the paired outcomes, that
correlation taken with Newcombe's continuity adjustment. Tests for many differences at once
are adjusted with Holm's (1979) step-down method.
"""

from __future__ import annotations

import math

import numpy as np

Z95 = 1.959963984540054
WILSON = "Wilson score interval, 95%"
NEWCOMBE_PAIRED = (
    "Newcombe (1998) method 10 for paired proportions (continuity-adjusted correlation), 95%"
)
HOLM = "Holm's step-down adjustment, family-wise 5%"


def wilson(k, n, z: float = Z95):
    """(lo, hi) Wilson score interval for k successes in n trials (arrays broadcast)."""
    k = np.asarray(k, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(n > 0, k / np.where(n > 0, n, 1), 0.0)
        z2 = z * z
        denom = 1.0 + z2 / n
        centre = (p + z2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
        lo = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), 0.0)
        hi = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), 1.0)
    # Exact ends: no successes -> lo = 0, all successes -> hi = 1 (clip fixes rounding).
    lo = np.where(k <= 0, 0.0, lo)
    hi = np.where(k >= n, 1.0, hi)
    return lo, hi


def paired_difference(x: np.ndarray, y: np.ndarray, z: float = Z95):
    """Difference p_x - p_y of two paired binary samples with Newcombe's interval.

    Returns (difference, lo, hi).
    """
    a, b, c, d = paired_counts(x, y)
    return paired_difference_counts(a, b, c, d, z)


def paired_counts(x, y) -> tuple[int, int, int, int]:
    """(both, x only, y only, neither) of two paired binary samples."""
    x = np.asarray(x, dtype=bool)
    y = np.asarray(y, dtype=bool)
    a = int(np.sum(x & y))
    b = int(np.sum(x & ~y))
    c = int(np.sum(~x & y))
    return a, b, c, x.size - a - b - c


def paired_difference_counts(a: int, b: int, c: int, d: int, z: float = Z95):
    """Newcombe's method 10 from the paired table: a both, b first only, c second only, d
    neither. Returns (difference, lo, hi) of p_first - p_second.

    The correlation phi of the pairs takes Newcombe's continuity adjustment: when ad > bc,
    ad - bc is reduced by n/2 (not below zero); phi is 0 when a margin is empty.
    """
    n = a + b + c + d
    if n == 0:
        return 0.0, -1.0, 1.0
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = (float(v) for v in wilson(a + b, n, z))
    l2, u2 = (float(v) for v in wilson(a + c, n, z))
    den = (a + b) * (c + d) * (a + c) * (b + d)
    cross = a * d - b * c
    if cross > 0:
        cross = max(cross - n / 2, 0.0)
    phi = cross / math.sqrt(den) if den > 0 else 0.0
    diff = p1 - p2
    dl = math.sqrt(max((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2, 0.0))
    du = math.sqrt(max((u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2, 0.0))
    return diff, max(diff - dl, -1.0), min(diff + du, 1.0)


def mean_interval(x, z: float = Z95) -> tuple[float, float, float]:
    """(mean, lo, hi): the mean of a per-run quantity with its normal interval. Pass the run by
    run difference of two paired samples for the interval of their difference."""
    x = np.asarray(x, dtype=np.float64)
    if x.size == 0:
        return 0.0, 0.0, 0.0
    m = float(x.mean())
    half = z * float(x.std(ddof=1)) / math.sqrt(x.size) if x.size > 1 else 0.0
    return m, m - half, m + half


def mcnemar_p(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value for b discordant pairs one way and c the other."""
    if b + c == 0:
        return 1.0
    from scipy.stats import binomtest

    return float(binomtest(int(b), int(b + c), 0.5).pvalue)


def mean_p(x) -> float:
    """Two-sided p-value of a zero mean for a per-run quantity (normal approximation)."""
    x = np.asarray(x, dtype=np.float64)
    if x.size < 2:
        return 1.0
    sd = float(x.std(ddof=1))
    if sd == 0:
        return 1.0 if float(x.mean()) == 0 else 0.0
    zval = abs(float(x.mean())) / (sd / math.sqrt(x.size))
    return math.erfc(zval / math.sqrt(2))


def holm(pvalues, alpha: float = 0.05) -> np.ndarray:
    """Holm's (1979) step-down test: which of the hypotheses are rejected with the family-wise
    error rate held at ``alpha``. Sort the p-values; reject while p_(i) <= alpha / (m - i)."""
    p = np.asarray(pvalues, dtype=np.float64)
    m = p.size
    out = np.zeros(m, dtype=bool)
    for rank, i in enumerate(np.argsort(p, kind="stable")):
        if p[i] > alpha / (m - rank):
            break
        out[i] = True
    return out
