"""Interval code against known values and first principles."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.montecarlo.stats import paired_difference, wilson


@pytest.mark.parametrize(
    "k, n, lo, hi",
    [
        # Newcombe (1998), Statistics in Medicine 17:857-872, table I (Wilson score, method 3).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_published_values(k, n, lo, hi):
    got = wilson(k, n)
    assert float(got[0]) == pytest.approx(lo, abs=1e-4)
    assert float(got[1]) == pytest.approx(hi, abs=1e-4)


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_wilson_contains_estimate_and_solves_the_score_equation(k, n):
    k = min(k, n)
    lo, hi = (float(x) for x in wilson(k, n))
    p = k / n
    assert 0.0 <= lo <= p <= hi <= 1.0
    z = 1.959963984540054
    for bound in (lo, hi):
        if 0 < bound < 1:
            # The bounds are where the score statistic equals z.
            score = abs(p - bound) / math.sqrt(bound * (1 - bound) / n)
            assert score == pytest.approx(z, rel=1e-6)


@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=300))
def test_paired_difference_interval_contains_difference(pairs):
    x = np.array([a for a, _ in pairs])
    y = np.array([b for _, b in pairs])
    d, lo, hi = paired_difference(x, y)
    assert d == pytest.approx(x.mean() - y.mean())
    assert -1.0 <= lo <= d + 1e-12 and d - 1e-12 <= hi <= 1.0
    d2, lo2, hi2 = paired_difference(y, x)
    assert d2 == pytest.approx(-d) and lo2 == pytest.approx(-hi) and hi2 == pytest.approx(-lo)


def test_paired_difference_identical_samples_is_tight_around_zero():
    x = np.random.default_rng(0).random(1000) < 0.3
    d, lo, hi = paired_difference(x, x)
    assert d == 0 and lo <= 0 <= hi and hi - lo < 0.01
