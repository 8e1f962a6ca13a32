"""How long checking a scenario takes: in process (warm) and as a whole `pact validate` command.

Prints the median of several repetitions for every shipped scenario.
Usage: python benchmarks/validate.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.scenario.load import check_file  # noqa: E402


def main() -> None:
    shipped = sorted((ROOT / "scenarios").glob("*.toml"))
    for path in shipped:
        check_file(path)  # warm the imports and caches
        times = []
        for _ in range(5):
            t = time.perf_counter()
            check_file(path)
            times.append(time.perf_counter() - t)
        print(f"check {path.name:24} {statistics.median(times) * 1000:8.1f} ms (median of 5)")
    times = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "game", "validate", str(shipped[0])],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        times.append(time.perf_counter() - t)
    print(f"pact validate (whole process)  {statistics.median(times):8.2f} s (median of 3)")


if __name__ == "__main__":
    main()
