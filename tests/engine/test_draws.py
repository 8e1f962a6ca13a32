"""Uncertain numbers: a scenario number given as a distribution is drawn once per run, from the
counter-based generator, so run K has the same values in any batch, chunk or worker and when
replayed alone; runs.csv records them; the engine uses each run's own value."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest

from game.ai import doctrine_policy
from game.ai.policy import scores
from game.engine import initial_state, step
from game.engine.names import ATTR
from game.engine.step import Context
from game.scenario.load import load_scenario
from game.sim import run_log
from tests.helpers import pact

MINI = Path(__file__).resolve().parents[1] / "scenario" / "data" / "mini.toml"

VARIANT = f"""extends = "{MINI.as_posix()}"
[scenario]
id = "mini-draws"
name = "Mini with uncertain numbers"
[defaults]
decay = {{ low = 0.05, high = 0.25 }}
tension = {{ mean = 20, sd = 4 }}
[ai]
jump = {{ mean = 1.5, sd = 0.4 }}
[[actors]]
id = "PRK"
delivery = {{ low = 0.2, high = 0.5 }}
[[events]]
id = "coin"
name = "A coin whose odds differ by run"
date = "2025-01"
when = "turn >= 0"
until = "2026-12"
repeat = true
probability = {{ low = 0.0, high = 1.0 }}
effects = [ {{ kind = "flag", flag = "coin", add = 1 }} ]
"""

LABELS = [
    "defaults.decay",
    "defaults.tension",
    "ai.jump",
    "actors.PRK.delivery",
    "events.coin.probability",
]


@pytest.fixture(scope="module")
def variant(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("draws") / "mini-draws.toml"
    path.write_text(VARIANT, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def params(variant):
    return load_scenario(variant).params


def col(params, label: str) -> int:
    return [s.label for s in params.draws].index(label)


def test_every_distribution_is_drawn_and_differs_by_run(params):
    assert sorted(s.label for s in params.draws) == sorted(LABELS)
    st = initial_state(params, 3, np.arange(200))
    assert st.drawn.shape == (200, len(LABELS))
    for d, spec in enumerate(params.draws):
        v = st.drawn[:, d]
        assert np.unique(v).size > 150, spec.label
        assert (v >= spec.lo).all() and (v <= spec.hi).all()
        if spec.kind == "uniform":
            assert (v >= spec.a).all() and (v <= spec.b).all()
            assert abs(v.mean() - spec.central) < 0.1 * (spec.b - spec.a)
        else:
            assert abs(v.mean() - spec.a) < 3 * spec.b / np.sqrt(200)
            assert abs(v.std() - spec.b) < 0.25 * spec.b
    # The numbers that set the opening are laid into the state, each run its own.
    prk = params.actor_ids.index("PRK")
    assert np.array_equal(
        st.attr[:, prk, ATTR["delivery"]], st.drawn[:, col(params, "actors.PRK.delivery")]
    )
    # Pairs [[relations]] does not list start (and relax toward) the drawn default tension.
    listed = {
        frozenset((params.actor_ids.index(a), params.actor_ids.index(b)))
        for a, b in [("PRK", "KOR")]
    }
    n = params.n_actors
    free = [
        (i, j) for i in range(n) for j in range(n) if i != j and frozenset((i, j)) not in listed
    ]
    i, j = free[0]
    drawn_t = st.drawn[:, col(params, "defaults.tension")]
    if abs(params.tension0[i, j] - 20) < 1e-9:  # an unlisted pair
        assert np.array_equal(st.tension[:, i, j], drawn_t)
        assert np.array_equal(st.tension[:, j, i], drawn_t)
        assert np.array_equal(st.baseline[:, i, j], drawn_t)
    # Another seed, other values.
    other = initial_state(params, 4, np.arange(200)).drawn
    assert not np.allclose(other, st.drawn)


def test_a_run_draws_the_same_values_alone_in_any_batch(params):
    whole = initial_state(params, 11, np.arange(40)).drawn
    for k in (0, 7, 39):
        assert np.array_equal(initial_state(params, 11, [k]).drawn[0], whole[k])
    part = initial_state(params, 11, np.arange(20, 40)).drawn
    assert np.array_equal(part, whole[20:])
    # A draw belongs to its key, not its position: without the other draws, the same decay.
    alone = load_scenario(MINI, overrides={"defaults.decay": {"low": 0.05, "high": 0.25}}).params
    assert [s.label for s in alone.draws] == ["defaults.decay"]
    mine = initial_state(alone, 11, np.arange(40)).drawn[:, 0]
    assert np.array_equal(mine, whole[:, col(params, "defaults.decay")])


def _coin_shares(params, seed: int, runs: int, months: int) -> np.ndarray:
    st = initial_state(params, seed, np.arange(runs))
    for _ in range(months):
        st, _ = step(params, st, doctrine_policy)
    return st.event_count[:, [ev.id for ev in params.events].index("coin")] / months


def test_each_run_uses_its_own_drawn_probability(params, variant):
    """The coin event fires in each month with that run's drawn probability: runs that drew
    low odds see it rarely, runs that drew high odds nearly every month; with one value for
    every run (mechanism off) the share no longer follows the run's draw."""
    p = initial_state(params, 5, np.arange(300)).drawn[:, col(params, "events.coin.probability")]
    share = _coin_shares(params, 5, 300, 24)
    assert share[p < 0.2].mean() < 0.2 and share[p > 0.8].mean() > 0.8
    assert np.corrcoef(share, p)[0, 1] > 0.9
    off = load_scenario(variant, overrides={"events.coin.probability": 0.5}).params
    flat = _coin_shares(off, 5, 300, 24)
    assert abs(np.corrcoef(flat, p)[0, 1]) < 0.2
    assert abs(flat.mean() - 0.5) < 0.05


