"""Monte Carlo throughput: runs per second of the default scenario (36 months).

Prints runs/s at batch sizes 1, 100 and 10,000 with one worker and with all cores, the speed-up
of batched stepping over stepping runs one at a time, and the peak memory of a large batch.
Usage: python benchmarks/montecarlo.py [--million]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.montecarlo.runner import simulate  # noqa: E402
from game.scenario import load_scenario  # noqa: E402
from game.sim import play  # noqa: E402


def rate_single(params, n: int) -> float:
    t = time.perf_counter()
    for r in range(n):
        play(params, 1, [r])
    return n / (time.perf_counter() - t)


def rate_batch(sc, runs: int, chunk: int, workers: int) -> float:
    res = simulate(sc, runs=runs, seed=1, workers=workers, chunk=chunk)
    return res.n / res.seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--million", action="store_true", help="also run 1,000,000 runs for peak memory"
    )
    args = ap.parse_args()
    sc = load_scenario(ROOT / "scenarios" / "treaty-2024.toml")
    cores = os.cpu_count() or 1
    print(f"scenario treaty-2024, {sc.params.turns} months, {cores} cores")
    single = rate_single(sc.params, 40)
    print(f"batch size     1, 1 worker : {single:10,.0f} runs/s")
    for chunk, runs in ((100, 5_000), (10_000, 40_000)):
        r1 = rate_batch(sc, runs, chunk, 1)
        print(f"batch size {chunk:5}, 1 worker : {r1:10,.0f} runs/s")
        rn = rate_batch(sc, runs, chunk, cores)
        print(f"batch size {chunk:5}, {cores} workers: {rn:10,.0f} runs/s")
    best = rate_batch(sc, 100_000, 1024, cores)
    print(f"default (1024), {cores} workers, 100,000 runs: {best:10,.0f} runs/s")
    r1 = rate_batch(sc, 20_000, 1024, 1)
    print(f"speed-up of batched stepping per run (1 worker): {r1 / single:6.1f}x")
    if args.million:
        t = time.perf_counter()
        res = simulate(sc, runs=1_000_000, seed=1, workers=cores)
        dt = time.perf_counter() - t
        print(f"1,000,000 runs: {dt:.1f} s ({res.n / dt:,.0f} runs/s)")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: main process {own:,.0f} MiB, largest worker {kids:,.0f} MiB")


if __name__ == "__main__":
    main()
