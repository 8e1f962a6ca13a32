"""How much the length of the ladder alone moves the AI: a scenario against the same scenario
with rungs inserted between two inherited ones (and nothing else changed).

    python benchmarks/ladder_length.py [--runs N] [--scenario FILE]

Prints the share of runs in which some pair crossed each named threshold, for the scenario
and for variants with 2 and 6 rungs inserted (no 'up', so pairs reach them only by moves).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

from game.montecarlo.runner import simulate
from game.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def variant(parent: Path, n: int, after: str, folder: Path) -> Path:
    rungs = []
    prev = after
    for i in range(n):
        rungs.append(f'  {{ id = "extra{i}", name = "Extra {i}", down = 50, after = "{prev}" }},')
        prev = f"extra{i}"
    path = folder / f"extra{n}.toml"
    path.write_text(
        f'extends = "{parent.as_posix()}"\n[scenario]\nid = "extra{n}"\n'
        "[ladder]\nrungs = [\n" + "\n".join(rungs) + "\n]\n",
        encoding="utf-8",
    )
    return path


def shares(path: Path, runs: int) -> dict[str, float]:
    sc = load_scenario(path)
    res = simulate(sc, runs=runs, seed=0, workers=1)
    names = list(sc.params.thresholds)
    return {h: float(np.mean(res.first_cross[:, i] >= 0)) for i, h in enumerate(names)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--scenario", default=str(ROOT / "scenarios" / "treaty-2024.toml"))
    ap.add_argument("--after", default="buildup", help="rung the inserted rungs follow")
    args = ap.parse_args()
    parent = Path(args.scenario).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        rows = [("as written", parent)] + [
            (f"+{n} rungs", variant(parent, n, args.after, Path(tmp))) for n in (2, 6)
        ]
        out = [(label, shares(p, args.runs)) for label, p in rows]
    names = list(out[0][1])
    print(f"{'ladder':<12}" + "".join(f"{h:>22}" for h in names))
    for label, s in out:
        print(f"{label:<12}" + "".join(f"{s[h]:>22.3f}" for h in names))


if __name__ == "__main__":
    main()