def test_a_drawn_ai_jump_scores_as_the_same_single_value(params, variant):
    """The climb penalty is split from the move tables so that ai.jump may vary per run: run
    K's scores equal those of the scenario with jump set to K's drawn value."""
    st = initial_state(params, 2, np.arange(6))
    for _ in range(3):
        st, _ = step(params, st, doctrine_policy)
    k = 4
    jump = float(st.drawn[k, col(params, "ai.jump")])
    assert abs(jump - 1.5) > 1e-3
    fixed = load_scenario(variant, overrides={"ai.jump": jump}).params
    central = load_scenario(variant, overrides={"ai.jump": 1.5}).params
    assert sorted(s.label for s in fixed.draws) == sorted(x for x in LABELS if x != "ai.jump")
    one = st.take([k])
    got = scores(params, one, Context(params, one))
    one.drawn = np.array([[st.drawn[k, col(params, s.label)] for s in fixed.draws]])
    want = scores(fixed, one, Context(fixed, one))
    finite = np.isfinite(want)
    assert np.array_equal(finite, np.isfinite(got))
    assert np.allclose(got[finite], want[finite], rtol=1e-5, atol=1e-4)
    base = scores(central, one, Context(central, one))
    assert not np.allclose(base[finite], want[finite], rtol=1e-5, atol=1e-4)


def test_replay_of_one_run_prints_its_draws(params, variant):
    log = run_log(params, seed=9, run=13, turns=2)
    want = initial_state(params, 9, [13]).drawn[0]
    assert log["outcome"]["drawn"] == {
        s.label: round(float(want[d]), 6) for d, s in enumerate(params.draws)
    }
    out = pact("run", variant, "--seed", "9", "--run", "13", "--turns", "2")
    assert out.returncode == 0, out.stderr
    assert "Uncertain numbers drawn for this run: " in out.stdout
    assert f"ai.jump = {want[col(params, 'ai.jump')]:.4g}" in out.stdout


def _runs_csv(tmp_path, variant, name, *args) -> str:
    out = tmp_path / name
    r = pact(
        "batch",
        variant,
        "--runs",
        "60",
        "--turns",
        "6",
        "--seed",
        "21",
        "--no-plots",
        "--no-timeseries",
        "--out",
        out,
        *args,
    )
    assert r.returncode == 0, r.stderr
    return (out / "runs.csv").read_text(encoding="utf-8")


