"""How long checking a scenario takes: in process (warm) and as a whole `pact validate` command.

Prints the median of several repetitions for every shipped scenario, then the time of the
files built to be slow (a 1 MB dotted key, 10,000 removals of unknown entries) at growing
sizes: the work grows linearly with the size.
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
    pathological()


def pathological() -> None:
    import tempfile

    from tests.scenario.test_scenario_pathological import dotted_key_file, removals_file

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "treaty-2024.toml").write_text((ROOT / "scenarios/treaty-2024.toml").read_text())
        cases = [
            (f"dotted key, {n:,} parts", dotted_key_file(n)) for n in (62_500, 125_000, 500_000)
        ]
        cases += [(f"{n:,} unknown removals", removals_file(n)) for n in (2_500, 5_000, 10_000)]
        cases += [("5,000 new + 5,000 unknown removals", removals_file(5_000, 5_000))]
        for label, text in cases:
            path = folder / "case.toml"
            path.write_text(text)
            t = time.perf_counter()
            report = check_file(path)
            took = time.perf_counter() - t
            size = len(text.encode()) / 1e6
            print(f"{label:36} {size:5.2f} MB {took:7.2f} s  ({len(report.errors):,} errors)")


if __name__ == "__main__":
    main()
