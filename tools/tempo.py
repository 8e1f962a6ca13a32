"""The tempo of a scenario: how many missile launches a state makes per year of a run, and how
often a war pair reaches a ceasefire.

A launch is any move (main or signal) of the given actions by the given state; a run's count
is divided by the years it lasted. Prints the median and quartiles of launches per year, and,
when the scenario has a ceasefire action, the share of runs in which each pair at war at the
start made one (with its 95% interval).

Usage: python tools/tempo.py [SCENARIO] [--runs N] [--seed S] [--actor PRK]
       [--launches missile_test,icbm_test] [--ceasefire ceasefire] [--set KEY=VALUE ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.montecarlo.tempo import tally  # noqa: E402
from game.scenario import load_scenario  # noqa: E402
from game.scenario.load import parse_value  # noqa: E402
from game.scenario.paths import find_scenario  # noqa: E402


def _wilson(k: int, n: int) -> tuple[float, float]:
    z = 1.96
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(c - h, 0.0), min(c + h, 1.0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario", nargs="?", default="treaty-2024")
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--actor", default="PRK")
    ap.add_argument("--launches", default="missile_test,icbm_test")
    ap.add_argument("--ceasefire", default="ceasefire")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = ap.parse_args(argv)
    overrides = {}
    for item in args.set:
        key, _, value = item.partition("=")
        overrides[key] = parse_value(value)
    params = load_scenario(find_scenario(args.scenario), overrides or None).params
    launches = [k for k in args.launches.split(",") if k]
    out = tally(params, args.seed, args.runs, args.actor, launches, args.ceasefire)
    py = out["per_year"]
    q1, med, q3 = np.percentile(py, [25, 50, 75])
    print(f"{args.scenario}: {args.runs} runs, seed {args.seed}")
    print(
        f"{args.actor} launches ({', '.join(launches)}) per year: median {med:.1f}, "
        f"quartiles {q1:.1f}-{q3:.1f}, mean {py.mean():.1f}"
    )
    if args.ceasefire in params.action_ids:
        for n, pair in enumerate(out["pairs"]):
            for word, key in (("offered", "ceasefire"), ("agreed", "agreed")):
                k = int(out[key][:, n].sum())
                lo, hi = _wilson(k, args.runs)
                print(
                    f"{pair} ceasefire {word} in {k / args.runs:.1%} of runs "
                    f"(95% interval {lo:.1%}-{hi:.1%})"
                )
    else:
        print(f"no '{args.ceasefire}' action in the scenario")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