def test_runs_csv_is_the_same_for_any_workers_and_batch_size(params, variant, tmp_path):
    a = _runs_csv(tmp_path, variant, "a", "--workers", "1", "--batch-size", "7")
    b = _runs_csv(tmp_path, variant, "b", "--workers", "2", "--batch-size", "1024")
    c = _runs_csv(tmp_path, variant, "c", "--workers", "2", "--batch-size", "13")
    assert a == b == c
    rows = list(csv.DictReader(io.StringIO(a)))
    want = initial_state(params, 21, np.arange(60)).drawn
    for d, spec in enumerate(params.draws):
        label = spec.label
        got = np.array([float(r[f"draw:{label}"]) for r in rows])
        assert np.allclose(got, want[:, d], atol=5e-7), label
    assert len({r["draw:ai.jump"] for r in rows}) > 50


def test_set_and_show_keep_distributions(variant, tmp_path):
    loaded = load_scenario(variant, overrides={"ai.jump": {"low": 1.0, "high": 2.0}})
    spec = loaded.params.draws[[s.label for s in loaded.params.draws].index("ai.jump")]
    assert (spec.kind, spec.a, spec.b) == ("uniform", 1.0, 2.0)
    single = load_scenario(variant, overrides={"ai.jump": 1.7}).params
    assert "ai.jump" not in [s.label for s in single.draws]
    out = pact("show", variant, "--set", "relations.PRK-KOR.tension={ low = 50, high = 70 }")
    assert out.returncode == 0, out.stderr
    assert "tension = { low = 50, high = 70 }" in out.stdout
    shown = tmp_path / "shown.toml"
    shown.write_text(out.stdout, encoding="utf-8")
    again = load_scenario(shown).params
    assert sorted(x.label for x in again.draws) == sorted([*LABELS, "relations.PRK-KOR.tension"])


def test_a_key_that_cannot_vary_is_a_located_error(variant):
    out = pact("run", variant, "--set", "actors.PRK.doctrine.temperature={ low = 1, high = 2 }")
    assert out.returncode == 2
    assert "actors.PRK.doctrine.temperature cannot vary from run to run" in out.stderr
    assert "Traceback" not in out.stderr


def test_futures_draw_their_own_numbers(params):
    """Branching the start (a forecast from month 0) is exactly the batch; futures of a game
    under way draw their own numbers by their keys, while the game's state stays theirs."""
    from game.engine.state import branch

    game = initial_state(params, 99, [0])
    futures = branch(game, 31, np.arange(25), params=params)
    batch = initial_state(params, 31, np.arange(25))
    for f in ("drawn", "attr", "tension", "baseline", "cred"):
        assert np.array_equal(getattr(futures, f), getattr(batch, f)), f
    for _ in range(2):
        game, _ = step(params, game, doctrine_policy)
    later = branch(game, 31, np.arange(25), params=params)
    assert np.array_equal(later.drawn, batch.drawn)
    assert np.array_equal(later.tension, np.repeat(game.tension, 25, axis=0))
    # Without the parameters a branch keeps the game's own values (one world).
    same = branch(game, 31, np.arange(3))
    assert np.array_equal(same.drawn, np.repeat(game.drawn, 3, axis=0))


def test_a_variant_replaces_an_inherited_distribution_whole(variant, tmp_path):
    child = tmp_path / "child.toml"
    child.write_text(
        f'extends = "{variant.as_posix()}"\n[scenario]\nid = "child"\nname = "Child"\n'
        "[defaults]\ndecay = { mean = 0.12, sd = 0.02 }\n[ai]\njump = 1.25\n",
        encoding="utf-8",
    )
    p = load_scenario(child).params
    spec = p.draws[col(p, "defaults.decay")]
    assert (spec.kind, spec.a, spec.b) == ("normal", 0.12, 0.02)
    assert "ai.jump" not in [s.label for s in p.draws]
    assert p.move_blocks[0].climb is not None
