"""This tree's engine against another's, timed at the same moments: before and after a change.

On a shared machine the speed drifts by a tenth from one minute to the next, more than most
engine changes are worth. Here the two engines run at the same time, each pinned to its own CPU,
and swap CPUs every round, so a slow spell falls on both alike; each round's ratio is taken on
its own, and the median of the rounds is printed with their range. A tree against itself gives
about 1.00 (within a few hundredths).

OTHER is a second source tree of Pact (a ``git worktree`` of the commit before the change, say)
that this interpreter can import, with the same packages. Each side steps ``--runs`` runs of the
scenario for its months three times in a round (after one warm-up chunk) and reports the CPU
microseconds per run-month. The first start of a tree compiles its kernels into its own cache.
Usage: python benchmarks/paired.py OTHER [--scenario FILE] [--runs 1024] [--rounds 8]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "scenarios" / "treaty-2024.toml"
CHUNKS = 3  # chunks timed by each side in a round


def _side(root: str, scenario: str, runs: int, chunks: int) -> None:
    """One side of a round: the CPU µs per run-month of each chunk, on one line."""
    sys.path.insert(0, root)
    from game.montecarlo.runner import run_chunk
    from game.scenario import load_scenario

    params = load_scenario(scenario).params
    run_chunk(params, 1, 0, 64, params.turns)  # warm-up
    out = []
    for k in range(chunks):
        t = time.process_time()
        run_chunk(params, 1, (k + 1) * runs, (k + 2) * runs, params.turns)
        out.append(1e6 * (time.process_time() - t) / (runs * params.turns))
    print(" ".join(f"{x:.4f}" for x in out))


def _start(root: Path, scenario: Path, runs: int, chunks: int, cpu: int | None):
    def pin() -> None:
        if cpu is not None:
            os.sched_setaffinity(0, {cpu})

    cmd = [sys.executable, __file__, "--side", str(root), str(scenario), str(runs), str(chunks)]
    return subprocess.Popen(cmd, cwd=root, stdout=subprocess.PIPE, text=True, preexec_fn=pin)


def _read(proc) -> list[float]:
    out, _ = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"paired.py: a side failed (exit status {proc.returncode})")
    return [float(x) for x in out.split()]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--side":
        root, scenario, runs, chunks = sys.argv[2:6]
        _side(root, scenario, int(runs), int(chunks))
        return
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("other", type=Path, help="the other source tree")
    ap.add_argument("--scenario", type=Path, default=DEFAULT)
    ap.add_argument("--runs", type=int, default=1024, help="runs in each timed chunk")
    ap.add_argument("--rounds", type=int, default=8)
    args = ap.parse_args()
    other = args.other.resolve()
    if not (other / "game" / "engine").is_dir():
        print(
            f"paired.py: {args.other}: not a source tree of Pact (no game/engine)", file=sys.stderr
        )
        sys.exit(2)
    if args.runs < 1 or args.rounds < 1:
        print("paired.py: --runs and --rounds take a whole number of at least 1", file=sys.stderr)
        sys.exit(2)
    if not args.scenario.is_file():
        print(f"paired.py: {args.scenario}: no such scenario file", file=sys.stderr)
        sys.exit(2)
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    together = len(cpus) >= 2
    print(f"compiling or loading each tree's kernels ({other.name}, {ROOT.name})", flush=True)
    for root in (other, ROOT):
        _read(_start(root, args.scenario.resolve(), 16, 1, None))
    this, them, ratios = [], [], []
    for r in range(args.rounds):
        first, second = (cpus[r % 2], cpus[1 - r % 2]) if together else (None, None)
        a = _start(ROOT, args.scenario.resolve(), args.runs, CHUNKS, first)
        if not together:
            a_us = _read(a)
        b = _start(other, args.scenario.resolve(), args.runs, CHUNKS, second)
        b_us = _read(b)
        if together:
            a_us = _read(a)
        this += a_us
        them += b_us
        ratios.append(sum(b_us) / sum(a_us))
        print(f"round {r + 1}: this {statistics.median(a_us):.2f}, other "
              f"{statistics.median(b_us):.2f} us per run-month, other / this {ratios[-1]:.3f}",
              flush=True)  # fmt: skip
    how = f"at the same time on CPUs {cpus[0]} and {cpus[1]}" if together else "one after the other"
    print(
        f"{args.scenario.name}, {args.runs:,} runs a chunk, {args.rounds} rounds ({how}):\n"
        f"this tree  {statistics.median(this):7.2f} us per run-month (median)\n"
        f"other tree {statistics.median(them):7.2f} us per run-month (median)\n"
        f"other / this: {statistics.median(ratios):.3f} (rounds {min(ratios):.3f}-{max(ratios):.3f})"
    )


if __name__ == "__main__":
    main()
