"""The compiled AI kernels (game.ai.kernel) give the same bits as the numpy definition they
replaced (tests/engine/ai_oracle.py): every candidate's score, every main move and every signal
move, on states reached at many months of many runs of shipped scenarios and of a generated
16-actor one, on perturbed states, with a player's move fixed, with a drawn ai.jump, and
whatever the batch around a run.

The kernel computes the softmax's exponential as numpy's AVX2 + FMA3 float32 loop does and the
look-ahead products in OpenBLAS's row order on such a processor, the same bits on any machine.
Where numpy gives other bits (its loop without AVX2 and FMA3 does), the numpy oracle itself
does, and the comparisons with it are skipped, saying why. Whether it does is asked of numpy
on probes, not read from the processor's features: numpy 2.4's AVX-512 loop gives the AVX2
loop's bits."""

from __future__ import annotations

import hashlib
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from game.ai import kernel, policy
from game.engine import initial_state, step
from game.engine.step import Context
from game.scenario import load_scenario
from tests.engine import ai_oracle as oracle
from tests.engine.states import random_states
from tests.helpers import generated_scenario

ROOT = Path(__file__).resolve().parents[2]


# numpy's float32 exp of _exp_probe() as its AVX2 + FMA3 loop gives it, by SHA-256 (numpy 2.4
# with that loop chosen: NPY_DISABLE_CPU_FEATURES="AVX512_SPR AVX512_ICL X86_V4"). Its baseline
# loop (X86_V2 alone) gives other bits.
_AVX2_EXP = "cdd8d82729c3f708b2014da04b9e546494b0d4e10670314790bdc87150af35e4"


def _exp_probe() -> np.ndarray:
    """float32 values over the softmax's range (a score less its actor's best, down to where
    the exp is 0), evenly spaced and drawn."""
    g = np.random.default_rng(20261130)
    parts = [
        np.linspace(-104.0, 0.0, 3001),
        g.uniform(-90.0, 0.0, 4000),
        g.uniform(-1.0, 0.0, 1000),
    ]
    return np.concatenate(parts).astype(np.float32)


def _products_fuse_in_order() -> bool:
    """numpy's products of a few rows of forces by the risk table, ``f @ r`` as
    game.engine.commitments.read makes them, are each row's sum of one fused multiply-add after
    another from zero: what the kernel computes (worked out here exactly, in fractions)."""
    g = np.random.default_rng(7)
    for m, k in ((2, 1), (7, 3), (64, 5), (64, 12), (333, 8)):
        f, r = g.uniform(0.0, 300.0, (m, k)), g.uniform(0.0, 1.0, (k, 12))
        got = f @ r
        fs = [[Fraction(x) for x in row] for row in f.tolist()]
        rs = [[Fraction(x) for x in row] for row in r.tolist()]
        for i in range(m):
            for d in range(12):
                acc = 0.0
                for j in range(k):
                    acc = float(fs[i][j] * rs[j][d] + Fraction(acc))
                if acc != got[i, d]:
                    return False
    return True


def _numpy_gives_the_kernels_bits() -> bool:
    """numpy's float32 exp gives its AVX2 + FMA3 loop's bits on the probe, and its small
    products fuse in order: the oracle then gives the bits the kernel reproduces."""
    exp = hashlib.sha256(np.exp(_exp_probe()).tobytes()).hexdigest()
    return exp == _AVX2_EXP and _products_fuse_in_order()


pytestmark = pytest.mark.skipif(
    not _numpy_gives_the_kernels_bits(),
    reason="numpy's float32 exp or its small products give other bits than its AVX2 + FMA3 "
    "loop and OpenBLAS's order, which the kernel reproduces: the numpy oracle gives other "
    "bits here",
)


