"""Cold start: the seconds from launching a command to its end, for ``pact run`` (one game
printed) and ``pact play`` (the window opened on SDL's dummy driver, the game started as South
Korea, the first frame drawn, then closed: ``--autoplay 0``), with the bare import of the
command line as the floor.

Each command is started ``--repeat`` times as a new process; prints the median wall time and
the median CPU time (user + system of the child). ``--tree DIR`` times another checkout of the
project the same way (e.g. an older commit, for a before/after). ``--fresh`` deletes the
compiled kernels' cache (numba's ``*.nbi``/``*.nbc`` files in the tree's ``__pycache__``
folders) before every start: the first start after an install, which compiles them.
Usage: python benchmarks/cold_start.py [--repeat 5] [--tree DIR] [--fresh]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COMMANDS = {
    "import game.commands.main": ["-c", "import game.commands.main"],
    "pact run treaty-2024": ["-m", "game", "run", "treaty-2024"],
    "pact play --as KOR --autoplay 0": ["-m", "game", "play", "--as", "KOR", "--autoplay", "0"],
}


def once(tree: Path, args: list[str]) -> tuple[float, float]:
    """(wall s, CPU s) of one run of ``python ARGS`` in ``tree``."""
    env = dict(os.environ, PYTHONPATH=str(tree), SDL_VIDEODRIVER="dummy")
    env.setdefault("SDL_AUDIODRIVER", "dummy")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, *args],
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def forget_kernels(tree: Path) -> int:
    """Delete the compiled kernels' cache files under ``tree``; returns how many."""
    files = [f for ext in ("nbi", "nbc") for f in (tree / "game").rglob(f"__pycache__/*.{ext}")]
    for f in files:
        f.unlink()
    return len(files)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--tree", type=Path, default=ROOT, help="the checkout to time")
    ap.add_argument("--fresh", action="store_true", help="no compiled kernels cached")
    args = ap.parse_args()
    tree = args.tree.resolve()
    fresh = ", kernels compiled afresh at every start" if args.fresh else ""
    print(f"{tree}: median of {args.repeat} (one warm-up run each, not counted{fresh})")
    print(f"{'command':34} {'wall s':>7} {'cpu s':>7}")
    for name, cmd in COMMANDS.items():
        once(tree, cmd)
        runs = []
        for _ in range(args.repeat):
            if args.fresh:
                forget_kernels(tree)
            runs.append(once(tree, cmd))
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(f"{name:34} {wall:7.2f} {cpu:7.2f}")


if __name__ == "__main__":
    main()
