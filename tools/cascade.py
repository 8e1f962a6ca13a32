"""How far the alliance cascade of a peninsula clash runs: shares of runs, within 3 and 12 months,
with Russia at war with South Korea or the United States, China at war with anyone, and the
United States at war with North Korea (by its treaty with Seoul).

Usage: python tools/cascade.py [SCENARIO] [--runs N] [--seed S] [--set KEY=VALUE ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.engine import initial_state  # noqa: E402
from game.scenario import load_scenario  # noqa: E402
from game.scenario.load import parse_value  # noqa: E402
from game.scenario.paths import find_scenario  # noqa: E402
from game.sim import months  # noqa: E402

CHUNK = 5000


def first_wars(params, seed: int, runs: int, horizon: int) -> dict[str, np.ndarray]:
    """For each cascade step, the month each run first reached it (horizon = never)."""
    ax = {a: i for i, a in enumerate(params.actor_ids)}
    war = params.thresholds["war"]
    out: dict[str, list] = {}
    for lo in range(0, runs, CHUNK):
        rows = np.arange(lo, min(lo + CHUNK, runs))
        first = {k: np.full(rows.size, horizon) for k in ("russia", "china", "usa")}
        state = initial_state(params, seed, rows)
        for rec, now_state in months(params, state, horizon):
            r = now_state.rung
            now = {
                "russia": (r[:, ax["RUS"], ax["KOR"]] >= war) | (r[:, ax["RUS"], ax["USA"]] >= war),
                "china": (r[:, ax["CHN"], :] >= war).any(axis=1),
                "usa": r[:, ax["USA"], ax["PRK"]] >= war,
            }
            for k, v in now.items():
                first[k] = np.where((first[k] == horizon) & v, rec.turn, first[k])
        for k, v in first.items():
            out.setdefault(k, []).append(v)
    return {k: np.concatenate(v) for k, v in out.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/peninsula-clash.toml"))
    ap.add_argument("--runs", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    a = ap.parse_args()
    sets = {k: parse_value(v) for k, v in (s.split("=", 1) for s in a.set)}
    params = load_scenario(find_scenario(a.scenario), sets or None).params
    first = first_wars(params, a.seed, a.runs, 12)
    names = {
        "russia": "Russia at war with South Korea or the US",
        "china": "China at war with anyone",
        "usa": "US at war with North Korea",
    }
    print(f"{params.scenario_id}: {a.runs:,} runs, seed {a.seed}")
    for k, v in first.items():
        print(
            f"  {names[k]:<42} within 3 months {np.mean(v < 3):6.1%}   within 12 {np.mean(v < 12):6.1%}"
        )


if __name__ == "__main__":
    main()
