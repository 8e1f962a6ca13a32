"""Interval code against known values and first principles."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.montecarlo.stats import (
    holm,
    mcnemar_p,
    paired_difference,
    paired_difference_counts,
    wilson,
)


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


@pytest.mark.parametrize(
    "table, lo, hi",
    [
        # Newcombe (1998), Statistics in Medicine 17:2635-2650, table II, method 10 (Wilson
        # score intervals combined with the continuity-adjusted correlation phi).
        ((36, 12, 2, 0), 0.0569, 0.3404),
        ((18, 12, 2, 18), 0.0562, 0.3290),
        ((53, 0, 0, 1), -0.0729, 0.0729),
        ((0, 30, 0, 0), 0.8395, 1.0),
    ],
)
def test_paired_difference_matches_published_values(table, lo, hi):
    a, b, c, d = table
    diff, got_lo, got_hi = paired_difference_counts(a, b, c, d)
    assert diff == pytest.approx((b - c) / (a + b + c + d))
    assert got_lo == pytest.approx(lo, abs=1e-4) and got_hi == pytest.approx(hi, abs=1e-4)
    x = np.array([1] * a + [1] * b + [0] * c + [0] * d, dtype=bool)
    y = np.array([1] * a + [0] * b + [1] * c + [0] * d, dtype=bool)
    assert paired_difference(x, y) == pytest.approx((diff, got_lo, got_hi))


def test_holm_steps_down_and_stops_at_the_first_failure():
    # m = 4: thresholds 0.0125, 0.0167, 0.025, 0.05 in order of the p-values.
    assert holm([0.01, 0.04, 0.03, 0.005]).tolist() == [True, False, False, True]
    assert holm([0.012, 0.016, 0.024, 0.049]).tolist() == [True] * 4
    # Unadjusted, 0.02 < 0.05 would pass; with three tests it needs 0.0167 first.
    assert holm([0.02, 0.02, 0.02]).tolist() == [False] * 3


def test_mcnemar_exact_p():
    assert mcnemar_p(0, 0) == 1.0
    # All 10 discordant pairs one way: 2 * 0.5**10.
    assert mcnemar_p(10, 0) == pytest.approx(2 * 0.5**10)
