"""The ladder's length alone does not change the AI's temperament: rungs inserted between two
inherited ones leave the war rate where it was; with rungs read as plain indices (the
mechanism off) the same insertion moves it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import game.ai.moves as moves_mod
import game.scenario.commitments as commitments_mod
from game.ai.moves import rung_positions
from game.montecarlo.runner import simulate
from game.montecarlo.stats import Z95
from game.scenario.load import load_scenario

HERE = Path(__file__).resolve().parent
MINI = HERE / "data" / "mini.toml"
RUNS = 1500


def test_positions_keep_the_thresholds_of_the_reference_ladder():
    pos = rung_positions(9, {"threat": 3, "armed_clash": 4, "war": 6, "nuclear_use": 7})
    assert pos[[3, 4, 6, 7]].tolist() == [3.0, 6.0, 8.0, 10.0]
    assert np.all(np.diff(pos) > 0)
    # a rung inserted between two thresholds takes a place between them; the thresholds stay
    finer = rung_positions(10, {"threat": 3, "armed_clash": 5, "war": 7, "nuclear_use": 8})
    assert finer[[3, 5, 7, 8]].tolist() == [3.0, 6.0, 8.0, 10.0] and 3 < finer[4] < 6


def _inserted(tmp_path: Path, n: int) -> Path:
    rungs, prev = [], "show_of_force"
    for i in range(n):
        rungs.append(f'{{ id = "x{i}", name = "X{i}", down = 50, after = "{prev}" }}')
        prev = f"x{i}"
    path = tmp_path / "finer.toml"
    path.write_text(
        f'extends = "{MINI.as_posix()}"\n[scenario]\nid = "finer"\n[ladder]\nrungs = ['
        + ", ".join(rungs)
        + "]\n",
        encoding="utf-8",
    )
    return path


def _war(path: Path) -> tuple[float, float]:
    sc = load_scenario(path)
    res = simulate(sc, runs=RUNS, seed=3, workers=1)
    h = list(sc.params.thresholds).index("war")
    hit = res.first_cross[:, h] >= 0
    p = float(hit.mean())
    return p, Z95 * np.sqrt(p * (1 - p) / RUNS)


def _separated(a, b) -> bool:
    return abs(a[0] - b[0]) > a[1] + b[1]


@pytest.mark.slow
def test_inserting_rungs_leaves_the_war_rate(tmp_path, monkeypatch):
    finer = _inserted(tmp_path, 3)
    base, more = _war(MINI), _war(finer)
    assert base[0] > 0.03  # wars happen, so there is something to compare
    assert not _separated(base, more), (base, more)
    # mechanism off: rungs read as plain indices, every rung one step
    plain = lambda n, _named: np.arange(n, dtype=float)  # noqa: E731
    monkeypatch.setattr(moves_mod, "rung_positions", plain)
    monkeypatch.setattr(commitments_mod, "rung_positions", plain)
    base_off, more_off = _war(MINI), _war(finer)
    assert _separated(base_off, more_off), (base_off, more_off)