def _lone_actions(folder: Path) -> Path:
    """The mini scenario with North Korea limited to one hostile action (a block of one action
    whose five products are mostly non-zero) beside its partner block of one (summits)."""
    mini = ROOT / "tests" / "scenario" / "data" / "mini.toml"
    path = folder / "lone.toml"
    path.write_text(
        f'extends = "{mini.as_posix()}"\n[scenario]\nid = "mini-lone"\nname = "Lone actions"\n'
        '[[actors]]\nid = "PRK"\n[actors.doctrine]\nrepertoire = ["blockade", "summit"]\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kernel")
    return {
        "treaty-2024": load_scenario(ROOT / "scenarios" / "treaty-2024.toml").params,
        "peninsula-clash": load_scenario(ROOT / "scenarios" / "peninsula-clash.toml").params,
        "generated-16": load_scenario(generated_scenario(folder, 16)).params,
        # blocks of a single action (numpy's einsum sums those in another order)
        "mini": load_scenario(_lone_actions(folder)).params,
    }


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and np.array_equal(a.view(np.uint32), b.view(np.uint32))


def _check(params, state, fixed=None):
    """The kernels and the oracle agree on one month of ``state``: scores, weights, moves
    (drawn in the score kernel as it makes the weights) and signals (beside the drawn moves,
    or beside ``fixed`` ones: from the weights the policy kept when told the moves are fixed,
    and from weights scored again when not told)."""
    want = oracle.scores(params, state, Context(params, state))
    got = policy.scores(params, state, Context(params, state))
    assert _same_bits(got, want)
    ctx, octx = Context(params, state), Context(params, state)
    moves = policy.doctrine_policy(params, state, ctx)
    assert np.array_equal(moves, oracle.doctrine_policy(params, state, octx))
    weights = policy.softmax_weights(params, state, Context(params, state))
    assert _same_bits(kernel.weight_rows(weights, state.batch), octx.move_weights)
    told = Context(params, state)
    told.moves_fixed = fixed is not None
    assert np.array_equal(policy.doctrine_policy(params, state, told), moves)
    if fixed is not None:
        assert _same_bits(kernel.weight_rows(told.move_weights, state.batch), octx.move_weights)
        moves = np.where(fixed >= 0, fixed, moves)
    sig = policy.doctrine_signals(params, state, ctx, moves)
    assert np.array_equal(sig, oracle.doctrine_signals(params, state, octx, moves))
    assert np.array_equal(policy.doctrine_signals(params, state, told, moves), sig)
    return moves


@pytest.mark.slow
@pytest.mark.parametrize("name", ["treaty-2024", "peninsula-clash", "generated-16", "mini"])
def test_kernels_equal_the_oracle_over_whole_games(scenarios, name):
    p = scenarios[name]
    state = initial_state(p, 11, np.arange(256))
    for _ in range(p.turns):
        _check(p, state)
        state, _ = step(p, state, policy.doctrine_policy)


@pytest.mark.parametrize("name", ["treaty-2024", "peninsula-clash", "generated-16", "mini"])
def test_kernels_equal_the_oracle_on_perturbed_states(scenarios, name):
    p = scenarios[name]
    for state, _ in random_states(p, 48, seed=5):
        _check(p, state)


def test_signals_beside_a_players_move_equal_the_oracle(scenarios):
    """A player's fixed move changes what the signal draw leaves out (and, through the running
    sum, the draws of the actors after it): the kernel draws the signals again beside it."""
    p = scenarios["treaty-2024"]
    state = initial_state(p, 2, np.arange(64))
    gen = np.random.default_rng(0)
    for _ in range(12):
        fixed = np.full((state.batch, p.n_actors), -1, dtype=np.int64)
        a = int(gen.integers(p.n_actors))
        lo, hi = p.actor_cand_start[a], p.actor_cand_start[a + 1]
        fixed[:, a] = gen.integers(lo, hi, state.batch)
        _check(p, state, fixed)
        state, _ = step(p, state, policy.doctrine_policy, fixed)


def test_a_runs_moves_do_not_depend_on_its_batch(scenarios):
    p = scenarios["generated-16"]
    state = initial_state(p, 4, np.arange(40))
    for _ in range(6):
        state, _ = step(p, state, policy.doctrine_policy)
    ctx = Context(p, state)
    moves = policy.doctrine_policy(p, state, ctx)
    sig = policy.doctrine_signals(p, state, ctx, moves)
    for rows in ([7], [3, 30, 9], list(range(39, -1, -2))):
        sub = state.take(rows)
        c = Context(p, sub)
        m = policy.doctrine_policy(p, sub, c)
        assert np.array_equal(m, moves[rows])
        assert np.array_equal(policy.doctrine_signals(p, sub, c, m), sig[rows])


@pytest.mark.parametrize("name", ["treaty-2024", "mini"])
def test_groups_sharing_a_pairs_rows_and_groups_not_sharing_them_score_alike(scenarios, name):
    """The score kernel reads a pair's table rows once where every run of a group of LANES
    stands on the same rung and stance (each lane would read the same rows), and lane by lane
    where one run differs. A group of copies of one run takes the first way for every pair;
    the same copies with one run of another rung beside them take the second for that pair.
    Both give the oracle's bits, and the copies the same moves and weights either way."""
    p = scenarios[name]
    state = initial_state(p, 6, np.arange(48))
    for _ in range(9):
        state, _ = step(p, state, policy.doctrine_policy)
    n_l = kernel.LANES
    tb = kernel.tables(p)
    movers = np.repeat(tb.b_actor, tb.b_nt)  # every (mover, target) pair with candidates
    targets = np.concatenate([tb.targets[o : o + n] for o, n in zip(tb.b_toff, tb.b_nt)])
    rung = state.rung[:, movers, targets]
    # Two runs whose rungs differ at a pair with candidates, the stances alike: that run
    # beside copies of the other.
    i, j = next(
        (i, j)
        for i in range(state.batch)
        for j in range(state.batch)
        if (rung[i] != rung[j]).any() and (state.stance[i] == state.stance[j]).all()
    )
    alike = state.take([i] * n_l)
    mixed = state.take([i] * (n_l - 1) + [j])
    for s in (alike, mixed):
        _check(p, s)
    w_alike = kernel.weight_rows(policy.softmax_weights(p, alike, Context(p, alike)), alike.batch)
    w_mixed = kernel.weight_rows(policy.softmax_weights(p, mixed, Context(p, mixed)), mixed.batch)
    assert _same_bits(w_alike[: n_l - 1], w_mixed[: n_l - 1])
    ctx_a, ctx_m = Context(p, alike), Context(p, mixed)
    moves_a = policy.doctrine_policy(p, alike, ctx_a)
    moves_m = policy.doctrine_policy(p, mixed, ctx_m)
    assert np.array_equal(moves_a[: n_l - 1], moves_m[: n_l - 1])


def test_a_drawn_jump_scores_as_the_oracle(tmp_path):
    """ai.jump drawn per run: each run's own climb penalty (game.engine.draws)."""
    mini = ROOT / "tests" / "scenario" / "data" / "mini.toml"
    path = tmp_path / "jump.toml"
    path.write_text(
        f'extends = "{mini.as_posix()}"\n[scenario]\nid = "mini-jump"\nname = "Mini jump"\n'
        "[ai]\njump = { mean = 1.5, sd = 0.4 }\n",
        encoding="utf-8",
    )
    p = load_scenario(path).params
    assert ("jump", 0) in p.draw_at
    state = initial_state(p, 1, np.arange(64))
    for _ in range(8):
        _check(p, state)
        state, _ = step(p, state, policy.doctrine_policy)


def test_the_mini_variant_has_a_hostile_block_of_one_action(scenarios):
    p = scenarios["mini"]
    lone = [b for b in p.move_blocks if len(b.actions) == 1]
    assert any((b.coef != 0).sum() >= 3 for b in lone)


def test_the_tables_keep_each_blocks_layout(scenarios):
    """The flat tables address each block's candidates where Params lays them out."""
    p = scenarios["treaty-2024"]
    tb = kernel.tables(p)
    assert kernel.tables(p) is tb  # built once per Params
    for bi, blk in enumerate(p.move_blocks):
        assert tb.b_start[bi] == blk.start
        n_t, n_k = len(blk.targets), len(blk.actions)
        t0 = tb.b_toff[bi]
        assert np.array_equal(tb.targets[t0 : t0 + n_t], blk.targets)
        k0 = tb.b_koff[bi]
        assert np.array_equal(tb.coef[k0 : k0 + n_k], blk.coef.T)


def test_the_kernels_exp_is_numpys_float32_exp():
    """The softmax's exponential inside the score kernel gives numpy's bits: over a sample of
    every float32 bit pattern, a dense sweep of the range the weights take (subnormal results
    included), and the special values."""
    gen = np.random.default_rng(3)
    patterns = gen.integers(0, 2**32, 1 << 20, dtype=np.uint64).astype(np.uint32)
    sweep = np.linspace(-105.0, 1.0, 1 << 20, dtype=np.float32)
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -87.5, -103.97, 88.7], np.float32)
    x = np.concatenate([patterns.view(np.float32), sweep, special])
    with np.errstate(all="ignore"):
        want = np.exp(x)
    got = x.copy()
    kernel.exp_shifted(got, 0, got.size, np.float32(0.0))
    assert _same_bits(got, want)
    shifted = x[: 1 << 10].copy()
    kernel.exp_shifted(shifted, 5, 1000, np.float32(2.5))
    with np.errstate(all="ignore"):
        assert _same_bits(shifted[5:1000], np.exp(x[5:1000] - np.float32(2.5)))
    assert _same_bits(shifted[:5], x[:5])


