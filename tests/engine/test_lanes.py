"""The width of the compiled kernels' lanes (game.engine.lanes): chosen from the processor the
kernels are compiled for, and the in-register transpose at every width."""

from __future__ import annotations

import pytest
from numba.core import config

from game.engine import lanes


@pytest.mark.parametrize("n", [2, 4, 8, 16, 32])
def test_the_transpose_rounds_turn_rows_into_columns(n):
    """Played on lists as LLVM's shufflevector plays them (lane p of the pair laid end to end),
    the rounds of ``transpose_masks`` leave row j holding lane j of every row in turn."""
    rows = [[(i, p) for p in range(n)] for i in range(n)]
    for w, lo, hi in lanes.transpose_masks(n):
        out = list(rows)
        for i in range(n):
            if not i & w:
                pair = rows[i] + rows[i | w]
                out[i] = [pair[m] for m in lo]
                out[i | w] = [pair[m] for m in hi]
        rows = out
    assert rows == [[(i, j) for i in range(n)] for j in range(n)]
    assert len(lanes.transpose_masks(n)) == n.bit_length() - 1


def test_sixteen_lanes_with_avx512_and_eight_without(monkeypatch):
    """The features numba compiles for decide: NUMBA_CPU_FEATURES when set (as the counting
    benchmark sets a processor without AVX-512), else the host's."""
    assert lanes._width() == lanes.LANES  # the settings this process compiles under
    monkeypatch.setattr(config, "CPU_FEATURES", "+64bit,+avx,+avx2,+avx512f,+fma")
    assert lanes._width() == 16
    monkeypatch.setattr(config, "CPU_FEATURES", "+64bit,+avx,+avx2,-avx512f,+fma")
    assert lanes._width() == 8
    monkeypatch.setattr(config, "CPU_FEATURES", "+64bit,+avx,+avx2,+fma")
    assert lanes._width() == 8