_SCORES = st.lists(
    st.one_of(
        st.floats(width=32, allow_nan=True, allow_infinity=True),
        st.sampled_from([0.0, -0.0, -np.inf, np.nan]),
    ),
    min_size=1,
    max_size=40,
)


@settings(deadline=None)  # the first example compiles the kernels for Python's call
@given(_SCORES, st.integers(0, kernel.LANES - 1), st.integers(0, 2**32 - 1))
@example([-np.inf], 0, 0)  # every candidate closed: the weights are NaN
@example([np.nan, -np.inf, 1.0], 3, 1)  # the best is NaN
@example([2.0, -np.inf, -np.inf, 0.5], 7, 2)  # closed candidates beside a finite best
def test_the_softmax_weights_use_each_lanes_running_maximum(values, lane, seed):
    """The weights of LANES runs are worked out side by side, one run in each lane: each
    lane's weights are exp of each score less that lane's running maximum, in numpy's bits,
    whatever the scores hold (NaN first or later, zeros of both signs, infinities), and
    whatever the other lanes hold."""
    v = np.array(values, dtype=np.float32)
    best = v[0]
    for x in v[1:]:
        if x > best:
            best = x
    with np.errstate(all="ignore"):
        want = np.exp(v - best)
    others = (
        np.random.default_rng(seed).normal(0.0, 30.0, (v.size + 3, kernel.LANES)).astype(np.float32)
    )
    tile = others.copy()
    tile[2 : 2 + v.size, lane] = v
    kernel.softmax_lanes(tile, 2, 2 + v.size)
    assert _same_bits(tile[2 : 2 + v.size, lane], want)
    rest = [j for j in range(kernel.LANES) if j != lane]
    with np.errstate(all="ignore"):
        mine = others[2 : 2 + v.size, rest]
        shifted = np.exp(mine - np.maximum.reduce(mine, axis=0))
    assert _same_bits(tile[2 : 2 + v.size, rest], shifted)
    assert _same_bits(tile[:2], others[:2]) and _same_bits(tile[2 + v.size :], others[2 + v.size :])
    # The same scores in every lane: a candidate closed (-inf) in every lane at once.
    same = np.repeat(v[:, None], kernel.LANES, axis=1)
    kernel.softmax_lanes(same, 0, v.size)
    assert all(_same_bits(same[:, j], want) for j in range(kernel.LANES))
